"""Web archives (``.warc``, ``.warc.gz``): every HTML page response read as an HTML capture.

Image responses in the same archive are written out once, by content, under
the build state folder (``.backissue/warc/``) in a host/path layout like a
mirror's, so a page's ``<img>`` references resolve to them exactly as they do
in a wget tree. Revisit records (a crawler's "unchanged since") stand for the
response they point at; redirects, errors and non-HTML records are passed
over; a truncated or corrupt archive yields the pages read before the damage,
with a warning.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import shutil
import zlib
from contextlib import redirect_stderr
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator

from ..model import Diagnostic
from ..output import write_atomically
from . import ReadContext, ReadResult
from .html import Page, read_page
from .html_meta import read_date

STATE_FOLDER = Path(".backissue") / "warc"
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d+)?$", re.I)
_UNSAFE = re.compile(r"[^\w.,+~-]")


@dataclass
class _Response:
    url: str
    date: datetime | None
    mime: str
    payload: bytes
    language: str = ""  # the HTTP Content-Language header


@dataclass
class _Archive:
    pages: list[_Response] = field(default_factory=list)
    images: list[_Response] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    digest: str = "unread"


def read_warc(path: Path, context: ReadContext) -> ReadResult:
    source = context.relative(path)
    archive = _read_archive(path, source, context)
    root = context.site_path / STATE_FOLDER / archive.digest
    for image in archive.images:
        try:
            _write_image(root, image)
        except OSError as error:
            archive.diagnostics.append(Diagnostic(source, f"cannot keep image {image.url}: {error.strerror or error}"))
    local = replace(context, content_path=root)
    results = []
    for page in archive.pages:
        record_source = f"{source}#{page.url}"
        kept_at = _local_path(root, page.url)
        base_dir = kept_at.parent if kept_at else root
        found = Page(page.payload, record_source, base_dir, page.url, page.date, "warc", language=page.language)
        result = read_page(found, local)
        if result.skipped:
            result.skipped += f" ({page.url})"
        results.append(result)
    if not results:
        return ReadResult(None, archive.diagnostics, skipped="no HTML pages in the archive", state_folder=root.name)
    first = results[0]
    first.diagnostics[:0] = archive.diagnostics
    first.more = results[1:]
    first.state_folder = root.name
    return first


def prune_archive_folders(site_path: Path, keep: set[str]) -> None:
    """Remove the images kept for web archives that are no longer in ``content/`` (or have changed)."""
    folder = site_path / STATE_FOLDER
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_dir() and not entry.is_symlink() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def _read_archive(path: Path, source: str, context: ReadContext) -> _Archive:
    archive = _Archive()
    by_digest: dict[str, _Response] = {}
    limit = context.limits.max_capture_bytes
    complaints = io.StringIO()
    try:
        archive.digest = _file_digest(path)
        with path.open("rb") as stream, redirect_stderr(complaints):  # warcio prints what it skips over
            records = ArchiveIterator(stream)
            for record in records:
                if not record.rec_headers.get_header("WARC-Record-ID"):
                    raise ValueError("a record without a WARC-Record-ID: not a web archive")
                _take(record, archive, by_digest, source, limit, context)
        problem = "records misaligned (a wrong Content-Length)" if records.err_count else _incomplete(path)
    except Exception as error:  # warcio raises many kinds on damaged input; none may stop the build
        problem = str(error) or type(error).__name__
    if problem:
        message = (
            f"web archive damaged or truncated: {problem}; read the {len(archive.pages)} page(s) before the damage"
        )
        archive.diagnostics.append(Diagnostic(source, message))
    return archive


def _incomplete(path: Path) -> str | None:
    """Why the archive stops short, if it does: a cut gzip stream, or a last record without its end."""
    tail = b""
    try:
        with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                tail = (tail + chunk)[-4:]
    except (OSError, EOFError, zlib.error) as error:
        return f"{error}"
    return None if tail == b"\r\n\r\n" else "the last record is cut short"


def _take(
    record, archive: _Archive, by_digest: dict[str, _Response], source: str, limit: int, context: ReadContext
) -> None:
    """File one record: an HTML page, an image, a revisit of an earlier response, or nothing."""
    kind = record.rec_type
    if kind not in ("response", "revisit") or record.http_headers is None:
        return
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = record.http_headers.get_statuscode() or ""
    date = read_date(record.rec_headers.get_header("WARC-Date"), context.tz)
    digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    if kind == "revisit":
        earlier = by_digest.get(digest)
        if earlier is not None and earlier.url != url:
            _file(archive, _Response(url, date, earlier.mime, earlier.payload, earlier.language))
        return
    if status != "200":
        return
    payload = record.content_stream().read(limit + 1)
    if len(payload) > limit:
        archive.diagnostics.append(Diagnostic(source, f"limit max_capture_bytes: record {url} is too large; skipped"))
        return
    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    language = (record.http_headers.get_header("Content-Language") or "").split(",")[0].strip()
    response = _Response(url, date, mime, payload, language)
    if digest:
        by_digest[digest] = response
    _file(archive, response)


def _file(archive: _Archive, response: _Response) -> None:
    if response.mime in ("text/html", "application/xhtml+xml"):
        archive.pages.append(response)
    elif response.mime.startswith("image/"):
        archive.images.append(response)


def _local_path(root: Path, url: str) -> Path | None:
    """Where a response of *url* is kept under *root*: host, then the path's segments made safe."""
    parts = urlsplit(url)
    if not _HOST.match(parts.netloc):
        return None
    segments = [_UNSAFE.sub("_", unquote(s)) for s in parts.path.split("/") if s not in ("", ".", "..")]
    segments = [s for s in segments if s.strip(".")] or ["index.html"]
    if parts.path.endswith("/"):
        segments.append("index.html")
    return root.joinpath(parts.netloc.lower(), *segments)


def _write_image(root: Path, image: _Response) -> None:
    """Keep an image record as a file, written once and atomically."""
    target = _local_path(root, image.url)
    if target is not None and not target.is_file():
        write_atomically(target, image.payload)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:20]
