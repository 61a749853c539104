import pandas as pd
import pytest

from bitanalysis import present as pr
from bitanalysis.core.period import period


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
    assert pio.renderers.default == "plotly_mimetype+bitanalysis" and itables.javascript._CONNECTED is False
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


# --- price per ordered hour (issue 19) -------------------------------------------------------------------------------


def _benchmark(model: bool = False) -> pd.DataFrame:
    """A hand-made price benchmark: SEL §85 Timetakst with 5 providers at 500, 520, 540, 560 and 700 kr. an hour (median
    540, quartiles 520 and 560: ranked, and 700 > 1,25 × 540 = 675), SEL §107 Niveau 1 with 2 providers at 1.800 and
    2.000 kr. (median 1.900, quartiles 1.850 and 1.950: shown, not ranked), and a level without a price."""
    prices = [700.0, 560.0, 540.0, 520.0, 500.0, 2000.0, 1800.0, float("nan")]
    b = pd.DataFrame(
        {
            "provider_id": ["p5", "p4", "p3", "p2", "p1", "p5", "p6", "p1"],
            "provider_name": ["Fem", "Fire", "Tre", "To", "En", "Fem", "Seks", "En"],
            "paragraph": ["SEL §85"] * 5 + ["SEL §107"] * 3,
            "rate_level": ["Timetakst"] * 5 + ["Niveau 1", "Niveau 1", "Niveau 2"],
            "orders": [5, 6, 6, 6, 6, 3, 2, 0],
            "citizens": [5, 6, 6, 6, 6, 3, 2, 0],
            "ordered_hours": [100.0, 100.0, 100.0, 100.0, 100.0, 50.0, 50.0, float("nan")],
            "cost": [p * 100 for p in prices[:5]] + [100_000.0, 90_000.0, float("nan")],
            "days_left_out": [31, 0, 0, 0, 0, 0, 0, 62],
            "price_per_hour": prices,
            "providers": [5, 5, 5, 5, 5, 2, 2, 0],
            "median": [540.0] * 5 + [1900.0, 1900.0, float("nan")],
            "q1": [520.0] * 5 + [1850.0, 1850.0, float("nan")],
            "q3": [560.0] * 5 + [1950.0, 1950.0, float("nan")],
            "rank": pd.array([1, 2, 3, 4, 5, None, None, None], dtype="Int64"),
            "ranked": [True] * 5 + [False] * 3,
            "model_price_per_hour": [600.0, 600.0, 600.0, 600.0, 600.0, 1000.0, 1000.0, float("nan")] if model else [float("nan")] * 8,
        }
    )
    b["ratio"] = b["price_per_hour"] / b["median"]
    return b


def _price_found(peers: int, over: int = 0, under: int = 0) -> pd.DataFrame:
    """Price findings, one citizen each: price_above_peers at 3.200 kr. ((700 − 540) × 20 hours), over the model at 1.000
    kr. and under it at 500 kr."""
    kinds = [("price_above_peers", 3200.0)] * peers + [("price_above_model", 1000.0)] * over + [("price_below_model", 500.0)] * under
    return pd.DataFrame(
        {
            "type": [k for k, _ in kinds],
            "citizen_id": [f"B-{i:012d}" for i in range(len(kinds))],
            "dkk_at_stake": [d for _, d in kinds],
        }
    )


def _models():
    from bitanalysis.io.cost_model import cost_models

    return cost_models(
        {
            "valid_from": __import__("datetime").date(2026, 1, 1),
            "label": "Kommunens model 2026",
            "staff_cost_per_hour": {"day": 400, "evening_night": 460, "weekend": 500},
            "hour_shares": {"day": 0.7, "evening_night": 0.2, "weekend": 0.1},
            "on_cost": 0.25,
            "overhead": 0.10,
            "occupancy": 0.95,
            "daily_non_staff": {"SEL §85": 0, "SEL §107": 450},
        }
    )


def test_price_text_counts_the_levels_above_the_peers_and_the_dkk_and_says_there_is_no_model():
    text = pr.price_text(_benchmark(), _price_found(5), (), period("2026-10"))
    assert "i 1 gruppe med mindst 5 tilbud (5 tilbudsniveauer): **1** ligger over 1,25 × gruppens median" in text
    assert "med **16.000 kr.** på spil (5 bevillinger)." in text  # 5 × (700 − 540) × 20 hours
    assert (
        text.endswith(pr.NO_MODEL) and pr.NO_MODEL == "Datamappen har ingen omkostningsmodel; kun sammenligningen med andre tilbud vises."
    )
    calm = pr.price_text(
        _benchmark().assign(price_per_hour=[600.0, 560, 540, 520, 500, 2000, 1800, float("nan")]), _price_found(0), (), period("2026-10")
    )
    assert "intet ligger over 1,25 × gruppens median." in calm and "på spil" not in calm


