"""Full-page screenshots of the sample archive's key pages at phone and desktop widths.

make screenshots      # writes screenshots/*.png (git-ignored)
"""

from __future__ import annotations

import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = {
    "front": "index.html",
    "front-page-2": "page/2/index.html",
    "article": "2023/05/rope-works-housing-plan/index.html",  # also the deep thread: 40 comments, 7 levels
    "capture": "2024/10/storm-closes-coast-road-for-three-days-volunteers-clear-shingle/index.html",
    "tag": "tags/harbour/index.html",
    "month": "2023/05/index.html",
    "archive": "archive/index.html",
    "not-found": "404.html",
}
WIDTHS = (390, 1280)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    public = REPO / "public"
    out = REPO / "screenshots"
    out.mkdir(exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(public)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    for name, page in PAGES.items():
        for width in WIDTHS:
            target = out / f"{name}-{width}.png"
            command = ["node", str(REPO / "tests/browser/browser.js"), "shot", base + page, str(width), str(target)]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            print(target.relative_to(REPO))
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
