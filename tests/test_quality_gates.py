"""Quality gates on the built sample archive with the tools professionals use.

W3C Nu validator, linkchecker (on disk and over HTTP under a sub-path served
by nginx), axe-core in headless Chromium at phone and desktop widths, and
comment folding with JavaScript off. Tools come from tools/setup-test-tools.sh.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO_PATH, build_into, copy_site, nginx_serving, serving

pytestmark = pytest.mark.slow

NODE_TOOLS = REPO_PATH / "node_modules"
VNU = NODE_TOOLS / "vnu-jar/build/dist/vnu.jar"
BROWSER = REPO_PATH / "tests/browser/browser.js"
AXE_PAGES = [
    "index.html",
    "2023/05/rope-works-housing-plan/index.html",  # a 40-comment thread, 7 levels, with figures
    "tags/harbour/index.html",
    "2023/05/index.html",
    "archive/index.html",
    "404.html",
    "2024/10/storm-closes-coast-road-for-three-days-volunteers-clear-shingle/index.html",  # a text capture
    "page/2/index.html",  # numbered pagination
]
FRONT_PAGE_HEIGHT_BEFORE = 5341  # px at 390 px wide: the front page's ten cards with full-width images, before #22


def require(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: run tools/setup-test-tools.sh (make test does)")


@pytest.fixture(scope="module")
def public() -> Path:
    """The sample archive, built into a world-readable folder (linkchecker and nginx drop root)."""
    root = Path(tempfile.mkdtemp(prefix="backissue-gates-"))
    site = copy_site(REPO_PATH, root / "site")
    build_into(site, root / "public")
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(Path(folder) / name, 0o644)
    yield root / "public"
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def served(public: Path) -> str:
    with serving(public) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def nginx_archive(public: Path, tmp_path_factory) -> str:
    """nginx serving the site under /archive/, as a host with a sub-path would."""
    with nginx_serving(public, tmp_path_factory.mktemp("nginx")) as base_url:
        yield base_url


def test_nu_validator_finds_no_errors(public):
    require(VNU)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(public)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url', '').rsplit('/public/', 1)[-1]}: {m['message']}" for m in messages] == []
    assert len(list(public.rglob("*.html"))) > 50


def linkchecker(target: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).parent / "linkchecker"),
        "--no-status",
        "--no-warnings",
        "--threads",
        "4",
        target,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_linkchecker_on_the_folder(public):
    result = linkchecker((public / "index.html").as_uri())
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors found" in result.stdout


def test_linkchecker_over_http_under_a_sub_path(nginx_archive):
    result = linkchecker(nginx_archive)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors found" in result.stdout


def node(*args: str) -> object:
    require(NODE_TOOLS / "playwright-core")
    result = subprocess.run(["node", str(BROWSER), *args], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_axe_finds_no_violations_at_phone_and_desktop_widths(served):
    results = node("axe", served, "390,1280", *AXE_PAGES)
    assert len(results) == 2 * len(AXE_PAGES)
    problems = [
        f"{r['path']} @{r['width']}px: {v['id']} ({v['help']}) {v['nodes']}" for r in results for v in r["violations"]
    ]
    assert problems == []


def test_comment_folding_works_with_javascript_off(served):
    state = node("fold", served + AXE_PAGES[1])
    assert state["before"] != state["after"]


def test_phone_layout_is_compact_and_desktop_headlines_are_short(served):
    phone = node("measure", served + "index.html", "390")
    assert phone["masthead"] <= 120
    assert len(phone["navRows"]) == 1 or min(phone["navRows"]) > 1  # no menu item alone on a line
    assert phone["height"] < FRONT_PAGE_HEIGHT_BEFORE / 2  # the same ten cards, with small thumbnails
    storm = "2022/01/coast-road-closed-by-storm/index.html"  # "Storm Closes Coast Road as High Tide Throws Shingle…"
    assert node("measure", served + storm, "1280")["h1Lines"] <= 3  # twelve words


def test_the_header_search_form_sits_in_the_title_row(tmp_path):
    settings = (REPO_PATH / "site.toml").read_text(encoding="utf-8")  # the sample's title and description
    measured = {}
    for theme in ("default", "search"):
        site = tmp_path / theme
        (site / "content").mkdir(parents=True)
        (site / "content/a.md").write_text('+++\ntitle = "A"\ndate = "2024-01-01"\n+++\nText.\n', encoding="utf-8")
        search = "\n[search]\nenabled = true\n" if theme == "search" else ""
        (site / "site.toml").write_text(settings + search, encoding="utf-8")
        build_into(site, site / "public")
        with serving(site / "public") as base_url:
            measured[theme] = {width: node("measure", base_url + "index.html", str(width)) for width in (390, 1280)}
    for width in (390, 1280):
        with_field = measured["search"][width]
        title, field = with_field["title"], with_field["tools"]
        assert with_field["masthead"] == measured["default"][width]["masthead"]  # no row of its own
        assert title["top"] <= field["top"] and field["bottom"] <= title["bottom"]  # beside the title
        assert field["left"] >= title["right"] and with_field["pageWidth"] == width
        assert len(with_field["navRows"]) == 1
    assert measured["search"][390]["masthead"] <= 120
