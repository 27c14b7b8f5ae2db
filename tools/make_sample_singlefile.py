#!/usr/bin/env python3
"""Write a SingleFile capture of one sample article, and a small ArchiveBox data folder, as those tools do.

    .venv/bin/python tools/make_sample_singlefile.py    # needs Pillow

Takes the Harbour Light page of the sample WARC (tools/sample_warc/lifeboat-named.html) and does what
SingleFile does to it: the stylesheet becomes an inline <style> with its web font as a data: URI, every
image (the photo, the stats pixel) becomes a data: URI, and the header comment with the page's URL and
the save date (JavaScript's Date.toString()) goes right after <html>. Writes
tests/fixtures/singlefile/lifeboat-named.html; the pictures are drawn by tools/draw_sample_images.py, so
the same Pillow version gives the same bytes.

It also writes tests/fixtures/archivebox/, laid out as `archivebox add` leaves a data folder: index.sqlite3
at the top (empty here: backissue reads the snapshots' index.json files), and two snapshots under
archive/<timestamp>/. The first (the net store page) has a SingleFile page and Chrome's output.html, its
wget extractor having failed; the second has nothing but a failed SingleFile extractor.
"""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_sample_images import JPEG_OPTIONS, harbour_bridge, rope_works_site  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tools" / "sample_warc" / "lifeboat-named.html"
OUT = ROOT / "tests" / "fixtures" / "singlefile" / "lifeboat-named.html"
COLLECTION = ROOT / "tests" / "fixtures" / "archivebox"
SITE = "https://www.harbour-light.example"
URL = f"{SITE}/2024/04/lifeboat-named/"
SAVED = "Mon Apr 15 2024 10:00:00 GMT+0100 (British Summer Time)"
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
FONT = bytes(range(256)) * 8  # stands for a WOFF2 file: backissue drops inlined fonts unread


def data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def photo(draw=lambda: harbour_bridge(123, dusk=True)) -> bytes:
    out = io.BytesIO()
    draw().resize((640, 427)).save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


def singlefile(html: str, url: str = URL, saved: str = SAVED, picture: bytes | None = None) -> str:
    style = (
        "<style>@font-face{font-family:'Inter';src:url(" + data_uri("font/woff2", FONT) + ") format('woff2')}"
        "body{font-family:Inter,sans-serif}</style>"
    )
    html = re.sub(r"<link rel='stylesheet'[^>]*>", style, html)
    html = re.sub(r'src="https://[^"]+\.jpg"', f'src="{data_uri("image/jpeg", picture or photo())}"', html, count=1)
    html = re.sub(r'src="https://pixel\.wp\.com/[^"]+"', f'src="{data_uri("image/gif", PIXEL)}"', html)
    header = f"<!--\n Page saved with SingleFile \n url: {url} \n saved date: {saved}\n-->"
    return re.sub(r"(<html[^>]*>)", lambda m: m.group(1) + header, html, count=1)


def snapshot_index(url: str, timestamp: str, title: str, tags: str, history: dict) -> str:
    """A snapshot's index.json with the fields ArchiveBox 0.7 writes that matter here."""
    added = "2024-04-15 10:00:00"
    index = {
        "url": url, "timestamp": timestamp, "title": title, "tags": tags, "sources": ["sources/bookmarks.txt"],
        "bookmarked_date": added, "updated_date": added, "is_archived": True, "history": history,
    }  # fmt: skip
    return json.dumps(index, indent=4) + "\n"


def archivebox() -> None:
    """Two snapshots: one with a SingleFile page and output.html, one whose only extractor failed."""
    (COLLECTION / "index.sqlite3").parent.mkdir(parents=True, exist_ok=True)
    (COLLECTION / "index.sqlite3").write_bytes(b"")
    first = COLLECTION / "archive" / "1713171600.0"
    first.mkdir(parents=True, exist_ok=True)
    url = f"{SITE}/2024/04/net-store-cafe/"
    page = (PAGE.parent / "net-store-cafe.html").read_text(encoding="utf-8")
    saved = "Mon Apr 15 2024 10:00:00 GMT+0100 (British Summer Time)"
    (first / "singlefile.html").write_text(singlefile(page, url, saved, photo(lambda: rope_works_site(124))), "utf-8")
    (first / "output.html").write_text(page, encoding="utf-8")
    ran = {"start_ts": "2024-04-15T09:00:01+00:00", "end_ts": "2024-04-15T09:00:09+00:00", "cmd_version": "1.0"}
    history = {
        "singlefile": [{**ran, "status": "succeeded", "output": "singlefile.html"}],
        "dom": [{**ran, "status": "succeeded", "output": "output.html"}],
        "wget": [{**ran, "status": "failed", "output": "Wget failed or got an error from the server"}],
    }
    title = "Old net store on Rope Walk reopens as a cafe - Harbour Light"
    (first / "index.json").write_text(snapshot_index(url, "1713171600.0", title, "harbour,cafes", history), "utf-8")
    second = COLLECTION / "archive" / "1713175200.0"
    second.mkdir(parents=True, exist_ok=True)
    failed = {"singlefile": [{**ran, "status": "failed", "output": "SingleFile timed out after 60 seconds"}]}
    url = f"{SITE}/2024/04/regatta-postponed/"
    (second / "index.json").write_text(snapshot_index(url, "1713175200.0", "", "regatta", failed), "utf-8")


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(singlefile(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}  {OUT.stat().st_size / 1024:.0f} KiB")
    archivebox()
    print(f"{COLLECTION.relative_to(ROOT)}/  2 snapshots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
