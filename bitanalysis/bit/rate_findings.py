"""rate_findings: the findings of the rate (T) against the order — rate_above_order and order_above_rate (the level's
hour band), double_payment (a service inside another order's rate), rate_missing and hours_missing (no cost), and the
price findings (price_above_peers, price_above_model, price_below_model)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.finding_types import _hours, _rows
from bitanalysis.bit.match import segment_cost
from bitanalysis.bit.price import above_peers, against_model
from bitanalysis.bit.rates import daily_cost, in_band, rate_segments
from bitanalysis.core.intervals import days
from bitanalysis.core.parse import text_key
from bitanalysis.core.period import Period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace


def _own_bands(o: pd.DataFrame, months: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Each order with hours and the band of its level's rate row valid on its last active day in the period."""
    last = months.groupby("order_id")["seg_to"].max().rename("last_day")
    x = o[o["hours_per_week"].notna()].join(last, on="order_id")
    r = rate_segments(rates)[["provider_id", "rate_level", "valid_from", "valid_to", "min_hours_per_week", "max_hours_per_week"]]
    x = x.merge(r, on=["provider_id", "rate_level"])
    return x[(x["valid_from"] <= x["last_day"]) & (x["valid_to"] >= x["last_day"])].drop(columns=["valid_from", "valid_to"])


def _fitting_cost(low: pd.DataFrame, months: pd.DataFrame, rates: pd.DataFrame, by_day: pd.DataFrame | None) -> pd.DataFrame:
    """Per order: the cost of the dearest level of its provider whose band holds its hours, day by day (missing when a day
    has none), and the level that fits on its last active day."""
    if low.empty:
        return pd.DataFrame({"fit_cost": pd.Series(dtype="float64"), "fit_level": pd.Series(dtype=object)}, index=low.index)
    seg = months.loc[months["order_id"].isin(low["order_id"]), ["order_id", "provider_id", "hours_per_week", "seg_from", "seg_to"]]
    day = days(seg, "seg_from", "seg_to").drop(columns=["seg_from", "seg_to"])
    r = rate_segments(rates)
    c = day.merge(r, on="provider_id")
    c = c[(c["valid_from"] <= c["date"]) & (c["valid_to"] >= c["date"])]
    c = c[in_band(c["hours_per_week"], c["min_hours_per_week"], c["max_hours_per_week"])].copy()
    c["daily"] = daily_cost(c["unit"], c["amount"], c["hours_per_week"], c["date"])
    if by_day is not None:  # hourly rates billed on the documented hours of the day, as the order's own cost
        minutes = c[["order_id", "date"]].merge(by_day, on=["order_id", "date"], how="left")["minutes"].fillna(0.0).to_numpy()
        c["daily"] = c["daily"].mask(c["unit"] == "hour", c["amount"] * minutes / 60)
    best = c.sort_values(["daily", "rate_level"]).drop_duplicates(["order_id", "date"], keep="last")
    covered = best.groupby("order_id").size().reindex(low["order_id"]).fillna(0)
    total = best.groupby("order_id")["daily"].sum(min_count=1).reindex(low["order_id"])
    needed = day.groupby("order_id").size().reindex(low["order_id"]).fillna(0)
    level = best.sort_values("date").drop_duplicates("order_id", keep="last").set_index("order_id")["rate_level"]
    return pd.DataFrame(
        {"fit_cost": total.where(covered == needed).to_numpy(), "fit_level": level.reindex(low["order_id"]).to_numpy()}, index=low.index
    )


def band_findings(o: pd.DataFrame, months: pd.DataFrame, ws: Workspace, p: Period, by_day: pd.DataFrame | None) -> list[pd.DataFrame]:
    """rate_above_order (against the cost of the dearest fitting level) and order_above_rate (contract §3, §2.1)."""
    if o["hours_per_week"].notna().sum() == 0:
        return []
    b = _own_bands(o, months, ws.rates)
    low = b[b["hours_per_week"] < b["min_hours_per_week"]].copy()
    high = b[b["hours_per_week"] > b["max_hours_per_week"]]
    low = low.join(_fitting_cost(low, months, ws.rates, by_day))
    dkk = low["cost"] - low["fit_cost"].astype("float64")
    low_text = pd.Series(
        [
            f"Bevilget {_hours(h)} timer/uge, men takstniveau '{lvl}' forudsætter mindst {_hours(mn)} timer/uge"
            + (f"; niveau '{f}' dækker {_hours(h)} timer/uge" if isinstance(f, str) else "; intet niveau hos tilbuddet dækker timetallet")
            + ("." if pd.notna(c) or not isinstance(f, str) else ", men ikke på alle dage i perioden.")
            for h, lvl, mn, f, c in zip(
                low["hours_per_week"], low["rate_level"], low["min_hours_per_week"], low["fit_level"], low["fit_cost"]
            )
        ],
        index=low.index,
        dtype=object,
    )
    high_text = pd.Series(
        [
            f"Bevilget {_hours(h)} timer/uge, men takstniveau '{lvl}' dækker højst {_hours(mx)} timer/uge; "
            "borgeren kan være indplaceret for lavt."
            for h, lvl, mx in zip(high["hours_per_week"], high["rate_level"], high["max_hours_per_week"])
        ],
        index=high.index,
        dtype=object,
    )
    return [_rows("rate_above_order", low, dkk, low_text), _rows("order_above_rate", high, np.nan, high_text)]


