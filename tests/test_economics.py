"""Portfolio economics against figures computed by hand."""

import pandas as pd
import pytest

from bitanalysis import Settings
from bitanalysis import economics as e

from .conftest import SAMPLE, delivery, order, rate, workspace  # noqa: F401


def test_spend_by_paragraph_sums_to_the_match():
    ws = workspace(
        [
            order("a", paragraph="SEL §85", start="2026-01-01"),
            order("b", citizen_id="c2", paragraph="SEL §108", start="2026-02-15", level="B"),
        ],
        [rate(100), rate(1000, level="B")],
    )
    s = e.spend(ws, "2026-Q1", by="paragraph")
    by_par = s.groupby("paragraph")["cost"].sum()
    assert by_par["SEL §85"] == 100 * (31 + 28 + 31)
    assert by_par["SEL §108"] == 1000 * (14 + 31)  # 15..28 February and March
    assert s["cost"].sum() == 9_000 + 45_000  # by hand, not by the match's own sum
    assert (s["days_without_cost"] == 0).all() and s["days_without_cost"].dtype == "int64"


def test_full_year_persons_in_a_leap_year_and_overlaps_count_once():
    ws = workspace(
        [
            order("a", start="2027-06-01"),  # all of 2028
            order("b", citizen_id="c2", start="2028-02-01", end="2028-02-29"),  # 29 days
            order("c", citizen_id="c2", start="2028-02-10", end="2028-03-10", addon=True),
        ],  # overlaps b from the 10th
        [rate(100)],
    )
    f = e.full_year_persons(ws, "2028")
    # c1: 366 / 366; c2: 1..29 February and 1..10 March = 39 distinct days / 366
    assert f.at[0, "full_year_persons"] == pytest.approx(1 + 39 / 366)
    assert f.at[0, "citizens"] == 2
    assert f.at[0, "cost"] == pytest.approx(100 * (366 + 29 + 30))  # order c: 10 February .. 10 March = 30 days
    assert f.at[0, "average_price"] == pytest.approx(100 * 425 / (1 + 39 / 366))


def test_budget_forecast_with_an_order_ending_mid_year_and_a_rate_change_on_1_january():
    ws = workspace(
        [
            order("a", paragraph="SEL §108", level="A", start="2025-03-01"),  # open-ended: runs to 31 December
            order("b", citizen_id="c2", paragraph="SEL §107", level="B", start="2025-01-01", end="2026-06-15"),
            order("x", citizen_id="c3", paragraph="SEL §104", level="A", start="2026-12-01"),
        ],  # no budget line: 'Øvrige'
        [rate(1000, level="A", end="2025-12-31"), rate(1100, level="A", start="2026-01-01"), rate(30000, "month", level="B")],
    )
    ws.budget = pd.DataFrame(
        {
            "year": pd.array([2026, 2026, 2025], dtype="Int64"),
            "area": ["SEL §108", "SEL §107", "SEL §108"],
            "amount": [400_000.0, 150_000.0, 1.0],
        }
    )
    b = e.budget_followup(ws, 2026, "2026-03-31").set_index("area")
    assert b.at["SEL §108", "actual"] == 90 * 1100  # 1 January .. 31 March at the 2026 rate
    assert b.at["SEL §108", "committed"] == 275 * 1100  # 1 April .. 31 December
    assert b.at["SEL §108", "variance"] == 90 * 1100 + 275 * 1100 - 400_000  # 1,500
    assert b.at["SEL §108", "variance_pct"] == pytest.approx(1_500 / 400_000)
    assert b.at["SEL §107", "actual"] == 3 * 30_000
    assert b.at["SEL §107", "committed"] == 30_000 + 30_000 + 30_000 * 15 / 30  # April, May, 1..15 June
    assert b.at["SEL §107", "forecast"] == 165_000 and b.at["SEL §107", "variance"] == 15_000
    assert b.at["Øvrige", "committed"] == 31 * 1100 and pd.isna(b.at["Øvrige", "budget"])
    assert b.at["total", "budget"] == 550_000
    assert b.at["total", "forecast"] == 401_500 + 165_000 + 34_100


