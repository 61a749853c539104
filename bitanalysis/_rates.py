"""Rates (T): non-overlapping validity, the daily cost of a rate, and the hour band a level presumes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._intervals import DAY, OPEN_END, days_in_year


def rate_segments(rates: pd.DataFrame) -> pd.DataFrame:
    """Rate rows made non-overlapping per provider and level (a row ends where the next one starts)."""
    r = rates.sort_values(["provider_id", "rate_level", "valid_from"]).copy()
    nxt = r.groupby(["provider_id", "rate_level"])["valid_from"].shift(-1) - DAY
    r["valid_to"] = r["valid_to"].fillna(OPEN_END)
    r["valid_to"] = r["valid_to"].where(nxt.isna() | (r["valid_to"] <= nxt), nxt)
    return r[r["valid_to"] >= r["valid_from"]].reset_index(drop=True)


def daily_cost(unit: pd.Series, amount: pd.Series, hours_per_week: pd.Series | float, on: pd.Series) -> pd.Series:
    """What a rate costs for one day `on`: a month's rate over that month's days, a year's over that year's days,
    an hourly rate at the ordered hours per week; missing for a unit the contract does not know."""
    per_day = {
        "day": amount,
        "week": amount / 7,
        "month": amount / on.dt.days_in_month,
        "year": amount / days_in_year(on),
        "hour": amount * hours_per_week / 7,
    }
    out = pd.Series(np.nan, index=amount.index)
    for u, value in per_day.items():
        out = out.mask(unit == u, value)
    return out


def annual_cost(unit: pd.Series, amount: pd.Series, hours_per_week: float, year: int) -> pd.Series:
    """What a rate costs for the whole calendar year at the given hours per week (the daily cost of every day)."""
    total = pd.Series(0.0, index=amount.index)
    for month in range(1, 13):
        first = pd.Series(pd.Timestamp(year, month, 1), index=amount.index)
        total += daily_cost(unit, amount, hours_per_week, first) * first.dt.days_in_month
    return total


def in_band(hours: pd.Series | float, low: pd.Series, high: pd.Series) -> pd.Series:
    """Whether the hours per week lie in the band [low, high] (both ends included); a level with no band holds nothing."""
    return (hours >= low.fillna(0)) & (hours <= high.fillna(np.inf)) & (low.notna() | high.notna())


def rate_in_force(rates: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each provider level's rate row in force on 1 January of the year (else the first one starting in it)."""
    r = rate_segments(rates)
    r = r[(r["valid_from"] <= pd.Timestamp(year, 12, 31)) & (r["valid_to"] >= pd.Timestamp(year, 1, 1))]
    return r.sort_values("valid_from").drop_duplicates(["provider_id", "rate_level"], keep="first")


def bands(rates: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each provider level's hour band, from its latest rate row valid between two dates."""
    r = rate_segments(rates)
    r = r[(r["valid_from"] <= end) & (r["valid_to"] >= start)].sort_values("valid_from")
    return r.drop_duplicates(["provider_id", "rate_level"], keep="last")[
        ["provider_id", "rate_level", "min_hours_per_week", "max_hours_per_week"]
    ]