def _has_items(value: object) -> bool:
    """A rate row's `includes` names at least one service (a list or array; missing or empty names none)."""
    return not isinstance(value, str) and hasattr(value, "__len__") and len(value) > 0


def double_payment(months: pd.DataFrame, ws: Workspace, by_day: pd.DataFrame | None) -> pd.DataFrame:
    """Orders whose service is already inside the rate of another order of the citizen on the same days."""
    if not months.duplicated(["citizen_id", "month"]).any() or not ws.rates["includes"].map(_has_items).any():
        return _rows("double_payment", months.iloc[:0], np.nan, pd.Series([], dtype=object))  # no pair, or no rate includes
    cols = ["order_id", "citizen_id", "month", "seg_from", "seg_to", "service", "provider_id", "rate_level", "hours_per_week"]
    pairs = months[cols].merge(months[cols], on=["citizen_id", "month"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["order_id_a"] != pairs["order_id_b"]].copy()
    pairs["seg_from"] = pairs[["seg_from_a", "seg_from_b"]].max(axis=1)
    pairs["seg_to"] = pairs[["seg_to_a", "seg_to_b"]].min(axis=1)
    # the rate rows of order a on the shared days, one row per service they include
    inc = rate_segments(ws.rates)[["provider_id", "rate_level", "valid_from", "valid_to", "includes"]].explode("includes")
    inc = inc.rename(columns={"provider_id": "provider_id_a", "rate_level": "rate_level_a"}).dropna(subset=["includes"])
    inc["service_key"] = text_key(inc["includes"]).to_numpy()
    pairs["service_key"] = text_key(pairs["service_b"])
    pairs = pairs.merge(inc.drop(columns=["includes"]), on=["provider_id_a", "rate_level_a", "service_key"])
    pairs["seg_from"] = pairs[["seg_from", "valid_from"]].max(axis=1)
    pairs["seg_to"] = pairs[["seg_to", "valid_to"]].min(axis=1)
    pairs = pairs[pairs["seg_to"] >= pairs["seg_from"]].drop_duplicates(["order_id_a", "order_id_b", "seg_from"]).reset_index(drop=True)
    seg = pairs.rename(
        columns={
            "provider_id_b": "provider_id",
            "rate_level_b": "rate_level",
            "hours_per_week_b": "hours_per_week",
            "order_id_b": "order_id",
        }
    )
    keys = seg[["provider_id", "rate_level", "hours_per_week", "seg_from", "seg_to", "order_id"]]
    pairs["cost"] = segment_cost(keys, ws.rates, by_day, "delivered" if by_day is not None else "ordered")["cost"]
    pairs["days"] = (pairs["seg_to"] - pairs["seg_from"]).dt.days + 1
    g = pairs.groupby(["order_id_b", "order_id_a"], as_index=False).agg(
        citizen_id=("citizen_id", "first"),
        provider_id=("provider_id_b", "first"),
        service=("service_b", "first"),
        days=("days", "sum"),
        cost=("cost", lambda c: c.sum() if c.notna().all() else np.nan),
    )
    g = g.rename(columns={"order_id_b": "order_id"})
    text = pd.Series(
        [
            f"Ydelsen '{svc}' købes separat, men er indeholdt i taksten for bevilling {a} i {d} dage."
            for svc, a, d in zip(g["service"], g["order_id_a"], g["days"])
        ],
        index=g.index,
        dtype=object,
    )
    return _rows("double_payment", g, g["cost"], text, detail=g["order_id_a"])


def cost_gaps(o: pd.DataFrame) -> list[pd.DataFrame]:
    """rate_missing (days without a valid rate) and hours_missing (an hourly rate on an order without hours, §2.1)."""
    gaps = o[o["days_without_rate"] > 0]
    gap_text = pd.Series(
        [
            f"Ingen gyldig takst for niveau '{lvl}' i {d} af {a} dage."
            for lvl, d, a in zip(gaps["rate_level"], gaps["days_without_rate"], gaps["active_days"])
        ],
        index=gaps.index,
        dtype=object,
    )
    hourly = o[o["hours_missing"].astype(bool)]
    hourly_text = pd.Series(
        [
            f"Niveau '{lvl}' har en timetakst, men bevillingen angiver ingen timer pr. uge; udgiften kan ikke opgøres."
            for lvl in hourly["rate_level"]
        ],
        index=hourly.index,
        dtype=object,
    )
    return [_rows("rate_missing", gaps, np.nan, gap_text), _rows("hours_missing", hourly, np.nan, hourly_text)]


def price_findings(o: pd.DataFrame, months: pd.DataFrame, ws: Workspace, s: Settings) -> list[pd.DataFrame]:
    """price_above_peers, price_above_model and price_below_model: is the price right for the hours (see `_price`)."""
    peers = above_peers(o, months, s)
    high, low = against_model(o, months, ws, s)
    return [
        _rows("price_above_peers", peers, peers["dkk"], peers["text"]),
        _rows("price_above_model", high, high["dkk"], high["text"]),
        _rows("price_below_model", low, low["dkk"], low["text"]),
    ]
