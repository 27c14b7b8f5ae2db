"""An article's cleaned HTML as Markdown, the form every capture reader hands to the body reader.

Structure is kept (headings, paragraphs, lists, quotes, tables, code, links,
emphasis); figures become ``![alt](src "caption")`` with the image resolved by
:class:`~generator.readers.html_images.PageImages`. Everything else — classes,
styles, scripts, unknown elements — is reduced to its text.
"""

from __future__ import annotations

import re
from html import escape

from lxml import html as lxml_html

from generator.common.markup import markdown_figure
from generator.common.weburl import join_url, split_url
from generator.readers.html.images import PageImages

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "aside", "figure", "ul", "ol", "dl", "blockquote",
     "pre", "table", "hr", "center", "details", "address", "nav", "body", "dd", "dt", "li", "picture", *HEADINGS}
)  # fmt: skip
_INLINE_ESCAPED = re.compile(r"([\\`*_\[\]<>|~&])")
_BREAK = "\x00"
_CREDIT_CLASS = re.compile(r"credit|byline|copyright|source|photographer", re.I)
MAX_DEPTH = 120


class MarkdownWriter:
    """Convert one article container; links are made absolute against the page's original URL."""

    def __init__(self, images: PageImages) -> None:
        self.images = images

    def convert(self, root: lxml_html.HtmlElement, lead: lxml_html.HtmlElement | None = None) -> str:
        """*root* as Markdown, after the *lead* image the page shows above the body."""
        out: list[str] = self._figures(lead) if lead is not None else []
        self._blocks(root, out, 0)
        return "\n\n".join(out) + "\n"

    def _blocks(self, element: lxml_html.HtmlElement, out: list[str], depth: int) -> None:
        """Block children in order; loose inline content between them becomes paragraphs."""
        if depth > MAX_DEPTH:
            _paragraph(out, _escape(element.text_content()))
            return
        run: list[str] = [_escape(element.text or "")]
        pictures: list[tuple[int, lxml_html.HtmlElement]] = []  # images standing in the run, by their place in it
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS:
                self._run(out, run, pictures)
                run, pictures = [], []
                self._block(child, out, depth + 1)
            elif isinstance(child.tag, str):
                if (picture := _standing_image(child)) is not None:
                    pictures.append((len(run), picture))
                run.append(self._inline(child, depth + 1))
            run.append(_escape(child.tail or ""))
        self._run(out, run, pictures)

    def _run(self, out: list[str], run: list[str], pictures: list[tuple[int, lxml_html.HtmlElement]]) -> None:
        """A run of inline content as a paragraph; an image standing in a paragraph of text goes before it as a
        figure of its own (WordPress floats photos at the start of a paragraph: their alt text is not the
        paragraph's words)."""
        places = {index for index, _ in pictures}
        if pictures and "".join(part for index, part in enumerate(run) if index not in places).strip():
            for _, picture in pictures:
                out.extend(self._figures(picture) if picture.tag != "img" else self._image(picture))
            run = [part for index, part in enumerate(run) if index not in places]
        _paragraph(out, "".join(run))

    def _image(self, img: lxml_html.HtmlElement) -> list[str]:
        parent = img.getparent()
        src = self.images.choose(img, parent.get("href") if parent is not None and parent.tag == "a" else None)
        alt = " ".join((img.get("alt") or "").split())
        return [markdown_figure(alt, "", src)] if src is not None and (src or alt) else []

    def _block(self, element: lxml_html.HtmlElement, out: list[str], depth: int) -> None:
        tag = element.tag.lower()
        if tag in HEADINGS:
            text = _one_line(self._inline_children(element, depth))
            if text:
                out.append(f"{'#' * HEADINGS[tag]} {text}")
        elif tag in ("ul", "ol") and _holds_sections(element):
            for item in element:  # a listicle whose items are sections: read as the sections they are
                if isinstance(item.tag, str):
                    self._blocks(item, out, depth + 1)
        elif tag in ("ul", "ol"):
            if items := self._list(element, depth):
                out.append(items)
        elif tag == "blockquote":
            inner: list[str] = []
            self._blocks(element, inner, depth)
            if inner:
                out.append("\n".join(f"> {line}".rstrip() for line in "\n\n".join(inner).split("\n")))
        elif tag == "pre":
            code = element.text_content().strip("\n")
            fence = "~~~~" if "~~~" in code else "~~~"
            if code.strip():
                out.append(f"{fence}\n{code}\n{fence}")
        elif self._is_figure(element):  # before tables: Blogger captions an image with a two-row table
            out.extend(self._figures(element))
        elif tag == "table" and _is_layout(element):
            for cell in element.xpath("./tr/td | ./*/tr/td | ./tr/th | ./*/tr/th"):
                self._blocks(cell, out, depth)
        elif tag == "table":
            if table := _table(element):
                out.append(table)
        elif tag == "hr":
            out.append("---")
        elif tag == "dt":
            _paragraph(out, f"**{_one_line(self._inline_children(element, depth))}**")
        else:
            self._blocks(element, out, depth)

    def _is_figure(self, element: lxml_html.HtmlElement) -> bool:
        """A figure, or a classic WordPress/Drupal caption box: images plus at most a caption."""
        images = element.xpath(".//img")
        if not images:
            return False
        if element.tag.lower() == "figure":
            return not element.xpath(".//blockquote | .//table | .//p[string-length(normalize-space()) > 300]")
        caption = _caption_element(element)
        rest = _text(element) if caption is None else _text(element).replace(_text(caption), "", 1)
        return (
            len(images) == 1
            and len(rest.strip()) < 2
            and ("caption" in element.get("class", "") or caption is not None)
        )

    def _figures(self, element: lxml_html.HtmlElement) -> list[str]:
        caption_element = _caption_element(element)
        caption = _caption_text(caption_element) if caption_element is not None else ""
        figures = []
        for number, img in enumerate(element.xpath(".//img")):
            link = img.getparent() if img.getparent() is not None and img.getparent().tag == "a" else None
            src = self.images.choose(img, link.get("href") if link is not None else None)
            alt = " ".join((img.get("alt") or "").split())
            if src is not None and (src or alt or caption):
                figures.append(markdown_figure(alt, caption if number == 0 else "", src))
        return figures

    def _list(self, element: lxml_html.HtmlElement, depth: int, indent: str = "") -> str:
        ordered = element.tag.lower() == "ol"
        try:
            number = int(element.get("start") or 1)
        except ValueError:
            number = 1
        lines = []
        for item in _list_children(element):
            if item.tag.lower() in ("ul", "ol"):  # a list put straight into a list: shown under the item before it
                lines.append(self._list(item, depth + 1, indent + "  "))
                continue
            if item.tag.lower() != "li":
                continue
            nested = [child for child in item if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol")]
            for child in nested:
                item.remove(child)
            marker = f"{number}. " if ordered else "- "
            text = _one_line(self._inline_children(item, depth))
            lines.append(f"{indent}{marker}{text}".rstrip())
            number += 1
            lines += [self._list(child, depth + 1, indent + " " * len(marker)) for child in nested]
        return "\n".join(line for line in lines if line.strip())

    def _inline_children(self, element: lxml_html.HtmlElement, depth: int) -> str:
        parts = [_escape(element.text or "")]
        for child in element:
            if isinstance(child.tag, str):
                text = self._inline(child, depth + 1)
                parts.append(f" {text} " if child.tag.lower() in BLOCK_TAGS else text)
            parts.append(_escape(child.tail or ""))
        return "".join(parts)

    def _inline(self, element: lxml_html.HtmlElement, depth: int) -> str:
        if depth > MAX_DEPTH:
            return _escape(element.text_content())
        tag = element.tag.lower()
        if tag == "br":
            return _BREAK
        if tag == "img":
            parent = element.getparent()
            src = self.images.choose(element, parent.get("href") if parent is not None and parent.tag == "a" else None)
            if src is None or not (src or element.get("alt")):
                return ""
            caption = " ".join((element.get("title") or "").split()) if "caption" in element.get("class", "") else ""
            return markdown_figure(element.get("alt") or "", caption, src)  # Joomla's captions live in the title
        inner = self._inline_children(element, depth)
        if tag in ("em", "i", "cite", "dfn"):
            return _wrap(inner, "*")
        if tag in ("strong", "b"):
            return _wrap(inner, "**")
        if tag in ("s", "del", "strike"):
            return _wrap(inner, "~~")
        if tag in ("code", "kbd", "samp", "tt"):
            code = element.text_content()
            fence = "``" if "`" in code else "`"
            return f"{fence} {code} {fence}" if fence == "``" else f"`{code}`" if code.strip() else ""
        if tag == "q":
            return f"“{inner}”"
        if tag == "a":
            return self._link(element, inner)
        return inner

    def _link(self, element: lxml_html.HtmlElement, inner: str) -> str:
        href = (element.get("href") or "").strip()
        target = join_url(self.images.page_url, href)
        if not inner.strip() or getattr(split_url(target), "scheme", "") not in ("http", "https", "mailto"):
            return inner
        target = target.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
        return f"[{inner.strip()}](<{target}>)"


def _is_layout(table: lxml_html.HtmlElement) -> bool:
    """A table that lays out a page (old sites) rather than holding data: it holds paragraphs, headings or tables."""
    return bool(table.xpath(".//td//p | .//td//h1 | .//td//h2 | .//td//table | .//td//div | .//td//ul"))


def _list_children(element: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """A list's items and nested lists, looking through the ``<div>`` wrappers design systems put around items."""
    children = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag.lower() in ("li", "ul", "ol"):
            children.append(child)
        elif child.tag.lower() in ("div", "span", "section"):
            children.extend(_list_children(child))
    return children


def _holds_sections(element: lxml_html.HtmlElement) -> bool:
    """A list whose items are sections of a story, each under its own heading (a listicle's numbered entries):
    a Markdown list item cannot hold a heading, paragraphs and a figure."""
    items = [item for item in element if isinstance(item.tag, str) and item.tag.lower() == "li"]
    return bool(items) and all(item.xpath(".//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6") for item in items)


def _standing_image(element: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """*element* when it is a picture and nothing else (an ``<img>``, or a link, span or ``<picture>`` holding
    only one), not an emoji or a symbol drawn as an image; else None."""
    images = [element] if element.tag == "img" else element.xpath(".//img")
    if len(images) != 1 or (element.tag != "img" and element.text_content().strip()):
        return None
    alt, names = images[0].get("alt") or "", images[0].get("class") or ""
    if len(alt.strip()) <= 2 or "emoji" in names or "smiley" in names:
        return None
    return element


def _caption_element(element: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    found = element.xpath(
        ".//figcaption | .//*[contains(@class,'caption') and not(self::img)] | .//*[contains(@class,'wp-caption-text')]"
    )
    return found[0] if found else None


def _caption_text(caption: lxml_html.HtmlElement) -> str:
    """The caption, with a credit the page set apart labelled so it is recognised as one."""
    credits = [e for e in caption.iter() if isinstance(e.tag, str) and _CREDIT_CLASS.search(e.get("class", ""))]
    credit = _text(credits[0]) if credits else ""
    text = _text(caption)
    if credit and credit in text:
        text = text.replace(credit, "").strip()
        if not re.match(r"^(?:photo|photograph|image|picture|credit)s?:", credit, re.I):
            credit = f"Credit: {credit}"
        text = f"{text} {credit}".strip()
    return text


def _table(table: lxml_html.HtmlElement) -> str:
    """A table as Markdown; one with merged cells as plain HTML (cells' text only), sanitized later."""
    rows = [
        [cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
        for row in table.iter("tr")
    ]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    if any(cell.get("colspan") or cell.get("rowspan") for row in rows for cell in row):
        return _html_table(table, rows)
    width = max(len(row) for row in rows)
    texts = [[_escape(_text(cell)) for cell in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in texts]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _html_table(table: lxml_html.HtmlElement, rows: list[list[lxml_html.HtmlElement]]) -> str:
    html_rows = []
    for row in rows:
        cells = []
        for cell in row:
            tag = cell.tag.lower()
            spans = "".join(
                f' {name}="{int(value)}"' for name in ("colspan", "rowspan") if (value := cell.get(name, "")).isdigit()
            )
            cells.append(f"<{tag}{spans}>{escape(_text(cell))}</{tag}>")
        html_rows.append(f"<tr>{''.join(cells)}</tr>")
    caption = table.find(".//caption")
    head = f"<caption>{escape(_text(caption))}</caption>" if caption is not None else ""
    return f"<table>{head}<tbody>{''.join(html_rows)}</tbody></table>"


def _paragraph(out: list[str], text: str) -> None:
    text = re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text).replace(f" {_BREAK}", _BREAK).replace(f"{_BREAK} ", _BREAK)
    text = text.strip(f" {_BREAK}")
    if not text:
        return
    lines = []
    for line in text.split(_BREAK):
        line = re.sub(r"^([#+=>-])", r"\\\1", line.strip())
        lines.append(re.sub(r"^(\d+)([.)])", r"\1\\\2", line))
    out.append("\\\n".join(line for line in lines if line))


def _escape(text: str) -> str:
    return _INLINE_ESCAPED.sub(r"\\\1", text)


def _wrap(inner: str, mark: str) -> str:
    core = inner.strip()
    if not core:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _one_line(text: str) -> str:
    return " ".join(text.replace(_BREAK, " ").split())


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())
