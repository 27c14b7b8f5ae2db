"""The site's language: localised dates and numbers, and the theme's words in every shipped catalog."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import article, build_into

from generator.common import i18n
from generator.common.i18n import Localizer, bcp47

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


def test_one_instant_in_two_zones_is_written_in_each_zone():
    utc = SUMMER.astimezone(UTC)  # equal to SUMMER and hashed alike: a cache must not mix them up
    assert Localizer("en").datetime(SUMMER) == "14 June 2024, 23:30 CEST"
    assert Localizer("en").datetime(utc) == "14 June 2024, 21:30 UTC"


def test_a_value_shown_again_is_not_formatted_again(monkeypatch):
    i18n._date_time_text.cache_clear()
    calls = []
    real_format_time = i18n.format_time
    monkeypatch.setattr(
        i18n, "format_time", lambda *args, **kwargs: calls.append(args) or real_format_time(*args, **kwargs)
    )
    value = datetime(2019, 3, 28, 12, 43, 18, tzinfo=UTC)
    words = Localizer("en")
    shown = {words.datetime(value), words.datetime(value, zone=False), Localizer("en").datetime(value)}
    assert shown == {"28 March 2019, 12:43 UTC", "28 March 2019, 12:43"}
    assert len(calls) == 1


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
    assert ">14. März 2021</time>" in page
    month = (tmp_path / "out/2021/03/index.html").read_text()
    assert "<title>März 2021 · Archiv</title>" in month and "<h1>März 2021</h1>" in month
    archive = (tmp_path / "out/archive/index.html").read_text()
    assert '<abbr title="März">Mär</abbr>' in archive
    assert "März 2021 to Juni 2024" in archive or "März 2021 bis Juni 2024" in archive  # the chart's span


SHIPPED = ("de", "fr", "es", "it", "nl", "pt", "pl", "ar")
# Words a language writes as English does: proper names, placeholders only, and true cognates.
SAME_AS_ENGLISH = {
    "%(month)s: %(count)s": set(SHIPPED),
    "Total": {"es", "fr", "pt"},
    "Page": {"fr"},
    "Tag": {"pl"},
    "Source": {"fr"},
    "Sources": {"fr"},
    "Provenance": {"fr"},
    "%(title)s (page %(num)s)": {"fr"},
    "%(num)s article": {"fr"},
    "article": {"fr"},
}


def default_theme_messages():
    from generator.common.i18n import template_messages
    from generator.render.renderer import template_sources
    from generator.render.themes import Theme, builtin_theme_path

    return template_messages(template_sources(Theme((builtin_theme_path(),))))


def shipped(language):
    from generator.common.i18n import load_localizer
    from generator.render.themes import builtin_theme_path

    return load_localizer([builtin_theme_path()], language)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalog_translates_every_message_the_theme_uses(language):
    from babel.messages.catalog import Catalog

    words = shipped(language)
    catalog = words.translations._catalog
    forms = Catalog(locale=language).num_plurals
    same = []
    for message in default_theme_messages():
        if isinstance(message, tuple):
            translated = [catalog.get((message[0], index)) for index in range(forms)]
            assert all(translated), f"{language}: {message[0]!r} lacks a plural form"
            english = [message[0], message[1]]
        else:
            translated = [catalog.get(message)]
            assert translated[0], f"{language}: {message!r} is not translated"
            english = [message]
        if any(text in english for text in translated) and language not in SAME_AS_ENGLISH.get(english[0], ()):
            same.append(english[0])
    assert same == [], f"{language}: left in English: {same}"


def test_the_theme_s_messages_include_the_search_page_and_its_script():
    messages = default_theme_messages()
    for message in ("Search the archive", "Words to look for", "Language", "Searching…", "No articles found."):
        assert message in messages
    assert ("%(num)s article found.", "%(num)s articles found.") in messages  # plural_forms(), read by the script


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", {"one": "%(num)s article found.", "other": "%(num)s articles found."}),
        (
            "pl",
            {
                "few": "Znaleziono %(num)s artykuły.",
                "many": "Znaleziono %(num)s artykułów.",
                "one": "Znaleziono %(num)s artykuł.",
                "other": "Znaleziono %(num)s artykułów.",
            },
        ),
    ],
)
def test_a_script_gets_each_plural_category_s_form(language, expected):
    words = Localizer(language) if language == "en" else shipped(language)
    assert words.plural_forms("%(num)s article found.", "%(num)s articles found.") == expected
    if language == "pl":
        assert set(shipped("ar").plural_forms("%(num)s article found.", "%(num)s articles found.")) == {
            "few",
            "many",
            "one",
            "other",
            "two",
            "zero",
        }


def script_words(html):
    return json.loads(re.search(r"const WORDS = (\{.*?\});\n", html, re.S).group(1))


def test_a_german_site_with_search_says_everything_on_its_search_page_in_german(write_site, tmp_path):
    files = {
        "site.toml": 'title = "Archiv"\nlanguage = "de"\n[search]\nenabled = true\n',
        "content/haushalt.md": article("Haushalt", date="2021-03-14"),
    }
    report = build_into(write_site(files), tmp_path / "out")
    assert not [d for d in report.diagnostics if "translation" in d.message]
    search = (tmp_path / "out/search/index.html").read_text()
    header = (tmp_path / "out/2021/03/haushalt/index.html").read_text()
    for words in (
        "<h1>Im Archiv suchen</h1>",
        ">Gesuchte Wörter</label>",
        ">Suchen</button>",
        "Die Suche braucht JavaScript",
        ">das Archiv nach Datum</a>",
        "Stellen Sie den Ordner über HTTP bereit",
    ):
        assert words in search
    for words in ('placeholder="Im Archiv suchen"', ">Im Archiv suchen</label>", ">Suchen</button>"):
        assert words in header
    shown = script_words(search)
    assert shown["filters"] == {
        "tag": "Schlagwort",
        "author": "Autor",
        "source": "Quelle",
        "year": "Jahr",
        "language": "Sprache",
    }
    assert shown["found"] == {"one": "%(num)s Artikel gefunden.", "other": "%(num)s Artikel gefunden."}
    assert (shown["none"], shown["searching"], shown["any"]) == ("Keine Artikel gefunden.", "Suche läuft…", "Alle")
    english = (
        "Search the archive",
        "Words to look for",
        "articles found",
        "No articles found",
        "Searching",
        "Best match",
        "not available",
        "open from disk",
        ">Search<",
    )
    assert [word for word in english if word in search or word in header] == []


def test_the_search_script_s_words_cannot_break_out_of_the_script(write_site, tmp_path):
    catalog = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "Searching…"\nmsgstr "</script><b>\\"los\\""\n'
    files = {
        "site.toml": 'title = "Archiv"\nlanguage = "de"\ntheme = "mine"\n[search]\nenabled = true\n',
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/locales/de.po": catalog,
        "content/haushalt.md": article("Haushalt", date="2021-03-14"),
    }
    build_into(write_site(files), tmp_path / "out")
    search = (tmp_path / "out/search/index.html").read_text()
    assert search.count("</script>") == 1 and "<b>" not in search
    assert script_words(search)["searching"] == '</script><b>"los"'


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["0 comments", "1 comment", "2 comments", "5 comments", "22 comments"]),
        ("de", ["0 Kommentare", "1 Kommentar", "2 Kommentare", "5 Kommentare", "22 Kommentare"]),
        ("pl", ["0 komentarzy", "1 komentarz", "2 komentarze", "5 komentarzy", "22 komentarze"]),
        ("ar", ["لا تعليقات", "تعليق واحد", "تعليقان", "5 تعليقات", "22 تعليقًا"]),
    ],
)
def test_plural_forms_follow_each_language_s_rule(language, expected):
    words = shipped(language)
    forms = [(words.ngettext("%(num)s comment", "%(num)s comments", n), n) for n in (0, 1, 2, 5, 22)]
    shown = [form % {"num": words.number(n)} for form, n in forms]
    assert shown == expected


def test_a_german_site_writes_the_theme_s_words_in_german(write_site, tmp_path):
    files = {
        "site.toml": 'title = "Archiv"\nlanguage = "de"\n',
        "content/haushalt.md": article("Haushalt", date="2021-03-14", authors=["Ada", "Ben", "Cy"]),
        "content/haushalt.comments.toml": '[[comments]]\nauthor = "Ute"\ndate = 2021-03-01T10:00:00Z\n'
        'date_approximate = true\nbody = "Gut."\n[[comments]]\nauthor = "Vi"\nparent = "1"\nbody = "Ja."\n',
    }
    report = build_into(write_site(files), tmp_path / "out")
    assert not [d for d in report.diagnostics if "translation" in d.message]
    page = (tmp_path / "out/2021/03/haushalt/index.html").read_text()
    for words in (
        "<dt>Veröffentlicht</dt>",
        ">2 Kommentare</h2>",
        ">Ben</a> und <a",
        ">etwa März 2021</time>",
        ">1 Antwort<",
        'aria-label="Rubriken"',
        ">Zum Inhalt springen</a>",
        ">Startseite</a>",
    ):
        assert words in page
    assert ">Published<" not in page and ">Comments<" not in page


def test_a_site_theme_adds_and_overrides_words_and_a_missing_one_is_warned_about_once(write_site, tmp_path):
    files = {
        "site.toml": 'language = "de"\ntheme = "mine"\n',
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/templates/404.html": '{% extends "default:404.html" %}{% block extra_head %}'
        '<meta name="x" content="{{ _("Lost?") }}|{{ _("Our own words") }}">{% endblock %}',
        "themes/mine/locales/de.po": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Our own words"\nmsgstr "Unsere eigenen Worte"\n\nmsgid "Archive"\nmsgstr "Zeitungsarchiv"\n',
        "content/a.md": article("A", date="2024-01-02"),
    }
    report = build_into(write_site(files), tmp_path / "out")
    warnings = [d for d in report.diagnostics if "translation" in d.message]
    assert len(warnings) == 1 and "'Lost?'" in warnings[0].message and warnings[0].path.endswith("mine/locales/de.po")
    page = (tmp_path / "out/404.html").read_text()
    assert 'content="Lost?|Unsere eigenen Worte"' in page and ">Zeitungsarchiv</a>" in page


def test_changing_a_catalog_re_renders_the_pages_that_show_its_words(write_site, tmp_path):
    catalog = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Archive"\nmsgstr "{}"\n'
    site = write_site({
        "site.toml": 'language = "de"\ntheme = "mine"\n',
        "themes/mine/locales/de.po": catalog.format("Zeitungsarchiv"),
        "content/a.md": article("A", date="2024-01-02"),
    })  # fmt: skip
    build_into(site, tmp_path / "out")
    (site / "themes/mine/locales/de.po").write_text(catalog.format("Pressearchiv"), encoding="utf-8")
    build_into(site, tmp_path / "out")
    assert ">Pressearchiv</a>" in (tmp_path / "out/2024/01/a/index.html").read_text()


def test_a_right_to_left_site_marks_a_left_to_right_article(write_site, tmp_path):
    site = write_site(
        {"site.toml": 'language = "ar"\n', "content/a.md": article("A", date="2024-01-02", language="en")}
    )
    build_into(site, tmp_path / "out")
    page = (tmp_path / "out/2024/01/a/index.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<article class="article" aria-labelledby="article-title" lang="en" dir="ltr">' in page
    assert '<dl class="article-meta" lang="ar" dir="rtl">' in page and "<dt>تاريخ النشر</dt>" in page


def test_a_localizer_travels_to_a_render_worker_with_its_catalog():
    import pickle

    local = shipped("pl")
    assert local.gettext("Archive") == "Archiwum"  # its compiled catalog (and plural rule) now in use here
    words = pickle.loads(pickle.dumps(local))
    assert words.gettext("Archive") == "Archiwum" and words.ngettext("%(num)s reply", "%(num)s replies", 3) == (
        "%(num)s odpowiedzi"
    )
