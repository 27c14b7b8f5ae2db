"""Atomic output: a failed or killed build leaves the previous site as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO_PATH, article, build_into, output_files, whole_after_kill

from generator.build import build
from generator.commands.cli import EXIT_FAILED, EXIT_OK, main
from generator.store.lock import BuildLocked
from generator.store.output import StagedOutput, UnsafePath


def test_failure_mid_write_leaves_previous_output_intact(make_site, tmp_path, monkeypatch):
    site = make_site("minimal")
    out = tmp_path / "out"
    build_into(site, out)
    before = output_files(out)
    (site / "content/notes/undated-note.md").write_text(article("Changed", "New text."))
    calls = {"n": 0}
    real_write = StagedOutput.write

    def failing_write(self, relative, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full")
        return real_write(self, relative, data)

    monkeypatch.setattr(StagedOutput, "write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        build(site, out, clean=True)  # write every page, so the fifth one fails
    assert output_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal", "out"]


@pytest.mark.parametrize("relative", ["../x.html", "/etc/x", "a/../../x", "a\\..\\x", "a\x00b", ""])
def test_unsafe_output_paths_are_refused(tmp_path, relative):
    output = StagedOutput(tmp_path / "out")
    with pytest.raises(UnsafePath):
        output.write(relative, b"x")
    output.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_killed_builds_leave_a_complete_site(tmp_path, write_site):
    """SIGKILL at 24 moments across reading, rendering, writing and swapping; full and incremental builds
    (a one-article edit is committed in place, tests/test_journal.py).

    The content flips between two versions; after every kill the output must be one of the two complete
    builds, or the commit journal left must finish it into one, and a last build must succeed
    (no corrupt cache).
    """
    files = {
        f"content/a{n:03d}.md": article(
            f"Story {n}", "Text. " * 200, date=f"2024-01-{1 + n % 28:02d}", tags=[f"t{n % 30}"]
        )
        for n in range(400)
    }
    site = write_site(files)
    versions = [
        article("Story zero", "Version A.", date="2024-01-01"),
        article("Story zero, edited", "Version B.", date="2024-01-01"),
    ]
    references = []
    for text in versions:
        (site / "content/a000.md").write_text(text)
        build(site, tmp_path / f"ref-{len(references)}", clean=True)
        references.append(output_files(tmp_path / f"ref-{len(references)}"))
    out = tmp_path / "public"
    build(site, out)
    for trial in range(24):
        (site / "content/a000.md").write_text(versions[trial % 2])
        command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(out), "--quiet"]
        command += ["--clean"] if trial % 4 < 2 else []
        process = subprocess.Popen(command, cwd=REPO_PATH, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.05 + 0.07 * (trial % 12))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert not (problem := whole_after_kill(site, out, references)), f"after kill {trial}: {problem}"
    assert subprocess.run(command[:-1] if command[-1] == "--clean" else command, cwd=REPO_PATH).returncode == 0
    assert output_files(out) == references[23 % 2]


def test_a_second_build_waits_for_the_first_then_gives_up_with_a_message(write_site, tmp_path):
    site = write_site({"content/a.md": article("A")})
    (site / ".backissue").mkdir()
    holder = (  # another process holding the site's build lock, as a running build does
        "import fcntl, sys, time; handle = open(sys.argv[1], 'a+'); fcntl.lockf(handle, fcntl.LOCK_EX);"
        "print('locked', flush=True); time.sleep(30)"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", holder, str(site / ".backissue/build.lock")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline().strip() == "locked"
        notices: list[str] = []
        with pytest.raises(BuildLocked, match="another build of this site is still running"):
            build(site, tmp_path / "out", lock_wait=0.3, notice=notices.append)
        assert notices == ["another build of this site is running; waiting for it to finish"]
        assert not (tmp_path / "out").exists()
    finally:
        other.kill()
        other.wait()
    assert build(site, tmp_path / "out", lock_wait=5).articles == 1


def test_strict_turns_warnings_into_exit_1(write_site, capsys):
    site = write_site({"content/a.md": article("A", "![x](missing.png)")})
    assert main(["build", "--site", str(site)]) == EXIT_OK
    assert main(["build", "--site", str(site), "--strict"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "content/a.md:4: image 'missing.png': file not found" in err
    assert "Built 1 article into 7 pages, 13 files written (" in err and " made," not in err


def test_quiet_prints_only_warnings(write_site, capsys):
    site = write_site({"content/a.md": article("A")})
    assert main(["build", "--site", str(site), "--quiet"]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_python_dash_m_generator_builds(write_site):
    site = write_site({"content/a.md": article("A")})
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site)], cwd=REPO_PATH, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (site / "public/undated/a/index.html").is_file()
    assert os.access(site / "public/index.html", os.R_OK)
