"""Dates as news pages print them, in the common English forms.

``12 September 2024``, ``September 12, 2024``, ``Sep. 12 2024``, ``2024-09-12``,
each optionally followed by a time (``at 18:04``, ``, 6:04 pm``). Read in the
site's time zone. Anything else is not a date: a donation widget's
``NOVEMBER 2024`` banner has no day and is never taken for one.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

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
        r"(?P<year>\d{4})-(?P<monthnum>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    ),
]


def find_date(text: str, tz: ZoneInfo) -> datetime | None:
    """The first date (and time) in *text*, or None."""
    for form in _FORMS:
        for match in form.finditer(text):
            found = _to_datetime(match, tz)
            if found is not None:
                return found
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
