"""Reader comments: reading comments.toml, threading, rendering without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from conftest import REPO_PATH, SITES_PATH, build_into, copy_site
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Comment
from generator.readers.comment_files import read_comments_file
from generator.site.comments import thread


def flatten(nodes):
    for node in nodes:
        yield node
        yield from flatten(node.replies)


def ids(nodes):
    return [node.comment.id for node in flatten(nodes)]


def make(cid, parent=None, minute=None):
    date = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=minute) if minute is not None else None
    return Comment(id=cid, body_html="", text=cid, parent=parent, date=date, source="c.toml")


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 15), st.one_of(st.none(), st.integers(0, 20)), st.one_of(st.none(), st.integers(0, 50))
        ),
        max_size=40,
    ),
    st.sampled_from(["oldest", "newest"]),
    st.integers(1, 8),
)
def test_thread_keeps_every_comment_exactly_once(spec, order, max_depth):
    comments = [make(f"c{cid}", f"c{parent}" if parent is not None else None, minute) for cid, parent, minute in spec]
    roots, _warnings = thread(comments, order, max_depth)
    placed = list(flatten(roots))
    assert len(placed) == len(comments)
    assert sorted(n.comment.text for n in placed) == sorted(c.text for c in comments)
    assert len({n.comment.id for n in placed}) == len(comments)
    assert all(1 <= n.depth <= max_depth for n in placed)


def test_orphans_cycles_and_duplicates_are_repaired_with_warnings():
    comments = [
        make("a", minute=1),
        make("b", "zz", 2),
        make("c", "d", 3),
        make("d", "c", 4),
        make("a", "a", 5),
        make("e", "e", 6),
    ]
    roots, warnings = thread(comments)
    text = "\n".join(str(w) for w in warnings)
    assert "replies to unknown comment 'zz'" in text
    assert "duplicate id 'a' renamed to 'a-2'" in text
    assert text.count("reply cycle broken") == 2
    assert sorted(ids(roots)) == ["a", "a-2", "b", "c", "d", "e"]


def test_order_oldest_and_newest_per_level_undated_keep_file_place():
    comments = [
        make("r1", minute=5),
        make("r2", minute=1),
        make("u", None),
        make("r3", minute=9),
        make("k2", "r2", 8),
        make("k1", "r2", 2),
    ]
    oldest, _ = thread(comments, "oldest")
    assert [n.comment.id for n in oldest] == ["r2", "u", "r1", "r3"]  # u stays right after r2, as in the file
    assert [n.comment.id for n in oldest[0].replies] == ["k1", "k2"]
    newest, _ = thread(comments, "newest")
    assert [n.comment.id for n in newest] == ["r3", "r1", "r2", "u"]
    assert [n.comment.id for n in newest[2].replies] == ["k2", "k1"]


def test_replies_beyond_max_depth_are_drawn_at_it_marked_as_overflow():
    chain = [make("c1", minute=1)] + [make(f"c{n}", f"c{n - 1}", n) for n in range(2, 8)]
    roots, _ = thread(chain, max_depth=3)
    nodes = list(flatten(roots))
    assert [(n.comment.id, n.depth, n.overflow) for n in nodes] == [
        ("c1", 1, False), ("c2", 2, False), ("c3", 3, False),
        ("c4", 3, True), ("c5", 3, True), ("c6", 3, True), ("c7", 3, True),
    ]  # fmt: skip
    assert nodes[4].reply_to.id == "c4"


def test_a_ten_thousand_deep_chain_does_not_recurse_to_death():
    chain = [make("c0", minute=0)] + [make(f"c{n}", f"c{n - 1}", n) for n in range(1, 10_000)]
    roots, _ = thread(chain, max_depth=6)
    assert len(ids(roots)) == 10_000


def test_bad_comment_files_warn_with_line_and_keep_the_rest(tmp_path):
    path = tmp_path / "comments.toml"
    path.write_text(
        '[[comments]]\nid = "ok"\nbody = "Fine"\n\n'
        '[[comments]]\nid = "broken\nbody = "unterminated"\n\n'
        '[[comments]]\nid = "nobody"\n\n'
        '[[comments]]\nid = "baddate"\ndate = "last tuesday"\nbody = "When?"\n\n'
        f'[[comments]]\nid = "long"\nbody = "{"x" * 50_000}"\n\n'
        '[[comments]]\nid = "impossible"\ndate = 2024-13-01\nbody = "Kept, undated"\n\n'
        '[[comments\nbody = "a broken header costs its entry"\n',
        encoding="utf-8",
    )
    comments, warnings = read_comments_file(path, "content/a/comments.toml", UTC)
    assert [c.id for c in comments] == ["ok", "2", "nobody", "baddate", "long", "impossible"]
    assert comments[1].text == "unterminated" and comments[5].date is None
    text = [str(w) for w in warnings]
    assert any(t.startswith("content/a/comments.toml:6: 'id' is not valid TOML") for t in text)
    assert any(t.startswith("content/a/comments.toml:23: 'date' is not valid TOML") for t in text)
    assert any(t.startswith("content/a/comments.toml:26: not valid TOML, comment entry skipped") for t in text)
    assert any(t.startswith("content/a/comments.toml:9:") and "no body" in t for t in text)
    assert any(t.startswith("content/a/comments.toml:14:") and "'last tuesday' not understood" in t for t in text)
    assert any("very long (50,000 characters); kept" in t for t in text)
    assert len(next(c for c in comments if c.id == "long").text) == 50_000


class Tree(HTMLParser):
    """Nesting of <li class="comment"> and <details> in a page."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.comments: dict[str, int] = {}
        self.details: list[tuple[bool, int]] = []
        self.events: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.events += [name for name in attributes if name.startswith("on")]
        if tag == "li" and "comment" in (attributes.get("class") or "").split():
            self.comments[attributes["id"]] = self.stack.count("li")
        if tag == "details":
            self.details.append(("open" in attributes, self.stack.count("li")))
        if tag not in ("img", "br", "hr", "meta", "link", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass


@pytest.fixture(scope="module")
def thread_page(tmp_path_factory):
    site = copy_site(SITES_PATH / "threads", tmp_path_factory.mktemp("threads") / "site")
    report = build_into(site, site / "public")
    return site / "public", report


def test_thread_page_nests_comments_and_folds_without_javascript(thread_page):
    out, report = thread_page
    html = (out / "2024/05/long-thread/index.html").read_text()
    tree = Tree()
    tree.feed(html)
    depth = {key.removeprefix("comment-"): value for key, value in tree.comments.items()}
    assert depth["a1"] == 0 and depth["a2"] == 1 and depth["a3"] == 2 and depth["a4"] == 3
    assert depth["a5"] == 3 and depth["a6"] == 3  # beyond max_depth = 4: drawn at it
    assert depth["o1"] == 0 and depth["x1"] == 0 and depth["x2"] == 1
    assert '<h2 id="comments-title">11 comments</h2>' in html
    assert "in reply to Di" in html and "in reply to Ed" in html
    assert "reply to Ada" not in html  # the indentation says so: "in reply to" only where a thread is flattened
    assert (False, 1) in tree.details  # a1 has 7 replies > collapse_over = 5: starts folded
    assert (True, 1) in tree.details  # x1 has one reply: it folds too, open
    assert any(is_open and level >= 2 for is_open, level in tree.details)  # deep sub-threads fold, open
    a3 = '<a class="comment-permalink" href="#comment-a3"><time datetime="2024-05-01T09:20:00+00:00"'
    assert a3 + ' title="1 May 2024, 09:20 UTC">1 May 2024, 09:20</time>' in html  # the time shown, its zone on hover
    assert "Undated" not in html
    warnings = "\n".join(map(str, report.diagnostics))
    assert "comments.toml:42: comment 'o1': replies to unknown comment 'gone'" in warnings
    assert "reply cycle broken" in warnings and "duplicate id 'a2'" in warnings


def test_hostile_comment_text_and_names_come_out_inert(thread_page):
    out, _ = thread_page
    html = (out / "2024/05/long-thread/index.html").read_text()
    tree = Tree()
    tree.feed(html)
    assert tree.events == []
    section = html[html.index('<section id="comments"') :]
    assert "<script" not in section and "<img" not in section and "<b " not in section
    assert 'href="javascript' not in section and "[click](javascript:alert(2))" in section
    assert "&lt;img src=x onerror=alert(1)&gt;" in section
    assert '<a href="https://example.org/home" rel="nofollow ugc noopener">' in section
    assert '<a href="https://example.org/bare" rel="nofollow ugc noopener">https://example.org/bare</a>' in section


def test_article_shows_count_and_closed_notice_and_no_empty_section(thread_page):
    out, _ = thread_page
    article_html = (out / "2024/05/long-thread/index.html").read_text()
    assert '<a class="comment-count" href="index.html#comments">11 comments</a>' in article_html
    assert '"commentCount": 11' in article_html
    front = (out / "index.html").read_text()
    assert "11 comments</a>" in front
    closed = (out / "2024/05/closed/index.html").read_text()
    assert "Comments were closed on the original page." in closed and "comment-count" not in closed
    month_page = (out / "2024/05/index.html").read_text()
    assert month_page.count('class="comment-count"') == 1


def test_sample_archive_has_a_big_deep_thread(tmp_path):
    from generator.common.config import load
    from generator.readers.scan import scan

    config = load(REPO_PATH)
    articles = scan(config).articles
    best = max(articles, key=lambda a: len(a.comments))
    roots, _ = thread(best.comments, max_depth=32)
    deepest = max(node.depth for node in flatten(roots))
    assert len(best.comments) >= 30 and deepest >= 5