def test_price_text_hides_a_figure_fewer_than_five_citizens_stand_behind():
    text = pr.price_text(_benchmark(), _price_found(3), (), period("2026-10"))
    assert f"færre end {pr.SMALL} borgere, så antal og beløb vises ikke" in text
    assert "9.600" not in text and "**1**" not in text  # neither the DKK (3 × 3.200) nor the count


def test_price_text_without_a_ranked_group_says_nothing_is_ranked():
    b = _benchmark().assign(ranked=False, rank=pd.array([None] * 8, dtype="Int64"))
    text = pr.price_text(b, _price_found(0), (), period("2026-10"))
    assert "rangeres kun, hvor mindst 5 tilbud har en pris; det har ingen gruppe i oktober 2026" in text


def test_price_text_with_a_model_gives_the_dkk_over_and_under_it_as_the_municipalitys_own_assumptions():
    text = pr.price_text(_benchmark(True), _price_found(5, over=6, under=2), _models(), period("2026-10"))
    assert "omkostningsmodellen ('Kommunens model 2026' fra 01-01-2026) – kommunens egne antagelser" in text
    assert "**6** bevillinger mere end 15 % over (**6.000 kr.** over modellens udgift)" in text
    assert "bevillinger under modellen for færre end 5 borgere (antal og beløb vises ikke)" in text and "1.000 kr. under" not in text
    assert pr.NO_MODEL not in text
    before = pr.price_text(_benchmark(True), _price_found(5), _models(), period("2025-10"))
    assert "Omkostningsmodellen gælder først fra 01-01-2026, så oktober 2025 holdes ikke op mod den." in before


def test_price_level_text_says_over_or_under_the_peers_and_the_model_and_never_zero_kroner():
    b = _benchmark(True)
    dear = pr.price_level_text(b.iloc[0], True)
    assert dear == (
        "**SEL §85, Timetakst**: 700 kr. pr. bestilt time, 30 % over medianen på 540 kr. hos 5 tilbud (kvartiler 520 kr.–560 kr.); "
        "nr. 1 af 5, dyreste først. Det er over 1,25 × medianen (fundet 'Pris over andre tilbuds'). Omkostningsmodellens pris "
        "er 600 kr. pr. bestilt time; prisen er 17 % over den (mere end 15 % fra den). 31 bevillingsdage uden udgift eller "
        "timetal er ikke medregnet."
    )
    cheap = pr.price_level_text(b.iloc[4], True)  # 500 / 540 = 0.926; 500 / 600 = 0.833
    assert "7 % under medianen" in cheap and "nr. 5 af 5" in cheap and "17 % under den (mere end 15 % fra den)" in cheap
    assert "bevillingsdage" not in cheap  # none left out: nothing to say
    small = pr.price_level_text(b.iloc[5], False)
    assert "2.000 kr. pr. bestilt time, 5 % over medianen på 1.900 kr. hos 2 tilbud (kvartiler 1.850 kr.–1.950 kr.)" in small
    assert "gruppen har færre end 5 tilbud, så prisen vises, men rangeres ikke." in small and "Omkostningsmodellen" not in small
    none = pr.price_level_text(b.iloc[7], True)
    assert "kan ikke opgøres" in none and "(62 bevillingsdage udeladt)" in none and "0 kr." not in none


def test_provider_price_text_has_a_line_per_level_and_the_model_or_the_no_model_sentence():
    mine = _benchmark()[lambda f: f["provider_id"] == "p5"]
    text = pr.provider_price_text(mine, (), period("2026-10"))
    assert pr.NO_MODEL in text and text.count("\n- **") == 2 and "Grupper med færre end 5 tilbud vises, men rangeres ikke" in text
    with_model = pr.provider_price_text(_benchmark(True)[lambda f: f["provider_id"] == "p5"], _models(), period("2026-10"))
    assert "Omkostningsmodellen ('Kommunens model 2026' fra 01-01-2026) er kommunens egne antagelser" in with_model
    assert "Omkostningsmodellens pris er 1.000 kr." in with_model
    assert "ingen pris pr. time at vise" in pr.provider_price_text(mine.iloc[:0], (), period("2026-10"))


