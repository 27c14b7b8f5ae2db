"""Each article in its own language: read from the capture, carried by its article element, JSON-LD and feed entry."""

from __future__ import annotations

import json
import re

from conftest import article, build_into
from test_html_reader import PARAGRAPHS, json_ld, page

ARABIC = "<p>" + "بدأت أعمال إصلاح جدار الميناء هذا الأسبوع بعد سنوات من الانتظار. " * 4 + "</p>"


def mixed_site(write_site):
    """An English site with German, Arabic and Japanese captures, each saying its language its own way."""
    japanese = json_ld({"@type": "NewsArticle", "headline": "港", "inLanguage": "ja-JP", "datePublished": "2024-03-05"})
    return write_site({
        "site.toml": 'title = "Harbour"\nlanguage = "en"\nbase_url = "https://example.org/"\n',
        "content/de/_defaults.toml": 'language = "de"\n',
        "content/de/hafen.md": article("Hafenmauer", date="2024-03-04"),
        "content/ar.html": page(f"<article><h1>جدار الميناء</h1><div class='entry-content'>{ARABIC}</div></article>",
                                '<meta property="article:published_time" content="2024-03-06T10:00:00Z">')
        .replace("<html>", '<html lang="ar">'),
        "content/ja.html": page(f"<article><div class='entry-content'>{PARAGRAPHS}</div></article>", japanese),
        "content/og.html": page(f"<article><h1>Ola</h1><div class='entry-content'>{PARAGRAPHS}</div></article>",
                                '<meta property="og:locale" content="pt_BR">'
                                '<meta property="article:published_time" content="2024-03-08">'),
        "content/en.md": article("Harbour wall", date="2024-03-07"),
    })  # fmt: skip


def article_tag(html: str) -> str:
    return re.search(r'<article class="article"[^>]*>', html).group(0)


def test_each_article_carries_its_own_language_and_direction(write_site, tmp_path):
    out = tmp_path / "out"
    report = build_into(mixed_site(write_site), out)
    pages = {path.parent.name: path.read_text() for path in out.glob("2024/03/*/index.html")}
    assert {slug: article_tag(html) for slug, html in pages.items()} == {
        "hafen": '<article class="article" aria-labelledby="article-title" lang="de">',
        "ar": '<article class="article" aria-labelledby="article-title" lang="ar" dir="rtl">',
        "ja": '<article class="article" aria-labelledby="article-title" lang="ja-JP">',
        "og": '<article class="article" aria-labelledby="article-title" lang="pt-BR">',
        "en": '<article class="article" aria-labelledby="article-title">',
    }
    for slug, html in pages.items():
        assert '<html lang="en">' in html  # the page, its menu and the theme's words stay in the site's language
        assert "<dt>Published</dt>" in html and ">Front page</a>" in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
        assert data["inLanguage"] == {"hafen": "de", "ar": "ar", "ja": "ja-JP", "og": "pt-BR"}.get(slug, "en")
    arabic = pages["ar"]
    assert ">6 March 2024</time>" in arabic  # dates in the site's language
    assert '<dl class="article-meta" lang="en" dir="ltr">' in arabic  # the theme's words inside an Arabic article
    assert '<meta name="citation_language" content="ar">' in arabic
    feed = (out / "atom.xml").read_text()
    assert feed.count('xml:lang="') == 5 and '<entry xml:lang="ar">' in feed  # the feed's own and four entries
    assert not [d for d in report.diagnostics if "language" in d.message]


def test_an_unknown_language_tag_is_a_warning_naming_the_file(write_site, tmp_path):
    site = write_site({"content/a.md": article("A", language="klingon please")})
    report = build_into(site, tmp_path / "out")
    warned = [str(d) for d in report.diagnostics if "'language' is not a language tag" in d.message]
    assert len(warned) == 1 and warned[0].startswith("content/a.md:3:")
    assert 'lang="' not in article_tag((tmp_path / "out/undated/a/index.html").read_text())


def test_a_site_in_several_languages_gets_a_page_per_language(write_site, tmp_path):
    out = tmp_path / "out"
    build_into(mixed_site(write_site), out)
    index = (out / "languages/index.html").read_text()
    listed = index[index.index('<ul class="term-index">') :]
    names = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', listed)
    assert names == [("ar/index.html", "Arabic"), ("en/index.html", "English"), ("de/index.html", "German"),
                     ("ja/index.html", "Japanese"), ("pt/index.html", "Portuguese")]  # fmt: skip
    arabic = (out / "languages/ar/index.html").read_text()
    assert "<h1>Arabic</h1>" in arabic and 'href="../../2024/03/ar/index.html"' in arabic
    assert '<a href="../index.html" aria-current="true">Languages</a>' in arabic  # in the menu
    assert "languages/ar/" in (out / "sitemap.xml").read_text()


def test_a_site_in_one_language_has_no_language_pages(write_site, tmp_path):
    site = write_site({"site.toml": 'language = "de"\n', "content/a.md": article("A", language="de-DE")})
    build_into(site, tmp_path / "out")
    assert not (tmp_path / "out/languages").exists()


def test_comments_share_their_article_s_language_unless_marked(write_site, tmp_path):
    comments = (
        '[[comments]]\nid = "1"\nbody = "Gut."\n[[comments]]\nid = "2"\nbody = "Da iawn."\nlanguage = "cy"\n'
        '[[comments]]\nid = "3"\nbody = "جيد"\nlanguage = "ar"\n'
        '[[comments]]\nid = "4"\nbody = "x"\nlanguage = "??"\n'
    )
    site = write_site({"content/a.md": article("A", language="de"), "content/a.comments.toml": comments})
    report = build_into(site, tmp_path / "out")
    page = (tmp_path / "out/undated/a/index.html").read_text()
    bodies = re.findall(r'<div class="comment-body"([^>]*)>', page)
    assert bodies == ["", ' lang="cy" dir="ltr"', ' lang="ar" dir="rtl"', ""]
    assert '<ol class="thread" lang="de">' in page
    assert [d.line for d in report.diagnostics if "is not a language tag" in d.message] == [12]  # its entry
