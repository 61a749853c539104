"""Findings (contract §3): each type with its direction and DKK at stake computed by hand."""

import pandas as pd
import pytest

from bitanalysis import findings, summarise
from bitanalysis.core.settings import Settings

from .conftest import assessment, delivery, order, rate, workspace
from .reference import DIRECTION  # §3's table, written from the contract

# ... which holds issue 19's price findings too, with their directions as the issue gives them
CONTRACT_DIRECTION = DIRECTION

# October 2026 has 31 days. A §85 order of 7 hours/week is 7 × 31 / 7 = 31 ordered hours;
# at 600 kr./hour billed on ordered hours it costs 600 × 31 = 18,600 kr.
NEED = [assessment("2026-06-01", "Egenomsorg", 2)]


def of_type(f: pd.DataFrame, kind: str) -> pd.DataFrame:
    return f[f["type"] == kind].reset_index(drop=True)


def visits(hours_total: float, n: int = 31) -> list[dict]:
    return [delivery(f"2026-10-{d:02d}", hours_total * 60 / n) for d in range(1, n + 1)]


def test_under_delivery():
    ws = workspace([order(hours=7)], [rate(600, "hour")], visits(15.5), NEED)
    f = of_type(findings(ws, "2026-10"), "under_delivery")
    assert len(f) == 1 and f.at[0, "direction"] == "over"
    assert f.at[0, "dkk_at_stake"] == pytest.approx((31 - 15.5) * 600)  # 9,300 kr.
    assert "bestilt 31,0 timer, leveret 15,5 timer" in f.at[0, "evidence"]


def test_over_delivery_is_under_provision():
    ws = workspace([order(hours=7)], [rate(600, "hour")], visits(46.5), NEED)
    f = of_type(findings(ws, "2026-10"), "over_delivery")
    assert f.at[0, "direction"] == "under"
    assert f.at[0, "dkk_at_stake"] == pytest.approx((46.5 - 31) * 600)


def test_delivery_within_the_band_gives_no_finding():
    ws = workspace([order(hours=7)], [rate(600, "hour")], visits(31 * 0.95), NEED)
    assert findings(ws, "2026-10").empty


def test_missing_evidence_costs_the_period():
    ws = workspace([order(hours=7)], [rate(600, "hour")], [], NEED)
    f = findings(ws, "2026-10")
    assert of_type(f, "missing_evidence").at[0, "dkk_at_stake"] == pytest.approx(18600)
    assert of_type(f, "missing_evidence").at[0, "direction"] == "unknown"


BANDS = [rate(1000, level="N1", lo=0, hi=5), rate(1500, level="N2", lo=5.5, hi=10), rate(2500, level="N3", lo=10.5, hi=20)]


def test_rate_above_order_priced_at_the_fitting_level():
    ws = workspace([order(hours=3, level="N2")], BANDS, visits(3 * 31 / 7), NEED)
    f = of_type(findings(ws, "2026-10"), "rate_above_order")
    assert f.at[0, "direction"] == "over"
    assert f.at[0, "dkk_at_stake"] == pytest.approx(1500 * 31 - 1000 * 31)  # N2 minus N1 over the same 31 days


def test_rate_above_order_with_no_fitting_level_has_no_amount():
    ws = workspace([order(hours=3, level="N2")], [rate(1500, level="N2", lo=5.5, hi=10)], visits(3 * 31 / 7), NEED)
    f = of_type(findings(ws, "2026-10"), "rate_above_order")
    assert len(f) == 1 and pd.isna(f.at[0, "dkk_at_stake"])


def test_order_above_rate_is_under_provision_without_amount():
    ws = workspace([order(hours=8, level="N1")], BANDS, visits(8 * 31 / 7), NEED)
    f = of_type(findings(ws, "2026-10"), "order_above_rate")
    assert f.at[0, "direction"] == "under" and pd.isna(f.at[0, "dkk_at_stake"])


