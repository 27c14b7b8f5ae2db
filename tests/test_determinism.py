"""Same input, byte-identical output; a second build rewrites nothing."""

from __future__ import annotations

import os
import shutil

from conftest import build_into, output_files


def test_two_builds_are_byte_identical(make_site, tmp_path):
    site = make_site("sample")
    first = build_into(site, tmp_path / "one")
    shutil.rmtree(site / ".backissue")  # the second build makes every image again
    build_into(site, tmp_path / "two")
    assert first.articles >= 14
    assert output_files(tmp_path / "one") == output_files(tmp_path / "two")


def test_rebuild_keeps_unchanged_files_untouched(make_site, tmp_path):
    site = make_site("minimal")
    out = tmp_path / "out"
    first = build_into(site, out)
    assert first.changed == first.files
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = build_into(site, out)
    assert second.changed == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_rebuild_after_edit_changes_only_affected_files(make_site, tmp_path):
    site = make_site("minimal")
    out = tmp_path / "out"
    build_into(site, out)
    note = site / "content/notes/undated-note.md"
    note.write_text(note.read_text().replace("carried no date", "carried no date at all"))
    report = build_into(site, out)
    assert 1 <= report.changed < report.files // 4
    assert "at all" in (out / "undated/undated-note/index.html").read_text()
    assert not any(name.startswith(".") for name in os.listdir(tmp_path))
