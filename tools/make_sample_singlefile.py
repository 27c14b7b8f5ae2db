#!/usr/bin/env python3
"""Write a SingleFile capture of one sample article, as the SingleFile extension and CLI save pages.

    .venv/bin/python tools/make_sample_singlefile.py    # needs Pillow

Takes the Harbour Light page of the sample WARC (tools/sample_warc/lifeboat-named.html) and does what
SingleFile does to it: the stylesheet becomes an inline <style> with its web font as a data: URI, every
image (the photo, the stats pixel) becomes a data: URI, and the header comment with the page's URL and
the save date (JavaScript's Date.toString()) goes right after <html>. Writes
tests/fixtures/singlefile/lifeboat-named.html; the picture is drawn by tools/draw_sample_images.py, so
the same Pillow version gives the same bytes.
"""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_sample_images import JPEG_OPTIONS, harbour_bridge  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tools" / "sample_warc" / "lifeboat-named.html"
OUT = ROOT / "tests" / "fixtures" / "singlefile" / "lifeboat-named.html"
URL = "https://www.harbour-light.example/2024/04/lifeboat-named/"
SAVED = "Mon Apr 15 2024 10:00:00 GMT+0100 (British Summer Time)"
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
FONT = bytes(range(256)) * 8  # stands for a WOFF2 file: backissue drops inlined fonts unread


def data_uri(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def photo() -> bytes:
    out = io.BytesIO()
    harbour_bridge(123, dusk=True).resize((640, 427)).save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


def singlefile(html: str) -> str:
    style = (
        "<style>@font-face{font-family:'Inter';src:url(" + data_uri("font/woff2", FONT) + ") format('woff2')}"
        "body{font-family:Inter,sans-serif}</style>"
    )
    html = re.sub(r"<link rel='stylesheet'[^>]*>", style, html)
    html = re.sub(r'src="https://[^"]+\.jpg"', f'src="{data_uri("image/jpeg", photo())}"', html)
    html = re.sub(r'src="https://pixel\.wp\.com/[^"]+"', f'src="{data_uri("image/gif", PIXEL)}"', html)
    header = f"<!--\n Page saved with SingleFile \n url: {URL} \n saved date: {SAVED}\n-->"
    return re.sub(r"(<html[^>]*>)", lambda m: m.group(1) + header, html, count=1)


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(singlefile(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}  {OUT.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
