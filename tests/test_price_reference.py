"""The price findings of issue 19 (price_above_peers, price_above_model, price_below_model) on tiny workspaces, with
figures computed by hand: the reference (tests/reference.py) is checked against them, and the package against the
reference (`compare`, as for the generated workspaces of tests/test_reference.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from . import reference as ref
from .test_reference import compare, frames

D = dt.date
PRICE_TYPES = ("price_above_peers", "price_above_model", "price_below_model")

# 400 kr. an hour in every shift + 25 % on-cost = 500 kr. an hour; no overhead, full occupancy; §85 has no daily costs
# beyond the staff, §107 has 450 kr. a day, §108 is not in the model.
ROUND = {
    "valid_from": D(2027, 1, 1),
    "label": "Rund model",
    "staff_cost_per_hour": {"day": 400, "evening_night": 400, "weekend": 400},
    "hour_shares": {"day": 0.5, "evening_night": 0.3, "weekend": 0.2},
    "on_cost": 0.25,
    "overhead": 0.0,
    "occupancy": 1.0,
    "daily_non_staff": {"§ 85": 0, "SEL §107": 450},
}


def order(order_id, provider_id, paragraph="SEL §85", level="T", hours=7.0, start="2028-01-01", end=None):
    return {
        "order_id": order_id,
        "citizen_id": f"c-{order_id}",
        "provider_id": provider_id,
        "paragraph": paragraph,
        "service": "Socialpædagogisk støtte",
        "themes": [],
        "start_date": pd.Timestamp(start),
        "end_date": pd.Timestamp(end) if end else pd.NaT,
        "hours_per_week": hours,
        "rate_level": level,
        "is_addon": False,
    }


def rate(provider_id, amount, unit="hour", level="T", start="2027-01-01"):
    return {
        "provider_id": provider_id,
        "rate_level": level,
        "unit": unit,
        "amount": float(amount),
        "valid_from": pd.Timestamp(start),
        "valid_to": pd.NaT,
        "min_hours_per_week": None,
        "max_hours_per_week": None,
        "includes": [],
    }


def workspace(orders, rates, model=None):
    tables = frames(orders, rates, [], [])
    if model:
        tables["cost_model"] = model
    return tables


def price_findings(tables, period) -> dict:
    """The reference's price findings of a period: {(type, order_id): dkk_at_stake}."""
    start, end = ref.period_bounds(period)
    found = [f for f in ref.ref_findings(tables, start, end) if f["type"] in PRICE_TYPES]
    out = {(f["type"], f["order_id"]): f["dkk_at_stake"] for f in found}
    assert len(out) == len(found)  # one finding per type and order
    return out


# ---------------------------------------------------------------------------------------------------------------
# Against the peers
# ---------------------------------------------------------------------------------------------------------------


def peers(dearest: float, group_of: int = 5):
    """One §85 order of 7 hours a week per provider P1.. on an hourly rate (400, 450, 500, 550, then `dearest`): in
    February 2028 each orders 29 hours, and its price per ordered hour is its rate. The dearest provider also has an
    order at another rate level (another peer group, of one)."""
    amounts = [400, 450, 500, 550, dearest][5 - group_of :]
    providers = [f"P{k + 1}" for k in range(len(amounts))]
    orders = [order(f"o{k + 1}", p) for k, p in enumerate(providers)] + [order("x", providers[-1], level="U")]
    rates = [rate(p, a) for p, a in zip(providers, amounts)] + [rate(providers[-1], 5000, level="U")]
    return orders, rates


def test_the_dear_provider_of_a_peer_group_of_five():
    t = workspace(*peers(1000))
    # median 500; 1000 > 1.25 × 500 = 625: (1000 − 500) × 29 ordered hours
    assert price_findings(t, "2028-02") == {("price_above_peers", "o5"): pytest.approx(500 * 29)}
    compare(t, ["2028-02"])


@pytest.mark.parametrize(("dearest", "expected"), [(625, None), (626, 126 * 29)])
def test_a_price_exactly_at_the_ratio_is_no_finding(dearest, expected):
    t = workspace(*peers(dearest))
    want = {} if expected is None else {("price_above_peers", "o5"): pytest.approx(expected)}
    assert price_findings(t, "2028-02") == want
    compare(t, ["2028-02"])


def test_a_peer_group_of_four_is_not_ranked():
    t = workspace(*peers(1000, group_of=4))  # 450, 500, 550, 1000: median 525, but only four providers
    assert price_findings(t, "2028-02") == {}
    compare(t, ["2028-02"])


