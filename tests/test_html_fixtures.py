"""Saved pages of each comment family against the truth written for them.

The pages and truth are the extraction benchmark's corpus (bench/extraction),
so the measured figures and these checks cannot drift apart.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime

import pytest
from conftest import REPO_PATH

from generator.commands.inspect import inspect_file
from generator.common.config import load

FIXTURES = REPO_PATH / "bench/extraction"
NAMES = [
    "disqus-fallback-byline-only", "disqus-placeholder-og-only", "listing-tag", "wp-article-comments-siblings",
    "wp-block-theme-div-comments", "wp-classic-commentlist", "wp-li-closed-before-children",
    "wp-twentytwelve-pingbacks", "wpdiscuz5-genesis", "wpdiscuz7-newspaper-theme", "blogger-classic",
    "joomla3-microdata", "legacy-latin1-no-charset",
]  # fmt: skip


def truth(name: str) -> dict:
    return json.loads((FIXTURES / "truth" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    site = tmp_path_factory.mktemp("site")
    (site / "site.toml").write_text('title = "T"\ntimezone = "UTC"\n')
    (site / "content").mkdir()
    for name in NAMES:
        shutil.copy(FIXTURES / "pages" / f"{name}.html", site / "content")
    config = load(site)
    return {name: inspect_file(site / "content" / f"{name}.html", config) for name in NAMES}


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + 4]) for i in range(max(len(words) - 3, 1))}


def body_f1(report: dict, expected: str) -> float:
    shown = [b["caption"] if b["type"] == "figure" else b["text"] for b in report["blocks"]]
    got, want = shingles("\n\n".join(filter(None, shown))), shingles(expected)
    common = len(got & want)
    return 2 * common / (len(got) + len(want)) if got and want else 0.0


def instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def flat(nodes: list[dict], parent: str | None = None) -> list[tuple[str, str | None, str | None]]:
    found = []
    for node in nodes:
        found.append((node["id"], node["author"], parent))
        found += flat(node["replies"], node["id"])
    return found


@pytest.mark.parametrize("name", NAMES)
def test_metadata_body_and_comment_threads_match_the_truth(reports: dict[str, dict], name: str) -> None:
    report, expected = reports[name], truth(name)
    if expected["kind"] == "listing":
        assert report["skipped"] and report["title"] is None
        return
    assert report["title"].replace("’", "'") == expected["title"].replace(
        "’", "'"
    )  # typographic quotes differ by source
    assert instant(report["published"]) == instant(expected["published"])
    assert report["authors"] == expected["authors"] and sorted(report["tags"]) == sorted(expected["tags"])
    assert body_f1(report, expected["body"]) >= 0.9, name
    wanted = [(c["id"], c["author"], c["parent"]) for c in expected["comments"] or []]
    assert sorted(flat(report["comments"])) == sorted(wanted)
    assert report["comments_not_captured"] == expected["comments_not_captured"]


@pytest.mark.parametrize("name", [n for n in NAMES if truth(n)["images"]])
def test_figure_captions_and_credits_are_kept(reports: dict[str, dict], name: str) -> None:
    captions = [b["caption"] for b in reports[name]["blocks"] if b["type"] == "figure"]
    for image in truth(name)["images"]:
        if image.get("caption"):
            assert " ".join(image["caption"].split()) in [" ".join((c or "").split()) for c in captions]


def test_comment_text_never_leaks_into_the_body(reports: dict[str, dict]) -> None:
    for name in NAMES:
        body = " ".join(b["text"] for b in reports[name]["blocks"])
        for comment in truth(name)["comments"] or []:
            assert comment["text"][:60] not in body, name
