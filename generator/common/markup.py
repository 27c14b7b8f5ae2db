"""Markdown to sanitized HTML blocks, shared by article bodies and comments.

Article bodies use CommonMark plus tables, strikethrough and footnotes; raw
HTML is allowed there but every block goes through one nh3 allowlist, so no
script, event handler, style or ``javascript:`` URL can reach a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from generator.model import Block

# Inline images are written with this scheme and the image's index in the
# article; the renderer swaps in the published image's URL (see render.py).
IMAGE_PLACEHOLDER_SCHEME = "backissue-image"

_ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"center", "map", "area", "tt", "acronym", "strike"}) | {"section"}
_ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "hreflang", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "time": {"datetime"},
}
_ALLOWED_CLASSES = {
    "a": {"footnote-backref"},
    "li": {"footnote-item"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "hr": {"footnotes-sep"},
}
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+(:\d+)?")
_URL_SCHEMES = {"http", "https", "mailto", IMAGE_PLACEHOLDER_SCHEME}


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src":
        # Only images the pipeline resolved and published: a raw <img> pointing
        # anywhere else would load from another host (a tracking pixel) or 404.
        return value if value.startswith(IMAGE_PLACEHOLDER_SCHEME + ":") else None
    if name == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    if name == "style":  # markdown-it aligns table cells with a style attribute
        return value if value in ("text-align:left", "text-align:center", "text-align:right") else None
    return value


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NEEDS_SANITIZING = {"html_block", "html_inline", "link_open", "image", "footnote_ref", "footnote_block_open"}


def nesting_depth(html: str) -> int:
    """How deeply the tags of *html* nest (an estimate, in one pass; unclosed tags count)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def needs_sanitizing(tokens: Sequence[Token]) -> bool:
    """Raw HTML, links and images need the sanitizer; markdown-it escapes everything else itself."""
    return any(
        t.type in _NEEDS_SANITIZING or any(c.type in _NEEDS_SANITIZING for c in t.children or []) for t in tokens
    )


def sanitize(html: str, link_rel: str = "noopener") -> str:
    """Clean *html* through the project's one allowlist."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        attribute_filter=_keep_attribute,
        url_schemes=_URL_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
    )


@cache
def body_parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
    )


@cache
def comment_parser() -> MarkdownIt:
    """Comments: Markdown without raw HTML, bare URLs linked."""
    return MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["strikethrough", "linkify"])


@dataclass(frozen=True)
class MarkdownChunk:
    """The tokens of one top-level block, with what the body reader needs."""

    kind: str
    tokens: list[Token]
    line: int | None

    @property
    def text(self) -> str:
        return plain_text(self.tokens)

    @property
    def lone_image(self) -> Token | None:
        """The image token when this paragraph holds one image and nothing else."""
        if self.kind != "paragraph":
            return None
        children = [c for c in self.tokens[1].children or [] if not _is_blank(c)]
        images = [c for c in children if c.type == "image"]
        links = {c.type for c in children} - {"image"}
        if len(images) == 1 and links <= {"link_open", "link_close"}:
            return images[0]
        return None


_KINDS = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "table_open": "table",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
    "hr": "rule",
    "footnote_block_open": "footnotes",
}


def split_blocks(tokens: Sequence[Token]) -> Iterator[MarkdownChunk]:
    """Group a token stream into its top-level blocks."""
    start = 0
    depth = 0
    for index, token in enumerate(tokens):
        depth += token.nesting
        if depth == 0:
            first = tokens[start]
            kind = _KINDS.get(first.type, "html")
            line = first.map[0] + 1 if first.map else None
            yield MarkdownChunk(kind, list(tokens[start : index + 1]), line)
            start = index + 1


def demote_headings(tokens: Sequence[Token]) -> None:
    """Shift body headings down a level when the body uses h1 (the page title is h1)."""
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if any(t.tag == "h1" for t in headings):
        for token in headings:
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def plain_text(tokens: Sequence[Token]) -> str:
    """The visible text of *tokens*, paragraphs separated by blank lines."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content.rstrip("\n"))
    return "\n\n".join(part for part in parts if part)


