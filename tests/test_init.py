"""``backissue init`` and ``--version``: a new site that builds clean, and nothing of the user's replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import __version__
from generator.build import build
from generator.commands.cli import EXIT_FAILED, EXIT_OK, main


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"backissue {__version__}"


def test_a_new_site_builds_with_no_warnings_and_checks_clean(tmp_path):
    site = tmp_path / "archive"
    assert main(["init", str(site)]) == EXIT_OK
    assert (site / "site.toml").is_file()
    report = build(site, jobs=1)
    assert report.diagnostics == []
    assert report.articles == 2  # the example article and the example capture
    assert (site / "public/about/index.html").is_file()  # the About page, not an article
    assert main(["check", "--site", str(site)]) == EXIT_OK


def test_a_non_empty_folder_is_refused_without_force(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == EXIT_FAILED
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_adds_missing_files_and_replaces_none(tmp_path, capsys):
    (tmp_path / "site.toml").write_text('title = "Mine"\n', encoding="utf-8")
    assert main(["init", str(tmp_path), "--force"]) == EXIT_OK
    assert (tmp_path / "site.toml").read_text(encoding="utf-8") == 'title = "Mine"\n'
    assert (tmp_path / "content" / "articles" / "welcome.md").is_file()
    assert "site.toml exists, left as it was" in capsys.readouterr().err


def test_a_file_in_the_way_is_refused(tmp_path: Path):
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    assert main(["init", str(target), "--force"]) == EXIT_FAILED
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("where", ["content", "content/new-site", "themes", ".backissue"])
def test_init_refuses_an_enclosing_sites_inputs_like_every_command(tmp_path, capsys, where):
    (tmp_path / "site.toml").write_text('title = "Mine"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    assert main(["init", str(tmp_path / where), "--force"]) == EXIT_FAILED
    assert "refusing init" in capsys.readouterr().err
    assert not (tmp_path / where / "site.toml").exists()


def test_init_refuses_the_home_folder_and_the_root(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["init", str(tmp_path), "--force"]) == EXIT_FAILED
    assert main(["init", "/", "--force"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "home folder" in err and "file system root" in err
    assert list(tmp_path.iterdir()) == []
