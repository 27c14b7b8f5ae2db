"""Find an article's main content in a saved page and clear the page furniture out of it.

The container is found in three ways, most certain first: the content
classes of the publishing systems news sites run on (WordPress, Drupal,
Ghost, Substack, schema.org's ``articleBody``); else the part of the page
that holds the text trafilatura's extractor picks out, so its judgement
decides where the article is while the page's own markup keeps the
structure (figures with captions and credits, tables, quotes); else the
largest ``<article>`` or ``<main>``. Inside it, share bars, related links,
newsletter boxes, ads, embeds and comment UI are removed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

from generator.readers.html.comments import COMMENT_AREAS, has_class
from generator.readers.html.images import declared_size, is_tiny

logging.getLogger("trafilatura").addHandler(logging.NullHandler())  # its complaints about odd markup are not ours

CONTENT_CLASSES = (
    "entry-content", "post-content", "article-content", "article-body", "article__body", "story-body", "post-body",
    "field--name-body", "gh-content", "available-content", "td-post-content", "c-entry-content", "body-content",
)  # fmt: skip
CONTENT_SELECTORS = (
    "//*[@itemprop='articleBody']",
    *(f"//*[{has_class(name)}]" for name in CONTENT_CLASSES),
    "//*[@data-component='article-body' or @data-testid='article-body' or @id='article-body']",
    "//*[@id='BlogContent']",
)
NEVER_CONTENT = ("script", "style", "noscript", "iframe", "frame", "frameset", "form", "input", "button", "select",
                 "textarea", "svg", "canvas", "object", "embed", "template", "link", "meta", "video", "audio",
                 "map", "dialog", "nav")  # fmt: skip
WRAPPER_TAGS = ("form", "button", "nav", "noscript")  # never content, but sometimes wrapped around all of it
_FURNITURE = re.compile(
    r"(?:^|[-_])(?:share|sharing|sharedaddy|social|related|relatedposts|newsletter|subscribe|subscription|signup|"
    r"promo|advert|advertisement|ads?|adsbygoogle|sponsored|cookie|cookies|consent|gdpr|breadcrumbs?|pagination|"
    r"nav|navigation|menu|sidebar|widget|popup|modal|byline|meta|comments?|respond|disqus|wpdiscuz|wpd|"
    r"masthead|toolbar|skip|screen-reader-text|sr-only|visually-hidden|author-bio|bio|tags|cat-links|"
    r"tags-links|post-tags|most-read|trending|recommended|outbrain|taboola|more-stories|read-more|"
    r"donate|donation|print-only|twitter-tweet|instagram-media|tiktok-embed|post-navigation|nav-links|"
    r"entry-footer|entry-header|article-header|post-header|jp-relatedposts|yarpp|crp_related|addtoany|"
    r"sharethis|heateor|shariff|social-links|follow|banner|alert|sticky|teaser|teasers|outbrain|inline-ad|"
    r"navbar|copyright|footer-links|read-time|reading-time|storyreadtime|"
    r"paywall|cta|optin|opt-in|mc4wp|mailchimp|convertkit|leadgen|lead-gen|disclaimer|author-box|about-author|"
    r"deal|deals|coupon|affiliate|disclosure|restricted)(?:$|[-_])",
    re.I,
)
_EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "wp-embedded-content", "fb-post")
# React's streamed rendering parks each finished part of the page in a hidden <div id="S:N"> for a script to move
# into place; a saved page keeps it there, and it is the page's content, not hidden furniture.
_HIDDEN_OR_COMMENTS = "//*[(@hidden and not(starts-with(@id, 'S:'))) or @aria-hidden='true' or {}]".format(
    " or ".join(f"@id='{name}' or {has_class(name)}" for name in COMMENT_AREAS)
)
MIN_CONTENT_CHARS = 120
MIN_ARTICLE_CHARS = 25
PROSE_CHARS = 400
WIDGET_PROSE_CHARS = 150  # a box named only "widget" needs less running text to be the article's
_WIDGET = re.compile(r"(?:^|[-_])widget(?:$|[-_])", re.I)
AUTHOR_BOX_CHARS = 700
FORM_BOX_CHARS = 800  # text around a form, up to which the box holding both is a sign-up box
LINK_LIST, LINK_LIST_SHARE = 6, 0.85  # links, and their share of the text, that make any block a list of links
_LINE_TAGS = ("p", "li", "h2", "h3", "h4", "blockquote", "td", "pre", "figcaption", "div", "span", "font")
_NOT_LETTERS = re.compile(r"[\W_]+")
_KEPT_AFTER = ("p", "figure", "picture", "img", "video", "table")
BUTTON_WORDS = 6  # a call to action's link: "Check price at Amazon", "Read the full review"
_BUTTON_BLOCKS = ("p", "div", "li", "section", "center", "dd")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LABEL_BOX = (4, 60, 800)  # pieces of text, the longest piece's length and the box's, of a box of labels
_NOT_A_LABEL_BOX = ".//table | .//h1 | .//h2 | .//img | .//figure | .//figcaption | ancestor::figure"
LEAD_LINES, LEAD_CHARS = 8, 60  # the extractor's first lines looked for above the container; a sentence's length
MIN_MATCHED = 0.2  # share of the extractor's text the page's elements must account for
PARTIAL_RATIO = 3  # the extractor's element this many times longer than the known class's: the class was a part


def clean_page(doc: lxml_html.HtmlElement) -> None:
    """Remove what is never article content anywhere on the page: scripts, embeds, forms, comment areas.

    A form, button, nav or noscript that holds most of the page's text is
    not one but a wrapper: ASP.NET pages put the whole body in one form, an
    unclosed ``<button>`` swallows the rest of the page in the parser's tree,
    and script-driven forums (Discourse) serve the thread itself in a
    ``<noscript>`` for readers without scripts. Such a wrapper loses its tag
    and keeps its content. Any other form goes with the short box around it.
    """
    _unwrap_noscript_images(doc)
    for element in list(doc.iter(*NEVER_CONTENT)):
        if element.tag not in WRAPPER_TAGS:
            _drop(element)
    page_text = _text_length(doc)
    for element in list(doc.iter(*WRAPPER_TAGS)):
        if element.getparent() is None:
            continue
        if _text_length(element) >= 0.5 * page_text:
            element.drop_tag()
        else:
            _drop(_form_box(element) if element.tag == "form" else element)
    for element in doc.xpath(_HIDDEN_OR_COMMENTS):
        _drop(element)


def _form_box(form: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The box a form sits in with the few lines that go with it: a sign-up's pitch and its small print.

    Sign-up boxes inside a story are named every way there is (or only by
    utility classes); what they share is a form and a short text around it.
    """
    box = form
    for ancestor in form.iterancestors():
        if ancestor.tag in ("body", "html", "main", "article") or _text_length(ancestor) > FORM_BOX_CHARS:
            break
        if any(_text_length(p) >= 40 and box not in p.iterancestors() for p in ancestor.iter("p")):
            break  # a paragraph beside the box: the story around a short form, not its pitch
        box = ancestor
    return box


