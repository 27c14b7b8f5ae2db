"""Reader comments in saved pages: WordPress core, wpDiscuz, the Disqus fallback, Drupal, and forum threads.

Nesting comes from what each family writes on every comment rather than from
the DOM alone: WordPress's ``depth-N`` classes (some themes close the
``<li>`` before the reply list, so DOM ancestry would flatten replies),
wpDiscuz's ``ID_PARENT`` element ids. A page whose comments were loaded by
JavaScript (an empty Disqus placeholder) is reported as not captured rather
than as a page without comments. On a forum thread (XenForo, phpBB,
FluxBB, vBulletin, Invision, Discourse) the opening post is the article and every later post a
comment on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from generator.common.weburl import checked_url
from generator.model import Comment, Diagnostic
from generator.readers.comment_files import comment_from_text
from generator.readers.dates import OUT_OF_RANGE, DateOutOfRange, days_before
from generator.readers.html.markdown import MarkdownWriter
from generator.readers.html.meta import read_date

_WP_COMMENT = re.compile(r"^(?:li-|div-)?comment-(?P<id>\d+)$|^dsq-comment-(?P<disqus>\d+)$")
_WPDISCUZ = re.compile(r"^(?:wc|wpd)-comm-(?P<id>\d+)_(?P<parent>\d+)$")
_FORUM_POST = re.compile(r"^(?:js-post-|p|post_?|elComment_)(?P<id>\d+)$")  # XenForo, phpBB/FluxBB, vBulletin, Invision
_DEPTH = re.compile(r"\b(?:depth|wc_comment_level|wpd_comment_level)-(?P<depth>\d+)\b")
_RELATIVE = re.compile(
    r"^(?:about\s+)?(?P<count>\d+|an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year)s?\s+ago$", re.I
)
_UNIT_DAYS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1,
    "week": 7,
    "month": 30.44,
    "year": 365.25,
}
_META_PARTS = (
    "comment-meta", "commentmetadata", "comment-metadata", "comment-author", "vcard", "reply", "comment-reply-link",
    "says", "comment-awaiting-moderation", "wc-comment-header", "wc-comment-footer", "wpd-comment-header",
    "wpd-comment-footer", "wpd-comment-right", "dsq-comment-header", "dsq-comment-footer", "edit-link",
)  # fmt: skip
COMMENT_AREAS = (
    "comments", "comments-area", "comment-respond", "respond", "wpdcom", "wpd-threads",
    "wpdiscuz_hidden_secondary_form", "disqus_thread", "dsq-comments", "dsq-content", "comment-list",
    "commentlist", "comments-list",
)  # fmt: skip


@dataclass
class FoundComments:
    """The comments of a page, and whether its comments were left behind by the mirror."""

    comments: list[Comment] = field(default_factory=list)
    not_captured: bool = False
    closed: bool = False
    opening: Comment | None = None  # a forum thread's first post, which is the article
    opening_body: lxml_html.HtmlElement | None = None  # the first post's text, where the markup marks it
    replies: list[lxml_html.HtmlElement] = field(default_factory=list)  # the thread's later posts, not the article


@dataclass(frozen=True)
class _Family:
    """How one comment system marks up a comment."""

    xpath: str
    author: tuple[str, ...]
    date: tuple[str, ...]
    body: tuple[str, ...]
    ids: Callable[[lxml_html.HtmlElement], tuple[str, str | None] | None]
    thread: bool = False  # a forum's posts: the first one opens the thread


def has_class(name: str) -> str:
    """An XPath test for one whole class name (``contains(@class, …)`` would match parts of names)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _own_ids(element: lxml_html.HtmlElement) -> list[str]:
    """The element's id and its first children's: some themes put the comment id on an inner wrapper."""
    return [element.get("id", "")] + [child.get("id", "") for child in element[:3] if isinstance(child.tag, str)]


def _wordpress_id(element: lxml_html.HtmlElement) -> tuple[str, str | None] | None:
    for candidate in _own_ids(element):
        if match := _WP_COMMENT.match(candidate):
            return match.group("id") or match.group("disqus"), None
    return None


def _wpdiscuz_id(element: lxml_html.HtmlElement) -> tuple[str, str | None] | None:
    for candidate in _own_ids(element):
        if match := _WPDISCUZ.match(candidate):
            parent = match.group("parent")
            return match.group("id"), None if parent == "0" else parent
    return None


