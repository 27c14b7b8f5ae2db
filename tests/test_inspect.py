"""``backissue inspect``: one JSON object per input with exactly the documented keys."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import TESTS_PATH, article

from generator.commands.cli import EXIT_FAILED, EXIT_OK, main

SAMPLE = TESTS_PATH / "fixtures/text-captures/valley-courier/rail-link-study.txt"
KEYS = [
    "source",
    "reader",
    "title",
    "published",
    "captured",
    "authors",
    "tags",
    "source_url",
    "language",
    "blocks",
    "comments",
    "comments_not_captured",
    "skipped",
    "dropped",
    "warnings",
    "error",
]


def test_json_lines_with_exactly_the_documented_keys(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "site.toml").touch()
    (tmp_path / "content/a.md").write_text(
        article("A", '## Head\n\n> quote\n\n- item\n\n![alt](x.png "Cap")', date="2024-01-01")
    )
    assert main(["inspect", "--json", "--site", str(tmp_path), str(SAMPLE), str(tmp_path / "content/a.md")]) == EXIT_OK
    lines = capsys.readouterr().out.strip().split("\n")
    reports = [json.loads(line) for line in lines]
    assert [list(r) for r in reports] == [KEYS, KEYS]
    text, markdown = reports
    assert text["reader"] == "text" and markdown["reader"] == "markdown"
    assert set(text["blocks"][0]) == {"type", "text", "alt", "caption", "src"}
    assert set(text["comments"][0]) == {"id", "author", "date", "date_approximate", "text", "replies"}
    assert set(text["dropped"][0]) == {"line", "text", "reason"}
    assert [b["type"] for b in markdown["blocks"]] == ["heading", "quote", "list", "figure"]
    assert markdown["blocks"][3] == {"type": "figure", "text": "alt", "alt": "alt", "caption": "Cap", "src": "x.png"}
    assert markdown["published"] == "2024-01-01" and markdown["warnings"] == [
        "content/a.md:11: image 'x.png': file not found"
    ]


def test_human_output_lists_drops_with_reasons(capsys):
    assert main(["inspect", str(SAMPLE)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Rail Link Study Recommends Electrified Line To Upper Valley" in out
    assert "share block" in out and "Post navigation" in out and "comments:   4 in 4 thread(s)" in out


def test_unknown_files_are_an_error(tmp_path, capsys):
    (tmp_path / "x.pdf").write_text("no")
    assert main(["inspect", str(tmp_path / "x.pdf")]) == EXIT_FAILED
    assert "not a file backissue reads" in capsys.readouterr().err


def test_a_missing_file_is_said_to_be_missing(tmp_path, capsys):
    (tmp_path / "site.toml").touch()
    assert main(["inspect", str(tmp_path / "nonexistent.txt"), "--site", str(tmp_path)]) == EXIT_FAILED
    assert f"error: {tmp_path / 'nonexistent.txt'}: no such file" in capsys.readouterr().err.replace("\n", "")


def test_a_capture_outside_the_site_with_folder_defaults_beside_it_is_inspected(tmp_path, capsys):
    (tmp_path / "site/content").mkdir(parents=True)
    (tmp_path / "site/site.toml").touch()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "_defaults.toml").write_text('source = "Valley Courier"\n')
    shutil.copy(SAMPLE, elsewhere / "capture.txt")
    assert main(["inspect", "--json", "--site", str(tmp_path / "site"), str(elsewhere / "capture.txt")]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["title"]


PAGE = "<html><head><title>Pier</title></head><body><article><h1>Pier Opens</h1><p>{}</p></article></body></html>"


def _mirror_site(root):
    """A site whose capture date comes from a ``_defaults.toml`` two folders above the page."""
    folder = root / "content/mirror/news.example/2024"
    folder.mkdir(parents=True)
    (root / "content/mirror/_defaults.toml").write_text("captured = 2024-04-02T07:30:00Z\n")
    (folder / "pier.html").write_text(PAGE.format("The pier opened to walkers on a bright morning. " * 8))
    (root / "site.toml").touch()
    return root


SPELLINGS = {  # --site, capture path, working folder (relative to the site's parent)
    "both absolute": (lambda s: str(s), lambda s: str(s / "content/mirror/news.example/2024/pier.html"), "."),
    "absolute site, relative capture": (
        lambda s: str(s),
        lambda s: "content/mirror/news.example/2024/pier.html",
        "site",
    ),
    "relative site, absolute capture": (
        lambda s: ".",
        lambda s: str(s / "content/mirror/news.example/2024/pier.html"),
        "site",
    ),
    "both relative, from above": (lambda s: "site", lambda s: "site/content/mirror/news.example/2024/pier.html", "."),
    "capture through ..": (lambda s: "site", lambda s: "site/content/other/../mirror/news.example/2024/pier.html", "."),
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_the_capture_date_from_folder_defaults_does_not_depend_on_how_paths_are_written(
    tmp_path, capsys, monkeypatch, spelling
):
    site = _mirror_site(tmp_path / "site")
    (site / "content/other").mkdir()
    site_arg, capture_arg, cwd = SPELLINGS[spelling]
    monkeypatch.chdir(tmp_path / cwd)
    assert main(["inspect", "--json", "--site", site_arg(site), capture_arg(site)]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["captured"] == "2024-04-02T07:30:00Z"
    assert report["source"] == "content/mirror/news.example/2024/pier.html"
