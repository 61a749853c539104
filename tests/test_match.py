"""The match (contract §2) against figures computed by hand, written as arithmetic a reader can check."""

import pandas as pd
import pytest

from bitanalysis import Workspace, accounting, explain, match
from bitanalysis.bit.deliveries import assign_deliveries
from bitanalysis.core.period import period
from bitanalysis.core.settings import Settings

from .conftest import assessment, delivery, order, rate, workspace


def row(m: pd.DataFrame, month: str, order_id: str = "o1") -> pd.Series:
    hit = m[(m["month"] == month) & (m["order_id"] == order_id)]
    assert len(hit) == 1, m
    return hit.iloc[0]


def test_day_rate_across_a_month_end():
    ws = workspace([order(start="2026-01-20", end="2026-02-10")], [rate(1000, "day")])
    m = match(ws, "2026-01..2026-02")
    assert row(m, "2026-01").active_days == 12  # 20..31 January
    assert row(m, "2026-01").cost == 12 * 1000
    assert row(m, "2026-02").active_days == 10
    assert row(m, "2026-02").cost == 10 * 1000


def test_week_rate_is_a_seventh_per_day():
    m = match(workspace([order(start="2026-01-01")], [rate(700, "week")]), "2026-01")
    assert row(m, "2026-01").cost == pytest.approx(31 * 700 / 7)


def test_month_rate_in_a_leap_february():
    ws = workspace([order(start="2028-02-15", end="2028-03-10")], [rate(29000, "month")])
    m = match(ws, "2028-02..2028-03")
    assert row(m, "2028-02").cost == pytest.approx(29000 / 29 * 15)  # 15..29 February 2028
    assert row(m, "2028-03").cost == pytest.approx(29000 / 31 * 10)


def test_year_rate_full_year_costs_its_amount_also_in_a_leap_year():
    ws = workspace(
        [order(start="2020-01-01")],
        [rate(366000, "year", start="2028-01-01", end="2028-12-31"), rate(365000, "year", start="2026-01-01", end="2026-12-31")],
    )
    assert match(ws, "2028")["cost"].sum() == pytest.approx(366000)
    assert row(match(ws, "2028-02"), "2028-02").cost == pytest.approx(366000 / 366 * 29)
    assert match(ws, "2026")["cost"].sum() == pytest.approx(365000)


def test_hour_rate_billed_on_ordered_hours():
    m = match(workspace([order(start="2026-03-01", hours=3.5)], [rate(500, "hour")]), "2026-03")
    r = row(m, "2026-03")
    assert r.ordered_hours == pytest.approx(3.5 * 31 / 7)  # 15.5 hours
    assert r.cost == pytest.approx(500 * 3.5 / 7 * 31)  # 7,750 kr.
    assert r.implied_hourly_price == pytest.approx(500)


def test_hour_rate_billed_on_delivered_hours_setting():
    ws = workspace([order(start="2026-03-01", hours=3.5)], [rate(500, "hour")], [delivery("2026-03-02", 90), delivery("2026-03-20", 30)])
    r = row(match(ws, "2026-03", Settings(hourly_billing="delivered")), "2026-03")
    assert r.cost == pytest.approx(500 * (90 + 30) / 60)  # 1,000 kr. for two delivered hours


def test_order_crossing_a_rate_change_on_1_january():
    ws = workspace(
        [order(start="2025-12-15", end="2026-01-10")],
        [rate(1000, start="2025-01-01", end="2025-12-31"), rate(1032, start="2026-01-01", end="2026-12-31")],
    )
    m = match(ws, "2025-12..2026-01")
    assert row(m, "2025-12").cost == 17 * 1000  # 15..31 December at the 2025 rate
    assert row(m, "2026-01").cost == 10 * 1032  # 1..10 January at the 2026 rate


def test_rate_change_inside_a_month_is_prorated_by_day():
    ws = workspace([order(start="2026-01-01")], [rate(31000, "month", end="2026-04-15"), rate(30000, "month", start="2026-04-16")])
    assert row(match(ws, "2026-04"), "2026-04").cost == pytest.approx(31000 / 30 * 15 + 30000 / 30 * 15)


def test_mid_month_start_and_end_and_open_ended_orders():
    ws = workspace([order("o1", start="2026-10-10", end="2026-10-20"), order("o2", start="2024-06-01")], [rate(100)])
    m = match(ws, "2026-10")
    assert row(m, "2026-10", "o1").active_days == 11
    assert row(m, "2026-10", "o2").active_days == 31
    assert row(m, "2026-10", "o2").ordered_hours == pytest.approx(7 * 31 / 7)


