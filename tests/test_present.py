import pandas as pd
import pytest

from bitanalysis import present as pr
from bitanalysis._period import period


def test_period_names_in_danish():
    assert pr.period_name(period("2026-10")) == "oktober 2026"
    assert pr.period_name(period("2026-Q3")) == "3. kvartal 2026"
    assert pr.period_name(period("2026")) == "året 2026"
    assert pr.period_name(period("2026-01..2026-06")) == "januar 2026 – juni 2026"


def test_small_groups_are_shown_as_less_than_five_with_their_amounts_and_shares_hidden():
    f = pd.DataFrame(
        {
            "paragraph": ["SEL §85", "SEL §108", "SEL §107", "SEL §103"],
            "citizens": [12, 3, 30, 0],
            "cost": [1000.0, 900.0, 5000.0, 0.0],
            "citizen_share": [12 / 45, 3 / 45, 30 / 45, 0.0],
        }
    )
    out = pr.suppress_small(f, hide=("cost",))
    assert out["citizens"].tolist() == [12, "<5", 30, 0]  # no citizen is in a group of 0
    # the small group's cost and share, and those of the next smallest group: the total does not give the small one away
    assert out["cost"].tolist() == [None, None, 5000.0, 0.0] and out["citizen_share"].tolist() == [None, None, 30 / 45, 0.0]
    assert f["citizens"].tolist() == [12, 3, 30, 0]  # the input is not changed
    two_small = pr.suppress_small(f.assign(citizens=[12, 3, 30, 2]), hide=("cost",))
    assert two_small["cost"].tolist() == [1000.0, None, 5000.0, None]  # two small groups hide each other
    months = pd.DataFrame({"month": ["2026-09", "2026-09", "2026-10", "2026-10"], "citizens": [3, 40, 3, 2], "cost": [1.0, 2.0, 3.0, 4.0]})
    assert pr.suppress_small(months, hide=("cost",), within="month")["cost"].tolist() == [None, None, None, None]


def test_table_formats_money_and_shares_the_danish_way():
    html = pr.table(
        pd.DataFrame({"a": ["x"], "dkk": [1234567.4], "s": [0.123]}),
        {"a": "Navn", "dkk": "Udgift", "s": "Andel"},
        money=("dkk",),
        percent_=("s",),
    ).data
    assert "1.234.567 kr." in html and "12,3 %" in html and "<th>Udgift</th>" in html


def test_drivers_name_the_main_effect_and_the_largest_moves():
    pq = pd.DataFrame({"component": ["base", "quantity", "price", "mix", "current"], "dkk": [100.0, 30.0, -5.0, 2.0, 127.0]})
    now = pd.DataFrame({"paragraph": ["A", "B"], "cost": [90.0, 37.0]})
    before = pd.DataFrame({"paragraph": ["A", "B"], "cost": [50.0, 50.0]})
    first, second, third = pr.drivers(pq, now, before)
    assert first == "Udgiften er steget med 27 kr.; den største del skyldes flere eller færre helårspersoner (mængde): +30 kr."
    assert second == "Størst stigning: A (+40 kr.)." and third == "Størst fald: B (−13 kr.)."


def test_budget_sentence():
    f = pd.DataFrame(
        {
            "area": ["total"],
            "budget": [100.0],
            "actual": [80.0],
            "committed": [30.0],
            "forecast": [110.0],
            "variance": [10.0],
            "variance_pct": [0.1],
        }
    )
    text = pr.budget_sentence(f, 2026, pd.Timestamp("2026-10-31"))
    assert "**110 kr.**" in text and "merforbrug på **10 kr.** (10,0 %)" in text and "31-10-2026" in text


def _gaps(order_days, without, rate_days=None, hours_days=0, citizens=1):
    from bitanalysis.economics import CostGaps

    rate_days = without - hours_days if rate_days is None else rate_days
    return CostGaps(order_days, without, rate_days, hours_days, 10, 1, citizens)


