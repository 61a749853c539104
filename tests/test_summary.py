"""provider_summary: per provider (team, paragraph, …) and month, every figure worked out by hand from the contract.

October 2026 has 31 days and begins on a Thursday; its Monday-based weeks are
  28 Sep–4 Oct (crosses from September), 5–11, 12–18, 19–25 and 26 Oct–1 Nov (crosses into November).
September 2026 has 30 days and begins on a Tuesday; its weeks are 31 Aug–6 Sep, 7–13, 14–20, 21–27, 28 Sep–4 Oct.
"""

import math

import pandas as pd
import pytest

from bitanalysis import Workspace, provider_summary

from .conftest import assessment, delivery, order, rate, workspace

A, B = "004512", "000777"  # "000777" sorts before "004512": a sort by id would put B first
NAMES = {A: "Solgården", B: "Bakken"}


def named(row: dict) -> dict:
    """An order row with its provider's name beside the id, as the case systems export it."""
    return dict(row, provider_name=NAMES[row["provider_id"]])


def need(*citizens: str, date: str = "2026-06-01") -> list[dict]:
    """Egenomsorg at level 2 for each citizen: the orders' theme covers it, and it is fresh (no stale_assessment)."""
    return [assessment(date, "Egenomsorg", 2, citizen_id=c) for c in citizens]


# --- one month, two providers ------------------------------------------------------------------------------------
#
# provider A (004512 Solgården), SEL §85, hourly rate T = 600 kr. billed on ordered hours:
#   o1 c1  7 h/week, 1–31 Oct: ordered 7 × 31 / 7 = 31 h, cost 600 × 7/7 × 31 = 18,600 kr.
#          delivered 465 min on 1 Oct (week 28 Sep) and 13 Oct (week 12 Oct) = 930 min = 15.5 h; ratio 0.5
#          → under_delivery (over): (31 − 15.5) × 18,600 / 31 = 15.5 × 600 = 9,300 kr.
#          weeks: 5 ordered, 2 documented
#   o2 c2  3.5 h/week, 1–31 Oct: ordered 3.5 × 31 / 7 = 15.5 h, cost 600 × 3.5/7 × 31 = 9,300 kr.
#          delivered 279 min on 2, 5, 12, 19 and 26 Oct = 1,395 min = 23.25 h; ratio 1.5
#          → over_delivery (under): (23.25 − 15.5) × 9,300 / 15.5 = 7.75 × 600 = 4,650 kr.
#          weeks: 5 ordered, 5 documented
#   o5 c5  7 h/week, 25–31 Oct (7 days): ordered 7 h, cost 600 × 7 = 4,200 kr.; nothing delivered, ratio 0
#          → under_delivery (over): (7 − 0) × 600 = 4,200 kr. and missing_evidence (unknown): the cost, 4,200 kr.
#          weeks: 25 Oct is in the week of 19 Oct, 26–31 Oct in the next: 2 ordered, 0 documented
# provider B (000777 Bakken):
#   o3 c3  SEL §107, 14 h/week, 12–31 Oct (20 days), day rate D = 2,000 kr.: ordered 14 × 20 / 7 = 40 h,
#          cost 20 × 2,000 = 40,000 kr.; delivered 1,200 min on 14 Oct and 27 Oct = 40 h, ratio 1.0 (no finding)
#          weeks: 12–18, 19–25, 26–31 = 3 ordered, 2 documented
#          c3 also has Samfundsliv at level 2 that no order covers → need_not_covered (under, no DKK, no provider)
#   o4 c4  SEL §104, 7 h/week, 1–10 Oct, level X has no rate: ordered 10 h, cost missing, 10 days without cost
#          delivered 600 min on 6 Oct = 10 h, ratio 1.0; → rate_missing (unknown, no DKK)
#          weeks: 1–4 Oct (week 28 Sep) and 5–10 Oct = 2 ordered, 1 documented
def one_month() -> dict[str, pd.DataFrame]:
    orders = [
        named(order("o1", "c1", A, "2026-10-01", hours=7, level="T", paragraph="SEL §85")),
        named(order("o2", "c2", A, "2026-10-01", hours=3.5, level="T", paragraph="SEL §85")),
        named(order("o5", "c5", A, "2026-10-25", hours=7, level="T", paragraph="SEL §85")),
        named(order("o3", "c3", B, "2026-10-12", hours=14, level="D", paragraph="SEL §107")),
        named(order("o4", "c4", B, "2026-10-01", "2026-10-10", hours=7, level="X", paragraph="SEL §104")),
    ]
    rates = [rate(600, "hour", level="T", provider_id=A), rate(2000, "day", level="D", provider_id=B)]
    deliveries = [
        delivery("2026-10-01", 465, "c1", A),
        delivery("2026-10-13", 465, "c1", A),
        *[delivery(f"2026-10-{d:02d}", 279, "c2", A) for d in (2, 5, 12, 19, 26)],
        delivery("2026-10-14", 1200, "c3", B),
        delivery("2026-10-27", 1200, "c3", B),
        delivery("2026-10-06", 600, "c4", B),
    ]
    assessments = [*need("c1", "c2", "c3", "c4", "c5"), assessment("2026-06-01", "Samfundsliv", 2, citizen_id="c3")]
    return {k: pd.DataFrame(v) for k, v in {"orders": orders, "rates": rates, "deliveries": deliveries, "assessments": assessments}.items()}


