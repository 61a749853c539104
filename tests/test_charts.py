import pandas as pd
import plotly.io as pio
import pytest

from bitanalysis import charts

from .conftest import assessment, delivery, order, rate, workspace


def test_offline_renderer_draws_from_data_and_html_without_the_library():
    from bitanalysis.workspace.bundle import plotlyjs

    charts.use_offline_renderer()
    assert pio.renderers.default == "plotly_mimetype+bitanalysis"
    html = pio.renderers["bitanalysis"].to_mimebundle({"data": [{"type": "bar", "y": [1, 2]}], "layout": {}})["text/html"]
    assert "Plotly.newPlot" in html and plotlyjs()[:2000] not in html


def test_waterfall_follows_the_bridge_and_states_the_price_year():
    pq = pd.DataFrame(
        {
            "component": ["base", "quantity", "price", "mix", "current"],
            "label": ["Udgift 2025-10", "Mængde", "Pris", "Mix", "Udgift 2026-10"],
            "dkk": [1e6, 2e5, -5e4, 1e4, 1.16e6],
        }
    )
    fig = charts.bridge_chart(pq, price_year=2026)
    w = fig.data[0]
    assert w.type == "waterfall" and list(w.measure) == ["absolute", "relative", "relative", "relative", "absolute"]
    assert list(w.y) == [1.0, 0.2, -0.05, 0.01, 1.16]  # mio. kr.
    assert "2025-10" in fig.layout.title.text and "2026-10" in fig.layout.title.text and "2026-priser" in fig.layout.title.text
    assert fig.layout.separators == ",."


def test_month_labels_are_danish_and_money_titles_say_current_prices():
    spend = pd.DataFrame({"month": ["2026-09", "2026-10"], "paragraph": ["SEL §85", "SEL §85"], "cost": [1e6, 2e6]})
    fig = charts.spend_chart(spend, "paragraph", "3. kvartal 2026")
    assert list(fig.data[0].x) == ["sep. 2026", "okt. 2026"] and "løbende priser" in fig.layout.title.text


def test_traffic_light_shares():
    lights = pd.DataFrame({"status": ["match", "under", "over", "unknown"], "citizens": [60, 20, 10, 10], "dkk": [50.0, 20.0, 20.0, 10.0]})
    fig = charts.traffic_light_chart(lights, "oktober 2026")
    assert [t.name for t in fig.data] == ["I overensstemmelse", "Underforsyning", "Overbetaling/overforsyning", "Uafklaret"]
    assert list(fig.data[0].x) == [0.6, 0.5]


def test_traffic_light_draws_groups_under_five_citizens_as_one_grey_segment_without_figures():
    lights = pd.DataFrame({"status": ["match", "under", "over", "unknown"], "citizens": [60, 20, 2, 0], "dkk": [50.0, 20.0, 20.0, 10.0]})
    fig = charts.traffic_light_chart(lights, "oktober 2026")
    names = [t.name for t in fig.data]
    # "over" has 2 citizens; "under" is the next smallest and is hidden with it, so neither share can be worked out
    assert names == ["I overensstemmelse", "Uafklaret", "Skjult: underforsyning og overbetaling/overforsyning (grupper under 5 borgere)"]
    assert list(fig.data[2].x) == [pytest.approx(22 / 82), pytest.approx(0.4)] and fig.data[2].text is None
    assert "2 borgere" not in fig.to_json()


def test_concentration_chart_shows_no_citizen():
    per = pd.DataFrame({"citizen_id": ["B-aaaaaaaaaaaa", "B-bbbbbbbbbbbb"], "cost": [3.0, 1.0]})
    fig = charts.concentration_chart(per, "2026")
    assert "B-aaaa" not in fig.to_json()
    assert list(fig.data[0].y) == [0.0, 0.75, 1.0]


