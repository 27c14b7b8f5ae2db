#!/usr/bin/env python3
"""Package the sample WARC as a WACZ with py-wacz, Webrecorder's reference tool, reproducibly.

    .venv/bin/python tools/make_sample_wacz.py    # needs the `wacz` package: pip install -e '.[samples]'

Writes content/warc/harbour-light-2024-04.wacz from content/warc/harbour-light-2024-04.warc.gz
(tools/make_sample_warc.py) by running `wacz create --pages` in this process, with the two article
pages listed as a crawl's seeds are (URL and the title the browser showed), as Browsertrix Crawler does. py-wacz stamps
the ZIP entries and datapackage.json with the current time and names the pages with random ids;
those three are pinned here (to the crawl's date and to ids counted in order), so the same inputs
give the same bytes.
"""

from __future__ import annotations

import datetime
import html
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

try:
    import shortuuid
    import wacz.main
    import wacz.waczindexer
except ImportError:  # pragma: no cover
    sys.exit("make_sample_wacz.py needs py-wacz: pip install wacz")

ROOT = Path(__file__).resolve().parents[1]
WARC = ROOT / "content" / "warc" / "harbour-light-2024-04.warc.gz"
OUT = WARC.with_name("harbour-light-2024-04.wacz")
PAGES = ROOT / "tools" / "sample_warc"
SITE = "https://www.harbour-light.example"
PACKED = datetime.datetime(2024, 4, 22, 10, 0, 0, tzinfo=datetime.UTC)


class _FixedDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: D102 - py-wacz asks this for datapackage.json's "created"
        return PACKED if tz else PACKED.replace(tzinfo=None)


class _PinnedClock:
    """Stands for the datetime module inside py-wacz's indexer."""

    UTC = datetime.UTC
    datetime = _FixedDatetime


def seeds() -> str:
    """pages.jsonl as a crawler writes it: a header line, then one line per page it was asked to capture."""
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}]
    for page in sorted(PAGES.glob("*.html")):
        title = re.search(r"<title>([^<]*)</title>", page.read_text(encoding="utf-8"))
        name = html.unescape(title.group(1)) if title else page.stem
        lines.append({"url": f"{SITE}/2024/04/{page.stem}/", "title": name})
    return "".join(json.dumps(line) + "\n" for line in lines)


def main() -> int:
    if not WARC.is_file():
        sys.exit(f"{WARC.relative_to(ROOT)} is missing: run tools/make_sample_warc.py first")
    ids = (f"page{n:04d}" for n in itertools.count(1))
    stamp = tuple(PACKED.timetuple()[:6])
    wacz.main.now = wacz.waczindexer.now = lambda: stamp
    wacz.waczindexer.datetime = _PinnedClock
    shortuuid.uuid = lambda *args, **kwargs: next(ids)
    with tempfile.TemporaryDirectory() as folder:
        warc = Path(folder) / WARC.name
        shutil.copyfile(WARC, warc)
        os.utime(warc, (PACKED.timestamp(), PACKED.timestamp()))  # the ZIP entry takes the file's time
        pages = Path(folder) / "pages.jsonl"
        pages.write_text(seeds(), encoding="utf-8")
        code = wacz.main.main(["create", "--pages", str(pages), "-o", str(OUT), str(warc)])
    if code:
        return code
    print(f"{OUT.relative_to(ROOT)}  {OUT.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