# Provider A: citizens c1, c2, c5; orders o1, o2, o5
#   ordered 31 + 15.5 + 7 = 53.5 h; delivered 15.5 + 23.25 + 0 = 38.75 h; ratio 38.75 / 53.5
#   coverage (2 + 5 + 0) / (5 + 5 + 2) = 7/12; cost 18,600 + 9,300 + 4,200 = 32,100 kr.; no days without cost
#   findings: under_delivery 2 (o1, o5), over_delivery 1 (o2), missing_evidence 1 (o5) = 4
#   dkk_over 9,300 + 4,200 = 13,500; dkk_under 4,650; dkk_unknown 4,200; none without DKK
PROVIDER_A = {
    "provider_name": "Solgården",
    "citizens": 3,
    "orders": 3,
    "ordered_hours": 53.5,
    "delivered_hours": 38.75,
    "delivery_ratio": 38.75 / 53.5,
    "coverage": 7 / 12,
    "cost": 32100.0,
    "days_without_cost": 0,
    "findings": 4,
    "dkk_over": 13500.0,
    "dkk_under": 4650.0,
    "dkk_unknown": 4200.0,
    "findings_without_dkk": 0,
    "under_delivery": 2,
    "over_delivery": 1,
    "missing_evidence": 1,
    "need_not_covered": 0,
    "rate_missing": 0,
}
ONLY_A = {k: v for k, v in PROVIDER_A.items() if k not in ("need_not_covered", "rate_missing")}
# Provider B: citizens c3, c4; orders o3, o4
#   ordered 40 + 10 = 50 h; delivered 40 + 10 = 50 h; ratio 1.0; coverage (2 + 1) / (3 + 2) = 3/5
#   cost 40,000 kr. (o4's October has no cost and is left out), 10 days without cost
#   findings: rate_missing 1 (o4), without DKK
PROVIDER_B = {
    "provider_name": "Bakken",
    "citizens": 2,
    "orders": 2,
    "ordered_hours": 50.0,
    "delivered_hours": 50.0,
    "delivery_ratio": 1.0,
    "coverage": 0.6,
    "cost": 40000.0,
    "days_without_cost": 10,
    "findings": 1,
    "dkk_over": 0.0,
    "dkk_under": 0.0,
    "dkk_unknown": 0.0,
    "findings_without_dkk": 1,
    "under_delivery": 0,
    "over_delivery": 0,
    "missing_evidence": 0,
    "need_not_covered": 0,
    "rate_missing": 1,
}
# No provider: c3's uncovered Samfundsliv. Nothing ordered, so nothing delivered, no ratio and no coverage.
NO_PROVIDER = {
    "citizens": 0,
    "orders": 0,
    "ordered_hours": 0.0,
    "days_without_cost": 0,
    "findings": 1,
    "dkk_over": 0.0,
    "dkk_under": 0.0,
    "dkk_unknown": 0.0,
    "findings_without_dkk": 1,
    "under_delivery": 0,
    "over_delivery": 0,
    "missing_evidence": 0,
    "need_not_covered": 1,
    "rate_missing": 0,
}
COUNT_COLUMNS = [
    "citizens",
    "orders",
    "days_without_cost",
    "findings",
    "findings_without_dkk",
    "under_delivery",
    "over_delivery",
    "missing_evidence",
    "need_not_covered",
    "rate_missing",
]


def check(row: pd.Series, expected: dict) -> None:
    """Every expected figure of one summary row (floats approximately; NaN must be NaN)."""
    for column, want in expected.items():
        got = row[column]
        if isinstance(want, float) and math.isnan(want):
            assert pd.isna(got), (column, got)
        elif isinstance(want, float):
            assert got == pytest.approx(want), (column, got, want)
        else:
            assert got == want, (column, got, want)


