"""The Markdown reader: front matter, folder defaults, body, images, and bad input."""

from __future__ import annotations

from pathlib import Path

from conftest import article, build_into, looked_for

from generator.common.config import load
from generator.readers.scan import scan


def read_site(site: Path):
    return scan(load(site))


def messages(result) -> list[str]:
    return [str(d) for d in result.diagnostics]


def test_bundle_and_single_file_with_front_matter(write_site):
    site = write_site(
        {
            "content/a/harbour/index.md": article(
                "Harbour", date="2024-11-02", tags=["Transport"], authors=["Dana"], mood="calm"
            ),
            "content/a/harbour/comments.toml": '[[comments]]\nbody = "Hi"\n',
            "content/b/notes.md": article("Notes", published="2023-01-05T10:00:00"),
            "content/b/notes.comments.toml": '[[comments]]\nbody = "One"\n[[comments]]\nbody = "Two"\n',
        }
    )
    result = read_site(site)
    assert messages(result) == []
    by_title = {a.title: a for a in result.articles}
    harbour, notes = by_title["Harbour"], by_title["Notes"]
    assert harbour.slug == "harbour" and notes.slug == "notes"
    assert harbour.tags == ("Transport",) and harbour.authors == ("Dana",)
    assert harbour.extra == {"mood": "calm"}
    assert harbour.published.isoformat() == "2024-11-02T00:00:00+00:00"
    assert notes.published.hour == 10
    assert [c.text for c in harbour.comments] == ["Hi"]
    assert [c.text for c in notes.comments] == ["One", "Two"]


def test_folder_defaults_cascade_nearer_wins_article_wins(write_site):
    site = write_site(
        {
            "content/_defaults.toml": 'source = "Outer"\ntags = ["Outer"]\ncategory = "News"\n',
            "content/inner/_defaults.toml": 'source = "Inner"\n',
            "content/inner/a.md": article("A"),
            "content/inner/b.md": article("B", source="Own", tags=["Own"]),
            "content/c.md": article("C"),
        }
    )
    by_title = {a.title: a for a in read_site(site).articles}
    assert (by_title["A"].source, by_title["A"].tags, by_title["A"].category) == ("Inner", ("Outer",), "News")
    assert (by_title["B"].source, by_title["B"].tags) == ("Own", ("Own",))
    assert by_title["C"].source == "Outer"


def test_front_matter_syntax_error_names_file_and_line_and_skips_only_that_article(write_site, tmp_path):
    site = write_site(
        {
            "content/bad.md": '+++\ntitle = "Bad"\ndate = 2024-01-01\n[tags\n+++\nBody\n',
            "content/good.md": article("Good", date="2024-01-02"),
        }
    )
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and report.skipped == ["content/bad.md"]
    [warning] = [str(d) for d in report.diagnostics]
    assert warning.startswith("content/bad.md:4:") and "not valid TOML" in warning
    assert (tmp_path / "out/2024/01/good/index.html").is_file()


def test_missing_title_and_bad_values_degrade_with_warnings(write_site):
    site = write_site({"content/harbour-news.md": '+++\ndate = "someday"\ntags = 3\n+++\nText\n'})
    result = read_site(site)
    [only] = result.articles
    assert only.title == "Harbour news" and only.published is None and only.tags == ()
    found = messages(result)
    assert any("content/harbour-news.md:2: 'date' is not a date" in m for m in found)
    assert any("content/harbour-news.md:3: 'tags' must be a list of strings" in m for m in found)
    assert any("no title" in m for m in found)


def test_missing_image_is_a_warning_with_line_and_a_placeholder(write_site, tmp_path):
    body = 'First.\n\n![Harbour at dusk](nowhere.jpg "Caption")\n'
    site = write_site({"content/a/index.md": article("A", body, date="2024-01-01")})
    report = build_into(site, tmp_path / "out")
    [warning] = [str(d) for d in report.diagnostics]
    assert warning == "content/a/index.md:7: image 'nowhere.jpg': file not found"
    page = (tmp_path / "out/2024/01/a/index.html").read_text()
    assert "Image not in the archive" in page and "Harbour at dusk" in page and "Caption" in page