def test_months_without_a_cost_are_left_out_of_the_price_not_counted_as_zero():
    """Over 2028-Q1 (91 ordered hours each): P3 (500) and P5 (1000) have no rate in January. Their prices are those of
    February and March (500 and 1000), so the median stays 500; counted as 0, P3's would fall to 500 × 60 / 91 and the
    median to 450. o5's own cost is missing (January), yet its finding stands: (1000 − 500) × its 91 ordered hours."""
    orders, rates = peers(1000)
    rates = [dict(r, valid_from=pd.Timestamp("2028-02-01")) if r["provider_id"] in ("P3", "P5") else r for r in rates]
    t = workspace(orders, rates)
    assert price_findings(t, "2028-Q1") == {("price_above_peers", "o5"): pytest.approx(500 * 91)}
    compare(t, ["2028-Q1", "2028-01", "2028-02"])  # January alone: P3 and P5 have no price, a group of three


def test_orders_without_hours_give_no_price():
    """P1's order has no hours_per_week and P2's has 0: neither has a price, the group keeps three of five providers."""
    orders, rates = peers(1000)
    orders[0]["hours_per_week"], orders[1]["hours_per_week"] = None, 0.0
    t = workspace(orders, rates)
    assert price_findings(t, "2028-02") == {}
    compare(t, ["2028-02"])


# ---------------------------------------------------------------------------------------------------------------
# Against the cost model
# ---------------------------------------------------------------------------------------------------------------


def model_orders():
    """February 2028 (29 days), 7 hours a week = 29 ordered hours, each order at a provider of its own."""
    orders = [
        order("dear", "A"),  # 600 an hour: 17,400 against the model's 29 × 500 = 14,500
        order("cheap", "B"),  # 400 an hour: 11,600
        order("upper", "C"),  # 575 an hour: 16,675 = 14,500 × 1.15 exactly
        order("lower", "D"),  # 425 an hour: 12,325 = 14,500 × 0.85 exactly
        order("p108", "E", paragraph="SEL §108"),  # not in daily_non_staff: no model
        order("p107", "F", paragraph="SEL §107"),  # 1,500 a day: 43,500 against 29 × 500 + 29 × 450 = 27,550
        order("no_hours", "G", hours=None),  # no hours_per_week: no model
    ]
    rates = [
        rate("A", 600),
        rate("B", 400),
        rate("C", 575),
        rate("D", 425),
        rate("E", 1000, unit="day"),
        rate("F", 1500, unit="day"),
        rate("G", 20000, unit="month"),
    ]
    return orders, rates


def test_the_cost_above_and_below_the_model():
    t = workspace(*model_orders(), model=[ROUND])
    assert price_findings(t, "2028-02") == {
        ("price_above_model", "dear"): pytest.approx(17400 - 14500),
        ("price_below_model", "cheap"): pytest.approx(14500 - 11600),
        ("price_above_model", "p107"): pytest.approx(43500 - 27550),
    }
    compare(t, ["2028-02"])


def test_overhead_and_occupancy():
    """Overhead 10 % and occupancy 90 %: the model's cost × 1.1 / 0.9."""
    t = workspace(*model_orders(), model=[ROUND | {"overhead": 0.1, "occupancy": 0.9}])
    assert price_findings(t, "2028-02") == {
        # 14,500 × 1.1 / 0.9 = 17,722.22: "dear" is within 15 %, "cheap" is below 0.85 × it = 15,063.89
        ("price_below_model", "cheap"): pytest.approx(14500 * 1.1 / 0.9 - 11600),
        ("price_below_model", "lower"): pytest.approx(14500 * 1.1 / 0.9 - 12325),
        ("price_above_model", "p107"): pytest.approx(43500 - 27550 * 1.1 / 0.9),
    }
    compare(t, ["2028-02"])


def test_without_a_cost_model_no_model_findings():
    t = workspace(*model_orders())
    assert price_findings(t, "2028-02") == {}
    compare(t, ["2028-02"])


def test_a_model_version_changes_mid_period():
    """Version 2 from 15 February 2028: 480 kr. an hour + 25 % = 600. A month uses the version in force on its last
    day, so January costs 500 an hour and February (29 February) and March 600. Orders of 7 hours a week from
    1 January: 31 + 29 + 31 ordered hours; the model's cost over Q1 is 31 × 500 + 60 × 600 = 51,500 (× 1.15 = 59,225)."""
    version_2 = ROUND | {"valid_from": D(2028, 2, 15), "label": "Ny", "staff_cost_per_hour": dict.fromkeys(ref.SHIFTS, 480)}
    orders = [order("six", "A"), order("seven", "B")]
    rates = [rate("A", 600), rate("B", 700)]
    t = workspace(orders, rates, model=[version_2, ROUND])  # in any order
    # 600: 54,600 over Q1 (no finding); January alone 18,600 > 15,500 × 1.15 = 17,825; February 17,400 = the model's
    # 700: 63,700 over Q1 > 59,225; January 21,700 > 17,825; February 20,300 > 20,010; March 21,700 > 21,390
    assert price_findings(t, "2028-Q1") == {("price_above_model", "seven"): pytest.approx(63700 - 51500)}
    assert price_findings(t, "2028-01") == {
        ("price_above_model", "six"): pytest.approx(18600 - 15500),
        ("price_above_model", "seven"): pytest.approx(21700 - 15500),
    }
    assert price_findings(t, "2028-02") == {("price_above_model", "seven"): pytest.approx(20300 - 17400)}
    quarter = ref.ref_findings_with_months(t, D(2028, 1, 1), D(2028, 3, 31))
    assert {f["order_id"]: f["months"] for f in quarter if f["type"] in PRICE_TYPES} == {"seven": 3}
    compare(t, ["2028-Q1", "2028-01", "2028-02"])


