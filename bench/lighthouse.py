"""Lighthouse scores (performance, accessibility, best practices, SEO) of the sample archive.

    make build && python bench/lighthouse.py        # needs tools/setup-test-tools.sh

Serves public/ under /archive/ on a loopback port and runs Lighthouse 12 in
Debian's Chromium on the front page and an article page, mobile and desktop
presets. Prints one line per page and preset; every score should be >= 0.95.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = ["index.html", "2023/05/rope-works-housing-plan/index.html"]
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves public/ under /archive/, as a host with a sub-path does."""

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix("/archive")) if path.startswith("/archive/") else "/nonexistent"

    def log_message(self, *args: object) -> None:
        pass


def main() -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SubPathHandler, directory=str(REPO / "public")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/archive/"
    lighthouse = REPO / "node_modules/.bin/lighthouse"
    worst = 1.0
    with tempfile.TemporaryDirectory() as temporary:
        for page in PAGES:
            for preset in ("mobile", "desktop"):
                report = Path(temporary) / "report.json"
                command = [str(lighthouse), base + page, f"--chrome-flags={FLAGS}",
                           f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}",
                           "--quiet"]  # fmt: skip
                if preset == "desktop":
                    command.append("--preset=desktop")
                subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
                scores = {c: json.loads(report.read_text())["categories"][c]["score"] for c in CATEGORIES}
                worst = min(worst, *scores.values())
                print(f"{page:45} {preset:8} " + "  ".join(f"{c} {s:.2f}" for c, s in scores.items()))
    server.shutdown()
    print(f"lowest score: {worst:.2f}")
    return 0 if worst >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