def test_image_paths_out_of_content_are_refused(write_site, tmp_path):
    (tmp_path / "secret.png").write_bytes(b"not for publishing")
    body = "![a](../../secret.png)\n\n![b](/../secret.png)\n\n![c](data:image/png;base64,AAAA)\n"
    site = write_site({"content/a/index.md": article("A", body)})
    (site / "content/a/link.png").symlink_to(tmp_path / "secret.png")
    (site / "content/a/index.md").write_text(article("A", body + "\n![d](link.png)\n"))
    result = read_site(site)
    found = messages(result)
    assert sum("outside the content folder" in m for m in found) == 3
    assert any("only local files and http(s) links" in m for m in found)
    assert all(block.image.path is None for block in result.articles[0].blocks if block.image)


def test_remote_image_is_kept_as_a_link_never_fetched(write_site, tmp_path):
    body = '![Old photo](https://cdn.example/photo.jpg "Harbour. Photo: A. Lee")\n'
    site = write_site({"content/a/index.md": article("A", body, date="2024-01-01")})
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/01/a/index.html").read_text()
    assert 'href="https://cdn.example/photo.jpg"' in page
    assert '<span class="credit">Photo: A. Lee</span>' in page


def test_raw_html_is_sanitized(write_site):
    body = (
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">x</a><iframe src="https://evil.example"></iframe>'
        '<p style="position:fixed">styled</p>\n'
    )
    site = write_site({"content/a.md": article("A", body)})
    html = "".join(block.html for block in read_site(site).articles[0].blocks)
    for bad in ("<script", "onerror", "javascript:", "<iframe", "style="):
        assert bad not in html
    assert "styled" in html


def test_invalid_utf8_and_bom_and_crlf(write_site):
    site = write_site({})
    (site / "content/latin.md").write_bytes(b'+++\r\ntitle = "Caf\xe9"\r\n+++\r\nBody\r\n')
    (site / "content/bom.md").write_bytes('\ufeff+++\ntitle = "Bom"\n+++\nBody\n'.encode())
    result = read_site(site)
    assert sorted(a.title for a in result.articles) == ["Bom", "Café"]
    [warning] = messages(result)
    assert warning.startswith("content/latin.md:2: not valid UTF-8; read as ")


def test_drafts_are_left_out_and_counted(write_site):
    site = write_site({"content/a.md": article("A", draft=True), "content/b.md": article("B")})
    result = read_site(site)
    assert [a.title for a in result.articles] == ["B"] and result.drafts == 1


def test_summary_defaults_to_the_first_paragraph_cut_at_a_word(write_site):
    long = " ".join(["word"] * 120)
    site = write_site({"content/a.md": article("A", f"![x](y.png)\n\n{long}\n")})
    summary = read_site(site).articles[0].summary
    assert summary.endswith("…") and len(summary) <= 281 and summary.startswith("word word")


def test_body_h1_is_demoted_below_the_page_title(write_site):
    site = write_site({"content/a.md": article("A", "# Part one\n\n## Detail\n")})
    html = "".join(b.html for b in read_site(site).articles[0].blocks)
    assert "<h2>Part one</h2>" in html and "<h3>Detail</h3>" in html


def test_unreadable_file_is_a_warning_and_the_rest_builds(write_site, tmp_path):
    site = write_site({"content/good.md": article("Good", date="2024-01-02")})
    (site / "content/broken.md").symlink_to(site / "content/nowhere.md")
    report = build_into(site, tmp_path / "out")
    assert report.articles == 1 and report.skipped == ["content/broken.md"]
    assert [str(d) for d in report.diagnostics] == [
        "content/broken.md: cannot read, skipped: No such file or directory"
    ]


def test_every_file_the_reader_looked_for_is_a_dependency_found_or_not(write_site):
    body = (
        "![Pier](/media/pier.png)\n\n![Here](here.png)\n\n"
        "![Far](https://images.example/far.png)\n\n![Out](../../../x.png)\n"
    )
    site = write_site({"content/notes/pier.md": article("Pier", body, cover="../media/cover.jpg")})
    (site / "content/notes/here.png").write_bytes(b"not really a png")
    assert looked_for(site, "content/notes/pier.md") == {
        "content/media/pier.png": False,
        "content/notes/here.png": True,
        "content/media/cover.jpg": False,
        "content/notes/pier.comments.toml": False,
    }
    (site / "content/bundle").mkdir()
    (site / "content/bundle/index.md").write_text(article("Bundle", "![Pier](../media/pier.png)"))
    (site / "content/bundle/comments.toml").write_text('[[comments]]\nbody = "Hi"\n')
    assert looked_for(site, "content/bundle/index.md") == {
        "content/media/pier.png": False,
        "content/bundle/comments.toml": True,
    }
