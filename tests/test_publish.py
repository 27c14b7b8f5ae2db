"""backissue publish: the plan, the cap, refusing unfinished builds, and the whole cycle into a folder.

The same cycle runs against rsync, git and S3 servers in test_publish_servers.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import build_into, output_files

from generator.commands.cli import EXIT_FAILED, EXIT_OK, main
from generator.commands.publish import Plan, PublishError, publish, redact
from generator.common.config import PublishTarget
from generator.store.cache import BuildState
from generator.store.targets import STATE_FOLDER

Remote = Callable[[], dict[str, bytes]]


class Recorder:
    """A reporter that keeps the plan, counts bytes, and can stop a publish after some files."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.stop_after = stop_after
        self.moved = 0
        self.advances = 0

    def notice(self, message: str) -> None:
        pass

    def plan(self, target: object, plan: Plan) -> None:
        self.planned = plan

    @contextmanager
    def transfer(self, total_bytes: int) -> Iterator[Callable[[int], None]]:
        def advance(size: int) -> None:
            self.moved += size
            self.advances += 1
            if self.stop_after is not None and self.advances >= self.stop_after:
                raise KeyboardInterrupt  # as a Ctrl-C in the middle of the transfer

        yield advance


def run(site: Path, options: PublishTarget, **settings) -> Plan:
    """Publish; the progress must have counted every built file that moved, by its size."""
    recorder = Recorder()
    plan = publish(site, site / "public", options, recorder, **settings)
    if not settings.get("dry_run"):
        built = output_files(site / "public")
        assert recorder.moved == sum(len(built[path]) for path in plan.transfers if path in built)
    return plan


def rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def publish_cycle(site: Path, options: PublishTarget, remote: Remote, extras: frozenset[str] = frozenset()) -> None:
    """First publish, no change, one edit, an interrupted publish, and deletions over the cap."""

    def assert_remote_is_the_build() -> None:
        published = remote()
        assert {path: data for path, data in published.items() if path not in extras} == output_files(site / "public")

    build_into(site)
    first = run(site, options)
    assert first.upload and not first.update and not first.delete
    assert_remote_is_the_build()

    again = run(site, options)
    assert again.empty and len(again.unchanged) == len(first.upload)

    before = output_files(site / "public")
    rewrite(site / "content/notes/undated-note.md", "\n+++\n", "\n+++\nA new first sentence.\n\n")
    build_into(site)
    changed = {path for path, data in output_files(site / "public").items() if before.get(path) != data}
    edited = run(site, options)
    assert set(edited.update) == changed and not edited.upload and not edited.delete
    assert "undated/undated-note/index.html" in changed and len(changed) < len(before) / 3
    assert_remote_is_the_build()

    rewrite(site / "content/dispatch/2023/school-opens.md", "New School Opens", "The New School Opens Its Doors")
    build_into(site)
    stopper = Recorder(stop_after=1)
    with pytest.raises(KeyboardInterrupt):
        publish(site, site / "public", options, stopper)
    assert len(stopper.planned.transfers) > 1
    run(site, options)  # whatever the interruption left (rsync may have sent the rest before it was killed)
    assert_remote_is_the_build()

    published = remote()
    (site / "content/dispatch/2023/council-budget.md").unlink()
    build_into(site)
    with pytest.raises(PublishError, match="more than --max-deletes 1"):
        run(site, options, max_deletes=1)
    assert remote() == published
    assert len(run(site, options, max_deletes=1, force=True).delete) > 1
    assert_remote_is_the_build()


def test_a_folder_target_goes_through_the_whole_cycle(make_site, tmp_path):
    site = make_site("minimal")
    www = tmp_path / "www"
    publish_cycle(site, PublishTarget(url=www.as_uri()), lambda: output_files(www))


def test_a_second_publish_says_there_is_nothing_to_do(make_site, tmp_path, capsys):
    # 44 files: the pages, feeds (recent.xml among them), sitemap, robots.txt, theme files (share.png among them)
    # and images
    site = make_site("minimal")
    build_into(site)
    url = (tmp_path / "www").as_uri()
    assert main(["publish", url, "--site", str(site)]) == EXIT_OK
    assert "published: 44 uploaded" in capsys.readouterr().err
    assert main(["publish", url, "--site", str(site)]) == EXIT_OK
    assert "nothing to publish: remote is up to date" in capsys.readouterr().err


