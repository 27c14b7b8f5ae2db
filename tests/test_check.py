"""``backissue check``: broken internal links, missing files, orphans, and outbound links (loopback only)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import article, build_into

from generator.commands.cli import EXIT_FAILED, EXIT_OK, main


def test_a_fresh_build_checks_clean(make_site, capsys):
    site = make_site("minimal")
    build_into(site, site / "public")
    assert main(["check", "--site", str(site)]) == EXIT_OK
    assert "0 problems" in capsys.readouterr().err


def test_broken_links_missing_images_bad_anchors_and_orphans_are_reported(make_site, capsys):
    site = make_site("minimal")
    out = site / "public"
    build_into(site, out)
    next(out.glob("media/*.jpg")).unlink()
    (out / "tags/council/index.html").unlink()
    page = out / "2024/11/bridge-reopens/index.html"
    escape = '<a href="../../../../../etc/passwd">x</a><a href="index.html#nowhere">y</a>'
    page.write_text(page.read_text().replace("</main>", escape + "</main>"))
    (out / "lonely.html").write_text("<!doctype html><title>x</title><p>nobody links here</p>")
    assert main(["check", "--site", str(site)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "→ missing" in err and "media/" in err
    assert "tags/council/index.html → missing" in err
    assert "points outside the site" in err
    assert "index.html#nowhere → no element with id 'nowhere'" in err
    assert "lonely.html: (no link to it) → orphan" in err


class Answers(BaseHTTPRequestHandler):
    calls: list[str] = []

    def do_HEAD(self):
        Answers.calls.append(self.path)
        self.send_response(200 if self.path == "/ok" else 404 if self.path == "/gone" else 405)
        self.end_headers()

    def do_GET(self):
        Answers.calls.append("GET " + self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_external_links_are_checked_on_loopback_and_cached(write_site, capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    body = f"[fine]({base}/ok) [gone]({base}/gone) [head refused]({base}/get-only)"
    site = write_site({"content/a.md": article("A", body)})
    build_into(site, site / "public")
    assert main(["check", "--site", str(site), "--external"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert f"external: {base}/gone → HTTP 404" in err and "/ok →" not in err and "/get-only →" not in err
    assert "GET /get-only" in Answers.calls
    server.shutdown()
    server.server_close()
    Answers.calls.clear()
    assert main(["check", "--site", str(site), "--external"]) == EXIT_FAILED  # answered from the cache
    assert Answers.calls == [] and f"{base}/gone → HTTP 404" in capsys.readouterr().err
    assert (site / ".backissue/external-links.json").is_file()