def test_addon_without_end_date_or_with_little_delivery():
    orders = [
        order("a1", hours=7, addon=True),  # open-ended add-on: unsupported whatever the delivery
        order("a2", citizen_id="c2", hours=7, addon=True, end="2026-12-31"),  # delivered 30 %
        order("a3", citizen_id="c3", hours=7, addon=True, end="2026-12-31"),
    ]  # delivered 95 %: fine
    rows = visits(31) + [dict(d, citizen_id="c2") for d in visits(0.3 * 31)] + [dict(d, citizen_id="c3") for d in visits(0.95 * 31)]
    need = NEED + [dict(a, citizen_id=c) for a in NEED for c in ("c2", "c3")]
    f = of_type(findings(workspace(orders, [rate(600, "hour")], rows, need), "2026-10"), "addon_unsupported")
    assert sorted(f["order_id"]) == ["a1", "a2"]
    assert (f["dkk_at_stake"] == 18600).all() and (f["direction"] == "over").all()


def test_double_payment_only_on_the_overlapping_days():
    orders = [
        order("o108", provider_id="bo", service="Ophold", paragraph="SEL §108", start="2026-01-01", level="B"),
        order("o85", provider_id="st", start="2026-10-11", hours=7, level="T"),
    ]
    rates = [rate(2000, level="B", provider_id="bo", includes=["Socialpædagogisk støtte"]), rate(500, "hour", level="T", provider_id="st")]
    rows = [delivery(f"2026-10-{d:02d}", 60, provider_id=p) for d in range(1, 32) for p in ("bo", "st")]
    f = of_type(findings(workspace(orders, rates, rows, NEED), "2026-10"), "double_payment")
    assert len(f) == 1 and f.at[0, "order_id"] == "o85" and f.at[0, "direction"] == "over"
    assert f.at[0, "dkk_at_stake"] == pytest.approx(21 * 500 * 7 / 7)  # 11..31 October: 21 days of the §85 order


def test_latest_assessment_per_theme_decides_need():
    need = [
        assessment("2025-01-01", "Egenomsorg", 3),
        assessment("2026-03-01", "Egenomsorg", 1),  # latest Egenomsorg: 1
        assessment("2026-03-01", "Samfundsliv", 2),  # not covered by any order → need_not_covered
        assessment("2025-02-01", "Relationer", 3),  # older, but the latest for its theme → counts
        assessment("2026-11-15", "Mobilitet", 4),  # after the period: ignored
    ]
    ws = workspace([order(themes=["Egenomsorg", "Relationer"], hours=7)], [rate(600, "hour")], visits(31), need)
    f = findings(ws, "2026-10")
    gaps = of_type(f, "need_not_covered")
    assert gaps["evidence"].str.contains("Samfundsliv").tolist() == [True]
    assert gaps.at[0, "direction"] == "under" and pd.isna(gaps.at[0, "dkk_at_stake"])
    assert of_type(f, "order_without_need").empty  # Egenomsorg is at level 1
    assert f["latest_assessment"].dropna().unique().tolist() == [pd.Timestamp("2026-03-01")]


def test_order_without_need_costs_the_period():
    need = [assessment("2026-03-01", "Egenomsorg", 0), assessment("2026-03-01", "Samfundsliv", 1)]
    ws = workspace([order(themes=["Egenomsorg"], hours=7)], [rate(600, "hour")], visits(31), need)
    f = of_type(findings(ws, "2026-10"), "order_without_need")
    assert f.at[0, "direction"] == "over" and f.at[0, "dkk_at_stake"] == pytest.approx(18600)


def test_stale_assessment_after_365_days():
    def stale(assessed_on):
        ws = workspace([order(hours=7)], [rate(600, "hour")], visits(31), [assessment(assessed_on, "Egenomsorg", 2)])
        return of_type(findings(ws, "2026-10"), "stale_assessment")

    assert stale("2025-10-31").empty  # 365 days before 31 October 2026
    assert len(stale("2025-10-30")) == 1  # 366 days
    none = of_type(findings(workspace([order()], [rate(600, "hour")], visits(31)), "2026-10"), "stale_assessment")
    assert "ingen udredning" in none.at[0, "evidence"]


