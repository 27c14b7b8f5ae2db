"""In Chromium, clicking every link of an article built from a page with hostile addresses runs nothing."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import REPO_PATH, build_into, serving

HOSTILE = ["javascript:alert('canonical')", "  JaVaScRiPt:alert('og')", "java\tscript:alert('ld')",
           "data:text/html,<script>alert('data')</script>", "vbscript:msgbox('x')"]  # fmt: skip
PARAGRAPHS = "".join(f"<p>Paragraph {n} of a story about the harbour, long enough to be read.</p>" for n in range(8))


def attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def hostile_page() -> str:
    canonical, og, ld, data, vb = HOSTILE
    json_ld = json.dumps({"@type": "NewsArticle", "headline": "Harbour", "url": ld}).replace("</", "<\\/")
    comments = "".join(
        f"<li class='comment' id='comment-{n}'><div class='comment-author'><a href=\"{attribute(url)}\">Ann {n}</a>"
        f"</div><div class='comment-content'><p>Comment {n}.</p></div></li>"
        for n, url in enumerate(HOSTILE)
    )
    links = "".join(f'<p><a href="{attribute(url)}">link {n}</a> in the text.</p>' for n, url in enumerate(HOSTILE))
    return (
        f'<html><head><title>Harbour</title><link rel="canonical" href="{attribute(canonical)}">'
        f'<meta property="og:url" content="{attribute(og)}"><script type="application/ld+json">{json_ld}</script>'
        f'</head><body><article>{PARAGRAPHS}{links}<img src="{attribute(data)}" alt="x"></article>'
        f"<ol class='comment-list'>{comments}</ol></body></html>"
    )


def clicks(url: str) -> dict:
    command = ["node", str(REPO_PATH / "tests/browser/browser.js"), "clicks", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


@pytest.mark.slow
def test_clicking_every_link_of_an_article_from_a_hostile_page_opens_no_dialog(write_site):
    site = write_site({"content/news/harbour.html": hostile_page()})
    report = build_into(site)
    assert report.articles == 1
    [page] = [p for p in (site / "public").rglob("index.html") if "Paragraph 3" in p.read_text()]
    (site / "public/control.html").write_text('<a href="javascript:alert(1)">a script link</a>')
    with serving(site / "public") as base:
        control = clicks(base + "control.html")
        found = clicks(base + page.relative_to(site / "public").as_posix())
    assert control["dialogs"] == ["1"]  # the harness sees a script link run
    assert len(found["hrefs"]) >= 10
    assert found["dialogs"] == [] and found["offsite"] == []
    assert not any(h.strip().lower().startswith(("javascript", "data", "vbscript")) for h in found["hrefs"])