def test_the_order_days_without_a_cost_in_one_sentence():
    text = pr.missing_costs_sentence(_gaps(15_600, 312))
    assert text.startswith("**312 af 15.600 bevillingsdage i perioden (2,0 %) har ingen udgift**, fordi taksten mangler")
    assert "de indgår ikke i beløbene" in text and "'Takst mangler'" in text and "'Timetal mangler'" not in text
    both = pr.missing_costs_sentence(_gaps(1000, 40, rate_days=30, hours_days=10))
    assert "(30 dage), eller fordi bevillingen har en timetakst men intet timetal (10 dage)" in both
    assert pr.missing_costs_sentence(_gaps(1000, 0)) == "Alle 1.000 bevillingsdage i perioden har en udgift; beløbene er komplette."
    assert pr.missing_costs_sentence(_gaps(0, 0)) == "Der er ingen aktive bevillinger i perioden."


def test_nothing_to_report_for_a_period_without_orders_or_costs():
    assert pr.nothing_to_report(period("2019-01"), _gaps(0, 0)) == (
        "**Der er intet at rapportere for januar 2019:** ingen aktive bevillinger i perioden."
    )
    assert "ingen af periodens 54 bevillingsdage har en udgift" in pr.nothing_to_report(period("2019-01"), _gaps(54, 54))
    assert pr.nothing_to_report(period("2026-10"), _gaps(100, 99)) is None


def test_budget_sentence_never_shows_a_missing_forecast_as_zero():
    f = pd.DataFrame(
        {
            "area": ["total"],
            "budget": [100.0],
            "actual": [80.0],
            "committed": [30.0],
            "forecast": [110.0],
            "variance": [10.0],
            "variance_pct": [0.1],
            "days_without_cost": [62],
        }
    )
    assert "Beløbene omfatter ikke 62 bevillingsdage i året uden udgift" in pr.budget_sentence(f, 2026, pd.Timestamp("2026-10-31"))
    missing = f.assign(actual=float("nan"), committed=float("nan"), forecast=float("nan"), variance=float("nan"))
    text = pr.budget_sentence(missing, 2026, pd.Timestamp("2026-10-31"))
    assert text.startswith("Forventet regnskab for 2026 kan ikke opgøres") and "0 kr." not in text


def test_traffic_light_caveat_and_concentration_hide_small_counts():
    from bitanalysis.economics import Concentration

    assert "omfatter ikke 62 bevillingsdage uden udgift (0,4 % af periodens bevillingsdage, hos <5 borgere)" in (
        pr.traffic_light_caveat(_gaps(15_763, 62, citizens=2))
    )
    above = pd.DataFrame({"threshold": [1e6, 2e6], "citizens": [58, 1], "cost": [1.0, 1.0]})
    conc = Concentration(pd.DataFrame(), above, 0.287, days_without_cost=62, citizens_without_cost=2)
    text = pr.concentration_sentence(conc, "2025-priser")
    assert "**28,7 %**" in text and "Over 1.000.000 kr. om året (2025-priser): 58 borgere." in text
    assert "Over 2.000.000 kr. om året (2025-priser): <5 borgere." in text
    assert text.endswith("62 bevillingsdage uden udgift er ikke medregnet; <5 borgere helt uden udgift indgår ikke.")


def test_price_note_says_which_prices_and_what_the_index_lacks():
    assert pr.price_note(None, []) == "Beløb i løbende priser."
    assert pr.price_note(2026, []).startswith("Beløb i 2026-priser, omregnet med P/L-indekset")
    assert "P/L-indekset mangler år 2019, 2030" in pr.price_note(2030, [2019, 2030]) and "løbende priser" in pr.price_note(2030, [2030])
    assert pr.money(float("nan")) == "kan ikke opgøres" and pr.money(1234.0) == "1.234 kr."


