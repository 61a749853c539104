"""Date intervals: calendar months an interval touches, days covered by overlapping intervals, and the open end."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The date an interval without an end date runs to (open-ended orders and rates).
OPEN_END = pd.Timestamp("2200-12-31")
DAY = pd.Timedelta(days=1)
#: A Monday: week numbers count Monday-based weeks from it.
WEEK_EPOCH = pd.Timestamp("2000-01-03")


def days_in_year(dates: pd.Series) -> pd.Series:
    """The number of days (365 or 366) in each date's year."""
    return pd.Series(np.where(dates.dt.is_leap_year, 366, 365), index=dates.index)


def _ordinal(dates: pd.Series) -> pd.Series:
    """The month number year * 12 + month - 1 of each date."""
    return dates.dt.year * 12 + dates.dt.month - 1


def _month_start(ordinal: pd.Series) -> pd.Series:
    """First day of the month numbered year * 12 + month - 1."""
    return pd.to_datetime(pd.DataFrame({"year": ordinal // 12, "month": ordinal % 12 + 1, "day": 1})).astype("datetime64[us]")


def _repeat_range(frame: pd.DataFrame, first: pd.Series, last: pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    """Each row repeated once per number from first to last (inclusive), with those numbers."""
    n = (last - first + 1).clip(lower=0).to_numpy()
    out = frame.loc[frame.index.repeat(n)]
    return out, np.repeat(first.to_numpy(), n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))


def split_by_month(frame: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per calendar month that [start, end] touches, with `seg_from`, `seg_to` clipped to the month and `month`."""
    if frame.empty:
        return frame.assign(month=pd.Series(dtype="string"), seg_from=frame[start], seg_to=frame[start])
    out, ordinal = _repeat_range(frame, _ordinal(frame[start]), _ordinal(frame[end]))
    out = out.copy()
    ms = _month_start(pd.Series(ordinal, index=out.index))
    me = ms + pd.to_timedelta(ms.dt.days_in_month - 1, unit="D")
    out["seg_from"] = out[start].where(out[start] > ms, ms)
    out["seg_to"] = out[end].where(out[end] < me, me)
    labels = pd.Series(ordinal).drop_duplicates()  # a few distinct months: format each once
    out["month"] = (
        pd.Series(ordinal, index=out.index).map(pd.Series([f"{o // 12}-{o % 12 + 1:02d}" for o in labels], index=labels)).astype("string")
    )
    return out.reset_index(drop=True)


def order_months(orders: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each order's active interval in each calendar month between two dates (inclusive)."""
    stop = orders["end_date"].fillna(OPEN_END)
    active = orders[(orders["start_date"] <= end) & (stop >= start)].copy()
    active["_from"] = active["start_date"].where(active["start_date"] > start, start)
    active["_to"] = active["end_date"].fillna(OPEN_END).where(lambda d: d < end, end)
    out = split_by_month(active, "_from", "_to").drop(columns=["_from", "_to"])
    out["active_days"] = (out["seg_to"] - out["seg_from"]).dt.days + 1
    return out


def days(frame: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per day of each row's [start, end], with the day in `date`."""
    first = (frame[start] - WEEK_EPOCH).dt.days
    out, number = _repeat_range(frame, first, (frame[end] - WEEK_EPOCH).dt.days)
    return out.reset_index(drop=True).assign(date=(WEEK_EPOCH + pd.to_timedelta(number, unit="D")).astype("datetime64[us]"))


def week_number(dates: pd.Series) -> pd.Series:
    """The Monday-based week number of each date."""
    return (dates - WEEK_EPOCH).dt.days // 7


def weeks(frame: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per order and week (Monday-based week number) that [start, end] touches."""
    out, week = _repeat_range(frame[["order_id", "provider_id"]], week_number(frame[start]), week_number(frame[end]))
    return out.reset_index(drop=True).assign(week=week)


def union_days(segments: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Distinct days covered by the [seg_from, seg_to] intervals of each key (overlaps counted once)."""
    s = segments.sort_values([*keys, "seg_from"])
    reach = s.groupby(keys, dropna=False)["seg_to"].cummax()
    before = reach.groupby([s[k] for k in keys], dropna=False).shift()
    begin = s["seg_from"].where(before.isna() | (s["seg_from"] > before), before + DAY)
    days = ((s["seg_to"] - begin).dt.days + 1).clip(lower=0)
    return days.groupby([s[k] for k in keys], dropna=False).sum()
