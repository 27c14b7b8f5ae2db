"""Pages are planned with cards of the articles they list, and fingerprinted by exactly their context."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any

from conftest import build_into

import generator.build
from generator.model import Article, Card, ImageRef, Page, PublishedImage, Term, Variant
from generator.store.fingerprint import Fingerprinter


def articles_in(value: Any) -> list[Article]:
    """Every article reachable from *value* through tuples, lists, dicts and dataclass fields."""
    if isinstance(value, Article):
        return [value]
    if isinstance(value, tuple | list):
        return [found for item in value for found in articles_in(item)]
    if isinstance(value, dict):
        return articles_in(list(value.values()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return articles_in([getattr(value, field.name) for field in dataclasses.fields(value)])
    return []


def test_a_page_context_holds_whole_only_the_article_the_page_is_about(make_site, tmp_path, monkeypatch):
    planned: list[Page] = []

    def plan_pages(*args: Any) -> list[Page]:
        planned.extend(real(*args))
        return planned

    real = generator.build.plan_pages
    monkeypatch.setattr(generator.build, "plan_pages", plan_pages)
    build_into(make_site("minimal"), tmp_path / "out")
    kinds = {page.kind for page in planned}
    assert {"article", "home", "term", "terms", "year", "month", "archive"} <= kinds
    for page in planned:
        own = page.context.get("article")
        others = {key: value for key, value in page.context.items() if key != "article"}
        assert articles_in(others) == [], page.url
        assert own is None or page.kind in ("article", "page")
    listed = [item for page in planned if "pager" in page.context for item in page.context["pager"].items]
    assert listed and all(isinstance(item, Card) for item in listed)


def card(**changes: Any) -> Card:
    article = Article("a.md", "markdown", "Pier", "pier", published=datetime(2024, 1, 2), tags=("Harbour",), url="a/")
    return dataclasses.replace(Card.of(article), **changes)


def listing(*cards: Card) -> Page:
    term = Term("tags", "Harbour", "harbour", "tags/harbour/", ())
    return Page("tags/harbour/", "list.html", "Harbour", "term", {"pager": cards, "term": term})


def test_the_fingerprint_is_of_the_values_shown_not_of_the_objects_holding_them():
    fingerprints = Fingerprinter({"menu": ("Front page", "")}, lambda ref: None)
    first = fingerprints.page(listing(card()), "template")
    assert fingerprints.page(listing(card()), "template") == first  # equal values, other objects
    assert fingerprints.page(listing(card(tags=("Ferries",))), "template") != first
    assert fingerprints.page(listing(card(extra={"subtitle": "At dawn"})), "template") != first
    assert fingerprints.page(listing(card()), "another template") != first
    assert Fingerprinter({"menu": ("Home", "")}, lambda ref: None).page(listing(card()), "template") != first


def test_an_image_is_fingerprinted_with_the_files_published_for_it():
    ref = ImageRef("pier.png", path=Path("/content/pier.png"))
    small = PublishedImage(64, 48, (Variant("media/p-64.png", 64, 48, "png"),), "png")
    large = PublishedImage(640, 480, (Variant("media/p-640.png", 640, 480, "png"),), "png")
    page = listing(card(lead_image=ref))
    assert Fingerprinter({}, lambda _ref: small).page(page, "t") != Fingerprinter({}, lambda _ref: large).page(
        page, "t"
    )