def test_budget_forecast_at_a_mid_month_date_splits_the_month():
    ws = workspace(
        [
            order("a", paragraph="SEL §108", level="A", start="2025-03-01"),
            order("b", citizen_id="c2", paragraph="SEL §107", level="B", start="2025-01-01", end="2026-06-15"),
        ],
        [rate(1100, level="A"), rate(30000, "month", level="B")],
    )
    ws.budget = pd.DataFrame(
        {"year": pd.array([2026, 2026], dtype="Int64"), "area": ["SEL §108", "SEL §107"], "amount": [400_000.0, 150_000.0]}
    )
    b = e.budget_followup(ws, 2026, "2026-03-15").set_index("area")
    assert b.at["SEL §108", "actual"] == (31 + 28 + 15) * 1100  # 1 January .. 15 March
    assert b.at["SEL §108", "committed"] == (365 - 74) * 1100  # 16 March .. 31 December
    assert b.at["SEL §107", "actual"] == pytest.approx(2 * 30_000 + 30_000 * 15 / 31)
    assert b.at["SEL §107", "committed"] == pytest.approx(30_000 * 16 / 31 + 2 * 30_000 + 30_000 * 15 / 30)


def test_price_quantity_and_mix_sum_exactly_to_the_change():
    # 2025: group A (§85, L1) 2 citizens × 100 kr./day, group B (§108, L2) 1 citizen × 1,000 kr./day, all year.
    # 2026: group A 3 citizens × 110 kr./day, group B unchanged.
    orders = [
        order("a1", citizen_id="c1", start="2025-01-01"),
        order("a2", citizen_id="c2", start="2025-01-01"),
        order("a3", citizen_id="c3", start="2026-01-01"),
        order("b1", citizen_id="c4", start="2025-01-01", paragraph="SEL §108", level="L2"),
    ]
    rates = [rate(100, end="2025-12-31"), rate(110, start="2026-01-01"), rate(1000, level="L2")]
    pq = e.price_quantity(workspace(orders, rates), "2026", "2025").set_index("component")["dkk"]
    c0, c1 = 2 * 36_500 + 365_000, 3 * 40_150 + 365_000  # 438,000 and 485,450
    assert pq["base"] == c0 and pq["current"] == c1
    assert pq["quantity"] == pytest.approx((4 - 3) * c0 / 3)  # one more full-year person at the old average price 146,000
    assert pq["price"] == pytest.approx((40_150 - 36_500) * 3)  # 10,950
    assert pq["mix"] == pytest.approx(36_500 * 3 + 365_000 * 1 - 4 * 146_000)  # -109,500: the new person is in the cheap group
    assert pq["quantity"] + pq["price"] + pq["mix"] == pytest.approx(c1 - c0, abs=1e-6)


def test_concentration():
    ws = workspace(
        [
            order("a", citizen_id="c1", level="H", start="2025-01-01"),
            order("b", citizen_id="c2", level="V", start="2025-01-01"),
            order("c", citizen_id="c3", level="L", start="2025-01-01"),
        ],
        [rate(3000, level="H"), rate(6000, level="V"), rate(100, level="L")],
    )
    c = e.concentration(ws, "2026")
    assert c.per_citizen["citizen_id"].tolist() == ["c2", "c1", "c3"]
    above = c.above.set_index("threshold")
    assert above.at[1_000_000, "citizens"] == 2 and above.at[1_000_000, "cost"] == 6000 * 365 + 3000 * 365
    assert above.at[2_000_000, "citizens"] == 1
    assert c.top_decile_share == pytest.approx(6000 / (6000 + 3000 + 100))  # the top 10 % of 3 citizens is 1 citizen
    october = e.concentration(ws, "2026-10")
    assert october.per_citizen.at[0, "annualised_cost"] == pytest.approx(6000 * 31 * 365 / 31)


