"""Articles per month as bar geometry, for the archive index's inline SVG chart.

Only numbers and URLs are computed here; the theme draws the SVG, so it can
restyle it, and renders the same numbers as a table for screen readers. The
theme also writes the labels, in the site's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import ArchiveYear

BAR_WIDTH = 10
BAR_GAP = 3
PLOT_HEIGHT = 100


@dataclass(frozen=True)
class Bar:
    year: int
    month: int
    count: int
    url: str | None
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class MonthChart:
    bars: tuple[Bar, ...]
    year_spans: tuple[tuple[int, int], ...]  # (year, how many of the bars are its months)
    width: int
    height: int
    peak: Bar


def month_chart(years: tuple[ArchiveYear, ...]) -> MonthChart | None:
    """Every month from the first dated article to the last, empty months included."""
    counts = {(m.year, m.month): (len(m.articles), m.url) for y in years for m in y.months}
    if not counts:
        return None
    (first_year, first_month), (last_year, last_month) = min(counts), max(counts)
    tallest = max(count for count, _url in counts.values())
    bars: list[Bar] = []
    year, month = first_year, first_month
    while (year, month) <= (last_year, last_month):
        count, url = counts.get((year, month), (0, None))
        x = len(bars) * (BAR_WIDTH + BAR_GAP)
        height = round(PLOT_HEIGHT * count / tallest) if count else 0
        bars.append(Bar(year, month, count, url, x, PLOT_HEIGHT - height, height))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    width = len(bars) * (BAR_WIDTH + BAR_GAP) - BAR_GAP
    peak = max(bars, key=lambda bar: (bar.count, -bar.x))
    spans: dict[int, int] = {}
    for bar in bars:
        spans[bar.year] = spans.get(bar.year, 0) + 1
    return MonthChart(tuple(bars), tuple(spans.items()), max(width, 1), PLOT_HEIGHT, peak)
