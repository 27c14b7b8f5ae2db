"""Comments without Markdown syntax skip markdown-it-py: same bytes, proved on generated and real texts."""

from __future__ import annotations

import json

import pytest
from conftest import TESTS_PATH
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.common import markup
from generator.common.markup import comment_parser, markdown_comment_html, plain_comment_html, render_comment

TEXTS_PATH = TESTS_PATH / "fixtures" / "comment-texts"
REAL_TEXTS = [
    entry["text"]
    for name in ("sample-archive.json", "wcxb-forum-posts.json")
    for entry in json.loads((TEXTS_PATH / name).read_text(encoding="utf-8"))
]

# Every character markdown-it-py, linkify or nh3 could read as syntax, the spaces and line ends that
# decide blocks, and ordinary letters (ASCII and not) so that plain runs, and so the fast path, come up.
SYNTAX = "*_[]()<>!`~#|\\&:@./-+=\"'0123456789)%$^{}"
SPACES = " \t\n\r\f\v\u00a0\u2003\u3000\u2028\u0085\x00\x1f\x7f\ufeff\u200b"
LETTERS = "aeiouhtwwwlocalhostmhfpsAZéüßçøдж中文ﬁ🎉ſK"
WORDS = ["well", "I", "the", "council", "Ünïcödé", "東京", "it's", '"quoted"', "www", "localhost", "http", "mailto"]
PIECES = [
    *WORDS,
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n\n\n",
    ".",
    ". ",
    "...",
    "!",
    "?",
    ",",
    "(",
    ")",
    "1.",
    "12)",
    "2.5",
    "-",
    "+",
    "=",
    "---",
    "    ",
    "\t",
    "*",
    "_",
    "`",
    "~~",
    "[",
    "](",
    "<",
    ">",
    "&amp;",
    "&",
    "#",
    "\\",
    "|",
    ":",
    "://",
    "//",
    "@",
    ".com",
    ".org",
    "example.com",
    "a@b.co",
    "https://x.org",
    "\u00a0",
    "\r\n",
]

syntax_heavy = st.text(alphabet=st.sampled_from(SYNTAX + SPACES + LETTERS), max_size=80)
mostly_plain = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
any_text = st.text(max_size=60)


def assert_same_as_markdown_it(text: str) -> None:
    try:
        expected = markdown_comment_html(text)
    except RuntimeError:  # markdown-it-py's linkify fails on a few inputs (``A0000[//0.0://``): not plain text
        assert markup._MAYBE_SYNTAX.search(text) is not None
        return
    assert render_comment(text) == expected
    if markup._MAYBE_SYNTAX.search(text) is None:
        # before the sanitizer, too: markdown-it-py's own HTML differs only by escaping the quote
        assert plain_comment_html(text).replace('"', "&quot;") == comment_parser().render(text)


@settings(max_examples=1500)
@given(st.one_of(syntax_heavy, mostly_plain, any_text))
def test_fast_path_output_is_markdown_its_on_generated_texts(text):
    assert_same_as_markdown_it(text)


@pytest.mark.parametrize("text", REAL_TEXTS)
def test_fast_path_output_is_markdown_its_on_real_comments(text):
    assert_same_as_markdown_it(text)


def test_most_real_comments_take_the_fast_path():
    plain = [text for text in REAL_TEXTS if markup._MAYBE_SYNTAX.search(text) is None]
    assert len(REAL_TEXTS) >= 400
    assert len(plain) >= 0.7 * len(REAL_TEXTS)


class CountingParser:
    def __init__(self) -> None:
        self.calls = 0

    def render(self, text: str) -> str:
        self.calls += 1
        return comment_parser().render(text)


@pytest.fixture
def parser(monkeypatch: pytest.MonkeyPatch) -> CountingParser:
    counting = CountingParser()
    monkeypatch.setattr(markup, "comment_parser", lambda: counting)
    return counting


def test_plain_comments_never_reach_markdown_it(parser):
    texts = [
        "Thanks for the report!",
        'He said "no" twice (and meant it).\nSecond line, same paragraph.\n\nA second paragraph; 2.5 million',
        "Ünïcödé – 東京 🎉 it's fine...",
        "Spaces end this paragraph   \n\nand this one \n",
        "",
        "\n\n",
    ]
    html = [render_comment(text) for text in texts]
    assert parser.calls == 0
    assert html[1] == (
        '<p>He said "no" twice (and meant it).\nSecond line, same paragraph.</p>\n'
        "<p>A second paragraph; 2.5 million</p>\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "*stress*",
        "see example.com",
        "mail a@b.co",
        "http://x.org",
        "1. first",
        "- item",
        "title\n===",
        "    code",
        "hard  \nbreak",
        "tab\there",
        "no\u00a0break",
        "&amp;",
        "<b>",
    ],
)
def test_possible_syntax_goes_to_markdown_it(parser, text):
    render_comment(text)
    assert parser.calls == 1


def test_a_comment_markdown_it_py_fails_on_is_kept_as_text_and_costs_nothing_else(write_site):
    """markdown-it-py raises on a few texts with bare links (linkify); the comment stays, shown as text."""
    assert render_comment("A0000[//0.0://") == "<p>A0000[//0.0://</p>\n"
    assert render_comment("x < y A0000[//0.0://") == "<p>x &lt; y A0000[//0.0://</p>\n"  # still escaped
    site = write_site({
        "content/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\n+++\nBody.\n',
        "content/a.comments.toml": '[[comments]]\nauthor = "Ann"\nbody = "A0000[//0.0://"\n',
    })  # fmt: skip
    report = build(site)
    assert report.articles == 1 and not report.skipped
    assert "A0000[//0.0://" in (site / "public/2024/01/a/index.html").read_text()
