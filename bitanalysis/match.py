"""The BIT match per order and calendar month (contract §2): active days, ordered and delivered hours, rate cost."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .load import Workspace
from .period import Period, period as as_period
from .settings import Settings

FAR = pd.Timestamp("2200-12-31")
DAY = pd.Timedelta(days=1)

MATCH_COLUMNS = [
    "month", "order_id", "citizen_id", "provider_id", "provider_name", "paragraph", "service", "rate_level", "active_days",
    "ordered_hours", "delivered_hours", "delivery_ratio", "cost", "days_without_rate", "cost_per_delivered_hour",
    "implied_hourly_price", "team", "target_group", "is_addon", "hours_per_week",
]


def settings_of(ws: Workspace, settings: Settings | None) -> Settings:
    """The given settings, else the data folder's [settings], else the contract's defaults."""
    return settings if settings is not None else Settings.from_dict(ws.settings or {})


def _month_start(ordinal: pd.Series) -> pd.Series:
    """First day of the month numbered year * 12 + month - 1."""
    return pd.to_datetime(pd.DataFrame({"year": ordinal // 12, "month": ordinal % 12 + 1, "day": 1})).astype("datetime64[us]")


def _ordinal(dates: pd.Series) -> pd.Series:
    return dates.dt.year * 12 + dates.dt.month - 1


def split_by_month(frame: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per calendar month that [start, end] touches, with `seg_from`, `seg_to` clipped to the month and `month`."""
    if frame.empty:
        return frame.assign(month=pd.Series(dtype="string"), seg_from=frame[start], seg_to=frame[start])
    first, last = _ordinal(frame[start]), _ordinal(frame[end])
    n = (last - first + 1).clip(lower=0).to_numpy()
    out = frame.loc[frame.index.repeat(n)].copy()
    ordinal = np.repeat(first.to_numpy(), n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    ms = _month_start(pd.Series(ordinal, index=out.index))
    me = ms + pd.to_timedelta(ms.dt.days_in_month - 1, unit="D")
    out["seg_from"] = out[start].where(out[start] > ms, ms)
    out["seg_to"] = out[end].where(out[end] < me, me)
    labels = pd.Series(ordinal).drop_duplicates()  # a few distinct months: format each once
    out["month"] = pd.Series(ordinal, index=out.index).map(
        pd.Series([f"{o // 12}-{o % 12 + 1:02d}" for o in labels], index=labels)).astype("string")
    return out.reset_index(drop=True)


def order_months(orders: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Each order's active interval in each calendar month between two dates (inclusive)."""
    stop = orders["end_date"].fillna(FAR)
    active = orders[(orders["start_date"] <= end) & (stop >= start)].copy()
    active["_from"] = active["start_date"].where(active["start_date"] > start, start)
    active["_to"] = active["end_date"].fillna(FAR).where(lambda d: d < end, end)
    out = split_by_month(active, "_from", "_to").drop(columns=["_from", "_to"])
    out["active_days"] = (out["seg_to"] - out["seg_from"]).dt.days + 1
    return out


def rate_segments(rates: pd.DataFrame) -> pd.DataFrame:
    """Rate rows made non-overlapping per provider and level (a row ends where the next one starts)."""
    r = rates.sort_values(["provider_id", "rate_level", "valid_from"]).copy()
    nxt = r.groupby(["provider_id", "rate_level"])["valid_from"].shift(-1) - DAY
    r["valid_to"] = r["valid_to"].fillna(FAR)
    r["valid_to"] = r["valid_to"].where(nxt.isna() | (r["valid_to"] <= nxt), nxt)
    return r[r["valid_to"] >= r["valid_from"]].reset_index(drop=True)


def segment_cost(seg: pd.DataFrame, rates: pd.DataFrame, by_day: pd.DataFrame | None = None,
                 hourly_billing: str = "ordered") -> pd.DataFrame:
    """Cost and days with a valid rate of each segment (a date interval within one calendar month) of an order.

    `seg` has a unique index and the columns provider_id, rate_level, hours_per_week, seg_from, seg_to (and
    order_id when hourly rates are billed on delivered hours). Returns days_with_rate and cost (missing where any
    day lacks a rate), indexed like `seg`.
    """
    keys = seg[["provider_id", "rate_level", "hours_per_week", "seg_from", "seg_to"] + (["order_id"] if "order_id" in seg else [])]
    parts = keys.reset_index(names="_seg").merge(rate_segments(rates), on=["provider_id", "rate_level"])
    parts["o_from"] = parts[["seg_from", "valid_from"]].max(axis=1)
    parts["o_to"] = parts[["seg_to", "valid_to"]].min(axis=1)
    parts = parts[parts["o_to"] >= parts["o_from"]].copy()
    parts["days"] = (parts["o_to"] - parts["o_from"]).dt.days + 1
    per_day = {
        "day": parts["amount"],
        "week": parts["amount"] / 7,
        "month": parts["amount"] / parts["o_from"].dt.days_in_month,
        "year": parts["amount"] / np.where(parts["o_from"].dt.is_leap_year, 366, 365),
        "hour": parts["amount"] * parts["hours_per_week"] / 7,
    }
    daily = pd.Series(np.nan, index=parts.index)
    for unit, value in per_day.items():
        daily = daily.mask(parts["unit"] == unit, value)
    parts["cost"] = daily * parts["days"]
    if hourly_billing == "delivered" and by_day is not None:
        hourly = parts["unit"] == "hour"
        minutes = delivered_minutes(parts.loc[hourly, ["order_id", "o_from", "o_to"]].rename(columns={"o_from": "seg_from", "o_to": "seg_to"}), by_day)
        parts.loc[hourly, "cost"] = parts.loc[hourly, "amount"] * minutes / 60
    grouped = parts.groupby("_seg")
    out = pd.DataFrame(index=seg.index)
    out["days_with_rate"] = grouped["days"].sum().reindex(seg.index).fillna(0).astype(int)
    out["cost"] = grouped["cost"].sum(min_count=1).reindex(seg.index)
    full = out["days_with_rate"] == (seg["seg_to"] - seg["seg_from"]).dt.days + 1
    out["cost"] = out["cost"].where(full)
    return out


def delivered_minutes(seg: pd.DataFrame, by_day: pd.DataFrame) -> pd.Series:
    """Minutes of the matched delivery rows (per order and day) of each segment's order dated inside [seg_from, seg_to]."""
    if seg.empty:
        return pd.Series(0.0, index=seg.index)
    j = seg[["order_id", "seg_from", "seg_to"]].reset_index(names="_seg").merge(by_day[["order_id", "date", "minutes"]], on="order_id")
    j = j[(j["date"] >= j["seg_from"]) & (j["date"] <= j["seg_to"])]
    return j.groupby("_seg")["minutes"].sum().reindex(seg.index).fillna(0.0)


# The delivery rule of contract §2 in SQL: a row counts for the one active order of its citizen and provider on its
# date; where there are several, for the one with the same service if exactly one has it; else it is ambiguous.
ASSIGN_SQL = """
WITH d AS (
  SELECT {row} AS delivery_row, citizen_id, provider_id, date, minutes, service FROM {source}
  WHERE date BETWEEN $start AND $end
),
c AS (
  SELECT d.*, o.order_id, coalesce(d.service = o.service, false) AS same
  FROM d LEFT JOIN orders o ON d.citizen_id = o.citizen_id AND d.provider_id = o.provider_id
   AND d.date >= o.start_date AND (o.end_date IS NULL OR d.date <= o.end_date)
),
g AS (
  SELECT delivery_row, any_value(citizen_id) AS citizen_id, any_value(provider_id) AS provider_id, any_value(date) AS date,
    any_value(minutes) AS minutes, count(order_id) AS candidates,
    CASE WHEN count(order_id) = 1 THEN any_value(order_id)
         WHEN count(*) FILTER (WHERE same) = 1 THEN any_value(order_id) FILTER (WHERE same) END AS order_id
  FROM c GROUP BY delivery_row
),
matched AS (SELECT delivery_row, order_id, date, minutes FROM g WHERE order_id IS NOT NULL)
"""


def _delivery_query(ws: Workspace, p: Period, select: str, **frames: pd.DataFrame) -> pd.DataFrame:
    """Run a query over the period's delivery rows (views d, c, g and matched of ASSIGN_SQL) with DuckDB."""
    from .duck import connect

    con = connect()
    try:
        con.register("orders", ws.orders[["order_id", "citizen_id", "provider_id", "start_date", "end_date", "service"]])
        for name, frame in frames.items():
            con.register(name, frame)
        if ws._deliveries is None:  # still in the snapshot's Parquet file: DuckDB reads it there
            path = ws.deliveries_file.as_posix().replace("'", "''")
            source, row = f"read_parquet('{path}', file_row_number = true)", "file_row_number"
        else:
            con.register("deliveries", ws.deliveries.reset_index(names="delivery_row")[
                ["delivery_row", "citizen_id", "provider_id", "date", "minutes", "service"]])
            source, row = "deliveries", "delivery_row"
        sql = ASSIGN_SQL.format(source=source, row=row) + select
        return con.execute(sql, {"start": p.start.to_pydatetime(), "end": p.end.to_pydatetime()}).df()
    finally:
        con.close()


def _memo(ws: Workspace, key: tuple, compute):
    """A result computed from the workspace's current tables, computed once (recomputed when a table is replaced)."""
    tables = (ws.orders, ws.rates, ws._deliveries, ws.deliveries_file)
    hit = ws.memo.get(key)
    if hit is None or any(a is not b for a, b in zip(hit[0], tables)):
        hit = ws.memo[key] = (tables, compute())
    return hit[1]


def assign_deliveries(ws: Workspace, p: Period) -> pd.DataFrame:
    """Each delivery row of the period with its status (matched, unmatched, ambiguous) and the order it counts for."""
    rows = _delivery_query(ws, p, "SELECT delivery_row, candidates, order_id FROM g")
    d = ws.deliveries
    d = d[(d["date"] >= p.start) & (d["date"] <= p.end)].reset_index(names="delivery_row")
    out = d.merge(rows, on="delivery_row", how="left", validate="one_to_one")
    out["candidates"] = out["candidates"].astype(int)
    out["order_id"] = out["order_id"].astype("string")
    out["status"] = np.select([out["order_id"].notna(), out["candidates"] == 0], ["matched", "unmatched"], "ambiguous")
    return out


def delivery_summary(ws: Workspace, p: Period) -> pd.DataFrame:
    """The period's delivery rows and minutes by status, order and month (unmatched ones by citizen and provider too)."""
    return _memo(ws, ("delivery_summary", p.start, p.end), lambda: _delivery_query(ws, p, """
        SELECT status, order_id, strftime(month, '%Y-%m') AS month, citizen_id, provider_id, rows, minutes FROM (
          SELECT CASE WHEN order_id IS NOT NULL THEN 'matched' WHEN candidates = 0 THEN 'unmatched' ELSE 'ambiguous' END AS status,
            order_id, date_trunc('month', date) AS month,
            CASE WHEN candidates = 0 THEN citizen_id END AS citizen_id, CASE WHEN candidates = 0 THEN provider_id END AS provider_id,
            count(*) AS rows, sum(minutes) AS minutes
          FROM g GROUP BY ALL)
        """).astype({"status": "string", "order_id": "string", "month": "string", "citizen_id": "string", "provider_id": "string",
                     "rows": "int64", "minutes": "float64"}))


def delivered_by_month(ws: Workspace, p: Period) -> pd.DataFrame:
    """Matched delivery rows and minutes per order and calendar month of the period."""
    summary = delivery_summary(ws, p)
    return summary.loc[summary["status"] == "matched", ["order_id", "month", "rows", "minutes"]].reset_index(drop=True)


def delivered_by_day(ws: Workspace, p: Period, order_ids: pd.Series | None = None) -> pd.DataFrame:
    """Matched minutes per order and day of the period (of the given orders only, if given)."""
    if order_ids is None:
        return _delivery_query(ws, p, "SELECT order_id, date, sum(minutes) AS minutes FROM matched GROUP BY ALL")
    wanted = pd.DataFrame({"order_id": pd.Series(order_ids, dtype="string").drop_duplicates()})
    return _delivery_query(ws, p, """
        SELECT order_id, date, sum(minutes) AS minutes FROM matched SEMI JOIN wanted USING (order_id) GROUP BY ALL""", wanted=wanted)


def delivery_status(ws: Workspace, p: Period) -> pd.DataFrame:
    """Delivery rows and minutes of the period per status, and the unmatched ones per citizen and provider."""
    return delivery_summary(ws, p).groupby(["status", "citizen_id", "provider_id"], dropna=False, as_index=False)[["rows", "minutes"]].sum()


def order_month_costs(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    """The order-month rows with their segments, costs, delivered hours and number of matched delivery rows."""
    return _memo(ws, ("order_month_costs", p.start, p.end, s), lambda: _with_deliveries(ws, p, s)).copy(deep=False)


def costs(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    """The order-month rows with their segments, ordered hours and rate costs (no delivery rows read, unless hourly
    rates are billed on delivered hours)."""
    return _memo(ws, ("costs", p.start, p.end, s), lambda: _costs(ws, p, s)).copy(deep=False)


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
    out.loc["loaded"] = [out["rows"].sum(), out["minutes"].sum()]
    out["rows"] = out["rows"].astype(int)
    out["hours"] = out["minutes"] / 60
    return out.rename_axis("status")


def explain(ws: Workspace, order_id: str, period: str | Period, settings: Settings | None = None) -> dict[str, pd.DataFrame]:
    """The rows behind one order's match and findings: the order, its months, deliveries, rates and assessments."""
    p, s = as_period(period), settings_of(ws, settings)
    order = ws.orders[ws.orders["order_id"] == order_id]
    if order.empty:
        raise KeyError(f"Bevillingen {order_id!r} findes ikke i data")
    citizen = order["citizen_id"].iloc[0]
    sub = Workspace.from_frames(
        orders=ws.orders[ws.orders["citizen_id"] == citizen], rates=ws.rates,
        deliveries=ws.deliveries[ws.deliveries["citizen_id"] == citizen], assessments=ws.assessments[ws.assessments["citizen_id"] == citizen],
    )
    months, assigned = order_month_costs(sub, p, s), assign_deliveries(sub, p)
    mine = months[months["order_id"] == order_id]
    rates = ws.rates[(ws.rates["provider_id"] == order["provider_id"].iloc[0]) & (ws.rates["rate_level"] == order["rate_level"].iloc[0])]
    rates = rates[(rates["valid_from"] <= p.end) & (rates["valid_to"].fillna(FAR) >= p.start)]
    deliveries = assigned[(assigned["order_id"] == order_id) | ((assigned["provider_id"] == order["provider_id"].iloc[0]) & (assigned["status"] != "matched"))]
    assessments = sub.assessments[sub.assessments["assessed_on"] <= p.end].sort_values(["assessed_on", "theme"])
    return {
        "order": order,
        "months": mine[MATCH_COLUMNS].reset_index(drop=True),
        "deliveries": deliveries.drop(columns=["candidates"]).reset_index(drop=True),
        "rates": rates.reset_index(drop=True),
        "assessments": assessments.reset_index(drop=True),
    }


def select(frame: pd.DataFrame, **equals: object) -> pd.DataFrame:
    """The rows whose columns equal the given values; a value of None selects everything."""
    keep = pd.Series(True, index=frame.index)
    for column, value in equals.items():
        if value is not None:
            keep &= frame[column] == value
    return frame[keep]