def test_documentation_without_order_one_per_citizen_and_provider():
    rows = visits(31) + [
        delivery("2026-10-02", 60, provider_id="x"),
        delivery("2026-10-03", 30, provider_id="x"),
        delivery("2026-10-03", 30, citizen_id="c9", provider_id="x"),
    ]
    f = of_type(findings(workspace([order(hours=7)], [rate(600, "hour")], rows, NEED), "2026-10"), "documentation_without_order")
    assert sorted(zip(f["citizen_id"], f["provider_id"])) == [("c1", "x"), ("c9", "x")]
    assert f["order_id"].isna().all()


def test_rate_missing():
    ws = workspace([order(hours=7)], [rate(600, "hour", end="2026-10-20")], visits(31), NEED)
    f = of_type(findings(ws, "2026-10"), "rate_missing")
    assert len(f) == 1 and "11 af 31 dage" in f.at[0, "evidence"]


def test_thresholds_are_settings_and_sorted_by_dkk():
    ws = workspace(
        [order("o1", hours=7), order("o2", citizen_id="c2", hours=14)],
        [rate(600, "hour")],
        visits(0.85 * 31) + [dict(d, citizen_id="c2") for d in visits(0.5 * 62)],
        NEED + [dict(NEED[0], citizen_id="c2")],
    )
    f = findings(ws, "2026-10")
    assert f["order_id"].tolist() == ["o2", "o1"]  # 31 h × 600 = 18,600 before 4.65 h × 600 = 2,790
    assert len(findings(ws, "2026-10", Settings(under_delivery_ratio=0.8))) == 1
    s = summarise(f)
    assert s.at[0, "findings"] == 2 and s.at[0, "dkk_at_stake"] == pytest.approx(18600 + 2790)


def test_quarter_sums_its_months():
    ws = workspace(
        [order(hours=7, start="2026-07-15")],
        [rate(600, "hour")],
        [delivery(f"2026-{m:02d}-{d:02d}", 60) for m in (7, 8, 9) for d in (16, 20)],
        NEED,
    )
    f = of_type(findings(ws, "2026-Q3"), "under_delivery")
    ordered = 7 * (17 + 31 + 30) / 7  # 78 hours from 15 July to 30 September
    assert f.at[0, "dkk_at_stake"] == pytest.approx((ordered - 6) * 600)


# --- the sample municipality: every planted case is found ---------------------------------------------------------

from bitanalysis import accounting  # noqa: E402
from bitanalysis.core.privacy import pseudonymise  # noqa: E402

from .conftest import SAMPLE, TEST_KEY  # noqa: E402


def test_every_planted_case_is_found_with_its_type_and_direction(sample_ws):
    planted = pd.read_csv(SAMPLE / "planted_cases.csv", sep=";", dtype=str)
    planted["citizen_id"] = pseudonymise(planted["cpr"], TEST_KEY)[0]
    found = findings(sample_ws, "2026-10")
    keys = set(zip(found["type"], found["direction"], found["citizen_id"], found["order_id"].fillna("")))
    cases = planted[planted["type"] != "ambiguous_delivery"]
    for case in cases.itertuples():  # the direction is the contract's (§3), not the generator's own list
        assert (
            case.type,
            CONTRACT_DIRECTION[case.type],
            case.citizen_id,
            case.order_id if isinstance(case.order_id, str) else "",
        ) in keys, case
    # the generator plants nothing else: the other citizens are in match
    assert len(found) == len(cases)
    ambiguous = planted[planted["type"] == "ambiguous_delivery"]
    assert accounting(sample_ws, "2026-10").loc["ambiguous", "rows"] == len(ambiguous)


def test_settings_come_from_the_data_folders_toml():
    ws = workspace([order(hours=7)], [rate(600, "hour")], visits(0.85 * 31), NEED)
    assert len(of_type(findings(ws, "2026-10"), "under_delivery")) == 1
    ws.settings = {"under_delivery_ratio": 0.8}  # as read from [settings] in bitanalysis.toml
    assert of_type(findings(ws, "2026-10"), "under_delivery").empty
    ws.settings = {"under_delivery_ratoi": 0.8}
    with pytest.raises(ValueError, match="Ukendte indstillinger"):
        findings(ws, "2026-10")