def test_empty_inputs_give_a_figure_that_says_so():
    empty = pd.DataFrame(columns=["month", "paragraph", "cost", "ordered_hours", "delivered_hours"])
    for fig in (charts.spend_chart(empty, "paragraph", "x"), charts.delivery_chart(empty, "x")):
        assert fig.layout.annotations[0].text == "Ingen data"


def test_bit_chart_has_b_i_and_t_with_size_and_content():
    ws = workspace(
        [order(hours=7, themes=["Egenomsorg"])],
        [rate(600, "hour", lo=0, hi=10)],
        [delivery("2026-10-02", 120)],
        [assessment("2026-01-01", "Egenomsorg", 3)],
    )
    fig = charts.bit_chart(ws, "c1", "2026-10")
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0].startswith("B – Behov") and titles[1].startswith("I – Indsats") and titles[2].startswith("T – Takst")
    b, ordered, delivered, t = fig.data
    assert list(b.y) == [3.0] and list(ordered.y) == [31.0] and list(delivered.y) == [2.0] and list(t.y) == [600 * 31]
    assert "Egenomsorg" in ordered.hovertext[0] and "bånd 0,0–10,0" in t.hovertext[0]


def test_missing_costs_are_never_drawn_as_zero():
    per = pd.DataFrame({"citizen_id": ["a", "b", "c"], "cost": [3.0, 1.0, float("nan")]})
    assert list(charts.concentration_chart(per, "2026").data[0].x) == [0.0, 0.5, 1.0]  # two citizens with a cost
    spend = pd.DataFrame({"month": ["2026-09", "2026-10"], "paragraph": ["SEL §85", "SEL §85"], "cost": [1e6, float("nan")]})
    bars = charts.spend_chart(spend, "paragraph", "x").data[0]
    assert list(bars.hovertext) == ["1.000.000 kr.", "kan ikke opgøres"] and pd.isna(bars.y[1])


def test_budget_chart_reads_the_date_day_first():
    f = pd.DataFrame({"area": ["SEL §85", "total"], "budget": [2e6, 2e6], "actual": [1e6, 1e6], "committed": [float("nan"), 0.0]})
    fig = charts.budget_chart(f, 2026, "01-10-2026", 2025)
    assert "pr. 01-10-2026 (2025-priser)" in fig.layout.title.text
    assert fig.data[2].hovertext == ("kan ikke opgøres",)


def _window():
    from bitanalysis.core.period import period

    return period("2025-10..2026-10"), period("2026-08..2026-10")


def test_trend_chart_draws_the_window_with_gaps_the_year_before_dotted_and_the_chosen_months_shaded():
    window, chosen = _window()
    months = [str(m) for m in window.months]
    now = pd.DataFrame({"month": months[::-1], "cost": [float(i) for i in range(13)][::-1]})  # in any order
    now.loc[now["month"] == "2026-01", "cost"] = float("nan")
    before = pd.DataFrame({"month": [str(m - 12) for m in window.months], "cost": [100.0 + i for i in range(13)]})
    fig = charts.trend_chart(now, {"cost": "Udgift"}, window, chosen, title="Udgift pr. måned", before=before)
    labels = [charts.month_label(m) for m in months]
    assert labels[:3] == ["okt. 2025", "nov. 2025", "dec. 2025"] and labels[-1] == "okt. 2026"
    assert list(fig.layout.xaxis.categoryarray) == labels and fig.layout.title.text == "Udgift pr. måned"
    line, dotted = fig.data
    assert list(line.x) == labels and list(dotted.x) == labels
    assert pd.isna(line.y[3]) and [y for i, y in enumerate(line.y) if i != 3] == [float(i) for i in range(13) if i != 3]
    assert line.connectgaps is False and line.line.dash == "solid"
    # okt. 2024 is drawn above okt. 2025: the same month a year earlier
    assert list(dotted.y) == [100.0 + i for i in range(13)] and dotted.line.dash == "dot" and dotted.name == "Udgift, samme måned året før"
    (shade,) = fig.layout.shapes
    assert (shade.x0, shade.x1) == (9.5, 12.5)  # aug., sep. and okt. 2026: positions 10 to 12 on the category axis
    assert [a.text for a in fig.layout.annotations] == ["valgt periode"]


