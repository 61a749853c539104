"""The rate rules: one daily cost, one band test, non-overlapping validity (hand-computed figures)."""

import numpy as np
import pandas as pd
import pytest

from bitanalysis.bit.rates import annual_cost, daily_cost, in_band, rate_segments


def test_daily_cost_of_every_unit_by_hand():
    units = pd.Series(["day", "week", "month", "month", "year", "year", "hour", "km"])
    amounts = pd.Series([1000.0, 7000.0, 31000.0, 29000.0, 366000.0, 365000.0, 500.0, 9.0])
    on = pd.Series(
        pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-31", "2024-02-10", "2024-06-01", "2026-06-01", "2026-01-05", "2026-01-05"])
    )
    got = daily_cost(units, amounts, 7.0, on)
    # a month's rate over that month's days (31 in January, 29 in February 2024), a year's over 366 days in 2024
    assert got.iloc[:7].tolist() == pytest.approx([1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 500.0])
    assert np.isnan(got.iloc[7])  # a unit the contract has no place for has no cost, not 0


def test_annual_cost_sums_the_daily_cost_of_every_day():
    units = pd.Series(["day", "month", "year", "hour", "week"])
    amounts = pd.Series([1200.0, 30000.0, 400000.0, 600.0, 7000.0])
    assert annual_cost(units, amounts, 3.5, 2026).tolist() == pytest.approx(
        [1200 * 365, 30000 * 12, 400000, 600 * 3.5 / 7 * 365, 1000 * 365]
    )
    assert annual_cost(units, amounts, 3.5, 2024).iloc[0] == pytest.approx(1200 * 366)  # a leap year has one day more


def test_band_ends_are_inclusive_and_a_level_without_band_holds_nothing():
    low = pd.Series([5.0, 5.0, np.nan, np.nan, 0.0])
    high = pd.Series([10.0, 10.0, np.nan, 8.0, np.nan])
    assert in_band(5.0, low, high).tolist() == [True, True, False, True, True]
    assert in_band(10.0, low, high).tolist() == [True, True, False, False, True]
    assert in_band(pd.Series([4.99, 10.01, 3.0, 8.0, 100.0]), low, high).tolist() == [False, False, False, True, True]


def _rates(amounts, starts, ends):
    n = len(amounts)
    return pd.DataFrame(
        {
            "provider_id": ["P"] * n,
            "rate_level": ["N"] * n,
            "amount": amounts,
            "unit": ["day"] * n,
            "min_hours_per_week": [np.nan] * n,
            "max_hours_per_week": [np.nan] * n,
            "includes": [[] for _ in range(n)],
            "valid_from": pd.to_datetime(starts),
            "valid_to": pd.to_datetime(ends),
        }
    )


def test_rate_segments_end_where_the_next_row_starts_and_open_ends_run_on():
    seg = rate_segments(_rates([1.0, 2.0, 3.0], ["2025-01-01", "2025-07-01", "2026-01-01"], ["2025-12-31", None, None]))
    assert seg["valid_to"].dt.strftime("%Y-%m-%d").tolist() == ["2025-06-30", "2025-12-31", "2200-12-31"]


def test_a_repeated_rate_row_is_one_price_over_the_union_of_its_rows():
    # the same price listed on two sheets, once for the year and once for March–April: every day of 2026 has it, once
    seg = rate_segments(_rates([100.0, 100.0, 200.0], ["2026-01-01", "2026-03-01", "2027-01-01"], ["2026-12-31", "2026-04-30", None]))
    assert seg[["amount"]].assign(f=seg["valid_from"].dt.strftime("%m-%d"), t=seg["valid_to"].dt.strftime("%Y-%m-%d")).values.tolist() == [
        [100.0, "01-01", "2026-12-31"],
        [200.0, "01-01", "2200-12-31"],
    ]