def test_per_provider_with_hours_coverage_cost_and_findings():
    s = provider_summary(Workspace.from_frames(**one_month()), "2026-10")
    assert len(s) == 3
    # largest DKK over first: A (13,500) before B (0 over, although its cost 40,000 is the larger and its id sorts
    # first), then the row without a provider (0 over, cost 0)
    assert s["provider_id"].iloc[:2].tolist() == [A, B]
    assert pd.isna(s.at[2, "provider_id"])
    check(s.iloc[0], PROVIDER_A)
    check(s.iloc[1], PROVIDER_B)
    check(s.iloc[2], NO_PROVIDER)
    assert pd.isna(s.at[2, "delivery_ratio"]) and pd.isna(s.at[2, "coverage"])
    assert pd.isna(s.at[2, "provider_name"])
    for column in COUNT_COLUMNS:  # counts are whole numbers, not floats
        assert pd.api.types.is_integer_dtype(s[column]), column
    # the column order: group, name, the fixed figures, then one column per finding type that occurs
    assert s.columns.tolist()[:3] == ["provider_id", "provider_name", "citizens"]
    assert s.columns.tolist()[-5:] == ["under_delivery", "over_delivery", "missing_evidence", "need_not_covered", "rate_missing"]


def test_a_month_without_any_rate_has_no_cost_not_zero():
    # by paragraph, o4 (SEL §104, level X without a rate) stands alone: its cost is missing, its 10 days counted
    s = provider_summary(Workspace.from_frames(**one_month()), "2026-10", by="paragraph")
    row = s[s["paragraph"] == "SEL §104"].iloc[0]
    assert pd.isna(row["cost"])
    assert row["days_without_cost"] == 10
    assert row["rate_missing"] == 1 and row["findings_without_dkk"] == 1


def test_by_paragraph():
    s = provider_summary(Workspace.from_frames(**one_month()), "2026-10", by="paragraph")
    assert "provider_id" not in s and "provider_name" not in s
    # SEL §85 holds exactly provider A's orders; SEL §107 is o3; SEL §104 is o4; c3's uncovered need has no order,
    # hence no paragraph
    # sorted: §85 (13,500 over), §107 (0 over, cost 40,000), no paragraph (0 over, cost 0), §104 (cost missing: last)
    assert s["paragraph"].fillna("-").tolist() == ["SEL §85", "SEL §107", "-", "SEL §104"]
    check(s.iloc[0], {k: v for k, v in PROVIDER_A.items() if k != "provider_name"})
    # o3: ordered 40 h, delivered 40 h, coverage 2/3, cost 40,000 kr., no findings of its own
    check(
        s.iloc[1],
        {"citizens": 1, "orders": 1, "ordered_hours": 40.0, "delivered_hours": 40.0, "delivery_ratio": 1.0, "coverage": 2 / 3},
    )
    check(s.iloc[1], {"cost": 40000.0, "days_without_cost": 0, "findings": 0, "findings_without_dkk": 0})
    check(s.iloc[2], {"orders": 0, "findings": 1, "need_not_covered": 1, "findings_without_dkk": 1})
    # o4: ordered 10 h, delivered 10 h, coverage 1/2
    check(s.iloc[3], {"ordered_hours": 10.0, "delivered_hours": 10.0, "delivery_ratio": 1.0, "coverage": 0.5})


def test_the_ratio_counts_only_order_months_with_ordered_hours():
    # o1: 7 h/week in October = 31 h ordered, 600 kr./hour = 18,600 kr.; 465 min on 1 and 13 Oct = 15.5 h
    # o6: a residential order without hours per week, day rate 1,000 kr. × 31 = 31,000 kr.; 600 min on 20 Oct = 10 h
    ws = workspace(
        [named(order("o1", "c1", A, hours=7, level="T")), named(order("o6", "c6", A, hours=None, level="D"))],
        [rate(600, "hour", level="T", provider_id=A), rate(1000, "day", level="D", provider_id=A)],
        [delivery("2026-10-01", 465, "c1", A), delivery("2026-10-13", 465, "c1", A), delivery("2026-10-20", 600, "c6", A)],
        need("c1", "c6"),
    )
    s = provider_summary(ws, "2026-10")
    # delivered 15.5 + 10 = 25.5 h in all, but the ratio is o1's alone: 15.5 / 31 = 0.5 (not 25.5 / 31)
    # coverage: o1 2 of 5 weeks, o6 1 of 5 (week of 19 Oct) → 3/10; cost 18,600 + 31,000 = 49,600 kr.
    check(
        s.iloc[0],
        {"ordered_hours": 31.0, "delivered_hours": 25.5, "delivery_ratio": 0.5, "coverage": 0.3, "cost": 49600.0},
    )


