"""Captures the reader has never seen: same layouts, other sites, other wording, bad bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.commands.inspect import inspect_file
from generator.common.config import SiteConfig, load
from generator.readers.scan import ContextFactory, read_one

WPDISCUZ = """\ufeff$ 0\r
$ 250\r
$ 1,000\r
MARCH 2023\r
\r
Pier Repairs Begin As Storm Damage Bill Tops Estimate\r
\r
Support The Harbourside Herald\r
\r
Pier Repairs Begin As Storm Damage Bill Tops Estimate\r
\r
Click to see a full-size image\r
\r
Contractors moved onto the north pier\u00a0on Monday to begin repairs that the harbour board now \
expects to cost twice its first figure.\r
   \r
Workers on the pier on Monday morning. Photo: Sam Lee\r
\r
The board said the pier would reopen to anglers by the summer.\r
\r
Support The Harbourside Herald\r
\r
\r
Notify of\r
Oldest Newest Most Voted\r
Inline Feedbacks\r
View all comments\r
\r
Twice the estimate again. Who checks these figures?\r
\r
Pat Quinlan\r
\r
The board publishes its accounts every spring.\r
\r
They are on the library shelf, next to the tide tables.\r
\r
Ro\u00efse Dunne\r
\r
Good point.\r
\r
\r
Lovely to see the pier busy again.\r
\r
Would love your thoughts, please comment.x\r
"""

WORDPRESS = """Upper Valley Times
Menu
News
Farming

Hill Farms Get Grants For Hedge Planting

Posted on September 3, 2023 by Anna Price and Tom Rees

Forty hill farms will share a grant to plant new hedges along field boundaries.

The scheme opens for applications in October.

Filed under: Farming
Tags: farming, grants

3 thoughts on “Hill Farms Get Grants For Hedge Planting”

Gwen Morris says:
September 4, 2023 at 6:04 pm

Good news for the birds.

Reply

Ifan Lloyd says:
September 5, 2023 at 9:15 am

Will tenant farmers qualify?

Reply