def test_traffic_light_counts_citizens_and_their_cost_by_status():
    from bitanalysis import traffic_light

    ws = workspace(
        [order("o1", hours=7), order("o2", citizen_id="c2", hours=7), order("o3", citizen_id="c3", hours=7)],
        [rate(600, "hour")],
        visits(31) + [dict(d, citizen_id="c2") for d in visits(15.5)] + [dict(d, citizen_id="c3") for d in visits(46.5)],
        [dict(NEED[0], citizen_id=c) for c in ("c1", "c2", "c3")],
    )
    t = traffic_light(ws, "2026-10").set_index("status")
    # c1 in match; c2 under-delivered (direction over); c3 over-delivered (direction under); 18,600 kr. each
    assert t["citizens"].to_dict() == {"match": 1, "under": 1, "over": 1, "unknown": 0}
    assert t.at["over", "dkk"] == 18600 and t.at["match", "dkk_share"] == pytest.approx(1 / 3)


# --- the edges real exports have (issue 12) -------------------------------------------------------------------


def test_a_theme_in_other_case_meets_its_assessment():
    ws = workspace([order(hours=7, themes=["egenomsorg "])], [rate(600, "hour")], visits(31), NEED)
    assert of_type(findings(ws, "2026-10"), "order_without_need").empty


def test_an_hourly_order_without_hours_gets_hours_missing_and_no_amount():
    ws = workspace([order(hours=None)], [rate(600, "hour")], visits(31), NEED)
    f = findings(ws, "2026-10")
    hm = of_type(f, "hours_missing")
    assert len(hm) == 1 and hm.at[0, "direction"] == "unknown" and pd.isna(hm.at[0, "dkk_at_stake"])
    assert of_type(f, "rate_missing").empty  # the rate exists
    assert of_type(f, "missing_evidence").empty


def test_band_ends_are_inclusive():
    ws = workspace(
        [order("o1", hours=5.5, level="N2"), order("o2", citizen_id="c2", hours=10, level="N2")],
        BANDS,
        visits(5.5 * 31 / 7) + [dict(d, citizen_id="c2") for d in visits(10 * 31 / 7)],
        NEED + [dict(NEED[0], citizen_id="c2")],
    )
    f = findings(ws, "2026-10")
    assert of_type(f, "rate_above_order").empty and of_type(f, "order_above_rate").empty


def test_the_band_is_the_one_valid_on_the_orders_last_active_day():
    # N2 asks for 5.5 hours until 15 October, 2 hours from 16 October; the order ends on 20 October: no finding
    rates = [rate(1500, level="N2", lo=5.5, hi=10, end="2026-10-15"), rate(1500, level="N2", lo=2, hi=10, start="2026-10-16")]
    ws = workspace([order(hours=3, level="N2", end="2026-10-20")], rates, visits(3 * 20 / 7, 20), NEED)
    assert of_type(findings(ws, "2026-10"), "rate_above_order").empty


def test_the_fitting_level_is_the_dearest_that_holds_the_hours():
    # N1 (1,000 kr.) and N1b (1,200 kr.) both hold 3 hours: the smallest defensible amount uses the dearer
    rates = BANDS + [rate(1200, level="N1b", lo=2, hi=6)]
    ws = workspace([order(hours=3, level="N2")], rates, visits(3 * 31 / 7), NEED)
    f = of_type(findings(ws, "2026-10"), "rate_above_order")
    assert f.at[0, "dkk_at_stake"] == pytest.approx(1500 * 31 - 1200 * 31)


def test_rate_above_order_has_no_amount_when_the_fitting_level_lacks_a_rate_on_some_days():
    rates = [rate(1000, level="N1", lo=0, hi=5, end="2026-10-20"), rate(1500, level="N2", lo=5.5, hi=10)]
    ws = workspace([order(hours=3, level="N2")], rates, visits(3 * 31 / 7), NEED)
    f = of_type(findings(ws, "2026-10"), "rate_above_order")
    assert len(f) == 1 and pd.isna(f.at[0, "dkk_at_stake"])
    assert "ikke på alle dage" in f.at[0, "evidence"]


