"""Standalone pages (About, Contact) and ``static/`` files at the site root."""

from __future__ import annotations

import os

import pytest
from conftest import article, build_into

from generator.commands.cli import EXIT_OK, main
from generator.common.urls import UrlCollision

ABOUT = '+++\ntitle = "About this archive"\n+++\nWho keeps this archive, and why.\n'
CONTACT = "---\ntitle: Contact\nkind: page\nslug: contact\n---\nWrite to the archivist.\n"


def site_with_pages(write_site, link_in: str = "footer"):
    return write_site(
        {
            "site.toml": f'title = "T"\n[pages]\nlink_in = "{link_in}"\n',
            "content/news/story.md": article("Story", date="2024-03-01"),
            "content/pages/about.md": ABOUT,
            "content/elsewhere/contact.md": CONTACT,
        }
    )


def test_pages_are_rendered_linked_from_the_footer_and_in_no_listing_or_feed(write_site):
    site = site_with_pages(write_site)
    report = build_into(site)
    assert report.diagnostics == [] and report.articles == 1
    public = site / "public"
    about = (public / "about/index.html").read_text(encoding="utf-8")
    assert "Who keeps this archive" in about and 'class="article standalone-page"' in about
    assert "Date unknown" not in about  # not an article page
    home = (public / "index.html").read_text(encoding="utf-8")
    footer = home[home.index('<footer class="site-footer">') :]
    assert 'href="about/index.html"' in footer and 'href="contact/index.html"' in footer
    archive = (public / "archive/index.html").read_text(encoding="utf-8")
    listings = [home[: home.index('<footer class="site-footer">')], (public / "atom.xml").read_text(encoding="utf-8")]
    listings += [archive[: archive.index('<footer class="site-footer">')]]
    assert not any("About this archive" in text or "Contact" in text for text in listings)
    assert not (public / "undated").exists()
    assert main(["check", "--site", str(site)]) == EXIT_OK


def test_pages_can_be_linked_from_the_nav_instead(write_site):
    site = site_with_pages(write_site, "nav")
    build_into(site)
    home = (site / "public/index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="site-nav"') : home.index("</nav>")]
    assert 'href="about/index.html"' in nav and "About this archive" in nav
    assert 'class="site-pages"' not in home


def test_static_files_are_copied_to_the_output_root(write_site, tmp_path):
    site = write_site(
        {
            "content/a.md": article("A", date="2024-01-02"),
            "static/CNAME": "news.example.org\n",
            "static/.well-known/security.txt": "Contact: mailto:a@example.org\n",
            "static/files/report.pdf": "%PDF-1.4",
            "static/.DS_Store": "junk",
        }
    )
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the web")
    os.symlink(outside, site / "static/leak.txt")
    report = build_into(site)
    public = site / "public"
    assert (public / "CNAME").read_text() == "news.example.org\n"
    assert (public / ".well-known/security.txt").is_file() and (public / "files/report.pdf").is_file()
    assert not (public / ".DS_Store").exists() and not (public / "leak.txt").exists()
    assert [str(d) for d in report.diagnostics] == [
        "static/leak.txt: refused: symlink pointing outside the static folder"
    ]
    (site / "static/CNAME").write_text("archive.example.org\n")
    assert build_into(site).changed == 1  # a changed static file is a change, and the only one
    assert (public / "CNAME").read_text() == "archive.example.org\n"


def test_a_static_file_that_would_replace_a_page_is_refused(write_site):
    site = write_site({"content/a.md": article("A", date="2024-01-02"), "static/index.html": "<p>mine</p>"})
    with pytest.raises(UrlCollision, match="static/index.html"):
        build_into(site)
