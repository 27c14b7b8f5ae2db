"""The WARC reader: page responses become articles, image records their images; damage is a warning."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import lz4.frame
import pytest
from PIL import Image
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from generator.commands.inspect import inspect_captures
from generator.common.config import load
from tests.conftest import build_into, output_files

HOST = "https://www.paper.example"


def article_page(title: str, image: str = "") -> str:
    paragraphs = "".join(
        f"<p>{title}: paragraph {n} of a story long enough to be the article's main text.</p>" for n in range(4)
    )
    figure = (
        f'<figure><img src="{image}" alt="The quay"><figcaption>The quay at dawn.</figcaption></figure>'
        if image
        else ""
    )
    return (
        f'<html><head><meta property="og:type" content="article"><title>{title}</title>'
        f'<meta property="article:published_time" content="2024-03-0{len(title) % 9 + 1}T10:00:00Z"></head>'
        f'<body class="single"><div class="entry-content">{paragraphs}{figure}</div></body></html>'
    )


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    mime: str,
    status: str = "200 OK",
    date: str = "2024-04-01T12:00:00Z",
    language: str = "",
):
    more = [("Content-Language", language)] if language else []
    headers = StatusAndHeaders(status, [("Content-Type", mime), *more], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=headers,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": f"<urn:uuid:{abs(hash(url)) % 10**12:012d}>"},
    )  # fmt: skip
    writer.write_record(record)
    return record


def write_warc(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        first = response(
            writer,
            f"{HOST}/2024/03/quay/",
            article_page("Quay reopens", "/wp-content/uploads/quay.jpg").encode(),
            "text/html; charset=utf-8",
        )
        response(writer, f"{HOST}/wp-content/uploads/quay.jpg", jpeg(), "image/jpeg")
        bridge = article_page("Bridge survey").encode()
        response(writer, f"{HOST}/2024/03/bridge/", bridge, "text/html", language="cy, en")
        response(writer, f"{HOST}/missing/", b"<html><body>Not found</body></html>", "text/html", "404 Not Found")
        response(writer, f"{HOST}/robots.txt", b"User-agent: *\n", "text/plain")
        response(writer, f"{HOST}/tag/quay/", b'<html><body class="archive tag"><p>Tag</p></body></html>', "text/html")
        revisit = writer.create_revisit_record(
            f"{HOST}/2024/03/quay/amp/", digest=first.rec_headers.get_header("WARC-Payload-Digest"),
            refers_to_uri=f"{HOST}/2024/03/quay/", refers_to_date="2024-04-01T12:00:00Z",
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
        )  # fmt: skip
        revisit.rec_headers.replace_header("WARC-Date", "2024-05-01T12:00:00Z")
        writer.write_record(revisit)


def test_html_responses_become_captures_with_their_archived_images(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    write_warc(site / "content/crawl/paper.warc.gz")
    reports = inspect_captures(site / "content/crawl/paper.warc.gz", load(site))
    by_source = {report["source"]: report for report in reports}
    quay = by_source[f"content/crawl/paper.warc.gz#{HOST}/2024/03/quay/"]
    assert quay["title"] == "Quay reopens" and quay["captured"] == "2024-04-01T12:00:00Z" and quay["reader"] == "warc"
    figure = next(block for block in quay["blocks"] if block["type"] == "figure")
    assert figure["caption"] == "The quay at dawn." and not any("not found" in w for w in quay["warnings"])
    assert [r["skipped"] for r in reports if r["skipped"]] == [f"not an article: tag listing ({HOST}/tag/quay/)"]
    assert {r["title"] for r in reports if r["title"]} == {"Quay reopens", "Bridge survey"}
    assert len(reports) == 4  # quay, bridge, tag listing, and the revisit of quay under its AMP address
    assert by_source[f"content/crawl/paper.warc.gz#{HOST}/2024/03/bridge/"]["language"] == "cy"  # HTTP Content-Language


def test_archive_builds_with_images_and_merges_the_revisit(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    write_warc(site / "content/crawl/paper.warc.gz")
    report = build_into(site, tmp_path / "one")
    assert report.articles == 2 and report.merged_captures == 1 and not report.diagnostics
    page = next((tmp_path / "one").glob("**/quay*/index.html")).read_text()
    assert "<img" in page and "The quay at dawn." in page
    build_into(site, tmp_path / "two")
    assert output_files(tmp_path / "one") == output_files(tmp_path / "two")


def test_truncated_archive_yields_what_it_holds_and_a_warning(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    whole = site / "content/whole.warc.gz"
    write_warc(whole)
    data = whole.read_bytes()
    whole.unlink()
    (site / "content/cut.warc.gz").write_bytes(data[: len(data) * 2 // 3])
    report = build_into(site)
    assert report.articles >= 1
    assert any("damaged or truncated" in d.message and d.path == "content/cut.warc.gz" for d in report.diagnostics)


def test_garbage_named_warc_is_a_warning_not_a_crash(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    (site / "content/noise.warc").write_bytes(b"this is not a web archive\n" * 10)
    report = build_into(site)
    assert report.articles == 0 and any(d.path == "content/noise.warc" for d in report.diagnostics)


def test_images_kept_for_an_archive_go_when_the_archive_does(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    write_warc(site / "content/crawl/paper.warc.gz")
    build_into(site)
    [kept] = (site / ".backissue/warc").iterdir()
    assert any(kept.rglob("*.jpg"))
    (site / "content/crawl/paper.warc.gz").unlink()
    build_into(site)
    assert not any((site / ".backissue/warc").iterdir())


def arc_record(url: str, body: bytes, mime: str, date: str = "20240401120000") -> bytes:
    """One ARC version 1 record: a URL line, then the HTTP response as the crawler stored it."""
    http = f"HTTP/1.0 200 OK\r\nContent-Type: {mime}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    return f"{url} 192.0.2.1 {date} {mime} {len(http)}\n".encode() + http + b"\n"


def write_arc(path: Path) -> None:
    """An ARC file as the Internet Archive's crawlers wrote them before WARC: a file header, then records."""
    fields = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    header = f"filedesc://{path.name} 0.0.0.0 20240401120000 text/plain {len(fields)}\n".encode() + fields + b"\n"
    records = [
        header,
        arc_record(
            f"{HOST}/2024/03/quay/", article_page("Quay reopens", "/wp-content/uploads/quay.jpg").encode(), "text/html"
        ),  # fmt: skip
        arc_record(f"{HOST}/wp-content/uploads/quay.jpg", jpeg(), "image/jpeg"),
        arc_record(f"{HOST}/2024/03/bridge/", article_page("Bridge survey").encode(), "text/html"),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        path.write_bytes(b"".join(gzip.compress(record, mtime=0) for record in records))
    else:
        path.write_bytes(b"".join(records))


@pytest.mark.parametrize("name", ["old.arc", "old.arc.gz"])
def test_arc_files_are_read_like_web_archives(write_site, tmp_path: Path, name: str) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    write_arc(site / "content/crawl" / name)
    reports = inspect_captures(site / "content/crawl" / name, load(site))
    quay = next(r for r in reports if r["title"] == "Quay reopens")
    assert quay["source"] == f"content/crawl/{name}#{HOST}/2024/03/quay/" and quay["captured"] == "2024-04-01T12:00:00Z"
    assert {r["title"] for r in reports} == {"Quay reopens", "Bridge survey"} and not quay["warnings"]
    report = build_into(site, tmp_path / "out")
    assert report.articles == 2 and not report.diagnostics
    assert "<img" in next((tmp_path / "out").glob("**/quay*/index.html")).read_text()


def test_lz4_compressed_warc_is_read_frame_after_frame(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    plain = tmp_path / "paper.warc"
    with plain.open("wb") as stream:  # an uncompressed WARC, then one LZ4 frame per record as crawlers write them
        writer = WARCWriter(stream, gzip=False)
        response(writer, f"{HOST}/2024/03/quay/", article_page("Quay reopens", "/q.jpg").encode(), "text/html")
        response(writer, f"{HOST}/q.jpg", jpeg(), "image/jpeg")
    data = plain.read_bytes()
    cut = data.index(b"WARC/1.0", 10)
    (site / "content/paper.warc.lz4").write_bytes(lz4.frame.compress(data[:cut]) + lz4.frame.compress(data[cut:]))
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and not report.diagnostics
    assert "<img" in next((tmp_path / "out").glob("**/quay*/index.html")).read_text()


def test_cut_lz4_warc_is_a_warning(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    buffer = io.BytesIO()
    page = article_page("Quay reopens").encode()
    response(WARCWriter(buffer, gzip=False), f"{HOST}/2024/03/quay/", page, "text/html")
    whole = lz4.frame.compress(buffer.getvalue())
    (site / "content/cut.warc.lz4").write_bytes(whole[: len(whole) // 2])
    report = build_into(site)
    assert any("damaged or truncated" in d.message and d.path == "content/cut.warc.lz4" for d in report.diagnostics)
