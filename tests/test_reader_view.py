"""What a reader sees around an article: provenance, citations, navigation, related articles, tag spellings."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from conftest import TESTS_PATH, article, build_into
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls
from generator.model import Article, Pager
from generator.render.citation import wayback_url
from generator.site.related import Work, related_articles
from generator.site.taxonomy import collect_terms

URLS = SiteUrls.of(SiteConfig())

ORIGINAL = "https://harbour-light.example/2024/03/ferry-timetable/"
SITE = 'title = "Test Archive"\ntimezone = "Europe/London"\nper_page = 2\n'


def ferry(body: str = "The ferry runs later.", **extra: object) -> str:
    front = {"published": "2024-03-04T09:00:00Z", "captured": "2024-03-05T14:30:00Z", "source": "Harbour Light",
             "source_url": ORIGINAL, "authors": ["Ada Lovelace", "Mary Seacole"], "tags": ["Ferries"]}  # fmt: skip
    return article("Ferry <Timetable> Changes", body, **{**front, **extra})


def test_provenance_names_the_original_the_capture_time_with_its_zone_and_the_wayback_copy(write_site, tmp_path):
    site = write_site({"site.toml": SITE, "content/ferry.md": ferry()})
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/03/ferry/index.html").read_text()
    provenance = page[page.index('class="provenance"') : page.index("</section>", page.index('class="provenance"'))]
    text = " ".join(re.sub(r"<[^>]+>", "", html.unescape(provenance)).split())
    assert f"Archived copy of {ORIGINAL} from Harbour Light, captured 5 March 2024, 14:30 GMT." in text
    assert f'href="https://web.archive.org/web/20240305143000/{ORIGINAL}"' in provenance
    assert f'href="{ORIGINAL}"' in provenance


def test_wayback_links_can_be_turned_off(write_site, tmp_path):
    site = write_site({"site.toml": SITE + "[links]\nwayback = false\n", "content/ferry.md": ferry()})
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/03/ferry/index.html").read_text()
    assert "Archived copy of" in page and "web.archive.org" not in page


def test_wayback_timestamps_are_utc():
    captured = datetime(2024, 7, 1, 9, 5, 7, tzinfo=UTC).astimezone()
    expected = "https://web.archive.org/web/20240701090507/https://a.example/x"
    assert wayback_url("https://a.example/x", captured) == expected


def test_merged_captures_say_how_often_and_between_when(write_site, tmp_path):
    later = ferry(captured="2024-06-01T08:00:00Z")
    site = write_site({"site.toml": SITE, "content/ferry.md": ferry(), "content/again/ferry.md": later})
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/03/ferry/index.html").read_text()
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Captured 2 times between 5 March 2024, 14:30 GMT and 1 June 2024, 09:00 BST." in text


def test_cite_this_page_and_citation_meta_tags(write_site, tmp_path):
    site = write_site({"site.toml": SITE + 'base_url = "https://archive.example/news"\n', "content/ferry.md": ferry()})
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/03/ferry/index.html").read_text()
    assert '<meta name="citation_title" content="Ferry &lt;Timetable&gt; Changes">' in page
    assert page.count('<meta name="citation_author"') == 2
    assert '<meta name="citation_publication_date" content="2024/03/04">' in page
    assert f'<meta name="citation_public_url" content="{ORIGINAL}">' in page
    cite = html.unescape(page[page.index('<details class="cite">') : page.index("</details>")])
    assert "<summary>Cite this page</summary>" in cite
    archived = "https://archive.example/news/2024/03/ferry/"
    apa = f"Lovelace, A., & Seacole, M. (2024, March 4). Ferry <Timetable> Changes. Harbour Light. {ORIGINAL}"
    assert f"{apa} (archived copy: {archived})" in cite
    assert "Lovelace, Ada, and Mary Seacole. “Ferry <Timetable> Changes.” Harbour Light, 4 Mar. 2024" in cite
    assert "Harbour Light, March 4, 2024." in cite
    assert "urldate = {2024-03-05}" in cite and "author = {Ada Lovelace and Mary Seacole}" in cite
    csl = json.loads(re.search(r"<dt>CSL-JSON</dt><dd><pre><code>(.*?)</code>", cite, re.S).group(1))
    assert csl[0]["issued"] == {"date-parts": [[2024, 3, 4]]} and csl[0]["archive_location"] == archived
    assert "<Timetable>" not in page  # everything from the capture stays escaped


def pager(number: int, total: int) -> Pager:
    return Pager(number, (), tuple(f"p{n}" for n in range(1, total + 1)))


@given(st.integers(1, 300).flatmap(lambda total: st.tuples(st.integers(1, total), st.just(total))))
def test_pagination_window_is_correct_and_every_page_is_reachable(case):
    number, total = case
    window = pager(number, total).window()
    numbers = [n for n in window if n is not None]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1 and numbers[-1] == total
    assert set(range(max(1, number - 2), min(total, number + 2) + 1)) <= set(numbers)
    assert len(window) <= 9  # first, last, five around the current page, two gaps
    for before, after in pairwise(window):
        assert before is not None or after is not None
        if before is not None and after is not None:
            assert after == before + 1
    for index, item in enumerate(window):
        if item is None:
            assert window[index + 1] - window[index - 1] >= 3  # a gap hides at least two pages
    reached, todo = {1}, [1]  # follow the numbered links from page 1
    while todo:
        for linked in pager(todo.pop(), total).window():
            if linked is not None and linked not in reached:
                reached.add(linked)
                todo.append(linked)
    assert reached == set(range(1, total + 1))


def test_numbered_pagination_is_rendered_accessibly(write_site, tmp_path):
    files = {f"content/a{i}.md": article(f"Story {i}", published=f"2024-01-{i + 1:02d}") for i in range(12)}
    site = write_site({"site.toml": SITE, **files})
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/page/4/index.html").read_text()
    start = page.index('<nav class="pagination" aria-label="Pages">')
    nav = page[start : page.index("</nav>", start)]
    assert '<a href="index.html" aria-current="page"><span class="visually-hidden">Page </span>4</a>' in nav
    labels = re.findall(r"</span>(\d+)</a>", nav)
    assert labels == ["1", "2", "3", "4", "5", "6"]
    assert 'href="../../index.html"' in nav and 'href="../6/index.html"' in nav


def make(number: int, tags: tuple[str, ...]) -> Article:
    return Article(f"a{number}.md", "markdown", f"A{number}", f"a{number}", tags=tags, url=f"a/{number:05d}/",
                   published=datetime(2020, 1, 1, tzinfo=UTC).replace(day=1 + number % 28))  # fmt: skip


def test_related_articles_are_capped_and_their_work_is_linear_in_articles_times_tags():
    for count in (200, 2000):
        made = (make(n, ("Big", "Bigger", f"small-{n % 7}")) for n in range(count))
        articles = sorted(made, key=lambda a: a.sort_key)
        terms = collect_terms(articles, "tags", URLS)
        work = Work()
        related = related_articles(articles, terms, work=work)
        assert all(len(found) <= 5 for found in related.values())
        assert work.visits <= count * 3 * 11  # each article: 3 tags, at most 11 candidates each
        assert related == related_articles(articles, terms)  # deterministic
    first = articles[0]
    assert all(first.tags[2] in other.tags for other in related[first.url])  # three shared tags beat two


def test_related_prev_next_and_more_from_the_tag_on_article_pages(write_site, tmp_path):
    files = {
        "content/alpha.md": article("Alpha", published="2024-01-01", tags=["Rail", "Harbour"]),
        "content/bravo.md": article("Bravo", published="2024-01-02", tags=["rail"]),
        "content/charlie.md": article("Charlie", published="2024-01-03", tags=["rail", "Harbour"]),
        "content/delta.md": article("Delta", published="2024-01-04", tags=["Weather"]),
    }
    build_into(write_site({"site.toml": SITE, **files}), tmp_path / "out")
    bravo = (tmp_path / "out/2024/01/bravo/index.html").read_text()
    steps = bravo[bravo.index('class="article-steps"') : bravo.index("</nav>", bravo.index('class="article-steps"'))]
    assert re.search(r'href="../alpha/index.html" rel="prev">.*Alpha', steps)
    assert re.search(r'href="../charlie/index.html" rel="next">.*Charlie', steps)
    charlie = (tmp_path / "out/2024/01/charlie/index.html").read_text()
    start = charlie.index('id="related-title"')
    related = charlie[start : charlie.index("</section>", start)]
    assert related.index("Alpha") < related.index("Bravo")  # two shared tags rank first
    delta = (tmp_path / "out/2024/01/delta/index.html").read_text()
    assert 'id="related-title"' not in delta and "More from" not in delta


def test_tag_spellings_fold_into_one_term_with_the_most_common_spelling(write_site, tmp_path):
    files = {
        "content/alpha.md": article("Alpha", published="2024-01-01", tags=["Rail"]),
        "content/bravo.md": article("Bravo", published="2024-01-02", tags=["rail"]),
        "content/charlie.md": article("Charlie", published="2024-01-03", tags=["rail"]),
    }
    build_into(write_site({"site.toml": SITE, **files}), tmp_path / "out")
    out = tmp_path / "out"
    assert [p.name for p in (out / "tags").iterdir() if p.is_dir()] == ["rail"]
    assert "<h1>rail</h1>" in (out / "tags/rail/index.html").read_text()
    assert 'rel="tag">rail</a>' in (out / "2024/01/alpha/index.html").read_text()
    assert "Rail" not in (out / "2024/01/alpha/index.html").read_text().split('class="tag-list"')[1]


def test_the_menu_marks_the_current_section_and_chart_bars_link_to_months(write_site, tmp_path):
    files = {"content/alpha.md": article("Alpha", published="2024-01-01", tags=["Rail"])}
    build_into(write_site({"site.toml": SITE, **files}), tmp_path / "out")
    out = tmp_path / "out"
    assert '<a href="../index.html" aria-current="true">Tags</a>' in (out / "tags/rail/index.html").read_text()
    month = (out / "2024/01/index.html").read_text()
    assert '<a href="../../archive/index.html" aria-current="true">Archive</a>' in month
    archive = (out / "archive/index.html").read_text()
    assert re.search(r'<a href="../2024/01/index.html" aria-label="January 2024: 1 article"><rect ', archive)
    assert "Test Archive · 2024</p>" in archive  # one year: no "2024–2024"


def test_full_content_feeds_and_a_recently_archived_feed(write_site, tmp_path):
    files = {
        "content/old.md": article("Old Capture", "First <b>body</b>.", published="2024-01-01", captured="2024-05-01"),
        "content/new.md": article("New Capture", "Second.", published="2024-02-01", captured="2024-03-01"),
        "content/none.md": article("Never Captured", "Third.", published="2024-03-01"),
    }
    site = write_site({"site.toml": SITE + "[feeds]\nfull_content = true\n", **files})
    build_into(site, tmp_path / "out")
    atom = (tmp_path / "out/atom.xml").read_text()
    assert '<content type="html">&lt;p&gt;First &lt;b&gt;body&lt;/b&gt;.&lt;/p&gt;\n</content>' in atom
    recent = (tmp_path / "out/recent.xml").read_text()
    assert re.findall(r"<title>(.*?)</title>", recent)[1:] == ["Old Capture", "New Capture"]
    summaries_only = write_site({"site.toml": SITE, **files}, name="plain")
    build_into(summaries_only, tmp_path / "plain-out")
    assert "<content" not in (tmp_path / "plain-out/atom.xml").read_text()


ATOM = "{http://www.w3.org/2005/Atom}"
CAPTURES = {  # publication order is the reverse of capture order; the last two captures differ only by zone
    "content/first.md": article("First Published", published="2024-01-01", captured="2024-05-01T10:00:00+02:00"),
    "content/second.md": article("Second Published", published="2024-02-01", captured="2024-05-01T09:00:00Z"),
    "content/third.md": article("Third Published", published="2024-03-01", captured="2024-04-01T12:00:00Z"),
    "content/fourth.md": article("Fourth Published", published="2024-04-01", captured="2024-02-01T12:00:00Z"),
    "content/never.md": article("Never Captured", published="2024-06-01"),
}


def recent_feed(out: Path) -> ET.Element:
    """recent.xml parsed (so well-formed), checked for what Atom requires, its links resolved against the output."""
    feed = ET.parse(out / "recent.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "recent.xml"
    for entry in feed.findall(f"{ATOM}entry"):
        assert all(entry.find(f"{ATOM}{required}") is not None for required in ("id", "title", "updated"))
        assert (out / entry.find(f"{ATOM}link[@rel='alternate']").get("href")).is_file()
    return feed


def entry_titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


def test_the_recently_archived_feed_orders_captures_by_capture_time_not_publication(write_site, tmp_path):
    build_into(write_site({"site.toml": SITE, **CAPTURES}), tmp_path / "out")
    feed = recent_feed(tmp_path / "out")
    assert feed.findtext(f"{ATOM}title") == "Recently archived · Test Archive"
    assert entry_titles(feed) == ["Second Published", "First Published", "Third Published", "Fourth Published"]
    atom = ET.parse(tmp_path / "out/atom.xml").getroot()
    assert entry_titles(atom)[:4] == ["Never Captured", "Fourth Published", "Third Published", "Second Published"]
    front = (tmp_path / "out/index.html").read_text()
    assert 'title="Recently archived · Test Archive" href="recent.xml"' in front
    assert '<a href="recent.xml">Recently archived</a>' in front


def test_the_recently_archived_feed_keeps_the_latest_captures_within_the_entries_limit(write_site, tmp_path):
    build_into(write_site({"site.toml": SITE + "[feeds]\nentries = 2\n", **CAPTURES}), tmp_path / "out")
    assert entry_titles(recent_feed(tmp_path / "out")) == ["Second Published", "First Published"]


def test_the_recently_archived_feed_can_be_turned_off(write_site, tmp_path):
    build_into(write_site({"site.toml": SITE + "[feeds]\nrecent = false\n", **CAPTURES}), tmp_path / "out")
    out = tmp_path / "out"
    assert (out / "atom.xml").is_file() and not (out / "recent.xml").exists()
    assert not [path for path in out.rglob("*.html") if "recent.xml" in path.read_text()]


def test_text_captures_are_named_by_their_headline_not_their_file(write_site, tmp_path):
    capture = (TESTS_PATH / "fixtures/text-captures/northwind-dispatch/storm-closes-coast-road.txt").read_text()
    site = write_site({"site.toml": SITE, "content/capture-001.txt": capture})
    build_into(site, tmp_path / "out")
    page = tmp_path / "out/undated/storm-closes-coast-road-for-three-days-volunteers-clear-shingle/index.html"
    assert not list((tmp_path / "out").rglob("capture-001"))
    html = page.read_text()  # its two image markers, both the headline as alt text: one placeholder, no headline again
    assert html.count('class="image-missing"') == 1
    assert '<span class="image-missing-label">2 images not in the archive</span></p>' in html


def test_share_cards_name_the_site_and_fall_back_to_the_site_image(write_site, tmp_path):
    files = {
        "site.toml": SITE + 'share_image = "share.png"\n',
        "themes/default/static/share.png": "not really a png",
        "content/ferry.md": ferry(),
    }
    build_into(write_site(files), tmp_path / "out")
    page = (tmp_path / "out/2024/03/ferry/index.html").read_text()
    assert '<meta property="og:site_name" content="Test Archive">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert re.search(r'<meta property="og:image" content="../../../static/share\.[0-9a-f]{10}\.png">', page)


def share_meta(page: str) -> tuple[str, str]:
    """The article page's og:image address and twitter:card kind."""
    image = re.search(r'<meta property="og:image" content="([^"]*)">', page)
    card = re.search(r'<meta name="twitter:card" content="([^"]*)">', page)
    return (image.group(1) if image else ""), card.group(1)


