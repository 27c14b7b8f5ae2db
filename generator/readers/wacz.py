"""WACZ packages (Webrecorder, Browsertrix Crawler, ArchiveWeb.page, py-wacz): a ZIP of web archives.

The package is read in place: each ``archive/*.warc[.gz]`` member streams
from the ZIP through the same record rules as a loose web archive (images
written out as they pass), ``pages/pages.jsonl`` says which HTML responses
are the pages the crawl was asked for (the rest are its resources) with their
titles and capture times, and ``datapackage.json``'s digests are checked
against the bytes as they stream, a mismatch being a warning. A package cut
short (no central directory) is walked member by member from the front, so
the pages before the damage are still read.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from generator.model import Diagnostic
from generator.readers.base import ReadContext, ReadResult
from generator.readers.html.meta import read_date
from generator.readers.warc import Archive, Seed

PAGE_LISTS = ("pages/pages.jsonl", "pages/extraPages.jsonl")
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_SMALL_MEMBER = 64 << 20  # page lists and manifests are read whole; archives stream


class _Hashing:
    """A read-only stream that digests what passes through it and counts it."""

    def __init__(self, stream: IO[bytes], algorithm: str) -> None:
        self.stream = stream
        self.digest = hashlib.new(algorithm) if algorithm in hashlib.algorithms_available else None
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.size += len(data)
        if self.digest is not None:
            self.digest.update(data)
        return data

    def finish(self) -> str:
        """Read what the consumer left and give the hex digest of the whole."""
        while self.read(1 << 20):
            pass
        return self.digest.hexdigest() if self.digest is not None else ""


def read_wacz(path: Path, context: ReadContext) -> ReadResult:
    archive = Archive.for_file(path, context)
    try:
        with zipfile.ZipFile(path) as package:
            seeds = _read_package(package, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError) as error:
        seeds = _read_damaged(path, archive, str(error) or type(error).__name__)
    except OSError as error:
        archive.diagnostics.append(Diagnostic(archive.source, f"cannot read the package: {error.strerror or error}"))
        seeds = None
    return archive.result(seeds)


def _read_package(package: zipfile.ZipFile, archive: Archive) -> dict[str, Seed] | None:
    """Read a whole package: page list, archives (digests checked as they stream), then the other digests."""
    names = set(package.namelist())
    expected = _manifest(package, archive) if "datapackage.json" in names else {}
    seeds = None
    for name in PAGE_LISTS:
        if name in names:
            seeds = {**(seeds or {}), **_seeds(_small(package, name), archive, name)}
    checked: set[str] = set()
    for name in sorted(n for n in names if _is_archive(n)):
        algorithm, _ = expected.get(name, ("sha256", ""))
        try:
            with package.open(name) as member:
                stream = _Hashing(member, algorithm)
                if problem := archive.read_records(stream, name.lower().endswith((".arc", ".arc.gz"))):
                    archive.damaged(problem, f"member {name}")
                _compare(archive, name, expected, stream.finish())
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            archive.damaged(str(error), f"member {name}")
        checked.add(name)
    for name in sorted(set(expected) - checked):
        if name not in names:
            archive.diagnostics.append(Diagnostic(archive.source, f"datapackage.json lists {name}, not in the package"))
            continue
        try:
            with package.open(name) as member:
                _compare(archive, name, expected, _Hashing(member, expected[name][0]).finish())
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            archive.damaged(str(error), f"member {name}")
    return seeds


def _manifest(package: zipfile.ZipFile, archive: Archive) -> dict[str, tuple[str, str]]:
    """``path → (algorithm, hex digest)`` from ``datapackage.json``; a broken one is a warning."""
    try:
        resources = json.loads(_small(package, "datapackage.json")).get("resources", [])
        pairs = ((r["path"], str(r["hash"]).partition(":")) for r in resources if r.get("path") and r.get("hash"))
        return {path: (algorithm.lower(), digest.lower()) for path, (algorithm, _, digest) in pairs}
    except (ValueError, AttributeError, TypeError, KeyError, zipfile.BadZipFile, OSError) as error:
        archive.diagnostics.append(
            Diagnostic(archive.source, f"datapackage.json unreadable, digests not checked: {error}")
        )
        return {}


def _compare(archive: Archive, name: str, expected: dict[str, tuple[str, str]], actual: str) -> None:
    if name in expected and actual and actual != expected[name][1]:
        message = f"digest of {name} does not match datapackage.json: the package was changed or damaged"
        archive.diagnostics.append(Diagnostic(archive.source, message))


def _seeds(data: bytes, archive: Archive, name: str) -> dict[str, Seed]:
    """URL (without fragment) → title and capture time, from a page list; bad lines are warnings."""
    seeds = {}
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            url = entry.get("url")
        except (ValueError, AttributeError):
            archive.diagnostics.append(Diagnostic(archive.source, f"{name} line {number}: not a JSON object; ignored"))
            continue
        if isinstance(url, str) and url:
            title = entry.get("title") if isinstance(entry.get("title"), str) else ""
            stamp = entry.get("ts") if isinstance(entry.get("ts"), str) else None
            seeds[url.split("#")[0]] = Seed(title if title != url else "", read_date(stamp, archive.context.tz))
    return seeds


def _small(package: zipfile.ZipFile, name: str) -> bytes:
    with package.open(name) as member:
        return member.read(_SMALL_MEMBER)


def _is_archive(name: str) -> bool:
    return name.startswith("archive/") and name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))


def _read_damaged(path: Path, archive: Archive, why: str) -> dict[str, Seed] | None:
    """A package without a readable directory: its members in file order, until the damage.

    A page list met before the archives decides which responses are pages;
    met after them (as py-wacz writes packages) or not at all, every HTML
    response counts as one.
    """
    archive.diagnostics.append(Diagnostic(archive.source, f"package damaged ({why}); reading its members in order"))
    lists: list[dict[str, Seed]] = []
    try:
        with path.open("rb") as stream:
            for name, method, body in _local_members(stream, archive):
                if _is_archive(name) and method == zipfile.ZIP_STORED:
                    problem = archive.read_records(body, name.lower().endswith((".arc", ".arc.gz")))
                    body.drain()
                    if problem or body.remaining:
                        archive.damaged(problem or "the member is cut short", f"member {name}")
                elif name in PAGE_LISTS and not archive.pages:
                    data = body.read(_SMALL_MEMBER)
                    if method == zipfile.ZIP_DEFLATED:
                        data = zlib.decompressobj(-15).decompress(data, _SMALL_MEMBER)
                    lists.append(_seeds(data, archive, name))
                body.drain()
    except (OSError, zlib.error) as error:
        archive.damaged(str(error) or type(error).__name__, "package")
    return {url: seed for found in lists for url, seed in found.items()} if lists else None


class _Bounded:
    """At most *size* bytes of *stream*; ``remaining`` says how many it promised but did not have."""

    def __init__(self, stream: IO[bytes], size: int) -> None:
        self.stream = stream
        self.remaining = size

    def read(self, size: int = -1) -> bytes:
        wanted = self.remaining if size < 0 else min(size, self.remaining)
        data = self.stream.read(wanted) if wanted > 0 else b""
        self.remaining -= len(data)
        return data

    def drain(self) -> None:
        while self.remaining and self.read(1 << 20):
            pass


def _local_members(stream: IO[bytes], archive: Archive) -> Iterator[tuple[str, int, _Bounded]]:
    """Each member's name, compression method and bytes, from the local headers, until one cannot be read."""
    while True:
        header = stream.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            return
        _, _, flags, method, _, _, _, size, _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        name = stream.read(name_length).decode("utf-8", "replace")
        stream.read(extra_length)
        if flags & 0x08 or size == 0xFFFFFFFF:  # sizes only after the data (or in ZIP64 extras): cannot walk on
            archive.diagnostics.append(Diagnostic(archive.source, f"member {name}: size unknown; stopped there"))
            return
        body = _Bounded(stream, size)
        yield name, method, body
        if body.remaining:
            return
