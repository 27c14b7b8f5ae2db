"""Shared fixtures: sample sites, building them, and reading what was built."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.build import BuildReport, build
from generator.store.journal import finish, journal_path, read_journal

TESTS_PATH = Path(__file__).resolve().parent
SITES_PATH = TESTS_PATH / "sites"
REPO_PATH = TESTS_PATH.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_site(source: Path, target: Path) -> Path:
    """Copy a site's inputs (site.toml, content/, themes/), never its output or cache."""
    target.mkdir(parents=True)
    for name in ("site.toml", "content", "themes"):
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name, symlinks=True)
        elif path.is_file():
            shutil.copy(path, target / name)
    return target


@pytest.fixture
def make_site(tmp_path: Path):
    """Copy a sample site ("minimal", "threads" from tests/sites, or "sample": the repo's own)."""

    def copy(name: str) -> Path:
        return copy_site(REPO_PATH if name == "sample" else SITES_PATH / name, tmp_path / name)

    return copy


@pytest.fixture
def write_site(tmp_path: Path):
    """Write a site from a ``{relative path: text}`` mapping (an empty site.toml unless given)."""

    def write(files: dict[str, str], name: str = "site") -> Path:
        root = tmp_path / name
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (root / "content").mkdir(parents=True, exist_ok=True)
        (root / "site.toml").touch()  # a site always has one, if only empty
        return root

    return write


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """*folder* over HTTP on a loopback port, as a plain static host would serve it; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 10) -> None:
    """Return once something listens on loopback *port*; fail if *process* dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with status {process.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listened on 127.0.0.1:{port} after {seconds} s")


@contextmanager
def nginx_serving(folder: Path, prefix: Path) -> Iterator[str]:
    """nginx serving *folder* under /archive/ on a loopback port (a host with a sub-path); yields the URL."""
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
    location /archive/ {{
      alias {folder}/; index index.html; try_files $uri $uri/ =404; error_page 404 /archive/404.html;
    }}
  }}
}}
"""
    )
    process = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/archive/"
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)


def in_thread(run: Callable[[], object]) -> tuple[threading.Thread, dict]:
    """*run* started in a thread, and where its result (``value``) will be once the thread ends."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(value=run()), daemon=True)
    thread.start()
    return thread, result


def build_into(site_path: Path, out_path: Path | None = None) -> BuildReport:
    return build(site_path, out_path)


def output_files(out_path: Path) -> dict[str, bytes]:
    return {p.relative_to(out_path).as_posix(): p.read_bytes() for p in sorted(out_path.rglob("*")) if p.is_file()}


def whole_after_kill(site_path: Path, out_path: Path, builds: list[dict[str, bytes]]) -> str:
    """After a killed build, why *out_path* is not one of *builds* ("" when it is one, or when the commit journal
    it was left with rolls it forward or back into one: what the next build will do first)."""
    if output_files(out_path) in builds:
        return ""
    journal = read_journal(journal_path(site_path / ".backissue", out_path))
    if journal is None:
        return "half old, half new, and no journal"
    finish(journal, out_path)
    return "" if output_files(out_path) in builds else f"its journal ({journal.phase}) does not finish the commit"


def comment_list(authors: list[str], dates: list[str] | None = None) -> str:
    """A WordPress comment list as saved pages hold it: one comment per author (HTML), with a printed date."""
    return (
        "<ol class='comment-list'>"
        + "".join(
            f"<li class='comment' id='comment-{n}'><div class='comment-author'>{author}</div>"
            + (f"<div class='comment-date'>{dates[n]}</div>" if dates else "")
            + f"<div class='comment-content'><p>Comment {n}.</p></div></li>"
            for n, author in enumerate(authors)
        )
        + "</ol>"
    )


def article(title: str, body: str = "Body text.", **front: object) -> str:
    """A Markdown article with TOML front matter built from keyword arguments."""
    lines = [f"title = {title!r}".replace("'", '"')] if title else []
    for key, value in front.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {str(value).lower()}")
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
        else:
            lines.append(f"{key} = {value}")
    return "+++\n" + "\n".join(lines) + "\n+++\n" + body + "\n"


def looked_for(site_path: Path, capture: str) -> dict[str, bool]:
    """What reading *capture* recorded in its dependencies: each site-relative path, and whether it was there."""
    from generator.common.config import load
    from generator.readers.scan import ContextFactory, read_one

    path = site_path / capture
    result = read_one(path, ContextFactory(load(site_path)).for_file(path))
    root = site_path.resolve()
    return {
        Path(p).resolve().relative_to(root).as_posix(): stamp != "missing" for p, stamp in result.depends_on.items()
    }