def test_trend_chart_sums_amounts_per_month_but_refuses_to_add_up_shares():
    window, chosen = _window()
    two = pd.DataFrame({"month": ["2026-10", "2026-10", "2026-09"], "cost": [1.0, 2.0, float("nan")], "delivery_ratio": [0.5, 0.7, 0.9]})
    line = charts.trend_chart(two, {"cost": "Udgift"}, window, chosen, title="x").data[0]
    assert line.y[-1] == 3.0 and pd.isna(line.y[-2]) and pd.isna(line.y[0])  # a month without a figure is a gap, not 0
    with pytest.raises(ValueError, match="delivery_ratio"):
        charts.trend_chart(two, {"delivery_ratio": "Leveringsgrad"}, window, chosen, title="x", unit="%")
    assert charts.trend_chart(two.iloc[1:], {"delivery_ratio": "L"}, window, chosen, title="x", unit="%").layout.yaxis.tickformat == ".0%"


def test_trend_chart_of_nothing_says_so():
    window, chosen = _window()
    fig = charts.trend_chart(pd.DataFrame(columns=["month", "cost"]), {"cost": "Udgift"}, window, chosen, title="x")
    assert not fig.data and fig.layout.annotations[-1].text == "Ingen data"


def test_provider_chart_draws_under_to_the_left_and_leaves_out_providers_without_dkk_at_stake():
    summary = pd.DataFrame(
        {
            "provider_id": ["p1", "p2", "p3", "p4"],
            "provider_name": ["Bo A", None, "Bo C", "Bo D"],
            "dkk_over": [100.0, 0.0, 0.0, float("nan")],
            "dkk_under": [0.0, 50.0, 0.0, float("nan")],
            "delivery_ratio": [0.5, float("nan"), 1.0, 1.0],
        }
    )
    fig = charts.provider_chart(summary, "oktober 2026")
    over, under = fig.data
    assert [over.name, under.name] == ["over", "under"] and fig.layout.barmode == "relative"
    assert list(over.y) == ["p2", "Bo A"] and list(under.y) == ["p2", "Bo A"]  # no Bo C or Bo D; p2 by its id
    assert list(over.x) == [0.0, 100.0] and list(under.x) == [-50.0, 0.0]
    assert list(over.hovertext) == ["ingen bestilte timer", "leveringsgrad 50,0 %"]
    assert "oktober 2026" in fig.layout.title.text
    assert charts.provider_chart(summary.iloc[2:], "x").layout.annotations[0].text == "Ingen data"
    assert charts.provider_chart(summary.iloc[:0], "x").layout.annotations[0].text == "Ingen data"


def test_rate_chart_labels_stand_beside_the_bars_with_room_for_them():
    dev = pd.DataFrame(
        {
            "provider_id": ["p1", "p2", "p3"],
            "provider_name": ["Bo A", "Bo B", "Bo C"],
            "rate_level": ["L1", "L2", "L3"],
            "excess_pp": [12.0, 3.0, -4.0],
            "excess_dkk": [1e6, 2e5, -1e5],
            "placements": [10, 10, 10],
            "pl_change": [0.03, 0.03, 0.03],
        }
    )
    fig = charts.rate_chart(dev, 2026)
    bars = fig.data[0]
    assert bars.cliponaxis is False and bars.textposition == "outside"
    lo, hi = fig.layout.xaxis.range
    assert lo < -4.0 - 0.3 * 16 and hi > 12.0 + 0.3 * 16  # room beside the longest bars for their labels
    positive = charts.rate_chart(dev.assign(excess_pp=[12.0, 3.0, 1.0]), 2026).layout.xaxis.range
    assert positive[0] == 0 and positive[1] > 12.0 * 1.3  # no empty room left of zero


