"""``backissue serve``: serving, watching, live reload and errors, on an ephemeral loopback port."""

from __future__ import annotations

import html
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO_PATH, article

from generator.commands.serve import is_relevant, start_preview
from generator.commands.server import resolve_request
from generator.store.journal import TEMPORARY_SUFFIX

NOTE = "content/notes/undated-note.md"
NOTE_URL = "undated/undated-note/"


class EventLog:
    """Collects Server-Sent Events from the preview."""

    def __init__(self, url: str) -> None:
        self.events: list[str] = []
        self.response = urllib.request.urlopen(url, timeout=30)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("event: "):
                    self.events.append(line.removeprefix("event: "))
        except (OSError, ValueError):
            pass

    def wait_for(self, count: int, timeout: float = 10) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.events


@pytest.fixture
def preview(make_site):
    site = make_site("minimal")
    messages: list[str] = []
    running = start_preview(site, "127.0.0.1", 0, messages.append)
    root = running.url.split("/news/")[0]
    events = EventLog(root + "/__backissue/events")
    time.sleep(0.2)
    yield site, running, events, messages
    running.stop()


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def test_serves_under_the_base_url_path_with_reload_script_only_in_responses(preview):
    site, running, _events, _messages = preview
    assert running.url.startswith("http://127.0.0.1:") and running.url.endswith("/news/")
    status, headers, body = get(running.url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "EventSource" in body
    on_disk = [p for p in (site / ".backissue/serve").rglob("*.html")]
    assert on_disk and not any("EventSource" in p.read_text() or "<script>" in p.read_text() for p in on_disk)
    root = running.url.removesuffix("news/")
    assert get(root)[0] == 200  # redirected to /news/


def test_editing_an_article_rebuilds_and_announces_a_reload(preview):
    site, running, events, _messages = preview
    (site / NOTE).write_text(article("A Note Without a Date", "Freshly edited text."))
    assert events.wait_for(1) == ["reload"]
    assert "Freshly edited text." in get(running.url + NOTE_URL)[2]


def test_bursts_of_saves_give_one_rebuild_and_editor_litter_none(preview):
    site, running, events, _messages = preview
    builds = running.rebuilder.builds
    for n in range(5):
        (site / NOTE).write_text(article("A Note Without a Date", f"Save number {n}."))
        time.sleep(0.02)
    events.wait_for(1)
    time.sleep(0.5)
    assert running.rebuilder.builds == builds + 1
    for litter in (".#undated-note.md", "undated-note.md~", ".undated-note.md.swp", "4913"):
        (site / "content/notes" / litter).write_text("x")
    time.sleep(0.6)
    assert running.rebuilder.builds == builds + 1
    assert "Save number 4." in get(running.url + NOTE_URL)[2]


def test_a_broken_config_shows_the_error_and_keeps_the_last_good_site_until_fixed(preview):
    site, running, events, messages = preview
    good = (site / "site.toml").read_text()
    (site / "site.toml").write_text(good + "per_pgae = 3\n")
    events.wait_for(1)
    status, _headers, body = get(running.url + NOTE_URL)
    assert status == 200 and "This capture carried no date." in body  # the last good build
    assert "The last rebuild failed" in body and "per_pgae" in body and "did you mean" in body
    assert any("rebuild failed" in m and "per_pgae" in m for m in messages)  # the terminal too
    (site / "site.toml").write_text(good)
    events.wait_for(2)
    assert "The last rebuild failed" not in get(running.url + NOTE_URL)[2]


def test_a_template_error_names_the_template_and_line(preview):
    site, running, events, _messages = preview
    theme = site / "themes/default/templates"
    theme.mkdir(parents=True)
    (theme / "404.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n')
    events.wait_for(1)
    body = get(running.url)[2]
    assert "404.html:3: template error" in body


def test_warnings_are_printed_once_and_shown_at_the_top_of_served_pages_only(preview):
    site, running, events, messages = preview
    (site / NOTE).write_text(article("A Note Without a Date", "![gone](missing.png)"))
    events.wait_for(1)
    warning = "content/notes/undated-note.md:4: image 'missing.png': file not found"
    assert messages.count(f"warning: {warning}") == 1
    body = get(running.url + NOTE_URL)[2]
    notice = body.index('id="backissue-warnings"')
    assert body.index("<body") < notice < body.index("<header") and html.escape(warning) in body[notice:]
    assert not any("backissue-warnings" in p.read_text() for p in (site / ".backissue/serve").rglob("*.html"))
    (site / "content/notes/other.md").write_text(article("Other", "Fine."))
    events.wait_for(2)
    assert messages.count(f"warning: {warning}") == 1  # the same warning again is not printed again


@pytest.mark.slow
def test_a_browser_sees_the_warnings_at_the_top_and_can_dismiss_them(preview):
    site, running, events, _messages = preview
    (site / NOTE).write_text(article("A Note Without a Date", "![gone](missing.png)"))
    events.wait_for(1)
    result = browser_notice(running.url + NOTE_URL, "#backissue-warnings")
    assert "missing.png" in result["text"] and result["top"] == 0 and result["dismissed"]
    (site / "site.toml").write_text((site / "site.toml").read_text() + "per_pgae = 3\n")
    events.wait_for(2)
    banner = browser_notice(running.url + NOTE_URL, "[role=alert]")
    assert "per_pgae" in banner["text"] and banner["top"] == 0 and banner["scrolledTop"] == 0


def browser_notice(url: str, selector: str) -> dict:
    command = ["node", str(REPO_PATH / "tests/browser/browser.js"), "notice", url, selector]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_css_only_changes_announce_a_stylesheet_reload(make_site):
    site = make_site("minimal")
    static = site / "themes/default/static"
    static.mkdir(parents=True)
    (static / "style.css").write_text((REPO_PATH / "themes/default/static/style.css").read_text())
    running = start_preview(site, "127.0.0.1", 0, lambda message: None)
    try:
        events = EventLog(running.url.removesuffix("news/") + "__backissue/events")
        time.sleep(0.2)
        (static / "style.css").write_text((static / "style.css").read_text() + "\nbody { color: red; }\n")
        assert events.wait_for(1) == ["css"]
    finally:
        running.stop()


def test_a_themes_folder_made_while_serving_is_watched(preview):
    site, running, events, _messages = preview
    (site / "themes/default/templates").mkdir(parents=True)
    events.wait_for(1)
    time.sleep(0.3)
    (site / "themes/default/templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Gone fishing.</p>{% endblock %}'
    )
    events.wait_for(2)
    assert "Gone fishing." in get(running.url + "nowhere/")[2]


@pytest.mark.parametrize(
    "path",
    [
        "../site.toml",
        "..%2f..%2fsite.toml",
        "%2e%2e/%2e%2e/site.toml",
        "static/../../../site.toml",
        "a%00b",
        "escape/secret.txt",
    ],
)
def test_paths_never_leave_the_output_folder(preview, tmp_path, path):
    site, running, _events, _messages = preview
    (tmp_path / "secret.txt").write_text("secret")
    (site / ".backissue/serve/escape").symlink_to(tmp_path)
    status, _headers, body = get(running.url + path)
    assert status in (400, 403, 404) and "secret" not in body and "per_page" not in body


def test_http_behaviour(preview):
    _site, running, _events, _messages = preview
    status, headers, body = get(running.url + "missing/page/")
    assert status == 404 and "Page not found" in body
    status, headers, _body = get(running.url + "atom.xml")
    assert headers["Content-Type"] == "application/atom+xml"  # as S3 uploads serve it
    image = next(p for p in (_site / ".backissue/serve/media").iterdir() if p.suffix == ".webp")
    assert get(running.url + f"media/{image.name}")[1]["Content-Type"] == "image/webp"
    status, headers, _body = get(running.url + "tags/")
    assert status == 200 and "ETag" in headers and "Last-Modified" in headers
    assert get(running.url + "tags/", {"If-None-Match": headers["ETag"]})[0] == 304
    status, headers, _body = get(running.url + "tags")
    assert status == 200  # redirected to tags/
    assert get(running.url + "media/")[0] == 404  # no directory listings


def test_a_taken_port_moves_to_the_next(make_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        messages: list[str] = []
        running = start_preview(make_site("minimal"), "127.0.0.1", port, messages.append)
        try:
            assert f":{port + 1}/" in running.url or f":{port + 2}/" in running.url
            assert any(f"port {port} is taken" in m for m in messages)
        finally:
            running.stop()


def test_relevant_changes_only(tmp_path):
    for path, relevant in [
        ("site.toml", True), ("content/a.md", True), ("themes/x/templates/a.html", True),
        ("content/.#a.md", False), ("content/a.md~", False), ("content/.a.md.swp", False),
        ("public/index.html", False), (".backissue/serve/index.html", False), ("README.md", False),
    ]:  # fmt: skip
        assert is_relevant(str(tmp_path / path), tmp_path) is relevant, path


@pytest.mark.slow
def test_a_real_browser_page_updates_itself_after_an_edit(preview):
    site, running, _events, _messages = preview
    command = [
        "node",
        str(REPO_PATH / "tests/browser/browser.js"),
        "live",
        running.url + NOTE_URL,
        "Seen by the browser.",
    ]
    browser = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert browser.stdout.readline().strip() == "ready"
    (site / NOTE).write_text(article("A Note Without a Date", "Seen by the browser."))
    out, err = browser.communicate(timeout=30)
    assert browser.returncode == 0, err[-2000:]
    assert json.loads(out) == {"updated": True}


def test_ctrl_c_stops_the_server_and_the_watcher_cleanly(make_site):
    import signal
    import sys

    site = make_site("minimal")
    command = [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", "0"]
    process = subprocess.Popen(command, cwd=REPO_PATH, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            if "Serving http://127.0.0.1:" in line:
                break
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=15)[1]
    finally:
        process.kill()
    assert process.returncode == 0 and "Stopping." in rest


def test_a_file_a_build_is_writing_in_place_is_never_served(tmp_path):
    (tmp_path / "index.html").write_text("whole")
    (tmp_path / f".index.html{TEMPORARY_SUFFIX}").write_text("half-writ")
    assert resolve_request(tmp_path, "index.html") == tmp_path / "index.html"
    assert resolve_request(tmp_path, f".index.html{TEMPORARY_SUFFIX}") is None
