"""One bad input costs only itself: odd values, odd files and reader failures become warnings, never a stop."""

from __future__ import annotations

import json
import os
from datetime import UTC
from pathlib import Path

import pytest
from conftest import article, build_into, comment_list
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.cli import EXIT_FAILED, EXIT_OK, main
from generator.common.config import SiteConfig
from generator.readers.comment_files import read_comments_file
from generator.readers.scan import READERS, ContextFactory, read_one

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of a story about the harbour, long enough to be read as text.</p>" for n in range(8)
)


def html_page(head: str = "", body: str = "") -> str:
    return (
        f"<html><head><title>Harbour story</title>{head}</head>"
        f"<body><article>{PARAGRAPHS}{body}</article></body></html>"
    )


def read(tmp_path: Path, name: str, text: str, timezone_name: str = "UTC"):
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    config = SiteConfig(site_path=tmp_path, timezone=timezone_name)
    return read_one(path, ContextFactory(config).for_file(path))


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Anchorage"])
def test_a_date_no_zone_can_hold_is_dropped_with_a_warning_never_clamped(tmp_path, value, zone):
    pages = {
        "json-ld.html": html_page(
            '<script type="application/ld+json">'
            f"{json.dumps({'@type': 'NewsArticle', 'datePublished': value})}</script>"
        ),
        "meta.html": html_page(f'<meta property="article:published_time" content="{value}">'),
        "time.html": html_page(body=f'<time datetime="{value}">then</time>'),
        "front.md": f'+++\ntitle = "Front"\npublished = {value}\n+++\nText.\n',
        "quoted.md": f'+++\ntitle = "Quoted"\npublished = "{value}"\n+++\nText.\n',
    }  # fmt: skip
    for name, text in pages.items():
        result = read(tmp_path, name, text, zone)
        assert result.article is not None, name
        assert result.article.published is None, name
        assert any("outside the dates backissue can hold" in d.message for d in result.diagnostics), name


def test_comment_dates_out_of_range_leave_the_comment_undated(tmp_path):
    path = tmp_path / "comments.toml"
    path.write_text(
        '[[comments]]\nbody = "a"\ndate = 0001-01-01T00:00:00Z\n[[comments]]\nbody = "b"\ndate = "9999-12-31"\n'
    )
    comments, warnings = read_comments_file(path, "comments.toml", UTC)
    assert [c.date for c in comments] == [None, None]
    assert [w.line for w in warnings if "outside the dates" in w.message] == [1, 4]


def test_a_relative_comment_date_too_far_back_is_dropped(tmp_path):
    thread = comment_list(["Ann"] * 3, ["3000 years ago", "2 days ago", "99999999999 years ago"])
    sidecar = tmp_path / "content" / "page.toml"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text("captured = 2024-05-01T00:00:00Z\n")
    result = read(tmp_path, "page.html", html_page(body=thread))
    dates = [(c.text, c.date is not None) for c in result.article.comments]
    assert dates == [("Comment 0.", False), ("Comment 1.", True), ("Comment 2.", False)]
    dropped = [d.message for d in result.diagnostics if "dates backissue can hold" in d.message]
    assert [message.split(":")[0] for message in dropped] == ["comment 0", "comment 2"]  # each named, none silent


def test_a_printed_comment_date_out_of_range_is_dropped_with_a_warning(tmp_path):
    thread = comment_list(["Ann", "Bo"], ["0001-01-01T00:00:00Z", "2024-05-02T10:00:00Z"])
    result = read(tmp_path, "page.html", html_page(body=thread))
    assert [c.date is not None for c in result.article.comments] == [False, True]
    assert any(d.message.startswith("comment 0: date '0001-01-01T00:00:00Z'") for d in result.diagnostics)


def test_json_ld_nested_too_deeply_costs_only_the_json_ld(tmp_path):
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    result = read(tmp_path, "deep.html", html_page(f'<script type="application/ld+json">{deep}</script>'))
    assert result.article is not None and result.article.title == "Harbour story"


def failing_on(name: str):
    real = READERS[Path(name).suffix]

    def reader(path, context):
        if path.name == name:
            raise ZeroDivisionError("a bug met by one capture")
        return real(path, context)

    return reader


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=5))
def test_a_reader_failing_on_one_capture_leaves_the_others_results_unchanged(tmp_path_factory, monkeypatch, bad):
    site = tmp_path_factory.mktemp("site")
    for n in range(6):
        (site / "content").mkdir(exist_ok=True)
        (site / "content" / f"a{n}.md").write_text(article(f"Story {n}", f"Text {n}.", date=f"2024-01-0{n + 1}"))
    contexts = ContextFactory(SiteConfig(site_path=site))
    paths = sorted((site / "content").glob("*.md"))
    before = [read_one(p, contexts.for_file(p)) for p in paths]
    with monkeypatch.context() as patch:
        patch.setitem(READERS, ".md", failing_on(f"a{bad}.md"))
        after = [read_one(p, contexts.for_file(p)) for p in paths]
    for n, (old, new) in enumerate(zip(before, after, strict=True)):
        if n == bad:
            assert new.article is None and new.error
            assert [str(d) for d in new.diagnostics] == [
                f"content/a{n}.md: could not be read, skipped: ZeroDivisionError: a bug met by one capture"
            ]
        else:
            assert new == old


