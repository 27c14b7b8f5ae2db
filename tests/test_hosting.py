"""Old URLs from ``aliases`` as redirect pages, and the optional _redirects and _headers host files."""

from __future__ import annotations

from conftest import article, build_into

from generator.commands.cli import EXIT_OK, main
from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls
from generator.render.hosting import cache_control

URLS = SiteUrls.of(SiteConfig())

ALIASED = article(
    "Moved Story", date="2024-05-02", slug="moved", aliases=["/old/moved-story/", "legacy.html", "/news/moved"]
)


def test_aliases_become_redirect_pages_without_javascript(write_site, capsys):
    site = write_site({"site.toml": 'base_url = "https://example.org/news/"\n', "content/moved.md": ALIASED})
    report = build_into(site)
    assert report.diagnostics == []
    page = (site / "public/old/moved-story/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../../2024/05/moved/index.html">' in page
    assert '<a href="../../2024/05/moved/index.html">Moved Story</a>' in page
    assert '<link rel="canonical" href="https://example.org/news/2024/05/moved/">' in page
    assert "<script" not in page
    assert 'url=2024/05/moved/index.html"' in (site / "public/legacy.html").read_text()
    assert (site / "public/news/moved/index.html").is_file()
    assert not (site / "public/_redirects").exists()
    assert main(["check", "--site", str(site)]) == EXIT_OK  # redirect pages are not orphans
    assert "0 problems" in capsys.readouterr().err


def test_unsafe_aliases_and_aliases_of_real_pages_are_warnings(write_site):
    bad = article(
        "Bad Aliases",
        date="2024-05-03",
        aliases=["../../etc/", "https://elsewhere.example/x/", "2024/05/moved/", "tags/"],
    )
    site = write_site({"content/moved.md": ALIASED, "content/bad.md": bad})
    report = build_into(site)
    messages = sorted(str(d) for d in report.diagnostics)
    assert len(messages) == 4 and all("content/bad.md" in m and "left out" in m for m in messages)
    assert "would both be written to 2024/05/moved/index.html" in "".join(messages)
    assert (site / "public/2024/05/moved/index.html").read_text().count("http-equiv") == 0
    assert not (site.parent / "etc").exists()  # where public/../../etc/ would land


def test_host_files_hold_redirects_and_cache_rules_under_the_site_path(write_site):
    config = 'base_url = "https://example.org/news/"\n[publish]\nhost_files = true\n'
    site = write_site({"site.toml": config, "content/moved.md": ALIASED})
    build_into(site)
    assert (site / "public/_redirects").read_text().splitlines() == [
        "/news/legacy.html /news/2024/05/moved/ 301",
        "/news/news/moved/ /news/2024/05/moved/ 301",
        "/news/old/moved-story/ /news/2024/05/moved/ 301",
    ]
    headers = (site / "public/_headers").read_text()
    assert "/news/static/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "/news/media/*" in headers


def test_alias_urls_and_cache_rules():
    assert URLS.alias("/a/b") == "a/b/"
    assert URLS.alias("a/b.html") == "a/b.html"
    assert URLS.alias("/caf%C3%A9/") == "café/"
    assert [URLS.alias(a) for a in ("/", "a//b/", "a/../b/", "%2e%2e/x/", "/a/?x=1", "//host/a/", "x" * 256)] == [
        None
    ] * 7
    assert cache_control("static/style.1a2b.css").endswith("immutable")
    assert cache_control("2024/05/moved/index.html") == "public, max-age=300"
    assert cache_control("atom.xml") == "public, max-age=3600"
