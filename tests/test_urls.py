"""URLs: slugs, permalinks, relative links, and collisions."""

from __future__ import annotations

import posixpath
from datetime import UTC, datetime

import pytest
from conftest import article
from hypothesis import given
from hypothesis import strategies as st

from generator.build import build
from generator.common.urls import UrlCollision, UrlRegistry, dest_path, permalink, relative_url, slugify

segment = st.text(alphabet="abcdefghij0123-", min_size=1, max_size=6)
site_url = st.one_of(
    st.just(""),
    st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + "/"),
    st.lists(segment, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + ".xml"),
)


@given(st.text(max_size=200))
def test_slugify_is_idempotent_and_safe(text):
    slug = slugify(text)
    assert slugify(slug) == slug
    assert "/" not in slug and ".." not in slug and "\x00" not in slug
    assert len(slug) <= 80


def test_slugify_folds_unicode_to_ascii():
    assert slugify("Zürich Straße: Café ÉTÉ") == "zurich-strasse-cafe-ete"
    assert slugify("🙂🙂").startswith("x-")


@given(site_url, site_url)
def test_relative_url_resolves_to_the_target(from_url, to_url):
    link = relative_url(from_url, to_url)
    here = posixpath.dirname(dest_path(from_url))
    assert posixpath.normpath(posixpath.join(here, link)) == dest_path(to_url)


odd_url = st.tuples(st.sampled_from(["", "./", "a//", "../", "a/../", "a/./"]), site_url).map("".join)


@given(odd_url, odd_url)
def test_relative_url_is_what_relpath_gives(from_url, to_url):
    expected = posixpath.relpath(dest_path(to_url), posixpath.dirname(dest_path(from_url)) or ".")
    assert relative_url(from_url, to_url) == expected


def test_relative_urls_between_clean_urls_skip_relpath(monkeypatch):
    relative_url.cache_clear()
    calls = []
    monkeypatch.setattr(posixpath, "relpath", lambda *args: calls.append(args))
    assert (
        relative_url("2024/01/some-article/", "tags/city-hall/page/2/") == "../../../tags/city-hall/page/2/index.html"
    )
    assert relative_url("tags/x/", "tags/x/#top") == "index.html#top"
    assert calls == []


def test_permalink_fills_the_pattern():
    published = datetime(2024, 3, 7, tzinfo=UTC)
    assert permalink("{year}/{month}/{day}/{slug}/", "a", published, None) == "2024/03/07/a/"
    assert permalink("{source}/{slug}.html", "a", None, "Valley Courier") == "valley-courier/a.html"


def test_registry_refuses_a_second_claim_naming_both():
    registry = UrlRegistry()
    registry.claim("2024/01/a/", "content/a.md")
    with pytest.raises(UrlCollision) as caught:
        registry.claim("2024/01/a/", "content/b/index.md")
    assert "content/a.md" in str(caught.value) and "content/b/index.md" in str(caught.value)


@pytest.mark.parametrize("url", ["/etc/passwd/", "../x/", "a/../../x/", "a\\b/", "a\x00/"])
def test_registry_refuses_unsafe_urls(url):
    with pytest.raises(UrlCollision):
        UrlRegistry().claim(url, "test")


def test_two_articles_on_one_url_fail_the_build_naming_both(write_site, tmp_path):
    site = write_site(
        {
            "content/one/harbour.md": article("Harbour", date="2024-05-01"),
            "content/two/harbour.md": article("Harbour again", date="2024-05-09"),
        }
    )
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.html").write_text("previous build")
    with pytest.raises(UrlCollision) as caught:
        build(site, tmp_path / "out", overwrite=True)
    assert "content/one/harbour.md" in str(caught.value)
    assert "content/two/harbour.md" in str(caught.value)
    assert (tmp_path / "out" / "old.html").read_text() == "previous build"
