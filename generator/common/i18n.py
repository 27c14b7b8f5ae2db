"""The site's language: the theme's words from gettext catalogs, dates and numbers from Babel's locale data.

Catalogs are ``locales/LANG.po`` files in a theme; a site theme's entries
override its parents'. They are compiled in memory when a build loads them
(never committed as binaries), and a :class:`Localizer` carries the compiled
bytes, so a render worker needs no theme folder.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from jinja2 import Environment
from markupsafe import Markup, escape

from generator.common.config import ConfigError
from generator.model import Diagnostic

LOCALES_FOLDER = "locales"
# Words the generator itself puts on pages (the rest are in the templates); a catalog translates these too.
# Where CLDR gives a locale digits other than 0-9, the code point of its zero (Babel knows the system, not its digits).
DIGIT_ZEROS = {"arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "deva": 0x0966, "mymr": 0x1040}
PLURAL_SAMPLES = 200  # counts 0-199 reach every integer plural category of every CLDR language
# Template functions whose literal arguments are messages: Jinja's own, and the plural forms a page script picks from.
GETTEXT_FUNCTIONS = ("_", "gettext", "ngettext", "plural_forms")
CODE_MESSAGES = ("Front page", "Archive", "Tags", "Authors", "Sources", "Categories", "Languages", "Page not found",
                 "%(title)s (page %(num)s)")  # fmt: skip


def bcp47(tag: str) -> str:
    """``de_at`` or ``DE-at`` → ``de-AT``; "" for a tag Babel does not know."""
    try:
        locale = Locale.parse(tag.strip().replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return ""
    parts = [locale.language, locale.script, locale.territory, locale.variant]
    return "-".join(part for part in parts if part)


@lru_cache(maxsize=64)
def babel_locale(language: str) -> Locale:
    """The locale data for a site or article language; a bare ``en`` writes dates the British way (14 June 2024).

    That order reads unambiguously in every English-speaking country, which
    the American default (June 14, 2024) does not; ``en-US`` still gets it.
    """
    tag = bcp47(language) or "en"
    return Locale.parse("en-GB" if tag == "en" else tag, sep="-")


@dataclass(frozen=True, eq=False)
class Localizer:
    """Translated words and localised dates and numbers for one language."""

    language: str = "en"
    catalog: bytes = b""  # a compiled .mo catalog; empty: the theme's own (English) words

    def __getstate__(self) -> dict[str, Any]:  # the cached translations hold a compiled plural rule: not picklable
        return {"language": self.language, "catalog": self.catalog}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @cached_property
    def locale(self) -> Locale:
        return babel_locale(self.language)

    @property
    def direction(self) -> str:
        return direction(self.language)

    @cached_property
    def translations(self) -> gettext.NullTranslations:
        return gettext.GNUTranslations(io.BytesIO(self.catalog)) if self.catalog else gettext.NullTranslations()

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """The catalog's form for each CLDR plural category the language uses (``one``, ``few``, ``other``…).

        A page script cannot read the catalog's plural rule, but it can ask
        ``Intl.PluralRules`` for a count's category and pick the form here.
        """
        categories = self.locale.plural_form.tags | {"other"}
        forms: dict[str, str] = {}
        for count in range(PLURAL_SAMPLES):
            forms.setdefault(self.locale.plural_form(count), self.ngettext(singular, plural, count))
            if len(forms) == len(categories):
                break
        forms.setdefault("other", self.ngettext(singular, plural, PLURAL_SAMPLES))  # Polish: fractions only
        return dict(sorted(forms.items()))

    def number(self, value: int) -> str:
        """``1,234`` / ``1.234`` / ``١٬٢٣٤``: grouped and in the locale's digits."""
        return _number_text(self.language, value)

    def digits(self, text: str) -> str:
        """*text* with ASCII digits in the locale's own (Babel writes 0-9 everywhere)."""
        return text.translate(_digit_table(self.locale))

    def names(self, items: Iterable[str]) -> Markup:
        """``A, B and C`` in the locale's way of listing; the items are escaped unless already markup."""
        return Markup(format_list([str(escape(item)) for item in items], locale=self.locale))

    def date(self, value: datetime | None) -> str:
        """``14 June 2024``, ``14. Juni 2024``, ``14 juin 2024``: the day as the article's own time zone gives it."""
        if value is None:
            return ""
        return _date_text(self.language, value.date())

    def datetime(self, value: datetime | None, zone: bool = True) -> str:
        """The date and time of day (``14 June 2024, 14:05 BST``); a date-only value (midnight) as its date."""
        if value is None:
            return ""
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return self.date(value)
        shown = _date_time_text(self.language, value.date(), value.time())
        return f"{shown} {value.tzname() or ''}".rstrip() if zone else shown

    def month(self, year: int, month: int) -> str:
        """``March 2021``, ``März 2021``, ``marzec 2021``."""
        return self.digits(format_skeleton("yMMMM", datetime(year, month, 1), locale=self.locale))

    @cached_property
    def month_names(self) -> tuple[str, ...]:
        """January to December as names standing alone (a table heading, not part of a date)."""
        return tuple(self.locale.months["stand-alone"]["wide"][number] for number in range(1, 13))

    @cached_property
    def month_abbreviations(self) -> tuple[str, ...]:
        return tuple(self.locale.months["stand-alone"]["abbreviated"][number] for number in range(1, 13))


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian, Urdu…), else ``ltr``."""
    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


def written_language(language: str) -> str:
    """The language and script of a tag, without its region: ``pt-BR`` → ``pt``, ``sr-Latn-RS`` → ``sr-Latn``."""
    locale = babel_locale(language)
    return "-".join(part for part in (locale.language, locale.script) if part)


def language_name(language: str, in_language: str) -> str:
    """*language*'s name as *in_language* writes it, capitalised as a heading: ``Deutsch``, ``German``, ``Allemand``."""
    try:
        name = Locale.parse(language, sep="-").get_display_name(babel_locale(in_language)) or language
    except (ValueError, UnknownLocaleError):
        name = language
    return name[:1].upper() + name[1:]