def test_drivers_leave_out_a_group_without_a_cost():
    pq = pd.DataFrame({"component": ["base", "quantity", "price", "mix", "current"], "dkk": [100.0, 30.0, -5.0, 2.0, 127.0]})
    now = pd.DataFrame({"paragraph": ["A", "B", "C"], "cost": [90.0, 37.0, float("nan")]})
    before = pd.DataFrame({"paragraph": ["A", "B", "C"], "cost": [50.0, 50.0, 10.0]})
    _, second, third = pr.drivers(pq, now, before)
    assert second == "Størst stigning: A (+40 kr.)." and third == "Størst fald: B (−13 kr.)."  # not C (−10 kr.)


# --- interactive tables (`show`), Danish frames and Excel -----------------------------------------------------------


def _dt_args(html: str) -> dict:
    """The DataTables arguments of a `show` output (for its column renderers; its headers and rows come from `_table`)."""
    import json

    start = html.index("let dt_args = ") + len("let dt_args = ")
    return json.JSONDecoder().raw_decode(html[start:])[0]


def _preview(html: str) -> str:
    """The static preview a reader sees where JavaScript does not run."""
    start = html.index('_fallback">')
    return html[start : html.index("</div><script>", start)]


def _render(html: str, column: int) -> str:
    """The JavaScript render function of one column of a `show` output."""
    return next(d for d in _dt_args(html)["columnDefs"] if d["targets"] == column)["render"]


