"""Front-matter keys shared by every reader: types, dates and folder defaults.

Any reader that finds metadata (TOML front matter, a sidecar file, a page's
printed byline) hands it to :func:`read_fields`, which checks each key and
returns the values the :class:`~generator.model.Article` constructor takes.
Keys it does not know are kept untouched in ``extra``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.common.documents import load_document
from generator.common.i18n import bcp47
from generator.common.weburl import web_url
from generator.model import Diagnostic
from generator.readers.dates import OUT_OF_RANGE, DateOutOfRange, in_range

DEFAULTS_NAME = "_defaults.toml"
_STRING_KEYS = ("title", "category", "source", "summary", "slug", "cover")
_LIST_KEYS = ("authors", "tags", "aliases")
_DATE_KEYS = ("published", "updated", "captured")
KINDS = ("article", "page")  # ``kind``: a page is a standalone page, in no listing
# Names other generators give these keys (Hugo, Jekyll, Pelican) → backissue's own.
ALIASES = {"author": "authors", "description": "summary", "lastmod": "updated", "modified": "updated"}


@dataclass
class FieldReport:
    """What :func:`read_fields` accepted, and the warnings for what it did not."""

    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)


def own_names(meta: dict[str, Any]) -> dict[str, Any]:
    """*meta* with other generators' key names turned into backissue's own; an own key wins over its alias.

    ``categories`` (a list) gives ``category`` its first entry and stays in ``extra`` whole; Pelican's
    ``status = "draft"`` means ``draft = true``.
    """
    named = dict(meta)
    for alias, own in ALIASES.items():
        if alias in named and own not in meta:
            named[own] = named.pop(alias)
    categories = named.get("categories")
    if "category" not in named and isinstance(categories, list) and categories and isinstance(categories[0], str):
        named["category"] = categories[0]
    if "draft" not in named and named.get("status") in ("draft", "hidden"):
        named["draft"] = True
    return named


def read_fields(meta: dict[str, Any], source: str, tz: ZoneInfo, text: str = "", line_offset: int = 0) -> FieldReport:
    """Check metadata keys; *text* (the front matter) lets warnings name a line."""
    report = FieldReport()

    def warn(key: str, message: str) -> None:
        report.refused.add(key)
        report.diagnostics.append(Diagnostic(source, f"'{key}' {message}; ignored", key_line(text, key, line_offset)))

    for key, value in own_names(meta).items():
        if key in _STRING_KEYS:
            if isinstance(value, str):
                report.values[key] = value.strip()
            else:
                warn(key, f"must be a string, not {value!r}")
        elif key in _LIST_KEYS:
            items = [value] if isinstance(value, str) else value
            if isinstance(items, list) and all(isinstance(item, str) for item in items):
                report.values[key] = tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
            else:
                warn(key, f"must be a list of strings, not {value!r}")
        elif key in _DATE_KEYS or key == "date":
            try:
                parsed = parse_datetime(value, tz)
            except DateOutOfRange:
                warn(key, f"{str(value)!r} is {OUT_OF_RANGE.removesuffix('; dropped')}")
                continue
            if parsed is None:
                warn(key, f"is not a date or date-time: {value!r}")
            elif key != "date" or "published" not in meta:
                report.values["published" if key == "date" else key] = parsed
        elif key == "language":
            if isinstance(value, str) and bcp47(value):
                report.values[key] = bcp47(value)
            else:
                warn(key, f'is not a language tag such as "de" or "pt-BR": {value!r}')
        elif key == "source_url":
            if url := web_url(value):
                report.values[key] = url
            else:
                warn(key, f"must be an http(s) URL, not {value!r}")
        elif key == "kind":
            if value in KINDS:
                report.extra[key] = value
            else:
                warn(key, f"must be one of {', '.join(repr(kind) for kind in KINDS)}, not {value!r}")
        elif key in ("draft", "comments_closed", "comments_not_captured"):
            if isinstance(value, bool):
                report.values[key] = value
            else:
                warn(key, "must be true or false")
        else:
            report.extra[key] = value
    return report


def parse_datetime(value: Any, tz: ZoneInfo) -> datetime | None:
    """A TOML date/date-time or ISO 8601 string as an aware datetime in *tz*.

    Naive values are read in *tz*; aware ones are converted to it, so archive
    months and permalinks follow the site's time zone. A date that reads but
    cannot be held raises :class:`~generator.readers.dates.DateOutOfRange`.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    try:
        if isinstance(value, datetime):
            return in_range(value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz))
        if isinstance(value, date):
            return in_range(datetime.combine(value, time(0, 0), tzinfo=tz))
    except OverflowError as error:
        raise DateOutOfRange(OUT_OF_RANGE) from error
    return None


