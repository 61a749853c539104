"""The analyst notebooks: thin, with a question and parameters, and each promised table and chart is there with the
rows the package gives for the sample (2026-10 here; other periods and the screenshots in test_notebooks_periods.py)."""

import ast
import math

import jupytext
import pytest

import bitanalysis as bit
from bitanalysis import economics as eco
from bitanalysis import present as pr
from bitanalysis.reports.guard import privacy_hits
from bitanalysis.workspace.sensitive import sensitive_texts
from bitanalysis_dev.notebooks import NAMES

from .conftest import ROOT, SAMPLE
from .executed import run

NOTEBOOKS = [ROOT / "notebooks" / f"{name}.py" for name in NAMES]
PERIOD = "2026-10"


def test_there_are_five_notebooks():
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py")) == list(NAMES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_has_parameters(path):
    nb = jupytext.read(path)
    assert nb.cells[0].cell_type == "markdown" and "Spørgsmål" in nb.cells[0].source
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "data_dir" in params[0].source and "period" in params[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_hold_only_a_few_statements_of_analysis(path):
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        statements = [s for s in ast.parse(cell.source).body if not isinstance(s, (ast.Import, ast.ImportFrom))]
        assert len(statements) <= 6, cell.source


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The five notebooks run on the sample for 2026-10."""
    out = tmp_path_factory.mktemp("notebooks")
    return {name: run(name, out, data_dir=str(SAMPLE), period=PERIOD) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_without_errors_warnings_or_personal_data(ran, name):
    e = ran[name]
    assert e.errors() == []
    assert e.stderr() == ""  # no red box: no IProgress warning, no pandas or plotly warnings
    assert privacy_hits([e.path], sensitive_texts(SAMPLE)) == []


def _close(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(a, b)
    )


def test_01_shows_every_file_every_error_the_row_accounting_and_the_loose_delivery_rows(ran, sample_ws):
    e = ran["01_load_and_quality"]
    files = e.table("Tabel", "Fil", "Læst", "Afvist", "Brugt")
    assert len(files.rows) == len(sample_ws.load_report.files)
    assert files.column("Læst") == [float(x) for x in sample_ws.load_report.files["rows_read"]]
    accounting = e.table("Status", "Rækker", "Minutter")
    assert accounting.column("Status") == ["Knyttet til en bevilling", "Uden bevilling", "Tvetydig", "Indlæst i alt"]
    loose = bit.delivery_rows(sample_ws, PERIOD)
    shown = e.table("Status", "Dato", "Kilde (fil og ark)", "Række i kilden", "Mulige bevillinger")
    assert len(shown.rows) == len(loose) == 8  # the sample's 6 unmatched and 2 ambiguous rows of October 2026
    assert shown.column("Række i kilden") == [float(r) for r in loose["source_row"]]
    assert sum(s == "Tvetydig" for s in shown.column("Status")) == 2
    assert all(", " in c for c, s in zip(shown.column("Mulige bevillinger"), shown.column("Status")) if s == "Tvetydig")
    sizes = e.table("Tabel", "Rækker")
    assert dict(zip(sizes.column("Tabel"), sizes.column("Rækker")))["Dokumentation"] == len(sample_ws.deliveries)


def test_02_shows_the_13_month_trend_against_the_year_before_and_the_comparison(ran, sample_ws):
    e = ran["02_portfolio"]
    trend = e.chart("Udgiften de seneste 13 måneder")
    current, before = trend.data
    assert len(current.x) == 13 and current.x[-1] == "okt. 2026" and current.x[0] == "okt. 2025"
    want = eco.spend(sample_ws, "2025-10..2026-10", None).groupby("month")["cost"].sum(min_count=1)
    assert _close(list(current.y), list(want))
    assert "året før" in before.name
    both = e.table("Paragraf", "Periode", "Helårspersoner", "Gennemsnitspris")
    assert set(both.column("Periode")) == {"2026-10", "2025-10"}
    assert len(both.rows) == len(eco.full_year_persons(sample_ws, "2026-10", "paragraph")) + len(
        eco.full_year_persons(sample_ws, "2025-10", "paragraph")
    )


def test_03_answers_which_providers_deliver_less_than_we_pay_for(ran, sample_ws):
    e = ran["03_bit_match"]
    summary = bit.provider_summary(sample_ws, PERIOD)
    overview = e.table("Tilbud", "Leveringsgrad", "Kr. på spil: over", "Kr. på spil: under")
    assert len(overview.rows) == len(summary)  # every provider, not the 20 most expensive order-months
    assert _close(overview.column("Kr. på spil: over"), list(summary["dkk_over"]))
    assert _close(overview.column("Leveringsgrad"), list(summary["delivery_ratio"] * 100))
    assert overview.column("Kr. på spil: over") == sorted(overview.column("Kr. på spil: over"), reverse=True)
    bars = e.chart("Kroner på spil pr. tilbud")
    assert {t.name for t in bars.data} == {"over", "under"}
    for title in ("Leveringsgrad og dokumenterede uger", "Kroner på spil pr. måned"):
        assert all(len(t.x) == 13 for t in e.chart(title).data)


def test_03_lists_every_finding_in_danish_with_full_evidence_and_its_months(ran, sample_ws):
    e = ran["03_bit_match"]
    found = bit.findings(sample_ws, PERIOD)
    table = e.table("Fundtype", "Retning", "Kroner på spil", "Belæg", "Måneder med fundet")
    assert len(table.rows) == len(found) == 41
    assert sorted(table.column("Belæg")) == sorted(found["evidence"])  # the whole evidence text, not cut after 50 characters
    assert set(table.column("Fundtype")) <= set(pr.FINDING.values())
    assert set(table.column("Retning")) <= {"over", "under", "uafklaret"}
    assert set(table.column("Måneder med fundet")) == {1.0}
    per_type = e.table("Fundtype", "Fund", "Kroner på spil")
    assert sum(per_type.column("Fund")) == len(found)


def test_03_ends_with_the_rows_behind_a_finding_that_has_delivery_rows(ran, sample_ws):
    e = ran["03_bit_match"]
    order = e.table("Bevilling", "Borger (pseudonym)", "Startdato", "Kilde (fil og ark)").column("Bevilling")
    assert len(order) == 1
    trace = bit.explain(sample_ws, order[0], PERIOD)
    rows = e.table("Dato", "Status", "Minutter", "Kilde (fil og ark)", "Række i kilden")
    assert len(rows.rows) == len(trace["deliveries"]) > 0
    assert rows.column("Række i kilden") == [float(r) for r in trace["deliveries"]["source_row"]]
    months = e.table("Måned", "Aktive dage", "Bestilt (timer)")
    assert months.column("Måned") == list(trace["months"]["month"])
    assert f"for bevilling {order[0]}" in e.text()
    assert e.chart("BIT for borger")


def test_04_names_the_provider_it_shows_and_why(ran, sample_ws):
    e = ran["04_provider"]
    top = bit.provider_summary(sample_ws, PERIOD).dropna(subset=["provider_id"]).iloc[0]
    assert top["findings"] > 0  # the provider with most DKK at stake, never one without findings
    assert f"tilbud {top['provider_id']} ({top['provider_name']})" in e.text()
    assert "flest kroner på spil" in e.text()
    overview = e.table("Periode", "Tilbud", "Leveringsgrad")
    assert overview.column("Periode") == ["2026-10", "2025-10"]
    found = e.table("Fundtype", "Retning", "Belæg")
    assert len(found.rows) == int(top["findings"])
    per_order = e.table("Måned", "Borger (pseudonym)", "Bevilling")
    assert len(per_order.rows) == int((bit.match(sample_ws, PERIOD)["provider_id"] == top["provider_id"]).sum())
    for title in ("Bestilte og leverede timer pr. måned", "Leveringsgrad og dokumenterede uger", "Udgiften de seneste 13 måneder"):
        assert [len(t.x) for t in e.chart(title).data][:1] == [13]


def test_05_shows_every_rate_and_the_price_trend(ran, sample_ws):
    e = ran["05_rates_and_fit"]
    rates = e.table("Tilbuds-id", "Tilbud", "Takstniveau", "Takst", "Gyldig fra")
    assert len(rates.rows) == len(sample_ws.rates) == 133  # all of them, not 10 of 133
    assert e.table("Tilbuds-id", "Takst året før", "P/L-ændring").rows
    assert len(e.chart("Gennemsnitspris pr. helårsperson").data[0].x) == 13
    assert e.table("Rang", "Tilbud", "Begrundelse").rows


# --- filters that cannot crash -----------------------------------------------------------------------------------


def test_a_filter_that_selects_nothing_runs_to_the_end_and_says_so(tmp_path):
    e = run("03_bit_match", tmp_path, data_dir=str(SAMPLE), period=PERIOD, provider_id="999999", paragraph="§ 999")
    assert e.errors() == []
    text = e.text()
    assert "Tilbud '999999' findes ikke i data; de kendte er:" in text and "015466 (Specialcentret Østerlund" in text
    assert "Paragraf '§ 999' findes ikke i data" in text and "SEL §85" in text
    assert "Ingen fund for tilbud 999999" in text
    assert e.tables() == [] or all(t.headers[0] == "Periode" for t in e.tables())  # only the period comparison
    unknown = run("04_provider", tmp_path / "04", data_dir=str(SAMPLE), period=PERIOD, provider_id="999999")
    assert unknown.errors() == [] and "findes ikke i data" in unknown.text()


def test_a_paragraph_filter_written_as_the_exports_write_it_finds_the_paragraph(tmp_path, sample_ws):
    e = run("03_bit_match", tmp_path, data_dir=str(SAMPLE), period=PERIOD, paragraph="§ 85", provider_id="361")
    assert e.errors() == []
    want = bit.provider_summary(sample_ws, PERIOD, paragraph="SEL §85", provider_id="000361")
    assert len(want) == 1
    overview = e.table("Tilbud", "Leveringsgrad", "Kr. på spil: over")
    assert overview.column("Tilbud") == list(want["provider_name"])
    assert "paragraf SEL §85" in e.text()


def test_to_excel_exports_a_frame_an_analyst_made_in_danish_through_the_safe_writer(tmp_path, sample_ws):
    from openpyxl import load_workbook

    mine = bit.provider_summary(sample_ws, PERIOD).head(3).assign(note=["=1+1", "ok", "ok"])
    path = pr.to_excel(mine, tmp_path / "tilbud.xlsx", ws=sample_ws)
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Tilbuds-id", "Tilbud", "Borgere"] and "Leveringsgrad" in headers
    assert [c.value for c in sheet["A"][1:]] == list(mine["provider_id"])  # ids stay text with their zeros
    ratio = sheet.cell(2, headers.index("Leveringsgrad") + 1)
    assert ratio.number_format == "0.0%" and math.isclose(ratio.value, mine["delivery_ratio"].iloc[0])
    assert sheet.cell(2, headers.index("note") + 1).data_type == "s"  # a formula is written as text
    with pytest.raises(bit.InputError):
        pr.to_excel(mine.assign(note="Kontakt 010190-1234"), tmp_path / "cpr.xlsx", ws=sample_ws)
    assert not (tmp_path / "cpr.xlsx").exists()


@pytest.mark.parametrize("name", ["01_load_and_quality", "02_portfolio", "05_rates_and_fit"])  # 03, 04: the other file
def test_screenshot_at_1400_px_has_every_chart_and_table_and_no_clipped_label(ran, tmp_path, name):
    from bitanalysis.reports.notebook import chromium
    from bitanalysis_dev.browser import TALL, render
    from bitanalysis_dev.notebooks import to_html

    if chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    e = ran[name]
    layout = render(to_html(e.path, SAMPLE), tmp_path / f"{name}.png", width=1400, window=TALL)
    assert layout.clipped == [], "\n".join(layout.clipped)
    assert layout.scrolled == [], "\n".join(layout.scrolled)  # every table fits the page: no column to scroll to
    assert layout.errors == []
    assert layout.svg_charts == len(e.charts()) and layout.tables == len(e.tables())


def test_05_shows_the_price_per_ordered_hour_of_every_provider_and_level_and_the_price_findings(ran, sample_ws):
    e = ran["05_rates_and_fit"]
    prices = eco.price_benchmark(sample_ws, PERIOD)
    models = pr.cost_models_of(sample_ws)
    table = e.table("Tilbud", "Paragraf", "Takstniveau", "Pris pr. bestilt time", "Median", "Tilbud i gruppen", "Placering")
    assert len(table.rows) == len(prices)  # all providers and levels
    assert _close(table.column("Pris pr. bestilt time"), list(prices["price_per_hour"]))
    assert _close(table.column("Forhold til median"), list(prices["ratio"] * 100))
    assert ("Modellens pris pr. time" in table.headers) == bool(models)
    chart = e.chart("Pris pr. bestilt time pr. paragraf og takstniveau")
    assert {"Median", "Kvartiler (midterste halvdel)"} <= {t.name for t in chart.data}
    assert (pr.NO_MODEL in e.text()) if not models else all(m.label in e.text() for m in models)
    found = bit.findings(sample_ws, PERIOD)
    price_found = found[found["type"].isin(pr.PRICE_FINDINGS)]
    if len(price_found):
        shown = e.table("Fundtype", "Retning", "Kroner på spil", "Belæg")
        assert sorted(shown.column("Belæg")) == sorted(price_found["evidence"])
    else:
        assert "Ingen prisfund i oktober 2026." in e.text()
