"""The preview server: serves the last good build, with live reload while serving only.

HTML responses get a small script that listens for Server-Sent Events on
``/__backissue/events`` and reloads the page (or just its stylesheets) after
a successful rebuild. The files on disk never contain it. When a rebuild
fails, every page shows a banner with the error, at the top of the window,
until a build succeeds; the warnings of the last build are a notice at the
top of every page that the reader can dismiss.
"""

from __future__ import annotations

import email.utils
import html
import posixpath
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.common.content_types import HTML, content_type
from generator.store.journal import TEMPORARY_SUFFIX

EVENTS_PATH = "/__backissue/events"
HEARTBEAT_SECONDS = 15.0
RELOAD_SCRIPT = """<script>(() => {
  const events = new EventSource("%s");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href); url.searchParams.set("reload", Date.now()); link.href = url.href;
    }
  });
})();</script>"""
ERROR_BANNER = (
    '<div role="alert" style="position:sticky;top:0;z-index:99;margin:0;padding:1rem;background:#7a1212;color:#fff;'
    'font:15px/1.4 system-ui,sans-serif;white-space:pre-wrap"><strong>The last rebuild failed</strong> — '
    "you are seeing the last good build.\n%s</div>"
)
WARNINGS_NOTICE = (
    '<div role="status" id="backissue-warnings" style="margin:0;padding:.75rem 1rem;background:#fff4ce;color:#222;'
    'border-bottom:2px solid #b58900;font:14px/1.4 system-ui,sans-serif"><button type="button" aria-label="Dismiss" '
    'onclick="this.parentNode.remove()" style="float:right;font:inherit">Dismiss</button>'
    "<strong>%s from the last build</strong> (shown while serving only)"
    '<ul style="margin:.5rem 0 0;padding-left:1.25rem;white-space:pre-wrap">%s</ul></div>'
)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass
class PreviewState:
    """What the server shows, shared between the builder and the request threads."""

    root: Path
    prefix: str = "/"
    version: int = 0
    event: str = "reload"
    error: str | None = None
    warnings: tuple[str, ...] = ()
    changed: threading.Condition = field(default_factory=threading.Condition)

    def announce(self, event: str, warnings: tuple[str, ...] = ()) -> None:
        """A build succeeded: tell every open page, and show its *warnings*."""
        self.warnings = warnings
        self._publish(event, None)

    def fail(self, message: str) -> None:
        """A build failed: every open page shows *message*."""
        self._publish("reload", message)

    def _publish(self, event: str, error: str | None) -> None:
        with self.changed:
            self.version += 1
            self.event = event
            self.error = error
            self.changed.notify_all()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def _respond(self, send_body: bool) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._stream_events()
            return
        if not path.startswith(state.prefix):
            self._redirect(state.prefix)
            return
        target = resolve_request(state.root, path[len(state.prefix) :])
        if target is None and not path.endswith("/") and resolve_request(state.root, path[len(state.prefix) :] + "/"):
            self._redirect(path + "/")
            return
        status = HTTPStatus.OK
        if target is None:
            status, target = HTTPStatus.NOT_FOUND, state.root / "404.html"
            if not target.is_file():  # no good build yet
                blank = b"<!doctype html><title>backissue preview</title><body></body>"
                page = inject(blank, state.error, state.warnings)
                self._send(HTTPStatus.SERVICE_UNAVAILABLE if state.error else status, page, HTML, send_body)
                return
        self._send_file(target, status, send_body)

    def _send_file(self, target: Path, status: HTTPStatus, send_body: bool) -> None:
        stat = target.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}-{self.server.state.version:x}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if status == HTTPStatus.OK and self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = target.read_bytes()
        media_type = content_type(target.name)
        if target.suffix.lower() == ".html":
            body = inject(body, self.server.state.error, self.server.state.warnings)
        self._send(status, body, media_type, send_body, {"ETag": etag, "Last-Modified": modified})

    def _send(
        self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool, headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_events(self) -> None:
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        with state.changed:
            seen = state.version
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set():
                with state.changed:
                    state.changed.wait_for(
                        lambda seen=seen: state.version != seen or self.server.stopping.is_set(), HEARTBEAT_SECONDS
                    )
                    version, event = state.version, state.event
                message = f"event: {event}\ndata: {version}\n\n" if version != seen else ": still here\n\n"
                seen = version
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def resolve_request(root: Path, relative: str) -> Path | None:
    """The file a request path names inside *root*, or None; never a path outside it."""
    decoded = unquote(relative)
    if "\x00" in decoded or "\\" in decoded:
        return None
    normalized = posixpath.normpath("/" + decoded).lstrip("/")
    if normalized.startswith("..") or any(part == ".." for part in decoded.split("/")):
        return None
    candidate = root / normalized if normalized not in ("", ".") else root
    try:
        resolved = candidate.resolve()
    except OSError:
        return None
    if not resolved.is_relative_to(root.resolve()):
        return None
    if resolved.is_dir():
        resolved = resolved / "index.html"
        if not relative.endswith("/") and relative:
            return None  # the caller redirects folder/ → folder/
    if resolved.name.endswith(TEMPORARY_SUFFIX):
        return None  # a file a build is writing in place, not yet part of the site
    return resolved if resolved.is_file() else None


def inject(body: bytes, error: str | None, warnings: tuple[str, ...] = ()) -> bytes:
    """Add the reload script to an HTML page, and the error banner and warnings at its top, for this response only."""
    top = ERROR_BANNER % html.escape(error) if error else ""
    if warnings:
        count = f"{len(warnings):,} warning{'' if len(warnings) == 1 else 's'}"
        top += WARNINGS_NOTICE % (count, "".join(f"<li>{html.escape(w)}</li>" for w in warnings))
    text = body.decode("utf-8", errors="replace")
    start = _BODY_START.search(text)
    at = start.end() if start else 0
    text = text[:at] + top + text[at:]
    index = text.lower().rfind("</body>")
    script = RELOAD_SCRIPT % EVENTS_PATH
    text = text[:index] + script + text[index:] if index >= 0 else text + script
    return text.encode("utf-8")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        self.state = state
        self.stopping = threading.Event()
        super().__init__(address, PreviewHandler)

    def shutdown(self) -> None:
        self.stopping.set()
        with self.state.changed:
            self.state.changed.notify_all()
        super().shutdown()