def test_rate_development_against_pl_and_fixed_prices():
    ws = workspace([order(start="2025-01-01")], [rate(1000, end="2025-12-31"), rate(1050, start="2026-01-01")])
    ws.price_index = pd.DataFrame({"year": pd.array([2025, 2026], dtype="Int64"), "factor": [1.000, 1.032]})
    r = e.rate_development(ws, 2026).iloc[0]
    assert r.change == pytest.approx(0.05) and r.pl_change == pytest.approx(0.032)
    assert r.excess_pp == pytest.approx(1.8)
    assert r.excess_dkk == pytest.approx(365 * (1050 - 1000 * 1.032))  # 6,570 kr. for the current placement's year
    fixed = e.fixed_prices(pd.DataFrame({"year": [2025, 2026], "dkk": [1000.0, 1000.0]}), ws, 2026, ["dkk"])
    assert fixed["dkk"].tolist() == pytest.approx([1032.0, 1000.0])
    with pytest.raises(ValueError, match="P/L-indekset mangler"):
        e.fixed_prices(pd.DataFrame({"year": [2024], "dkk": [1.0]}), ws, 2026, ["dkk"])


def test_provider_fit_ranking_a_reader_can_check():
    # A citizen needs 7.5 hours/week. P1's only level stops at 5 hours; P2, P3 and P4 have a level for 7.5 hours.
    # Over the last 12 months P3 delivered 60 % of the ordered hours; P2 and P4 delivered fully.
    # P2 serves two citizens of the citizen's target group, P4 none.  Expected order: P2, P4, P3, P1.
    rates = [
        rate(900, provider_id="P1", level="N1", lo=0, hi=5),
        rate(1200, provider_id="P2", level="N2", lo=5.5, hi=10),
        rate(1000, provider_id="P3", level="N2", lo=5.5, hi=10),
        rate(1100, provider_id="P4", level="N2", lo=5.5, hi=10),
    ]
    orders, rows = [], []
    for i, (prov, share) in enumerate([("P1", 1.0), ("P2", 1.0), ("P2", 1.0), ("P3", 0.6), ("P4", 1.0)]):
        cid = f"k{i}"
        orders.append(
            order(
                f"o{i}",
                citizen_id=cid,
                provider_id=prov,
                level="N1" if prov == "P1" else "N2",
                hours=7,
                start="2025-11-01",
                paragraph="ABL §105",
            )
        )
        rows += [
            delivery(d.date().isoformat(), 60 * share, citizen_id=cid, provider_id=prov) for d in pd.date_range("2025-11-01", "2026-10-31")
        ]
    ws = workspace(orders, rates, rows)
    ws.citizens["target_group"] = ws.citizens["citizen_id"].map({"k1": "Autisme", "k2": "Autisme"})
    fit = e.provider_fit(ws, hours_per_week=7.5, target_group="Autisme", paragraph="ABL §105", as_of="2026-10-31")
    assert fit["provider_id"].tolist() == ["P2", "P4", "P3", "P1"]
    assert fit.set_index("provider_id").at["P2", "same_target_group"] == 2
    assert fit.set_index("provider_id").at["P3", "delivery_ratio"] == pytest.approx(0.6)
    assert fit.at[0, "annual_cost"] == 1200 * 365
    assert "Niveau 'N2' dækker 7,5 timer/uge" in fit.at[0, "reason"] and "2 borgere i målgruppen Autisme" in fit.at[0, "reason"]
    assert "Intet takstniveau dækker" in fit.at[3, "reason"]