def test_delivered_hours_billing_compares_on_the_same_basis():
    # Hourly levels billed on documented hours: 10 hours delivered in October. The order's N2 (600 kr./hour) costs
    # 6,000 kr.; the fitting N1 (500 kr./hour) would cost 5,000 kr. on the same hours: 1,000 kr. at stake, not a
    # comparison of delivered against ordered hours.
    rates = [rate(500, "hour", level="N1", lo=0, hi=5), rate(600, "hour", level="N2", lo=5.5, hi=10)]
    ws = workspace([order(hours=3, level="N2")], rates, visits(10), NEED)
    f = of_type(findings(ws, "2026-10", Settings(hourly_billing="delivered")), "rate_above_order")
    assert f.at[0, "dkk_at_stake"] == pytest.approx(6000 - 5000)


# --- a range: in how many of its months a finding holds (issue 15) ------------------------------------------------

from bitanalysis import monthly_findings  # noqa: E402
from bitanalysis.bit.findings import FINDING_COLUMNS  # noqa: E402


def month_visits(month: str, days: int, hours_total: float) -> list[dict]:
    return [delivery(f"{month}-{d:02d}", hours_total * 60 / days) for d in range(1, days + 1)]


# July and August 2026 have 31 days, September 30: 7 hours/week is 31, 31 and 30 ordered hours, 92 in the quarter.
# Delivered: July in full, August half (15.5 hours), September 6 hours.
Q3_VISITS = month_visits("2026-07", 31, 31) + month_visits("2026-08", 31, 15.5) + month_visits("2026-09", 30, 6)


def test_a_range_says_in_how_many_months_a_finding_holds():
    ws = workspace([order(hours=7, start="2026-07-01")], [rate(600, "hour")], Q3_VISITS, NEED)
    for text in ("2026-Q3", "2026-07..2026-09"):
        f = findings(ws, text)
        assert list(f.columns) == FINDING_COLUMNS and f["months"].dtype == "int64"
        u = of_type(f, "under_delivery")
        # the quarter's arithmetic is the contract's, over the whole period: 52.5 of 92 hours (57 %)
        assert len(u) == 1 and u.at[0, "period"] == text
        assert u.at[0, "dkk_at_stake"] == pytest.approx((92 - 52.5) * 600)
        assert u.at[0, "months"] == 2  # August (50 %) and September (20 %) alone; July is delivered in full


def test_a_finding_of_the_range_may_hold_in_no_single_month():
    # The order runs in July only. Its theme is assessed at level 2 in June and at level 0 on 10 September: over the
    # quarter the latest assessment (on or before 30 September) is 0, so the order has no need; July alone sees level 2.
    need = [assessment("2026-06-01", "Egenomsorg", 2), assessment("2026-09-10", "Egenomsorg", 0)]
    ws = workspace([order(hours=7, start="2026-07-01", end="2026-07-31")], [rate(600, "hour")], month_visits("2026-07", 31, 31), need)
    f = findings(ws, "2026-Q3")
    assert f["type"].tolist() == ["order_without_need"]
    assert f.at[0, "months"] == 0 and f.at[0, "dkk_at_stake"] == pytest.approx(31 * 600)
    m = monthly_findings(ws, "2026-Q3")
    assert m.empty and list(m.columns) == ["month", *FINDING_COLUMNS]


def test_need_not_covered_is_the_same_finding_per_theme():
    # Samfundsliv is uncovered at level 2 all quarter; Mentale funktioner goes from level 1 to 3 on 15 August.
    need = NEED + [
        assessment("2026-06-01", "Samfundsliv", 2),
        assessment("2026-06-01", "Mentale funktioner", 1),
        assessment("2026-08-15", "Mentale funktioner", 3),
    ]
    rows = month_visits("2026-07", 31, 31) + month_visits("2026-08", 31, 31) + month_visits("2026-09", 30, 30)
    ws = workspace([order(hours=7, start="2026-07-01")], [rate(600, "hour")], rows, need)
    f = of_type(findings(ws, "2026-Q3"), "need_not_covered")
    theme = f["evidence"].str.extract("'(.+?)'")[0]
    assert dict(zip(theme, f["months"])) == {"Samfundsliv": 3, "Mentale funktioner": 2}