def test_dry_run_lists_the_plan_and_changes_nothing(make_site, tmp_path, capsys):
    site = make_site("minimal")
    build_into(site)
    www = tmp_path / "www"
    (www / "stale").mkdir(parents=True)
    (www / "stale/old.html").write_text("old")
    command = ["publish", www.as_uri(), "--site", str(site), "--dry-run", "--max-deletes", "0"]
    assert main(command) == EXIT_FAILED  # a folder backissue did not make, so nothing in it is ever planned away
    assert "--overwrite" in capsys.readouterr().err
    assert main([*command, "--overwrite"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "44 to upload" in err and "1 to delete" in err and "exceed --max-deletes 0" in err
    assert "  + index.html" not in err and "--list shows every file" in err.replace("\n", "")  # counts, not 44 lines
    assert main(["publish", www.as_uri(), "--site", str(site), "--dry-run", "--list", "--overwrite"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "  + index.html" in err and "  - stale/old.html" in err
    assert output_files(www) == {"stale/old.html": b"old"}


def test_a_folder_path_is_published_as_its_file_url(make_site, tmp_path, capsys, monkeypatch):
    site = make_site("minimal")
    build_into(site)
    assert main(["publish", (tmp_path / "by-url").as_uri(), "--site", str(site)]) == EXIT_OK
    assert main(["publish", str(tmp_path / "by-path"), "--site", str(site)]) == EXIT_OK
    monkeypatch.chdir(tmp_path)
    assert main(["publish", "./relative", "--site", str(site)]) == EXIT_OK
    published = output_files(tmp_path / "by-url")
    assert output_files(tmp_path / "by-path") == published == output_files(tmp_path / "relative")
    assert f"Publishing to {tmp_path / 'by-path'}:" in capsys.readouterr().err.replace("\n", "")


def test_named_targets_come_from_site_toml(make_site, tmp_path, capsys):
    site = make_site("minimal")
    www = tmp_path / "www"
    build_into(site)
    with open(site / "site.toml", "a", encoding="utf-8") as config:
        config.write(f'\n[publish.live]\nurl = "{www.as_uri()}"\n')
    assert build_into(site).rendered == 0  # where a site goes does not change what it is
    assert main(["publish", "--site", str(site)]) == EXIT_OK  # the only target needs no name
    assert main(["publish", "live", "--site", str(site)]) == EXIT_OK
    assert main(["publish", "staging", "--site", str(site)]) == EXIT_FAILED
    assert "no target 'staging'" in capsys.readouterr().err
    assert (www / "index.html").is_file()


def test_publishing_refuses_a_folder_no_finished_build_made(make_site, tmp_path, capsys):
    site = make_site("minimal")
    url = (tmp_path / "www").as_uri()
    assert main(["publish", url, "--site", str(site)]) == EXIT_FAILED
    assert "no record of a finished build" in capsys.readouterr().err
    build_into(site)
    (site / "public/extra.html").write_text("not built")
    assert main(["publish", url, "--site", str(site)]) == EXIT_FAILED
    assert "extra.html not made by the build" in capsys.readouterr().err
    (site / "public/extra.html").unlink()
    (site / "public/robots.txt").unlink()
    assert main(["publish", url, "--site", str(site)]) == EXIT_FAILED
    assert "robots.txt missing" in capsys.readouterr().err
    assert not (tmp_path / "www").exists()


def test_publishing_refuses_after_a_failed_or_killed_build(make_site, tmp_path, capsys):
    site = make_site("minimal")
    build_into(site)
    (site / "content/notes/twin.md").write_text('+++\ntitle = "Twin"\nslug = "undated-note"\n+++\nSame URL.\n')
    assert main(["build", "--site", str(site)]) == EXIT_FAILED
    url = (tmp_path / "www").as_uri()
    assert main(["publish", url, "--site", str(site)]) == EXIT_FAILED
    assert "the last build into" in capsys.readouterr().err
    (site / "content/notes/twin.md").unlink()
    build_into(site)
    state = BuildState(site / STATE_FOLDER)
    state.mark_build(str((site / "public").resolve()), "building")  # what a killed build leaves
    state.close()
    assert main(["publish", url, "--site", str(site)]) == EXIT_FAILED
    assert "did not finish" in capsys.readouterr().err


def test_a_folder_target_may_not_overlap_the_site(make_site, capsys):
    site = make_site("minimal")
    build_into(site)
    for inside in (site, site / "public" / "copy", site.parent):
        assert main(["publish", inside.as_uri(), "--site", str(site)]) == EXIT_FAILED
        assert "refusing file://" in capsys.readouterr().err


def test_a_password_in_a_git_url_is_never_shown_or_stored(make_site, capsys):
    site = make_site("minimal")
    build_into(site)
    assert (
        main(["publish", "git+https://me:s3cret-word@127.0.0.1:1/pages.git#pages", "--site", str(site)]) == EXIT_FAILED
    )
    err = capsys.readouterr().err
    assert "https://me:***@127.0.0.1:1/pages.git" in err and "s3cret-word" not in err
    assert all(b"s3cret-word" not in path.read_bytes() for path in site.rglob("*") if path.is_file())


def test_a_url_that_looks_like_an_option_is_refused(make_site, capsys):
    site = make_site("minimal")
    with open(site / "site.toml", "a", encoding="utf-8") as config:
        config.write('\n[publish.odd]\nurl = "--rsh=touch x:"\n')
    build_into(site)
    assert main(["publish", "odd", "--site", str(site)]) == EXIT_FAILED
    assert "is not a URL" in capsys.readouterr().err


def test_passwords_in_urls_are_never_shown():
    assert (
        redact("git push https://me:s3cret@example.org/r.git failed")
        == "git push https://me:***@example.org/r.git failed"
    )
    assert redact("ssh://git@example.org/r.git") == "ssh://git@example.org/r.git"


def test_a_folder_target_replaces_links_and_files_in_the_way_without_following_them(make_site, tmp_path):
    site = make_site("minimal")
    build_into(site)
    elsewhere, www = tmp_path / "elsewhere", tmp_path / "www"
    elsewhere.mkdir()
    www.mkdir()
    (www / "static").symlink_to(elsewhere, target_is_directory=True)
    (www / "tags").write_text("a file where a folder belongs")
    run(site, PublishTarget(url=www.as_uri()), overwrite=True)
    assert output_files(www) == output_files(site / "public")
    assert list(elsewhere.iterdir()) == []


def test_publishing_to_git_without_git_installed_is_a_clear_error(make_site, tmp_path, capsys, monkeypatch):
    site = make_site("minimal")
    build_into(site)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    assert main(["publish", f"git+{(tmp_path / 'pages.git').as_uri()}#pages", "--site", str(site)]) == EXIT_FAILED
    assert "git is not installed" in capsys.readouterr().err
