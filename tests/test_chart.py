"""The archive index's articles-per-month chart and its table."""

from __future__ import annotations

import re

from conftest import article, build_into
from test_taxonomy import make

from generator.common.config import SiteConfig
from generator.common.urls import SiteUrls
from generator.site.chart import PLOT_HEIGHT, month_chart
from generator.site.taxonomy import date_archives

URLS = SiteUrls.of(SiteConfig())


def test_every_month_between_first_and_last_gets_a_bar_scaled_to_the_busiest():
    articles = [make(str(n), day) for n, day in enumerate([1, 1, 1, 5, 16])]  # months 2, 2, 2, 6 and 5
    chart = month_chart(date_archives(articles, URLS))
    assert [(b.month, b.count) for b in chart.bars] == [(2, 3), (3, 0), (4, 0), (5, 1), (6, 1)]
    assert chart.bars[0].height == PLOT_HEIGHT and chart.bars[3].height == round(PLOT_HEIGHT / 3)
    assert (chart.peak.year, chart.peak.month, chart.peak.count) == (2024, 2, 3)
    assert chart.year_spans == ((2024, 5),)
    assert month_chart(()) is None


def test_archive_page_draws_the_chart_and_a_linked_table(write_site, tmp_path):
    files = {f"content/a{n}.md": article(f"A{n}", date=f"2023-{month:02d}-03") for n, month in enumerate([1, 1, 4, 12])}
    files["content/b.md"] = article("B", date="2024-02-01")
    build_into(write_site(files), tmp_path / "out")
    page = (tmp_path / "out/archive/index.html").read_text()
    assert len(re.findall(r'<rect class="chart-bar"', page)) == 4  # months with articles; empty months draw nothing
    assert "<title>January 2023: 2 articles</title>" in page
    assert 'aria-label="January 2023: 2"' in page and 'href="../2023/12/index.html"' in page
    assert "Articles per month, January 2023 to February 2024" in page


def test_year_and_month_pages_step_to_their_neighbours(write_site, tmp_path):
    files = {
        f"content/a{n}.md": article(f"A{n}", date=date)
        for n, date in enumerate(["2023-01-03", "2023-04-03", "2024-02-01"])
    }
    build_into(write_site(files), tmp_path / "out")
    april = (tmp_path / "out/2023/04/index.html").read_text()
    assert '<a href="../01/index.html" rel="prev">← January 2023</a>' in april
    assert '<a href="../../2024/02/index.html" rel="next">February 2024 →</a>' in april
    first_year = (tmp_path / "out/2023/index.html").read_text()
    assert (
        'rel="next">2024 →</a>' in first_year and "← " not in first_year.split("archive-steps", 1)[1].split("</nav>")[0]
    )
