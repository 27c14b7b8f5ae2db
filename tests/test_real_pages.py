"""Failure classes seen on real saved pages, each on a reduction of a real page (see fixtures/real-pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO_PATH

from generator.commands.inspect import inspect_file
from generator.common.config import load

FIXTURES = REPO_PATH / "tests/fixtures/real-pages"


def read_mirrored(site: Path, fixture: str | Path, relative: str) -> dict:
    """The inspect report of *fixture* saved where a wget mirror puts it (``content/<host>/…``)."""
    (site / "site.toml").write_text('title = "T"\ntimezone = "UTC"\n')
    page = site / "content" / relative
    page.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / fixture, page)
    return inspect_file(page, load(site))


def text_of(report: dict) -> str:
    return "\n".join(block["text"] or block["caption"] or "" for block in report["blocks"])


def test_an_image_route_with_an_address_in_its_query_is_read_without_error(tmp_path) -> None:
    report = read_mirrored(tmp_path, "nextjs-image-route.html", "aaft.edu.in/blog/basics/index.html")
    assert report["reader"] == "html"
    assert "Every event begins with a purpose." in text_of(report)
    figures = [b for b in report["blocks"] if b["type"] == "figure"]
    assert figures and figures[0]["src"].startswith("https://aaft.edu.in/_next/image?url=")


def test_a_page_wrapped_in_one_form_keeps_its_article(tmp_path) -> None:
    report = read_mirrored(tmp_path, "aspnet-form-wrapper.html", "www.drainblasterbill.com/About/Blog/pipes/index.html")
    text = text_of(report)
    assert report["reader"] == "html", report["warnings"]
    assert "Most water supply lines contain PEX piping." in text
    assert "Recent Posts" not in text and "__VIEWSTATE" not in text


def test_page_builder_text_widgets_are_article_text_not_furniture(tmp_path) -> None:
    report = read_mirrored(tmp_path, "page-builder-widgets.html", "eatgreenswithdrblack.com/plant-based/index.html")
    text = text_of(report)
    assert report["reader"] == "html", report["warnings"]
    assert "A plant-based diet isn’t just about cutting out meat" in text
    assert "Meatless Mondays" in text


def test_a_declared_charset_with_a_few_broken_bytes_wins_over_detection(tmp_path) -> None:
    report = read_mirrored(tmp_path, "utf8-few-broken-bytes.html", "tech.gmw.cn/2017-03/10/content_1.htm")
    assert report["title"] == "宇航员在太空中喝酒会怎么样？后果很严重"
    text = text_of(report)
    assert "翱翔于距地球数千公里的太空中" in text and "不幸的是" in text
    assert any("2 byte(s) not valid utf-8 as declared; replaced" in w for w in report["warnings"]), report["warnings"]


def test_detection_is_not_asked_when_the_declared_charset_reads_all_but_a_handful_of_bytes(monkeypatch) -> None:
    from generator.readers.html import decode as html_decode

    def no_guessing(data: bytes) -> tuple[str, str]:
        raise AssertionError("detection consulted")

    monkeypatch.setattr(html_decode, "decode_by_detection", no_guessing)
    text, warnings = html_decode.decode_page((FIXTURES / "utf8-few-broken-bytes.html").read_bytes(), "page.html")
    assert text is not None and "不幸的是" in text and text.count("\ufffd") == 2
    assert [w.message for w in warnings] == ["2 byte(s) not valid utf-8 as declared; replaced"]


def test_windows_1252_bytes_behind_a_utf8_declaration_are_still_read_as_windows_1252() -> None:
    from generator.readers.html.decode import decode_page

    page = '<meta charset="utf-8"><p>Tickets cost £5 at the door, £3 for members.</p>'.encode("cp1252")
    text, _ = decode_page(page, "page.html")
    assert text is not None and "£5" in text and "£3" in text


def test_a_content_class_on_a_related_teaser_does_not_replace_the_article(tmp_path) -> None:
    report = read_mirrored(tmp_path, "known-class-on-a-teaser.html", "podenergy.com/guides/choosing-an-ev/index.html")
    text = text_of(report)
    assert "the future of transport will be electric" in text
    assert "A battery electric vehicle or BEV is 100% powered by a battery" in text
    assert "Do Electric Cars Have Gears?" not in text


def test_a_body_written_as_lines_with_br_is_found_without_the_menu_and_copyright(tmp_path) -> None:
    report = read_mirrored(tmp_path, "br-lines-body.html", "gazette.example/news/harbour-wall.html")
    text = text_of(report)
    assert "Boat owners have been asked to moor on the eastern side" in text
    assert "Copyright 2004" not in text and "Sport" not in text


def test_a_grid_of_product_cards_with_no_running_text_is_not_an_article(tmp_path) -> None:
    report = read_mirrored(tmp_path, "collection-cards.html", "www.runningwarehouse.com/catpage-watches/index.html")
    assert report["reader"] is None
    assert report["skipped"] == "not an article: listing of products"


def test_an_article_around_the_same_grid_is_still_an_article(tmp_path) -> None:
    report = read_mirrored(tmp_path, "article-with-product-grid.html", "www.runningwarehouse.com/learn/gps/index.html")
    assert report["reader"] == "html"
    assert "We tested the watches below on road and trail" in text_of(report)


def test_a_shop_grid_with_a_price_on_every_card_is_not_an_article_despite_text_below_it(tmp_path) -> None:
    cards = (FIXTURES / "collection-cards.html").read_text(encoding="utf-8")
    below = (FIXTURES / "shop-seo-text.html").read_text(encoding="utf-8")
    (tmp_path / "shop.html").write_text(cards.replace("</main>", below + "</main>"), encoding="utf-8")
    report = read_mirrored(tmp_path, tmp_path / "shop.html", "www.runningwarehouse.com/catpage-watches/index.html")
    assert report["reader"] is None
    assert report["skipped"] == "not an article: listing of products"


def test_a_section_front_of_linked_headlines_with_summaries_is_not_an_article(tmp_path) -> None:
    relative = "www.newsbreak.com/trending/top/online-learning-programs/index.html"
    report = read_mirrored(tmp_path, "section-front-teasers.html", relative)
    assert report["reader"] is None
    assert report["skipped"] == "not an article: listing of articles"


def test_a_forum_thread_whose_posts_repeat_the_topic_as_a_linked_heading_is_read(tmp_path) -> None:
    relative = "forums.virtualbox.org/viewtopic.php?t=112320.html"
    report = read_mirrored(tmp_path, "forum-thread-reply-headings.html", relative)
    assert report["reader"] == "html", report["skipped"]


def test_an_article_with_recommended_posts_beside_it_is_still_an_article(tmp_path) -> None:
    relative = "www.datafeedwatch.com/academy/product-feed-specification/index.html"
    report = read_mirrored(tmp_path, "article-with-recommended-posts.html", relative)
    assert report["reader"] == "html", report["skipped"]
    assert "Shopping channels have product feed specifications" in text_of(report)


SHOP_PAGE = """<!DOCTYPE html><html><head><title>Socks</title>{head}</head><body><main><h1>Socks</h1>
<p>Our socks are knitted from merino wool in a small mill, so they keep feet warm in winter and dry in summer,
and they are cushioned where a foot needs it most. Every pair comes with a promise: if one wears through, we
replace it.</p></main></body></html>"""


@pytest.mark.parametrize(
    ("head", "relative", "reason"),
    [
        (
            '<meta property="og:type" content="product.group">',
            "shop.example.com/socks/index.html",
            "product.group page",
        ),
        ('<meta property="og:type" content="product">', "shop.example.com/socks/index.html", "product page"),
        (  # SEO plugins say og:type "article" of every page; the page's JSON-LD names it a collection
            '<meta property="og:type" content="article"><script type="application/ld+json">'
            '{"@context": "https://schema.org", "@type": "CollectionPage", "name": "Socks"}</script>',
            "shop.example.com/socks/index.html",
            "CollectionPage page",
        ),
        ("", "www.example.com/news/index.html", "section front"),
        ("", "shop.example.com/collections/socks/index.html", "shop category"),
        ("", "www.example.com/eu/en-bg/c/fire-pits/index.html", "shop category"),
        ("", "www.example.com/blog/products/socks-we-knit/index.html", None),
        ('<meta property="og:type" content="article">', "www.example.com/about/in-the-news/index.html", None),
        (  # an og:url with its path escaped into the host: the page's own address says where it is
            '<meta property="og:url" content="https://blog.example.fr%2Farticles%2F2025-12-15%2Bsocks">',
            "blog.example.fr/articles/2025-12-15+socks/index.html",
            None,
        ),
    ],
)
def test_what_a_page_declares_about_itself_decides_before_its_structure(tmp_path, head, relative, reason) -> None:
    (tmp_path / "site.toml").write_text('title = "T"\ntimezone = "UTC"\n')
    page = tmp_path / "content" / relative
    page.parent.mkdir(parents=True)
    page.write_text(SHOP_PAGE.format(head=head), encoding="utf-8")
    report = inspect_file(page, load(tmp_path))
    assert report["skipped"] == (reason and f"not an article: {reason}")


def test_the_article_is_found_above_an_faq_that_sums_it_up(tmp_path) -> None:
    relative = (
        "www.fullstack.com/labs/resources/blog/software-development-price-guide-hourly-rate-comparison/index.html"
    )
    text = text_of(read_mirrored(tmp_path, "article-above-faq.html", relative))
    assert "Or maybe you should take the “safe” route" in text
    assert "AI-powered tools are assisting developers" in text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (SHOP_PAGE.split("<main>")[1], None),  # a post of running text: the theme's "blog" class is on every page
        ("".join(f'<article><h2><a href="/p/{n}">Post number {n}</a></h2></article>' for n in range(4)), "blog index"),
    ],
)
def test_a_blog_body_class_needs_teasers_rather_than_prose(tmp_path, body, reason) -> None:
    (tmp_path / "site.toml").write_text('title = "T"\ntimezone = "UTC"\n')
    page = tmp_path / "content" / "www.example.com/blog/homeowners/socks/index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<html><head><title>Socks</title></head><body class="blog">{body}</body></html>')
    assert inspect_file(page, load(tmp_path))["skipped"] == (reason and f"not an article: {reason}")


def test_an_article_a_site_builder_put_in_a_header_tag_is_not_taken_for_the_page_header(tmp_path) -> None:
    relative = "www.reithandassociates.com/blog/financial-planning-for-the-future-you/index.html"
    text = text_of(read_mirrored(tmp_path, "article-in-a-header-tag.html", relative))
    assert "In today's fast-paced world" in text
    assert "Mutual funds offer diversification and professional management" in text


def test_a_page_builder_widget_holding_one_short_paragraph_is_article_text(tmp_path) -> None:
    relative = "insight2wealth.com/blog/financial-tips-for-millennials/index.html"
    text = text_of(read_mirrored(tmp_path, "page-builder-short-text-widgets.html", relative))
    assert "Millennials face a financial landscape" in text
    assert "A well-crafted budget is the foundation of financial health." in text


def test_an_article_whose_table_is_most_of_its_text_keeps_the_table(tmp_path) -> None:
    relative = "www.scps.virginia.edu/whats-difference-between-certificate-and-certification/index.html"
    report = read_mirrored(tmp_path, "article-with-a-table.html", relative)
    assert "Earning a certificate is a way" in text_of(report)
    tables = [b for b in report["blocks"] if b["type"] == "table"]
    assert tables and "Indicates completion of a course" in str(tables[0])


def test_a_code_block_keeps_the_comments_its_highlighter_marked(tmp_path) -> None:
    relative = "www.coryd.dev/posts/2021/a-brief-intro-to-git/index.html"
    text = text_of(read_mirrored(tmp_path, "code-block-with-highlighted-comments.html", relative))
    assert "# this will stage all of your modified and/or untracked files for commit\ngit add -A" in text


def test_a_dated_and_signed_page_of_short_posts_is_not_a_listing(tmp_path) -> None:
    posts = "".join(
        f'<article class="message"><h3><a href="/threads/desktop-freebsd.91732/post-{n}">Reply number {n} in the'
        f" thread</a></h3><p>Short reply {n}.</p></article>"
        for n in range(5)
    )
    head = '<meta property="article:published_time" content="2024-01-02T10:00:00Z">' + (
        '<meta name="author" content="Mark Ellis">'
    )
    (tmp_path / "site.toml").write_text('title = "T"\ntimezone = "UTC"\n')
    page = tmp_path / "content" / "forums.example.org/threads/desktop-freebsd.91732/index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        f"<html><head><title>2024, the year of desktop FreeBSD?</title>{head}</head><body>{posts}</body></html>"
    )
    report = inspect_file(page, load(tmp_path))
    assert report["skipped"] is None and "Short reply 0." in text_of(report)


def test_drupal_comments_listed_in_a_views_rows_are_read_with_author_date_and_text(tmp_path) -> None:
    report = read_mirrored(
        tmp_path, "drupal-comment-view-rows.html", "www.almanac.com/how-we-keep-pests-out-garden.html"
    )
    comments = report["comments"]
    assert [c["author"] for c in comments] == ["Dianna Caldwell", "Jawna"]  # not "<span>Dianna Caldwell</span>"
    assert comments[0]["text"].startswith("Good morning,")
    assert comments[0]["date"].startswith("2023-08-03")
    assert "Good morning" not in text_of(report)


def flat(comments: list[dict], depth: int = 0) -> list[tuple[int, dict]]:
    return [item for c in comments for item in [(depth, c), *flat(c.get("replies", []), depth + 1)]]


def test_comments_with_the_name_in_a_bare_heading_keep_author_date_and_text(tmp_path) -> None:
    report = read_mirrored(tmp_path, "comments-unlabelled-author.html", "www.btod.com/blog/converters/index.html")
    found = [(d, c["author"], (c["date"] or "")[:10], c["text"][:20]) for d, c in flat(report["comments"])]
    assert found == [  # threads oldest first
        (0, "An", "2020-07-29", "Have you ever tested"),
        (1, "Greg Knighton", "2020-08-12", "I’m sorry, we have n"),
        (0, "Jeffrey G", "2021-11-22", "Hi Ryan,\n\nI just wan"),
    ]


def test_a_comment_author_loses_the_reply_link_and_the_says_word_beside_it(write_site) -> None:
    comment = """<li class="comment depth-1" id="comment-{n}"><div class="comment-author"><cite><strong>{name}</strong>
    {says}</cite> <a class="comment-reply-link" href="#comment-{n}">{reply}</a></div>
    <div class="comment-content"><p>Comment number {n} on the harbour wall story.</p></div></li>"""
    thread = "".join(
        comment.format(n=n, name=name, says=says, reply=reply)
        for n, (name, says, reply) in enumerate([("Ana Ruiz", "dijo:", "Responder"), ("Jo Bell", "says:", "Reply"),
                                                  ("Uwe Ohm", "sagt:", "Antworten")], start=1)
    )  # fmt: skip
    page = f"""<html><head><title>Harbour wall</title></head><body class="single single-post"><article>
    <div class="entry-content"><p>{"The harbour wall repairs begin this week after a winter of storms. " * 3}</p></div>
    </article><ol class="commentlist">{thread}</ol></body></html>"""
    site = write_site({"site.toml": 'title = "T"\n', "content/story.html": page})
    report = inspect_file(site / "content/story.html", load(site))
    assert [c["author"] for c in report["comments"]] == ["Ana Ruiz", "Jo Bell", "Uwe Ohm"]


def test_titles_lose_escaped_entities_and_the_site_name_after_a_separator(write_site) -> None:
    text = "Moving across the country takes planning. " * 5
    body = f"<article><div class='entry-content'><p>{text}</p></div></article>"
    pages = {
        "content/movers.html": """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
            "@type": "Article", "headline": "Best Long-Distance &#038; Cross-Country Movers 2026"}</script></head>
            <body class="single">BODY</body></html>""",
        "content/deals.html": """<html><head><meta property="og:title"
            content="Black Friday 2025 cybersecurity deals to explore - Help Net Security" />
            <meta property="og:site_name" content="Help Net Security" /></head>
            <body class="single">BODY</body></html>""",
    }
    site = write_site({"site.toml": 'title = "T"\n', **{k: v.replace("BODY", body) for k, v in pages.items()}})
    config = load(site)
    titles = [inspect_file(site / name, config)["title"] for name in pages]
    assert titles == [
        "Best Long-Distance & Cross-Country Movers 2026",
        "Black Friday 2025 cybersecurity deals to explore",
    ]


def test_a_byline_label_alone_is_not_an_author(write_site) -> None:
    page = """<html><head><meta name="author" content="By"><title>Harbour wall</title></head><body class="single">
    <article><div class="entry-content"><p>{}</p></div></article></body></html>""".format("The wall is mended. " * 10)
    site = write_site({"site.toml": 'title = "T"\n', "content/story.html": page})
    assert inspect_file(site / "content/story.html", load(site))["authors"] == []


def test_a_post_whose_site_builder_puts_blog_on_every_page_is_an_article(tmp_path) -> None:
    report = read_mirrored(tmp_path, "blog-class-on-a-post.html", "www.atlasvanlines.com/blog/packing-tips/index.html")
    assert report["reader"] == "html", report["skipped"]
    assert "Not everything comes with you when you move" in text_of(report)


def test_an_about_the_author_box_after_the_story_is_left_out(tmp_path) -> None:
    report = read_mirrored(tmp_path, "author-box-after-story.html", "www.cnx-software.com/2025/12/20/usb/index.html")
    text = text_of(report)
    assert "adds four USB 3.0 ports" in text
    assert "Jean-Luc started CNX Software in 2010" not in text


def test_a_comment_whose_text_no_class_marks_keeps_its_text(tmp_path) -> None:
    report = read_mirrored(tmp_path, "comment-body-unmarked.html", "www.learningrevolution.net/platforms/index.html")
    [(_, comment)] = flat(report["comments"])
    assert comment["author"] == "Jess Jones" and comment["date"].startswith("2022-11-15")
    assert comment["text"].startswith("Great list! I’m kind of surprised")
    assert "Jess Jones" not in comment["text"] and "November 15, 2022" not in comment["text"]


def test_a_comment_in_schema_org_microdata_keeps_author_date_and_text(tmp_path) -> None:
    report = read_mirrored(tmp_path, "comment-microdata.html", "askubuntu.com/questions/backup/index.html")
    [(_, comment)] = flat(report["comments"])
    assert comment["author"] == "Decio Lira" and comment["date"].startswith("2010-10-17")
    assert comment["text"].startswith("you may want to take a look at this question for backup tools")


def test_content_a_streaming_react_page_parks_in_a_hidden_segment_is_read(tmp_path) -> None:
    report = read_mirrored(tmp_path, "react-streamed-content.html", "recharged.com/articles/full-ev/index.html")
    assert report["reader"] == "html", report["warnings"]
    text = text_of(report)
    assert "Automakers and regulators usually use the term battery electric vehicle" in text
    assert "Loading…" not in text and "All rights reserved" not in text


@pytest.mark.parametrize(
    ("fixture", "relative", "kept", "left_out"),
    [
        (
            "story-then-appeals-inside-its-container.html",
            "hechingerreport.org/proof-points-tutoring-effectiveness/index.html",
            ("Rigorous research rarely shows", "This story about tutoring effectiveness was written by Jill Barshay"),
            ("Since you made it to the bottom of this article", "More Proof Points", "Republish our articles"),
        ),
        (
            "call-to-action-boxes-in-the-story.html",
            "quietlight.com/how-to-find-the-right-software-business-for-sale/index.html",
            ("Thorough documentation is important for several reasons.", "Of course, your budget is another"),
            ("Thinking of Selling Your Business?", "Claim Your Free Valuation", "Buy a Profitable Online Business"),
        ),
        (
            "sign-up-boxes-in-the-story.html",
            "mashable.com/article/dec-19-apple-macbook-pro-i5/index.html",
            ("You can’t do much better than a MacBook Pro.", "Act fast to get a MacBook Pro"),
            ("texted right to your phone", "By signing up, you agree", "Sign Me Up"),
        ),
        (
            "link-lists-in-the-story.html",
            "almosttimely.substack.com/p/almost-timely-news-using-ai-for-analytics/index.html",
            ("In all the hubbub about generative AI", "What we did today is slightly more advanced"),
            ("So What? Analyzing your YouTube data", "You Ask, I Answer: AI Ethics for Marketers?"),
        ),
    ],
)
def test_boxes_inside_the_story_container_that_are_not_the_story_are_left_out(
    tmp_path, fixture, relative, kept, left_out
) -> None:
    """Appeals and teasers after the story's last line; calls to action, sign-up forms and lists of bare links
    between its paragraphs."""
    report = read_mirrored(tmp_path, fixture, relative)
    text = text_of(report)
    assert report["reader"] == "html", report["warnings"]
    assert all(line in text for line in kept)
    assert not [line for line in left_out if line in text]


def test_a_list_put_straight_into_a_list_keeps_its_items(tmp_path) -> None:
    report = read_mirrored(
        tmp_path, "list-inside-a-list.html", "www.tastifyfood.com/blog/top-corporate-catering-trends/index.html"
    )
    lists = [block["text"] for block in report["blocks"] if block["type"] == "list"]
    assert len(lists) == 2, lists
    assert "Pasta Station" in lists[0] and "Wood-Fired Pizzas" in lists[0]
    assert "Guacamole and Salsa Bar" in lists[1] and "Churro Station" in lists[1]


@pytest.mark.parametrize(
    ("fixture", "relative", "opening", "poster", "replies", "first_reply_date", "not_in_body"),
    [
        (
            "forum-thread-xenforo.html",
            "www.usingenglish.com/forum/threads/car-rental-or-car-rent.115684/index.html",
            "Hello, my name is Tomas and I come from the Czech Republic.",
            "tomashusner@hotmail.com",
            ["ratóncolorao", "bhaisahab"],
            "2010-02-20T15:47:46Z",
            ("Neither a teacher nor a native", "Not open for further replies"),
        ),
        (
            "forum-thread-phpbb.html",
            "forums.raspberrypi.com/viewtopic.php?t=361697.html",
            "Hi, I just got my new RPi 5",
            "b.scherer",
            ["jahboater", "sgbeal"],
            "2023-12-27T10:00:00Z",
            ("This works on the Pi5", "Joined:"),
        ),
        (
            "forum-thread-phpbb-3-0.html",
            "forum.nationstates.net/viewtopic.php?f=20&t=487157.html",
            "The 2025-26 season is one of the wildest in football history.",
            "Outer Armatonisdaristan",
            ["The BlAAtschApen", "Minoa"],
            "2019-08-27T04:08:00Z",
            ("Dutch eredivisie fixtures",),
        ),
        (
            "forum-thread-vbulletin.html",
            "www.webhostingtalk.com/showthread.php?t=1930933.html",
            "Hello What do you pay attention to if you are going to buy a web hosting service?",
            "HOSTLAR",
            ["1Ali", "fullarton"],
            "2024-11-29T13:50:00Z",
            ("Confidence that the chosen supplier", "Join Date"),
        ),
        (
            "forum-thread-invision.html",
            "linustechtips.com/topic/1571202-editing-pc-build-may-2024/index.html",
            "Hi guys, long time watcher, new forum member.",
            "Mr_Enigmatic",
            ["Mr_Enigmatic", "Electronics Wizardy"],
            "2024-05-22T19:28:40Z",
            ("leaning towards likely upgrading",),
        ),
        (
            "forum-thread-discourse-noscript.html",
            "community.openai.com/t/4o-update-2024-09-05-broken/931828/index.html",
            "We’re on Teams and whatever version was released last night or today is broken.",
            "DaleJack",
            ["DaleJack"],
            "2024-09-05T23:26:42Z",
            ("I asked our GPT if anyone else was having the issue.",),
        ),
    ],
)
def test_a_forum_threads_opening_post_is_the_article_and_later_posts_its_comments(
    tmp_path, fixture, relative, opening, poster, replies, first_reply_date, not_in_body
) -> None:
    report = read_mirrored(tmp_path, fixture, relative)
    text = text_of(report)
    assert report["reader"] == "html", report["warnings"]
    assert opening in text and not [words for words in not_in_body if words in text]
    assert report["authors"] == [poster]
    assert [comment["author"] for comment in report["comments"]] == replies
    assert all(comment["text"].strip() and not comment["replies"] for comment in report["comments"])
    assert report["comments"][0]["date"] == first_reply_date


def test_a_forum_thread_of_short_posts_under_linked_names_is_neither_a_tag_page_nor_a_listing(tmp_path) -> None:
    """/topic/NUMBER-title/ is a thread, and posts headed by their poster's linked name are not teasers."""
    relative = "forum.kerbalspaceprogram.com/topic/225132-if-the-forum-comes-to-an-end-soon/index.html"
    report = read_mirrored(tmp_path, "forum-thread-short-posts-with-linked-names.html", relative)
    assert report["reader"] == "html", report["skipped"]
    assert [comment["author"] for comment in report["comments"]] == [
        "Ultimate Steve",
        "BA-Forums",
        "Lisias",
        "Caerfinon",
    ]


