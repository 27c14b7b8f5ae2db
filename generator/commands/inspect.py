"""``backissue inspect``: what a reader extracted from a capture, and what it dropped."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from generator.common.config import SiteConfig
from generator.model import Article, ThreadNode
from generator.readers.base import ReadResult
from generator.readers.scan import ContextFactory, read_one
from generator.site.comments import thread

BLOCK_TYPES = {"heading": "heading", "list": "list", "quote": "quote", "figure": "figure", "table": "table"}
MAX_DEPTH = 32


def inspect_file(path: Path, config: SiteConfig) -> dict[str, Any]:
    """The report for one capture, with exactly the keys documented for ``--json``."""
    return inspect_captures(path, config)[0]


def inspect_captures(path: Path, config: SiteConfig) -> list[dict[str, Any]]:
    """One report per capture in the file: a web archive holds many. A capture its reader failed on has "error"."""
    result = read_one(path, ContextFactory(config).for_file(path))
    return [report(path, each, config) for each in (result, *result.more)]


def report(path: Path, result: ReadResult, config: SiteConfig) -> dict[str, Any]:
    article = result.article
    try:
        source = path.resolve().relative_to(config.site_path.resolve()).as_posix()
    except ValueError:
        source = path.as_posix()
    data: dict[str, Any] = {
        "source": article.source_path if article else source,
        "reader": article.reader if article else None,
        "title": article.title if article else None,
        "published": iso(article.published) if article else None,
        "captured": iso(article.captured) if article else None,
        "authors": list(article.authors) if article else [],
        "tags": list(article.tags) if article else [],
        "source_url": article.source_url if article else None,
        "language": (article.language or None) if article else None,
        "blocks": _blocks(article) if article else [],
        "comments": _comments(article) if article else [],
        "comments_not_captured": article.comments_not_captured if article else False,
        "skipped": result.skipped or None,
        "dropped": [{"line": d.line, "text": d.text, "reason": d.reason} for d in result.dropped],
        "warnings": [str(d) for d in result.diagnostics],
        "error": result.error or None,
    }
    return data


def iso(value: datetime | None) -> str | None:
    """ISO 8601; a date alone when there is no time of day; UTC as Z."""
    if value is None:
        return None
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _blocks(article: Article) -> list[dict[str, Any]]:
    blocks = []
    for block in article.blocks:
        if block.kind == "rule":
            continue
        image = block.image
        blocks.append(
            {
                "type": BLOCK_TYPES.get(block.kind, "paragraph"),
                "text": block.text,
                "alt": image.alt if image else None,
                "caption": " ".join(part for part in (image.caption, image.credit) if part) if image else None,
                "src": (image.src or None) if image else None,
            }
        )
    return blocks


def _comments(article: Article) -> list[dict[str, Any]]:
    roots, _ = thread(article.comments, "oldest", MAX_DEPTH)
    return [_comment(node) for node in roots]


def _comment(node: ThreadNode) -> dict[str, Any]:
    comment = node.comment
    return {
        "id": comment.id,
        "author": comment.author,
        "date": iso(comment.date),
        "date_approximate": comment.date_approximate,
        "text": comment.text,
        "replies": [_comment(reply) for reply in node.replies],
    }


def as_text(item: dict[str, Any]) -> str:
    """A report for people: what was found, then every dropped line with its reason."""
    if item["skipped"] or item["error"]:
        why = item["skipped"] or item["error"]
        return "\n".join([f"{item['source']}", f"  skipped:    {why}", *_warning_lines(item)])
    lines = [f"{item['source']}  ({item['reader']} reader)", f"  title:      {item['title']}"]
    for key in ("published", "captured", "source_url"):
        if item[key]:
            lines.append(f"  {key + ':':11} {item[key]}")
    for key in ("authors", "tags"):
        if item[key]:
            lines.append(f"  {key + ':':11} {', '.join(item[key])}")
    lines.append(f"  blocks:     {len(item['blocks'])}")
    for block in item["blocks"]:
        detail = block["alt"] or block["caption"] or "" if block["type"] == "figure" else block["text"]
        lines.append(f"    {block['type']:9} {_short(detail)}")
    count = _count(item["comments"])
    lines.append(f"  comments:   {count} in {len(item['comments'])} thread(s)")
    if item["comments_not_captured"]:
        lines[-1] += " (the page loaded its comments by script: not captured)"
    lines.extend(_comment_lines(item["comments"], 4))
    lines.append(f"  dropped:    {len(item['dropped'])} line(s)")
    for dropped in item["dropped"]:
        lines.append(f"    {dropped['line']:>5}  {dropped['reason']:22} {_short(dropped['text'])}")
    return "\n".join(lines + _warning_lines(item))


def _warning_lines(item: dict[str, Any]) -> list[str]:
    return [f"  warning: {warning}" for warning in item["warnings"]]


def _comment_lines(comments: list[dict[str, Any]], indent: int) -> list[str]:
    lines = []
    for comment in comments:
        who = comment["author"] or "Anonymous"
        when = f" ({comment['date']})" if comment["date"] else ""
        lines.append(f"{' ' * indent}- {who}{when}: {_short(comment['text'])}")
        lines.extend(_comment_lines(comment["replies"], indent + 2))
    return lines


def _count(comments: list[dict[str, Any]]) -> int:
    return sum(1 + _count(c["replies"]) for c in comments)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