def _forum_post_id(element: lxml_html.HtmlElement) -> tuple[str, str | None] | None:
    match = _FORUM_POST.match(element.get("id", ""))
    return (match.group("id"), None) if match else None


def _drupal_id(element: lxml_html.HtmlElement) -> tuple[str, str | None] | None:
    """Drupal's comment id, or the comment's place in the page where a theme leaves the id out."""
    comment_id = element.get("data-comment-id", "").strip()
    return (comment_id if comment_id.isdigit() else f"line-{element.sourceline}"), None


FORUM_POSTS = (  # a forum thread's posts: XenForo, phpBB, FluxBB/PunBB, Discourse, Invision, vBulletin
    f"//article[{has_class('message--post')}] | //div[{has_class('post')} and .//*[{has_class('postbody')}]]"
    f" | //div[{has_class('blockpost')}] | //div[{has_class('crawler-post')}]"
    " | //article[starts-with(@id, 'elComment_')]"
    " | //*[starts-with(@id, 'post') and .//*[starts-with(@id, 'post_message_')]]"
)


_FAMILIES = (
    _Family(
        f"//*[{has_class('wpd-comment')}]",
        (".wpd-comment-author", ".wpd-comment-author a"),
        (".wpd-comment-date",),
        (".wpd-comment-text",),
        _wpdiscuz_id,
    ),
    _Family(
        f"//*[{has_class('wc-comment')}]",
        (".wc-comment-author", ".wc-comment-author a"),
        (".wc-comment-date", ".wc-comment-date .wc-comment-date-inner"),
        (".wc-comment-text",),
        _wpdiscuz_id,
    ),
    _Family(
        f"//*[@id='dsq-comments' or {has_class('dsq-comments')}]//*[{has_class('comment')} or {has_class('post')}]",
        (".dsq-comment-header cite", "cite", ".dsq-comment-author"),
        (".dsq-comment-meta a", ".dsq-comment-date", "time"),
        (".dsq-comment-message", ".dsq-comment-body", ".dsq-comment-text"),
        _wordpress_id,
    ),
    _Family(  # Drupal's comment entities, also where a view lists them in rows
        f"//article[{has_class('js-comment')} or (@data-comment-id and {has_class('comment')})]",
        (".comment-author", ".comment__author", ".username"),
        (".comment-time", ".comment__time", "time"),
        (".comment-body", ".comment__content", ".field--name-comment-body"),
        _drupal_id,
    ),
    _Family(  # forum threads: XenForo, phpBB, FluxBB and PunBB, vBulletin 3 and 4, Invision, Discourse's reader page
        FORUM_POSTS,
        (
            ".message-name .username",
            ".message-name",
            ".postprofile .username",
            ".postprofile .username-coloured",
            ".postbody .author strong",
            ".postleft dt strong",
            ".postleft dt",
            ".bigusername",
            ".ipsEntry__username",
            ".cAuthorPane_author",
            ".username strong",
            ".username",
            ".creator [itemprop=name]",
        ),
        (
            "time.u-dt",
            ".message-attribution time",
            ".postbody .author time",
            ".postbody .author",
            ".postdate .date",
            ".postdate",
            "h2 a",
            ".crawler-post-infos time",
            "time",
        ),
        (
            ".message-body .bbWrapper",
            ".message-body",
            ".postbody .content",
            ".postmsg",
            "[id^=post_message_]",
            ".post[itemprop=text]",
            "[data-role=commentContent]",
        ),
        _forum_post_id,
        thread=True,
    ),  # fmt: skip
    _Family(
        f"//*[{has_class('comment')} and not(ancestor-or-self::*[@id='dsq-comments'])]",
        (
            ".comment-author .fn",
            ".comment-author-link",
            ".comment-author-name",
            ".comment-author cite",
            ".fn",
            ".author-name",
            ".comment-author b",
            ".comment-author a.url",
            ".comment-author",
            ".comment__author-name",
            ".comment__author",
            "cite strong",
            "cite",
            "[itemprop=author] [itemprop=name]",
            "[itemprop=author]",
            ".media-heading",
        ),
        (
            ".comment-metadata time",
            ".comment-meta time",
            "time",
            ".comment-date-time",
            ".comment-date",
            ".comment-metadata a",
            ".comment-meta a",
            ".commentmetadata a",
            ".media-heading small",
            ".comment__date",
            ".datetime .date",
            ".datetime",
            "[itemprop=datePublished]",
            "[itemprop=dateCreated]",
        ),
        (
            ".comment-content",
            ".comment-text",
            ".comment__content",
            ".comment__body",
            ".comment__text",
            ".commenttext",
            "[itemprop=text]",
            ".comment-body",
            ".media-body",
        ),
        _wordpress_id,
    ),  # fmt: skip
)


