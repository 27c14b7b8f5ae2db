"""Edits cost what they change: the work a rebuild does, counted (never timed), and its output checked."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import article, build_into, copy_site, output_files
from test_incremental import touch

from generator import edit as edit_module
from generator.build import BuildMemory, build
from generator.readers import scan as scan_module

TAGS = [f"Topic {n}" for n in range(25)]
_opened: list[str] | None = None  # the files opened while a test watches, else None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # audit hooks stay for the life of the process: this one records only while watching


@contextmanager
def opened_files() -> Iterator[list[str]]:
    """The files this process opens inside the block."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> Iterator[list[object]]:
    """The results of each call to *module.name* inside the block."""
    calls: list[object] = []
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)
        calls.append(result)
        return result

    monkeypatch.setattr(module, name, counted)
    yield calls
    monkeypatch.setattr(module, name, real)


def story(number: int) -> str:
    """The folder of story *number* under ``content/``, and of its page in the output."""
    return f"{2015 + number % 8}/{number % 12 + 1:02d}/story-{number:05d}"


def archive(root: Path, count: int) -> Path:
    """A site of *count* short dated articles in monthly folders, each with tags and a comments file."""
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Counted"\nbase_url = "https://archive.example/"\n')
    for number in range(count):
        folder = root / "content" / story(number)
        tags = [TAGS[number % len(TAGS)], TAGS[(number * 7) % len(TAGS)]]
        date = f"{folder.parent.parent.name}-{folder.parent.name}-{number % 28 + 1:02d}"
        folder.mkdir(parents=True)
        body = f"Lead paragraph of story {number}.\n\nA second paragraph with *emphasis* and more words."
        (folder / "index.md").write_text(article(f"Story {number}", body, date=date, tags=tags))
        (folder / "comments.toml").write_text(f'[[comments]]\nid = "c1"\nauthor = "Reader"\nbody = "First {number}."\n')
    return root


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def changed_files(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.mark.slow
def test_a_body_edit_at_two_thousand_articles_renders_and_writes_only_its_page(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 2000)
    out = tmp_path / "out"
    build_into(site, out)
    capture = site / "content" / story(1003) / "index.md"
    touch(capture, capture.read_text() + "\nA correction added by the archivist.\n")
    before = mtimes(out)
    with counting(monkeypatch, scan_module, "read_one") as read, counting(monkeypatch, scan_module, "_load") as loaded:
        with opened_files() as opened:
            report = build_into(site, out)
    page = f"{story(1003)}/index.html"
    assert changed_files(before, mtimes(out)) == {page}
    assert (report.rendered, report.changed, report.articles) == (1, 1, 2000)
    assert "A correction added by the archivist." in (out / page).read_text()
    assert len(read) == 1 and unpickled(loaded) == 0  # one capture read, no stored reading unpickled
    content = str((site / "content").resolve())
    assert {Path(name).name for name in opened if name.startswith(content)} <= {"index.md", "comments.toml"}


def test_a_no_op_build_opens_no_capture_and_unpickles_no_article(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 30)
    build_into(site, tmp_path / "out")
    with counting(monkeypatch, scan_module, "_load") as loaded, opened_files() as opened:
        report = build_into(site, tmp_path / "out")
    content = str((site / "content").resolve())
    assert [name for name in opened if name.startswith(content)] == []
    assert unpickled(loaded) == 0 and report.rendered == 0 and report.changed == 0


def assert_as_clean_build(site: Path, tmp_path: Path) -> None:
    """The output in ``tmp_path/out`` is byte for byte what a clean build of *site*'s inputs makes."""
    fresh = copy_site(site, tmp_path / "fresh")
    build_into(fresh, tmp_path / "fresh-out")
    assert output_files(tmp_path / "out") == output_files(tmp_path / "fresh-out")


def page_count(out: Path) -> int:
    return sum(1 for _ in out.rglob("index.html"))


def unpickled(loaded: list[object]) -> int:
    """How many of the calls to ``scan._load`` recorded took a stored reading (and unpickled it)."""
    return sum(1 for result in loaded if result is not None)


def edited_twice(site: Path, out: Path, edit, monkeypatch) -> tuple[int, int, int]:
    """Build, edit, build again: how many pages the second build rendered, how many captures it read and
    how many stored readings it unpickled."""
    build_into(site, out)
    edit(site)
    with counting(monkeypatch, scan_module, "read_one") as read, counting(monkeypatch, scan_module, "_load") as loaded:
        report = build_into(site, out)
    return report.rendered, len(read), unpickled(loaded)


def test_a_comments_text_edited_renders_only_its_article(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 40)
    comments = site / "content" / story(1) / "comments.toml"
    edit = lambda s: touch(comments, comments.read_text().replace("First", "Corrected"))  # noqa: E731
    assert edited_twice(site, tmp_path / "out", edit, monkeypatch) == (1, 1, 0)
    assert "Corrected 1." in (tmp_path / "out" / story(1) / "index.html").read_text()


def test_an_edit_that_changes_what_listings_show_plans_the_whole_site_and_equals_a_clean_build(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 40)
    capture = site / "content" / story(1) / "index.md"
    edit = lambda s: touch(capture, capture.read_text().replace("Story 1", "Story One"))  # noqa: E731
    rendered, read, unpickled_now = edited_twice(site, tmp_path / "out", edit, monkeypatch)
    assert rendered > 1 and (read, unpickled_now) == (1, 39)  # the title shows in listings: the site is taken in
    assert_as_clean_build(site, tmp_path)


def test_a_body_shown_whole_in_feeds_remakes_the_feeds_too(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 12)
    (site / "site.toml").write_text((site / "site.toml").read_text() + "[feeds]\nfull_content = true\n")
    capture = site / "content" / story(7) / "index.md"
    edited_twice(site, tmp_path / "out", lambda s: touch(capture, capture.read_text() + "\nLate news.\n"), monkeypatch)
    assert "Late news." in (tmp_path / "out/atom.xml").read_text()
    assert_as_clean_build(site, tmp_path)


def test_an_editors_hidden_file_beside_a_capture_changes_nothing(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 20)
    swap = site / "content" / story(1) / ".index.md.swp"
    assert edited_twice(site, tmp_path / "out", lambda s: swap.write_text("editor state"), monkeypatch) == (0, 0, 0)


def test_a_watched_rebuild_looks_only_at_the_files_the_watcher_saw_change(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 30)
    memory = BuildMemory()
    build(site, tmp_path / "out", memory=memory)
    capture = site / "content" / story(4) / "index.md"
    touch(capture, capture.read_text() + "\nWatched correction.\n")
    memory.changed = {str(capture)}
    with counting(monkeypatch, edit_module, "tree_stamps") as walks:
        report = build(site, tmp_path / "out", memory=memory)
    assert report.rendered == 1 and len(walks) == 1  # the theme's files only: content/ is not walked
    assert all(not name.startswith(str((site / "content").resolve())) for name in walks[0])
    memory.changed = {str(site / "content" / story(4))}  # a folder: everything is looked at again
    with counting(monkeypatch, edit_module, "tree_stamps") as walks:
        build(site, tmp_path / "out", memory=memory)
    assert len(walks) == 2
    assert_as_clean_build(site, tmp_path)


def test_a_comment_added_renders_its_page_and_the_pages_that_show_its_card_and_equals_a_clean_build(
    tmp_path, monkeypatch
):
    site = archive(tmp_path / "site", 40)
    comments = site / "content" / story(3) / "comments.toml"
    reply = '\n[[comments]]\nid = "c2"\nparent = "c1"\nauthor = "Late"\nbody = "A late reply."\n'
    rendered, read, unpickled_now = edited_twice(
        site, tmp_path / "out", lambda s: touch(comments, comments.read_text() + reply), monkeypatch
    )
    pages = page_count(tmp_path / "out")
    assert 1 < rendered < pages / 4 and read == 1 and unpickled_now < rendered  # the card's pages, not the site
    assert "A late reply." in (tmp_path / "out" / story(3) / "index.html").read_text()
    assert_as_clean_build(site, tmp_path)


def test_a_comments_file_that_appears_beside_a_capture_is_an_edit_of_that_article(tmp_path, monkeypatch):
    site = archive(tmp_path / "site", 30)
    comments = site / "content" / story(5) / "comments.toml"
    text = comments.read_text()
    comments.unlink()  # looked for by the first build, not there
    rendered, read, unpickled_now = edited_twice(
        site, tmp_path / "out", lambda s: comments.write_text(text), monkeypatch
    )
    pages = page_count(tmp_path / "out")
    assert 1 < rendered < pages / 4 and read == 1  # its page, and those that show its card: a comment count
    assert unpickled_now < rendered  # only the articles of the pages that show its card: not the site
    assert "First 5." in (tmp_path / "out" / story(5) / "index.html").read_text()
    assert_as_clean_build(site, tmp_path)