def _js(calls: list[tuple[str, str, str]]) -> list[str]:
    """Run render functions in node: (function source, JavaScript literal of the cell, DataTables' type) → String(result)."""
    import json
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    code = "const out = [];" + "".join(f"out.push(String(({src})({value}, {json.dumps(kind)})));" for src, value, kind in calls)
    done = subprocess.run([node, "-e", code + "console.log(JSON.stringify(out));"], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def _findings(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "type": ["double_payment", "under_delivery"] * (n // 2),
            "direction": ["over", "under"] * (n // 2),
            "dkk_at_stake": [1234.4 + i for i in range(n)],
            "delivery_ratio": [0.123] * n,
            "citizens": list(range(n)),
        }
    )


def test_show_keeps_every_row_with_danish_headers_and_a_danish_preview_of_the_first_page():
    from .executed import _table

    html = pr.show(_findings(40), ["type", "direction", "dkk_at_stake", "delivery_ratio", "citizens"], page=15).data
    t = _table(html)
    assert t.headers == ["Fundtype", "Retning", "Kroner på spil", "Leveringsgrad", "Borgere"]
    assert len(t.rows) == 40  # every row, not the first page
    assert t.column("Fundtype")[:2] == ["Dobbeltbetaling", "Leveret mindre end bestilt"] and t.column("Retning")[:2] == ["over", "under"]
    # numbers stay numbers (DataTables sorts them as numbers); shares ×100 for the ' %' renderer
    assert t.column("Kroner på spil")[:2] == [1234.4, 1235.4] and t.column("Leveringsgrad")[0] == pytest.approx(12.3)
    assert all(isinstance(v, float) for v in t.column("Borgere"))
    preview = _preview(html)
    assert preview.count("<tr>") == 15 and "Viser 15 af 40 rækker" in preview
    assert "<td>1.234 kr.</td>" in preview and "<td>12,3 %</td>" in preview and "<th>Kroner på spil</th>" in preview
    assert "<td>Dobbeltbetaling</td>" in preview
    assert "Viser" not in _preview(pr.show(_findings(4), page=15).data)  # all rows shown: no note


def test_show_labels_codes_booleans_lists_dates_and_missing_text_the_danish_way():
    from .executed import _table

    f = pd.DataFrame(
        {
            "order_id": ["o1", "o2"],
            "is_addon": [True, False],
            "themes": [["Egenomsorg", "Bolig"], ["Sundhed"]],
            "evidence": ["x", None],
            "unit": ["hour", "day"],
            "end_date": pd.to_datetime(["2026-10-31", "2026-01-05"]),
        }
    )
    html = pr.show(
        f, {"order_id": "Id", "is_addon": "Tillæg?", "themes": "Temaer", "evidence": "Belæg", "unit": "Enhed", "end_date": "Slut"}
    )
    t = _table(html.data)
    assert t.headers == ["Id", "Tillæg?", "Temaer", "Belæg", "Enhed", "Slut"]  # a dict gives its own headers
    assert t.rows == [
        ["o1", "Ja", "Egenomsorg, Bolig", "x", "time", "2026-10-31"],  # dates as ISO text: they sort as text
        ["o2", "Nej", "Sundhed", "–", "døgn", "2026-01-05"],
    ]
    assert "<td>31-10-2026</td>" in _preview(html.data)
    own = pr.show(f[["order_id"]], values={"order_id": {"o1": "Første"}}).data
    assert _table(own).column("Bevilling") == ["Første", "o2"]  # extra value labels


def test_show_gives_the_empty_sentence_for_an_empty_frame():
    out = pr.show(_findings(0), empty="Ingen fund i perioden.")
    assert type(out).__name__ == "Markdown" and out.data == "*Ingen fund i perioden.*"


def test_show_renders_numbers_the_danish_way_in_javascript():
    f = pd.DataFrame(
        {
            "dkk_at_stake": [1234567.891],
            "delivery_ratio": [0.123],
            "hours": [1234.56],
            "source_row": [12345],
            "end_date": pd.to_datetime(["2026-10-31"]),
        }
    )
    html = pr.show(f).data
    money, share, hours, row, date = (_render(html, i) for i in range(5))
    assert _js(
        [
            (money, "1234567.891", "display"),
            (money, "-0.4", "display"),  # never '-0 kr.'
            (money, "-1234.4", "display"),
            (money, "NaN", "display"),
            (money, "NaN", "sort"),  # missing amounts sort first, not as text
            (money, "null", "filter"),
            (money, "1234567.891", "sort"),  # the number itself for sorting
            (share, str(0.123 * 100), "display"),
            (hours, "1234.56", "display"),
            (row, "12345", "display"),  # a row number has no thousands point
            (date, "'2026-10-31'", "display"),
            (date, "'2026-10-31'", "sort"),
            (date, "null", "display"),
        ]
    ) == ["1.234.568 kr.", "0 kr.", "-1.234 kr.", "–", "-Infinity", "–", "1234567.891", "12,3 %", "1.234,6", "12345"] + [
        "31-10-2026",
        "2026-10-31",
        "–",
    ]


def test_show_gives_a_missing_date_as_a_dash_in_the_interactive_table():
    import json

    f = pd.DataFrame({"order_id": ["o1", "o2"], "end_date": pd.to_datetime(["2026-10-31", None])})  # an open-ended order
    html = pr.show(f).data
    cell = json.loads(_dt_args(html)["data_json"])[1][1]
    assert "<td>–</td>" in _preview(html)
    assert _js([(_render(html, 1), json.dumps(cell), "display")]) == ["–"]


def test_show_preview_never_says_minus_zero():
    assert "<td>0 kr.</td>" in _preview(pr.show(pd.DataFrame({"dkk_at_stake": [-0.4]})).data)


def test_show_gives_ja_nej_for_a_boolean_column_with_a_missing_value():
    from .executed import _table

    assert _table(pr.show(pd.DataFrame({"is_addon": [True, None]})).data).column("Tillæg") == ["Ja", "–"]


def test_show_keeps_the_static_preview_in_offline_notebook_mode(monkeypatch, capsys):
    import itables.javascript
    import plotly.io as pio

    monkeypatch.setattr(itables.javascript, "_CONNECTED", itables.javascript._CONNECTED)  # restored after the test
    monkeypatch.setattr(pio.renderers, "default", pio.renderers.default)
    pr.notebook_mode()
    assert pio.renderers.default == "plotly_mimetype+notebook" and itables.javascript._CONNECTED is False
    html = pr.show(_findings(20)).data
    assert "Viser 15 af 20 rækker" in _preview(html) and "unpkg" not in html  # nothing fetched from the network


def test_danish_frame_keeps_numbers_and_dates_and_labels_codes():
    f = _findings(2).assign(date=pd.to_datetime(["2026-10-01", None]), is_addon=[True, False], source_row=[7, 8])
    out = pr.danish(f, ["type", "direction", "dkk_at_stake", "delivery_ratio", "date", "is_addon", "source_row"])
    assert list(out.columns) == ["Fundtype", "Retning", "Kroner på spil", "Leveringsgrad", "Dato", "Tillæg", "Række i kilden"]
    assert out["Fundtype"].tolist() == ["Dobbeltbetaling", "Leveret mindre end bestilt"] and out["Retning"].tolist() == ["over", "under"]
    assert out["Kroner på spil"].tolist() == [1234.4, 1235.4] and out["Leveringsgrad"].tolist() == [0.123, 0.123]  # not ×100
    assert pd.api.types.is_datetime64_any_dtype(out["Dato"]) and pd.isna(out["Dato"][1])
    assert out["Tillæg"].tolist() == ["Ja", "Nej"] and out["Række i kilden"].tolist() == [7, 8]
    assert f["type"].tolist()[0] == "double_payment"  # the input is not changed


def test_to_excel_writes_danish_headers_and_shares_as_percent(tmp_path):
    from openpyxl import load_workbook

    path = pr.to_excel(_findings(2), tmp_path / "fund.xlsx")
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["Fundtype", "Retning", "Kroner på spil", "Leveringsgrad", "Borgere"]
    assert [c.value for c in sheet[2]][:4] == ["Dobbeltbetaling", "over", 1234.4, 0.123]
    assert sheet["D2"].number_format == "0.0%" and sheet["C2"].number_format == '#,##0 "kr."'


def test_to_excel_keeps_percent_with_own_headers(tmp_path):
    from openpyxl import load_workbook

    path = pr.to_excel(_findings(2), tmp_path / "fund.xlsx", columns={"delivery_ratio": "Grad"})
    assert load_workbook(path).active["A2"].number_format == "0.0%"


def test_to_excel_refuses_a_cpr_number_and_writes_nothing(tmp_path):
    import bitanalysis

    f = _findings(2).assign(evidence=["Se 010203-1234", "ok"])
    with pytest.raises(bitanalysis.InputError, match="CPR"):
        pr.to_excel(f, tmp_path / "fund.xlsx")
    assert list(tmp_path.iterdir()) == []  # no file, not even a temporary one


def test_every_view_column_has_a_danish_header():
    views = [pr.FINDING_VIEW, pr.MATCH_VIEW, pr.MONTH_VIEW, pr.ORDER_VIEW, pr.DELIVERY_VIEW, pr.RATE_VIEW, pr.ASSESSMENT_VIEW, pr.SUMMARY]
    assert [c for view in views for c in view if c not in pr.LABELS] == []
    assert pr.LABELS["dkk_at_stake"] == "Kroner på spil" and pr.VALUES["type"]["double_payment"] == "Dobbeltbetaling"


def test_finding_headline_and_table_sizes():
    found = pd.DataFrame(
        {
            "type": ["rate_missing"],
            "direction": ["unknown"],
            "order_id": ["o1"],
            "citizen_id": ["B-1"],
            "provider_id": ["p"],
            "dkk_at_stake": [float("nan")],
            "evidence": ["Ingen takst."],
        }
    )
    assert pr.finding_headline(found) == (
        "**Takst mangler** (uafklaret) for bevilling o1, borger B-1, tilbud p: kan ikke opgøres på spil. Ingen takst."
    )

    class Ws:
        def tables(self):
            return {"orders": pd.DataFrame({"a": [1, 2]}), "rates": pd.DataFrame()}

    assert pr.table_sizes(Ws()).to_dict("list") == {"table": ["orders", "rates"], "rows": [2, 0]}