def test_spend_trend_chart_draws_a_panel_per_paragraph_over_the_13_months_with_the_year_before_dotted():
    window, chosen = _window()
    months = [str(m) for m in window.months]
    now = pd.DataFrame(
        {
            "month": months * 2,
            "paragraph": ["SEL §108"] * 13 + ["SEL §85"] * 13,
            "cost": [2e6 + i for i in range(13)] + [1e5] * 13,
        }
    )
    now.loc[(now["paragraph"] == "SEL §85") & (now["month"] == "2026-01"), "cost"] = float("nan")  # no cost: a gap
    now = now[~((now["paragraph"] == "SEL §85") & (now["month"] == "2025-12"))]  # no row (hidden, say): a gap too
    before = pd.DataFrame({"month": [str(m - 12) for m in window.months], "paragraph": "SEL §108", "cost": 1e6})
    fig = charts.spend_trend_chart(now, before, "paragraph", window, chosen)
    labels = [charts.month_label(m) for m in months]
    assert "Udgift pr. paragraf, seneste 13 måneder" in fig.layout.title.text and "løbende priser" in fig.layout.title.text
    assert [a.text for a in fig.layout.annotations] == ["SEL §108", "SEL §85"]  # the larger first
    big_before, big, small_before, small = fig.data
    assert all(list(t.x) == labels for t in fig.data)  # x is the 13 months, every line
    assert big.line.dash == "solid" and big_before.line.dash == "dot" and big.connectgaps is False
    assert list(big.y) == [pytest.approx((2e6 + i) / 1e6) for i in range(13)] and list(big_before.y) == [1.0] * 13
    assert pd.isna(small.y[2]) and pd.isna(small.y[3]) and small.y[4] == pytest.approx(0.1)  # dec. 2025, jan. 2026: gaps, not 0
    assert all(pd.isna(y) for y in small_before.y)  # no figures a year before: no line, no zeros
    assert small.hovertext[3] == "kan ikke opgøres"
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert len(fig.layout.shapes) == 2  # the chosen months shaded in each panel
    empty = charts.spend_trend_chart(now.iloc[:0], None, "paragraph", window, chosen)
    assert empty.layout.annotations[-1].text == "Ingen data"


def test_forecast_path_is_cumulative_actual_then_committed_against_the_budget():
    actual = pd.DataFrame({"month": ["2026-01", "2026-01", "2026-02", "2026-03", "2026-04"], "cost": [1e6, 1e6, 2e6, float("nan"), 2e6]})
    committed = pd.DataFrame({"month": ["2026-04", "2026-05", "2026-06"], "cost": [1e6, 3e6, 1e6]})
    fig = charts.forecast_path_chart(actual, committed, 15e6, 2026, "15-04-2026")
    assert "prognose for 2026 mod budgettet (løbende priser)" in fig.layout.title.text
    done, forecast, budget = fig.data
    assert list(done.x) == ["jan. 2026", "feb. 2026", "mar. 2026", "apr. 2026"] and done.name == "Forbrug til 15-04-2026"
    assert list(done.y[:2]) == [2.0, 4.0] and pd.isna(done.y[2]) and done.y[3] == 6.0  # March has no cost: a gap, never 0
    assert list(forecast.x) == ["apr. 2026", "apr. 2026", "maj 2026", "jun. 2026", "jul. 2026"] + [
        charts.month_label(f"2026-{m:02d}") for m in range(8, 13)
    ]
    # from the actual to date, April's rest is a step; months with no orders add nothing; ends on the forecast
    assert list(forecast.y) == [6.0, 7.0, 10.0, 11.0] + [11.0] * 6 and forecast.line.dash == "dash"
    assert list(budget.y) == [15.0] * 12 and len(budget.x) == 12
    assert done.hovertext[2] == "kan ikke opgøres"
    nothing = charts.forecast_path_chart(actual.iloc[:0], committed.iloc[:0], float("nan"), 2026, "31-12-2026")
    assert nothing.layout.annotations[-1].text == "Ingen data"