def test_price_view_and_rank_words_and_the_cost_model_in_words():
    b = _benchmark()
    view = pr.price_view(b)
    assert list(view.columns) == [c for c in pr.PRICE_VIEW if c != "model_price_per_hour"]  # no model: no model column
    assert "model_price_per_hour" in pr.price_view(b, _models()).columns
    sheet = pr.price_view(b, (), pr.PRICE_SHEET)
    assert sheet["price_rank"].tolist()[:5] == [1, 2, 3, 4, 5] and "rank" not in sheet
    assert pr.price_rank_words(b).tolist() == ["1 af 5", "2 af 5", "3 af 5", "4 af 5", "5 af 5"] + ["vises, men rangeres ikke"] * 2 + ["–"]
    text = pr.cost_model_text(_models(), period("2026-10"))
    # (400 × 0,7 + 460 × 0,2 + 500 × 0,1) × 1,25 = 527,50 kr.; × 1,10 / 0,95 = 610,79 kr.
    assert "en bestilt time koster 528 kr. i personale og 611 kr. med overhead og belægning" in text
    assert "**'Kommunens model 2026' fra 01-01-2026** (bruges i perioden)" in text and "SEL §107 450" in text
    assert "Ingen version gælder i oktober 2025" in pr.cost_model_text(_models(), period("2025-10"))
    assert pr.cost_model_text(()) == pr.NO_MODEL


def test_the_price_columns_have_danish_headers_and_kroner_and_share_formats(tmp_path):
    from openpyxl import load_workbook

    assert [c for c in [*pr.PRICE_VIEW, *pr.PRICE_SHEET] if c not in pr.LABELS] == []
    path = pr.to_excel(pr.price_view(_benchmark(True), _models(), pr.PRICE_SHEET), tmp_path / "pris.xlsx")
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["Paragraf", "Takstniveau"] and "Placering" in headers and "Modellens pris pr. time" in headers
    formats = {h: sheet.cell(2, i + 1).number_format for i, h in enumerate(headers)}
    for money in ("Pris pr. bestilt time", "Median", "Nedre kvartil", "Øvre kvartil", "Modellens pris pr. time", "Udgift"):
        assert formats[money] == '#,##0 "kr."', money
    assert formats["Forhold til median"] == "0.0%" and formats["Placering"] == "0" and formats["Bevillingsdage udeladt"] == "#,##0"
    assert sheet.cell(2, headers.index("Rangeret") + 1).value == "Ja"


def test_a_provider_is_not_shown_a_median_that_gives_away_another_providers_price():
    b = pd.DataFrame(
        {
            "provider_id": ["A", "B", "A", "B", "C", "D", "E"],
            "paragraph": ["SEL §85"] * 2 + ["SEL §107"] * 5,
            "rate_level": ["T"] * 2 + ["N1"] * 5,
            "price_per_hour": [500.0, 700.0, 400.0, 410.0, 420.0, 430.0, float("nan")],
            "providers": [2, 2, 4, 4, 4, 4, 4],
            "median": [600.0, 600.0, 415.0, 415.0, 415.0, 415.0, 415.0],
            "q1": [550.0] * 2 + [407.5] * 5,
            "q3": [650.0] * 2 + [422.5] * 5,
            "ratio": [500 / 600, 700 / 600, 400 / 415, 410 / 415, 420 / 415, 430 / 415, float("nan")],
        }
    )
    a = pr.peers_for_provider(b, "A").set_index("paragraph")
    # §85: A and one other (median 600 and A's 500 give B's 700): hidden. §107: three others priced: shown.
    assert a.loc["SEL §85", ["median", "q1", "q3", "ratio"]].isna().all() and a.at["SEL §107", "median"] == 415
    e = pr.peers_for_provider(b, "E").set_index("paragraph")
    assert e.at["SEL §107", "median"] == 415  # E has no price; four others have: their median gives away no one's


def test_every_finding_type_has_a_danish_name_and_an_action():
    from bitanalysis.bit.finding_types import DIRECTION

    assert set(pr.FINDING) == set(DIRECTION) and set(pr.ACTION) == set(DIRECTION)
    assert all(pr.FINDING[t].strip() and pr.ACTION[t].strip() for t in DIRECTION)
