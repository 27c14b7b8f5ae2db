#!/usr/bin/env python3
"""Write the sample WARC file in content/warc/, as a crawler would have saved two Harbour Light pages.

    .venv/bin/python tools/make_sample_warc.py    # needs warcio and Pillow

The archive holds, in this order: a warcinfo record; robots.txt; for each of
the two article pages (tools/sample_warc/*.html) a request and a 200
response, followed by the images the page shows; a 404 response for one
image the server no longer had; and a revisit record for a later crawl of
the first page whose content had not changed.

The output is deterministic: dates and record ids are fixed (ids are UUIDs
derived from the record's type, URL and date), each record is gzipped on its
own without a timestamp in the gzip header, and the pictures are drawn by
tools/draw_sample_images.py's scenes, which give the same bytes with the same
Pillow version.
"""

from __future__ import annotations

import io
import sys
import uuid
from pathlib import Path

try:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
except ImportError:  # pragma: no cover
    sys.exit("make_sample_warc.py needs warcio: pip install warcio")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_sample_images import JPEG_OPTIONS, harbour_bridge, rope_works_site  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).resolve().parent / "sample_warc"
OUT = ROOT / "content" / "warc" / "harbour-light-2024-04.warc.gz"
SITE = "https://www.harbour-light.example"
CRAWLED = "2024-04-15T09:00:00Z"
RECRAWLED = "2024-04-22T09:00:00Z"
ROBOTS = (
    b"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
    b"Sitemap: https://www.harbour-light.example/wp-sitemap.xml\n"
)
NOT_FOUND = (
    b"<!doctype html><html><head><title>Page not found - Harbour Light</title></head>"
    b"<body><h1>Nothing here</h1></body></html>"
)


def picture(draw, size=(640, 427)) -> bytes:
    """One of the sample scenes as a small JPEG."""
    out = io.BytesIO()
    draw().resize(size).save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


def captures() -> list[tuple[str, str, str, bytes]]:
    """(URL, status line, content type, body) of every response, in crawl order."""
    uploads = f"{SITE}/wp-content/uploads/2024/04"
    return [
        (f"{SITE}/robots.txt", "200 OK", "text/plain", ROBOTS),
        (
            f"{SITE}/2024/04/lifeboat-named/",
            "200 OK",
            "text/html; charset=UTF-8",
            (PAGES / "lifeboat-named.html").read_bytes(),
        ),
        (
            f"{uploads}/lifeboat-naming-640x427.jpg",
            "200 OK",
            "image/jpeg",
            picture(lambda: harbour_bridge(123, dusk=True)),
        ),
        (
            f"{SITE}/2024/04/net-store-cafe/",
            "200 OK",
            "text/html; charset=UTF-8",
            (PAGES / "net-store-cafe.html").read_bytes(),
        ),
        (f"{uploads}/net-store-640x427.jpg", "200 OK", "image/jpeg", picture(lambda: rope_works_site(124))),
        (f"{uploads}/net-store-inside-640x427.jpg", "404 Not Found", "text/html; charset=UTF-8", NOT_FOUND),
    ]


def record_id(kind: str, url: str, date: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{kind} {url} {date}')}>"


def warc_headers(kind: str, url: str, date: str) -> dict[str, str]:
    return {"WARC-Record-ID": record_id(kind, url, date), "WARC-Date": date}


def write_request(writer: WARCWriter, url: str) -> None:
    path = url.removeprefix(SITE) or "/"
    headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [("Host", "www.harbour-light.example"), ("User-Agent", "sample-crawler/1.0"), ("Accept", "*/*")],
        is_http_request=True,
    )
    writer.write_record(
        writer.create_warc_record(
            url, "request", http_headers=headers, warc_headers_dict=warc_headers("request", url, CRAWLED)
        )
    )


def response(writer: WARCWriter, url: str, status: str, content_type: str, body: bytes, date: str):
    headers = StatusAndHeaders(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
    )
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
        warc_headers_dict=warc_headers("response", url, date),
    )


def write_warc(out: io.BufferedWriter) -> None:
    writer = WARCWriter(out, gzip=True)
    info = (
        b"software: backissue tools/make_sample_warc.py\r\nformat: WARC File Format 1.0\r\n"
        b"isPartOf: harbour-light-2024-04\r\n"
    )
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={**warc_headers("warcinfo", OUT.name, CRAWLED), "WARC-Filename": OUT.name},
        )
    )
    first_page = None
    for url, status, content_type, body in captures():
        if content_type.startswith("text/html") and status.startswith("200"):
            write_request(writer, url)
        record = response(writer, url, status, content_type, body, CRAWLED)
        writer.write_record(record)
        first_page = first_page or (record if url.endswith("/lifeboat-named/") else None)
    write_revisit(writer, first_page)


def write_revisit(writer: WARCWriter, original) -> None:
    """A week later the crawler found the first page unchanged and stored only a pointer to it."""
    url = original.rec_headers.get_header("WARC-Target-URI")
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_revisit_record(
            url,
            original.rec_headers.get_header("WARC-Payload-Digest"),
            url,
            CRAWLED,
            http_headers=headers,
            warc_headers_dict=warc_headers("revisit", url, RECRAWLED),
        )
    )


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as out:
        write_warc(out)
    print(f"{OUT.relative_to(ROOT)}  {OUT.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