def test_articles_without_images_share_the_themes_default_image(write_site, tmp_path):
    build_into(write_site({"site.toml": SITE, "content/ferry.md": ferry()}), tmp_path / "out")
    image, card = share_meta((tmp_path / "out/2024/03/ferry/index.html").read_text())
    assert re.fullmatch(r"\.\./\.\./\.\./static/share\.[0-9a-f]{10}\.png", image) and card == "summary_large_image"
    published = (tmp_path / "out/2024/03/ferry" / image).resolve()
    assert published.stat().st_size < 16_000  # small, though the size share cards expect
    with Image.open(published) as picture:
        assert (picture.format, picture.size) == ("PNG", (1200, 630))
    based = write_site({"site.toml": SITE + 'base_url = "https://archive.example/news"\n', "content/ferry.md": ferry()},
                       name="based")  # fmt: skip
    build_into(based, tmp_path / "based-out")
    absolute = share_meta((tmp_path / "based-out/2024/03/ferry/index.html").read_text())[0]
    assert absolute == "https://archive.example/news/static/" + published.name


def test_a_lead_image_is_the_share_image_before_any_default(write_site, tmp_path):
    body = "![The ferry at its berth](ferry.png)\n\nThe ferry runs later."
    picture = tmp_path / "ferry.png"
    Image.new("RGB", (1600, 900), "#336699").save(picture)
    site = write_site({"site.toml": SITE + 'share_image = "share.png"\n', "content/ferry.md": ferry(body=body)})
    (site / "content/ferry.png").write_bytes(picture.read_bytes())
    build_into(site, tmp_path / "out")
    image, _card = share_meta((tmp_path / "out/2024/03/ferry/index.html").read_text())
    assert image.startswith("../../../media/ferry-") and (tmp_path / "out/2024/03/ferry" / image).is_file()


def test_a_share_image_the_theme_does_not_have_is_a_warning(write_site, tmp_path):
    site = write_site({"site.toml": SITE + 'share_image = "nope.png"\n', "content/ferry.md": ferry()})
    report = build_into(site, tmp_path / "out")
    assert any("share_image 'nope.png' is not a file" in str(d) for d in report.diagnostics)
    image, _card = share_meta((tmp_path / "out/2024/03/ferry/index.html").read_text())
    assert re.search(r"/static/share\.[0-9a-f]{10}\.png$", image)  # the theme's own instead