_MARKED_ID = re.compile(r"""\bid=["']?(?:(?:li-|div-)?comment-|dsq-comment-|(?:wpd|wc)-comm-)(\d+)""")


def unread_comment_count(page_text: str, found: int) -> int:
    """How many comments the page's markup names beyond the *found* ones.

    The HTML parser stops nesting elements at a depth of a few thousand; a
    reply chain deeper than that would otherwise vanish without a word.
    """
    return max(0, len(set(_MARKED_ID.findall(page_text))) - found)


_SCRIPTED_THREADS = (
    "//*[@id='disqus_thread' or @id='wpdcom' or @id='coral_thread' or @id='hyvor-talk-view' or @id='commento'"
    " or @id='ghost-comments-root' or contains(@class,'fb-comments') or contains(@class,'giscus')]"
    " | //script[contains(@src,'comments-ui') or contains(@src,'disqus.com') or contains(@src,'commento')"
    " or contains(@src,'talk.hyvor') or contains(@src,'giscus') or contains(@src,'utteranc') or contains(@src,'coral')]"
)
_COUNTED = re.compile(r"\b([1-9][\d,]*)\s+(?:comments?|responses?|replies)\b", re.I)


def _comments_left_out(doc: lxml_html.HtmlElement) -> bool:
    """The page had comments the capture does not hold: a scripted thread, or a count with nothing under it."""
    if doc.xpath(_SCRIPTED_THREADS):
        return True
    areas = doc.xpath(
        "//*[contains(@id,'comments') or contains(@class,'comments-section') or contains(@class,'comments-page')]"
    )
    return any(_COUNTED.search(" ".join(area.text_content().split())) for area in areas[:5])


@dataclass(frozen=True)
class CommentPage:
    """What reading a page's comments needs besides the markup.

    Bodies go through *writer* to Markdown and are rendered like
    ``comments.toml`` bodies, so ``import`` writes exactly what was shown.
    """

    source: str
    captured: datetime | None
    tz: ZoneInfo
    writer: MarkdownWriter
    diagnostics: list[Diagnostic] = field(default_factory=list)  # author links not http(s), dates out of range


def read_page_comments(doc: lxml_html.HtmlElement, page: CommentPage) -> FoundComments:
    """The comments on *doc*, from the first comment family that has any."""
    found = FoundComments()
    for family in _FAMILIES:
        elements = [e for e in doc.xpath(family.xpath) if family.ids(e) is not None]
        if elements:
            found.comments = _read_family(family, elements, page)
            if family.thread:
                found.opening, *found.comments = found.comments
                found.replies = [e for e in elements if family.ids(e)[0] != found.opening.id]  # type: ignore[index]
                bodies = (match for selector in family.body for match in _compiled(selector)(elements[0]))
                found.opening_body = next(bodies, None)
            break
    else:
        found.comments = _read_blogger(doc, page)
    found.not_captured = not found.comments and _comments_left_out(doc)
    found.closed = bool(doc.xpath(f"//*[{has_class('comments-closed')} or {has_class('nocomments')}]"))
    return found


def _read_blogger(doc: lxml_html.HtmlElement, page: CommentPage) -> list[Comment]:
    """Blogger's classic list: each comment a ``dt`` (author, ``id="cNNN"``) followed by its ``dd`` body and footer."""
    comments = []
    for head in doc.xpath("//dl[@id='comments-block']/dt[starts-with(@id, 'c')]"):
        parts: dict[str, lxml_html.HtmlElement | None] = {"author": head, "date": None, "body": None}
        sibling = head.getnext()
        while sibling is not None and sibling.tag == "dd":
            classes = sibling.get("class", "")
            if "comment-body" in classes:
                parts["body"] = sibling
            elif "comment-footer" in classes:
                parts["date"] = next(iter(sibling.xpath(".//*[contains(@class,'comment-timestamp')]//a")), sibling)
            sibling = sibling.getnext()
        comment = _read_comment(head, parts, head.get("id", "").removeprefix("c"), None, page)
        comments.append(replace(comment, author=(comment.author or "").removesuffix(" said...").strip() or None))
    return comments


