"""``sitemap.xml`` (split behind a sitemap index past 50,000 URLs) and ``robots.txt``.

Sitemaps must list absolute URLs, so they are written only when the site has
a ``base_url``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from generator.common.controls import strip_controls
from generator.common.urls import SiteUrls, absolute_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000


def sitemap_files(base_url: str, entries: Sequence[tuple[str, str | None]], urls: SiteUrls) -> dict[str, bytes]:
    """File name → bytes for *entries* of ``(url, lastmod or None)``."""
    chunks = [entries[i : i + MAX_URLS] for i in range(0, len(entries), MAX_URLS)] or [[]]
    if len(chunks) == 1:
        return {urls.sitemap: _urlset(base_url, chunks[0])}
    files = {urls.sitemap_part(n): _urlset(base_url, chunk) for n, chunk in enumerate(chunks, start=1)}
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for name in files:
        add_text(ET.SubElement(index, "sitemap"), "loc", absolute_url(base_url, name))
    return {urls.sitemap: xml_bytes(index), **files}


def robots_txt(base_url: str, urls: SiteUrls) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {absolute_url(base_url, urls.sitemap)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _urlset(base_url: str, entries: Sequence[tuple[str, str | None]]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for url, lastmod in entries:
        node = ET.SubElement(urlset, "url")
        add_text(node, "loc", absolute_url(base_url, url))
        if lastmod:
            add_text(node, "lastmod", lastmod)
    return xml_bytes(urlset)


def add_text(parent: ET.Element, tag: str, text: str) -> None:
    """A child element holding *text* (escaped by ElementTree)."""
    ET.SubElement(parent, tag).text = text


def xml_bytes(root: ET.Element) -> bytes:
    """The document, indented, with its declaration: what sitemaps and feeds are written as.

    Text and attributes lose the control characters XML 1.0 forbids, so one odd title cannot break a feed.
    """
    for element in root.iter():
        element.text = strip_controls(element.text) if element.text else element.text
        element.attrib.update({key: strip_controls(value) for key, value in element.attrib.items()})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