def test_provider_fit_on_themes_and_task_time():
    # Four providers with a level for 0-10 hours a week; A, B and C delivered fully over the last 12 months, D had no order
    # in them. Their orders' themes: A Egenomsorg, with a task list under Praktiske opgaver; B "praktiske  opgaver"
    # (case and spacing as an export writes them); C Samfundsliv; D Egenomsorg, but its order ended in 2024.
    # Without themes the cheapest fitting level ranks first: D (800), C (900), B (1000), A (1100).
    # For the themes Egenomsorg and Praktiske opgaver: A serves 2 of 2, B 1 of 2, C and D none; then the delivery record.
    from bitanalysis import Workspace

    rates = [rate(amount, provider_id=prov, level="N", lo=0, hi=10) for prov, amount in (("A", 1100), ("B", 1000), ("C", 900), ("D", 800))]
    orders, rows = [], []
    for i, (prov, themes) in enumerate([("A", ["Egenomsorg"]), ("B", ["praktiske  opgaver"]), ("C", ["Samfundsliv"])]):
        orders.append(order(f"o{i}", citizen_id=f"k{i}", provider_id=prov, level="N", hours=7, start="2025-11-01", themes=themes))
        rows += [
            delivery(d.date().isoformat(), 60, citizen_id=f"k{i}", provider_id=prov) for d in pd.date_range("2025-11-01", "2026-10-31")
        ]
    orders.append(order("old", citizen_id="k3", provider_id="D", level="N", start="2023-01-01", end="2024-06-30", themes=["Egenomsorg"]))
    # k9: a base order with A without hours per week; its task list says 3 hours (60 + 30 + 90 minutes)
    orders.append(order("o9", citizen_id="k9", provider_id="A", level="N", hours=None, start="2026-09-01", themes=["Egenomsorg"]))
    tasks = pd.DataFrame(
        {
            "order_id": ["o0", "o9", "o9", "o9"],
            "theme": ["Praktiske opgaver", "Egenomsorg", "Egenomsorg", "Praktiske opgaver"],
            "task": ["Indkøb", "Bad", "Medicin", "Madlavning"],
            "minutes_per_week": [90.0, 60.0, 30.0, 90.0],
        }
    )
    frames = {"orders": orders, "rates": rates, "deliveries": rows}
    ws = Workspace.from_frames(**{k: pd.DataFrame(v) for k, v in frames.items()}, tasks=tasks)
    ws.citizens["target_group"] = ws.citizens["citizen_id"].map({"k0": "Autisme"})

    plain = e.provider_fit(ws, hours_per_week=3, paragraph="SEL §85", as_of="2026-10-31")
    assert plain["provider_id"].tolist() == ["C", "B", "A", "D"]  # fits, delivers (D has no record), then cost
    assert (plain["themes_matched"] == 0).all() and "temaer" not in plain.at[0, "reason"]

    themes = ["Egenomsorg", "Praktiske opgaver"]
    fit = e.provider_fit(ws, hours_per_week=3, target_group="Autisme", paragraph="SEL §85", themes=themes, as_of="2026-10-31")
    assert fit["provider_id"].tolist() == ["A", "B", "C", "D"]
    by = fit.set_index("provider_id")
    assert by.at["A", "themes_served"] == ["Egenomsorg", "Praktiske opgaver"] and by.at["B", "themes_served"] == ["Praktiske opgaver"]
    assert "bevillinger med 2 af 2 temaer de seneste 12 måneder (Egenomsorg, Praktiske opgaver)" in by.at["A", "reason"]
    assert "bevillinger med 1 af 2 temaer de seneste 12 måneder (Praktiske opgaver)" in by.at["B", "reason"]
    assert "ingen bevillinger med temaerne (Egenomsorg, Praktiske opgaver) de seneste 12 måneder" in by.at["D", "reason"]
    assert "; 1 borgere i målgruppen Autisme" in by.at["A", "reason"]
    small = e.provider_fit(ws, hours_per_week=3, target_group="Autisme", themes=themes, as_of="2026-10-31", small_cells=True)
    assert "; <5 borgere i målgruppen Autisme" in small.set_index("provider_id").at["A", "reason"]  # small cells in reports

    # for a citizen: the hours of the task list where the order has none, and the themes of its task list
    mine = e.provider_fit(ws, "k9", as_of="2026-10-31")
    assert mine["provider_id"].tolist()[:2] == ["A", "B"]
    assert "Niveau 'N' dækker 3,0 timer/uge" in mine.at[0, "reason"] and "2 af 2 temaer" in mine.at[0, "reason"]