def test_days_without_rate_give_missing_cost_not_zero():
    ws = workspace([order(start="2026-10-01")], [rate(1000, end="2026-10-15")])
    r = row(match(ws, "2026-10"), "2026-10")
    assert r.days_without_rate == 16
    assert pd.isna(r.cost)
    r2 = row(match(workspace([order(level="X")], [rate(1000)]), "2026-10"), "2026-10")
    assert r2.days_without_rate == 31 and pd.isna(r2.cost)


def test_delivered_hours_ratio_and_prices():
    ws = workspace(
        [order(start="2026-10-01", hours=7)],
        [rate(600, "hour")],
        [delivery("2026-10-01", 60), delivery("2026-10-15", "90"), delivery("2026-09-30", 600), delivery("2026-11-01", 600)],
    )
    r = row(match(ws, "2026-10"), "2026-10")
    assert r.ordered_hours == 31  # 7 h/week × 31 days / 7
    assert r.delivered_hours == 2.5  # the rows of 30 Sept and 1 Nov are outside October
    assert r.delivery_ratio == pytest.approx(2.5 / 31)
    assert r.cost == pytest.approx(600 * 31)
    assert r.cost_per_delivered_hour == pytest.approx(600 * 31 / 2.5)


def test_delivery_matching_by_service_and_ambiguity():
    orders = [order("o1", service="Socialpædagogisk støtte"), order("o2", service="Tillæg 1:1 støtte", addon=True)]
    ws = workspace(
        orders,
        [rate(100)],
        [
            delivery("2026-10-02", 60, service="Tillæg 1:1 støtte"),  # two candidates, one with the same service → o2
            delivery("2026-10-03", 30),  # two candidates, no service → ambiguous
            delivery("2026-10-04", 45, provider_id="other"),  # no order → unmatched
        ],
    )
    a = assign_deliveries(ws, period("2026-10")).set_index("date")
    assert a.at[pd.Timestamp("2026-10-02"), "order_id"] == "o2"
    assert a.at[pd.Timestamp("2026-10-03"), "status"] == "ambiguous"
    assert a.at[pd.Timestamp("2026-10-04"), "status"] == "unmatched"
    m = match(ws, "2026-10")
    assert row(m, "2026-10", "o1").delivered_hours == 0  # the ambiguous row is counted for no order
    assert row(m, "2026-10", "o2").delivered_hours == 1
    acc = accounting(ws, "2026-10")
    assert acc.loc["ambiguous", "minutes"] == 30 and acc.loc["ambiguous", "rows"] == 1
    assert acc.loc["loaded", "minutes"] == 60 + 30 + 45
    assert acc.loc["matched", "minutes"] + acc.loc["unmatched", "minutes"] + acc.loc["ambiguous", "minutes"] == acc.loc["loaded", "minutes"]


def test_orders_of_another_provider_or_citizen_do_not_take_rows():
    ws = workspace([order("o1"), order("o2", citizen_id="c2")], [rate(100)], [delivery("2026-10-05", 60, citizen_id="c2")])
    m = match(ws, "2026-10")
    assert row(m, "2026-10", "o2").delivered_hours == 1 and row(m, "2026-10", "o1").delivered_hours == 0


def test_explain_returns_the_rows_behind_a_match_row():
    ws = workspace(
        [order(start="2026-10-01")],
        [rate(1000, end="2025-12-31"), rate(1032, start="2026-01-01")],
        [delivery("2026-10-02", 60), delivery("2026-10-03", 30, provider_id="q")],
        [assessment("2026-01-01", "Egenomsorg", 2)],
    )
    e = explain(ws, "o1", "2026-10")
    assert e["months"]["cost"].tolist() == [31 * 1032]
    assert e["rates"]["amount"].tolist() == [1032]
    assert e["deliveries"]["minutes"].tolist() == [60]
    assert e["assessments"]["theme"].tolist() == ["Egenomsorg"]
    with pytest.raises(KeyError):
        explain(ws, "nope", "2026-10")


# --- properties on random small workspaces -------------------------------------------------------------------

from datetime import date, timedelta  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

DAY0 = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=364).map(lambda n: (DAY0 + timedelta(days=n)).isoformat())


