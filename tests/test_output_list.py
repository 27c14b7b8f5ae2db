"""One owner for URLs and outputs: ``SiteUrls`` names every URL, and the planned output list is what a build
writes, no more and no less."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from conftest import article

from generator.build import build
from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls
from generator.store.cache import BuildState
from generator.store.targets import STATE_FOLDER

URLS = SiteUrls.of(SiteConfig(taxonomies={"tags": "topics", "authors": "people"}))


def test_every_url_kind_comes_from_the_one_owner():
    assert URLS.article("bridge", datetime(2024, 3, 5), "Courier") == "2024/03/bridge/"
    assert URLS.article("bridge", None, "Courier") == "undated/bridge/"
    assert URLS.standalone("about") == "about/"
    assert URLS.taxonomy("tags") == "topics/" and URLS.term("authors", "ann") == "people/ann/"
    assert URLS.term("languages", "de") == "languages/de/"  # the taxonomy a site in many languages gets
    assert URLS.year(987) == "0987/" and URLS.month(2024, 3) == "2024/03/"
    assert URLS.listing_page("topics/x/", 1) == "topics/x/" and URLS.listing_page("topics/x/", 3) == "topics/x/page/3/"
    assert URLS.feed_of(URLS.home) == URLS.feed == "atom.xml" and URLS.feed_of("topics/x/") == "topics/x/atom.xml"
    assert URLS.media("a-1.webp") == "media/a-1.webp" and URLS.sitemap_part(2) == "sitemap-2.xml"
    assert URLS.alias("/old/story") == "old/story/" and URLS.alias("https://elsewhere.example/x") is None


@pytest.mark.parametrize("taxonomies", ['tags = "tags"\n', 'tags = "topics"\nauthors = "people"\n'])
def test_the_planned_outputs_are_exactly_the_files_a_build_writes(write_site, taxonomies):
    """Pages (and their later pages), feeds, sitemap, robots, redirects, hosting files, theme and site static
    files, images: each file in the output is in the build's output list, and each entry of the list is a file."""
    site = write_site({
        "site.toml": 'base_url = "https://example.org/"\nper_page = 1\n[feeds]\nrecent = true\n'
                     f"[publish]\nhost_files = true\n[taxonomies]\n{taxonomies}",
        "content/a.md": article("One", "Text.", date="2023-01-01", tags=["x"], authors=["Ann"],
                                aliases=["/old/one/"]),
        "content/b.md": article("Two", "Text.", date="2023-02-01", tags=["x", "y"]),
        "content/pages/about.md": article("About", "Us."),
        "static/favicon.ico": "icon",
    })  # fmt: skip
    report = build(site)
    assert not report.errors
    written = {
        os.path.relpath(os.path.join(folder, name), site / "public").replace(os.sep, "/")
        for folder, _dirs, names in os.walk(site / "public")
        for name in names
    }
    state = BuildState(site / STATE_FOLDER)
    try:
        planned = set(state.outputs(str((site / "public").resolve())))
    finally:
        state.close()
    assert planned == written
    for expected in ("sitemap.xml", "robots.txt", "recent.xml", "old/one/index.html", "favicon.ico", "_redirects"):
        assert expected in written
    folder = "topics" if "topics" in taxonomies else "tags"
    assert {f"{folder}/x/index.html", f"{folder}/x/page/2/index.html", f"{folder}/x/atom.xml"} <= written
