"""Fuzzing every parser a site's files reach: nothing raises, nothing takes more than linear-ish time.

Bounded for `make test`; `make fuzz` runs the same properties with many more
examples (BACKISSUE_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import time
from datetime import timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.comments import read_comments_file
from generator.config import ConfigError, SiteConfig, load
from generator.readers import ContextFactory, read_one
from generator.readers.metadata import FolderDefaults

EXAMPLES = int(os.environ.get("BACKISSUE_FUZZ_EXAMPLES", 60))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MARKUP = st.text(alphabet=st.sampled_from(list("+=#*_[]()<>!`~|-:\\/\"'.1aZ \n\n\t{}&;é€\u00a0\x00")), max_size=1500)
TOML_ISH = st.text(alphabet=st.sampled_from(list('[]{}=".,\n abc123-:TZ#\'\\tru')), max_size=600)
HTML_PIECES = [
    "<div>", "</div>", "<p>", "</p>", "<span>", "<br>", "text ", "Word ", "&amp;", "&#0;", "&bogus;", "<!--", "-->", "<?xml version='1.0'?>",
    "<article>", "</article>", "<h1>", "<h2>", "<ul><li>", "</li>", "<table><tr><td>", "<td colspan=x>", "<pre>", "<blockquote>",
    "<figure>", "<figcaption>", "<img src='a.jpg' srcset='b.jpg 2w, , c 1x, data:,x'>", "<img data-lazy-src='../../x'>",
    "<noscript><img src='y.png'></noscript>", "<a href='javascript:x'>", "<script>", "</script>", "<style>", "<iframe>",
    "<body class='single'>", "<body class='archive tag'>", "<div class='entry-content'>", "<li class='comment depth-3' id='comment-7'>",
    "<div id='wpd-comm-4_9' class='wpd-comment wpd_comment_level-2'>", "<div class='wpd-comment-date'>3 years ago</div>",
    "<ul class='children'>", "<div id='disqus_thread'>", "<time datetime='2024-13-45'>", "<meta charset='x-unknown'>",
    '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "author": [null, {"@id": 3}]}]}</script>',
    '<script type="application/ld+json">{"@type": ["Article"], "headline": 5, "keywords": {"a": 1}}</script>',
    "<meta property='article:published_time' content='yesterday'>", "<link rel=canonical href='::'>", "\x00", "é", "\u202e",
]  # fmt: skip
HTML_ISH = st.lists(st.sampled_from(HTML_PIECES), max_size=120).map("".join)
anything = st.one_of(st.binary(max_size=2000), MARKUP.map(str.encode), TOML_ISH.map(lambda t: ("+++\n" + t + "\n+++\n").encode()))


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return read_one(path, ContextFactory(SiteConfig(site_path=tmp_path)).for_file(path))


@fuzz
@given(anything)
def test_markdown_reader_returns_an_article_or_warnings(tmp_path, data):
    result = read(tmp_path, "a.md", data)
    assert result.article is not None or result.diagnostics


@fuzz
@given(anything)
def test_text_reader_returns_an_article_or_warnings(tmp_path, data):
    result = read(tmp_path, "a.txt", data)
    assert result.article is not None or result.diagnostics


@fuzz
@given(st.one_of(HTML_ISH.map(str.encode), HTML_ISH.map(lambda t: t.encode("cp1252", "replace")), st.binary(max_size=2000)))
def test_html_reader_returns_an_article_a_reason_or_warnings(tmp_path, data):
    result = read(tmp_path, "mirror/www.paper.example/2024/a/index.html", data)
    assert result.article is not None or result.skipped or result.diagnostics


@fuzz
@given(st.one_of(st.binary(max_size=3000), HTML_ISH.map(lambda t: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n" + t.encode())))
def test_warc_reader_never_raises(tmp_path, data):
    result = read(tmp_path, "crawl.warc", data)
    assert result.article is not None or result.skipped or result.diagnostics


@fuzz
@given(st.one_of(TOML_ISH, TOML_ISH.map(lambda t: "[[comments]]\n" + t), st.binary(max_size=500).map(lambda b: b.decode("latin-1"))))
def test_comments_files_never_raise(tmp_path, text):
    path = tmp_path / "comments.toml"
    path.write_bytes(text.encode("utf-8", "replace"))
    comments, _warnings = read_comments_file(path, "comments.toml", timezone.utc)
    assert all(c.id for c in comments)


@fuzz
@given(TOML_ISH)
def test_folder_defaults_never_raise(tmp_path, text):
    (tmp_path / "content" / "x").mkdir(parents=True, exist_ok=True)
    (tmp_path / "content" / "_defaults.toml").write_text(text)
    defaults = FolderDefaults(tmp_path / "content")
    assert isinstance(defaults.for_folder(tmp_path / "content" / "x"), dict)


@fuzz
@given(st.one_of(TOML_ISH, st.sampled_from(["per_page = -1", "[images]\nwidths = []", "timezone = 3", "[feeds]\nentries = 0"])))
def test_site_toml_gives_a_config_or_a_config_error(tmp_path, text):
    (tmp_path / "site.toml").write_text(text)
    try:
        assert isinstance(load(tmp_path), SiteConfig)
    except ConfigError as error:
        assert "site.toml" in str(error)


PATHOLOGICAL = {
    "nested quotes": ("> " * 100 + "deep\n") * 2_600,
    "open brackets": "[" * 600_000,
    "emphasis runs": "*a_" * 200_000,
    "links": "[x](" * 150_000,
    "html soup": "<div><span>" * 60_000,
    "one long line": "word " * 200_000,
    "many short lines": "line\n\n" * 150_000,
    "table": "|a|b|\n|-|-|\n" + "|1|2|\n" * 90_000,
    "comment markers": "Notify of\n\n" + "Name\n\nText.\n\n\n" * 40_000 + "Would love your thoughts, please comment.x\n",
}


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_a_megabyte_of_pathological_input_reads_in_a_few_seconds(tmp_path, name, suffix):
    text = PATHOLOGICAL[name]
    assert len(text) >= 500_000
    started = time.perf_counter()
    head = {".md": '+++\ntitle = "Big"\n+++\n', ".txt": "Big Title Here\n\n", ".html": "<title>Big</title><p>Some text first, long enough to be an article.</p>"}[suffix]
    result = read(tmp_path, "big" + suffix, head.encode() + text.encode())
    elapsed = time.perf_counter() - started
    assert result.article is not None
    assert elapsed < 8, f"{name}{suffix}: {elapsed:.1f} s"