def test_sample_forecast_overspends_as_planted(sample_ws):
    forecast = e.budget_followup(sample_ws, 2026, "31-10-2026").set_index("area")  # day first: 31 October
    assert forecast.at["total", "forecast"] > forecast.at["total", "budget"]  # the sample overspends, as planted


# --- missing costs are never zero (contract §2.1) ------------------------------------------------------------------


def _october_with_gaps():
    """October 2026 (31 days): c1 and c3 at 100 kr./day all month; c2's level B has a rate only to the 20th (its order
    runs from the 11th: 21 days, 11 of them without a rate, so the month has no cost); c4's level X has no rate at all
    (1..10 October)."""
    return workspace(
        [
            order("a", citizen_id="c1", paragraph="SEL §85", start="2026-01-01"),
            order("b", citizen_id="c2", paragraph="SEL §108", level="B", start="2026-10-11"),
            order("c", citizen_id="c3", paragraph="SEL §108", start="2026-10-01"),
            order("d", citizen_id="c4", paragraph="SEL §104", level="X", start="2026-10-01", end="2026-10-10"),
        ],
        [rate(100), rate(1000, level="B", end="2026-10-20")],
    )


def test_spend_leaves_out_an_order_month_without_a_rate_and_counts_its_days():
    s = e.spend(_october_with_gaps(), "2026-10").set_index("paragraph")
    assert s.at["SEL §85", "cost"] == 3_100 and s.at["SEL §85", "days_without_cost"] == 0
    assert s.at["SEL §108", "cost"] == 3_100  # order c only: b's 21 days are left out, not counted as 0 kr. ...
    assert s.at["SEL §108", "days_without_cost"] == 21 and s.at["SEL §108", "days_without_rate"] == 11  # ... but counted
    assert pd.isna(s.at["SEL §104", "cost"]) and s.at["SEL §104", "days_without_cost"] == 10  # a group with no cost: missing
    assert s["cost"].sum() == 6_200 and s["days_without_cost"].sum() == 31
    gaps = e.cost_gaps(_october_with_gaps(), "2026-10")
    assert (gaps.order_days, gaps.days_without_cost, gaps.rate_missing_days, gaps.hours_missing_days) == (93, 31, 31, 0)
    assert gaps.share == pytest.approx(31 / 93) and gaps.citizens_without_cost == 2 and not gaps.nothing_costed


def test_an_hourly_rate_without_hours_is_a_missing_cost_not_zero():
    ws = workspace([order("h", hours=None, start="2026-10-01")], [rate(500, "hour")])
    s = e.spend(ws, "2026-10", by=None)
    assert pd.isna(s.at[0, "cost"]) and s.at[0, "days_without_cost"] == 31 and s.at[0, "days_without_rate"] == 0
    gaps = e.cost_gaps(ws, "2026-10")
    assert (gaps.hours_missing_days, gaps.rate_missing_days) == (31, 0) and gaps.nothing_costed


def test_full_year_persons_price_is_over_the_days_that_have_a_cost():
    ws = _october_with_gaps()
    f = e.full_year_persons(ws, "2026-10", "paragraph").set_index("paragraph")
    assert f.at["SEL §108", "full_year_persons"] == pytest.approx((21 + 31) / 365)  # every active day counts as a person
    assert f.at["SEL §108", "costed_full_year_persons"] == pytest.approx(31 / 365)
    assert f.at["SEL §108", "average_price"] == pytest.approx(3_100 / (31 / 365))  # 36,500: not lowered by b's days
    assert f.at["SEL §108", "days_without_cost"] == 21
    assert pd.isna(f.at["SEL §104", "cost"]) and pd.isna(f.at["SEL §104", "average_price"])
    total = e.full_year_persons(ws, "2026-10").iloc[0]
    assert total.full_year_persons == pytest.approx(93 / 365) and total.cost == 6_200
    assert total.average_price == pytest.approx(6_200 / (62 / 365)) and total.days_without_cost == 31


