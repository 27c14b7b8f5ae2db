"""Load ``site.toml`` into a frozen :class:`SiteConfig`.

Every key has a default; an unknown key, a wrong type or a bad value raises
:class:`ConfigError` with the file, the key and what was expected, plus the
closest valid key when the name looks like a typo.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from generator.common.documents import ParseProblem, parse_toml

CONFIG_NAME = "site.toml"
PERMALINK_FIELDS = {"year", "month", "day", "slug", "source"}
IMAGE_FORMATS = {"webp", "jpeg", "png", "avif"}
TAXONOMY_FIELDS = {"tags", "authors", "sources", "category"}


class ConfigError(Exception):
    """A configuration problem that stops the build (exit status 2); one problem per line of its message."""


@dataclass(frozen=True)
class ImagesConfig:
    widths: list[int] = field(default_factory=lambda: [320, 640, 1280])
    formats: list[str] = field(default_factory=lambda: ["webp", "jpeg"])
    quality: int = 80
    max_pixels: int = 40_000_000
    keep_metadata: bool = False
    original: str = "capped"


@dataclass(frozen=True)
class CommentsConfig:
    order: str = "oldest"
    max_depth: int = 6
    collapse_over: int = 30


@dataclass(frozen=True)
class FeedsConfig:
    atom: bool = True
    per_term: bool = True
    entries: int = 50
    full_content: bool = False  # whole articles in entries, not only summaries
    recent: bool = True  # recent.xml: the most recently captured articles first


@dataclass(frozen=True)
class LinksConfig:
    wayback: bool = True  # link each capture to the Internet Archive's copy nearest its capture date


@dataclass(frozen=True)
class CaptureConfig:
    boilerplate: list[str] = field(default_factory=list)
    image_markers: list[str] = field(
        default_factory=lambda: [
            "Click to see the full-size image",
            "Click to see a full-size image",
            "Click to enlarge",
        ]
    )
    learn_boilerplate: bool = True


@dataclass(frozen=True)
class ContentConfig:
    """``[content]``: files under ``content/`` that are not captures (names, or paths below content/, as globs)."""

    ignore: list[str] = field(default_factory=lambda: ["README.md", "README.txt", "LICENSE*", "CHANGELOG.md"])


@dataclass(frozen=True)
class PagesConfig:
    """``[pages]``: standalone pages (``content/pages/``, or front matter ``kind = "page"``)."""

    link_in: str = "footer"  # or "nav", or "none"


@dataclass(frozen=True)
class LimitsConfig:
    """Safety valves against hostile or broken input; each one exceeded is a named warning."""

    max_capture_bytes: int = 50_000_000
    max_comments: int = 20_000
    max_nesting: int = 256
    max_terms: int = 100  # tags (and authors) per article: every term page lists the article with all of them


DEFAULT_CLUSTER_TIMEOUT = 300


@dataclass(frozen=True)
class ClusterConfig:
    """``[cluster]``: building on a running Dask cluster (``--executor dask://HOST:PORT``)."""

    timeout: int = DEFAULT_CLUSTER_TIMEOUT  # seconds without any worker before the build stops


@dataclass(frozen=True)
class SearchConfig:
    """``[search]``: a Pagefind index of the articles and a search page (off: no script anywhere)."""

    enabled: bool = False


@dataclass(frozen=True)
class PublishTarget:
    """One ``[publish.NAME]`` table: where the site goes and how to reach it."""

    url: str
    endpoint_url: str = ""  # s3: another S3-compatible service (R2, B2, MinIO, SeaweedFS)
    region: str = ""  # s3
    cname: str = ""  # git: the custom domain written to CNAME
    ssh_command: str = ""  # rsync and git over ssh: instead of plain "ssh"


@dataclass(frozen=True)
class PublishConfig:
    """``[publish]``: host files in the build, and the named targets (its sub-tables)."""

    host_files: bool = False
    targets: dict[str, PublishTarget] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteConfig:
    title: str = "News archive"
    description: str = ""
    base_url: str = ""
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    share_image: str = ""  # a file in the theme's static folder for share cards of articles without images
    per_page: int = 20
    permalink: str = "{year}/{month}/{slug}/"
    undated_permalink: str = "undated/{slug}/"
    taxonomies: dict[str, str] = field(
        default_factory=lambda: {"tags": "tags", "authors": "authors", "sources": "sources"}
    )
    images: ImagesConfig = field(default_factory=ImagesConfig)
    comments: CommentsConfig = field(default_factory=CommentsConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    links: LinksConfig = field(default_factory=LinksConfig)
    capture: CaptureConfig = field(default_factory=CaptureConfig)
    content: ContentConfig = field(default_factory=ContentConfig)
    pages: PagesConfig = field(default_factory=PagesConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    site_path: Path = Path(".")

    @property
    def content_path(self) -> Path:
        return self.site_path / "content"

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def settings_key(self) -> str:
        """The settings as text, without where the site happens to live (for build fingerprints)."""
        publish = dataclasses.replace(self.publish, targets={})  # where and how a site is published or built
        return repr(dataclasses.replace(self, site_path=Path("."), publish=publish, cluster=ClusterConfig()))


def load(site_path: Path) -> SiteConfig:
    """Read ``site.toml`` from *site_path*; a missing file means all defaults.

    The settings hold the site folder resolved (absolute, links followed), so
    captures named on the command line, however written, compare with it.
    """
    config_path = site_path / CONFIG_NAME
    if not config_path.is_file():
        return SiteConfig(site_path=site_path.resolve())
    try:
        text = config_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_path}: cannot read: {error}") from error
    try:
        data = parse_toml(text)
    except ParseProblem as problem:
        where = f"{config_path}:{problem.line}" if problem.line else str(config_path)
        raise ConfigError(f"{where}: invalid TOML: {problem}") from problem
    try:
        config = _build(SiteConfig, data, config_path, prefix="")
        config = dataclasses.replace(config, site_path=site_path.resolve())
        _check_values(config, config_path)
    except ConfigError as error:
        lines = _key_lines(text)
        raise ConfigError("\n".join(_located(m, config_path, lines) for m in str(error).splitlines())) from None
    return config


def _key_lines(text: str) -> dict[str, int]:
    """Dotted key or table name → the line of ``site.toml`` it is written on."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.split("\n"), start=1):
        if header := re.match(r"\s*\[\[?([^\]]+)\]", line):
            table = ".".join(part.strip().strip("\"'") for part in header[1].split("."))
            lines.setdefault(table, number)
        elif key := re.match(r"""\s*([\w.-]+|"[^"]*"|'[^']*')\s*=""", line):
            name = key[1].strip("\"'")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _located(message: str, config_path: Path, lines: dict[str, int]) -> str:
    """*message* (``PATH: 'key' …``) as ``PATH:LINE: 'key' …``: the line of the key, else of its table."""
    prefix = f"{config_path}: "
    key = re.search(r"'([\w.-]+)'", message)
    if not message.startswith(prefix) or key is None:
        return message
    parts = key[1].split(".")
    found = next((lines[".".join(parts[:n])] for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in lines), None)
    return f"{config_path}:{found}: {message[len(prefix) :]}" if found else message


def _build(cls: type, table: dict[str, Any], config_path: Path, prefix: str) -> Any:
    """Turn one TOML table into the dataclass *cls*, checking keys and types."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.name != "site_path"}
    values: dict[str, Any] = {}
    for key, value in table.items():
        dotted = prefix + key
        if key not in known:
            raise ConfigError(_unknown_key_message(config_path, dotted, key, known))
        values[key] = _convert(hints[key], value, config_path, dotted)
    return cls(**values)


def _convert(hint: Any, value: Any, config_path: Path, key: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is PublishConfig and isinstance(value, dict):
        return _publish_config(value, config_path, key)
    if dataclasses.is_dataclass(hint):
        _expect(isinstance(value, dict), config_path, key, "a table", value)
        return _build(hint, value, config_path, key + ".")
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        _expect(isinstance(value, list), config_path, key, f"a list of {_type_name(item_hint)}", value)
        return [_convert(item_hint, item, config_path, key) for item in value]
    if origin is dict:
        _key_hint, item_hint = typing.get_args(hint)
        _expect(isinstance(value, dict), config_path, key, "a table", value)
        return {name: _convert(item_hint, item, config_path, f"{key}.{name}") for name, item in value.items()}
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, hint)
    _expect(ok, config_path, key, _type_name(hint), value)
    return value


def _publish_config(table: dict[str, Any], config_path: Path, key: str) -> PublishConfig:
    """``[publish]`` holds its own keys and, as sub-tables, one target per name."""
    targets = {name: value for name, value in table.items() if isinstance(value, dict)}
    settings = _build(PublishConfig, {k: v for k, v in table.items() if k not in targets}, config_path, key + ".")
    for name, target in targets.items():
        if "url" not in target:
            raise ConfigError(f"{config_path}: '{key}.{name}' needs a 'url' (where to publish)")
    converted = {name: _build(PublishTarget, value, config_path, f"{key}.{name}.") for name, value in targets.items()}
    return dataclasses.replace(settings, targets=converted)


def _expect(ok: bool, config_path: Path, key: str, expected: str, value: Any) -> None:
    if not ok:
        raise ConfigError(f"{config_path}: '{key}' must be {expected}, not {value!r}")


def _type_name(hint: Any) -> str:
    names = {str: "a string", int: "a whole number", bool: "true or false", float: "a number"}
    if isinstance(hint, type) and hint in names:
        return names[hint]
    return "a table" if dataclasses.is_dataclass(hint) else str(hint)


def _unknown_key_message(config_path: Path, dotted: str, key: str, known: set[str]) -> str:
    table = dotted[: -len(key) - 1]
    message = f"{config_path}: unknown key '{dotted}'" + (f" in table [{table}]" if table else "")
    guesses = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    top = _top_level_keys()
    top_guesses = difflib.get_close_matches(key, sorted(top), n=1, cutoff=0.6) if table else []
    if guesses:
        message += f"; did you mean '{dotted[: -len(key)]}{guesses[0]}'?"
    elif top_guesses:
        message += f"; did you mean '{top_guesses[0]}'? It belongs at the top of the file, before any [table]"
    else:
        message += f"; valid keys here: {', '.join(sorted(known))}"
    return message


def _top_level_keys() -> set[str]:
    """Keys written above any table: the plain settings of :class:`SiteConfig`."""
    hints = typing.get_type_hints(SiteConfig)
    return {name for name, hint in hints.items() if name != "site_path" and hint in (str, int)}


def _check_values(config: SiteConfig, config_path: Path) -> None:
    """Value rules that types alone do not express."""
    problems: list[str] = []
    if config.per_page < 1:
        problems.append("'per_page' must be at least 1")
    if config.base_url and not re.match(r"https?://[^/]+", config.base_url):
        problems.append("'base_url' must be empty or start with http:// or https://")
    try:
        _ = config.tzinfo  # resolving the zone is the check
    except (ZoneInfoNotFoundError, ValueError):
        guesses = difflib.get_close_matches(config.timezone, sorted(available_timezones()), n=1, cutoff=0.6)
        hint = f"did you mean {guesses[0]!r}?" if guesses else "e.g. 'Europe/London' or 'America/New_York'"
        problems.append(f"'timezone' {config.timezone!r} is not a known time zone; {hint}")
    problems.extend(_theme_problems(config))
    for key in ("permalink", "undated_permalink"):
        problems.extend(_permalink_problems(key, getattr(config, key)))
    for name in config.taxonomies:
        if name not in TAXONOMY_FIELDS:
            problems.append(_unknown_key_message(config_path, f"taxonomies.{name}", name, TAXONOMY_FIELDS))
    for name, folder in config.taxonomies.items():
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", folder):
            problems.append(f"'taxonomies.{name}' must be a simple folder name, not {folder!r}")
    problems.extend(_section_problems(config))
    problems.extend(check_rules(config.capture.boilerplate))
    if problems:
        raise ConfigError("\n".join(p if p.startswith(str(config_path)) else f"{config_path}: {p}" for p in problems))


def _theme_problems(config: SiteConfig) -> list[str]:
    """A theme that is neither built in nor a folder of the site's ``themes/``, with the names found there."""
    themes = config.site_path / "themes"
    if config.theme == "default" or (themes / config.theme).is_dir():
        return []
    found = sorted(p.name for p in themes.iterdir() if p.is_dir()) if themes.is_dir() else []
    guesses = difflib.get_close_matches(config.theme, ["default", *found], n=1, cutoff=0.6)
    hint = f" did you mean {guesses[0]!r}?" if guesses else ""
    listed = f"there: {', '.join(found)}" if found else "none there"
    return [f"'theme' {config.theme!r} not found in {themes} ({listed}; built in: default);{hint}".rstrip(";")]


def is_regex_rule(rule: str) -> bool:
    """``[capture] boilerplate`` rules written ``/like this/`` are regular expressions."""
    rule = rule.strip()
    return len(rule) > 2 and rule.startswith("/") and rule.endswith("/")


def check_rules(rules: list[str]) -> list[str]:
    problems = []
    for rule in rules:
        if is_regex_rule(rule):
            try:
                re.compile(rule.strip()[1:-1])
            except re.error as error:
                problems.append(f"'capture.boilerplate' rule {rule!r} is not a valid regular expression: {error}")
    return problems


def _permalink_problems(key: str, pattern: str) -> list[str]:
    problems = []
    fields = set(re.findall(r"{(\w*)}", pattern))
    if unknown := fields - PERMALINK_FIELDS:
        problems.append(f"'{key}' uses unknown field(s) {sorted(unknown)}; known: {sorted(PERMALINK_FIELDS)}")
    if "slug" not in fields:
        problems.append(f"'{key}' must contain {{slug}}")
    if (
        pattern.startswith("/")
        or ".." in pattern.split("/")
        or not (pattern.endswith("/") or pattern.endswith(".html"))
    ):
        problems.append(f"'{key}' must be a relative path ending in '/' or '.html', not {pattern!r}")
    return problems


def _section_problems(config: SiteConfig) -> list[str]:
    problems = []
    images, comments, feeds = config.images, config.comments, config.feeds
    if not images.widths or any(width < 16 for width in images.widths):
        problems.append("'images.widths' must list widths of at least 16 pixels")
    if bad := set(images.formats) - IMAGE_FORMATS:
        problems.append(f"'images.formats' has unknown format(s) {sorted(bad)}; known: {sorted(IMAGE_FORMATS)}")
    if not 1 <= images.quality <= 100:
        problems.append("'images.quality' must be between 1 and 100")
    if images.original not in ("capped", "full", "none"):
        problems.append(f'\'images.original\' must be "capped", "full" or "none", not {images.original!r}')
    if images.max_pixels < 1:
        problems.append("'images.max_pixels' must be positive")
    if comments.order not in ("oldest", "newest"):
        problems.append(f'\'comments.order\' must be "oldest" or "newest", not {comments.order!r}')
    if not 1 <= comments.max_depth <= 32:
        problems.append("'comments.max_depth' must be between 1 and 32")
    if comments.collapse_over < 1:
        problems.append("'comments.collapse_over' must be at least 1")
    limits = config.limits
    if min(limits.max_capture_bytes, limits.max_comments, limits.max_nesting, limits.max_terms) < 1:
        names = "'limits.max_capture_bytes', 'limits.max_comments', 'limits.max_nesting' and 'limits.max_terms'"
        problems.append(f"{names} must be positive")
    if config.pages.link_in not in ("footer", "nav", "none"):
        problems.append(f'\'pages.link_in\' must be "footer", "nav" or "none", not {config.pages.link_in!r}')
    if feeds.entries < 1:
        problems.append("'feeds.entries' must be at least 1")
    if config.cluster.timeout < 1:
        problems.append("'cluster.timeout' must be at least 1 (seconds)")
    return problems