def key_line(text: str, key: str, line_offset: int) -> int | None:
    """The 1-based line of ``key =`` (TOML) or ``key:`` (YAML) in *text*, shifted by *line_offset*.

    A key renamed by :func:`own_names` is looked for under the names it may have been written with.
    """
    names = [key, *(alias for alias, own in ALIASES.items() if own == key)]
    names += ["categories"] if key == "category" else []
    pattern = "|".join(re.escape(name) for name in names)
    match = re.search(rf"^[ \t]*(?:{pattern})[ \t]*[=:]", text, re.MULTILINE)
    return line_offset + text.count("\n", 0, match.start()) + 1 if match else None


class FolderDefaults:
    """The ``_defaults.toml`` cascade: nearer folders win, lists are replaced."""

    def __init__(self, content_path: Path) -> None:
        self.content_path = content_path
        self.diagnostics: list[Diagnostic] = []
        self._merged: dict[Path, dict[str, Any]] = {}

    def for_folder(self, folder: Path) -> dict[str, Any]:
        if folder in self._merged:
            return self._merged[folder]
        if folder == self.content_path or self.content_path not in folder.parents:
            inherited: dict[str, Any] = {}
        else:
            inherited = self.for_folder(folder.parent)
        merged = {**inherited, **self._read(folder / DEFAULTS_NAME)}
        self._merged[folder] = merged
        return merged

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            relative = path.relative_to(self.content_path.parent).as_posix()
        except ValueError:  # a capture inspected where it lies, outside the site
            relative = path.as_posix()
        unreadable, invalid = "cannot read, folder defaults ignored", "invalid TOML, folder defaults ignored"
        values, problems = _read_toml(path, relative, "utf-8", unreadable, invalid)
        self.diagnostics.extend(problems)
        return values


def title_from_name(name: str) -> str:
    """A stand-in title from a file or URL name: ``harbour-wall_repairs`` → ``Harbour wall repairs``."""
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"


def read_sidecar(path: Path, source: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The TOML file beside a capture that corrects or adds its metadata; problems become warnings."""
    unreadable, invalid = "cannot read sidecar, ignored", "sidecar is not valid TOML, ignored"
    return _read_toml(path, source, "utf-8-sig", unreadable, invalid)


def is_regular_file(path: Path) -> bool:
    """Whether *path* is a regular file: never for a FIFO, a symlink loop or a name too long to exist."""
    try:
        return path.is_file()
    except OSError:
        return False


def _read_toml(
    path: Path, source: str, encoding: str, unreadable: str, invalid: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """An optional TOML file's keys that are usable; a bad value costs only its key (a warning with its line)."""
    if not is_regular_file(path):
        return {}, []
    try:
        text = path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as error:
        return {}, [Diagnostic(source, f"{unreadable}: {error}")]
    data, problems = load_document(text, source, 1, yaml_syntax=False, skipped=invalid)
    values, refused = usable_fields(data or {}, source, text, 0)
    return values, problems + refused


def usable_fields(
    meta: dict[str, Any], source: str, text: str, line_offset: int
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """*meta* without the keys :func:`read_fields` refuses, each refusal a warning naming this file and line.

    Checked where they are written, the keys of a sidecar or a folder's defaults are then merged clean.
    """
    fields = read_fields(meta, source, ZoneInfo("UTC"), text, line_offset)
    return {key: value for key, value in own_names(meta).items() if key not in fields.refused}, fields.diagnostics