def test_by_nothing_is_one_row_for_the_municipality():
    s = provider_summary(Workspace.from_frames(**one_month()), "2026-10", by=[])
    assert len(s) == 1
    assert s.columns[0] == "citizens"  # no grouping column
    # all five orders: ordered 53.5 + 50 = 103.5 h, delivered 38.75 + 50 = 88.75 h
    # coverage (7 + 3) / (12 + 5) = 10/17; cost 32,100 + 40,000 = 72,100 kr. with 10 days left out
    # findings 4 (A) + 1 (B) + 1 (no provider) = 6, of which rate_missing and need_not_covered have no DKK
    check(
        s.iloc[0],
        {
            "citizens": 5,
            "orders": 5,
            "ordered_hours": 103.5,
            "delivered_hours": 88.75,
            "delivery_ratio": 88.75 / 103.5,
            "coverage": 10 / 17,
            "cost": 72100.0,
            "days_without_cost": 10,
            "findings": 6,
            "dkk_over": 13500.0,
            "dkk_under": 4650.0,
            "dkk_unknown": 4200.0,
            "findings_without_dkk": 2,
            "under_delivery": 2,
            "over_delivery": 1,
            "missing_evidence": 1,
            "need_not_covered": 1,
            "rate_missing": 1,
        },
    )


def test_where_paragraph_is_written_as_people_write_it():
    ws = Workspace.from_frames(**one_month())
    s = provider_summary(ws, "2026-10", paragraph="§ 85")
    # only SEL §85: provider A, with its orders and its findings (found through their orders); B and c3's need drop out
    assert s["provider_id"].tolist() == [A]
    check(s.iloc[0], ONLY_A)
    assert "rate_missing" not in s and "need_not_covered" not in s  # a type column only where such a finding is left


def test_where_provider_id_without_leading_zeros():
    ws = Workspace.from_frames(**one_month())
    s = provider_summary(ws, "2026-10", provider_id="4512")
    assert s["provider_id"].tolist() == [A]
    check(s.iloc[0], ONLY_A)


def test_input_frames_are_not_mutated():
    frames = one_month()
    before = {k: v.copy(deep=True) for k, v in frames.items()}
    ws = Workspace.from_frames(**frames)
    tables = {t: f.copy(deep=True) for t, f in ws.tables().items()}
    provider_summary(ws, "2026-10", by="paragraph", monthly=True, paragraph="§ 85")
    provider_summary(ws, "2026-10")
    for k, v in frames.items():
        pd.testing.assert_frame_equal(v, before[k])
    for t, f in ws.tables().items():
        pd.testing.assert_frame_equal(f, tables[t])


# --- two months: one row per month, each month's findings alone -----------------------------------------------------
#
# o1 c1 at A, 7 h/week from 1 September, 600 kr./hour:
#   September: ordered 7 × 30 / 7 = 30 h, cost 600 × 30 = 18,000 kr.
#              delivered 900 min on 1 Sep (week 31 Aug) and 8 Sep (week 7 Sep) = 30 h; ratio 1.0 → no finding
#              weeks 31 Aug, 7, 14, 21, 28 Sep = 5 ordered, 2 documented → coverage 0.4
#   October:   ordered 31 h, cost 18,600 kr.
#              delivered 930 min on 2 Oct = 15.5 h; ratio 0.5 → under_delivery (31 − 15.5) × 600 = 9,300 kr.
#              5 ordered weeks, 1 documented (the week of 28 Sep) → coverage 0.2
#   The week of 28 Sep crosses the month boundary: it is ordered in both months, but the 2 Oct row documents only
#   October's part of it (September's part, 28–30 Sep, has no row).
def two_months() -> Workspace:
    return workspace(
        [named(order("o1", "c1", A, "2026-09-01", hours=7, level="T"))],
        [rate(600, "hour", level="T", provider_id=A)],
        [delivery("2026-09-01", 900, "c1", A), delivery("2026-09-08", 900, "c1", A), delivery("2026-10-02", 930, "c1", A)],
        need("c1"),
    )


