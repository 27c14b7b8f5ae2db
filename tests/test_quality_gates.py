"""Quality gates on the built sample archive with the tools professionals use.

W3C Nu validator, linkchecker (on disk and over HTTP under a sub-path served
by nginx), axe-core in headless Chromium at phone and desktop widths, and
comment folding with JavaScript off. Tools come from tools/setup-test-tools.sh.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REPO_PATH, build_into, copy_site, serving

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
]


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(public: Path) -> str:
    with serving(public) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def nginx_archive(public: Path, tmp_path_factory) -> str:
    """nginx serving the site under /archive/, as a host with a sub-path would."""
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    (prefix / "logs").mkdir()
    (prefix / "nginx.conf").write_text(
        f"""daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  absolute_redirect off;
  server {{
    listen 127.0.0.1:{port};
    location /archive/ {{ alias {public}/; index index.html; try_files $uri $uri/ =404; error_page 404 /archive/404.html; }}
  }}
}}
"""
    )
    process = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/archive/"
    process.send_signal(signal.SIGQUIT)
    process.wait(timeout=10)


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
    command = [str(Path(sys.executable).parent / "linkchecker"), "--no-status", "--no-warnings", "--threads", "4", target]
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
    problems = [f"{r['path']} @{r['width']}px: {v['id']} ({v['help']}) {v['nodes']}" for r in results for v in r["violations"]]
    assert problems == []


def test_comment_folding_works_with_javascript_off(served):
    state = node("fold", served + AXE_PAGES[1])
    assert state["before"] != state["after"]