@st.composite
def workspaces(draw):
    orders = []
    for i in range(draw(st.integers(1, 4))):
        a, b = sorted([draw(days), draw(days)])
        orders.append(
            order(
                f"o{i}",
                citizen_id=draw(st.sampled_from(["c1", "c2"])),
                provider_id=draw(st.sampled_from(["p", "q"])),
                start=a,
                end=draw(st.sampled_from([b, None])),
                hours=draw(st.sampled_from([1.5, 7.0, None])),
                service=draw(st.sampled_from(["S", "T"])),
            )
        )
    rates = []
    for provider in ("p", "q"):
        split = draw(days)
        unit = draw(st.sampled_from(["day", "week", "month", "year", "hour"]))
        rates += [
            rate(draw(st.integers(1, 5000)), unit, provider_id=provider, start="2025-06-01", end=split),
            rate(draw(st.integers(1, 5000)), unit, provider_id=provider, start=(date.fromisoformat(split) + timedelta(days=1)).isoformat()),
        ]
    deliveries = [
        delivery(
            draw(days),
            draw(st.integers(0, 240)),
            citizen_id=draw(st.sampled_from(["c1", "c2"])),
            provider_id=draw(st.sampled_from(["p", "q"])),
            service=draw(st.sampled_from(["S", "T", None])),
        )
        for _ in range(draw(st.integers(0, 25)))
    ]
    return workspace(orders, rates, deliveries)


ADDITIVE = ["active_days", "ordered_hours", "delivered_hours", "cost", "days_without_rate"]


@settings(max_examples=12, deadline=None)
@given(workspaces(), st.integers(1, 4))
def test_property_quarter_is_the_sum_of_its_months_and_minutes_are_counted_once(ws, q):
    quarter_is_the_sum_of_its_months(ws, q)


@pytest.mark.long
@settings(max_examples=120, deadline=None)
@given(workspaces(), st.integers(1, 4))
def test_property_quarter_is_the_sum_of_its_months_at_ci_count(ws, q):
    """The same property on 120 more drawn workspaces (CI: `make test-long`)."""
    quarter_is_the_sum_of_its_months(ws, q)


def quarter_is_the_sum_of_its_months(ws: Workspace, q: int) -> None:
    """A quarter's additive figures are its months' sums per order; its minutes are each counted once."""
    quarter = match(ws, f"2026-Q{q}")
    months = pd.concat([match(ws, f"2026-{m:02d}") for m in range(3 * q - 2, 3 * q + 1)])
    for col in ADDITIVE:
        a, b = quarter.groupby("order_id")[col].sum(min_count=1), months.groupby("order_id")[col].sum(min_count=1)
        pd.testing.assert_series_equal(a, b, check_dtype=False)
    acc = accounting(ws, f"2026-Q{q}")
    assert quarter["delivered_hours"].sum() * 60 == pytest.approx(acc.loc["matched", "minutes"])
    assert acc.loc[["matched", "unmatched", "ambiguous"], "minutes"].sum() == pytest.approx(acc.loc["loaded", "minutes"])
    assert acc.loc[["matched", "unmatched", "ambiguous"], "rows"].sum() == acc.loc["loaded", "rows"]
    in_period = ws.deliveries[(ws.deliveries["date"] >= period(f"2026-Q{q}").start) & (ws.deliveries["date"] <= period(f"2026-Q{q}").end)]
    assert acc.loc["loaded", "minutes"] == pytest.approx(in_period["minutes"].sum())


@settings(max_examples=30, deadline=None)
@given(st.integers(2020, 2030), st.integers(1, 3_000_000))
def test_property_a_full_calendar_year_of_a_year_rate_costs_its_amount(year, amount):
    ws = workspace(
        [order(start=f"{year - 1}-03-01", end=f"{year + 1}-02-01")], [rate(amount, "year", start=f"{year}-01-01", end=f"{year}-12-31")]
    )
    m = match(ws, str(year))
    assert m["cost"].sum() == pytest.approx(amount, rel=1e-12)
    assert (m["days_without_rate"] == 0).all()


