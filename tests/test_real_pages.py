"""Failure classes seen on real saved pages, each on a reduction of a real page (see fixtures/real-pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO_PATH
from generator.config import load
from generator.inspect import inspect_file

FIXTURES = REPO_PATH / "tests/fixtures/real-pages"


def read_mirrored(site: Path, fixture: str, relative: str) -> dict:
    """The inspect report of *fixture* saved where a wget mirror puts it (``content/<host>/…``)."""
    (site / "site.toml").write_text('title = "T"\ntimezone = "UTC"\n')
    page = site / "content" / relative
    page.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / fixture, page)
    return inspect_file(page, load(site))


def text_of(report: dict) -> str:
    return "\n".join(block["text"] or block["caption"] or "" for block in report["blocks"])


def test_an_image_route_with_an_address_in_its_query_is_read_without_error(tmp_path) -> None:
    report = read_mirrored(tmp_path, "nextjs-image-route.html", "aaft.edu.in/blog/basics/index.html")
    assert report["reader"] == "html"
    assert "Every event begins with a purpose." in text_of(report)
    figures = [b for b in report["blocks"] if b["type"] == "figure"]
    assert figures and figures[0]["src"].startswith("https://aaft.edu.in/_next/image?url=")


def test_a_page_wrapped_in_one_form_keeps_its_article(tmp_path) -> None:
    report = read_mirrored(tmp_path, "aspnet-form-wrapper.html", "www.drainblasterbill.com/About/Blog/pipes/index.html")
    text = text_of(report)
    assert report["reader"] == "html", report["warnings"]
    assert "Most water supply lines contain PEX piping." in text
    assert "Recent Posts" not in text and "__VIEWSTATE" not in text


def test_page_builder_text_widgets_are_article_text_not_furniture(tmp_path) -> None:
    report = read_mirrored(tmp_path, "page-builder-widgets.html", "eatgreenswithdrblack.com/plant-based/index.html")
    text = text_of(report)
    assert report["reader"] == "html", report["warnings"]
    assert "A plant-based diet isn’t just about cutting out meat" in text
    assert "Meatless Mondays" in text
