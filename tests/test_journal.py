"""The in-place commit: a small change touches only its files, journalled so that a kill is always recoverable."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_PATH, article, output_files, whole_after_kill

import generator.store.journal as journal_module
from generator.build import build
from generator.commands.cli import EXIT_FAILED, EXIT_OK, main
from generator.commands.publish import PublishError
from generator.commands.publish.manifest import built_manifest, file_sizes
from generator.store.cache import BuildState
from generator.store.journal import journal_path
from generator.store.output import StagedOutput

# Two versions of one article whose pages have the same sizes: a stale record is not betrayed by a file's size.
VERSIONS = (
    article("Story zero, version A", "Version A.", date="2024-01-01", tags=["t0"]),
    article("Story zero, version B", "Version B.", date="2024-01-01", tags=["t0"]),
)
# Two versions that differ only in what the article's own page shows: an edit made from the last build's records.
BODY_VERSIONS = (
    article("Story zero", "The lead.\n\nVersion A.", date="2024-01-01", tags=["t0"]),
    article("Story zero", "The lead.\n\nVersion B.", date="2024-01-01", tags=["t0"]),
)

# A build in a child process that SIGKILLs itself at its LIMIT-th step: every call that opens, renames, removes
# or makes a path in the output folder or a commit journal (0: never); it prints how many steps it took.
KILLED_BUILD = """
import os, signal, sys
from generator.commands.cli import main
limit, site, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
steps = 0
def counted(function):
    def step(path, *args, **kwargs):
        global steps
        name = os.fsdecode(path)
        if name == out or name.startswith(out + "/") or os.path.basename(name).startswith("commit-"):
            steps += 1
            if steps == limit:
                os.kill(os.getpid(), signal.SIGKILL)
        return function(path, *args, **kwargs)
    return step
for name in ("open", "replace", "unlink", "rmdir", "mkdir"):
    setattr(os, name, counted(getattr(os, name)))
