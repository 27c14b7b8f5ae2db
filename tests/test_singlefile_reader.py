"""The SingleFile reader: header comment for URL and date, inlined images published as files, styles dropped."""

from __future__ import annotations

import base64
import io
import os
import shutil
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from generator.commands.inspect import inspect_captures
from generator.common.config import load
from tests.conftest import TESTS_PATH, build_into

SAMPLE = TESTS_PATH / "fixtures/singlefile/lifeboat-named.html"  # tools/make_sample_singlefile.py
HEADER = "<!--\n Page saved with SingleFile \n url: https://paper.example/2024/05/{slug}/ \n saved date: {date}\n-->"


def singlefile_page(
    slug: str, images: str, date: str = "Wed May 01 2024 12:30:00 GMT+0000 (Coordinated Universal Time)"
):
    paragraphs = "".join(f"<p>Paragraph {n} of a story long enough to be the page's main text.</p>" for n in range(4))
    return (
        f'<!DOCTYPE html> <html lang="en">{HEADER.format(slug=slug, date=date)}<head><meta charset="utf-8">'
        f'<title>{slug.title()}</title><meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-01T09:00:00Z"></head>'
        f'<body class="single"><div class="entry-content">{paragraphs}{images}</div></body></html>'
    )


def test_sample_page_is_read_with_its_url_date_comments_and_inlined_photo(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    shutil.copy(SAMPLE, site / "content/saved.html")
    [report] = inspect_captures(site / "content/saved.html", load(site))
    assert report["reader"] == "singlefile" and report["captured"] == "2024-04-15T09:00:00Z"
    assert report["source_url"] == "https://www.harbour-light.example/2024/04/lifeboat-named/"
    assert report["title"] == "New lifeboat named after Northwind\u2019s longest-serving coxswain"
    assert [c["author"] for c in report["comments"]] == ["Gwen Hosken", "Piran"] and not report["warnings"]
    assert report["comments"][0]["replies"][0]["author"] == "Northwind Lifeboat Station"
    figure = next(block for block in report["blocks"] if block["type"] == "figure")
    assert figure["caption"].startswith("The Nessa Trewin") and figure["src"].endswith(".jpg")


def test_inlined_images_are_published_as_files_and_styles_and_fonts_dropped(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    shutil.copy(SAMPLE, site / "content/saved.html")
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and not report.diagnostics
    page = (tmp_path / "out/2024/04/lifeboat-named/index.html").read_text()
    assert 'srcset="' in page and "base64" not in page and "font-face" not in page
    assert len(page) < SAMPLE.stat().st_size // 2
    assert any((tmp_path / "out/media").glob("*-640.jpg"))


def test_twenty_megabyte_inlined_image_is_decoded_once_and_published_small(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    buffer = io.BytesIO()
    Image.frombytes("RGB", (2600, 2600), os.urandom(2600 * 2600 * 3)).save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > 20_000_000
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    figure = f'<figure><img src="{uri}" alt="Noise"><figcaption>Noise.</figcaption></figure>'
    (site / "content/big.html").write_text(singlefile_page("noise", figure))
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and not report.diagnostics
    [kept] = (site / ".backissue/warc").rglob("*.png")
    assert kept.stat().st_size == buffer.tell()
    page = (tmp_path / "out/2024/05/noise/index.html").read_bytes()
    assert len(page) < 50_000 and b'srcset="' in page


def test_inlined_image_over_the_pixel_limit_is_refused_like_any_image(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n[images]\nmax_pixels = 1000\n'})
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (10, 20, 30)).save(buffer, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    figures = f'<figure><img src="{uri}" alt="Big"></figure><figure><img src="{uri}" alt="Again"></figure>'
    (site / "content/p.html").write_text(singlefile_page("pixels", figures))
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and any("max_pixels" in d.message for d in report.diagnostics)
    assert len(list((site / ".backissue/warc").rglob("*.png"))) == 1  # two references, decoded and kept once


def test_inlined_svg_with_a_script_is_refused_by_the_svg_rule(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    safe = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    images = (
        f'<figure><img src="data:image/svg+xml,{quote(svg)}" alt="Bad"></figure>'
        f"<figure><img src='data:image/svg+xml;base64,{base64.b64encode(safe.encode()).decode()}' alt=Fine></figure>"
    )
    (site / "content/p.html").write_text(singlefile_page("drawings", images))
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1
    [refusal] = [d for d in report.diagnostics if "SVG refused" in d.message]
    assert "script" in refusal.message
    page = (tmp_path / "out/2024/05/drawings/index.html").read_text()
    assert "alert(" not in page and page.count("<script") == page.count('<script type="application/ld+json"')
    assert ".svg" in page  # the safe drawing is published


def test_invalid_base64_is_a_warning_with_its_line(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    (site / "content/p.html").write_text(singlefile_page("broken", '\n<img src="data:image/png;base64,@@@@" alt="x">'))
    report = build_into(site, tmp_path / "out")
    [warning] = [d for d in report.diagnostics if "base64" in d.message]
    assert warning.path == "content/p.html" and warning.line == 6


def test_page_without_the_header_is_an_ordinary_saved_page(write_site) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    (site / "content/p.html").write_text(singlefile_page("plain", "").replace("Page saved with SingleFile", "Saved"))
    [report] = inspect_captures(site / "content/p.html", load(site))
    assert report["reader"] == "html" and report["captured"] is None


def test_singlefile_page_and_the_same_page_in_a_web_archive_merge(write_site, tmp_path: Path) -> None:
    site = write_site({"site.toml": 'title = "T"\n'})
    shutil.copy(SAMPLE, site / "content/saved.html")
    shutil.copy(TESTS_PATH.parent / "content/warc/harbour-light-2024-04.warc.gz", site / "content/crawl.warc.gz")
    report = build_into(site, tmp_path / "out")
    assert report.articles == 2 and report.merged_captures == 1 and not report.diagnostics
