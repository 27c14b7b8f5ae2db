"""Properties of a whole built site: links resolve, no scripts, valid feeds and site files."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO_PATH, SITES_PATH, article, build_into, copy_site

from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls
from generator.render.sitemap import MAX_URLS, sitemap_files

URLS = SiteUrls.of(SiteConfig())

ATOM = "{http://www.w3.org/2005/Atom}"


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.handlers: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.ids.update([attributes["id"]] if attributes.get("id") else [])
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag == "script":
            self.scripts.append(attributes)
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name])
        if attributes.get("srcset"):
            self.links += [part.strip().split(" ")[0] for part in attributes["srcset"].split(",")]


@pytest.fixture(scope="module", params=["minimal", "sample"])
def built(request, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(request.param)
    site = copy_site(REPO_PATH if request.param == "sample" else SITES_PATH / "minimal", root / "site")
    build_into(site, root / "public")
    return root / "public"


def parse(path: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_every_relative_link_resolves_inside_the_output(built):
    broken = []
    pages = sorted(built.rglob("*.html"))
    parsed = {page: parse(page) for page in pages}
    for page, collector in parsed.items():
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = page if not parts.path else Path(posixpath.normpath(page.parent / unquote(parts.path)))
            if target.is_dir():
                target = target / "index.html"
            if not target.resolve().is_relative_to(built.resolve()) or not target.is_file():
                broken.append(f"{page.relative_to(built)}: {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(built)}: {link} (no such anchor)")
    assert broken == []
    assert len(pages) > 10


def test_no_script_or_event_handler_in_any_output_file(built):
    for path in built.rglob("*"):
        if path.suffix not in (".html", ".xml", ".svg", ".css", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            collector = parse(path)
            assert collector.handlers == [], path
            assert all(script.get("type") == "application/ld+json" for script in collector.scripts), path
            body = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S)
            assert "<script" not in body.lower(), path
            schemes = {urlsplit(link.strip()).scheme.lower() for link in collector.links}
            assert not schemes & {"javascript", "data", "vbscript"}, path
        else:
            assert "<script" not in text.lower(), path


def test_json_ld_cannot_close_its_script_element(built):
    for page in built.rglob("*.html"):
        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(), re.S):
            assert "<" not in data and ">" not in data


def test_atom_feeds_parse_and_have_what_atom_requires(built):
    feeds = sorted(built.rglob("atom.xml"))
    assert feeds, "no feeds written"
    for feed_path in feeds:
        feed = ET.parse(feed_path).getroot()
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}") is not None, feed_path
        assert feed.find(f"{ATOM}author") is not None
        for entry in feed.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "link"):
                assert entry.find(f"{ATOM}{required}") is not None, feed_path
            href = entry.find(f"{ATOM}link").get("href")
            if not href.startswith("http"):
                assert (feed_path.parent / href).is_file(), (feed_path, href)


def test_site_files_are_present(built):
    assert (built / "404.html").is_file()
    assert (built / "robots.txt").read_text().startswith("User-agent: *")
    assert any(link.endswith(".svg") for link in parse(built / "index.html").links)


def test_sitemap_lists_absolute_urls_only_when_base_url_is_set(write_site, tmp_path):
    files = {"content/a.md": article("A", date="2024-02-03")}
    with_base = write_site({**files, "site.toml": 'base_url = "https://example.org/news/"'}, "with")
    build_into(with_base, tmp_path / "with-out")
    urlset = ET.parse(tmp_path / "with-out" / "sitemap.xml").getroot()
    locs = [node.text for node in urlset.iter() if node.tag.endswith("loc")]
    assert "https://example.org/news/2024/02/a/" in locs
    assert all(loc.startswith("https://example.org/news/") for loc in locs)
    assert "Sitemap: https://example.org/news/sitemap.xml" in (tmp_path / "with-out" / "robots.txt").read_text()

    without = write_site(files, "without")
    build_into(without, tmp_path / "without-out")
    assert not (tmp_path / "without-out" / "sitemap.xml").exists()
    assert "Sitemap" not in (tmp_path / "without-out" / "robots.txt").read_text()


def test_sitemap_is_split_past_fifty_thousand_urls():
    entries = [(f"a/{n}/", None) for n in range(MAX_URLS + 1)]
    files = sitemap_files("https://example.org/", entries, URLS)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag.endswith("sitemapindex")
    locs = [node.text for node in index.iter() if node.tag.endswith("loc")]
    assert locs == ["https://example.org/sitemap-1.xml", "https://example.org/sitemap-2.xml"]
    second = ET.fromstring(files["sitemap-2.xml"])
    assert [n.text for n in second.iter() if n.tag.endswith("loc")] == [f"https://example.org/a/{MAX_URLS}/"]
