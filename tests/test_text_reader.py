"""Text captures: the shared samples match expected.json; unseen captures of the same layouts too."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import TESTS_PATH, build_into, looked_for

from generator.commands.inspect import inspect_file
from generator.common.config import SiteConfig
from generator.common.urls import slugify

SAMPLES = TESTS_PATH / "fixtures" / "text-captures"
EXPECTED = {k: v for k, v in json.loads((SAMPLES / "expected.json").read_text()).items() if not k.startswith("_")}


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("captures")
    shutil.copytree(SAMPLES, site / "content", ignore=shutil.ignore_patterns("expected.json"))
    return site


@pytest.fixture(scope="module")
def built(sample_site) -> Path:
    build_into(sample_site, sample_site / "public")
    return sample_site / "public"


def flatten(comments):
    for comment in comments:
        yield comment
        yield from flatten(comment["replies"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_matches_expected(sample_site, name):
    expected = EXPECTED[name]
    got = inspect_file(sample_site / "content" / name, SiteConfig(site_path=sample_site))
    assert got["title"] == expected["title"]
    assert got["published"] == expected["published"]
    for key in ("captured", "source_url"):
        if key in expected:
            assert (got[key] or "").replace("Z", "") == expected[key].replace("Z", ""), key
    for key in ("tags", "authors"):
        if key in expected:
            assert got[key] == expected[key], key
    paragraphs = [b for b in got["blocks"] if b["type"] == "paragraph"]
    assert len(paragraphs) == len(expected["body"])
    for block, opening in zip(paragraphs, expected["body"], strict=True):
        assert block["text"].startswith(opening)
    figures_before = []
    seen = 0
    for block in got["blocks"]:
        if block["type"] == "figure":
            figures_before.append(seen)
        else:
            seen += 1
    assert figures_before == expected["figures_before"]
    figures = [b for b in got["blocks"] if b["type"] == "figure"]
    if "figure_alt" in expected:
        assert all(f["alt"] == expected["figure_alt"] for f in figures)
    if "figure_caption" in expected:
        assert figures[0]["caption"] == expected["figure_caption"]
    threads = [list(flatten([root])) for root in got["comments"]]
    assert len(threads) == len(expected["threads"])
    for found, wanted in zip(threads, expected["threads"], strict=True):
        assert len(found) == len(wanted)
        for comment, entry in zip(found, wanted, strict=True):
            author, openings = entry[0], entry[1]
            assert comment["author"] == author
            paragraphs = comment["text"].split("\n\n")
            assert len(paragraphs) == len(openings.split("|"))
            for paragraph, opening in zip(paragraphs, openings.split("|"), strict=True):
                assert paragraph.startswith(opening), (paragraph, opening)
            if len(entry) > 2:
                assert comment["date"].startswith(entry[2])
    assert got["warnings"] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_never_in_output(built, name):
    expected = EXPECTED[name]
    [page] = built.glob(f"**/{slugify(expected['title'])}/index.html")  # text captures are named by their headline
    html = page.read_text()
    main = html[
        html.index('<main id="main"') : html.index("</main>")
    ]  # the theme's own skip link is not capture chrome
    text = re.sub(r"<[^>]+>", " ", main)
    for chrome in expected["never_in_output"]:
        assert chrome not in text, chrome


def test_bare_url_in_a_comment_is_a_link(built):
    [page] = built.glob("**/storm-closes-coast-road-for-three-days-volunteers-clear-shingle/index.html")
    html = page.read_text()
    assert '<a href="https://example.org/photos/coast-road-cleanup" rel="nofollow ugc noopener">' in html


def test_month_banner_is_not_a_publication_date(sample_site):
    got = inspect_file(
        sample_site / "content/northwind-dispatch/library-winter-hours.txt", SiteConfig(site_path=sample_site)
    )
    assert got["published"] is None
    assert any(d["text"] == "NOVEMBER 2024" and d["reason"] == "donation widget" for d in got["dropped"])


def test_every_line_is_used_or_listed_as_dropped(sample_site):
    """Nothing disappears: each non-blank line is in the article, its comments, or `dropped`."""
    for name in EXPECTED:
        path = sample_site / "content" / name
        got = inspect_file(path, SiteConfig(site_path=sample_site))
        used = " ".join(
            [got["title"] or ""]
            + [b["text"] or "" for b in got["blocks"]]
            + [b["caption"] or "" for b in got["blocks"]]
            + [c["text"] + " " + (c["author"] or "") for c in flatten(got["comments"])]
        )
        dropped_lines = {d["line"] for d in got["dropped"]}
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if line.strip() and number not in dropped_lines and not re.search(r"says:$|^\d+ \w+ \d{4} at", line):
                assert line.strip() in used, f"{name}:{number}: {line!r} is neither used nor listed"


def test_comments_under_any_comment_header_the_reader_knows_are_never_learned_as_chrome(tmp_path):
    from generator.readers.boilerplate import TABLES, learn_folder

    paths = []
    for n, header in enumerate(
        ["One thought on “Pier”", "3 replies to “Pier”", "One response to “Pier”", "5 replies to “Pier”"]
    ):
        path = tmp_path / f"c{n}.txt"
        path.write_text(f"Site Menu\n\nStory {n} text.\n\n{header}\n\nGreat!\n")
        paths.append(path)
    learned = learn_folder(paths, TABLES["en"])
    assert "site menu" in learned and "great!" not in learned


def test_the_sidecar_looked_for_is_a_dependency_found_or_not(tmp_path):
    (tmp_path / "content/valley").mkdir(parents=True)
    shutil.copy(SAMPLES / "valley-courier/rail-link-study.txt", tmp_path / "content/valley/rail.txt")
    shutil.copy(SAMPLES / "valley-courier/rail-link-study.txt", tmp_path / "content/valley/other.txt")
    (tmp_path / "content/valley/other.toml").write_text('title = "Other"\n')
    assert looked_for(tmp_path, "content/valley/rail.txt") == {"content/valley/rail.toml": False}
    assert looked_for(tmp_path, "content/valley/other.txt") == {"content/valley/other.toml": True}
