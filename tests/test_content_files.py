"""Every file under ``content/`` is read, kept on purpose, or named in a warning: none is skipped without a word."""

from __future__ import annotations

from conftest import article

from generator.build import build
from generator.commands.cli import main
from generator.readers.scan import READERS, reader_for

READ = ".arc, .arc.gz, .htm, .html, .md, .txt, .wacz, .warc, .warc.gz, .warc.lz4"
UNREAD = ["content/a.epub", "content/b.mht", "content/c.warc.zst", "content/d.pdf", "content/more/e.docx"]
KEPT = {
    "content/photo.JPG": "image",
    "content/mirror/news.example/wp-content/themes/x/style.css?ver=6.4": "page requisite",
    "content/mirror/news.example/wp-includes/js/site.js": "page requisite",
    "content/mirror/news.example/fonts/serif.woff2": "page requisite",
    "content/mirror/news.example/robots.txt": "a mirror's robots.txt",
    "content/notes/story.comments.toml": "comments",
    "content/notes/_defaults.toml": "folder defaults",
    "content/notes/.DS_Store": "dotfile",
    "content/_attachments/minutes.pdf": "a folder starting with _",
    "content/notes/_minutes.pdf": "a file starting with _",
    "content/bundle/minutes.pdf": "a page bundle's resource",
}


def test_files_no_reader_handles_get_one_warning_each_and_files_kept_on_purpose_none(write_site, capsys):
    files = {"content/notes/story.md": article("Story", date="2024-01-02"), "content/bundle/index.md": article("B")}
    site = write_site({**files, **{name: "x" for name in UNREAD}, **{name: "" for name in KEPT}})
    report = build(site)
    warned = [(d.path, d.message) for d in report.diagnostics]
    message = f"not read: backissue reads {READ} files (and ArchiveBox data folders)"
    assert warned == [(name, message) for name in UNREAD]
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "5 warnings" in err and "warning: content/d.pdf: not read: backissue reads" in err
    assert main(["build", "--site", str(site), "--strict", "--quiet"]) == 1


def test_the_formats_named_and_the_files_warned_about_follow_the_readers(write_site, monkeypatch):
    site = write_site({"content/a.epub": "x", "content/b.pdf": "x"})
    monkeypatch.setitem(READERS, ".epub", READERS[".md"])
    assert reader_for(site / "content/a.epub") is not None
    report = build(site)
    not_read = [d for d in report.diagnostics if d.message.startswith("not read")]
    formats = READ.replace(".arc, .arc.gz, ", ".arc, .arc.gz, .epub, ")
    message = f"not read: backissue reads {formats} files (and ArchiveBox data folders)"
    assert [(d.path, d.message) for d in not_read] == [("content/b.pdf", message)]