def test_build_inspect_and_import_go_on_past_a_failing_capture(write_site, tmp_path, monkeypatch, capsys):
    text = "Story Number {n} Of Three\n\n" + "A sentence of the story, long enough to be read. " * 20
    site = write_site({f"content/a{n}.txt": text.format(n=n) for n in range(3)})
    monkeypatch.setitem(READERS, ".txt", failing_on("a1.txt"))
    report = build_into(site)
    assert report.articles == 2 and report.skipped == ["content/a1.txt"]
    assert any("a1.txt" in str(d) and "ZeroDivisionError" in str(d) for d in report.diagnostics)
    assert main(["inspect", "--json", *(str(site / f"content/a{n}.txt") for n in range(3))]) == EXIT_FAILED
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [bool(p["error"]) for p in printed] == [False, True, False] and printed[2][
        "title"
    ] == "Story Number 2 Of Three"
    status = main(["import", str(site / "content"), "--to", str(tmp_path / "bundles")])
    assert status == EXIT_OK and len(list((tmp_path / "bundles").iterdir())) == 2


def test_special_files_symlink_loops_and_long_names_are_warnings(write_site):
    site = write_site({"content/good.md": article("Good", date="2024-01-02")})
    content = site / "content"
    os.mkfifo(content / "pipe.html")  # reading it would wait forever
    (content / "loop-a.md").symlink_to(content / "loop-b.md")
    (content / "loop-b.md").symlink_to(content / "loop-a.md")
    (content / ("n" * 244 + ".md")).write_text(article("Long name", date="2024-01-03"))  # its comments name is too long
    report = build_into(site)
    assert report.articles == 2
    messages = sorted(str(d) for d in report.diagnostics)
    assert "content/pipe.html: skipped: not a regular file (a FIFO, device or socket)" in messages
    assert (
        "content/loop-a.md: skipped: symlink loop" in messages
        and "content/loop-b.md: skipped: symlink loop" in messages
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser can list any folder")
def test_an_unreadable_folder_is_a_warning(write_site):
    site = write_site({"content/good.md": article("Good", date="2024-01-02"), "content/locked/a.md": article("A")})
    (site / "content/locked").chmod(0)
    try:
        report = build_into(site)
    finally:
        (site / "content/locked").chmod(0o755)
    assert report.articles == 1
    assert any("content/locked" in str(d) and "folder not read" in str(d) for d in report.diagnostics)


def test_aliases_onto_the_sites_own_files_are_left_out_with_a_warning(write_site):
    aliases = ["/robots.txt", "/atom.xml", "/index.html/", "/atom.xml/x/"]
    site = write_site({"content/a.md": article("A", date="2024-01-02", aliases=aliases)})
    report = build_into(site)
    left_out = [str(d) for d in report.diagnostics if "left out" in str(d)]
    assert len(left_out) == len(aliases)
    assert (site / "public/robots.txt").is_file() and (site / "public/atom.xml").is_file()


def test_a_broken_comments_header_costs_only_its_own_entry_and_is_blamed_on_its_line(tmp_path):
    path = tmp_path / "comments.toml"
    path.write_text('[[comments]]\nid = "1"\nbody = "Good"\n\n[[comments]\nid = "2"\nbody = "Broken"\n\n'
                    '[[comments]]\nid = "3"\nbody = "Third"\n')  # fmt: skip
    comments, warnings = read_comments_file(path, "comments.toml", UTC)
    assert [c.id for c in comments] == ["1", "3"]
    assert [w.line for w in warnings] == [5, 5]


def test_an_image_address_with_a_query_too_long_for_a_file_name_costs_only_the_image(tmp_path):
    query = "q" * 300  # wget keeps the query in the saved file's name; this one cannot exist
    result = read(tmp_path, "www.paper.example/2024/a/index.html",
                  html_page(body=f"<img src='pic.jpg?{query}' alt='a'>"
                                 f"<img src='/wp/pic.jpg?ver={query}' alt='b'>"))  # fmt: skip
    assert result.article is not None and not result.error
