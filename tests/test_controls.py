"""Control characters from captures never reach a feed, a sitemap, a page or the terminal."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import build_into

from generator.commands.cli import main
from generator.common.controls import CONTROL


def test_feeds_sitemaps_and_pages_hold_no_control_characters(write_site):
    front = (  # TOML escapes: the values hold the control characters themselves
        'title = "Bell\\u0007 and escape\\u001b[2J and \\u007f\\u0085 in a title"\ndate = 2024-01-02\n'
        'tags = ["tag\\u0007name"]\nauthors = ["Ann\\u001b"]\n'
    )
    site = write_site(
        {
            "site.toml": 'base_url = "https://news.example/"\n',
            "content/a.md": f"+++\n{front}+++\nBody \x1b text.\n",
            "content/b.txt": "A Capture With &#x1b; An Escape\n\n"
            + "A sentence \x0b of the capture, long enough. " * 20,
        }
    )
    build_into(site)
    written = sorted(p for p in (site / "public").rglob("*") if p.suffix in (".xml", ".html"))
    feeds = [p for p in written if p.suffix == ".xml"]
    assert len(feeds) >= 3  # the site's feed, a term feed, the sitemap
    for path in feeds:
        ET.fromstring(path.read_bytes())  # raises on a character XML forbids
    for path in written:
        assert not CONTROL.search(path.read_text(encoding="utf-8")), path
    assert "Bell and escape[2J" in (site / "public/atom.xml").read_text()


def test_a_file_name_with_an_escape_sequence_is_printed_harmlessly(write_site, capsys):
    name = "evil\x1b]0;owned\x07\x1b[2J.md"
    site = write_site({f"content/{name}": "+++\ntitle = 5\n+++\nText.\n"})
    assert main(["build", "--site", str(site), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "evil\\x1b]0;owned\\x07\\x1b[2J.md" in err