def test_monthly_findings_are_each_month_evaluated_alone():
    ws = workspace([order(hours=7, start="2026-07-01")], [rate(600, "hour")], Q3_VISITS, NEED)
    m = monthly_findings(ws, "2026-Q3")
    assert list(m.columns) == ["month", *FINDING_COLUMNS] and m["month"].dtype == "string"
    assert m["month"].tolist() == ["2026-08", "2026-09"]  # by month first, although September has more at stake
    assert m["type"].tolist() == ["under_delivery"] * 2
    assert m["dkk_at_stake"].tolist() == pytest.approx([(31 - 15.5) * 600, (30 - 6) * 600])
    assert (m["period"] == m["month"]).all() and (m["months"] == 1).all()
    for month, rows in m.groupby("month"):
        pd.testing.assert_frame_equal(rows.drop(columns="month").reset_index(drop=True), findings(ws, str(month)))


def test_a_one_month_period_has_months_1_and_each_month_is_evaluated_once(monkeypatch):
    import bitanalysis.bit.findings as module

    evaluated: list[str] = []
    real = module._evaluate
    monkeypatch.setattr(module, "_evaluate", lambda ws, p, s: evaluated.append(p.label) or real(ws, p, s))
    need = [dict(NEED[0], citizen_id=c) for c in ("c1", "c2")]
    ws = workspace([order("o1", hours=7), order("o2", citizen_id="c2", hours=7)], [rate(600, "hour")], visits(15.5), need)
    f = findings(ws, "2026-10")
    assert len(f) == 3 and (f["months"] == 1).all() and evaluated == ["2026-10"]  # o1 half delivered, o2 not at all
    monthly_findings(ws, "2026-10")
    assert evaluated == ["2026-10"]
    q = findings(ws, "2026-Q4")  # the quarter, then November and December; October is remembered
    assert sorted(evaluated) == ["2026-10", "2026-11", "2026-12", "2026-Q4"]
    # o1 is documented in October only: no missing evidence over the quarter, but in November and December alone
    assert dict(zip(zip(q["type"], q["order_id"]), q["months"])) == {
        ("under_delivery", "o1"): 3,
        ("under_delivery", "o2"): 3,
        ("missing_evidence", "o2"): 3,
    }
    monthly_findings(ws, "2026-Q4"), findings(ws, "2026-11")
    assert len(evaluated) == 4
    ws.assessments.loc[0, "level"] = 0  # changed in place, as in a notebook: evaluated again
    assert "order_without_need" in findings(ws, "2026-10")["type"].tolist()


def test_the_sample_month_by_month(sample_ws):
    found = findings(sample_ws, "2026-01..2026-09")
    monthly = monthly_findings(sample_ws, "2026-Q1..2026-Q3")
    assert len(monthly) == 167 and monthly["month"].unique().tolist() == [f"2026-{m:02d}" for m in range(1, 10)]
    assert found["months"].between(0, 9).all()
    # for the findings of one order each, `months` is the number of months with the same type and order
    per_order = found[found["order_id"].notna() & (found["type"] != "double_payment")]
    counted = monthly.groupby(["type", "order_id"]).size()
    for row in per_order.itertuples():
        assert row.months == counted.get((row.type, row.order_id), 0), row


def test_months_false_gives_the_period_findings_without_evaluating_each_month(sample_ws):
    from bitanalysis import findings as find

    full, quick = find(sample_ws, "2026-Q3"), find(sample_ws, "2026-Q3", months=False)
    assert quick["months"].isna().all() and len(quick) == len(full) > 0
    pd.testing.assert_frame_equal(quick.drop(columns="months"), full.drop(columns="months"))


def test_the_contract_directions_include_the_price_findings():
    assert {"price_above_peers": "over", "price_above_model": "over", "price_below_model": "under"}.items() <= CONTRACT_DIRECTION.items()
