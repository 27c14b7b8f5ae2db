"""The media type each output file is served with: one table for the preview server and S3 uploads alike.

Set here rather than taken from :mod:`mimetypes` alone, whose answers depend on the machine's own tables;
a site must be served the same way wherever it is published from.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from generator.common.urls import SiteUrls

HTML = "text/html; charset=utf-8"
_BY_SUFFIX = {
    ".html": HTML, ".css": "text/css; charset=utf-8", ".xml": "application/xml", ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".webp": "image/webp", ".avif": "image/avif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".ico": "image/x-icon",
}  # fmt: skip


def content_type(relative: str) -> str:
    """The media type of the output file at *relative* (a path in the output folder)."""
    if relative.endswith(SiteUrls.feed):  # the site's and each term's feed; other .xml files are plain XML
        return "application/atom+xml"
    suffix = PurePosixPath(relative).suffix.lower()
    return _BY_SUFFIX.get(suffix) or mimetypes.guess_type(relative)[0] or "application/octet-stream"
