"""Rates (T): non-overlapping validity, the daily cost of a rate, and the hour band a level presumes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.core.intervals import DAY, OPEN_END, days_in_year
from bitanalysis.io.validate import price_key


def _merge_repeats(rates: pd.DataFrame) -> pd.DataFrame:
    """Identical rate rows whose validity overlaps or touches, merged into one row covering their union."""
    if not rates.duplicated(["provider_id", "rate_level"]).any():  # one row per level: nothing to merge
        return rates.assign(valid_to=rates["valid_to"].fillna(OPEN_END))
    r = rates.assign(_price=price_key(rates), valid_to=rates["valid_to"].fillna(OPEN_END))
    r = r.sort_values(["provider_id", "rate_level", "valid_from", "valid_to"], kind="stable")
    keys = [r["provider_id"], r["rate_level"], r["_price"]]
    reach = r.groupby(keys, dropna=False, sort=False)["valid_to"].cummax()
    before = reach.groupby(keys, dropna=False, sort=False).shift()
    run = (before.isna() | (r["valid_from"] > before + DAY)).groupby(keys, dropna=False, sort=False).cumsum()
    grouped = r.assign(_run=run).groupby([*keys, run.rename("_run")], dropna=False, sort=False)
    merged = grouped.head(1).copy()
    merged["valid_to"] = grouped["valid_to"].max().to_numpy()
    return merged.drop(columns=["_price"])


_SEGMENTS: dict[tuple, pd.DataFrame] = {}  # the last few rate tables' segments, by a hash of their content


def rate_segments(rates: pd.DataFrame) -> pd.DataFrame:
    """Rate rows made non-overlapping per provider and level: repeated identical rows are one price over their union;
    otherwise a row ends where the next one starts (remembered for the last few rate tables, by their content)."""
    from bitanalysis.workspace.workspace import fingerprint

    key = fingerprint(rates)
    if key not in _SEGMENTS:
        if len(_SEGMENTS) >= 8:
            _SEGMENTS.pop(next(iter(_SEGMENTS)))
        _SEGMENTS[key] = _segments(rates)
    return _SEGMENTS[key].copy(deep=False)


def _segments(rates: pd.DataFrame) -> pd.DataFrame:
    r = _merge_repeats(rates).sort_values(["provider_id", "rate_level", "valid_from"])
    nxt = r.groupby(["provider_id", "rate_level"])["valid_from"].shift(-1) - DAY
    r["valid_to"] = r["valid_to"].where(nxt.isna() | (r["valid_to"] <= nxt), nxt)
    return r[r["valid_to"] >= r["valid_from"]].drop(columns=["_run"], errors="ignore").reset_index(drop=True)


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
