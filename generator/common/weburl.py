"""Addresses taken from captures: parsed in one place, never raising, and only http(s) kept as links.

A capture is hostile input: its canonical link, ``og:url``, JSON-LD ``url``, a comment author's site or an
image's address may be ``javascript:``, ``data:``, or not parse at all (``http://[::1/``, which makes
:func:`urllib.parse.urlsplit` raise). Every reader goes through these functions, so a bad address costs only
itself: it is dropped with a warning naming the file and the field, and the rest of the page is read.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from generator.model import Diagnostic

WEB_SCHEMES = ("http", "https")
_VOLATILE_QUERY = ("replytocom", "amp", "print", "output", "share", "fbclid", "gclid")  # other views of one page
_VIEW_SUFFIXES = ("/amp", "/print", "/amp/", "/print/")
_EDGES = "".join(chr(code) for code in range(0x21))  # what browsers strip around an address: C0 controls, space
_REMOVED = re.compile(r"[\t\n\r]")  # what browsers remove inside one
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HOST = re.compile(r"[\w.:-]+")  # names, IDNs and IPv6 literals; not a path escaped into the host (example.org%2Fa)


def split_url(url: str) -> SplitResult | None:
    """:func:`urlsplit` that answers None for what it cannot parse (an unclosed IPv6 bracket, a bad port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    return parts


def join_url(base: str, url: str) -> str:
    """*url* resolved against *base*; *url* itself when either does not parse."""
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return url


def web_url(value: object, base: str = "") -> str | None:
    """*value* as an absolute http(s) address with a host, as a browser would read it; None for anything else.

    Relative addresses are resolved against *base* (when it is itself a web address). The result is the
    address re-assembled from its parsed parts, so what is linked is exactly what was checked.
    """
    if not isinstance(value, str):
        return None
    text = _REMOVED.sub("", value.strip(_EDGES))
    if not text or _CONTROL.search(text):
        return None
    if base and web_url(base):
        text = join_url(base, text)
    parts = split_url(text)
    if parts is None or parts.scheme.lower() not in WEB_SCHEMES or not _HOST.fullmatch(parts.hostname or ""):
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, parts.fragment)).replace(" ", "%20")


def checked_url(
    value: object, source: str, field: str, line: int | None = None, base: str = ""
) -> tuple[str | None, Diagnostic | None]:
    """:func:`web_url`, with a warning naming *source* and *field* when a value given is dropped."""
    url = web_url(value, base)
    if url is None and value not in (None, ""):
        shown = repr(value)[:120]
        return None, Diagnostic(source, f"{field} {shown} is not an http(s) address; dropped", line)
    return url, None


def page_key(url: str | None) -> str | None:
    """One key for every URL of the same page (scheme, www., views, tracking and reply parameters aside)."""
    if not url:
        return None
    parts = split_url(url.strip())
    if parts is None:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path
    for suffix in _VIEW_SUFFIXES:
        path = path.removesuffix(suffix)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _VOLATILE_QUERY and not k.startswith("utm_")]
    return urlunsplit(("", host, path.rstrip("/") or "/", urlencode(sorted(query)), ""))