def test_monthly_one_row_per_month_with_each_months_findings():
    s = provider_summary(two_months(), "2026-09..2026-10", monthly=True)
    assert s["month"].tolist() == ["2026-09", "2026-10"]
    assert s["provider_id"].tolist() == [A, A]
    sep = {"ordered_hours": 30.0, "delivered_hours": 30.0, "delivery_ratio": 1.0, "coverage": 0.4, "cost": 18000.0}
    check(s.iloc[0], {**sep, "citizens": 1, "orders": 1, "findings": 0, "under_delivery": 0, "dkk_over": 0.0})
    octo = {"ordered_hours": 31.0, "delivered_hours": 15.5, "delivery_ratio": 0.5, "coverage": 0.2, "cost": 18600.0}
    check(s.iloc[1], {**octo, "citizens": 1, "orders": 1, "findings": 1, "under_delivery": 1, "dkk_over": 9300.0})


def test_monthly_by_nothing_is_one_row_per_month():
    s = provider_summary(two_months(), "2026-09..2026-10", by=[], monthly=True)
    assert s.columns.tolist()[:2] == ["month", "citizens"]
    assert s["month"].tolist() == ["2026-09", "2026-10"]


def test_the_whole_range_sums_its_months():
    s = provider_summary(two_months(), "2026-09..2026-10")
    # ordered 30 + 31 = 61 h, delivered 30 + 15.5 = 45.5 h; coverage (2 + 1) / (5 + 5) = 0.3; cost 36,600 kr.
    # over the range the ratio is 45.5 / 61 < 0.9 → one under_delivery of (61 − 45.5) × 600 = 9,300 kr.
    check(
        s.iloc[0],
        {
            "ordered_hours": 61.0,
            "delivered_hours": 45.5,
            "delivery_ratio": 45.5 / 61,
            "coverage": 0.3,
            "cost": 36600.0,
            "findings": 1,
            "under_delivery": 1,
            "dkk_over": 9300.0,
        },
    )


# --- a month that no documentation export covers ---------------------------------------------------------------------
#
# o1 c1 at A, 7 h/week from 1 October, 600 kr./hour; 1,860 min = 31 h delivered on 5 Oct; no row at all in November.
#   October:  ordered 31 h, delivered 31 h, ratio 1.0, 1 of 5 weeks documented → 0.2, cost 18,600 kr.
#   November: ordered 7 × 30 / 7 = 30 h, cost 18,000 kr.; delivered hours, ratio and coverage unknown (NaN)
def no_november_export(*extra_rows: dict) -> Workspace:
    return workspace(
        [named(order("o1", "c1", A, "2026-10-01", hours=7, level="T"))],
        [rate(600, "hour", level="T", provider_id=A)],
        [delivery("2026-10-05", 1860, "c1", A), *extra_rows],
        need("c1"),
    )


def test_a_month_without_any_documentation_is_unknown_not_zero():
    s = provider_summary(no_november_export(), "2026-10..2026-11", monthly=True)
    assert s["month"].tolist() == ["2026-10", "2026-11"]
    check(s.iloc[0], {"ordered_hours": 31.0, "delivered_hours": 31.0, "delivery_ratio": 1.0, "coverage": 0.2, "cost": 18600.0})
    nov = {"ordered_hours": 30.0, "cost": 18000.0, "delivered_hours": math.nan, "delivery_ratio": math.nan, "coverage": math.nan}
    check(s.iloc[1], nov)


def test_a_month_without_documentation_is_left_out_of_the_ranges_ratios():
    s = provider_summary(no_november_export(), "2026-10..2026-11")
    # ordered 31 + 30 = 61 h and cost 18,600 + 18,000 = 36,600 kr. count both months; delivered hours, the ratio
    # (31 / 31) and the coverage (1 / 5) only October's
    check(s.iloc[0], {"ordered_hours": 61.0, "cost": 36600.0, "delivered_hours": 31.0, "delivery_ratio": 1.0, "coverage": 0.2})


def test_a_month_with_other_documentation_but_none_for_the_order_is_zero():
    # one row of another citizen at another provider in November: November is exported, so o1's November is 0, not NaN
    s = provider_summary(no_november_export(delivery("2026-11-10", 60, "c9", B)), "2026-10..2026-11", monthly=True)
    nov = s[(s["month"] == "2026-11") & (s["provider_id"] == A)].iloc[0]
    check(nov, {"ordered_hours": 30.0, "delivered_hours": 0.0, "delivery_ratio": 0.0, "coverage": 0.0})