def test_the_match_reads_delivery_rows_from_parquet_as_from_memory(tmp_path):
    orders = [order("o1", service="S"), order("o2", service="T", addon=True), order("o3", citizen_id="c2")]
    rows = [
        delivery("2026-10-02", 60, service="T"),
        delivery("2026-10-03", 30),
        delivery("2026-10-04", 45, citizen_id="c2"),
        delivery("2026-10-05", 15, provider_id="other"),
        delivery("2026-11-01", 90, citizen_id="c2"),
    ]
    memory = workspace(orders, [rate(100)], rows)
    folder = tmp_path / "Borgers' data"  # a quote in the path must not break the query
    folder.mkdir()
    memory.deliveries.to_parquet(folder / "deliveries.parquet")
    on_disk = Workspace(
        **{t: getattr(memory, t) for t in memory.tables() if t != "deliveries"},
        deliveries=folder / "deliveries.parquet",
        load_report=memory.load_report,
    )
    pd.testing.assert_frame_equal(match(on_disk, "2026-10"), match(memory, "2026-10"))
    pd.testing.assert_frame_equal(accounting(on_disk, "2026-10"), accounting(memory, "2026-10"))
    assert on_disk._deliveries is None  # aggregated by DuckDB in the file, never read into pandas
    assert row(match(on_disk, "2026-10"), "2026-10", "o3").delivered_hours == 0.75  # the November row is another month
    assert accounting(on_disk, "2026-10").loc["unmatched", "minutes"] == 15


def test_a_replaced_table_is_not_answered_from_the_remembered_match():
    ws = workspace([order("o1"), order("o2", citizen_id="c2")], [rate(100)], [delivery("2026-10-05", 60)])
    assert set(match(ws, "2026-10")["order_id"]) == {"o1", "o2"}
    ws.orders = ws.orders[ws.orders["order_id"] == "o1"]
    assert set(match(ws, "2026-10")["order_id"]) == {"o1"}
    ws.deliveries = ws.deliveries.iloc[:0]
    assert match(ws, "2026-10")["delivered_hours"].sum() == 0
    ws.rates = ws.rates.assign(amount=200.0)
    assert match(ws, "2026-10")["cost"].sum() == 200 * 31


# --- the edges real exports have (issue 12) -------------------------------------------------------------------


def test_a_rate_row_repeated_for_part_of_the_year_keeps_the_months_after_it():
    ws = workspace(
        [order(start="2026-01-01")],
        [rate(1000, "day", start="2026-01-01", end="2026-12-31"), rate(1000, "day", start="2026-03-01", end="2026-04-30")],
    )
    m = match(ws, "2026")
    assert m["cost"].sum() == pytest.approx(365 * 1000)  # every day once: no gap after April, no day twice
    assert m["days_without_rate"].sum() == 0


def test_an_hourly_rate_on_an_order_without_hours_has_no_cost_and_no_missing_rate_days():
    m = match(workspace([order(start="2026-03-01", hours=None)], [rate(500, "hour")]), "2026-03")
    assert pd.isna(row(m, "2026-03").cost) and row(m, "2026-03").days_without_rate == 0


def test_a_delivery_service_in_other_case_and_spacing_matches_the_order_with_that_service():
    orders = [order("o1", service="Socialpædagogisk støtte"), order("o2", service="Ophold")]
    ws = workspace(orders, [rate(1000, "day")], [delivery("2026-10-05", 60, service=" socialpædagogisk  STØTTE ")])
    acc = accounting(ws, "2026-10")
    assert acc.at["matched", "rows"] == 1 and acc.at["ambiguous", "rows"] == 0
    assert row(match(ws, "2026-10"), "2026-10", "o1").delivered_hours == 1.0


def test_a_table_changed_in_place_gives_the_new_cost():
    ws = workspace([order(start="2026-10-01")], [rate(100, "day")])
    assert match(ws, "2026-10")["cost"].sum() == 3100
    ws.rates.loc[0, "amount"] = 200  # as in a notebook
    assert match(ws, "2026-10")["cost"].sum() == 6200


def test_accounting_counts_loaded_rows_from_the_rows_themselves():
    # two candidate orders with the same service make the row ambiguous; loaded still counts it
    orders = [order("o1"), order("o2")]
    rows = [
        delivery("2026-10-05", 60, service="Socialpædagogisk støtte"),
        delivery("2026-10-06", 30, citizen_id="c9"),
        delivery("2026-11-01", 15),
    ]
    acc = accounting(workspace(orders, [rate(1000, "day")], rows), "2026-10")
    assert acc["rows"].to_dict() == {"matched": 0, "unmatched": 1, "ambiguous": 1, "loaded": 2}
    assert acc.at["loaded", "minutes"] == 90