def test_a_catalogue_whose_grid_a_script_drew_is_told_by_its_sort_and_filter_controls(tmp_path) -> None:
    relative = "www.cuisinart.com/shopping/appliances/bread-makers/index.html"
    report = read_mirrored(tmp_path, "catalogue-controls-without-grid.html", relative)
    assert report["reader"] is None
    assert report["skipped"] == "not an article: catalogue with sort and filter controls"


def test_an_article_that_says_sort_by_once_is_still_an_article(tmp_path) -> None:
    paragraph = (
        "<p>" + "The allotment committee met on Tuesday to sort out the waiting list for new plots. " * 4 + "</p>"
    )
    page = f"<html><head><title>Plots</title></head><body><main><h1>Plots</h1>{paragraph * 3}<p>Sort by</p></main>"
    (tmp_path / "plots.html").write_text(page + "</body></html>", encoding="utf-8")
    report = read_mirrored(tmp_path, tmp_path / "plots.html", "gazette.example/news/plots/index.html")
    assert report["reader"] == "html", report["skipped"]


def test_trimming_after_the_story_never_takes_most_of_the_container() -> None:
    """The extractor's text ending early means it lost the story, not that the rest is a bio or a teaser grid."""
    from lxml import html as lxml_html

    from generator.readers.html.body import Extracted, _letters, _trim_after_the_story

    opening = "The council approved the harbour wall repairs on Tuesday evening."
    rest = "Work starts in May and the road along the quay closes for two weeks. " * 12
    extracted = Extracted(frozenset({opening.casefold()}), _letters(opening))
    short_box = lxml_html.fromstring(f"<div><p>{opening}</p><div>Share this story with your friends</div></div>")
    _trim_after_the_story(short_box, extracted)
    assert "Share this story" not in short_box.text_content()
    long_box = lxml_html.fromstring(f"<div><p>{opening}</p><div><span>{rest}</span></div></div>")
    _trim_after_the_story(long_box, extracted)
    assert "road along the quay" in long_box.text_content()