def _read_family(family: _Family, elements: list[lxml_html.HtmlElement], page: CommentPage) -> list[Comment]:
    owners = {element: family.ids(element)[0] for element in elements}  # type: ignore[index]
    parts = _own_parts(family, elements[0].getroottree().getroot(), owners)
    comments: list[Comment] = []
    latest_at_depth: dict[int, str] = {}
    seen: set[str] = set()
    for element in elements:
        comment_id, parent = family.ids(element)  # type: ignore[misc]
        if comment_id in seen:
            continue  # an inner element repeating its comment's id
        seen.add(comment_id)
        depth = _depth(element)
        if parent is None and depth is not None:
            parent = latest_at_depth.get(depth - 1) if depth > 1 else None
        elif parent is None:
            parent = _owner(element, owners)
        if depth is not None:
            latest_at_depth[depth] = comment_id
            for deeper in [d for d in latest_at_depth if d > depth]:
                del latest_at_depth[deeper]
        own = {role: parts.get((comment_id, role)) for role in ("author", "date", "body")}
        comments.append(_read_comment(element, own, comment_id, parent, page))
    return comments


def _own_parts(
    family: _Family, root: lxml_html.HtmlElement, owners: dict[lxml_html.HtmlElement, str]
) -> dict[tuple[str, str], lxml_html.HtmlElement]:
    """Each comment's author, date and body elements, found in one pass over the page.

    A part belongs to the nearest comment around it, so a reply's parts never
    count for its parent however the family nests them; the first selector
    that finds a part for a comment wins.
    """
    parts: dict[tuple[str, str], lxml_html.HtmlElement] = {}
    for role, selectors in (("author", family.author), ("date", family.date), ("body", family.body)):
        for selector in selectors:
            for match in _compiled(selector)(root):
                owner = owners.get(match) or _owner(match, owners)
                if owner is None or (owner, role) in parts:
                    continue
                if role != "author" or _author_text(match):  # an avatar-only author box is not the name
                    parts[owner, role] = match
    return parts


def _owner(element: lxml_html.HtmlElement, owners: dict[lxml_html.HtmlElement, str]) -> str | None:
    """The id of the nearest comment element around *element*."""
    for ancestor in element.iterancestors():
        if ancestor in owners:
            return owners[ancestor]
    return None


def _depth(element: lxml_html.HtmlElement) -> int | None:
    match = _DEPTH.search(element.get("class", ""))
    return int(match.group("depth")) if match else None


def _read_comment(
    element: lxml_html.HtmlElement,
    own: dict[str, lxml_html.HtmlElement | None],
    comment_id: str,
    parent: str | None,
    page: CommentPage,
) -> Comment:
    author_element = own["author"]
    author = _author_text(author_element) if author_element is not None else _reply_label_name(element)
    link = author_element if author_element is not None and author_element.tag == "a" else None
    if link is None and author_element is not None:
        link = next(iter(author_element.iterfind(".//a")), None)
    url = (link.get("href") or "").strip() if link is not None else ""
    dropped: list[str] = []
    date, approximate = _comment_date(own["date"], page.captured, page.tz, dropped)
    page.diagnostics.extend(
        Diagnostic(page.source, f"comment {comment_id}: date {text!r} is {OUT_OF_RANGE}", element.sourceline)
        for text in dropped
    )
    body = _body_markdown(own["body"] if own["body"] is not None else _unmarked_body(element, comment_id), page.writer)
    comment = comment_from_text(
        comment_id,
        body,
        page.source,
        element.sourceline,
        author=author,
        parent=parent,
        date=date,
        url=_author_site(url, page, element.sourceline),
    )
    return replace(comment, date_approximate=approximate) if approximate else comment


_MONTH_FIRST = re.compile(
    r"^(?:\w{3}, )?(?P<month>\d\d)(?P<s>[/-])(?P<day>\d\d)(?P=s)(?P<year>\d{4})(?: -|,) "
    r"(?P<hour>\d\d):(?P<minute>\d\d)(?: (?P<half>[AP]M))?$"
)
_ESCAPED_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?>", re.I)  # "<span>Ana</span>" a theme escaped twice
_NOT_THE_NAME = ".//small | .//time | .//a[contains(@class,'reply')] | .//*[contains(@class,'reply')]"
_SAYS = re.compile(
    r"\s+(?:says|said|dijo|escribió|sagt|schreibt|schreef|zegt|a dit|a écrit|ha detto|ha scritto|disse|skrev)\s*:?$"
    r"|\s+(?:reply|antworten|responder|répondre|rispondi|antwoorden|svara|svar|odpowiedz|responder)$",
    re.I,
)  # the words themes put after a name ("Ana dijo:", "Jo Reply"), in the languages WordPress themes ship most


