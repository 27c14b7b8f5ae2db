"""What static hosts need beside the pages: redirects from old URLs, and caching rules.

An article's ``aliases`` become small redirect pages (a ``<meta
http-equiv="refresh">``, a plain link and ``rel=canonical``; no JavaScript).
With ``[publish] host_files = true`` the build also writes ``_redirects`` and
``_headers`` for Netlify and Cloudflare Pages. The caching rule is the one
S3 uploads use too: files whose names carry their digest never change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Literal
from urllib.parse import urlsplit

from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls, UrlCollision, UrlRegistry, absolute_url, dest_path, relative_url
from generator.model import Article, Diagnostic

IMMUTABLE_FOLDERS = ("static/", "media/")  # theme files and images: content digests in their names
LONG_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "public, max-age=300"
OTHER_CACHE = "public, max-age=3600"


@dataclass(frozen=True)
class Redirect:
    """An old URL of an article, served as a page that sends readers on."""

    url: str
    target: str
    title: str


def plan_redirects(
    articles: Sequence[Article], registry: UrlRegistry, urls: SiteUrls
) -> tuple[list[Redirect], list[Diagnostic]]:
    """One redirect per alias; an alias that is unsafe or taken by a real page is a warning."""
    redirects, diagnostics = [], []
    for article in articles:
        for alias in article.aliases:
            url = urls.alias(alias)
            try:
                if url is None:
                    raise UrlCollision("not a path on this site")
                registry.claim(url, f"an alias of {article.source_path}")
            except UrlCollision as error:
                diagnostics.append(Diagnostic(article.source_path, f"alias {alias!r} left out: {error}"))
                continue
            redirects.append(Redirect(url, article.url, article.title))
    return redirects, diagnostics


def redirect_page(redirect: Redirect, base_url: str, language: str) -> bytes:
    link = escape(relative_url(redirect.url, redirect.target))
    canonical = escape(absolute_url(base_url, redirect.target)) if base_url else link
    title = escape(redirect.title)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>Moved: {title}</title>\n'
        f'<link rel="canonical" href="{canonical}">\n<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={link}">\n</head>\n'
        f'<body>\n<p>This page has moved to <a href="{link}">{title}</a>.</p>\n</body>\n</html>\n'
    ).encode()


def _site_prefix(base_url: str) -> str:
    """The path the site is served under, as host rules write it: ``/`` or ``/archive/``."""
    return urlsplit(base_url).path.rstrip("/") + "/" if base_url else "/"


def redirects_file(redirects: Sequence[Redirect], base_url: str) -> bytes:
    """Netlify/Cloudflare ``_redirects``: a permanent redirect per alias, under the site's path."""
    prefix = _site_prefix(base_url)
    lines = [f"{prefix}{r.url} {prefix}{r.target} 301" for r in sorted(redirects, key=lambda r: r.url)]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def headers_file(base_url: str) -> bytes:
    """Netlify/Cloudflare ``_headers``: files named by their digest may be cached for a year."""
    prefix = _site_prefix(base_url)
    rules = [f"{prefix}{folder}*\n  Cache-Control: {LONG_CACHE}\n" for folder in IMMUTABLE_FOLDERS]
    return "".join(rules).encode("utf-8")


def cache_control(relative: str) -> str:
    """How long a host or CDN may keep a file: a year for digest-named files, minutes for pages."""
    if relative.startswith(IMMUTABLE_FOLDERS):
        return LONG_CACHE
    return PAGE_CACHE if relative.endswith((".html", ".htm")) else OTHER_CACHE


def host_outputs(
    config: SiteConfig, redirects: Sequence[Redirect]
) -> Iterator[tuple[Literal["redirect", "host-file"], str, object, Callable[[], bytes]]]:
    """Redirect pages and, when asked for, the host files: kind, path, what they show, and how to make them."""
    for redirect in redirects:
        make = partial(redirect_page, redirect, config.base_url, config.language)
        yield "redirect", dest_path(redirect.url), redirect, make
    if config.publish.host_files:
        yield "host-file", "_redirects", tuple(redirects), partial(redirects_file, redirects, config.base_url)
        yield "host-file", "_headers", config.base_url, partial(headers_file, config.base_url)
