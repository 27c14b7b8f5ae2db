"""Addresses from captures: only http(s) become links, bad ones are dropped with a warning, none raises."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from conftest import article, build_into, comment_list

from generator.common.config import SiteConfig
from generator.common.weburl import join_url, split_url, web_url
from generator.readers.comment_files import read_comments_file
from generator.readers.scan import ContextFactory, read_one

HOSTILE = [
    "javascript:alert(1)", "  JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "file:///etc/passwd", "//evil.example/x",
    "http://[::1/x", "https://[::1", "http://example.org:99999/", "https:///no-host", "http://a\x00b.example/",
    "", "   ", "mailto:a@b.example", "https://blog.example%2Farticles%2F2025-story",
]  # fmt: skip
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of a story about the harbour, long enough to be read as text.</p>" for n in range(8)
)


@pytest.mark.parametrize("value", HOSTILE)
def test_anything_but_an_absolute_http_address_is_refused(value):
    assert web_url(value) is None
    resolved = web_url(value, base="https://paper.example/2024/a/")  # relative ones resolve; nothing else gets through
    assert resolved is None or resolved.startswith("https://")


def test_web_addresses_come_back_as_a_browser_reads_them():
    assert web_url("  HTTPS://Paper.example/a b\n") == "https://Paper.example/a%20b"
    assert web_url("/2024/story/", base="https://paper.example/x/") == "https://paper.example/2024/story/"
    assert web_url("story", base="javascript:alert(1)") is None


def test_parsing_never_raises():
    assert split_url("http://[::1/x") is None and split_url("http://a:bad/") is None
    assert join_url("http://[::1/", "x") == "x"


def page(head: str) -> str:
    return f"<html><head><title>Harbour story</title>{head}</head><body><article>{PARAGRAPHS}</article></body></html>"


def json_ld(value: object) -> str:
    escaped = json.dumps(value).replace("</", "<\\/")  # as sites write it, so a string cannot close the script
    return f'<script type="application/ld+json">{escaped}</script>'


@pytest.mark.parametrize("value", [v for v in HOSTILE if v.strip() and "\x00" not in v and "mailto" not in v])
@pytest.mark.parametrize(
    "where",
    [
        lambda v: f'<link rel="canonical" href="{v}">',
        lambda v: f'<meta property="og:url" content="{v}">',
        lambda v: json_ld({"@type": "NewsArticle", "headline": "Harbour story", "url": v}),
    ],
    ids=["canonical", "og:url", "json-ld"],
)
def test_a_page_whose_own_address_is_hostile_keeps_no_link_and_says_why(tmp_path, where, value):
    path = tmp_path / "content" / "story.html"
    path.parent.mkdir(parents=True)
    path.write_text(page(where(value.replace('"', "&quot;"))))
    result = read_one(path, ContextFactory(SiteConfig(site_path=tmp_path)).for_file(path))
    assert result.article is not None
    assert result.article.source_url is None
    assert any("canonical address" in d.message and "dropped" in d.message for d in result.diagnostics)


def test_front_matter_comments_and_images_drop_bad_addresses_without_stopping(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(
        article(
            "A",
            "Text.\n\n![x](http://[::1/a.png)\n\n![y](https://[::1)\n",
            date="2024-01-01",
            source_url="http://[::1/x",
            aliases=["http://[::1/old"],
        )  # fmt: skip
    )
    (content / "a.comments.toml").write_text('[[comments]]\nbody = "Hi"\nurl = " javascript:alert(1)"\n'
                                             '[[comments]]\nbody = "Ho"\nurl = "http://[::1/me"\n')  # fmt: skip
    report = build_into(tmp_path)
    assert report.articles == 1
    messages = [str(d) for d in report.diagnostics]
    assert any("a.md" in m and "source_url" in m for m in messages)
    assert sum("author url" in m and "dropped" in m for m in messages) == 2
    assert sum("image" in m and "not a valid" in m for m in messages) == 2
    html = (tmp_path / "public/2024/01/a/index.html").read_text()
    assert "javascript:" not in html and "[::1" not in html


def test_a_saved_pages_comment_author_link_that_is_not_http_is_dropped_with_a_warning(tmp_path):
    hrefs = ["javascript:alert(1)", "https://ann.example/", "#comment-0"]
    comments = comment_list([f'<a href="{href}">Ann</a>' for href in hrefs])
    path = tmp_path / "content" / "page.html"
    path.parent.mkdir(parents=True)
    path.write_text(page("").replace("</article>", f"</article>{comments}"))
    result = read_one(path, ContextFactory(SiteConfig(site_path=tmp_path)).for_file(path))
    assert [c.url for c in result.article.comments] == [None, "https://ann.example/", None]
    assert [d.message for d in result.diagnostics if "author link" in d.message] == [
        "comment author link 'javascript:alert(1)' is not an http(s) address; dropped"
    ]


def test_comments_files_name_the_field_and_line_of_a_dropped_address(tmp_path):
    path = tmp_path / "comments.toml"
    path.write_text('[[comments]]\nbody = "Hi"\nurl = "data:text/html,x"\n')
    comments, warnings = read_comments_file(path, "comments.toml", UTC)
    assert comments[0].url is None
    assert [(w.line, "author url" in w.message) for w in warnings] == [(3, True)]  # the line of the url key


def test_a_web_archive_record_with_a_broken_address_costs_only_itself(tmp_path):
    records = []
    for n, uri in enumerate(("http://[::1/broken", "https://paper.example/2024/fine/")):
        body = page("").encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        head = ("WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Record-ID: <urn:uuid:0000000{n}-0000-0000-0000-000000000000>\r\n"
                f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T00:00:00Z\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")  # fmt: skip
        records.append(head.encode() + http + b"\r\n\r\n")
    path = tmp_path / "content" / "crawl.warc"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"".join(records))
    result = read_one(path, ContextFactory(SiteConfig(site_path=tmp_path)).for_file(path))
    urls = sorted(str(r.article.source_url) for r in (result, *result.more) if r.article)
    assert urls == ["None", "https://paper.example/2024/fine/"]
