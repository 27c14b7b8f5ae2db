"""The site's language: localised dates and numbers, and the theme's words in every shipped catalog."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from conftest import article, build_into
from generator.i18n import Localizer, bcp47

SUMMER = datetime(2024, 6, 14, 23, 30, tzinfo=timezone(timedelta(hours=2), "CEST"))  # 21:30 UTC, still the 14th


@pytest.mark.parametrize(
    ("language", "date", "month"),
    [
        ("en", "14 June 2024", "March 2021"),
        ("de", "14. Juni 2024", "März 2021"),
        ("fr", "14 juin 2024", "mars 2021"),
        ("pl", "14 czerwca 2024", "marzec 2021"),
        ("ar-EG", "١٤ يونيو ٢٠٢٤", "مارس ٢٠٢١"),  # CLDR gives Egyptian Arabic its own digits
        ("ar", "14 يونيو 2024", "مارس 2021"),  # ... and Arabic as such Latin ones
        ("en-US", "June 14, 2024", "March 2021"),
    ],
)
def test_dates_are_written_the_locale_s_way_on_the_article_s_own_day(language, date, month):
    words = Localizer(language)
    assert words.date(SUMMER) == date
    assert words.month(2021, 3) == month


def test_times_and_numbers_follow_the_locale():
    assert Localizer("de").datetime(SUMMER) == "14. Juni 2024, 23:30 CEST"
    assert Localizer("en").datetime(SUMMER, zone=False) == "14 June 2024, 23:30"
    assert Localizer("de").number(12345) == "12.345"
    assert Localizer("ar-EG").number(12345) == "١٢٬٣٤٥"
    assert Localizer("fr").datetime(SUMMER.replace(hour=0, minute=0)) == "14 juin 2024"  # a date-only value


def test_language_tags_are_normalised_to_bcp47():
    assert [bcp47(tag) for tag in ("de_at", "EN-us", "pt_BR", "sr-Latn-RS", "zz-nonsense", "")] == [
        "de-AT", "en-US", "pt-BR", "sr-Latn-RS", "", ""]  # fmt: skip


def test_a_german_site_dates_its_pages_and_names_its_months_in_german(write_site, tmp_path):
    files = {
        "site.toml": 'title = "Archiv"\nlanguage = "de"\n',
        "content/haushalt.md": article("Haushalt", date="2021-03-14T10:00:00+01:00"),
        "content/bruecke.md": article("Brücke", date="2024-06-14"),
    }
    build_into(write_site(files), tmp_path / "out")
    page = (tmp_path / "out/2021/03/haushalt/index.html").read_text()
    assert '<html lang="de">' in page
    assert '>14. März 2021</time>' in page
    month = (tmp_path / "out/2021/03/index.html").read_text()
    assert "<title>März 2021 · Archiv</title>" in month and "<h1>März 2021</h1>" in month
    archive = (tmp_path / "out/archive/index.html").read_text()
    assert '<abbr title="März">Mär</abbr>' in archive
    assert "März 2021 to Juni 2024" in archive or "März 2021 bis Juni 2024" in archive  # the chart's span
