"""Text captures: a page's visible text as a mirror saved it, turned into an article.

The capture is read line by line, in three regions: the body, the comment
section (wpDiscuz or WordPress default) and whatever follows it. Every line
ends up in the article, in its metadata, or in ``dropped`` with a reason —
none disappears unaccounted for (``backissue inspect`` lists them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.common.markup import escape_markdown, markdown_figure, summarize
from generator.common.urls import slugify
from generator.model import Article, Comment, Diagnostic, Dropped
from generator.readers.base import ReadContext, ReadResult, look_for
from generator.readers.boilerplate import Boilerplate
from generator.readers.comment_files import cap_comments
from generator.readers.dates import find_date
from generator.readers.markdown import read_body
from generator.readers.metadata import read_fields, read_sidecar, title_from_name
from generator.readers.text_comments import Paragraph, read_wordpress, read_wpdiscuz
from generator.readers.text_file import read_text_file

_CREDIT_LINE = re.compile(r"^(?:.{3,300}?[.!?]\s+)?(?:Photo|Photograph|Image|Picture|Credit)s?:\s*\S.{0,80}$")
_POSTED = re.compile(r"^(?:Posted|Published)(?: on)?\s+(?P<date>.+?)(?:\s+by\s+(?P<author>.+))?$", re.I)
_BYLINE = re.compile(r"^By\s+(?P<author>[A-Z][\w'’.-]*(?:\s+(?:and\s+)?[A-Z][\w'’.-]*){0,5})$")
_LABELLED = re.compile(r"^(?P<label>Categor(?:y|ies)|Tags?|Filed under|Updated|Published):\s*(?P<value>.+)$", re.I)
_HEADLINE_MAX_WORDS = 25
_CLOSED = re.compile(r"^comments are closed\.?$", re.I)


@dataclass
class Item:
    """A piece of the body in reading order: a paragraph, list or figure."""

    kind: str
    text: str
    line: int
    alt: str = ""
    caption: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class Capture:
    """What has been found so far in one capture."""

    source: str
    items: list[Item] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def drop(self, line: int, text: str, reason: str) -> None:
        self.dropped.append(Dropped(line, text, reason))


def read_text_capture(path: Path, context: ReadContext) -> ReadResult:
    source = context.relative(path)
    text, diagnostics = read_text_file(path, source, context.limits.max_capture_bytes)
    if text is None:
        return ReadResult(None, diagnostics)
    capture = Capture(source, diagnostics=diagnostics)
    boilerplate = context.boilerplate
    paragraphs = split_paragraphs(text)
    body, comment_section, trailer = _split_regions(paragraphs, boilerplate)
    for paragraph in body:
        _read_body_paragraph(capture, paragraph, boilerplate, context)
    comments, closed = _read_comments(capture, comment_section, boilerplate, context)
    comments, over_limit = cap_comments(comments, context.limits.max_comments, source)
    capture.diagnostics.extend(over_limit)
    for paragraph in trailer:
        for offset, line in enumerate(paragraph.lines):
            capture.drop(paragraph.first_line + offset, line, boilerplate.line_reason(line) or "after the comments")
    title = _take_title(capture, path)
    looked_at: dict[str, str] = {}
    sidecar_path = path.with_suffix(".toml")
    look_for(sidecar_path, looked_at)
    sidecar, problems = read_sidecar(sidecar_path, context.relative(sidecar_path))
    capture.diagnostics.extend(problems)
    fields = read_fields({**context.defaults, **capture.meta, **sidecar}, source, context.tz)
    capture.diagnostics.extend(fields.diagnostics)
    values = fields.values
    values["title"] = values.get("title") or title
    values["slug"] = slugify(values.get("slug") or values["title"]) or slugify(path.stem)  # file names say little
    values.pop("cover", None)
    markdown = body_markdown(capture.items)
    blocks, problems = read_body(markdown, path.parent, context, source, 0, looked_at)
    capture.diagnostics.extend(problems)
    values["summary"] = values.get("summary") or summarize(blocks)
    article = Article(
        source_path=source,
        reader="text",
        blocks=tuple(blocks),
        comments=tuple(comments),
        comments_closed=closed or bool(values.pop("comments_closed", False)),
        extra=fields.extra,
        **values,
    )
    dropped = sorted(capture.dropped, key=lambda d: d.line)
    return ReadResult(article, capture.diagnostics, dropped, markdown, depends_on=looked_at)


def split_paragraphs(text: str) -> list[Paragraph]:
    """Runs of non-blank lines, numbered from 1, with the count of blank lines before each."""
    paragraphs: list[Paragraph] = []
    blanks = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.replace("\u00a0", " ").replace("\u200b", "").rstrip()
        if not line.strip():
            blanks += 1
            continue
        if paragraphs and blanks == 0:
            paragraphs[-1].lines.append(line.strip())
        else:
            paragraphs.append(Paragraph(number, [line.strip()], blanks))
        blanks = 0
    return paragraphs


def _split_regions(paragraphs: list[Paragraph], boilerplate: Boilerplate):
    """Body, comment section (kind, paragraphs, header) and what follows the comments."""
    table = boilerplate.table
    count_header = re.compile(table.comment_count, re.I)
    for index, paragraph in enumerate(paragraphs):
        for offset, line in enumerate(paragraph.lines):
            folded = line.casefold()
            if folded in table.comment_openers or (match := count_header.fullmatch(line)):
                kind = "wpdiscuz" if folded in table.comment_openers else "wordpress"
                head = Paragraph(paragraph.first_line, paragraph.lines[:offset], paragraph.blank_before)
                rest = Paragraph(paragraph.first_line + offset, paragraph.lines[offset:], paragraph.blank_before)
                body = paragraphs[:index] + ([head] if head.lines else [])
                section, trailer = _until_end(kind, [rest] + paragraphs[index + 1 :], table)
                announced = None if kind == "wpdiscuz" else int(match.group("count") or 1)
                return body, (kind, section, announced), trailer
    return paragraphs, None, []


def _until_end(kind: str, paragraphs: list[Paragraph], table) -> tuple[list[Paragraph], list[Paragraph]]:
    closers = table.comment_closers if kind == "wpdiscuz" else table.comment_form
    for index, paragraph in enumerate(paragraphs):
        for offset, line in enumerate(paragraph.lines):
            if line.casefold() in closers:
                end = offset + 1 if kind == "wpdiscuz" else offset
                inside = Paragraph(paragraph.first_line, paragraph.lines[:end], paragraph.blank_before)
                after = Paragraph(paragraph.first_line + end, paragraph.lines[end:], 0)
                return paragraphs[:index] + [inside], ([after] if after.lines else []) + paragraphs[index + 1 :]
    return paragraphs, []


def _read_comments(
    capture: Capture, section, boilerplate: Boilerplate, context: ReadContext
) -> tuple[list[Comment], bool]:
    if section is None:
        return [], False
    kind, paragraphs, announced = section
    if kind == "wpdiscuz":
        found = read_wpdiscuz(paragraphs, capture.source, boilerplate)
    else:
        header = paragraphs[0]
        capture.drop(header.first_line, header.lines[0], "comment count (checked)")
        rest = [Paragraph(header.first_line + 1, header.lines[1:], 0)] if len(header.lines) > 1 else []
        found = read_wordpress(
            rest + paragraphs[1:], capture.source, boilerplate, context.tz, announced, header.first_line
        )
    capture.dropped.extend(found.dropped)
    capture.diagnostics.extend(found.diagnostics)
    return found.comments, found.closed


def _read_body_paragraph(
    capture: Capture, paragraph: Paragraph, boilerplate: Boilerplate, context: ReadContext
) -> None:
    block_reason = boilerplate.block_reason(paragraph.lines)
    if block_reason:
        for offset, line in enumerate(paragraph.lines):
            capture.drop(paragraph.first_line + offset, line, block_reason)
        return
    kept: list[tuple[int, str]] = []
    for offset, line in enumerate(paragraph.lines):
        number = paragraph.first_line + offset
        if _read_line(capture, number, line, boilerplate, context):
            kept.append((number, line))
    if len(kept) >= 2 and all(len(line) <= 100 and not line.endswith((".", "!", "?", ":")) for _n, line in kept):
        capture.items.append(
            Item("list", "\n".join(line for _n, line in kept), kept[0][0], lines=[line for _n, line in kept])
        )
    else:
        capture.items.extend(Item("paragraph", line, number) for number, line in kept)


def _read_line(capture: Capture, number: int, line: str, boilerplate: Boilerplate, context: ReadContext) -> bool:
    """Handle one body line; True when it is a paragraph of the article."""
    if line.casefold() in context.image_markers:
        previous = capture.items[-1] if capture.items and capture.items[-1].kind == "paragraph" else None
        alt = capture.items.pop().text if previous else ""
        capture.items.append(Item("figure", alt, number, alt=alt))
        capture.drop(number, line, "image marker")
        return False
    if _CLOSED.match(line):
        capture.meta["comments_closed"] = True
        capture.drop(number, line, "comments closed")
        return False
    if _read_metadata(capture, line, context):
        capture.drop(number, line, "metadata")
        return False
    reason = boilerplate.line_reason(line)
    if reason:
        capture.drop(number, line, reason)
        return False
    if _CREDIT_LINE.match(line):
        capture.items.append(Item("figure", "", number, caption=line))
        return False
    return True


def _read_metadata(capture: Capture, line: str, context: ReadContext) -> bool:
    meta = capture.meta
    if match := _POSTED.match(line):
        date = find_date(match.group("date"), context.tz)
        if date is None:
            return False
        meta.setdefault("published", date)
        if match.group("author"):
            meta.setdefault("authors", _names(match.group("author")))
        return True
    if match := _BYLINE.match(line):
        meta.setdefault("authors", _names(match.group("author")))
        return True
    if match := _LABELLED.match(line):
        label, value = match.group("label").casefold(), match.group("value")
        if label.startswith(("categor", "filed")):
            meta.setdefault("category", value.split(",")[0].strip())
        elif label.startswith("tag"):
            meta.setdefault("tags", [tag.strip() for tag in value.split(",") if tag.strip()])
        else:
            date = find_date(value, context.tz)
            if date is None:
                return False
            meta.setdefault("updated" if label == "updated" else "published", date)
        return True
    return False


def _names(text: str) -> list[str]:
    return [name.strip() for name in re.split(r",\s*|\s+and\s+", text) if name.strip()]


def _take_title(capture: Capture, path: Path) -> str:
    """The headline: preferably the paragraph the page repeats as image alt text."""
    alts = {item.alt for item in capture.items if item.kind == "figure" and item.alt}
    paragraphs = [item for item in capture.items if item.kind == "paragraph"]
    title_item = next((item for item in paragraphs if item.text in alts), None)
    if title_item is None:
        title_item = next((item for item in paragraphs if _looks_like_headline(item.text)), None)
    if title_item is None:
        title = title_from_name(path.stem)
        capture.diagnostics.append(Diagnostic(capture.source, f"no recognisable title; using {title!r}"))
        return title
    for item in list(paragraphs):
        if item.text == title_item.text:
            capture.items.remove(item)
            capture.drop(item.line, item.text, "title" if item is title_item else "title repeated")
    return title_item.text


def _looks_like_headline(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= _HEADLINE_MAX_WORDS and not text.endswith((".", ":", ";", ","))


def body_markdown(items: list[Item]) -> str:
    """The body as Markdown: what the page builds from, and what ``import`` writes."""
    parts = []
    for item in items:
        if item.kind == "figure":
            parts.append(markdown_figure(item.alt, item.caption))
        elif item.kind == "list":
            parts.append("\n".join(f"- {escape_markdown(line)}" for line in item.lines))
        else:
            parts.append(escape_markdown(item.text))
    return "\n\n".join(parts) + "\n"