def test_full_year_persons_of_a_period_without_orders_or_without_costs():
    ws = _october_with_gaps()
    empty = e.full_year_persons(ws, "2025-10").iloc[0]  # no order is active: nothing was spent
    assert empty.full_year_persons == 0 and empty.cost == 0 and pd.isna(empty.average_price)
    only_missing = workspace([order("d", level="X", start="2026-10-01")], [rate(100)])
    row = e.full_year_persons(only_missing, "2026-10").iloc[0]
    assert pd.isna(row.cost) and pd.isna(row.average_price) and row.days_without_cost == 31


def test_budget_followup_carries_the_days_without_a_cost_and_never_shows_them_as_zero():
    ws = workspace(
        [
            order("a", citizen_id="c1", paragraph="SEL §108", level="A", start="2025-03-01"),  # 1,000 kr./day all year
            order("b", citizen_id="c2", paragraph="SEL §107", level="N", start="2026-01-01", end="2026-02-28"),  # no rate at all
            order("c", citizen_id="c3", paragraph="SEL §108", level="M", start="2026-01-01"),  # 500 kr./day, rate ends 30 June
        ],
        [rate(1000, level="A"), rate(500, level="M", end="2026-06-30")],
    )
    ws.budget = pd.DataFrame(
        {"year": pd.array([2026, 2026], dtype="Int64"), "area": ["SEL §108", "SEL §107"], "amount": [400_000.0, 100_000.0]}
    )
    b = e.budget_followup(ws, 2026, "31.03.2026").set_index("area")
    assert b.at["SEL §108", "actual"] == 90 * 1000 + 90 * 500  # January..March
    assert b.at["SEL §108", "committed"] == 275 * 1000 + (30 + 31 + 30) * 500  # c from July has no rate: left out
    assert b.at["SEL §108", "committed_days_without_cost"] == 31 + 31 + 30 + 31 + 30 + 31  # July..December: 184
    assert b.at["SEL §108", "days_without_cost"] == 184 and b.at["SEL §108", "actual_days_without_cost"] == 0
    assert pd.isna(b.at["SEL §107", "actual"]) and b.at["SEL §107", "actual_days_without_cost"] == 31 + 28  # missing, not 0
    assert b.at["SEL §107", "committed"] == 0  # no order after March: truly 0 kr.
    assert pd.isna(b.at["SEL §107", "forecast"]) and pd.isna(b.at["SEL §107", "variance"])
    assert b.at["total", "forecast"] == 135_000 + 320_500 and b.at["total", "variance"] == 455_500 - 500_000
    assert b.at["total", "days_without_cost"] == 59 + 184 and b.at["total", "days_without_rate"] == 59 + 184


def test_concentration_leaves_out_missing_costs_and_counts_their_days():
    ws = workspace(
        [
            order("a", citizen_id="c1", level="H", start="2025-01-01"),
            order("b", citizen_id="c2", level="V", start="2025-01-01"),
            order("x", citizen_id="c2", level="X", start="2026-03-01", end="2026-03-10", addon=True),  # no rate: 10 days
            order("y", citizen_id="c3", level="X", start="2025-01-01"),  # no rate all year
        ],
        [rate(3000, level="H"), rate(6000, level="V")],
    )
    c = e.concentration(ws, "2026")
    assert c.per_citizen["citizen_id"].tolist() == ["c2", "c1", "c3"]  # the citizen without any cost last, as missing
    per = c.per_citizen.set_index("citizen_id")
    assert per.at["c2", "cost"] == 6000 * 365 and per.at["c2", "days_without_cost"] == 10
    assert pd.isna(per.at["c3", "cost"]) and per.at["c3", "days_without_cost"] == 365
    above = c.above.set_index("threshold")
    assert above.at[1_000_000, "citizens"] == 2 and above.at[1_000_000, "days_without_cost"] == 10
    assert above.at[2_000_000, "citizens"] == 1 and above.at[2_000_000, "cost"] == 2_190_000
    assert c.top_decile_share == pytest.approx(2_190_000 / 3_285_000)  # of the 2 citizens with a cost, the top one
    assert (c.days_without_cost, c.citizens_without_cost) == (375, 1)