status = main(["build", "--site", site, "--out", out, "--quiet", "--jobs", "1"])
print(steps)
sys.exit(status)
"""


def _archive(count: int, **front: object) -> dict[str, str]:
    return {
        f"content/a{n:03d}.md": article(
            f"Story {n}", "Text. " * 60, date=f"2024-01-{1 + n % 28:02d}", tags=[f"t{n % 9}"]
        )
        for n in range(1, count)
    }


@pytest.fixture
def forbid_staging(monkeypatch):
    """Call it to make any later staging of the whole folder fail the test."""
    return lambda: monkeypatch.setattr(StagedOutput, "__init__", lambda *args: pytest.fail("staged again"))


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file and folder below *out*."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}


def test_a_one_article_edit_writes_only_the_files_that_show_it(write_site, tmp_path, monkeypatch, forbid_staging):
    site = write_site({**_archive(300), "content/a000.md": VERSIONS[0]})
    out = site / "public"
    build(site)
    before, stamps = output_files(out), _stamps(out)
    (site / "content/a000.md").write_text(VERSIONS[1])
    forbid_staging()
    report = build(site)
    after = output_files(out)
    differ = {path for path in after.keys() | before.keys() if before.get(path) != after.get(path)}
    touched = {path for path, stamp in _stamps(out).items() if stamps.get(path) != stamp and (out / path).is_file()}
    assert touched == differ and report.changed == len(differ)
    assert 0 < len(differ) < 25 < 300 < len(after)  # the article, its neighbours, its listings, feeds, the sitemap
    folders = {path for path in stamps if (out / path).is_dir()}
    assert all(_stamps(out)[path][0] == stamps[path][0] for path in folders)  # no folder made again
    assert not list(site.glob(".public.*")) and not journal_path(site / ".backissue", out).exists()
    monkeypatch.undo()
    build(site, tmp_path / "clean", clean=True)
    assert after == output_files(tmp_path / "clean")


def test_both_commits_give_the_same_folder_and_records(write_site, monkeypatch):
    """Change, add and remove articles (new and emptied folders); in place and staged agree byte for byte."""
    site = write_site({**_archive(160), "content/a000.md": VERSIONS[0]})
    outs = {"in-place": site / "in-place", "staged": site / "staged"}
    for out in outs.values():
        build(site, out)
    (site / "content/a000.md").write_text(VERSIONS[1])
    (site / "content/a055.md").unlink()
    (site / "content/new.md").write_text(article("New", "New text.", date="2024-01-28", tags=["t1"]))
    staged = []
    real_init = StagedOutput.__init__
    monkeypatch.setattr(StagedOutput, "__init__", lambda self, out: staged.append(out) or real_init(self, out))
    build(site, outs["in-place"])
    assert staged == []
    monkeypatch.setattr(journal_module, "IN_PLACE_SHARE", 0)
    build(site, outs["staged"])
    assert staged == [outs["staged"]]
    assert output_files(outs["in-place"]) == output_files(outs["staged"])
    assert not (outs["in-place"] / "2024/01/a055").exists() and (outs["in-place"] / "2024/01/new/index.html").is_file()
    state = BuildState(site / ".backissue")
    records = {name: state.outputs(str(out.resolve())) for name, out in outs.items()}
    state.close()
    assert records["in-place"] == records["staged"]
    for out in outs.values():
        assert built_manifest(site / ".backissue", out) == file_sizes(out)


BROKEN_WHEN_BOOM = """{% extends "default:article.html" %}
{% block main %}{% if article.title == "Boom" %}{{ no_such_value }}{% endif %}{{ super() }}{% endblock %}
"""


def test_a_page_that_fails_in_place_keeps_its_previous_version_and_record(write_site, forbid_staging):
    theme = {"themes/mine/theme.toml": 'extends = "default"\n', "themes/mine/templates/article.html": BROKEN_WHEN_BOOM}
    site = write_site({**_archive(60), **theme, "site.toml": 'title = "T"\ntheme = "mine"\n'})
    out = site / "public"
    build(site)
    page = out / "2024/01/a005/index.html"
    before = page.read_bytes()
    state = BuildState(site / ".backissue")
    record = state.outputs(str(out.resolve()))["2024/01/a005/index.html"]
    state.close()
    (site / "content/a005.md").write_text(article("Boom", "Text.", date="2024-01-06", tags=["t5"]))
    forbid_staging()
    report = build(site)
    assert [error.path for error in report.errors] == ["content/a005.md"]
    assert page.read_bytes() == before
    assert "Boom" in (out / "tags/t5/index.html").read_text()  # the listings show the new title
    state = BuildState(site / ".backissue")
    assert state.outputs(str(out.resolve()))["2024/01/a005/index.html"] == record
    state.close()
    with pytest.raises(PublishError, match="could not be rendered"):
        built_manifest(site / ".backissue", out)


def test_an_unreadable_journal_makes_the_next_build_write_the_whole_folder(write_site, tmp_path):
    site = write_site({**_archive(20), "content/a000.md": VERSIONS[0]})
    out = site / "public"
    build(site)
    (out / "2024/01/a000/.index.html.backissue-new").write_bytes(b"half")
    journal_path(site / ".backissue", out).write_text("{not json")
    notices: list[str] = []
    report = build(site, notice=notices.append)
    assert [notice.split(" (")[0] for notice in notices] == ["unreadable commit journal"]
    assert report.rendered >= report.pages  # nothing trusted: every page made again
    build(site, tmp_path / "clean", clean=True)
    assert output_files(out) == output_files(tmp_path / "clean")


def _killed_build(site: Path, out: Path, limit: int) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", KILLED_BUILD, str(limit), str(site), str(out.resolve())]
    return subprocess.run(command, cwd=REPO_PATH, capture_output=True, text=True)


def _kill_trials(site: Path, tmp_path: Path, every: int, versions: tuple[str, str] = VERSIONS) -> int:
    """Kill a one-article in-place commit at every *every*-th step; after each kill, publish must refuse a
    folder that is not one complete build, and a build (of either version) must make it exactly that build."""
    references = []
    for number, text in enumerate(versions):
        (site / "content/a000.md").write_text(text)
        build(site, tmp_path / f"ref-{number}", clean=True)
        references.append(output_files(tmp_path / f"ref-{number}"))
    out, state = site / "public", site / ".backissue"
    (site / "content/a000.md").write_text(versions[0])
    build(site, out)
    (site / "content/a000.md").write_text(versions[1])
    counted = _killed_build(site, out, 0)
    assert counted.returncode == 0, counted.stderr
    steps = int(counted.stdout)
    assert output_files(out) == references[1]
    limits = sorted({*range(1, steps + 1, every), steps})
    for trial, limit in enumerate(limits):
        (site / "content/a000.md").write_text(versions[trial % 2])
        build(site, out)  # the version before the edit
        (site / "content/a000.md").write_text(versions[1 - trial % 2])
        assert _killed_build(site, out, limit).returncode == -signal.SIGKILL
        assert not (problem := whole_after_kill(site, out, references)), f"after a kill at step {limit}: {problem}"
        with pytest.raises(PublishError):  # the build did not finish
            built_manifest(state, out)
        recover_to = (trial // 2) % 2  # the edit again, or back to the version before it
        (site / "content/a000.md").write_text(versions[recover_to])
        build(site, out)
        assert output_files(out) == references[recover_to], f"wrong site after a kill at step {limit}"
        assert built_manifest(state, out) == file_sizes(out)
    return steps


def test_builds_killed_during_an_in_place_commit_are_finished_or_rolled_back(write_site, tmp_path):
    site = write_site({**_archive(40), "content/a000.md": VERSIONS[0]})
    steps = _kill_trials(site, tmp_path, every=7)
    assert steps > 30  # the journal twice, each new file, each rename and its folder's fsync


def test_builds_killed_at_every_step_of_an_edits_commit_are_finished_or_rolled_back(write_site, tmp_path):
    site = write_site({**_archive(40), "content/a000.md": BODY_VERSIONS[0]})
    build(site)
    (site / "content/a000.md").write_text(BODY_VERSIONS[1])
    assert build(site).rendered == 1  # made from the last build's records: its own page only
    steps = _kill_trials(site, tmp_path, every=1, versions=BODY_VERSIONS)
    assert steps >= 5  # the journal twice, the new file, its rename, the folder's fsync


@pytest.mark.slow
def test_builds_killed_at_every_step_of_an_in_place_commit_are_finished_or_rolled_back(write_site, tmp_path):
    site = write_site({**_archive(40), "content/a000.md": VERSIONS[0]})
    _kill_trials(site, tmp_path, every=1)


def test_publish_refuses_a_folder_with_an_unfinished_commit_until_a_build_finishes_it(write_site, tmp_path, capsys):
    site = write_site({**_archive(40), "content/a000.md": VERSIONS[0]})
    out = site / "public"
    build(site)
    (site / "content/a000.md").write_text(VERSIONS[1])
    steps = int(_killed_build(site, out, 0).stdout)
    (site / "content/a000.md").write_text(VERSIONS[0])
    build(site)
    (site / "content/a000.md").write_text(VERSIONS[1])
    assert _killed_build(site, out, steps - 5).returncode == -signal.SIGKILL  # among the renames
    assert journal_path(site / ".backissue", out).exists()
    www = tmp_path / "www"
    assert main(["publish", www.as_uri(), "--site", str(site)]) == EXIT_FAILED
    assert "holds an unfinished commit of an interrupted build" in capsys.readouterr().err
    assert not www.exists()
    assert main(["build", "--site", str(site), "--quiet"]) == EXIT_OK
    assert not journal_path(site / ".backissue", out).exists()
    assert main(["publish", www.as_uri(), "--site", str(site)]) == EXIT_OK
    assert output_files(www) == output_files(out)