def test_a_call_to_action_repeated_under_each_item_is_left_out(tmp_path) -> None:
    relative = "www.aaa.com/tripcanvas/article/best-us-vacation-packages-CM945/index.html"
    report = read_mirrored(tmp_path, "repeated-call-to-action-links.html", relative)
    text = text_of(report)
    assert report["reader"] == "html", report["skipped"]
    assert "Book now" not in text
    assert "Hawaiian Adventure" in text and "complete the night with a traditional Polynesian luau" in text


def test_a_link_alone_in_its_block_once_is_kept() -> None:
    """A listicle names each item once in a linked line of its own: not a button, even when the extractor drops it."""
    from lxml import html as lxml_html

    from generator.readers.html.body import Extracted, _letters, _remove_lone_buttons

    story = "The multimeter reads voltage, current and resistance and survives a drop from a ladder."
    container = lxml_html.fromstring(
        f'<div><p><strong><a href="/fluke-117">Fluke 117</a></strong></p><p>{story}</p>'
        f'<p><a href="/buy/1">Check price</a></p><p><a href="/klein">Klein Tools 11061</a></p><p>{story}</p>'
        f'<p><a href="/buy/2">Check price</a></p></div>'
    )
    _remove_lone_buttons(container, Extracted(frozenset({story.casefold()}), _letters(story)))
    text = container.text_content()
    assert "Fluke 117" in text and "Klein Tools 11061" in text
    assert "Check price" not in text