def find_container(
    doc: lxml_html.HtmlElement,
    page_html: str,
    title: str,
    authors: Sequence[str] = (),
    known: lxml_html.HtmlElement | None = None,
) -> lxml_html.HtmlElement | None:
    """The element holding the article, or None when the page shows no article text.

    *known* is the element the page's own markup names as the article (a forum thread's opening post), if any.
    """
    body = doc.find(".//body") if doc.tag != "body" else doc
    if body is None:
        return None
    extracted = _extract(page_html)
    container = _first_found(
        lambda: known if known is not None and known.getparent() is not None else None,
        lambda: _by_known_class_unless_partial(doc, body, extracted.lines),
        lambda: _by_extractor(body, extracted.lines),
        lambda: _largest(doc, "//article | //main"),
    )
    container = body if container is None else container
    _take_the_lead(container, body, extracted)
    _remove_furniture(container, title)
    _remove_author_boxes(container, authors)
    _trim_after_the_story(container, extracted)
    _remove_lone_buttons(container, extracted)
    _remove_short_line_boxes(container, extracted)
    return container if _text_length(container) >= MIN_ARTICLE_CHARS or container.find(".//img") is not None else None


def _first_found(*finders: Callable[[], lxml_html.HtmlElement | None]) -> lxml_html.HtmlElement | None:
    for finder in finders:
        if (found := finder()) is not None:
            return found
    return None


LEAD_IMAGES = (
    "//figure[contains(@class,'lead') or contains(@class,'hero') or contains(@class,'feature')"
    " or @data-testid='lead-image'][.//img]"
    " | //*[contains(@class,'post-thumbnail') or contains(@class,'featured-image') or contains(@class,'feature-image')"
    " or contains(@class,'field--name-field-image') or contains(@class,'field-name-field-image')"
    " or contains(@class,'td-post-featured-image') or contains(@class,'entry-thumbnail')"
    " or contains(@class,'amp-wp-article-featured-image') or contains(@class,'article-featured')][.//img]"
)