@pytest.mark.parametrize(("valid_from", "expected"), [(D(2028, 2, 29), {}), (D(2028, 3, 1), {("price_above_model", "six"): 17400 - 14500})])
def test_the_version_in_force_on_the_months_last_day(valid_from, expected):
    """A version from 29 February 2028 (the leap day) prices February; one from 1 March does not."""
    version_2 = ROUND | {"valid_from": valid_from, "staff_cost_per_hour": dict.fromkeys(ref.SHIFTS, 480)}
    t = workspace([order("six", "A")], [rate("A", 600)], model=[ROUND, version_2])
    assert price_findings(t, "2028-02") == {k: pytest.approx(v) for k, v in expected.items()}
    compare(t, ["2028-02"])


def test_no_version_yet_is_no_model():
    """The only version starts 15 February 2028: January has none, so an order active in January has no model cost
    over Q1; an order from 1 February has one (29 × 500 + 31 × 500 = 30,000 against its 400 an hour: 24,000 < 25,500)."""
    first = ROUND | {"valid_from": D(2028, 2, 15)}
    orders = [order("january", "A", hours=7.0), order("february", "B", start="2028-02-01")]
    t = workspace(orders, [rate("A", 400), rate("B", 400)], model=[first])
    assert price_findings(t, "2028-Q1") == {("price_below_model", "february"): pytest.approx(30000 - 24000)}
    assert price_findings(t, "2028-01") == {}
    compare(t, ["2028-Q1", "2028-01"])


def test_paragraph_keys_are_read_as_the_orders_paragraphs():
    assert [ref.paragraph_key(k) for k in ("§ 85", "§85", "SEL § 85", "sel §107", "SEL §108")] == [
        "SEL §85",
        "SEL §85",
        "SEL §85",
        "SEL §107",
        "SEL §108",
    ]


# ---------------------------------------------------------------------------------------------------------------
# Boundaries and edges where the package once disagreed with the rules (now fixed)
# ---------------------------------------------------------------------------------------------------------------


def test_an_add_on_adds_no_daily_costs():
    """An add-on is support on top of a place: a §107 add-on of 7 hours a week in February 2028 on 100 kr. a day has the
    model cost 29 × 500 = 14,500 (no 450 a day) against its cost of 2,900."""
    t = workspace([order("o1", "A", paragraph="SEL §107") | {"is_addon": True}], [rate("A", 100, unit="day")], model=[ROUND])
    assert price_findings(t, "2028-02") == {("price_below_model", "o1"): pytest.approx(14500 - 2900)}
    compare(t, ["2028-02"])


def test_a_cost_exactly_at_the_models_upper_boundary():
    """14 hours a week from 20 March 2028: 12 days, 24 ordered hours, model 24 × 500 = 12,000; the cost 12 × 1,150 =
    13,800 is exactly 12,000 × 1.15, no finding (in floats 12000 * 1.15 is 13799.999999999998)."""
    t = workspace([order("o1", "A", hours=14.0, start="2028-03-20")], [rate("A", 1150, unit="day")], model=[ROUND])
    assert price_findings(t, "2028-03") == {}
    compare(t, ["2028-03"])


def test_a_model_cost_of_zero():
    """0 hours a week on §85 (no daily costs): the model's cost is 0, and the cost 29 × 150 = 4,350 > 0 × 1.15."""
    t = workspace([order("o1", "A", hours=0.0)], [rate("A", 150, unit="day")], model=[ROUND])
    assert price_findings(t, "2028-02") == {("price_above_model", "o1"): pytest.approx(4350)}
    compare(t, ["2028-02"])


def test_a_cost_model_without_an_active_order():
    t = workspace([order("o1", "A", start="2027-11-01", end="2027-11-30")], [rate("A", 150, unit="day")], model=[ROUND])
    assert price_findings(t, "2028-02") == {}
    compare(t, ["2028-02"])


def test_a_cost_model_and_a_month_of_the_period_without_an_active_order():
    """Over 2028-Q1 an order of January and February: 60 ordered hours at 600 = 36,000 against 30,000 × 1.15."""
    t = workspace([order("o1", "A", end="2028-02-29")], [rate("A", 600)], model=[ROUND])
    assert price_findings(t, "2028-Q1") == {("price_above_model", "o1"): pytest.approx(36000 - 30000)}
    compare(t, ["2028-Q1"])
