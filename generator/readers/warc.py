"""Web archives (``.warc``, ``.warc.gz``, ``.warc.lz4``, ``.arc``, ``.arc.gz``): HTML responses read as HTML captures.

Image responses in the same archive are written out once, by content, under
the build state folder (``.backissue/warc/``) in a host/path layout like a
mirror's, so a page's ``<img>`` references resolve to them exactly as they do
in a wget tree. Images are written as the records stream past and HTML
payloads wait in a temporary file until the archive's images are all out, so
a large archive costs disk, not memory. Revisit records (a crawler's "unchanged since") stand
for the response they point at; redirects, errors and non-HTML records are
passed over; a truncated or corrupt archive yields the pages read before the
damage, with a warning. ARC files (the Internet Archive's format before WARC)
go through warcio's ARC support; LZ4-compressed WARCs through ``lz4`` frames.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import tempfile
import zlib
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import IO
from urllib.parse import unquote

import lz4.frame
from warcio.archiveiterator import ArchiveIterator

from generator.common.weburl import split_url
from generator.model import Diagnostic
from generator.readers.archive_images import ARCHIVE_FOLDER
from generator.readers.base import ReadContext, ReadResult, isolated
from generator.readers.html.meta import read_date
from generator.readers.html.reader import Page, read_page
from generator.store.output import write_atomically

_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d+)?$", re.I)
_UNSAFE = re.compile(r"[^\w.,+~-]")


@dataclass(frozen=True)
class _Response:
    url: str
    date: datetime | None
    mime: str
    kept: tuple[int, int] = (0, 0)  # a page's offset and size in the archive's spool; an image is on disk
    language: str = ""  # the HTTP Content-Language header


@dataclass(frozen=True)
class Seed:
    """What a package's page list says of one page: its title and when it was captured."""

    title: str = ""
    captured: datetime | None = None


@dataclass
class Archive:
    """The pages of one archive file (or package) so far, and where its images are kept."""

    source: str
    root: Path
    context: ReadContext
    pages: list[_Response] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    by_digest: dict[str, _Response] = field(default_factory=dict)
    spool: IO[bytes] = field(default_factory=tempfile.TemporaryFile)  # HTML payloads until the pages are read

    @classmethod
    def for_file(cls, path: Path, context: ReadContext) -> Archive:
        """An empty archive for *path*, its images kept under a folder named by the file's digest."""
        try:
            digest = file_digest(path)
        except OSError:
            digest = "unread"
        return cls(context.relative(path), context.site_path / ARCHIVE_FOLDER / digest, context)

    def read_records(self, stream: IO[bytes], arc: bool = False) -> str | None:
        """File every record of *stream*; why it stopped short, if it did (warcio's complaints are swallowed)."""
        complaints = io.StringIO()
        try:
            with redirect_stderr(complaints):
                records = ArchiveIterator(stream, arc2warc=arc)
                for record in records:
                    if not record.rec_headers.get_header("WARC-Record-ID"):
                        raise ValueError("a record without a WARC-Record-ID: not a web archive")
                    self._take(record)
            return "records misaligned (a wrong Content-Length)" if records.err_count else None
        except Exception as error:  # warcio raises many kinds on damaged input; none may stop the build
            return str(error) or type(error).__name__

    def damaged(self, problem: str, where: str = "web archive") -> None:
        message = f"{where} damaged or truncated: {problem}; read the {len(self.pages)} page(s) before the damage"
        self.diagnostics.append(Diagnostic(self.source, message))

    def result(self, seeds: dict[str, Seed] | None = None) -> ReadResult:
        """One result per page (the first carrying the rest in ``more``); with *seeds*, only the pages they list.

        A package's page list names the pages its crawl was asked for; the
        other HTML responses (frames, embeds, pages merely linked) are its
        resources and are listed as skipped.
        """
        local = replace(self.context, content_path=self.root)
        results = []
        for page in self.pages:
            seed = seeds.get(page.url.split("#")[0]) if seeds is not None else Seed()
            if seed is None:
                results.append(
                    ReadResult(None, skipped=f"a resource of the package, not one of its pages ({page.url})")
                )
                continue
            kept_at = _local_path(self.root, page.url)
            context = replace(local, defaults={"title": seed.title, **local.defaults}) if seed.title else local
            captured = seed.captured or page.date
            self.spool.seek(page.kept[0])
            base = kept_at.parent if kept_at else self.root
            record_source = f"{self.source}#{page.url}"
            payload = self.spool.read(page.kept[1])
            capture = Page(payload, record_source, base, page.url, captured, "warc", language=page.language)
            result = isolated(record_source, partial(read_page, capture, context))
            if result.skipped:
                result.skipped += f" ({page.url})"
            results.append(result)
        self.spool.close()
        if not results:
            return ReadResult(
                None, self.diagnostics, skipped="no HTML pages in the archive", state_folder=self.root.name
            )
        first = results[0]
        first.diagnostics[:0] = self.diagnostics
        first.more = results[1:]
        first.state_folder = self.root.name
        return first

    def _take(self, record) -> None:
        """File one record: an HTML page, an image, a revisit of an earlier response, or nothing."""
        kind = record.rec_type
        if kind not in ("response", "revisit") or record.http_headers is None:
            return
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        status = record.http_headers.get_statuscode() or ""
        date = read_date(record.rec_headers.get_header("WARC-Date"), self.context.tz)
        digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
        if kind == "revisit":
            earlier = self.by_digest.get(digest)
            if earlier is not None and earlier.url != url:
                again = replace(earlier, url=url, date=date)
                self._file(again, b"" if earlier.kept[1] else _kept_bytes(self.root, earlier.url))
            return
        if status != "200":
            return
        limit = self.context.limits.max_capture_bytes
        payload = record.content_stream().read(limit + 1)
        if len(payload) > limit:
            self.diagnostics.append(
                Diagnostic(self.source, f"limit max_capture_bytes: record {url} is too large; skipped")
            )
            return
        mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
        language = (record.http_headers.get_header("Content-Language") or "").split(",")[0].strip()
        response = self._file(_Response(url, date, mime, language=language), payload)
        if digest and response is not None:
            self.by_digest[digest] = response

    def _file(self, response: _Response, payload: bytes) -> _Response | None:
        """Spool a page for reading (a revisit's page is spooled already), write an image out; what was kept."""
        if response.mime in ("text/html", "application/xhtml+xml"):
            if payload or not response.kept[1]:
                offset = self.spool.seek(0, io.SEEK_END)
                response = replace(response, kept=(offset, self.spool.write(payload)))
            self.pages.append(response)
            return response
        if response.mime.startswith("image/"):
            try:
                _write_image(self.root, response.url, payload)
            except OSError as error:
                problem = error.strerror or error
                self.diagnostics.append(Diagnostic(self.source, f"cannot keep image {response.url}: {problem}"))
            return response
        return None


