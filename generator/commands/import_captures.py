"""``backissue import``: captures written out as native page bundles, for curating by hand.

Each bundle (``index.md`` with TOML front matter, ``comments.toml``) builds
to the same article page as the capture it came from. Duplicate captures of
one article are merged first, exactly as a build merges them, into one bundle.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import tomli_w

from generator.common.config import SiteConfig
from generator.common.markup import summarize
from generator.common.weburl import page_key
from generator.model import Article, Comment, Diagnostic
from generator.readers.scan import ContextFactory, capture_files, read_one
from generator.site.merge import collapse_duplicates
from generator.store.targets import IMPORT, check_target

_IMAGE_TARGET = re.compile(r"(?P<head>!\[(?:[^\]\\]|\\.)*\]\()(?P<target>[^\s)]+)")


@dataclass
class ImportReport:
    written: list[tuple[str, Path]] = field(default_factory=list)
    merged: list[tuple[str, Path]] = field(default_factory=list)  # a duplicate capture, and the bundle it went into
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def import_captures(sources: list[Path], config: SiteConfig, to_path: Path) -> ImportReport:
    """Write each capture under *sources* as a bundle in *to_path*, beside (never over) what is there.

    Raises :class:`~generator.targets.TargetRefused` before writing anything when *to_path* is not allowed.
    """
    check_target(to_path, config.site_path, IMPORT)
    report = ImportReport()
    contexts = ContextFactory(config)
    used: set[str] = {p.name for p in to_path.iterdir()} if to_path.is_dir() else set()
    captures: list[tuple[Article, str]] = []
    for path in capture_files(sources, config.content.ignore):
        read = read_one(path, contexts.for_file(path))
        for result in (read, *read.more):
            report.diagnostics.extend(result.diagnostics)
            source = result.article.source_path if result.article else str(path)
            if result.article is None or result.body_markdown is None:
                reason = result.skipped or ("unreadable" if result.article is None else "already a native article")
                report.skipped.append(f"{source}: {reason}")
                continue
            captures.append((result.article, result.body_markdown))
    order = {article.source_path: number for number, (article, _body) in enumerate(captures)}
    bodies = {article.source_path: body for article, body in captures}
    articles, _merged = collapse_duplicates([article for article, _body in captures])
    bundles: dict[str | None, Path] = {}
    for article in sorted(articles, key=lambda a: order[a.source_path]):  # a merged article keeps its primary's path
        bundle = to_path / _free_name(article.slug, used)
        _write_bundle(bundle, article, bodies[article.source_path])
        report.written.append((article.source_path, bundle))
        bundles[page_key(article.source_url)] = bundle
    kept = {article.source_path for article in articles}
    for duplicate, _body in captures:
        if duplicate.source_path not in kept:
            report.merged.append((duplicate.source_path, bundles[page_key(duplicate.source_url)]))
    return report


def _write_bundle(bundle: Path, article: Article, body: str) -> None:
    """``index.md``, ``comments.toml`` and the capture's local images, copied in beside them."""
    bundle.mkdir(parents=True, exist_ok=True)
    body = _copy_images(article, body, bundle)
    (bundle / "index.md").write_text(_index_md(article, body, bundle.name), encoding="utf-8")
    if article.comments:
        data = {"comments": [_comment_table(c) for c in article.comments]}
        (bundle / "comments.toml").write_text(tomli_w.dumps(data), encoding="utf-8")


def _copy_images(article: Article, body: str, bundle: Path) -> str:
    """Copy images the capture found elsewhere (a mirror's uploads folder) and point the body at the copies."""
    local = {unquote(ref.src): ref.path for ref in article.images if ref.path is not None}
    names: dict[Path, str] = {}

    def relink(match: re.Match[str]) -> str:
        source = local.get(unquote(match.group("target")))
        if source is None or source.parent == bundle:
            return match.group(0)
        if source not in names:
            names[source] = _free_name(source.name.replace("?", "-"), {p.name for p in bundle.iterdir()})
            shutil.copyfile(source, bundle / names[source])
        return f"{match.group('head')}{quote(names[source])}"

    return _IMAGE_TARGET.sub(relink, body)


def _free_name(slug: str, used: set[str]) -> str:
    name, number = slug, 2
    while name in used:
        name, number = f"{slug}-{number}", number + 1
    used.add(name)
    return name


def _index_md(article: Article, body: str, folder_name: str) -> str:
    front: dict[str, Any] = {"title": article.title}
    for key, value in (("date", article.published), ("updated", article.updated), ("captured", article.captured)):
        if value is not None:
            front[key] = _toml_date(value)
    for key in ("authors", "tags"):
        if getattr(article, key):
            front[key] = list(getattr(article, key))
    for key in ("category", "source", "source_url", "language"):
        if getattr(article, key):
            front[key] = getattr(article, key)
    if article.summary and article.summary != summarize(article.blocks):
        front["summary"] = article.summary
    if article.slug != folder_name:
        front["slug"] = article.slug
    for flag in ("comments_closed", "comments_not_captured"):
        if getattr(article, flag):
            front[flag] = True
    front.update({key: value for key, value in article.extra.items() if key not in front})
    return f"+++\n{tomli_w.dumps(front)}+++\n{body}"


def _comment_table(comment: Comment) -> dict[str, Any]:
    table: dict[str, Any] = {"id": comment.id}
    if comment.parent is not None:
        table["parent"] = comment.parent
    if comment.author:
        table["author"] = comment.author
    if comment.date is not None:
        table["date"] = comment.date
        if comment.date_approximate:
            table["date_approximate"] = True
    if comment.url:
        table["url"] = comment.url
    if comment.language:
        table["language"] = comment.language
    table["body"] = comment.text
    return table


def _toml_date(value: datetime) -> date | datetime:
    """A date alone when the capture gave no time of day (as it was read)."""
    return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