def test_an_image_floated_in_a_paragraph_is_a_figure_before_it(tmp_path) -> None:
    relative = "www.grimdarkmagazine.com/best-of-2025/index.html"
    report = read_mirrored(tmp_path, "image-floated-in-a-paragraph.html", relative)
    blocks = report["blocks"]
    opening = next(i for i, b in enumerate(blocks) if (b["text"] or "").startswith("Wildly ambitious"))
    assert blocks[opening - 1]["type"] == "figure"
    assert blocks[opening - 1]["alt"] == "The Strength of the Few Cover"
    assert not any("Cover" in (b["text"] or "") for b in blocks if b["type"] == "paragraph")


def test_an_emoji_drawn_as_an_image_stays_in_its_sentence(tmp_path) -> None:
    paragraph = "<p>The harbour festival drew the biggest crowd in years and the weather held all day long. " * 3
    smile = '<img class="emoji" alt="😀" src="https://s.w.org/images/core/emoji/smile.svg">'
    emoji = f"<p>We loved it {smile} and so did the children.</p>"
    page = f"<html><head><title>Festival</title></head><body><main><h1>Festival</h1>{paragraph}</p>{emoji}</main>"
    (tmp_path / "festival.html").write_text(page + "</body></html>", encoding="utf-8")
    report = read_mirrored(tmp_path, tmp_path / "festival.html", "gazette.example/news/festival/index.html")
    assert report["reader"] == "html", report["skipped"]
    assert not any(b["type"] == "figure" for b in report["blocks"])
    assert any("We loved it" in (b["text"] or "") and "children" in (b["text"] or "") for b in report["blocks"])