Leave a Reply Cancel reply
"""


def inspect(site: Path, relative: str) -> dict:
    return inspect_file(site / relative, load(site))


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def test_unseen_wpdiscuz_capture_with_bom_crlf_nbsp_and_other_wording(tmp_path):
    site = write(tmp_path, {"content/herald/pier.txt": WPDISCUZ})
    got = inspect(site, "content/herald/pier.txt")
    assert got["title"] == "Pier Repairs Begin As Storm Damage Bill Tops Estimate"
    assert got["published"] is None  # MARCH 2023 is a banner
    kinds = [b["type"] for b in got["blocks"]]
    assert kinds == ["figure", "paragraph", "figure", "paragraph"]
    assert got["blocks"][1]["text"].startswith("Contractors moved onto the north pier on Monday")
    assert got["blocks"][2]["caption"] == "Workers on the pier on Monday morning. Photo: Sam Lee"
    [first, second] = got["comments"]
    assert first["author"] is None and first["text"].startswith("Twice the estimate")
    assert [(r["author"], r["text"].split("\n\n")[0]) for r in first["replies"]] == [
        ("Pat Quinlan", "The board publishes its accounts every spring."),
        ("Roïse Dunne", "Good point."),
    ]
    assert first["replies"][0]["text"].count("\n\n") == 1  # a two-paragraph reply
    assert second["text"] == "Lovely to see the pier busy again." and second["replies"] == []
    reasons = {d["text"]: d["reason"] for d in got["dropped"]}
    assert reasons["$ 1,000"] == "donation widget" and reasons["Support The Harbourside Herald"] == "support banner"
    assert reasons["Click to see a full-size image"] == "image marker"
    assert got["warnings"] == []


def test_unseen_wordpress_capture_checks_the_announced_count(tmp_path):
    site = write(tmp_path, {"content/times/hedges.txt": WORDPRESS})
    got = inspect(site, "content/times/hedges.txt")
    assert got["title"] == "Hill Farms Get Grants For Hedge Planting"
    assert got["published"] == "2023-09-03" and got["authors"] == ["Anna Price", "Tom Rees"]
    assert got["tags"] == ["farming", "grants"]
    assert [(c["author"], c["date"]) for c in got["comments"]] == [
        ("Gwen Morris", "2023-09-04T18:04:00Z"),
        ("Ifan Lloyd", "2023-09-05T09:15:00Z"),
    ]
    assert got["warnings"] == ["content/times/hedges.txt:17: the page announces 3 comments but 2 were found"]


def test_sidecar_wins_over_the_page_and_defaults_apply_below(tmp_path):
    site = write(
        tmp_path,
        {
            "content/times/_defaults.toml": 'source = "Upper Valley Times"\ncategory = "News"\n',
            "content/times/hedges.txt": WORDPRESS,
            "content/times/hedges.toml": 'tags = ["Hedges"]\nsource_url = "https://uvt.example/hedges/"\n',
        },
    )
    [article] = [
        r.article
        for r in [
            read_one(
                site / "content/times/hedges.txt",
                ContextFactory(load(site)).for_file(site / "content/times/hedges.txt"),
            )
        ]
    ]
    assert article.tags == ("Hedges",) and article.source == "Upper Valley Times"
    assert article.category == "Farming"  # printed on the page: beats the folder default
    assert article.source_url == "https://uvt.example/hedges/"


def test_lines_repeated_across_a_folder_are_learned_as_boilerplate(tmp_path):
    files = {
        f"content/site/story-{n}.txt": (
            f"Story Number {n} Makes Headlines Today\n\nAdvertisement: the Quay Bakery is open late\n\n"
            f"Body paragraph {n} with news.\n"
        )
        for n in range(4)
    }
    site = write(tmp_path, files)
    got = inspect(site, "content/site/story-2.txt")
    assert [b["text"] for b in got["blocks"]] == ["Body paragraph 2 with news."]
    assert {"line": 3, "text": "Advertisement: the Quay Bakery is open late", "reason": "learned boilerplate"} in got[
        "dropped"
    ]
    (site / "site.toml").write_text("[capture]\nlearn_boilerplate = false\n")
    got = inspect(site, "content/site/story-2.txt")
    assert len(got["blocks"]) == 2


def test_boilerplate_rules_exact_and_regex(tmp_path):
    site = write(
        tmp_path,
        {
            "site.toml": '[capture]\nboilerplate = ["Read more from our partners", "/^Sponsored by /"]\n',
            "content/a.txt": (
                "Town Hall Gets New Roof\n\nRead more from our partners\n\n"
                "Sponsored by Quay Bakery\n\nThe roof is done.\n"
            ),
        },
    )
    got = inspect(site, "content/a.txt")
    assert [b["text"] for b in got["blocks"]] == ["The roof is done."]
    assert sum(d["reason"] == "boilerplate rule" for d in got["dropped"]) == 2


def test_no_title_falls_back_to_the_file_name_with_a_warning(tmp_path):
    site = write(tmp_path, {"content/quiet-day.txt": "Nothing happened today at all.\n"})
    got = inspect(site, "content/quiet-day.txt")
    assert got["title"] == "Quiet day"
    assert got["warnings"] == ["content/quiet-day.txt: no recognisable title; using 'Quiet day'"]


def test_invalid_utf8_is_decoded_by_detection_with_a_warning(tmp_path):
    text = (
        "Caf\u00e9 Owners Welcome The Bridge\n\n"
        "The caf\u00e9 on the quay re-opened on Monday, its owner said, and business is brisk.\n"
    )
    site = write(tmp_path, {"content/cafe.txt": text.encode("cp1252")})
    got = inspect(site, "content/cafe.txt")
    assert got["title"] == "Café Owners Welcome The Bridge"
    assert len(got["warnings"]) == 1 and "not valid UTF-8; read as" in got["warnings"][0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.binary(max_size=3000)
    | st.text(alphabet=st.sampled_from(list("ab \n\n\n€$1,Notify ofReply says:")), max_size=2000).map(str.encode)
)
def test_any_bytes_give_an_article_or_a_warning(tmp_path, data):
    path = tmp_path / "content" / "fuzz.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    result = read_one(path, ContextFactory(SiteConfig(site_path=tmp_path)).for_file(path))
    assert result.article is not None or result.diagnostics
