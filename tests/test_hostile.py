"""A hostile corpus built as a site: the build finishes, reports, and publishes nothing dangerous.

The payloads (tests/hostile/payloads.txt, the classic filter-evasion list)
go into every field a capture can fill: titles, bodies, alt text, captions,
author names, comments, tag names, URLs and unknown front-matter keys, in
Markdown articles and in text captures. Next to them: path traversal in
slugs, image references and tag names, symlinks out of content/, a 100 MB
capture, a 10,000-comment thread, bytes that are not UTF-8, empty files and
an entity bomb.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO_PATH, TESTS_PATH, build_into, serving

PAYLOADS = [line for line in (TESTS_PATH / "hostile/payloads.txt").read_text().splitlines() if line.strip()]
ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]><lolz>&lol9;</lolz>"
)
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "data",
    "lowsrc",
    "srcset",
}


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def write_hostile_site(root: Path, outside: Path) -> Path:
    content = root / "content"
    (content / "xss").mkdir(parents=True)
    for n, payload in enumerate(PAYLOADS):
        body = f"{payload}\n\n![{payload}](missing.png {toml_string(payload)})\n\n[link]({payload})\n"
        front = (
            f"title = {toml_string(payload)}\nauthors = [{toml_string(payload)}]\n"
            f'tags = [{toml_string(payload)}, "../../etc"]\n'
            f"summary = {toml_string(payload)}\nsource_url = {toml_string(payload)}\n"
            f"category = {toml_string(payload)}\n"
            f"date = 2024-01-{1 + n % 28:02d}\n{toml_string('x' + payload)} = 1\n"
        )
        (content / f"xss/p{n:02d}.md").write_text(f"+++\n{front}+++\n{body}")
        comments = (
            f"[[comments]]\nauthor = {toml_string(payload)}\nurl = {toml_string(payload)}\n"
            f"body = {toml_string(payload)}\n"
        )
        (content / f"xss/p{n:02d}.comments.toml").write_text(comments)
    capture_lines = "\n\n".join(PAYLOADS)
    (content / "xss/capture.txt").write_text(
        f"Payloads In A Capture\n\n{capture_lines}\n\nNotify of\n\n{capture_lines}\n\n"
        "Would love your thoughts, please comment.x\n"
    )
    traversal = content / "traversal"
    traversal.mkdir()
    for n, (slug, image) in enumerate(
        [("../../outside", "../../../../etc/passwd"), ("/etc/passwd", "/etc/passwd"),
         ("%2e%2e/%2e%2e/x", "%2e%2e/%2e%2e/secret.txt"), ("CON", "a\u0000b.png"), ("x" * 300, "y" * 300 + ".png"),
         ("nul", "link-out.png")]
    ):  # fmt: skip
        front = (
            f'title = "Traversal {n}"\nslug = {toml_string(slug)}\n'
            f"aliases = [{toml_string(slug)}]\ntags = [{toml_string(slug)}]\n"
        )
        (traversal / f"t{n}.md").write_text(f"+++\n{front}+++\n![x]({image})\n")
    (outside / "secret.txt").write_text("SECRET-DO-NOT-PUBLISH")
    (traversal / "link-out.png").symlink_to(outside / "secret.txt")
    (content / "linked.md").symlink_to(outside / "secret.txt")
    (content / "linked-folder").symlink_to(outside, target_is_directory=True)
    with open(content / "huge.txt", "wb") as huge:  # 100 MB, sparse: over max_capture_bytes
        huge.truncate(100 * 1024 * 1024)
    thread = content / "thread"
    thread.mkdir()
    (thread / "index.md").write_text('+++\ntitle = "Ten Thousand Replies"\ndate = 2024-02-01\n+++\nA long night.\n')
    parents = [""] + [f'parent = "c{n}"' for n in range(9_999)]
    (thread / "comments.toml").write_text(
        "".join(f'[[comments]]\nid = "c{n}"\n{parents[n]}\nbody = "Reply {n}"\n' for n in range(10_000))
    )
    (content / "latin1.md").write_bytes(b'+++\ntitle = "Caf\xe9 \xff\xfe"\n+++\n\xe9t\xe9 \x80\x81\n')
    (content / "empty.md").write_text("")
    (content / "empty-capture.txt").write_text("")
    (content / "bomb.md").write_text(f'+++\ntitle = "Entity Bomb"\n+++\n{ENTITY_BOMB}\n\n![bomb](bomb.svg)\n')
    (content / "bomb.svg").write_text(
        ENTITY_BOMB.replace("<lolz>&lol9;</lolz>", '<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>')
    )
    (content / "bomb-capture.txt").write_text(f"Entity Bomb Capture\n\n{ENTITY_BOMB}\n")
    (content / "bomb-page.html").write_text(ENTITY_BOMB)
    (content / "xss/page.html").write_text(hostile_page())
    (content / "linked-page.html").symlink_to(outside / "secret.txt")
    return root


def hostile_page() -> str:
    """A saved page with the payloads in its metadata, body, images, links and WordPress comments."""
    meta = json.dumps(
        {"@type": "NewsArticle", "headline": PAYLOADS[0], "author": {"name": PAYLOADS[5]}, "keywords": PAYLOADS[:3]}
    )
    body = "".join(
        f"<p>{payload}</p><p><a href={json.dumps(payload)}>link</a> "
        f"<img src={json.dumps(payload)} alt={json.dumps(payload)}></p>"
        for payload in PAYLOADS
    )
    images = (
        '<figure><img src="../../../../etc/passwd" srcset="/etc/passwd 2000w, ../secret.txt 900w" alt="x">'
        "<figcaption><script>alert(1)</script>Caption</figcaption></figure>"
    )
    comments = "".join(
        f'<li class="comment depth-1" id="comment-{n}"><div class="comment-author"><cite class="fn">'
        f'<a href={json.dumps(payload)}>{payload}</a></cite></div><div class="comment-content">{payload}</div></li>'
        for n, payload in enumerate(PAYLOADS)
    )
    return (
        f'<html><head><script type="application/ld+json">{meta}</script><meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="2024-01-05"></head><body class="single" onload="alert(1)">'
        f'<div class="entry-content">{body}{images}<form action="javascript:alert(1)"><input></form>'
        f'<iframe src="javascript:alert(1)"></iframe></div><ol class="comment-list">{comments}</ol></body></html>'
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    outside = root / "outside"
    outside.mkdir()
    site = write_hostile_site(root / "site", outside)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    report = build_into(site, root / "public")
    return root, site, report, before


def test_the_build_finishes_and_reports_what_it_refused(hostile):
    _root, _site, report, _before = hostile
    warnings = "\n".join(map(str, report.diagnostics))
    assert report.articles >= len(PAYLOADS) + 9
    assert "limit max_capture_bytes: 104.9 MB" in warnings
    assert "symlink pointing outside the content folder" in warnings
    assert warnings.count("points outside the content folder") >= 3
    assert "not valid UTF-8" in warnings and "SVG refused: declares a DTD or entities" in warnings
    assert "'source_url' must be an http(s) URL" in warnings


def test_nothing_is_written_outside_the_output_and_cache(hostile):
    root, _site, _report, before = hostile
    after = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    new = [p for p in after if p not in before and not p.startswith(("public", "site/.backissue"))]
    assert new == []
    published = "".join(
        p.read_text(errors="replace") for p in (root / "public").rglob("*") if p.is_file() and p.suffix != ".webp"
    )
    assert "SECRET-DO-NOT-PUBLISH" not in published
    assert not any(p.is_symlink() for p in (root / "public").rglob("*"))


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES:
                for candidate in value.split(","):
                    scheme = urlsplit(re.sub(r"[\x00-\x20]", "", candidate.strip().split(" ")[0])).scheme.lower()
                    if scheme in ("javascript", "vbscript", "data"):
                        self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and re.search(r"expression|url\(|javascript", value, re.I):
                self.problems.append(f"<{tag} style={value[:40]!r}>")
        if tag in ("script",) and ("type", "application/ld+json") not in attrs:
            self.problems.append("<script>")
        if tag in ("iframe", "object", "embed", "form", "input", "button", "base", "meta") and not (
            tag == "meta" and (not any(n == "http-equiv" for n, _v in attrs) or _alias_redirect(attrs))
        ):
            self.problems.append(f"<{tag}>")


def _alias_redirect(attrs: list[tuple[str, str | None]]) -> bool:
    """The refresh of an alias's redirect page: to a page of the site itself, by a relative link."""
    values = {name: value or "" for name, value in attrs}
    target = re.fullmatch(r"0; url=([^:]+)", values.get("content", ""))
    return values.get("http-equiv") == "refresh" and target is not None and not target[1].startswith("/")


def test_no_executable_markup_in_any_output_file(hostile):
    root, _site, _report, _before = hostile
    problems = []
    for path in (root / "public").rglob("*"):
        if path.suffix in (".html", ".xml", ".svg"):
            inspector = Inspector()
            inspector.feed(path.read_text(errors="replace"))
            problems += [f"{path.relative_to(root)}: {p}" for p in inspector.problems]
    assert problems == []


@pytest.mark.slow
def test_no_dialog_error_or_offsite_request_in_a_real_browser(hostile):
    root, _site, _report, _before = hostile
    public = root / "public"
    pages = sorted(p.relative_to(public).as_posix() for p in public.rglob("index.html"))
    pages = [p for p in pages if p.startswith(("2024/01/", "undated/", "tags/", "authors/", "index.html"))][:120]
    with serving(public) as base_url:
        command = ["node", str(REPO_PATH / "tests/browser/browser.js"), "hostile", base_url, *pages]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert len(pages) > 60
    assert found == {"dialogs": [], "errors": [], "offsite": []}
