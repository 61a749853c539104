"""The provider overview, trends and drill-down of notebook 03 for a quarter and a year and 04 for a quarter, and every executed
notebook as a reader sees it: laid out in headless Chromium at 1400 px with no clipped label."""

from collections import Counter

import pytest

import bitanalysis as bit
from bitanalysis.reports.notebook import chromium
from bitanalysis_dev.browser import TALL, render
from bitanalysis_dev.notebooks import to_html

from .conftest import SAMPLE
from .executed import run

PERIODS = {"2026-Q3": ("sep. 2026", 3), "2025": ("dec. 2025", 12)}


class Runs(dict):
    """Notebook runs by (name, period), each executed when a test first reads it."""

    def __init__(self, out):
        super().__init__()
        self.out = out

    def __missing__(self, key):
        name, period = key
        self[key] = run(name, self.out / period, data_dir=str(SAMPLE), period=period)
        return self[key]


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """Notebooks 03 and 04 run on the sample for 2026-Q3 and 03 for 2025 (the year's only in CI's run)."""
    return Runs(tmp_path_factory.mktemp("periods"))


LONG = pytest.mark.long  # CI's run (make test-long): the same notebook over another period
YEAR = pytest.param("2025", marks=LONG)


@pytest.mark.parametrize("period", ["2026-Q3", YEAR])
def test_03_over_a_quarter_and_a_year(ran, sample_ws, period):
    e = ran["03_bit_match", period]
    assert e.errors() == [] and e.stderr() == ""
    overview = e.table("Tilbud", "Leveringsgrad", "Kr. på spil: over")
    assert len(overview.rows) == len(bit.provider_summary(sample_ws, period))
    found = bit.findings(sample_ws, period)
    table = e.table("Fundtype", "Retning", "Belæg", "Måneder med fundet")
    assert len(table.rows) == len(found)
    assert Counter(table.column("Måneder med fundet")) == Counter(float(m) for m in found["months"])
    assert max(table.column("Måneder med fundet")) <= PERIODS[period][1]
    last, months = PERIODS[period]
    trend = e.chart("Leveringsgrad og dokumenterede uger")
    assert len(trend.data[0].x) == 13 and trend.data[0].x[-1] == last
    shaded = trend.layout.shapes[0]
    assert shaded.x1 - shaded.x0 == min(months, 13)  # the chosen period's months, within the 13 shown
    assert e.table("Dato", "Status", "Kilde (fil og ark)", "Række i kilden").rows  # the drill-down to the rows


@pytest.mark.parametrize("period", ["2026-Q3"])
def test_04_over_a_quarter(ran, sample_ws, period):
    e = ran["04_provider", period]
    assert e.errors() == [] and e.stderr() == ""
    top = bit.provider_summary(sample_ws, period).dropna(subset=["provider_id"]).iloc[0]
    assert f"tilbud {top['provider_id']} ({top['provider_name']})" in e.text()
    assert e.table("Periode", "Tilbud", "Leveringsgrad").column("Periode") == [period, bit.year_before(period).label]
    hours = e.chart("Bestilte og leverede timer pr. måned")
    assert hours.data[0].x[-1] == PERIODS[period][0] and len(hours.data[0].x) == 13


def _screenshot(e, tmp_path):
    """The executed notebook as HTML, laid out at 1400 px; the PNG is kept in the test's folder."""
    if chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    html = to_html(e.path, SAMPLE)
    return render(html, tmp_path / f"{e.path.stem}.png", width=1400, window=TALL)


@pytest.mark.parametrize(
    ("name", "period"),
    [pytest.param(*run, marks=LONG) for run in (("03_bit_match", "2026-Q3"), ("04_provider", "2026-Q3"), ("03_bit_match", "2025"))],
)  # CI's: make test lays out the 2026-10 runs of every notebook (test_notebooks.py)
def test_screenshot_at_1400_px_has_every_chart_and_table_and_no_clipped_label(ran, tmp_path, name, period):
    e = ran[name, period]
    layout = _screenshot(e, tmp_path)
    assert layout.clipped == [], "\n".join(layout.clipped)
    assert layout.scrolled == [], "\n".join(layout.scrolled)  # every table fits the page: no column to scroll to
    assert layout.errors == []
    assert layout.svg_charts == len(e.charts())  # every chart drew itself, with no network
    assert layout.tables == len(e.tables())  # every interactive table drew itself
    assert layout.png is not None and layout.png.stat().st_size > 10_000