def _author_text(element: lxml_html.HtmlElement) -> str:
    """The name in an author element, without the date, the reply link or the "says:" themes put beside it."""
    if element.xpath(_NOT_THE_NAME):
        element = deepcopy(element)  # an author element is small; the page's own stays whole
        for extra in element.xpath(_NOT_THE_NAME):
            if extra.getparent() is not None:
                extra.drop_tree()
    name = _ESCAPED_TAG.sub("", " ".join(element.text_content().split())).strip(" ·-–—")
    while (shorter := _SAYS.sub("", name)) != name:
        name = shorter
    return name.strip(" ·-–—:")


def _reply_label_name(element: lxml_html.HtmlElement) -> str:
    """The name in WordPress's reply link (``aria-label="Reply to Ana"``) when the theme shows it nowhere else."""
    for link in element.xpath(".//a[starts-with(@aria-label, 'Reply to ')]"):
        return link.get("aria-label", "").removeprefix("Reply to ").strip()
    return ""


@cache
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector)


def _comment_date(
    element: lxml_html.HtmlElement | None, captured: datetime | None, tz: ZoneInfo, dropped: list[str]
) -> tuple[datetime | None, bool]:
    """The date shown with a comment; a relative one ("3 years ago") is counted back from the capture.

    A date backissue cannot hold is None, its text added to *dropped* for a warning.
    """
    if element is None:
        return None, False
    for value in (element.get("datetime"), element.get("title"), element.get("data-date")):
        if found := read_date(value, tz, dropped):
            return found, False
    text = " ".join(element.text_content().split())
    relative = _RELATIVE.match(text)
    if (relative or text.lower() == "yesterday") and captured is not None:
        count = 1 if not relative or not relative.group("count").isdigit() else int(relative.group("count"))
        try:  # "3000 years ago" is no date: dropped, not clamped
            return days_before(captured, count * (_UNIT_DAYS[relative.group("unit").lower()] if relative else 1)), True
        except DateOutOfRange:
            dropped.append(text)
            return None, False
    if relative:
        return None, False
    if numeric := _MONTH_FIRST.match(text):  # Drupal's "Thu, 08/03/2023 - 08:05", vBulletin's "11-29-2024, 01:50 PM"
        hour = int(numeric["hour"])
        if numeric["half"]:  # a 12-hour clock: 12:05 AM is 00:05, 01:50 PM is 13:50
            hour = hour % 12 + (12 if numeric["half"] == "PM" else 0)
        text = f"{numeric['year']}-{numeric['month']}-{numeric['day']}T{hour:02}:{numeric['minute']}"
    return read_date(text, tz, dropped), False


def _author_site(href: str, page: CommentPage, line: int | None) -> str | None:
    url, dropped = checked_url(href, page.source, "comment author link", line)
    if dropped and not href.startswith("#"):  # a link to a spot on the page itself is no address to report
        page.diagnostics.append(dropped)
    return url


_NOT_THE_BODY = (
    ".//header | .//footer | .//cite | .//time | .//img | .//*[@itemprop='author'] | .//*[contains(@class,'avatar')]"
    " | .//*[contains(@class,'children')] | .//*[starts-with(@id,'comment-') or starts-with(@id,'li-comment-')]"
)
MAX_UNMARKED_CHARS = 20_000  # a thread root holding its replies is not copied whole to find its own text


def _unmarked_body(element: lxml_html.HtmlElement, comment_id: str) -> lxml_html.HtmlElement:
    """A comment's own text where no element marks it: the comment minus its header, footer, avatar and replies."""
    if len(element.text_content()) > MAX_UNMARKED_CHARS:
        return lxml_html.fromstring("<div></div>")
    body = deepcopy(element)
    for part in body.xpath(_NOT_THE_BODY):
        own_wrapper = part.get("id", "").rsplit("-", 1)[-1] == comment_id  # the comment's inner box, not a reply
        if part.getparent() is not None and not own_wrapper:
            part.drop_tree()
    return body


def _body_markdown(element: lxml_html.HtmlElement, writer: MarkdownWriter) -> str:
    """A comment's text as Markdown, without the author, date and reply links around it."""
    for part in element.xpath(" | ".join(f".//*[{has_class(name)}]" for name in _META_PARTS)):
        if part.getparent() is not None:
            part.drop_tree()
    return writer.convert(element).strip()
