"""``[search]``: the Pagefind index, the search page, and what a site without search keeps.

Browser tests drive Chromium (tools/setup-test-tools.sh) against nginx under
/archive/ and against ``backissue serve``; the rest read the built files.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pagefind.index
import pytest
from conftest import REPO_PATH, article, build_into, nginx_serving, output_files, serving

from generator import build as build_module
from generator.build import build
from generator.commands.serve import start_preview
from generator.render.search import SearchError, build_index

BROWSER = REPO_PATH / "tests/browser/browser.js"
SEARCH_ON = "[search]\nenabled = true\n"
JSON_LD = '<script type="application/ld+json">'

# Words chosen to occur once: "sandbagging" only in one body, "cormorants" only in one comment.
ARTICLES = {
    "content/2023/harbour-wall/index.md": article(
        "Harbour wall repairs begin",
        "Crews started sandbagging the north pier before the spring tides.\n\nThe quayside stays open.",
        date="2023-03-01",
        authors=["Ann Reed"],
        tags=["Harbour", "Council"],
        source="Northwind Dispatch",
    ),
    "content/2023/harbour-wall/comments.toml": (
        '[[comments]]\nid = "c1"\nauthor = "Pat"\ndate = 2023-03-02T09:00:00Z\n'
        'body = "The cormorants will miss that old wall."\n'
    ),
    "content/2023/festival.md": article(
        "Harbour festival returns",
        "Stalls line the quayside for the weekend, with music on the pier.",
        date="2023-07-08",
        authors=["Bo Lind"],
        tags=["Harbour", "Culture"],
        source="Coast Courier",
    ),
    "content/2024/budget.md": article(
        "Council sets its budget",
        "The quayside lighting is funded for another year, the council said.",
        date="2024-02-10",
        authors=["Ann Reed"],
        tags=["Council", "Roads, rail"],
        source="Northwind Dispatch",
    ),
    "content/2024/garden.md": article(
        "School garden wins an award", "Pupils grew beans, leeks and sunflowers.", date="2024-06-01", tags=["Schools"]
    ),
}


@pytest.fixture
def search_site(write_site):
    return write_site({"site.toml": 'title = "Coast archive"\n' + SEARCH_ON, **ARTICLES})


def fragments(out: Path) -> list[dict]:
    """Every page record of the index (Pagefind's fragments: gzip, a signature, JSON)."""
    paths = sorted((out / "pagefind/fragment").iterdir())
    return [json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")) for path in paths]


def index_text(out: Path) -> str:
    """The text Pagefind will show and find."""
    return json.dumps(fragments(out), ensure_ascii=False)


def scripts(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<script[^>]*>", html) if tag != JSON_LD]


def html_pages(out: Path) -> dict[str, str]:
    return {name: data.decode() for name, data in output_files(out).items() if name.endswith(".html")}


def test_a_default_build_has_no_search_and_no_script_but_json_ld(make_site):
    site = make_site("sample")
    out = site / "public"
    build_into(site)
    pages = html_pages(out)
    assert len(pages) > 50
    assert {name: scripts(html) for name, html in pages.items() if scripts(html)} == {}
    everything = b"".join(output_files(out).values())
    assert b"pagefind" not in everything and b"search/index.html" not in everything
    assert not (out / "search").exists() and not list((out / "static").glob("search*"))


def test_with_search_only_the_search_page_has_a_script(search_site):
    out = search_site / "public"
    build_into(search_site)
    pages = html_pages(out)
    with_scripts = {name for name, html in pages.items() if scripts(html)}
    assert with_scripts == {"search/index.html"}
    assert not any(name.endswith(".html") and not name.startswith("search/") and b"<script" in data
                   and JSON_LD.encode() not in data for name, data in output_files(out).items())  # fmt: skip
    front = pages["index.html"]
    assert '<form class="header-search masthead-tools" role="search" action="search/index.html" method="get">' in front
    assert '<a href="search/index.html">Search</a>' in front
    search_page = pages["search/index.html"]
    assert (
        '<form id="search-form" class="search-page-form" role="search" action="index.html" method="get">' in search_page
    )
    assert '<label for="search-query">' in search_page and 'name="q"' in search_page
    assert "header-search" not in search_page  # one search form per page
    assert re.search(r"<noscript>.*needs JavaScript.*archive/index.html.*tags/index.html.*authors/index.html",
                     search_page, re.S)  # fmt: skip


def test_only_articles_are_indexed_with_their_comments_filters_and_dates(search_site):
    out = search_site / "public"
    build_into(search_site)
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 4  # no listing, archive, search or 404 page
    text = index_text(out)
    assert "sandbagging" in text and "cormorants" in text
    assert "Harbour wall repairs begin" in text and "Ann Reed" in text
    assert "Skip to content" not in text and "Built with backissue" not in text  # no site chrome
    assert "Published" not in text  # the metadata list is left out of excerpts
    harbour = next(record for record in fragments(out) if "sandbagging" in record["content"])
    assert harbour["url"] == "/2023/03/harbour-wall/index.html"
    assert harbour["meta"]["source"] == "Northwind Dispatch" and harbour["meta"]["date"] == "1 March 2023"
    filters = {
        "tag": ["Harbour", "Council"],
        "author": ["Ann Reed"],
        "source": ["Northwind Dispatch"],
        "year": ["2023"],
    }
    assert harbour["filters"] == filters
    budget = next(record for record in fragments(out) if record["meta"]["title"] == "Council sets its budget")
    assert budget["filters"]["tag"] == ["Council", "Roads, rail"]  # a comma inside a value stays in it


def test_articles_in_several_languages_get_a_language_filter_named_in_the_site_language(write_site):
    foreign = {
        "content/2024/haushalt.md": article(
            "Haushalt beschlossen", "Der Rat stimmte zu.", date="2024-03-01", language="de-AT"
        )
    }
    site = write_site({"site.toml": 'title = "Coast archive"\n' + SEARCH_ON, **ARTICLES, **foreign})
    build_into(site)
    out = site / "public"
    page = (out / "2024/03/haushalt/index.html").read_text()
    assert '<span data-pagefind-filter="language:German"></span>' in page
    assert '<span data-pagefind-filter="language:English"></span>' in (out / "2024/06/garden/index.html").read_text()
    by_title = {record["meta"]["title"]: record["filters"] for record in fragments(out)}
    assert by_title["Haushalt beschlossen"]["language"] == ["German"]
    assert by_title["Council sets its budget"]["language"] == ["English"]
    assert '"language": "Language"' in (out / "search/index.html").read_text()  # the script's label for it


def test_a_site_in_one_language_has_no_language_filter(search_site):
    build_into(search_site)
    out = search_site / "public"
    assert 'data-pagefind-filter="language:' not in (out / "2023/03/harbour-wall/index.html").read_text()
    assert all("language" not in record["filters"] for record in fragments(out))


def test_a_no_op_rebuild_does_not_index_and_an_edit_indexes_once(search_site, monkeypatch):
    calls = []
    real = build_module.build_index
    monkeypatch.setattr(build_module, "build_index", lambda *args: calls.append(1) or real(*args))
    out = search_site / "public"
    build(search_site)
    assert len(calls) == 1
    before = output_files(out)
    build(search_site)
    os.utime(search_site / "content/2024/garden.md")  # touched, not changed: pages and index are kept
    build(search_site)
    assert len(calls) == 1 and output_files(out) == before
    body = search_site / "content/2024/garden.md"
    body.write_text(body.read_text().replace("sunflowers", "marigolds"))
    build(search_site)
    assert len(calls) == 2
    text = index_text(out)
    assert "marigolds" in text and "sunflowers" not in text


def test_turning_search_off_again_gives_the_site_without_search(search_site, tmp_path):
    build(search_site)
    (search_site / "site.toml").write_text('title = "Coast archive"\n')
    build(search_site)
    build(search_site, tmp_path / "fresh", clean=True)
    assert output_files(search_site / "public") == output_files(tmp_path / "fresh")
    assert not (search_site / "public/pagefind").exists()


def test_a_failed_index_fails_the_build_and_leaves_the_previous_output(search_site, monkeypatch):
    out = search_site / "public"
    build(search_site)
    before = output_files(out)
    (search_site / "content/2024/garden.md").write_text(article("Garden", "Changed.", date="2024-06-01"))

    def broken(*args):
        raise SearchError("search index not built: the indexer stopped")

    monkeypatch.setattr(build_module, "build_index", broken)
    with pytest.raises(SearchError):
        build(search_site)
    assert output_files(out) == before
    assert not list(search_site.glob(".public.staging*"))


def test_two_builds_differ_only_in_pagefinds_filter_files(search_site, tmp_path):
    """Pagefind writes its filter files in a different order each run (see docs/configuration.md)."""
    first, second = tmp_path / "first", tmp_path / "second"
    build(search_site, first, clean=True)
    build(search_site, second, clean=True)
    one, two = output_files(first), output_files(second)
    varying = re.compile(r"pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)$")
    assert {k: v for k, v in one.items() if not varying.match(k)} == {
        k: v for k, v in two.items() if not varying.match(k)
    }
    assert any(k.startswith("pagefind/fragment/") for k in one) and any(k.startswith("pagefind/index/") for k in one)


def test_a_theme_that_marks_nothing_fails_the_build_instead_of_indexing_every_page(write_site):
    site = write_site({
        "site.toml": 'theme = "plain"\n' + SEARCH_ON,
        "themes/plain/theme.toml": 'extends = "default"\n',
        "themes/plain/templates/article.html": (
            '{% extends "base.html" %}{% block main %}'
            '<h1>{{ article.title }}</h1>{% endblock %}'
        ),
        "content/a.md": article("One", "Text.", date="2023-01-01"),
    })  # fmt: skip
    with pytest.raises(SearchError, match="data-pagefind-body"):
        build(site)
    assert not (site / "public").exists()


def test_an_archive_without_articles_gets_an_empty_index(write_site):
    site = write_site({"site.toml": SEARCH_ON})
    build(site)
    entry = json.loads((site / "public/pagefind/pagefind-entry.json").read_text())
    assert entry["languages"] == {} and (site / "public/search/index.html").exists()


def test_an_unknown_search_key_is_a_configuration_error(write_site):
    from generator.common.config import ConfigError

    site = write_site({"site.toml": "[search]\nenable = true\n"})
    with pytest.raises(ConfigError, match="enabled"):
        build(site)


# Real browser ---------------------------------------------------------------------------------------------------


def browse(url: str, width: int = 1280, *steps: str) -> dict:
    if not (REPO_PATH / "node_modules/playwright-core").exists():
        pytest.fail("playwright-core is missing: run tools/setup-test-tools.sh (make test does)")
    done = subprocess.run(["node", str(BROWSER), "search", url, str(width), *steps],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["errors"] == []
    return shown


def served(root: Path, files: dict[str, str], nginx_folder: Path):
    """*files* built into *root* (world-readable: nginx drops root) and served under /archive/."""
    site = root / "site"
    for relative, text in files.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text)
    build(site, root / "public")
    for folder, _dirs, names in os.walk(root):
        os.chmod(folder, 0o755)
        for name in names:
            os.chmod(Path(folder) / name, 0o644)
    return nginx_serving(root / "public", nginx_folder)


@pytest.fixture(scope="module")
def nginx_search(tmp_path_factory) -> str:
    """The search site built into a world-readable folder (nginx drops root) and served under /archive/."""
    files = {"site.toml": 'title = "Coast archive"\n' + SEARCH_ON, **ARTICLES}
    with served(Path(tempfile.mkdtemp(prefix="backissue-search-")), files, tmp_path_factory.mktemp("nginx")) as url:
        yield url


@pytest.fixture(scope="module")
def nginx_german_search(tmp_path_factory) -> str:
    """A German site whose articles are German but for one in English."""
    english = {
        "content/2024/ferry.md": article(
            "Ferry timetable changes", "Boats leave the quayside hourly.", date="2024-05-02", language="en"
        )
    }
    files = {"site.toml": 'title = "Küstenarchiv"\nlanguage = "de"\n' + SEARCH_ON, **ARTICLES, **english}
    with served(Path(tempfile.mkdtemp(prefix="backissue-search-")), files, tmp_path_factory.mktemp("nginx")) as url:
        yield url


@pytest.mark.slow
def test_a_german_search_page_counts_in_german_and_filters_by_language(nginx_german_search):
    every = browse(nginx_german_search + "search/index.html?q=quayside", 1280)
    assert every["status"] == "4 Artikel gefunden."
    english = browse(nginx_german_search + "search/index.html?q=quayside", 1280, "", "language=Englisch")
    assert [r["title"] for r in english["results"]] == ["Ferry timetable changes"]
    assert english["status"] == "1 Artikel gefunden."
    assert english["address"] == "?q=quayside&language=Englisch"
    assert browse(nginx_german_search + "search/index.html?q=zzyzx", 1280)["status"] == "Keine Artikel gefunden."


@pytest.mark.slow
def test_typing_a_word_from_one_body_lists_that_article_first_under_a_sub_path(nginx_search):
    shown = browse(nginx_search + "search/index.html", 1280, "sandbagging")
    first = shown["results"][0]
    assert first["title"] == "Harbour wall repairs begin"
    assert first["href"] == nginx_search + "2023/03/harbour-wall/index.html"
    assert first["details"] == "1 March 2023 · Northwind Dispatch"
    assert "sandbagging" in first["marks"]
    assert shown["address"] == "?q=sandbagging"  # the address can be shared


@pytest.mark.slow
def test_a_word_only_in_a_comment_finds_its_article(nginx_search):
    shown = browse(nginx_search + "search/index.html", 1280, "cormorants")
    assert [r["title"] for r in shown["results"]] == ["Harbour wall repairs begin"]


@pytest.mark.slow
def test_a_tag_filter_narrows_the_results(nginx_search):
    every = browse(nginx_search + "search/index.html?q=quayside", 1280)
    assert len(every["results"]) == 3
    narrowed = browse(nginx_search + "search/index.html?q=quayside", 1280, "", "tag=Culture")
    assert [r["title"] for r in narrowed["results"]] == ["Harbour festival returns"]
    assert narrowed["address"] == "?q=quayside&tag=Culture"


@pytest.mark.slow
def test_results_sort_by_date_either_way(nginx_search):
    oldest = browse(nginx_search + "search/index.html?q=quayside&sort=date:asc")
    newest = browse(nginx_search + "search/index.html?q=quayside", 1280, "", "sort=date:desc")
    dated = ["Harbour wall repairs begin", "Harbour festival returns", "Council sets its budget"]
    assert [r["title"] for r in oldest["results"]] == dated
    assert [r["title"] for r in newest["results"]] == dated[::-1]
    assert newest["address"] == "?q=quayside&sort=date%3Adesc"


@pytest.mark.slow
def test_the_get_form_prefills_and_runs_the_search(nginx_search):
    shown = browse(nginx_search + "search/index.html?q=sandbagging", 390)
    assert shown["query"] == "sandbagging"
    assert [r["title"] for r in shown["results"]] == ["Harbour wall repairs begin"]


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_on_the_search_page_with_results(nginx_search, width):
    shown = browse(nginx_search + "search/index.html?q=quayside", width, "", "", "axe")
    assert len(shown["results"]) == 3
    assert shown["violations"] == []


@pytest.mark.slow
def test_from_disk_the_search_page_says_why_it_cannot_search(search_site):
    build_into(search_site)
    shown = browse((search_site / "public/search/index.html").as_uri() + "?q=quayside", 1280)
    assert shown["fileNote"] is True and shown["results"] == [] and shown["query"] == "quayside"


@pytest.mark.slow
def test_search_works_in_the_preview_server(write_site):
    site = write_site({"site.toml": 'base_url = "https://example.org/news/"\n' + SEARCH_ON, **ARTICLES})
    running = start_preview(site, "127.0.0.1", 0, lambda message: None)
    try:
        shown = browse(running.url + "search/index.html?q=cormorants", 1280)
    finally:
        running.stop()
    assert [r["title"] for r in shown["results"]] == ["Harbour wall repairs begin"]
    assert shown["results"][0]["href"] == running.url + "2023/03/harbour-wall/index.html"


@pytest.mark.slow
def test_a_word_in_an_article_outranks_the_same_word_in_a_comment(write_site):
    text = "The cliffs were quiet this spring and the boats stayed in harbour all week with {} around."
    comment = '[[comments]]\nid = "c"\nauthor = "Q"\ndate = 2023-01-05T00:00:00Z\nbody = "{}"\n'
    site = write_site({
        "site.toml": SEARCH_ON,
        "content/a/index.md": article("In the body", text.format("puffins"), date="2023-01-01"),
        "content/a/comments.toml": comment.format("Nice."),
        "content/b/index.md": article("In a comment", text.format("gulls"), date="2023-01-02"),
        "content/b/comments.toml": comment.format("puffins"),
    })  # fmt: skip
    build_into(site)
    with serving(site / "public") as base_url:
        shown = browse(base_url + "search/index.html?q=puffins")
    assert [r["title"] for r in shown["results"]] == ["In the body", "In a comment"]


@pytest.mark.slow
def test_the_nu_validator_finds_no_errors_in_pages_with_search(search_site):
    vnu = REPO_PATH / "node_modules/vnu-jar/build/dist/vnu.jar"
    if not vnu.exists():
        pytest.fail(f"{vnu} is missing: run tools/setup-test-tools.sh (make test does)")
    build_into(search_site)
    pages = [
        search_site / "public" / name for name in ("search/index.html", "index.html", "2023/03/harbour-wall/index.html")
    ]
    result = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []


@pytest.mark.slow
def test_results_show_hostile_titles_and_text_as_text(write_site):
    title = "Pier <img src=x onerror=alert(1)> & notes"
    body = "The `<script>alert(2)</script>` tag and <b onmouseover=alert(3)>bold</b> zebrafish."
    site = write_site({"site.toml": SEARCH_ON, "content/x.md": article(title, body, date="2023-01-01")})
    build_into(site)
    with serving(site / "public") as base_url:
        shown = browse(base_url + "search/index.html?q=zebrafish")  # browse() fails on any dialog or page error
    [found] = shown["results"]
    assert found["title"] == title
    assert "<script>alert(2)</script>" in found["excerpt"] and found["marks"] == ["zebrafish."]


def test_an_index_whose_entry_file_came_out_incomplete_is_made_again(tmp_path, monkeypatch):
    """Pagefind's service may stop before its last write reaches the disk; the index is then made again."""
    made = []

    class Indexer:  # writes what Pagefind writes, the entry file empty the first time
        def __init__(self, config):
            self.path = Path(config["output_path"])

        async def __aenter__(self):
            return self

        async def add_directory(self, folder):
            pass

        async def __aexit__(self, *exc):
            self.path.mkdir(parents=True)
            entry = {"languages": {"en": {"page_count": 0}}} if made else None
            (self.path / "pagefind-entry.json").write_text(json.dumps(entry) if entry else "")
            (self.path / "pagefind.js").write_text("// index")
            made.append(self.path)

    monkeypatch.setattr(pagefind.index, "PagefindIndex", Indexer)
    files = build_index(tmp_path / "site", tmp_path / "scratch", 0)
    assert len(made) == 2 and set(files) == {"pagefind/pagefind-entry.json", "pagefind/pagefind.js"}
