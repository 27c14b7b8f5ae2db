"""A right-to-left article inside a left-to-right site, in Chromium and the Nu validator.

axe-core (valid-lang and every other rule) at phone and desktop widths, the
W3C validator on the whole site, and the comment thread's geometry: replies
indent from the right in Arabic and from the left in English.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import article, build_into, serving
from test_quality_gates import VNU, node, require

pytestmark = pytest.mark.slow

ARABIC_BODY = (
    "بدأت أعمال إصلاح جدار الميناء هذا الأسبوع بعد سنوات من الانتظار.\n\n> قال رئيس البلدية: «هذا يوم جيد للمدينة».\n"
)
THREAD = """[[comments]]
id = "1"
author = "{first}"
date = 2024-03-06T10:00:00Z
body = "{text}"

[[comments]]
id = "2"
parent = "1"
author = "{second}"
date = 2024-03-06T11:00:00Z
body = "{text}"
"""
PAGES = ["2024/03/jidar/index.html", "languages/index.html", "languages/ar/index.html", "2024/03/wall/index.html"]


@pytest.fixture(scope="module")
def site_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("languages")
    files = {
        "site.toml": 'title = "Harbour"\nlanguage = "en"\n',
        "content/jidar.md": article("جدار الميناء", ARABIC_BODY, date="2024-03-06", language="ar", tags=["الميناء"]),
        "content/jidar.comments.toml": THREAD.format(first="سلمى", second="كريم", text="أخيرًا، خبر سار للميناء."),
        "content/wall.md": article("Harbour wall", "Repairs began this week.", date="2024-03-07"),
        "content/wall.comments.toml": THREAD.format(first="Ada", second="Ben", text="Good news at last."),
        "content/mauer.md": article("Hafenmauer", "Die Arbeiten beginnen.", date="2024-03-05", language="de"),
    }
    for relative, text in files.items():
        (root / "site" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "site" / relative).write_text(text, encoding="utf-8")
    build_into(root / "site", root / "public")
    return root / "public"


@pytest.fixture(scope="module")
def served(site_out):
    with serving(site_out) as base_url:
        yield base_url


def test_the_arabic_article_is_marked_right_to_left(site_out):
    html = (site_out / PAGES[0]).read_text()
    assert '<html lang="en">' in html and 'lang="ar" dir="rtl">' in html
    assert '<ol class="thread" lang="ar" dir="rtl">' in html


def test_axe_finds_no_violations_on_a_right_to_left_article(served):
    results = node("axe", served, "390,1280", *PAGES)
    assert len(results) == 2 * len(PAGES)
    problems = [f"{r['path']} @{r['width']}px: {v['id']} {v['nodes']}" for r in results for v in r["violations"]]
    assert problems == []


def test_nu_validator_finds_no_errors_in_a_site_of_several_languages(site_out):
    require(VNU)
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(site_out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [f"{m.get('url', '')}: {m['message']}" for m in messages] == []


@pytest.mark.parametrize("width", [390, 1280])
def test_replies_indent_from_the_right_in_arabic_and_from_the_left_in_english(served, width):
    arabic = node("thread", served + PAGES[0], str(width))
    assert arabic["direction"] == "rtl"
    assert arabic["reply"]["right"] < arabic["parent"]["right"] - 10  # indented from the right edge
    assert abs(arabic["reply"]["left"] - arabic["parent"]["left"]) < 1
    assert arabic["rule"]["right"] > 0 and arabic["rule"]["left"] == 0  # the thread line on the right
    english = node("thread", served + PAGES[3], str(width))
    assert english["direction"] == "ltr"
    assert english["reply"]["left"] > english["parent"]["left"] + 10
    assert abs(english["reply"]["right"] - english["parent"]["right"]) < 1
    assert english["rule"]["left"] > 0 and english["rule"]["right"] == 0
