"""Saved web pages (wget, HTTrack, a web archive's responses) read into articles.

A page goes through four steps: decode its bytes whatever the declared
charset says; decide whether it is an article at all (mirrors are full of
tag, author, search and pagination listings); read metadata and comments
from the markup their publishing systems write; then find the main content
and turn it into Markdown for the same body reader every capture uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from generator.common.markup import summarize
from generator.common.urls import slugify
from generator.common.weburl import checked_url, join_url, split_url
from generator.model import Article, Comment, Diagnostic
from generator.readers.base import ReadContext, ReadResult, look_for
from generator.readers.comment_files import cap_comments
from generator.readers.dates import OUT_OF_RANGE
from generator.readers.html.body import clean_page, find_container, find_lead_image
from generator.readers.html.comments import CommentPage, read_page_comments, unread_comment_count
from generator.readers.html.decode import decode_page
from generator.readers.html.images import PageImages
from generator.readers.html.kind import listing_reason
from generator.readers.html.markdown import MarkdownWriter
from generator.readers.html.meta import PageMeta, read_date, read_page_meta
from generator.readers.markdown import read_body
from generator.readers.metadata import read_fields, read_sidecar, title_from_name
from generator.readers.text_file import read_capture_bytes

_PARSER = lxml_html.HTMLParser(huge_tree=True)  # no depth cap: a deep reply chain keeps every comment
_HTTRACK = re.compile(rb"<!-- Mirrored from (?P<url>\S+) by HTTrack Website Copier/[^,]*, (?P<date>[^>]+?) -->")


@dataclass(frozen=True)
class Page:
    """One saved page and what is known about where it came from."""

    data: bytes
    source: str
    base_dir: Path
    url: str = ""
    captured: datetime | None = None
    reader: str = "html"  # "warc" for a web archive's record: what inspect and merging see
    overrides: dict[str, Any] = field(default_factory=dict)  # the sidecar's metadata, which wins over the page's
    language: str = ""  # what the server said in Content-Language, if it was recorded


def read_html_capture(path: Path, context: ReadContext) -> ReadResult:
    source = context.relative(path)
    data, diagnostics = read_capture_bytes(path, source, context.limits.max_capture_bytes)
    if data is None:
        return ReadResult(None, diagnostics)
    looked_at: dict[str, str] = {}
    sidecar_path = path.with_suffix(".toml")
    look_for(sidecar_path, looked_at)
    sidecar, problems = read_sidecar(sidecar_path, context.relative(sidecar_path))
    diagnostics.extend(problems)
    captured = read_date(str(sidecar.get("captured") or context.defaults.get("captured") or ""), context.tz)
    url = mirror_url(path, context.content_path)
    result = read_page(Page(data, source, path.parent, url, captured, overrides=sidecar), context)
    result.diagnostics[:0] = diagnostics
    result.depends_on = {**looked_at, **result.depends_on}
    return result


def read_page(page: Page, context: ReadContext) -> ReadResult:
    """An article from one page's bytes; a listing or an unreadable page gives no article."""
    text, diagnostics = decode_page(page.data, page.source)
    if text is None:
        return ReadResult(None, diagnostics)
    if text.lstrip()[:400].lower().startswith("<?xml") and re.search(r"<(?:rss|feed|rdf:rdf)\b", text[:2000], re.I):
        return ReadResult(None, diagnostics, skipped="not an article: a feed")
    try:
        doc = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text), parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        return ReadResult(None, [*diagnostics, Diagnostic(page.source, f"not readable as HTML, skipped: {error}")])
    meta = read_page_meta(doc, context.tz)
    diagnostics += [Diagnostic(page.source, f"date {text!r} is {OUT_OF_RANGE}") for text in meta.dropped_dates]
    mirrored_from, mirrored_on = _httrack_header(page.data, context)
    captured = page.captured or mirrored_on
    url, problems = _page_address(meta, page, mirrored_from)
    diagnostics += problems
    if reason := listing_reason(doc, meta, url or page.source):
        return ReadResult(None, diagnostics, skipped=f"not an article: {reason}")
    images = PageImages(page.base_dir, context.content_path, _link_base(doc, url))
    writer = MarkdownWriter(images)
    comment_page = CommentPage(page.source, captured, context.tz, writer)
    found = read_page_comments(doc, comment_page)
    diagnostics += comment_page.diagnostics
    for post in found.replies:  # a forum thread's later posts are its comments, not part of its article
        if post.getparent() is not None:
            post.drop_tree()
    if unread := unread_comment_count(text, len(found.comments)):
        diagnostics.append(
            Diagnostic(page.source, f"{unread} comment(s) nested too deeply for the HTML parser; not read")
        )
    clean_page(doc)
    container = find_container(doc, text, meta.title, meta.authors, found.opening_body)
    if container is None:
        return ReadResult(None, [*diagnostics, Diagnostic(page.source, "no article text found on the page, skipped")])
    lead = find_lead_image(doc, container)
    markdown = writer.convert(container, lead)
    blocks, problems = read_body(markdown, page.base_dir, context, page.source, 0, images.looked_at)
    diagnostics += problems
    comments, over_limit = cap_comments(found.comments, context.limits.max_comments, page.source)
    values, problems = _fields(meta, captured, url, context, page, found.opening)
    diagnostics += problems
    values["summary"] = values.get("summary") or summarize(blocks)
    article = Article(
        source_path=page.source,
        reader=page.reader,
        blocks=tuple(blocks),
        comments=tuple(comments),
        comments_closed=found.closed or bool(values.pop("comments_closed", False)),
        comments_not_captured=found.not_captured or bool(values.pop("comments_not_captured", False)),
        **values,
    )
    return ReadResult(article, diagnostics + over_limit, body_markdown=markdown, depends_on=images.looked_at)


