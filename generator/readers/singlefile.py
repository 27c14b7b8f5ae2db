"""SingleFile pages: one self-contained HTML file whose images, fonts and styles are inlined as ``data:`` URIs.

SingleFile (the browser extension and its CLI, also one of ArchiveBox's
outputs) marks its pages with a comment near the top giving the original
URL and the save date; that date is the capture date. Each inlined image is
decoded once, written by its digest under the build state folder (beside a
web archive's images, and removed with them when the page leaves
``content/``), and the page is read pointing at that file, so it is published
like any other image: checked (pixel limit, the SVG rule), resized, with
``srcset``, not megabytes of base64 in the page. Inlined styles and fonts are
dropped. Everything else is a saved page like any other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote_to_bytes

from generator.model import Diagnostic
from generator.readers.archive_images import ARCHIVE_FOLDER
from generator.readers.base import ReadContext, ReadResult
from generator.readers.html.reader import Page, read_html_capture, read_page
from generator.readers.metadata import parse_datetime, read_sidecar
from generator.readers.text_file import read_capture_bytes
from generator.readers.warc import file_digest
from generator.store.output import write_atomically

_HEAD = 8192  # where the header comment must start
_HEADER = re.compile(rb"<!--\s*Page saved with SingleFile\b(?P<body>.*?)-->", re.S)
_URL = re.compile(rb"^\s*url:\s*(?P<url>\S+)\s*$", re.M)
_SAVED = re.compile(rb"^\s*saved date:\s*(?P<date>.+?)\s*$", re.M)
_JS_DATE = re.compile(r"(?P<stamp>[A-Z][a-z]{2} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT(?P<offset>[+-]\d{4})")
_DATA_ATTRIBUTE = re.compile(
    rb"""(?P<name>\s(?:src|poster)\s*=\s*)(?P<quote>["'])data:(?P<mime>image/[\w.+-]+)"""
    rb"""(?P<params>(?:;[^,"']*)?),(?P<data>[^"']*)(?P=quote)""",
    re.I,
)
_INLINED = re.compile(  # styles and fonts: what a reading copy does not keep
    rb"<style\b[^>]*>.*?</style\s*>|<link\b[^>]*\bhref\s*=\s*[\"']?data:[^>]*>"
    rb"""|\s(?:style|srcset)\s*=\s*(?:"[^"]*data:[^"]*"|'[^']*data:[^']*')""",
    re.I | re.S,
)
_SUFFIXES = {"jpeg": "jpg", "svg+xml": "svg", "x-icon": "ico", "vnd.microsoft.icon": "ico"}


def read_saved_html(path: Path, context: ReadContext) -> ReadResult:
    """A saved page: a SingleFile page when its header says so, else the HTML reader's."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD)
    except OSError:
        head = b""
    if _header(head) is None:
        return read_html_capture(path, context)
    return read_singlefile(path, context)


def read_singlefile(path: Path, context: ReadContext) -> ReadResult:
    source = context.relative(path)
    data, diagnostics = read_capture_bytes(path, source, context.limits.max_capture_bytes)
    if data is None:
        return ReadResult(None, diagnostics)
    url, saved = _header(data[:_HEAD]) or ("", None)
    root = context.site_path / ARCHIVE_FOLDER / file_digest(path)
    data, problems = _keep_images(data, root, source)
    data = _INLINED.sub(b"", data)
    diagnostics.extend(problems)
    sidecar_path = path.with_suffix(".toml")
    sidecar, problems = read_sidecar(sidecar_path, context.relative(sidecar_path))
    diagnostics.extend(problems)
    captured = parse_datetime(sidecar.get("captured"), context.tz) or saved
    captured = captured or parse_datetime(context.defaults.get("captured"), context.tz)
    page = Page(data, source, root, url, captured, "singlefile", overrides=sidecar)
    result = read_page(page, replace(context, content_path=root))
    result.diagnostics[:0] = diagnostics
    result.state_folder = root.name
    return result


def _header(head: bytes) -> tuple[str, datetime | None] | None:
    """The URL and save date SingleFile wrote at the top of the page, or None for another page."""
    match = _HEADER.search(head)
    if match is None:
        return None
    url = _URL.search(match.group("body"))
    saved = _SAVED.search(match.group("body"))
    address = url.group("url").decode("ascii", "replace") if url else ""
    return address if address.startswith(("http://", "https://")) else "", _js_date(
        saved.group("date")
    ) if saved else None


def _js_date(text: bytes) -> datetime | None:
    """A date as JavaScript's ``Date.toString()`` writes it: ``Mon Apr 15 2024 10:00:00 GMT+0100 (…)``."""
    match = _JS_DATE.search(text.decode("ascii", "replace"))
    if match is None:
        return None
    try:
        return datetime.strptime(f"{match['stamp']} {match['offset']}", "%b %d %Y %H:%M:%S %z")
    except ValueError:
        return None


def _keep_images(data: bytes, root: Path, source: str) -> tuple[bytes, list[Diagnostic]]:
    """The page with each inlined image written out (once per distinct image) and pointed at by name."""
    written: dict[bytes, str] = {}
    diagnostics = []

    def swap(match: re.Match[bytes]) -> bytes:
        key = hashlib.sha256(match.group(0)[len(match.group("name")) :]).digest()
        if key not in written:
            name, problem = _write(match, root)
            if problem:
                line = data.count(b"\n", 0, match.start()) + 1
                diagnostics.append(Diagnostic(source, problem, line))
            written[key] = name
        return match.group("name") + b'"' + written[key].encode() + b'"'

    return _DATA_ATTRIBUTE.sub(swap, data), diagnostics


def _write(match: re.Match[bytes], root: Path) -> tuple[str, str]:
    """Decode one inlined image and keep it as ``<digest>.<suffix>``: its file name, or "" and why not."""
    raw = match.group("data")
    try:
        if b"base64" in match.group("params").lower():
            payload = base64.b64decode(re.sub(rb"\s+", b"", unquote_to_bytes(raw)), validate=True)
        else:
            payload = unquote_to_bytes(raw)
    except (binascii.Error, ValueError):
        return "", "an inlined image is not valid base64; left out"
    subtype = match.group("mime").decode("ascii").lower().split("/", 1)[1]
    suffix = _SUFFIXES.get(subtype, re.sub(r"[^a-z0-9]", "", subtype) or "img")
    name = f"{hashlib.sha256(payload).hexdigest()[:20]}.{suffix}"
    target = root / name
    try:
        if not target.is_file():
            write_atomically(target, payload)
    except OSError as error:
        return "", f"cannot keep an inlined image: {error.strerror or error}"
    return name, ""