def _bridge_ws(citizens: int):
    """October 2025 and 2026: `citizens` citizens at 100 kr./day, and in October 2026 one order-day without a rate."""
    orders = [order(f"a{i}", citizen_id=f"c{i}", start="2025-01-01") for i in range(citizens)]
    orders.append(order("x", citizen_id="cx", level="X", start="2026-10-01", end="2026-10-01"))
    return workspace(orders, [rate(100)])


def test_price_quantity_refuses_when_too_many_order_days_lack_a_cost():
    with pytest.raises(e.IncompleteCosts) as info:
        e.price_quantity(_bridge_ws(1), "2026-10", "2025-10")  # 1 of 32 order-days = 3.1 % > 2 %
    text = str(info.value)
    assert "oktober 2026 har 1 af 32 bevillingsdage (3,1 %) ingen udgift" in text and "2,0 %" in text and "'pris'" in text
    assert "oktober 2025" not in text  # the base period is complete
    assert list(info.value.gaps) == ["oktober 2026"] and isinstance(info.value, ValueError)
    loose = e.price_quantity(_bridge_ws(1), "2026-10", "2025-10", settings=Settings(max_missing_cost_share=0.05))
    assert loose.set_index("component").at["current", "days_without_cost"] == 1


def test_price_quantity_works_below_the_limit_and_states_the_days_left_out():
    pq = e.price_quantity(_bridge_ws(2), "2026-10", "2025-10").set_index("component")  # 1 of 63 order-days = 1.6 %
    assert pq.at["base", "dkk"] == 6_200 and pq.at["current", "dkk"] == 6_200
    assert pq.at["base", "days_without_cost"] == 0 and pq.at["current", "days_without_cost"] == 1
    assert pd.isna(pq.at["price", "days_without_cost"])
    assert pq.loc[["quantity", "price", "mix"], "dkk"].sum() == pytest.approx(0, abs=1e-6)


def test_fixed_prices_through_the_economics_functions():
    ws = workspace([order(start="2025-01-01")], [rate(100)])
    ws.price_index = pd.DataFrame({"year": pd.array([2025, 2026], dtype="Int64"), "factor": [1.000, 1.032]})
    assert e.spend(ws, "2025-10", by=None, price_year=2026).at[0, "cost"] == pytest.approx(3_100 * 1.032)
    pq = e.price_quantity(ws, "2026-10", "2025-10", price_year=2026).set_index("component")["dkk"]
    assert pq["base"] == pytest.approx(3_100 * 1.032) and pq["current"] == pytest.approx(3_100)
    assert pq["price"] == pytest.approx(3_100 - 3_100 * 1.032)  # in fixed prices the same rate is cheaper
    assert e.missing_pl_years(ws, [2024, 2025, 2026, 2030]) == [2024, 2030]


def test_as_of_is_read_day_first():
    ws = _october_with_gaps()
    ws.budget = pd.DataFrame({"year": pd.array([2026], dtype="Int64"), "area": ["SEL §85"], "amount": [1.0]})
    october = e.budget_followup(ws, 2026, "01-10-2026").set_index("area")  # 1 October, not 10 January
    assert october.at["SEL §85", "actual"] == 100 * (273 + 1)  # 1 January .. 1 October (10 January would be 1,000 kr.)
    assert october.at["SEL §85", "actual"] + october.at["SEL §85", "committed"] == 100 * 365
    with pytest.raises(ValueError, match="dagen først"):
        e.budget_followup(ws, 2026, "10/01/2026")


def test_the_samples_2025_bridge_is_refused_not_called_price(sample_ws):
    # the sample has no 2024 rates: the old bridge showed "Udgift 2024 0 kr." and put the whole 2025 cost under price
    with pytest.raises(e.IncompleteCosts, match="2024"):
        e.price_quantity(sample_ws, "2025", "2024")