def _inline_text(children: Sequence[Token]) -> str:
    out = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out).strip()


def _is_blank(token: Token) -> bool:
    return token.type in ("softbreak", "hardbreak") or (token.type == "text" and not token.content.strip())


# Whatever comment_parser() or the sanitizer could treat specially in a comment (conservatively: more than needed).
# Without any of it a comment is plain paragraphs, written directly instead of parsed (most comments are).
_MAYBE_SYNTAX = re.compile(
    r"[*_\[\]<>`~\\&#|@]"  # emphasis, links, images, code, strikethrough, escapes, entities, e-mail addresses
    r"|(?:https?|ftp|mailto):|//|www\.|localhost|\.[^\s.0-9]"  # linkify: its schemas; fuzzy links end in .TLD
    r"|^[ +=-]|^\d+[.)]| \n(?=[^\n])"  # line starts: indents, lists, setext underlines; spaces ending a line
    r"|[^\S \n]|[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]",  # other spaces, controls
    re.MULTILINE | re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n{2,}")


def render_comment(text: str) -> str:
    """A comment's Markdown as safe HTML: no raw HTML, links marked as user content.

    Text without anything that could be Markdown syntax takes a fast path with
    byte-identical output (``tests/test_comment_fast_path.py`` proves it).
    """
    if _MAYBE_SYNTAX.search(text) is None:
        return plain_comment_html(text)
    try:
        return markdown_comment_html(text)
    except RuntimeError:  # markdown-it-py's own failure on a few texts with bare links: keep the comment as text
        return plain_comment_html(escape(text, quote=False))


def plain_comment_html(text: str) -> str:
    """The HTML of a comment free of syntax: its paragraphs, soft line breaks kept as newlines.

    This is what markdown-it-py renders and nh3 then writes back (``&quot;`` as a plain
    quote); ``"`` is the only character of such text either of them escapes. Spaces at the
    end of a paragraph are dropped, as markdown-it-py drops them (within one they would be
    line breaks, which :data:`_MAYBE_SYNTAX` leaves to it).
    """
    paragraphs = (paragraph.rstrip(" ") for paragraph in _BLANK_LINES.split(text.strip("\n")))
    return "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs if paragraph)


def markdown_comment_html(text: str) -> str:
    """A comment through markdown-it-py and the sanitizer: the path for any text that may hold syntax."""
    html = comment_parser().render(text)
    return sanitize(html, link_rel="nofollow ugc noopener")


_ALWAYS_ESCAPED = re.compile(r"([\\`*_\[\]<>|~&])")


def escape_markdown(text: str) -> str:
    """Markdown that renders back to exactly *text*, escaping only what could be syntax."""
    lines = []
    for line in _ALWAYS_ESCAPED.sub(r"\\\1", text).split("\n"):
        line = re.sub(r"^([#+=>-])", r"\\\1", line.strip())
        lines.append(re.sub(r"^(\d+)([.)])", r"\1\\\2", line))
    return "\n".join(lines)


def markdown_figure(alt: str, caption: str, src: str = "") -> str:
    """``![alt](src "caption")`` with both parts escaped; an empty *src* is an image not captured."""
    title = caption.replace("\\", "\\\\").replace('"', '\\"')
    target = src.replace(" ", "%20") or "<>"
    return f'![{escape_markdown(alt)}]({target} "{title}")' if caption else f"![{escape_markdown(alt)}]({target})"


def summarize(blocks: Sequence[Block], limit: int = 280) -> str:
    """The first paragraph's text, cut at a word boundary near *limit* characters."""
    text = next((block.text for block in blocks if block.kind == "paragraph" and block.text), "")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return cut + "…"
