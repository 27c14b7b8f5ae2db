"""Work that grows with the square of one input is made linear or capped: counted, never timed.

The JSON-LD array case is in tests/test_fuzz.py with the other pathological inputs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from generator.build import build
from generator.model import Comment
from generator.site.comments import thread

GENERATOR = str(Path(__file__).resolve().parents[1] / "generator")


def lines_run(call: Callable[[], object]) -> int:
    """How many lines of backissue's own code *call* executes (each pass of a loop counts again)."""
    count = 0

    def tracer(frame, event, _arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(GENERATOR):
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def same_id_comments(count: int) -> list[Comment]:
    return [Comment(id="7", body_html="<p>x</p>", text="x", source="a.md") for _ in range(count)]


def test_renaming_twenty_thousand_comments_that_share_one_id_is_linear():
    half, full = (lines_run(lambda n=n: thread(same_id_comments(n), "oldest", 5)) for n in (10_000, 20_000))
    assert full <= 2.5 * half, (half, full)
    roots, warnings = thread(same_id_comments(3), "oldest", 5)
    assert [node.comment.id for node in roots] == ["7", "7-2", "7-3"] and len(warnings) == 2


def build_work(write_site, name: str, tags: int) -> tuple[int, list[str]]:
    """Lines of backissue run to build one article with *tags* tags (in this process: one job), and the warnings."""
    front = "tags = [" + ", ".join(f'"tag {n}"' for n in range(tags)) + "]"
    site = write_site({"content/a.md": f'+++\ntitle = "Tagged"\ndate = 2024-01-02\n{front}\n+++\nText.\n'}, name)
    reports = []
    work = lines_run(lambda: reports.append(build(site, jobs=1)))
    return work, [str(d) for d in reports[0].diagnostics]


def test_an_article_with_thousands_of_tags_is_capped_with_a_warning(write_site):
    """Every tag page shows the article with all its tags: without a cap, n tags cost n squared."""
    half, _ = build_work(write_site, "half", 1_500)
    full, warnings = build_work(write_site, "full", 3_000)
    assert full <= 2.5 * half, (half, full)
    assert warnings == ["content/a.md: limit max_terms: 3,000 tags, only the first 100 kept"]