def find_lead_image(doc: lxml_html.HtmlElement, container: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The article's lead image when the page shows it before the body, outside the body's container:
    a featured-image box, or a figure of the same ``<article>``."""
    article = next((a for a in container.iterancestors() if a.tag == "article"), None)
    same_article = article.xpath(".//figure[.//img]") if article is not None else []
    for candidate in [*doc.xpath(LEAD_IMAGES), *same_article]:
        related = (
            candidate is container or container in candidate.iterancestors() or candidate in container.iterancestors()
        )
        if related or any(a.tag in ("nav", "footer", "aside") for a in candidate.iterancestors()):
            continue
        if candidate.xpath("count(preceding::*)") < container.xpath("count(preceding::*)"):
            return candidate
    return None


def _by_known_class_unless_partial(
    doc: lxml_html.HtmlElement, body: lxml_html.HtmlElement, lines: frozenset[str]
) -> lxml_html.HtmlElement | None:
    """The known content class's element, unless it holds only a small part of the article.

    Sites reuse the classes for a summary or an intro box above the real
    body (``article-content`` around a dek and a byline); when the text the
    extractor finds is several times longer, its element is the article.
    """
    known = _by_known_class(doc)
    if known is None:
        return None
    found = _by_extractor(body, lines)
    if found is not None and _text_length(found) >= PARTIAL_RATIO * _text_length(known):
        return found
    return known


def _by_known_class(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    for selector in CONTENT_SELECTORS:
        found = [e for e in doc.xpath(selector) if not _inside_any(e, doc.xpath(selector))]
        if not found:
            continue
        best = max(found, key=_text_length)
        if _text_length(best) >= MIN_CONTENT_CHARS:
            return best
    return None


@dataclass(frozen=True)
class Extracted:
    """What trafilatura extracts from the page: its lines of 20 characters or more as keys, all of its letters,
    and its first lines in order (as keys)."""

    lines: frozenset[str] = frozenset()
    letters: str = ""
    opening: tuple[str, ...] = ()


def _extract(page_html: str) -> Extracted:
    """What trafilatura extracts from the page (nothing when it fails).

    Its default balance, not ``favor_recall``: asked for recall, trafilatura
    settles on real pages for a smaller block that reads well on its own (an
    FAQ summing the article up, a box of teasers) and the article is lost.
    """
    try:
        extracted = trafilatura.extract(page_html, include_comments=False, include_tables=True) or ""
    except Exception:  # the extractor's own failure on odd markup: fall back to the page's structure
        return Extracted()
    keys = [key for line in extracted.split("\n") for key in _extracted_lines(line) if len(key) >= 20]
    return Extracted(frozenset(keys), _letters(extracted), tuple(keys[:LEAD_LINES]))


def _by_extractor(body: lxml_html.HtmlElement, wanted: frozenset[str]) -> lxml_html.HtmlElement | None:
    """The smallest element holding most of the text trafilatura extracts."""
    if not wanted:
        return None
    weights: Counter[lxml_html.HtmlElement] = Counter()
    total = 0
    frame = _page_frame(body)
    for element in body.iter(*_LINE_TAGS):
        weight = _matched(element, wanted)
        if weight and not any(e in frame for e in (element, *element.iterancestors())):
            total += weight
            for ancestor in [element, *element.iterancestors()]:
                weights[ancestor] += weight
    if total < MIN_MATCHED * sum(len(line) for line in wanted):  # a stray line or two is no evidence of where it is
        return None
    candidates = [e for e, weight in weights.items() if weight >= 0.85 * total]
    return max(candidates, key=lambda e: sum(1 for _ in e.iterancestors())) if candidates else None


def _matched(element: lxml_html.HtmlElement, wanted: frozenset[str]) -> int:
    """How many characters of the extractor's lines *element* holds itself (not through a child holding the same)."""
    text = _key(element.text_content())
    if text in wanted and not any(_key(c.text_content()) == text for c in element if isinstance(c.tag, str)):
        return len(text)
    # a body written as lines with <br> between them: each line is one of the extractor's
    return sum(len(line) for line in _br_lines(element) if line in wanted)


def _take_the_lead(container: lxml_html.HtmlElement, body: lxml_html.HtmlElement, extracted: Extracted) -> None:
    """Bring the story's opening paragraphs into its container when the page sets them above it.

    Review and guide sites print the standfirst and the first paragraphs in
    an intro box above the element that holds the rest of the story; the
    extractor's text starts with them. Paragraphs of running text before the
    container that hold the extractor's first lines, up to the first line the
    container holds itself, are copied to the container's start in order.
    """
    if container is body:
        return
    inside = _key(container.text_content())
    wanted = []
    for line in extracted.opening:
        if line in inside:
            break
        wanted.append(line)
    if not wanted:
        return
    found: dict[str, lxml_html.HtmlElement] = {}
    for element in body.iter():
        if element is container:
            break
        key = _key(element.text_content()) if element.tag == "p" else ""
        if key in wanted and len(key) >= LEAD_CHARS and not _in_frame_or_furniture(element):
            found.setdefault(key, element)
    for paragraph in reversed([found[line] for line in wanted if line in found]):
        lead = deepcopy(paragraph)
        lead.tail = None
        container.insert(0, lead)


def _in_frame_or_furniture(element: lxml_html.HtmlElement) -> bool:
    """Inside the site's frame, or in a box named as furniture (an affiliate disclosure, an entry's header)."""
    for box in (element, *element.iterancestors()):
        names = f"{box.get('class', '')} {box.get('id', '')}".split()
        if box.tag in ("nav", "footer", "aside") or any(_FURNITURE.search(name) for name in names):
            return True
    return False


def _trim_after_the_story(container: lxml_html.HtmlElement, extracted: Extracted) -> None:
    """Drop what follows the story's last line inside its container.

    Themes put the author's bio, related posts, sign-up and donation boxes,
    licence notes and the site's link lists after the story but inside the
    element that holds it, under names no list of classes foresees; the
    extractor's text ends where the story does. Boxes after it that hold none
    of the extractor's text go; paragraphs, figures and tables stay (a closing
    line it found too short, images it leaves out, a table it cuts up). When
    those boxes would hold most of the container's text, the extractor lost
    the story rather than found its end, and nothing goes.
    """
    last = None
    for element in container.iter(*_LINE_TAGS):
        if _matched(element, extracted.lines):
            last = element
    if last is None:
        return
    lines = [_letters(line) for line in extracted.lines]
    node = next((t for t in reversed(list(last.iterancestors("table"))) if container in t.iterancestors()), last)
    after = []
    while node is not container and node.getparent() is not None:
        for sibling in node.itersiblings():
            text = _letters(sibling.text_content()) if isinstance(sibling.tag, str) else ""
            if (
                text
                and text not in extracted.letters
                and not any(s in text for s in lines)
                and not _kept_after(sibling)
            ):
                after.append(sibling)
        node = node.getparent()
    if sum(_text_length(box) for box in after) <= _text_length(container) / 2:
        for box in after:
            _drop(box)


def _remove_lone_buttons(container: lxml_html.HtmlElement, extracted: Extracted) -> None:
    """Drop the calls to action repeated down the story: the same short link, alone in its block, twice or more.

    Shopping guides and reviews put "Check price at Amazon", "Book now",
    "Read the review" or "Try it free" under every item, as a link styled as
    a button in its own block, in every language. A short link that makes up
    a whole block, comes back in another such block and is left out of the
    extractor's text is such a button. A listicle's item names are linked
    alone in their blocks too, but each once; linked headings, image links
    and links inside running text stay.
    """
    if not extracted.letters:
        return
    buttons: dict[str, list[lxml_html.HtmlElement]] = {}
    for link in container.iter("a"):
        words = link.text_content().split()
        if (
            0 < len(words) <= BUTTON_WORDS
            and link.find(".//img") is None
            and (block := _lone_block(link, container)) is not None
        ):
            buttons.setdefault(_key(" ".join(words)), []).append(block)
    for text, blocks in buttons.items():
        if len(blocks) >= 2 and _letters(text) not in extracted.letters:
            for block in blocks:
                _drop(block)


def _lone_block(link: lxml_html.HtmlElement, container: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The block that holds *link* and nothing else (no other text), or None when the link shares its block."""
    text = _key(link.text_content())
    block = link
    for ancestor in link.iterancestors():
        if ancestor is container or _key(ancestor.text_content()) != text:
            break
        block = ancestor
    if block.tag not in _BUTTON_BLOCKS or any(a.tag in _HEADINGS for a in (block, *block.iterancestors())):
        return None
    return block


def _remove_short_line_boxes(container: lxml_html.HtmlElement, extracted: Extracted) -> None:
    """Drop boxes made only of short pieces of text the extractor leaves out entirely: offer and rating boxes.

    Review and shopping sites put a box under each item — "Starting at
    $20.00", "Try it", a score and its stars, "98% of reviews were positive"
    — whose text is all short labels, prices and numbers; trafilatura's text
    has none of it. A box of four or more such pieces (each under 60
    characters, 800 in all), none of them in the extractor's text, goes.
    Tables, headings and figures stay (their captions and credits are kept
    by design), and so does any box the extractor took a piece of.
    """
    if not extracted.letters:
        return
    for box in list(container.iter("div", "section")):
        if box.getparent() is None or box is container or box.xpath(_NOT_A_LABEL_BOX):
            continue
        pieces = [" ".join(text.split()) for text in box.itertext() if text.strip()]
        if len(pieces) < LABEL_BOX[0] or max(map(len, pieces)) >= LABEL_BOX[1] or sum(map(len, pieces)) > LABEL_BOX[2]:
            continue
        if not any(len(key := _letters(piece)) >= 4 and key in extracted.letters for piece in pieces):
            _drop(box)


def _kept_after(element: lxml_html.HtmlElement) -> bool:
    return element.tag in _KEPT_AFTER or element.find(".//table") is not None


def _extracted_lines(line: str) -> list[str]:
    """One line of the extractor's output as the page's elements hold it: a table row is one text per cell."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|"):
        return [_key(cell) for cell in stripped.strip("|").split("|")]
    return [_key(line.lstrip("-•> "))]


_INLINE = {"a", "b", "strong", "i", "em", "u", "span", "font", "small", "big", "sup", "sub", "abbr", "cite", "q"}


def _br_lines(element: lxml_html.HtmlElement) -> list[str]:
    """The element's own lines when ``<br>`` separates them (empty without a ``<br>`` child)."""
    if not any(child.tag == "br" for child in element):
        return []
    lines = [element.text or ""]
    for child in element:
        if child.tag in _INLINE:
            lines[-1] += child.text_content()
        elif isinstance(child.tag, str):  # a <br>, or a block whose text is counted on its own
            lines.append("")
        lines[-1] += child.tail or ""
    return [_key(line) for line in lines]


def _page_frame(body: lxml_html.HtmlElement) -> set[lxml_html.HtmlElement]:
    """The site's header, footer, sidebars and menus: their text is not the page's own content.

    One that holds most of the page's text is a wrapper, not the frame (a
    site builder's ``<header class="rich-text">`` around a whole article).
    """
    half = _text_length(body) / 2
    return {e for e in body.iter("header", "footer", "aside", "nav") if _text_length(e) < half}


def _largest(doc: lxml_html.HtmlElement, xpath: str) -> lxml_html.HtmlElement | None:
    found = doc.xpath(xpath)
    return max(found, key=_text_length) if found else None


def _remove_furniture(container: lxml_html.HtmlElement, title: str) -> None:
    """Drop page furniture inside the article, and a repeat of the headline.

    Nothing holding most of the article's text is furniture, whatever its
    name says (a "paywall" or "meta" wrapper around the whole story), and
    nothing inside a code block is (a highlighter's ``hljs-comment`` spans).
    """
    most = _text_length(container) / 2
    in_code = {e for block in container.iter("pre", "code") for e in block.iterdescendants()}  # hljs-comment spans
    for element in list(container.iterdescendants()):
        if not isinstance(element.tag, str) or element.getparent() is None or element in in_code:
            continue
        tag = element.tag.lower()
        names = f"{element.get('class', '')} {element.get('id', '')} {element.get('data-testid', '')}".split()
        if tag in ("header", "footer", "aside") and not element.xpath(".//figure | .//blockquote"):
            furniture = True
        elif tag in ("h1", "h2", "h3") and _key(element.text_content()) == _key(title):
            furniture = True
        elif tag in ("img", "picture"):
            furniture = is_tiny(element) or _is_avatar(element) or _is_banner(element)
        elif _is_ad_slot(element) or (tag in ("p", "div", "ul", "ol", "td") and _is_link_row(element)):
            furniture = True
        else:
            matched = [name for name in names if _FURNITURE.search(name)]
            # page builders call every box a widget: a widget of a paragraph or two of text is the article's
            shortest = WIDGET_PROSE_CHARS if all(_WIDGET.search(name) for name in matched) else PROSE_CHARS
            furniture = bool(matched) and not (_is_body_part(element) or _is_prose(element, shortest))
        if furniture and (tag in ("h1", "h2", "h3") or _text_length(element) <= most):
            _drop(element)


def _remove_author_boxes(container: lxml_html.HtmlElement, authors: Sequence[str]) -> None:
    """Drop "about the author" boxes: a short block that starts with the byline's name ("Ana Ruiz is a reporter…").

    Themes name these boxes every way there is, but they all open with the
    name the page's metadata gives as the author, after the story. Only full
    names count (a one-word "Admin" or "Staff" could open a sentence of it).
    """
    names = tuple(_key(name) for name in authors if len(name.split()) >= 2)
    if not names:
        return
    whole = _key(container.text_content())
    for element in list(container.iter("p", "div", "section", "aside")):
        if element.getparent() is None or element is container:
            continue
        text = _key(element.text_content())
        after_the_story = whole.rfind(text) >= len(whole) / 2  # an author's note opening a column stays
        if text.startswith(names) and len(text) <= AUTHOR_BOX_CHARS and after_the_story:
            _drop(element)


def _is_body_part(element: lxml_html.HtmlElement) -> bool:
    """Structure that only looks like furniture by name: figures, quotes, tables, captions."""
    classes = element.get("class", "")
    if any(embed in classes for embed in _EMBED_CLASSES):
        return False
    return element.tag in ("figure", "figcaption", "blockquote", "table", "img", "picture") or "caption" in classes


def _is_prose(element: lxml_html.HtmlElement, shortest: int = PROSE_CHARS) -> bool:
    """Paragraphs of running text with few links: the article, whatever the box's name says.

    Page builders name every text box a widget (``elementor-widget-text-editor``);
    furniture (share bars, teasers, bylines, newsletter boxes) is short or mostly links.
    """
    text = _text_length(element)
    if text < shortest or not element.xpath(".//p"):
        return False
    return sum(_text_length(link) for link in element.iter("a")) <= 0.25 * text


def _is_avatar(element: lxml_html.HtmlElement) -> bool:
    """A byline or author-box portrait: small, or named so."""
    names = f"{element.get('class', '')} {element.get('src', '')}".lower()
    largest = max(size or 0 for size in declared_size(element))
    return any(word in names for word in ("avatar", "gravatar", "author-photo", "profile")) or 0 < largest <= 100


def _is_banner(element: lxml_html.HtmlElement) -> bool:
    """A masthead or ad banner: far wider than it is tall."""
    width, height = declared_size(element)
    return bool(width and height and width > 0 and height > 0 and width / height >= 4)


def _is_link_row(element: lxml_html.HtmlElement) -> bool:
    """A menu or a list of other pages: several links that are nearly all of a short element's text, or
    many links that are all but a few words of a longer one (a "more from us" list, the site's index)."""
    links = element.findall(".//a")
    text = _text_length(element)
    linked = sum(_text_length(link) for link in links)
    if len(links) >= LINK_LIST and linked >= LINK_LIST_SHARE * text:
        return text > 0
    return len(links) >= 3 and 0 < text < 300 and linked >= 0.7 * text


def _is_ad_slot(element: lxml_html.HtmlElement) -> bool:
    """A box labelled as an advertisement or sponsored content."""
    first = next((t.strip(" -–—:|") for t in element.itertext() if t.strip(" -–—:|")), "").lower()
    return (
        first in ("advertisement", "advertisements", "sponsored", "sponsored content", "ad")
        and _text_length(element) < 300
    )


def _unwrap_noscript_images(doc: lxml_html.HtmlElement) -> None:
    """Lazy-loading pages keep the real ``<img>`` in ``<noscript>``; it replaces the placeholder before it."""
    for noscript in list(doc.iter("noscript")):
        inner = lxml_html.fragments_fromstring(noscript.text) if noscript.text and "<img" in noscript.text else []
        images = [e for e in inner if isinstance(e, lxml_html.HtmlElement) and e.tag == "img"] or noscript.findall(
            ".//img"
        )
        if not images:
            continue
        previous = noscript.getprevious()
        if previous is not None and previous.tag == "img":
            _drop(previous)
        noscript.addprevious(images[0])


def _drop(element: lxml_html.HtmlElement) -> None:
    """Remove *element* but keep the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


def _inside_any(element: lxml_html.HtmlElement, others: list[lxml_html.HtmlElement]) -> bool:
    return any(other is not element and other in element.iterancestors() for other in others)


def _text_length(element: lxml_html.HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _letters(text: str) -> str:
    """*text* without spaces or punctuation: the extractor joins and splits an element's pieces its own way."""
    return _NOT_LETTERS.sub("", text.casefold())