# Babel's formatting is slow, and pages show one value several times (a comment's date in its text and
# its title; the same small counts on every listing): the most recent 1,024 of each kind are kept.
@lru_cache(maxsize=1024)
def _number_text(language: str, value: int) -> str:
    locale = babel_locale(language)
    return format_decimal(value, locale=locale, numbering_system="default").translate(_digit_table(locale))


@lru_cache(maxsize=1024)
def _date_text(language: str, day: date) -> str:
    locale = babel_locale(language)
    return format_date(day, "long", locale=locale).translate(_digit_table(locale))


@lru_cache(maxsize=1024)
def _date_time_text(language: str, day: date, clock: time) -> str:
    """The date and time of day, without a zone: *clock* is the time of day in the value's own zone."""
    locale = babel_locale(language)
    pattern = locale.datetime_formats["medium"]
    shown = pattern.replace("{1}", _date_text(language, day))  # the day's text is kept: many values share a day
    return shown.replace("{0}", format_time(clock, "short", locale=locale)).translate(_digit_table(locale))


@lru_cache(maxsize=64)
def _digit_table(locale: Locale) -> dict[int, int]:
    zero = DIGIT_ZEROS.get(locale.default_numbering_system)
    return {ord("0") + number: zero + number for number in range(10)} if zero else {}


def catalog_files(theme_paths: Iterable[Path], language: str) -> list[Path]:
    """The catalogs for *language* in a theme chain (most specific theme first), least specific first.

    ``de-AT`` reads ``de.po`` and then ``de_AT.po``, so a regional catalog need only hold what differs.
    """
    locale = babel_locale(language)
    names = [f"{locale.language}.po"]
    if locale.territory:
        names.append(f"{locale.language}_{locale.territory}.po")
    return [path / LOCALES_FOLDER / name for path in reversed(list(theme_paths)) for name in names
            if (path / LOCALES_FOLDER / name).is_file()]  # fmt: skip


def load_localizer(theme_paths: Iterable[Path], language: str) -> Localizer:
    """The site's localizer: its language's catalogs merged (a later file's entries win) and compiled."""
    files = catalog_files(theme_paths, language)
    if not files:
        return Localizer(language)
    return Localizer(language, _compiled(tuple((path, path.stat().st_mtime_ns) for path in files), language))


@lru_cache(maxsize=8)
def _compiled(files: tuple[tuple[Path, int], ...], language: str) -> bytes:
    """The .mo bytes of the merged catalogs; cached while the files are unchanged (``serve`` rebuilds often)."""
    merged = Catalog(locale=str(babel_locale(language)))  # Babel supplies the locale's plural rule
    for path, _stamp in files:
        for message in _read_catalog(path):
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and all(forms) and not message.fuzzy:
                if merged.get(message.id) is not None:  # Babel would keep the first string: replace it
                    merged.delete(message.id)
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    return buffer.getvalue()


def _read_catalog(path: Path) -> Catalog:
    try:
        with path.open("rb") as stream:
            return read_po(stream, abort_invalid=True)
    except (OSError, UnicodeDecodeError, PoFileError) as error:
        raise ConfigError(f"{path}: cannot read the message catalog: {error}") from error


def missing_messages(localizer: Localizer, messages: Iterable[str | tuple[str, str]]) -> list[str]:
    """The messages (a plural's singular) that *localizer*'s catalog does not translate, in order."""
    catalog = localizer.translations._catalog if localizer.catalog else {}  # type: ignore[attr-defined]
    missing = []
    for message in messages:
        key = (message[0], 0) if isinstance(message, tuple) else message
        if key not in catalog:
            missing.append(message[0] if isinstance(message, tuple) else message)
    return list(dict.fromkeys(missing))


def untranslated_warning(
    localizer: Localizer, theme_paths: Iterable[Path], sources: Mapping[str, tuple[str, str]], where: str
) -> list[Diagnostic]:
    """One warning listing every message the theme uses that the site language's catalogs leave in English."""
    if localizer.locale.language == "en":
        return []
    missing = missing_messages(localizer, template_messages(sources))
    if not missing:
        return []
    files = catalog_files(theme_paths, localizer.language)
    listed = "; ".join(repr(message) for message in missing)
    message = f"no {localizer.language!r} translation for {len(missing)} theme message(s), shown in English: {listed}"
    return [Diagnostic(str(files[-1]) if files else where, message)]


def template_messages(sources: Mapping[str, tuple[str, str]]) -> list[str | tuple[str, str]]:
    """Every message the templates pass to gettext/ngettext with literal text, then the generator's own."""
    extract = Environment(extensions=["jinja2.ext.i18n"]).extract_translations
    found: list[str | tuple[str, str]] = []
    for name in sorted(sources):
        for _line, _function, message in extract(sources[name][0], gettext_functions=GETTEXT_FUNCTIONS):
            if isinstance(message, tuple):
                strings = [part for part in message if isinstance(part, str)]
                found.append((strings[0], strings[1]) if len(strings) > 1 else strings[0])
            elif isinstance(message, str):
                found.append(message)
    found.extend(CODE_MESSAGES)
    return list(dict.fromkeys(found))
