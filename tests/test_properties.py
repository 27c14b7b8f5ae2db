"""Properties over generated input: no command loses a user's file, no reader keeps a bad address or date.

Bounded for `make test`; BACKISSUE_FUZZ_EXAMPLES raises the number of examples (`make fuzz`).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.cli import main
from generator.common.config import SiteConfig
from generator.common.weburl import web_url
from generator.readers.comment_files import read_comments_file
from generator.readers.dates import MAX_YEAR, MIN_YEAR
from generator.readers.scan import ContextFactory, read_one

EXAMPLES = int(os.environ.get("BACKISSUE_FUZZ_EXAMPLES", 25))
properties = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Where a target may point, relative to a home folder that holds the site and the user's other files.
BASES = ["home", "home/site", "home/site/content", "home/site/content/news", "home/site/themes", "home/site/static",
         "home/site/.backissue", "home/site/public", "home/Documents", "home/empty", "home/new", "/"]  # fmt: skip
TAILS = ["", "x", "x/y", "..", "../..", ".", "site.toml", "notes.txt", "letter.odt", "a.md", "mine"]
USER_FILES = {
    "home/notes.txt": b"my notes",
    "home/Documents/letter.odt": b"dear",
    "home/site/site.toml": b'title = "Mine"\n',
    "home/site/content/news/a.md": article("A", date="2024-01-01").encode(),
    "home/site/content/page.txt": b"A Capture Of A Page\n\n" + b"A sentence of the page, long enough. " * 20,
    "home/site/themes/mine/templates/base.html": b"{% extends 'default:base.html' %}",
    "home/site/static/logo.txt": b"logo",
}


def make_home(root: Path) -> Path:
    for relative, data in USER_FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    (root / "home/empty").mkdir()
    return root / "home/site"


def user_files_intact(root: Path) -> list[str]:
    return [relative for relative, data in USER_FILES.items() if not (root / relative).is_file()
            or (root / relative).read_bytes() != data]  # fmt: skip


def target(root: Path, base: str, tail: str) -> Path:
    return (Path(base) if base.startswith("/") else root / base) / tail


COMMANDS = st.sampled_from(["build", "publish", "import"])


@properties
@given(COMMANDS, st.sampled_from(BASES), st.sampled_from(TAILS), st.booleans())
def test_no_command_loses_a_users_file_wherever_it_is_pointed(
    tmp_path_factory, monkeypatch, command, base, tail, force
):
    """Success or refusal, every user file still holds its bytes; flags never open the site, root or home."""
    root = tmp_path_factory.mktemp("machine")
    site = make_home(root)
    monkeypatch.setenv("HOME", str(root / "home"))
    out = target(root, base, tail)
    flags = ["--overwrite"] if force else []
    if command == "build":
        main(["build", "--site", str(site), "--out", str(out), "--quiet", "--jobs", "1", *flags])
    elif command == "publish":
        assert main(["build", "--site", str(site), "--quiet", "--jobs", "1"]) == 0
        main(["publish", out.as_uri() if out.is_absolute() else str(out), "--site", str(site), "--force", *flags])
    else:
        main(["import", str(site / "content/page.txt"), "--to", str(out), "--site", str(site)])
    lost = user_files_intact(root)
    if force and command != "import":  # --overwrite may replace a folder of someone else's, never the site's files
        lost = [f for f in lost if f.startswith("home/site/") or not (root / f).resolve().is_relative_to(out.resolve())]
    assert lost == []
    shutil.rmtree(root)


URL_ALPHABET = st.sampled_from(list("htps:/[]@?#%.,:; \t\n\x00\x1bjavscrid()<>\"'\\&=ABC123-_~é"))
URLS = st.one_of(
    st.text(URL_ALPHABET, max_size=40),
    st.sampled_from(
        ["http://", "https://", "javascript:", " JavaScript:", "data:", "//", "http://[", "https://[::1"]
    ).flatmap(lambda head: st.text(URL_ALPHABET, max_size=30).map(lambda rest: head + rest)),
)


def read_file(tmp_path: Path, name: str, data: str, zone: str = "UTC"):
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data)
    return read_one(path, ContextFactory(SiteConfig(site_path=tmp_path, timezone=zone)).for_file(path))


def addresses_in(result) -> list[str]:
    article = result.article
    if article is None:
        return []
    images = [b.image for b in article.blocks if b.image] + [i for b in article.blocks for i in b.inline_images]
    return [u for u in (article.source_url, *(c.url for c in article.comments), *(i.remote_url for i in images)) if u]


PAGE = "<html><head><title>Harbour</title>{head}</head><body><article>{body}</article></body></html>"
TEXT = "".join(f"<p>Paragraph {n} of a story about the harbour, long enough to be read.</p>" for n in range(6))


@properties
@given(URLS)
def test_every_address_a_reader_keeps_is_http(tmp_path, url):
    quoted = url.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    ld = json.dumps({"@type": "NewsArticle", "url": url}).replace("</", "<\\/")
    comment = (f"<ol class='comment-list'><li class='comment' id='comment-1'><div class='comment-author'>"
               f"<a href=\"{quoted}\">Ann</a></div>"
               "<div class='comment-content'><p>Hi.</p></div></li></ol>")  # fmt: skip
    head = f'<link rel="canonical" href="{quoted}"><meta property="og:url" content="{quoted}">'
    head += f'<script type="application/ld+json">{ld}</script>'
    results = [
        read_file(tmp_path, "a.html", PAGE.format(head=head, body=TEXT + f'<img src="{quoted}" alt="x">' + comment)),
        read_file(tmp_path, "b.md", f'+++\ntitle = "B"\nsource_url = {json.dumps(url)}\n+++\n![x](<{url}>)\n'),
    ]
    (tmp_path / "c.toml").write_text(f'[[comments]]\nbody = "Hi"\nurl = {json.dumps(url)}\n')
    comments, _ = read_comments_file(tmp_path / "c.toml", "c.toml", UTC)
    for result in results:
        assert result.article is not None or result.diagnostics
        for address in addresses_in(result):
            assert web_url(address) == address, address
    assert all(c.url is None or web_url(c.url) == c.url for c in comments)


ZONES = st.sampled_from(["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "America/St_Johns"])
DATES = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@properties
@given(DATES, st.one_of(st.none(), OFFSETS), ZONES, st.integers(min_value=0, max_value=10**12))
def test_every_date_a_reader_keeps_is_one_any_zone_can_hold(tmp_path, moment, offset, zone, years_ago):
    moment = moment.replace(tzinfo=offset)
    text = toml_value = moment.isoformat()  # also a TOML date-time, with an offset or local
    ld = json.dumps({"@type": "NewsArticle", "datePublished": text, "dateModified": text})
    comment = (f"<ol class='comment-list'><li class='comment' id='comment-1'><div class='comment-author'>Ann</div>"
               f"<div class='comment-date'>{years_ago} years ago</div><div class='comment-content'><p>Hi.</p></div>"
               f"</li></ol>")  # fmt: skip
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "content" / "a.toml").write_text(f"captured = {toml_value}\n")
    results = [
        read_file(tmp_path, "a.html", PAGE.format(head=f'<script type="application/ld+json">{ld}</script>',
                                                  body=TEXT + f'<time datetime="{text}">x</time>' + comment), zone),
        read_file(tmp_path, "b.md", f'+++\ntitle = "B"\npublished = {toml_value}\n'
                                    f'updated = "{text}"\n+++\nText.\n', zone),
    ]  # fmt: skip
    (tmp_path / "c.toml").write_text(f'[[comments]]\nbody = "Hi"\ndate = {toml_value}\n')
    comments, _ = read_comments_file(tmp_path / "c.toml", "c.toml", UTC)
    kept = [c.date for c in comments]
    for result in results:
        assert result.article is not None
        a = result.article
        kept += [a.published, a.updated, a.captured, *(c.date for c in a.comments)]
    for value in filter(None, kept):
        assert MIN_YEAR <= value.year <= MAX_YEAR
        value.astimezone(UTC)
        value.astimezone(timezone(timedelta(hours=14)))


@pytest.mark.parametrize("base", ["home/site", "home/site/content", "/"])
def test_the_property_suite_reaches_refusals(tmp_path, monkeypatch, capsys, base):
    """The generated cases include the findings themselves: these targets are refused, not just survived."""
    site = make_home(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert main(["build", "--site", str(site), "--out", str(target(tmp_path, base, "")), "--overwrite"]) != 0
    assert "refusing --out" in capsys.readouterr().err
