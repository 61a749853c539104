"""Is the price right for the hours: the price per ordered hour against peers, and the cost against the municipality's
own cost model, both ways, with figures computed by hand."""

import datetime as dt

import pandas as pd
import pytest

import bitanalysis as bit
from bitanalysis.io.cost_model import CostModel, cost_models, fair_cost
from bitanalysis.io.mapping import Mapping

D = pd.Timestamp

MODEL = {
    "valid_from": dt.date(2026, 1, 1),
    "label": "Prøvemodel",
    "staff_cost_per_hour": {"day": 400, "evening_night": 400, "weekend": 400},
    "hour_shares": {"day": 0.7, "evening_night": 0.2, "weekend": 0.1},
    "on_cost": 0.25,  # 400 × 1,25 = 500 kr. an hour
    "overhead": 0.0,
    "occupancy": 1.0,
    "daily_non_staff": {"§ 85": 0, "SEL §107": 450},
}


def _workspace(rates: list[float], model: dict | None = MODEL, hours: float = 7.0) -> bit.Workspace:
    """One §85 order of `hours` a week per provider P1, P2, … for all of October 2026, on an hourly rate each."""
    n = len(rates)
    ids = [f"P{i + 1}" for i in range(n)]
    orders = pd.DataFrame(
        {
            "order_id": [f"O{i + 1}" for i in range(n)],
            "citizen_id": [f"B-{i + 1}" for i in range(n)],
            "provider_id": ids,
            "paragraph": ["SEL §85"] * n,
            "service": ["Socialpædagogisk støtte"] * n,
            "start_date": [D("2026-01-01")] * n,
            "hours_per_week": [hours] * n,
            "rate_level": ["Timetakst"] * n,
        }
    )
    table = pd.DataFrame(
        {"provider_id": ids, "rate_level": ["Timetakst"] * n, "unit": ["hour"] * n, "amount": rates, "valid_from": [D("2020-01-01")] * n}
    )
    ws = bit.Workspace.from_frames(orders=orders, rates=table)
    ws.mapping = Mapping(tables={}, cost_model=cost_models([model]) if model else ())
    return ws


def test_the_price_per_ordered_hour_is_ranked_against_a_peer_group_of_five():
    ws = _workspace([400, 450, 500, 550, 1000])
    b = bit.economics.price_benchmark(ws, "2026-10").set_index("provider_id")
    # 7 h a week for 31 days = 31 ordered hours; an hourly rate costs rate × 31, so the price per hour is the rate.
    assert b["price_per_hour"].to_dict() == pytest.approx({"P1": 400, "P2": 450, "P3": 500, "P4": 550, "P5": 1000})
    assert set(b["median"]) == {500} and set(b["q1"]) == {450} and set(b["q3"]) == {550} and set(b["providers"]) == {5}
    assert b.loc["P5", "rank"] == 1 and b.loc["P1", "rank"] == 5 and b["ranked"].all()
    assert b.loc["P5", "ratio"] == pytest.approx(2.0) and b["model_price_per_hour"].tolist() == pytest.approx([500] * 5)


def test_a_group_of_four_is_shown_not_ranked_and_gives_no_peer_finding():
    ws = _workspace([400, 450, 500, 1000])
    b = bit.economics.price_benchmark(ws, "2026-10")
    assert not b["ranked"].any() and b["rank"].isna().all() and len(b) == 4
    assert "price_above_peers" not in set(bit.findings(ws, "2026-10")["type"])


def test_price_findings_go_both_ways_with_dkk_by_hand():
    found = bit.findings(_workspace([400, 450, 500, 550, 1000]), "2026-10")
    price = found[found["type"].str.startswith("price_")].set_index(["type", "order_id"])
    # P5 charges 1.000 kr. an hour against a median of 500 (> 1,25 × 500): (1.000 − 500) × 31 h = 15.500 kr.
    assert price.loc[("price_above_peers", "O5"), "dkk_at_stake"] == pytest.approx(15_500)
    assert "182.625 kr. om året" in price.loc[("price_above_peers", "O5"), "evidence"]  # 500 × 7 × 365,25 / 7
    # The model: 500 kr. an hour, no non-staff costs for §85: 31 × 500 = 15.500 kr. per order in October.
    # P5 costs 31.000 (> 15.500 × 1,15): 15.500 over. P1 costs 12.400 (< 15.500 × 0,85 = 13.175): 3.100 under.
    assert price.loc[("price_above_model", "O5"), "dkk_at_stake"] == pytest.approx(15_500)
    assert price.loc[("price_below_model", "O1"), "dkk_at_stake"] == pytest.approx(3_100)
    assert price.loc[("price_below_model", "O1"), "direction"] == "under" and price.loc[("price_above_model", "O5"), "direction"] == "over"
    assert "model 'Prøvemodel' fra 01-01-2026" in price.loc[("price_below_model", "O1"), "evidence"]
    # P2 (13.950) and P4 (17.050) are within 15 % of 15.500; P3 is the model's price.
    assert set(price.index) == {("price_above_peers", "O5"), ("price_above_model", "O5"), ("price_below_model", "O1")}


