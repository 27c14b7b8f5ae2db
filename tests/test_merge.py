"""Duplicate captures of one article collapse into one, with the union of their comments."""

from __future__ import annotations

import pytest
from conftest import article, build_into

from generator.common.weburl import page_key
from generator.model import Comment
from generator.site.merge import union_comments


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/2024/11/bridge/",
        "http://example.org/2024/11/bridge",
        "https://example.org/2024/11/bridge/?replytocom=123",
        "https://example.org/2024/11/bridge/amp/",
        "https://example.org/2024/11/bridge/?utm_source=x#comments",
    ],
)
def test_page_key_ignores_views_tracking_and_replies(url):
    assert page_key(url) == page_key("https://example.org/2024/11/bridge/")


def test_page_key_keeps_meaningful_queries_apart():
    assert page_key("https://example.org/?p=1") != page_key("https://example.org/?p=2")


def make(cid, text, author=None, parent=None):
    return Comment(id=cid, body_html="", text=text, author=author, parent=parent)


def test_union_keeps_each_distinct_comment_once_and_remaps_parents():
    first = [make("c1", "Great news"), make("c2", "Agreed", "Tom", parent="c1")]
    second = [
        make("1", "Great  news"),
        make("2", "Pity about the ferry"),
        make("3", "Yes", "Ann", parent="2"),
        make("4", "me too", parent="1"),
    ]
    merged = union_comments([first, second])
    assert [(c.id, c.text, c.parent) for c in merged] == [
        ("c1", "Great news", None),
        ("c2", "Agreed", "c1"),
        ("2", "Pity about the ferry", None),
        ("3", "Yes", "2"),
        ("4", "me too", "c1"),
    ]


def test_site_comment_ids_match_an_edited_comment_across_saved_pages():
    newer = [make("41", "Edited: the ferry returns in May", "Ann"), make("44", "Thanks", "Ben", parent="41")]
    older = [make("41", "The ferry returns in April", "Ann"), make("42", "Great", "Cy", parent="41")]
    merged = union_comments([newer, older], [True, True])
    assert [(c.id, c.text, c.parent) for c in merged] == [
        ("41", "Edited: the ferry returns in May", None),
        ("44", "Thanks", "41"),
        ("42", "Great", "41"),
    ]
    assert len(union_comments([newer, older])) == 4  # numbered by the reader, not the site: text decides


def test_id_clashes_between_captures_are_renamed():
    merged = union_comments([[make("1", "a")], [make("1", "b")]])
    assert [c.id for c in merged] == ["1", "2-1"]


def test_a_bundle_and_two_captures_of_one_article_build_as_one(write_site, tmp_path):
    url = "https://news.example/2024/03/ferry/"
    site = write_site(
        {
            "content/bundle/ferry/index.md": article(
                "Ferry Returns", "Curated text.", date="2024-03-02", source_url=url, captured="2024-04-01T00:00:00Z"
            ),
            "content/bundle/ferry/comments.toml": '[[comments]]\nid = "c1"\nauthor = "Ann"\nbody = "Lovely."\n',
            "content/raw/ferry.txt": (
                "Ferry Returns To The Quay\n\nRaw text of an older capture.\n\n"
                "Notify of\n\nLovely.\n\n\n"
                "When does it start?\n\nWould love your thoughts, please comment.x\n"
            ),
            "content/raw/ferry.toml": (
                f'source_url = "{url}?replytocom=9"\npublished = 2024-03-02\ncaptured = 2024-03-05T00:00:00Z\n'
            ),
        }
    )
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and report.merged_captures == 1
    page = (tmp_path / "out/2024/03/ferry/index.html").read_text()
    assert "Curated text." in page and "Raw text of an older capture." not in page
    assert (
        '<h2 id="comments-title">3 comments</h2>' in page
    )  # Ann's "Lovely.", the anonymous "Lovely.", and the question
    assert "When does it start?" in page


def test_the_newest_capture_wins_and_gaps_are_filled(write_site, tmp_path):
    url = "https://news.example/a/"
    site = write_site(
        {
            "content/old.md": article(
                "Old Title",
                "Old body.",
                date="2024-01-01",
                source_url=url,
                captured="2024-01-02T00:00:00Z",
                authors=["Dana"],
            ),
            "content/new.md": article(
                "New Title", "New body.", date="2024-01-01", source_url=url, captured="2024-06-01T00:00:00Z", slug="old"
            ),
        }
    )
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/01/old/index.html").read_text()
    assert "New Title" in page and "New body." in page and "Dana" in page