def _fields(
    meta: PageMeta, captured: datetime | None, url: str, context: ReadContext, page: Page, opening: Comment | None
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The article's metadata: the folder's defaults, overridden by what the page says, overridden by the sidecar.

    A forum thread's author is its opening post's (the page's microdata names every poster), and so is its date
    when the page gives none.
    """
    found: dict[str, Any] = {
        "title": meta.title,
        "published": meta.published or (opening.date if opening else None),
        "updated": meta.updated,
        "captured": captured,
        "authors": [opening.author] if opening and opening.author else meta.authors,
        "tags": meta.tags,
        "category": meta.category,
        "summary": meta.summary,
        "language": meta.language or page.language,
        "source_url": url,
    }
    page_says = {key: value for key, value in found.items() if value and key != "source_url"}
    fields = read_fields({**context.defaults, **page_says, **page.overrides}, page.source, context.tz)
    diagnostics = list(fields.diagnostics)
    values = fields.values
    if not values.get("title"):
        values["title"] = title_from_name(_slug_source(url, page.source))
        diagnostics.append(Diagnostic(page.source, f"no title found; using {values['title']!r}"))
    values["slug"] = slugify(values.get("slug") or _slug_source(url, page.source)) or slugify(values["title"])
    values["source_url"] = (values.get("source_url") if "source_url" in page.overrides else url) or None
    values["extra"] = fields.extra
    return values, diagnostics


def _page_address(meta: PageMeta, page: Page, mirrored_from: str) -> tuple[str, list[Diagnostic]]:
    """The page's own web address: its canonical one, else where it was fetched or mirrored from; "" for none.

    A hostile or broken address (``javascript:``, ``data:``, an unclosed IPv6 bracket) is dropped with a warning.
    """
    named = [
        ("canonical address (link rel=canonical, og:url or JSON-LD url)", meta.canonical),
        ("record's target address", page.url),
        ("address HTTrack mirrored it from", mirrored_from),
    ]
    diagnostics = []
    for what, value in named:
        url, problem = checked_url(value, page.source, what)
        if problem:
            diagnostics.append(problem)
        if url:
            return url, diagnostics
    return "", diagnostics


def _link_base(doc: lxml_html.HtmlElement, url: str) -> str:
    """What the page's relative links are relative to: its ``<base href>``, else its address."""
    base = next((b.get("href", "").strip() for b in doc.iter("base") if b.get("href")), "")
    joined = join_url(url, base) if base else url
    return joined if joined.startswith(("http://", "https://")) else url


def mirror_url(path: Path, content_path: Path) -> str:
    """The address a wget/HTTrack mirror saved *path* from, when its folders name a host."""
    try:
        parts = path.resolve().relative_to(content_path.resolve()).parts
    except ValueError:
        return ""
    for index, part in enumerate(parts[:-1]):
        if re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?", part, re.I):
            name, _, query = parts[-1].partition("?")
            name = "" if name in ("index.html", "index.htm") else name
            rest = "/".join([*parts[index + 1 : -1], name])
            query = "?" + query.removesuffix(".html").removesuffix(".htm") if query else ""
            return f"https://{part}/{rest}{query}"
    return ""


def _slug_source(url: str, source: str) -> str:
    """The page's own slug: the last path segment of its URL, else its file name."""
    path = getattr(split_url(url), "path", "")
    segments = [s for s in unquote(path).split("/") if s and s not in ("index.html", "amp", "print")]
    if segments:
        return re.sub(r"\.html?$", "", segments[-1])
    name = source.rsplit("/", 1)[-1].split("?")[0]
    return re.sub(r"\.html?$", "", name) if name not in ("index.html", "index.htm") else source.rsplit("/", 2)[-2]


def _httrack_header(data: bytes, context: ReadContext) -> tuple[str, datetime | None]:
    """Where and when HTTrack says it mirrored the page (its comment at the top), if it does."""
    match = _HTTRACK.search(data[:4096])
    if not match:
        return "", None
    url = match.group("url").decode("ascii", "replace")
    return url if url.startswith("http") else f"https://{url}", read_date(
        match.group("date").decode("ascii", "replace"), context.tz
    )