def test_without_a_cost_model_only_the_peer_view():
    ws = _workspace([400, 450, 500, 550, 1000], model=None)
    assert bit.economics.price_benchmark(ws, "2026-10")["model_price_per_hour"].isna().all()
    types = set(bit.findings(ws, "2026-10")["type"])
    assert "price_above_peers" in types and not types & {"price_above_model", "price_below_model"}


def test_the_model_cost_of_a_residential_month_by_hand():
    model = cost_models([MODEL | {"overhead": 0.10, "occupancy": 0.9}])
    months = pd.DataFrame(
        {
            "month": ["2026-10", "2026-10", "2025-12"],
            "ordered_hours": [10 * 31 / 7, 10 * 31 / 7, 5.0],
            "active_days": [31, 31, 31],
            "paragraph": ["SEL §107", "SEL §108", "SEL §107"],
        }
    )
    out = fair_cost(months, model)
    # (10 × 31 / 7 h × 500 kr. + 450 kr. × 31 days) × 1,10 / 0,90 = 44.113,49 kr.
    assert out["fair_cost"].iloc[0] == pytest.approx((10 * 31 / 7 * 500 + 450 * 31) * 1.1 / 0.9)
    assert pd.isna(out["fair_cost"].iloc[1])  # the model has no daily amount for §108: no model price, not 0
    assert pd.isna(out["fair_cost"].iloc[2]) and pd.isna(out["model"].iloc[2])  # before the model's first version


def test_the_version_in_force_on_the_months_last_day_is_used():
    versions = cost_models([MODEL, MODEL | {"valid_from": dt.date(2026, 7, 1), "label": "Juli", "on_cost": 0.5}])
    assert [v.label for v in versions] == ["Prøvemodel", "Juli"] and isinstance(versions[1], CostModel)
    out = fair_cost(
        pd.DataFrame({"month": ["2026-06", "2026-07"], "ordered_hours": [1.0, 1.0], "active_days": [0, 0], "paragraph": ["SEL §85"] * 2}),
        versions,
    )
    assert out["fair_cost"].tolist() == pytest.approx([500, 600])  # 400 × 1,25 and 400 × 1,5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on_cost": "x"}, "on_cost skal være et tal"),
        ({"hour_shares": {"day": 0.5, "evening_night": 0.2, "weekend": 0.1}}, "hour_shares skal summe til 1"),
        ({"daily_non_staff": {"Bolig": 100}}, "'Bolig' er ikke en paragraf"),
        ({"valid_from": "2026-01-01"}, "valid_from skal være en dato"),
        ({"occupancy": 0}, "occupancy skal være et tal mellem 0.01 og 1"),
    ],
)
def test_a_broken_cost_model_is_refused_in_danish_naming_the_key(change, message):
    with pytest.raises(ValueError, match=message):
        cost_models([MODEL | change])


def test_the_mapping_file_names_the_problem_and_shows_an_example(tmp_path):
    from bitanalysis.io.mapping import MappingError, read_mapping

    path = tmp_path / "bitanalysis.toml"
    path.write_text('[[cost_model]]\nvalid_from = 2026-01-01\nlabel = "x"\n', encoding="utf-8")
    with pytest.raises(MappingError, match=r"\[\[cost_model\]\] version 1: mangler staff_cost_per_hour.*Et eksempel"):
        read_mapping(path)


def test_an_add_on_is_support_on_top_of_a_place_so_it_has_no_daily_amount():
    model = cost_models([MODEL])
    months = pd.DataFrame(
        {
            "month": ["2026-10"] * 2,
            "ordered_hours": [31.0, 31.0],
            "active_days": [31, 31],
            "paragraph": ["SEL §107"] * 2,
            "is_addon": [False, True],
        }
    )
    # The place: 31 h × 500 + 450 kr. × 31 days = 29.450 kr.; the add-on on top of it: its hours only, 15.500 kr.
    assert fair_cost(months, model)["fair_cost"].tolist() == pytest.approx([31 * 500 + 450 * 31, 31 * 500])
