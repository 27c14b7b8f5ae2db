"""The HTML reader: metadata, main content, comment families, images, mirror awareness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from generator.commands.inspect import inspect_file
from generator.common.config import load
from generator.readers.scan import ContextFactory, read_one
from tests.conftest import build_into, looked_for, output_files

ARTICLE_JSON_LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "@id": "https://paper.example/#site", "name": "Harbour Light"},
        {"@type": "Person", "@id": "https://paper.example/#ada", "name": "Ada Brennock"},
        {
            "@type": ["NewsArticle"],
            "headline": "Harbour wall repairs begin",
            "datePublished": "2024-03-05T09:30:00+00:00",
            "author": [{"@id": "https://paper.example/#ada"}],
            "keywords": "harbour, council",
            "articleSection": "News",
        },
    ],
}


def page(body: str, head: str = "", body_class: str = "single single-post") -> str:
    """A saved page: head metadata, a site header and footer around *body*."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Page | Harbour Light</title>{head}</head>
<body class="{body_class}"><header class="site-header"><nav><a href="/">Home</a><a href="/news/">News</a></nav></header>
<main>{body}</main><footer class="site-footer"><p>© Harbour Light. All rights reserved.</p></footer></body></html>"""


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story about the harbour wall and the repairs that begin this week in the town.</p>"
    for n in range(1, 5)
)


def read(site: Path, relative: str) -> dict:
    return inspect_file(site / relative, load(site))


def body_text(report: dict) -> str:
    return "\n".join(block["text"] or block["caption"] or "" for block in report["blocks"])


def test_metadata_from_json_ld_graph_wins_over_meta_tags(write_site) -> None:
    head = (
        json_ld(ARTICLE_JSON_LD) + '<meta property="og:title" content="OG title">'
        '<link rel="canonical" href="https://paper.example/2024/03/harbour-wall/">'
    )
    site = write_site(
        {"content/a.html": page(f"<article><div class='entry-content'>{PARAGRAPHS}</div></article>", head)}
    )
    report = read(site, "content/a.html")
    assert report["title"] == "Harbour wall repairs begin"
    assert report["published"] == "2024-03-05T09:30:00Z"
    assert report["authors"] == ["Ada Brennock"]
    assert report["tags"] == ["harbour", "council"]
    assert report["source_url"] == "https://paper.example/2024/03/harbour-wall/"


def test_metadata_from_open_graph_time_and_byline_when_no_json_ld(write_site) -> None:
    head = (
        '<meta property="og:type" content="article"><meta property="og:title" content="Ferry fares rise">'
        '<meta property="article:tag" content="ferry"><meta property="article:tag" content="prices">'
    )
    body = (
        "<article><h1>Ferry fares rise</h1><p class='byline'>By Tom Okafor and Mei Lin</p>"
        "<time datetime='2023-11-02T08:00:00Z'>2 November</time>"
        f"<div class='post-content'>{PARAGRAPHS}</div>"
        "<p>Filed in <a rel='category tag' href='/c/transport/'>Transport</a></p></article>"
    )
    report = read(write_site({"content/b.html": page(body, head)}), "content/b.html")
    assert report["title"] == "Ferry fares rise"
    assert report["published"] == "2023-11-02T08:00:00Z"
    assert report["authors"] == ["Tom Okafor", "Mei Lin"]
    assert report["tags"] == ["ferry", "prices"]


def test_title_from_page_title_without_site_name(write_site) -> None:
    report = read(
        write_site({"content/c.html": page(f"<div class='entry-content'>{PARAGRAPHS}</div>")}), "content/c.html"
    )
    assert report["title"] == "Page"


def test_body_keeps_structure_and_drops_furniture(write_site) -> None:
    body = f"""<article><div class="entry-content">
      <p>The <strong>council</strong> voted on <a href="/2024/03/vote/">Tuesday</a>.</p>{PARAGRAPHS}
      <h2>What happens next</h2>
      <ul><li>Work starts in May</li>
        <li>The road closes for two weeks<ul><li>Diversions via Mill Lane</li></ul></li></ul>
      <blockquote><p>It is long overdue.</p><cite>A resident</cite></blockquote>
      <figure class="wp-block-table"><table><thead><tr><th>Site</th><th>Cost</th></tr></thead>
        <tbody><tr><td>North wall</td><td>£1.2m</td></tr></tbody></table></figure>
      <div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li><a href="#">Facebook</a></li></ul></div>
      <div id="jp-relatedposts" class="jp-relatedposts"><h3>Related</h3><p><a href="/x/">Another story</a></p></div>
      <div class="newsletter-signup"><h3>Get our newsletter</h3><form><input type="email"></form></div>
      <div class="advertisement">ADVERTISEMENT</div>
      <script>document.write("tracking")</script><style>p {{ color: red }}</style>
      <iframe src="https://video.example/embed/1"></iframe>
      <blockquote class="twitter-tweet"><p>An embedded tweet</p></blockquote>
    </div></article>
    <div id="cookie-notice">We use cookies. <button>Accept</button></div>"""
    head = '<link rel="canonical" href="https://paper.example/2024/03/harbour-wall/">'
    report = read(write_site({"content/d.html": page(body, head)}), "content/d.html")
    kinds = [block["type"] for block in report["blocks"]]
    assert (
        kinds[:1] == ["paragraph"] and "heading" in kinds and "list" in kinds and "quote" in kinds and "table" in kinds
    )
    text = body_text(report)
    assert "Diversions via Mill Lane" in text and "North wall" in text and "It is long overdue." in text
    for furniture in (
        "Share this",
        "Related",
        "newsletter",
        "ADVERTISEMENT",
        "tracking",
        "color",
        "tweet",
        "cookies",
        "Home",
    ):
        assert furniture not in text


def test_links_become_absolute_against_the_page_url_and_markup_is_sanitized(write_site, tmp_path) -> None:
    body = (
        "<div class='entry-content'>" + PARAGRAPHS + "<p onclick='alert(1)' style='color:red'>See "
        "<a href='/2024/03/vote/' onmouseover='x()'>the vote</a> and <a href='javascript:alert(1)'>this</a>.</p></div>"
    )
    head = '<link rel="canonical" href="https://paper.example/2024/03/harbour-wall/">'
    site = write_site({"content/e.html": page(body, head), "site.toml": 'title = "T"\n'})
    build_into(site)
    html = next(site.glob("public/**/harbour-wall/index.html")).read_text()
    assert 'href="https://paper.example/2024/03/vote/"' in html
    for banned in ("onclick", "onmouseover", "javascript:", "color:red", "alert("):
        assert banned not in html


def test_wordpress_comments_nest_by_depth_classes_even_when_li_closes_early(write_site) -> None:
    def comment(number: int, depth: int, author: str, text: str) -> str:
        return (
            f'<li class="comment depth-{depth}" id="li-comment-{number}">'
            f'<article id="comment-{number}" class="comment">'
            '<footer class="comment-meta">'
            f'<div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><a href="#comment-{number}">'
            f'<time datetime="2024-03-05T1{depth}:00:00+00:00">March 5</time></a></div></footer>'
            f'<div class="comment-content"><p>{text}</p></div>'
            f'<div class="reply"><a class="comment-reply-link" href="?replytocom={number}">Reply</a></div>'
            "</article></li>"
        )

    comments = (
        '<div id="comments" class="comments-area"><h2 class="comments-title">4 thoughts</h2><ol class="comment-list">'
        + comment(1, 1, "Ann", "First.")
        + '<ul class="children">'
        + comment(2, 2, "Ben", "Reply to Ann.")
        + '<ul class="children">'
        + comment(3, 3, "Cy", "Reply to Ben.")
        + "</ul></ul>"
        + comment(4, 1, "Dee", "Second thread.")
        + '</ol><div id="respond" class="comment-respond">'
        "<h3>Leave a Reply</h3><form><textarea></textarea></form></div></div>"
    )
    body = f"<article><div class='entry-content'>{PARAGRAPHS}</div></article>{comments}"
    report = read(write_site({"content/f.html": page(body)}), "content/f.html")
    threads = report["comments"]
    assert [c["author"] for c in threads] == ["Ann", "Dee"]
    assert threads[0]["replies"][0]["author"] == "Ben" and threads[0]["replies"][0]["text"] == "Reply to Ann."
    assert threads[0]["replies"][0]["replies"][0]["author"] == "Cy"
    assert threads[0]["date"] == "2024-03-05T11:00:00Z"
    assert "Leave a Reply" not in body_text(report) and "Reply to Ann" not in body_text(report)


def test_wpdiscuz_7_ids_give_parents_and_relative_dates_count_back_from_the_capture(write_site) -> None:
    def comment(number: int, parent: int, level: int, author: str, when: str, text: str, inner: str = "") -> str:
        return (
            f'<div id="wpd-comm-{number}_{parent}" class="comment depth-{level} wpd-comment wpd_comment_level-{level}">'
            f'<div class="wpd-comment-wrap"><div class="wpd-comment-right"><div class="wpd-comment-header">'
            f'<div class="wpd-comment-author">{author}</div><div class="wpd-comment-date">{when}</div></div>'
            f'<div class="wpd-comment-text"><p>{text}</p></div>'
            '<div class="wpd-comment-footer"><div class="wpd-vote">3</div></div></div></div>'
            f"{inner}</div>"
        )

    thread = comment(
        10,
        0,
        1,
        "Ann",
        "3 years ago",
        "Top.",
        comment(11, 10, 2, "Ben", "2 years ago", "Nested.", comment(12, 11, 3, "Cy", "a month ago", "Deeper.")),
    )
    body = (
        f"<div class='entry-content'>{PARAGRAPHS}</div>"
        f"<div id='comments'><div id='wpdcom'><div class='wpd-thread-list'>{thread}</div></div></div>"
    )
    site = write_site(
        {
            "content/g.html": page(body),
            "content/g.toml": 'captured = 2024-06-01T12:00:00Z\ntitle = "Corrected headline"\n',
        }
    )
    config = load(site)
    result = read_one(site / "content/g.html", ContextFactory(config).for_file(site / "content/g.html"))
    assert result.article.title == "Corrected headline"  # the sidecar wins over the page
    comments = {c.id: c for c in result.article.comments}
    assert comments["11"].parent == "10" and comments["12"].parent == "11" and comments["10"].parent is None
    assert comments["10"].date_approximate and comments["10"].date.year == 2021
    assert comments["12"].text == "Deeper." and comments["10"].text == "Top."


def test_wpdiscuz_5_and_disqus_fallback(write_site) -> None:
    wc = (
        '<div id="wc-comm-5_0" class="wc-comment wc_comment_level-1"><div class="wc-comment-right">'
        '<div class="wc-comment-author">Ann</div><div class="wc-comment-date">March 3, 2019 at 9:15 am</div>'
        '<div class="wc-comment-text"><p>Hello.</p></div></div>'
        '<div id="wc-comm-6_5" class="wc-comment wc-reply wc_comment_level-2"><div class="wc-comment-right">'
        '<div class="wc-comment-author">Ben</div><div class="wc-comment-text"><p>Hi.</p></div></div></div></div>'
    )
    disqus = (
        '<div id="disqus_thread"><ul id="dsq-comments"><li class="comment" id="dsq-comment-71">'
        '<div class="dsq-comment-header"><cite>Ann</cite></div>'
        '<div class="dsq-comment-body"><div class="dsq-comment-message">Top.</div></div>'
        '<ul class="children"><li class="comment" id="dsq-comment-72">'
        '<div class="dsq-comment-header"><cite>Ben</cite></div>'
        '<div class="dsq-comment-body"><div class="dsq-comment-message">Reply.</div></div></li></ul></li></ul></div>'
    )
    site = write_site(
        {
            "content/wc.html": page(f"<div class='entry-content'>{PARAGRAPHS}</div><div id='wpdcom'>{wc}</div>"),
            "content/dsq.html": page(f"<div class='entry-content'>{PARAGRAPHS}</div>{disqus}"),
        }
    )
    wc_report, dsq_report = read(site, "content/wc.html"), read(site, "content/dsq.html")
    assert wc_report["comments"][0]["author"] == "Ann" and wc_report["comments"][0]["replies"][0]["text"] == "Hi."
    assert wc_report["comments"][0]["date"] == "2019-03-03T09:15:00Z"
    assert dsq_report["comments"][0]["text"] == "Top." and dsq_report["comments"][0]["replies"][0]["author"] == "Ben"
    assert not dsq_report["comments_not_captured"]


def test_empty_disqus_placeholder_is_comments_not_captured(write_site) -> None:
    body = (
        f"<div class='entry-content'>{PARAGRAPHS}</div>"
        "<div id='disqus_thread'></div><script>var disqus_config = 1;</script>"
    )
    site = write_site({"content/h.html": page(body), "site.toml": 'title = "T"\n'})
    report = read(site, "content/h.html")
    assert report["comments"] == [] and report["comments_not_captured"] is True
    build_into(site)
    built = next(site.glob("public/**/h/index.html")).read_text()
    assert "did not capture them" in built


def write_image(path: Path, width: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, width * 2 // 3), (90, 120, 150)).save(path)


def test_largest_local_srcset_candidate_wins_and_unsaved_images_stay_remote(write_site) -> None:
    host = "content/mirror/www.paper.example"
    figure = (
        '<figure class="wp-block-image"><img src="../../../wp-content/uploads/2024/03/wall-300x200.jpg" '
        'srcset="../../../wp-content/uploads/2024/03/wall-300x200.jpg 300w, '
        "../../../wp-content/uploads/2024/03/wall-1024x683.jpg 1024w, "
        'https://www.paper.example/wp-content/uploads/2024/03/wall.jpg 2048w" alt="The harbour wall">'
        '<figcaption>Cracks in the north wall. <span class="credit">Ann Photographer</span></figcaption></figure>'
        '<figure><img class="lazy" src="data:image/gif;base64,R0lGOD" '
        'data-lazy-src="https://cdn.example/boat.jpg" alt="A boat">'
        "<figcaption>Not saved by the mirror.</figcaption></figure>"
        '<p><img src="https://tracker.example/pixel.gif" width="1" height="1" alt=""></p>'
    )
    site = write_site(
        {f"{host}/2024/03/wall/index.html": page(f"<div class='entry-content'>{PARAGRAPHS}{figure}</div>")}
    )
    write_image(site / host / "wp-content/uploads/2024/03/wall-300x200.jpg", 300)
    write_image(site / host / "wp-content/uploads/2024/03/wall-1024x683.jpg", 1024)
    report = read(site, f"{host}/2024/03/wall/index.html")
    figures = [block for block in report["blocks"] if block["type"] == "figure"]
    assert figures[0]["src"].endswith("wall-1024x683.jpg") and figures[0]["alt"] == "The harbour wall"
    assert figures[0]["caption"] == "Cracks in the north wall. Credit: Ann Photographer"
    assert figures[1]["src"] == "https://cdn.example/boat.jpg" and figures[1]["caption"] == "Not saved by the mirror."
    assert len(figures) == 2 and report["source_url"] == "https://www.paper.example/2024/03/wall/"


@pytest.mark.parametrize(
    ("relative", "body_class", "head", "reason"),
    [
        ("content/m/www.paper.example/tag/harbour/index.html", "archive tag tag-harbour", "", "tag listing"),
        (
            "content/m/www.paper.example/category/news/page/2/index.html",
            "archive category paged",
            "",
            "category listing",
        ),
        ("content/m/www.paper.example/author/ada/index.html", "", "", "author page"),
        ("content/m/www.paper.example/index.html", "", "", "home page"),
        ("content/m/www.paper.example/search.html", "search search-results", "", "search results"),
        ("content/x/list.html", "", json_ld({"@type": "CollectionPage", "name": "News"}), "CollectionPage page"),
    ],
)
def test_listing_pages_are_skipped_with_a_reason(
    write_site, relative: str, body_class: str, head: str, reason: str
) -> None:
    teasers = "".join(
        f"<article class='post'><h2><a href='/2024/03/story-{n}/'>Story {n}</a></h2><p>Teaser {n}.</p></article>"
        for n in range(5)
    )
    site = write_site({relative: page(teasers, head, body_class)})
    report = read(site, relative)
    assert report["skipped"] == f"not an article: {reason}" and report["title"] is None


def test_teaser_lists_without_other_signals_are_listings_but_articles_are_not(write_site) -> None:
    teasers = "".join(f"<article><h2><a href='/s{n}/'>Story {n}</a></h2><p>Teaser.</p></article>" for n in range(4))
    site = write_site(
        {
            "content/list.html": page(teasers, body_class=""),
            "content/story.html": page(f"<article>{PARAGRAPHS}</article>", body_class=""),
        }
    )
    assert read(site, "content/list.html")["skipped"] == "not an article: listing of articles"
    assert read(site, "content/story.html")["skipped"] is None


def test_feeds_saved_as_html_are_skipped(write_site) -> None:
    feed = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed</title></channel></rss>'
    assert (
        read(write_site({"content/feed/index.html": feed}), "content/feed/index.html")["skipped"]
        == "not an article: a feed"
    )


def test_wrong_charset_declaration_and_legacy_encodings_decode(tmp_path: Path, write_site) -> None:
    site = write_site({})
    text = page(f"<div class='entry-content'><p>Café society on the quay – “quoted” words.</p>{PARAGRAPHS}</div>")
    (site / "content/utf8-declared-latin1.html").write_bytes(
        text.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("utf-8")
    )
    (site / "content/cp1252-undeclared.html").write_bytes(text.replace('<meta charset="utf-8">', "").encode("cp1252"))
    for name in ("utf8-declared-latin1.html", "cp1252-undeclared.html"):
        report = read(site, f"content/{name}")
        assert "Café society on the quay – “quoted” words." in body_text(report), name


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary data"), (b"   \n", "empty")],
)
def test_binary_or_empty_files_named_html_are_warnings(write_site, data: bytes, message: str) -> None:
    site = write_site({})
    (site / "content/bad.html").write_bytes(data)
    report = read(site, "content/bad.html")
    assert report["title"] is None and any(message in warning for warning in report["warnings"])


def test_page_without_article_text_is_a_warning(write_site) -> None:
    report = read(write_site({"content/empty.html": page("<div class='entry-content'></div>")}), "content/empty.html")
    assert report["title"] is None and any("no article text" in w for w in report["warnings"])


def test_replytocom_copy_merges_into_the_article_with_the_union_of_comments(write_site) -> None:
    def capture(extra: str) -> str:
        comments = (
            '<ol class="comment-list"><li class="comment depth-1" id="comment-1">'
            '<div class="comment-author"><cite class="fn">Ann</cite></div>'
            f'<div class="comment-content"><p>First.</p></div></li>{extra}</ol>'
        )
        head = '<link rel="canonical" href="https://www.paper.example/2024/03/wall/">' + json_ld(ARTICLE_JSON_LD)
        return page(f"<div class='entry-content'>{PARAGRAPHS}</div><div id='comments'>{comments}</div>", head)

    later = (
        '<li class="comment depth-1" id="comment-2"><div class="comment-author"><cite class="fn">Ben</cite></div>'
        '<div class="comment-content"><p>Second.</p></div></li>'
    )
    folder = "content/mirror/www.paper.example/2024/03/wall"
    site = write_site(
        {
            f"{folder}/index.html": capture(""),
            f"{folder}/index.html?replytocom=1.html": capture(later),
            "site.toml": 'title = "T"\n',
        }
    )
    report = build_into(site)
    assert report.articles == 1 and report.merged_captures == 1
    html = next(site.glob("public/2024/03/*/index.html")).read_text()
    assert "First." in html and "Second." in html


def test_mirror_tree_builds_deterministically_without_reading_robots_txt(write_site, tmp_path: Path) -> None:
    site = write_site(
        {
            "content/mirror/www.paper.example/robots.txt": "User-agent: *\nDisallow:\n",
            "content/mirror/www.paper.example/2024/03/wall/index.html": page(
                f"<div class='entry-content'>{PARAGRAPHS}</div>", json_ld(ARTICLE_JSON_LD)
            ),
            "content/mirror/www.paper.example/tag/harbour/index.html": page("<p>x</p>", body_class="archive tag"),
            "site.toml": 'title = "T"\n',
        }
    )
    first = build_into(site, tmp_path / "one")
    build_into(site, tmp_path / "two")
    assert first.articles == 1 and not first.diagnostics and len(first.not_articles) == 1
    assert output_files(tmp_path / "one") == output_files(tmp_path / "two")


def test_a_rebuild_notices_a_mirrored_image_that_appears_later(write_site) -> None:
    host = "content/mirror/www.paper.example"
    figure = (
        '<figure><img src="../../../wp-content/uploads/wall.jpg" alt="The wall">'
        "<figcaption>The wall.</figcaption></figure>"
    )
    site = write_site(
        {
            f"{host}/2024/03/wall/index.html": page(
                f"<div class='entry-content'>{PARAGRAPHS}{figure}</div>", json_ld(ARTICLE_JSON_LD)
            ),
            "site.toml": 'title = "T"\n',
        }
    )
    build_into(site)
    article_page = next(site.glob("public/2024/03/*/index.html"))
    assert "media/" not in article_page.read_text()  # not saved by the mirror: a link to the original
    write_image(site / host / "wp-content/uploads/wall.jpg", 400)
    assert not build_into(site).diagnostics
    assert "media/" in article_page.read_text()


def test_inspect_on_a_mirror_folder_lists_the_pages_it_skips(write_site, capsys) -> None:
    from generator.commands.cli import main

    site = write_site(
        {
            "content/m/www.paper.example/2024/03/wall/index.html": page(
                f"<div class='entry-content'>{PARAGRAPHS}</div>", json_ld(ARTICLE_JSON_LD)
            ),
            "content/m/www.paper.example/tag/harbour/index.html": page("<p>x</p>", body_class="archive tag"),
        }
    )
    assert main(["inspect", "--site", str(site), str(site / "content/m")]) == 0
    out = capsys.readouterr().out
    assert "Harbour wall repairs begin" in out and "skipped:    not an article: tag listing" in out


def test_every_file_the_reader_looked_for_is_a_dependency_found_or_not(write_site) -> None:
    images = (
        '<figure><img src="here.jpg" alt="Here"></figure>'
        '<figure><img src="../wp-content/uploads/pier.jpg" '
        'srcset="../wp-content/uploads/pier-1200.jpg 1200w" alt="Pier"></figure>'
        '<figure><img src="https://cdn.example/far.jpg" alt="Far"></figure>'
    )
    body = f"<article><div class='entry-content'>{PARAGRAPHS}{images}</div></article>"
    site = write_site({"content/news.example/2024/harbour.html": page(body)})
    Image.new("RGB", (40, 30)).save(site / "content/news.example/2024/here.jpg")
    assert looked_for(site, "content/news.example/2024/harbour.html") == {
        "content/news.example/2024/harbour.toml": False,
        "content/news.example/2024/here.jpg": True,
        "content/news.example/wp-content/uploads/pier.jpg": False,
        "content/news.example/wp-content/uploads/pier-1200.jpg": False,
    }