def read_warc(path: Path, context: ReadContext) -> ReadResult:
    archive = Archive.for_file(path, context)
    name = path.name.lower()
    arc = name.endswith((".arc", ".arc.gz"))
    opener: Callable[..., IO[bytes]] = lz4.frame.open if name.endswith(".lz4") else open
    try:
        with opener(path, "rb") as stream:
            problem = archive.read_records(stream, arc) or _incomplete(path, arc)
    except (OSError, RuntimeError) as error:  # unreadable file; lz4 raises RuntimeError on a bad frame
        problem = str(error) or type(error).__name__
    if problem:
        archive.damaged(problem)
    return archive.result()


def _incomplete(path: Path, arc: bool) -> str | None:
    """Why the archive stops short, if it does: a cut compressed stream, or a last WARC record without its end."""
    name = path.name.lower()
    opener = gzip.open if name.endswith(".gz") else lz4.frame.open if name.endswith(".lz4") else open
    tail = b""
    try:
        with opener(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                tail = (tail + chunk)[-4:]
    except (OSError, EOFError, RuntimeError, zlib.error) as error:
        return f"{error}"
    return None if arc or tail == b"\r\n\r\n" else "the last record is cut short"


def _local_path(root: Path, url: str) -> Path | None:
    """Where a response of *url* is kept under *root*: host, then the path's segments made safe."""
    parts = split_url(url)
    if parts is None or not _HOST.match(parts.netloc):
        return None
    segments = [_UNSAFE.sub("_", unquote(s)) for s in parts.path.split("/") if s not in ("", ".", "..")]
    segments = [s for s in segments if s.strip(".")] or ["index.html"]
    if parts.path.endswith("/"):
        segments.append("index.html")
    return root.joinpath(parts.netloc.lower(), *segments)


def _kept_bytes(root: Path, url: str) -> bytes:
    """An image already written for *url*, for a revisit of it under another address."""
    kept = _local_path(root, url)
    try:
        return kept.read_bytes() if kept else b""
    except OSError:
        return b""


def _write_image(root: Path, url: str, payload: bytes) -> None:
    """Keep an image record as a file, written once and atomically."""
    target = _local_path(root, url)
    if target is not None and not target.is_file():
        write_atomically(target, payload)


def file_digest(path: Path) -> str:
    """The first 20 hex digits of the file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:20]
