"""Native articles: Markdown with ``+++`` TOML or ``---`` YAML front matter, as page bundles or single files."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from markdown_it.token import Token

from generator.common.documents import load_document
from generator.common.markup import (
    IMAGE_PLACEHOLDER_SCHEME,
    MarkdownChunk,
    body_parser,
    demote_headings,
    needs_sanitizing,
    nesting_depth,
    sanitize,
    split_blocks,
    summarize,
)
from generator.common.urls import slugify
from generator.model import Article, Block, Diagnostic, ImageRef
from generator.readers.base import ReadContext, ReadResult, look_for
from generator.readers.comment_files import cap_comments, read_comments_file
from generator.readers.images import resolve_image
from generator.readers.metadata import own_names, read_fields, title_from_name
from generator.readers.text_file import read_text_file

_FRONT_MATTER = re.compile(
    r"\A(?P<fence>\+\+\+|---)[ \t]*\n(?P<front>.*?)^(?P=fence)[ \t]*(?:\n|\Z)", re.DOTALL | re.MULTILINE
)


def read_markdown(path: Path, context: ReadContext) -> ReadResult:
    source = context.relative(path)
    text, diagnostics = read_text_file(path, source, context.limits.max_capture_bytes)
    if text is None:
        return ReadResult(None, diagnostics)
    match = _FRONT_MATTER.match(text)
    front, body = (match.group("front"), text[match.end() :]) if match else ("", text)
    body_line = front.count("\n") + 2 if match else 0
    if not match:
        diagnostics.append(Diagnostic(source, "no +++ or --- front matter; title taken from the file name", 1))
    yaml_syntax = bool(match) and match.group("fence") == "---"
    meta, problems = load_document(front, source, 2, yaml_syntax, "article skipped")
    diagnostics.extend(problems)
    if meta is None:
        return ReadResult(None, diagnostics)

    fields = read_fields({**context.defaults, **own_names(meta)}, source, context.tz, front, line_offset=1)
    diagnostics.extend(fields.diagnostics)
    values = fields.values
    is_bundle = path.name == "index.md"
    name = path.parent.name if is_bundle else path.stem
    if not values.get("title"):
        values["title"] = title_from_name(name)
        diagnostics.append(Diagnostic(source, f"no title; using {values['title']!r}", 1))
    values["slug"] = slugify(values.get("slug") or name) or slugify(values["title"])

    looked_at: dict[str, str] = {}
    blocks, problems = read_body(body, path.parent, context, source, body_line, looked_at)
    diagnostics += problems
    cover = None
    if cover_src := values.pop("cover", None):
        cover, problem = resolve_image(cover_src, "", "", path.parent, context.content_path, source, None, looked_at)
        diagnostics.extend([problem] if problem else [])
    comments_path = path.parent / "comments.toml" if is_bundle else path.with_name(f"{path.stem}.comments.toml")
    look_for(comments_path, looked_at)
    comments_source = context.relative(comments_path)
    comments, comment_diagnostics = read_comments_file(comments_path, comments_source, context.tz)
    comments, over_limit = cap_comments(comments, context.limits.max_comments, comments_source)
    diagnostics.extend(comment_diagnostics + over_limit)
    values["summary"] = values.get("summary") or summarize(blocks)
    article = Article(
        source_path=source,
        reader="markdown",
        blocks=tuple(blocks),
        cover=cover,
        comments=tuple(comments),
        extra=fields.extra,
        **values,
    )
    return ReadResult(article, diagnostics, depends_on=looked_at)


def read_body(
    body: str,
    base_dir: Path,
    context: ReadContext,
    source: str,
    line_offset: int,
    looked_at: dict[str, str],
) -> tuple[list[Block], list[Diagnostic]]:
    """Markdown *body* as blocks; images resolve relative to *base_dir*, each file tried noted in *looked_at*."""
    parser = body_parser()
    env: dict = {}
    tokens = parser.parse(body, env)
    demote_headings(tokens)
    blocks, diagnostics = [], []
    for chunk in split_blocks(tokens):
        line = chunk.line + line_offset if chunk.line else None

        def locate(token: Token, line: int | None = line) -> ImageRef:
            ref, problem = _image_ref(token, line, base_dir, context, source, looked_at)
            diagnostics.extend([problem] if problem else [])
            return ref

        if (image := chunk.lone_image) is not None:
            blocks.append(Block("figure", text=image.content, image=locate(image)))
            continue
        inline_images = _replace_inline_images(chunk, locate)
        html = parser.renderer.render(chunk.tokens, parser.options, env)
        if needs_sanitizing(chunk.tokens):
            html, problems = _safe_html(html, context, source, line)
            diagnostics.extend(problems)
        if html.strip():
            blocks.append(Block(chunk.kind, html=html, text=chunk.text, inline_images=inline_images))
    return blocks, diagnostics


def _image_ref(
    token: Token,
    line: int | None,
    base_dir: Path,
    context: ReadContext,
    source: str,
    looked_at: dict[str, str],
) -> tuple[ImageRef, Diagnostic | None]:
    """The reference an image token makes, resolved, and the warning when it cannot be."""
    src, title = str(token.attrs.get("src", "")), str(token.attrs.get("title") or "")
    return resolve_image(src, token.content, title, base_dir, context.content_path, source, line, looked_at)


def _safe_html(html: str, context: ReadContext, source: str, line: int | None) -> tuple[str, list[Diagnostic]]:
    """Sanitized HTML; markup nested past ``[limits] max_nesting`` is shown as text instead."""
    limit = context.limits.max_nesting
    if nesting_depth(html) > limit:
        message = f"limit max_nesting: markup nested deeper than {limit} levels, shown as text"
        return sanitize(f"<p>{escape(html)}</p>"), [Diagnostic(source, message, line)]
    return sanitize(html), []


def _replace_inline_images(chunk: MarkdownChunk, locate: Callable[[Token], ImageRef]) -> tuple[ImageRef, ...]:
    """Point inline images at placeholders the renderer fills with published URLs."""
    found = []
    for token in chunk.tokens:
        for child in token.children or []:
            if child.type == "image":
                found.append(locate(child))
                child.attrs["src"] = f"{IMAGE_PLACEHOLDER_SCHEME}:{len(found) - 1}"
    return tuple(found)
