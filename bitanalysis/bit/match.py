"""The BIT match per order and calendar month (contract §2): active days, ordered and delivered hours, rate cost."""

from __future__ import annotations

import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day, delivered_by_month, delivered_minutes, delivery_status, loaded
from bitanalysis.bit.rates import daily_cost, rate_segments
from bitanalysis.core.intervals import order_months
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace

MATCH_COLUMNS = [
    "month",
    "order_id",
    "citizen_id",
    "provider_id",
    "provider_name",
    "paragraph",
    "service",
    "rate_level",
    "active_days",
    "ordered_hours",
    "delivered_hours",
    "delivery_ratio",
    "cost",
    "days_without_rate",
    "cost_per_delivered_hour",
    "implied_hourly_price",
    "team",
    "target_group",
    "is_addon",
    "hours_per_week",
]


def settings_of(ws: Workspace, settings: Settings | None) -> Settings:
    """The given settings, else the data folder's [settings], else the contract's defaults."""
    return settings if settings is not None else Settings.from_dict(ws.settings or {})


def _rate_parts(seg: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Each segment cut at its rate rows' validity: the days (o_from to o_to) each rate row covers and their cost."""
    keys = seg[["provider_id", "rate_level", "hours_per_week", "seg_from", "seg_to"] + (["order_id"] if "order_id" in seg else [])]
    parts = keys.reset_index(names="_seg").merge(rate_segments(rates), on=["provider_id", "rate_level"])
    parts["o_from"] = parts[["seg_from", "valid_from"]].max(axis=1)
    parts["o_to"] = parts[["seg_to", "valid_to"]].min(axis=1)
    parts = parts[parts["o_to"] >= parts["o_from"]].copy()
    parts["days"] = (parts["o_to"] - parts["o_from"]).dt.days + 1
    parts["cost"] = daily_cost(parts["unit"], parts["amount"], parts["hours_per_week"], parts["o_from"]) * parts["days"]
    return parts


def segment_cost(
    seg: pd.DataFrame, rates: pd.DataFrame, by_day: pd.DataFrame | None = None, hourly_billing: str = "ordered"
) -> pd.DataFrame:
    """Cost and days with a valid rate of each segment (a date interval within one calendar month) of an order.

    `seg` has a unique index and the columns provider_id, rate_level, hours_per_week, seg_from, seg_to (and
    order_id when hourly rates are billed on delivered hours). Returns days_with_rate and cost (missing where any
    day lacks a rate), indexed like `seg`.
    """
    parts = _rate_parts(seg, rates)
    if hourly_billing == "delivered" and by_day is not None:
        hourly = parts["unit"] == "hour"
        spans = parts.loc[hourly, ["order_id", "o_from", "o_to"]].rename(columns={"o_from": "seg_from", "o_to": "seg_to"})
        parts.loc[hourly, "cost"] = parts.loc[hourly, "amount"] * delivered_minutes(spans, by_day) / 60
    grouped = parts.groupby("_seg")
    out = pd.DataFrame(index=seg.index)
    out["days_with_rate"] = grouped["days"].sum().reindex(seg.index).fillna(0).astype(int)
    every_part = grouped["cost"].count() == grouped.size()  # an hourly rate without ordered hours has no cost
    out["cost"] = grouped["cost"].sum(min_count=1).where(every_part).reindex(seg.index)
    full = out["days_with_rate"] == (seg["seg_to"] - seg["seg_from"]).dt.days + 1
    out["cost"] = out["cost"].where(full)
    no_hours = (parts["unit"] == "hour") & parts["hours_per_week"].isna() & parts["cost"].isna()
    out["hours_missing"] = no_hours.groupby(parts["_seg"]).any().reindex(seg.index, fill_value=False).astype(bool)
    return out


def costs(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    """The order-month rows with their segments, ordered hours and rate costs (no delivery rows read, unless hourly
    rates are billed on delivered hours)."""
    return ws.remember(("costs", p.start, p.end, s), lambda: _costs(ws, p, s)).copy(deep=False)


def order_month_costs(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    """The order-month rows with their segments, costs, delivered hours and number of matched delivery rows."""
    return ws.remember(("order_month_costs", p.start, p.end, s), lambda: _with_deliveries(ws, p, s)).copy(deep=False)


def _costs(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    months = order_months(ws.orders, p.start, p.end)
    by_day = None
    if s.hourly_billing == "delivered":
        hourly = ws.rates.loc[ws.rates["unit"] == "hour", ["provider_id", "rate_level"]].drop_duplicates()
        by_day = delivered_by_day(ws, p, months.merge(hourly, on=["provider_id", "rate_level"])["order_id"])
    cost = segment_cost(months, ws.rates, by_day, s.hourly_billing)
    return months.assign(
        ordered_hours=months["hours_per_week"] * months["active_days"] / 7,
        cost=cost["cost"],
        days_without_rate=months["active_days"] - cost["days_with_rate"],
        hours_missing=cost["hours_missing"],
    )


def _with_deliveries(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    out = costs(ws, p, s)
    delivered = out[["order_id", "month"]].merge(delivered_by_month(ws, p), on=["order_id", "month"], how="left")
    out["delivered_hours"] = delivered["minutes"].fillna(0.0).to_numpy() / 60
    out["delivery_rows"] = delivered["rows"].fillna(0).astype("int64").to_numpy()
    ordered = out["ordered_hours"].where(out["ordered_hours"] > 0)
    out["delivery_ratio"] = out["delivered_hours"] / ordered
    out["cost_per_delivered_hour"] = out["cost"] / out["delivered_hours"].where(out["delivered_hours"] > 0)
    out["implied_hourly_price"] = out["cost"] / ordered
    return out


def match(ws: Workspace, period: str | Period, settings: Settings | None = None) -> pd.DataFrame:
    """One row per order and calendar month of the period: size of the order, of the delivery, and its rate cost."""
    out = order_month_costs(ws, as_period(period), settings_of(ws, settings))
    return out[MATCH_COLUMNS].sort_values(["month", "order_id"], ignore_index=True)


def accounting(ws: Workspace, period: str | Period) -> pd.DataFrame:
    """Delivery rows and minutes of the period: matched to an order, unmatched, ambiguous, and all loaded."""
    status = delivery_status(ws, as_period(period))
    out = status.groupby("status")[["rows", "minutes"]].sum().reindex(["matched", "unmatched", "ambiguous"], fill_value=0)
    out.loc["loaded"] = loaded(ws, as_period(period))
    out["rows"] = out["rows"].astype(int)
    out["hours"] = out["minutes"] / 60
    return out.rename_axis("status")
