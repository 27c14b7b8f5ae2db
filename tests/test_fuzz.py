"""Fuzzing every parser a site's files reach: nothing raises, no input makes work grow faster than its size.

Bounded for `make test`; `make fuzz` runs the same properties with many more
examples (BACKISSUE_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import time
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.common.config import ConfigError, SiteConfig, load
from generator.readers.comment_files import read_comments_file
from generator.readers.metadata import FolderDefaults
from generator.readers.scan import ContextFactory, read_one

EXAMPLES = int(os.environ.get("BACKISSUE_FUZZ_EXAMPLES", 60))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MARKUP = st.text(alphabet=st.sampled_from(list("+=#*_[]()<>!`~|-:\\/\"'.1aZ \n\n\t{}&;é€\u00a0\x00")), max_size=1500)
TOML_ISH = st.text(alphabet=st.sampled_from(list("[]{}=\".,\n abc123-:TZ#'\\tru")), max_size=600)
HTML_PIECES = [
    "<div>", "</div>", "<p>", "</p>", "<span>", "<br>", "text ", "Word ", "&amp;", "&#0;", "&bogus;", "<!--", "-->",
    "<?xml version='1.0'?>", "<article>", "</article>", "<h1>", "<h2>", "<ul><li>", "</li>", "<table><tr><td>",
    "<td colspan=x>", "<pre>", "<blockquote>", "<figure>", "<figcaption>",
    "<img src='a.jpg' srcset='b.jpg 2w, , c 1x, data:,x'>", "<img data-lazy-src='../../x'>",
    "<noscript><img src='y.png'></noscript>", "<a href='javascript:x'>", "<script>", "</script>", "<style>", "<iframe>",
    "<body class='single'>", "<body class='archive tag'>", "<div class='entry-content'>",
    "<li class='comment depth-3' id='comment-7'>", "<div id='wpd-comm-4_9' class='wpd-comment wpd_comment_level-2'>",
    "<div class='wpd-comment-date'>3 years ago</div>", "<ul class='children'>", "<div id='disqus_thread'>",
    "<time datetime='2024-13-45'>", "<meta charset='x-unknown'>",
    '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "author": [null, {"@id": 3}]}]}</script>',
    '<script type="application/ld+json">{"@type": ["Article"], "headline": 5, "keywords": {"a": 1}}</script>',
    "<meta property='article:published_time' content='yesterday'>", "<link rel=canonical href='::'>", "\x00", "é",
    "\u202e",
]  # fmt: skip
HTML_ISH = st.lists(st.sampled_from(HTML_PIECES), max_size=120).map("".join)
anything = st.one_of(
    st.binary(max_size=2000), MARKUP.map(str.encode), TOML_ISH.map(lambda t: ("+++\n" + t + "\n+++\n").encode())
)


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
@given(
    st.one_of(HTML_ISH.map(str.encode), HTML_ISH.map(lambda t: t.encode("cp1252", "replace")), st.binary(max_size=2000))
)
def test_html_reader_returns_an_article_a_reason_or_warnings(tmp_path, data):
    result = read(tmp_path, "mirror/www.paper.example/2024/a/index.html", data)
    assert result.article is not None or result.skipped or result.diagnostics


@fuzz
@given(
    st.one_of(
        st.binary(max_size=3000),
        HTML_ISH.map(lambda t: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n" + t.encode()),
    )
)
def test_warc_reader_never_raises(tmp_path, data):
    result = read(tmp_path, "crawl.warc", data)
    assert result.article is not None or result.skipped or result.diagnostics


@fuzz
@given(
    st.one_of(
        TOML_ISH,
        TOML_ISH.map(lambda t: "[[comments]]\n" + t),
        st.binary(max_size=500).map(lambda b: b.decode("latin-1")),
    )
)
def test_comments_files_never_raise(tmp_path, text):
    path = tmp_path / "comments.toml"
    path.write_bytes(text.encode("utf-8", "replace"))
    comments, _warnings = read_comments_file(path, "comments.toml", UTC)
    assert all(c.id for c in comments)


@fuzz
@given(TOML_ISH)
def test_folder_defaults_never_raise(tmp_path, text):
    (tmp_path / "content" / "x").mkdir(parents=True, exist_ok=True)
    (tmp_path / "content" / "_defaults.toml").write_text(text)
    defaults = FolderDefaults(tmp_path / "content")
    assert isinstance(defaults.for_folder(tmp_path / "content" / "x"), dict)


@fuzz
@given(
    st.one_of(
        TOML_ISH, st.sampled_from(["per_page = -1", "[images]\nwidths = []", "timezone = 3", "[feeds]\nentries = 0"])
    )
)
def test_site_toml_gives_a_config_or_a_config_error(tmp_path, text):
    (tmp_path / "site.toml").write_text(text)
    try:
        assert isinstance(load(tmp_path), SiteConfig)
    except ConfigError as error:
        assert "site.toml" in str(error)


# Each pathological input as (repeated unit, repeats at full size, prefix, suffix); full size is about half a megabyte.
PATHOLOGICAL = {
    "nested quotes": ("> " * 100 + "deep\n", 1_300, "", ""),
    "open brackets": ("[", 300_000, "", ""),
    "emphasis runs": ("*a_", 100_000, "", ""),
    "links": ("[x](", 75_000, "", ""),
    "html soup": ("<div><span>", 30_000, "", ""),
    "one long line": ("word ", 100_000, "", ""),
    "many short lines": ("line\n\n", 75_000, "", ""),
    "table": ("|1|2|\n", 45_000, "|a|b|\n|-|-|\n", ""),
    "comment markers": ("Name\n\nText.\n\n\n", 20_000, "Notify of\n\n", "Would love your thoughts, please comment.x\n"),
    "json-ld array": ("0,", 250_000, '<script type="application/ld+json">[', "0]</script>\n"),
}
HEADS = {
    ".md": '+++\ntitle = "Big"\n+++\n',
    ".txt": "Big Title Here\n\n",
    ".html": "<title>Big</title><p>Some text first, long enough to be an article.</p>",
}


def pathological(name: str, suffix: str, fraction: float = 1.0) -> bytes:
    """The capture of a pathological case, its repeated part cut to `fraction` of full size."""
    unit, repeats, prefix, suffix_text = PATHOLOGICAL[name]
    return (HEADS[suffix] + prefix + unit * int(repeats * fraction) + suffix_text).encode()


def read_cost(tmp_path: Path, name: str, suffix: str, fraction: float) -> float:
    """CPU seconds for one read: the least of at least two reads (and 0.3 s of reading), so one slow run
    on a busy machine does not count."""
    data = pathological(name, suffix, fraction)
    costs: list[float] = []
    while len(costs) < 2 or sum(costs) < 0.3:
        started = time.process_time()
        result = read(tmp_path, "big" + suffix, data)
        costs.append(time.process_time() - started)
        assert result.article is not None
    return min(costs)


@pytest.mark.parametrize("suffix", sorted(HEADS))
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_four_times_the_pathological_input_costs_at_most_eight_times_the_work(tmp_path, name, suffix):
    """A size-ratio check, not a time limit: quadrupling linear work quadruples the cost, quadratic work costs 16 times.

    The limit sits halfway (on a log scale) between the two, so a busy machine, a garbage collection or an n log n
    step does not fail the test while any quadratic path still does. Both sizes run in the same process one after
    the other, so a loaded machine slows both alike; a ratio above the limit is measured up to twice more before
    failing. Absolute times are in bench/pathological.py.
    """
    read_cost(tmp_path, name, suffix, 0.05)  # imports and first-use set-up are not part of either size's cost
    ratios = []
    for _attempt in range(3):
        ratios.append(read_cost(tmp_path, name, suffix, 1.0) / read_cost(tmp_path, name, suffix, 0.25))
        if min(ratios) <= 8:
            break
    assert min(ratios) <= 8, f"{name}{suffix}: 4x input cost {min(ratios):.2f}x"
