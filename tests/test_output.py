"""Atomic output: a failed or killed build leaves the previous site as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from generator.build import build
from generator.cli import EXIT_FAILED, EXIT_OK, main
from generator.output import StagedOutput, UnsafePath
from generator.render import Renderer
from conftest import REPO_PATH, article, build_into, output_files


def test_failure_mid_write_leaves_previous_output_intact(make_site, tmp_path, monkeypatch):
    site = make_site("minimal")
    out = tmp_path / "out"
    build_into(site, out)
    before = output_files(out)
    (site / "content/notes/undated-note.md").write_text(article("Changed", "New text."))
    calls = {"n": 0}
    real_render = Renderer.render

    def failing_render(self, page):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real_render(self, page)

    monkeypatch.setattr(Renderer, "render", failing_render)
    with pytest.raises(RuntimeError):
        build(site, out, clean=True)  # render every page, so the fifth one fails
    assert output_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minimal", "out"]


@pytest.mark.parametrize("relative", ["../x.html", "/etc/x", "a/../../x", "a\\..\\x", "a\x00b", ""])
def test_unsafe_output_paths_are_refused(tmp_path, relative):
    output = StagedOutput(tmp_path / "out")
    with pytest.raises(UnsafePath):
        output.write(relative, b"x")
    output.abort()
    assert list(tmp_path.iterdir()) == []


def test_killed_builds_leave_a_complete_site(tmp_path, write_site):
    """SIGKILL at different moments: the output is always the old or the new build, whole."""
    files = {f"content/a{n:03d}.md": article(f"Story {n}", "Text. " * 200, date=f"2024-01-{1 + n % 28:02d}", tags=[f"t{n % 30}"]) for n in range(400)}
    site = write_site(files)
    out = tmp_path / "public"
    build_into(site, out)
    old = output_files(out)
    (site / "content/a000.md").write_text(article("Story zero, edited", "Edited.", date="2024-01-01"))
    new_out = tmp_path / "reference"
    build_into(site, new_out)
    new = output_files(new_out)
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--out", str(out), "--quiet"]
    delays = [0.05 * n for n in range(1, 11)]
    for delay in delays:
        process = subprocess.Popen(command, cwd=REPO_PATH, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert output_files(out) in (old, new), f"incomplete output after a kill at {delay:.2f} s"
    assert subprocess.run(command, cwd=REPO_PATH).returncode == 0
    assert output_files(out) == new
    assert not (tmp_path / ".public.staging").exists()


def test_strict_turns_warnings_into_exit_1(write_site, capsys):
    site = write_site({"content/a.md": article("A", "![x](missing.png)")})
    assert main(["build", "--site", str(site)]) == EXIT_OK
    assert main(["build", "--site", str(site), "--strict"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "content/a.md:4: image 'missing.png': file not found" in err
    assert "Built 1 article into" in err


def test_quiet_prints_only_warnings(write_site, capsys):
    site = write_site({"content/a.md": article("A")})
    assert main(["build", "--site", str(site), "--quiet"]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_python_dash_m_generator_builds(write_site, tmp_path):
    site = write_site({"content/a.md": article("A")})
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site)], cwd=REPO_PATH, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (site / "public/undated/a/index.html").is_file()
    assert os.access(site / "public/index.html", os.R_OK)
