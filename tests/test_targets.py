"""Folders backissue writes into: never the site's inputs, the root, the home folder, a file or a stranger's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article, output_files

from generator.commands.cli import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, main
from generator.store.targets import OUTPUT, Rule, TargetRefused, check_target


@pytest.fixture
def site(write_site) -> Path:
    """A site with a page, a theme of its own, a static file and a note the user keeps beside it."""
    root = write_site(
        {
            "site.toml": 'title = "Mine"\n',
            "content/a.md": article("A", date="2024-01-01"),
            "themes/mine/templates/.keep": "mine",
            "static/logo.txt": "logo",
        }
    )
    (root.parent / "notes.txt").write_text("my notes")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(site: Path, *extra: str) -> int:
    return main(["build", "--site", str(site), "--quiet", "--jobs", "1", *extra])


@pytest.mark.parametrize(
    "out",
    ["content", "content/public", ".", "site.toml", "themes", "themes/mine/public", "static", ".backissue",
     ".backissue/images", "..", "../notes.txt", "/"],
)  # fmt: skip
def test_build_never_writes_over_the_site_its_inputs_its_parent_or_a_file(site, out, capsys):
    before = snapshot(site.parent)
    assert build(site, "--out", str(site / out), "--overwrite") == EXIT_CONFIG  # not even with --overwrite
    assert "refusing --out" in capsys.readouterr().err
    after = snapshot(site.parent)
    assert {k: v for k, v in after.items() if not k.startswith("site/.backissue/")} == {
        k: v for k, v in before.items() if not k.startswith("site/.backissue/")
    }


def test_the_home_folder_and_what_holds_it_are_never_an_output(site, tmp_path, monkeypatch):
    home = tmp_path / "home" / "me"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for out in (home, home.parent):
        with pytest.raises(TargetRefused, match="home folder"):
            check_target(out, site, OUTPUT, overwrite=True)


def test_a_folder_of_someone_elses_files_is_replaced_only_with_overwrite(site, tmp_path, capsys):
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "letter.odt").write_bytes(b"dear")
    assert build(site, "--out", str(documents)) == EXIT_CONFIG
    assert "letter.odt" in capsys.readouterr().err and (documents / "letter.odt").read_bytes() == b"dear"
    assert build(site, "--out", str(documents), "--overwrite") == EXIT_OK
    assert (documents / "index.html").is_file() and not (documents / "letter.odt").exists()


def test_a_folder_backissue_made_is_rebuilt_and_an_empty_one_is_filled(site, tmp_path):
    (tmp_path / "empty").mkdir()
    assert build(site, "--out", str(tmp_path / "empty")) == EXIT_OK
    assert build(site) == EXIT_OK
    (site / "public/extra.html").write_text("left by hand")  # the output belongs to backissue: a rebuild replaces it
    assert build(site, "--clean") == EXIT_OK  # --clean forgets the build state, not which folders backissue made
    assert "extra.html" not in output_files(site / "public")


def test_an_output_recorded_by_an_older_build_state_is_still_known(site, tmp_path):
    assert build(site) == EXIT_OK
    (site / ".backissue/made-folders.json").unlink()  # as after a build by a version without the record
    (site / "public/extra.html").write_text("x")
    assert build(site) == EXIT_OK


@pytest.mark.parametrize("setup", ["missing", "file", "no site.toml"])
@pytest.mark.parametrize("command", ["build", "serve", "publish"])
def test_site_must_be_a_folder_with_site_toml_and_is_never_created(tmp_path, capsys, command, setup):
    site = tmp_path / "site"
    if setup == "file":
        site.write_text("x")
    elif setup == "no site.toml":
        (site / "content").mkdir(parents=True)
    arguments = {"build": [], "serve": ["--port", "0"], "publish": [(tmp_path / "www").as_uri()]}[command]
    assert main([command, "--site", str(site), *arguments]) == EXIT_CONFIG
    assert "site.toml" in capsys.readouterr().err
    assert not (tmp_path / "www").exists() and not (site.is_dir() and (site / ".backissue").exists())
    assert (setup == "missing") == (not site.exists())


@pytest.mark.parametrize("inside", ["themes", "themes/mine", ".backissue", "static", "content", "public", "."])
def test_publish_to_a_folder_never_reaches_into_the_site(site, inside, capsys):
    assert build(site) == EXIT_OK
    before = snapshot(site)
    status = main(["publish", (site / inside).resolve().as_uri(), "--site", str(site), "--overwrite", "--force"])
    assert status == EXIT_FAILED
    assert "refusing file://" in capsys.readouterr().err
    assert {k: v for k, v in snapshot(site).items() if not k.startswith(".backissue/")} == {
        k: v for k, v in before.items() if not k.startswith(".backissue/")
    }


def test_a_folder_publish_made_is_known_the_next_time(site, tmp_path):
    assert build(site) == EXIT_OK
    www = tmp_path / "www"
    assert main(["publish", www.as_uri(), "--site", str(site)]) == EXIT_OK
    (site / "content/b.md").write_text(article("B", date="2024-01-02"))
    assert build(site) == EXIT_OK
    assert main(["publish", www.as_uri(), "--site", str(site)]) == EXIT_OK
    assert output_files(www) == output_files(site / "public")


def test_import_writes_into_content_but_never_onto_a_file_or_the_sites_other_inputs(site, tmp_path, capsys):
    capture = tmp_path / "page.txt"
    capture.write_text("A Title Of A Page\n\n" + "A sentence of the page, long enough to count. " * 20)
    for to in ("site.toml", "themes/imported", ".backissue/x", "."):
        assert main(["import", str(capture), "--to", str(site / to), "--site", str(site)]) == EXIT_FAILED
        assert "refusing --to" in capsys.readouterr().err
    assert main(["import", str(capture), "--to", str(tmp_path / "notes.txt"), "--site", str(site)]) == EXIT_FAILED
    assert (tmp_path / "notes.txt").read_text() == "my notes"
    assert main(["import", str(capture), "--to", str(site / "content/imported"), "--site", str(site)]) == EXIT_OK
    assert (site / "content/imported/a-title-of-a-page/index.md").is_file()  # named by its headline


def test_a_rule_for_a_new_command_gets_the_same_protection(site, tmp_path):
    """How ``init`` (or any later command) calls the guard: its own rule, the same function."""
    create = Rule("init", replaces=False)
    for protected in (site, site / "content", site.parent, Path("/")):
        with pytest.raises(TargetRefused):
            check_target(protected, site, create)
    assert check_target(tmp_path / "new-site", site, create) == (tmp_path / "new-site").resolve()