def test_a_listicle_whose_items_are_sections_is_read_as_sections(tmp_path) -> None:
    relative = "www.topgear.com/car-news/electric/top-gears-top-20-electric-cars/index.html"
    report = read_mirrored(tmp_path, "listicle-items-as-sections.html", relative)
    blocks = report["blocks"]
    kinds = {(b["type"], b["text"] or b["alt"]) for b in blocks}
    assert ("heading", "Kia PV5") in kinds and ("figure", "Kia PV5") in kinds
    assert any(b["type"] == "paragraph" and (b["text"] or "").startswith("This is another") for b in blocks)
    assert not any("Kia PV5 Kia PV5" in (b["text"] or "") for b in blocks)


def test_list_items_wrapped_in_divs_are_kept(tmp_path) -> None:
    relative = "www.aaa.com/tripcanvas/article/best-us-vacation-packages-CM945/index.html"
    report = read_mirrored(tmp_path, "list-items-in-wrappers.html", relative)
    lists = [b["text"] for b in report["blocks"] if b["type"] == "list"]
    assert len(lists) == 1, report["blocks"]
    assert "Itinerary Highlights" in lists[0] and "Included Services" in lists[0]


def test_an_intro_paragraph_set_above_the_body_opens_the_article(tmp_path) -> None:
    relative = "www.yeti.co/blog/have-an-app-idea/index.html"
    report = read_mirrored(tmp_path, "intro-paragraph-above-the-body.html", relative)
    paragraphs = [b["text"] for b in report["blocks"] if b["type"] == "paragraph"]
    assert report["reader"] == "html", report["skipped"]
    assert paragraphs[0].startswith("If you're a small business owner with a great idea for an app")
    assert paragraphs[1].startswith("Custom software development has historically been expensive")
    assert sum("great idea for an app" in p for p in paragraphs) == 1


def test_an_offer_box_of_short_labels_is_left_out(tmp_path) -> None:
    relative = "www.mysubscriptionaddiction.com/best-clothing-subscription-boxes/index.html"
    report = read_mirrored(tmp_path, "offer-boxes-of-short-lines.html", relative)
    text = text_of(report)
    assert report["reader"] == "html", report["skipped"]
    assert "Starting at" not in text and "Try Stitch Fix" not in text and "Try Rent the Runway" not in text
    assert "Stitch Fix made it to the top of our list" in text
    assert "Clothing is very affordable" in text  # the pros, a list of three, stay
