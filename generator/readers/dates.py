"""Dates as news pages print them, in the common English forms.

``12 September 2024``, ``September 12, 2024``, ``Sep. 12 2024``, ``2024-09-12``,
each optionally followed by a time (``at 18:04``, ``, 6:04 pm``). Read in the
site's time zone. Anything else is not a date: a donation widget's
``NOVEMBER 2024`` banner has no day and is never taken for one.

Every date any reader keeps passes :func:`in_range`: a date Python or the site's time zone cannot hold
(year 1 or 9999, which overflow when shifted between zones, or "3000 years ago") is dropped, never clamped:
an archive must not show a made-up date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

MIN_YEAR, MAX_YEAR = 2, 9998  # a year of margin inside datetime's own 1..9999, for time-zone shifts and arithmetic
OUT_OF_RANGE = f"outside the dates backissue can hold (years {MIN_YEAR}-{MAX_YEAR}); dropped"


class DateOutOfRange(ValueError):
    """A date that reads correctly but lies outside what backissue can hold."""


def in_range(value: datetime) -> datetime:
    """*value* itself, when it can be shifted to any time zone and counted from; else :class:`DateOutOfRange`."""
    try:
        if MIN_YEAR <= value.year <= MAX_YEAR:
            value.astimezone(UTC)
            return value
    except (OverflowError, ValueError):
        pass
    raise DateOutOfRange(OUT_OF_RANGE)


def days_before(moment: datetime, days: float) -> datetime:
    """*moment* less *days* (a relative date such as "3 years ago"); :class:`DateOutOfRange` when that overflows."""
    try:
        return in_range(moment - timedelta(days=days))
    except OverflowError as error:
        raise DateOutOfRange(OUT_OF_RANGE) from error


_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_TIME = r"(?:(?:\s+at|,)?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_FORMS = [
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}", re.I),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}", re.I),
    re.compile(
        r"(?P<year>\d{4})-(?P<monthnum>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    ),
]


def find_date(text: str, tz: ZoneInfo) -> datetime | None:
    """The first date (and time) in *text* that backissue can hold, or None."""
    for form in _FORMS:
        for match in form.finditer(text):
            found = _to_datetime(match, tz)
            if found is not None:
                try:
                    return in_range(found)
                except DateOutOfRange:
                    continue
    return None


def _to_datetime(match: re.Match[str], tz: ZoneInfo) -> datetime | None:
    parts = match.groupdict()
    month = int(parts["monthnum"]) if parts.get("monthnum") else _MONTHS.get((parts.get("month") or "").lower())
    if month is None:
        return None
    hour, minute, second = (int(parts.get(key) or 0) for key in ("hour", "minute", "second"))
    ampm = (parts.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        return datetime(int(parts["year"]), month, int(parts["day"]), hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
