"""The delivery rule of contract §2 (which order a documented delivery counts for), run in DuckDB."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.core.parse import TEXT_KEY_SQL
from bitanalysis.core.period import Period
from bitanalysis.workspace.workspace import Workspace

# A row counts for the one active order of its citizen and provider on its date; where there are several, for the
# one with the same service if exactly one has it; else it is ambiguous. Services are compared as written first, and
# by their text keys (contract §2.1) only where they differ: a regular expression on every row costs the match half
# its time.
ASSIGN_SQL = """
WITH d AS (
  SELECT {row} AS delivery_row, citizen_id, provider_id, date, minutes, service FROM {source}
  WHERE date BETWEEN $start AND $end
),
c AS (
  SELECT d.*, o.order_id,
    coalesce(CASE WHEN d.service = o.service THEN true ELSE {d_service} = {o_service} END, false) AS same
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

SUMMARY_SQL = """
SELECT status, order_id, strftime(month, '%Y-%m') AS month, citizen_id, provider_id, rows, minutes FROM (
  SELECT CASE WHEN order_id IS NOT NULL THEN 'matched' WHEN candidates = 0 THEN 'unmatched' ELSE 'ambiguous' END AS status,
    order_id, date_trunc('month', date) AS month,
    CASE WHEN candidates = 0 THEN citizen_id END AS citizen_id, CASE WHEN candidates = 0 THEN provider_id END AS provider_id,
    count(*) AS rows, sum(minutes) AS minutes
  FROM g GROUP BY ALL)
"""
SUMMARY_TYPES = {
    "status": "string",
    "order_id": "string",
    "month": "string",
    "citizen_id": "string",
    "provider_id": "string",
    "rows": "int64",
    "minutes": "float64",
}


def _source(ws: Workspace, con) -> tuple[str, str]:
    """The delivery rows as DuckDB reads them: the snapshot's Parquet file where they are still there, else the frame."""
    file = ws.unread_deliveries()
    if file is not None:
        path = file.as_posix().replace("'", "''")
        return f"read_parquet('{path}', file_row_number = true)", "file_row_number"
    con.register(
        "deliveries",
        ws.deliveries.reset_index(names="delivery_row")[["delivery_row", "citizen_id", "provider_id", "date", "minutes", "service"]],
    )
    return "deliveries", "delivery_row"


def delivery_query(ws: Workspace, p: Period, select: str, **frames: pd.DataFrame) -> pd.DataFrame:
    """Run a query over the period's delivery rows (views d, c, g and matched of ASSIGN_SQL) with DuckDB."""
    from bitanalysis.workspace.duck import connection

    with connection(ws.folder) as con:
        con.register("orders", ws.orders[["order_id", "citizen_id", "provider_id", "start_date", "end_date", "service"]])
        for name, frame in frames.items():
            con.register(name, frame)
        source, row = _source(ws, con)
        sql = (
            ASSIGN_SQL.format(
                source=source, row=row, d_service=TEXT_KEY_SQL.format("d.service"), o_service=TEXT_KEY_SQL.format("o.service")
            )
            + select
        )
        return con.execute(sql, {"start": p.start.to_pydatetime(), "end": p.end.to_pydatetime()}).df()


def assign_deliveries(ws: Workspace, p: Period) -> pd.DataFrame:
    """Each delivery row of the period with its status (matched, unmatched, ambiguous) and the order it counts for."""
    rows = delivery_query(ws, p, "SELECT delivery_row, candidates, order_id FROM g")
    d = ws.deliveries
    d = d[(d["date"] >= p.start) & (d["date"] <= p.end)].reset_index(names="delivery_row")
    out = d.merge(rows, on="delivery_row", how="left", validate="one_to_one")
    out["candidates"] = out["candidates"].astype(int)
    out["order_id"] = out["order_id"].astype("string")
    out["status"] = np.select([out["order_id"].notna(), out["candidates"] == 0], ["matched", "unmatched"], "ambiguous")
    return out


def delivery_summary(ws: Workspace, p: Period) -> pd.DataFrame:
    """The period's delivery rows and minutes by status, order and month (unmatched ones by citizen and provider too)."""
    return ws.remember(("delivery_summary", p.start, p.end), lambda: delivery_query(ws, p, SUMMARY_SQL).astype(SUMMARY_TYPES))


def delivered_by_month(ws: Workspace, p: Period) -> pd.DataFrame:
    """Matched delivery rows and minutes per order and calendar month of the period."""
    summary = delivery_summary(ws, p)
    return summary.loc[summary["status"] == "matched", ["order_id", "month", "rows", "minutes"]].reset_index(drop=True)


def delivered_by_day(ws: Workspace, p: Period, order_ids: pd.Series | None = None) -> pd.DataFrame:
    """Matched minutes per order and day of the period (of the given orders only, if given)."""
    if order_ids is None:
        return delivery_query(ws, p, "SELECT order_id, date, sum(minutes) AS minutes FROM matched GROUP BY ALL")
    wanted = pd.DataFrame({"order_id": pd.Series(order_ids, dtype="string").drop_duplicates()})
    return delivery_query(
        ws,
        p,
        """
        SELECT order_id, date, sum(minutes) AS minutes FROM matched SEMI JOIN wanted USING (order_id) GROUP BY ALL""",
        wanted=wanted,
    )


def delivery_status(ws: Workspace, p: Period) -> pd.DataFrame:
    """Delivery rows and minutes of the period per status, and the unmatched ones per citizen and provider."""
    summary = delivery_summary(ws, p)
    return summary.groupby(["status", "citizen_id", "provider_id"], dropna=False, as_index=False)[["rows", "minutes"]].sum()


def loaded(ws: Workspace, p: Period) -> tuple[int, float]:
    """Delivery rows and minutes dated in the period, counted straight from the rows (not from their assignment)."""
    d = ws.deliveries if ws.unread_deliveries() is None else None
    if d is not None:
        inside = d[(d["date"] >= p.start) & (d["date"] <= p.end)]
        return len(inside), float(inside["minutes"].sum())
    rows, minutes = delivery_query(ws, p, "SELECT count(*) AS rows, coalesce(sum(minutes), 0) AS minutes FROM d").iloc[0]
    return int(rows), float(minutes)


def delivered_minutes(seg: pd.DataFrame, by_day: pd.DataFrame) -> pd.Series:
    """Minutes of the matched delivery rows (per order and day) of each segment's order dated inside [seg_from, seg_to]."""
    if seg.empty:
        return pd.Series(0.0, index=seg.index)
    j = seg[["order_id", "seg_from", "seg_to"]].reset_index(names="_seg").merge(by_day[["order_id", "date", "minutes"]], on="order_id")
    j = j[(j["date"] >= j["seg_from"]) & (j["date"] <= j["seg_to"])]
    return j.groupby("_seg")["minutes"].sum().reindex(seg.index).fillna(0.0)


CANDIDATES_SQL = """
SELECT delivery_row, string_agg(order_id, ', ' ORDER BY order_id) AS candidate_orders FROM c
WHERE order_id IS NOT NULL AND delivery_row IN (SELECT delivery_row FROM g WHERE order_id IS NULL AND candidates > 1)
GROUP BY delivery_row
"""


def delivery_rows(ws: Workspace, period: str | Period, status: str | tuple[str, ...] = ("unmatched", "ambiguous")) -> pd.DataFrame:
    """The period's delivery rows of a status (by default those that count for no order), with their source row and why.

    `status`: "matched", "unmatched" (no order of the citizen at the provider on the date) or "ambiguous" (several
    active orders, none or more than one with the row's service); `candidate_orders` lists the orders an ambiguous
    row could belong to.
    """
    from bitanalysis.core.period import period as as_period

    p = as_period(period)
    wanted = (status,) if isinstance(status, str) else tuple(status)
    rows = assign_deliveries(ws, p)
    rows = rows[rows["status"].isin(wanted)]
    candidates = (
        delivery_query(ws, p, CANDIDATES_SQL) if "ambiguous" in wanted else pd.DataFrame(columns=["delivery_row", "candidate_orders"])
    )
    out = rows.merge(candidates.astype({"delivery_row": rows["delivery_row"].dtype}), on="delivery_row", how="left")
    columns = ["status", "date", "citizen_id", "provider_id", "service", "minutes", "order_id", "candidate_orders", "source", "source_row"]
    return out[columns].sort_values(["status", "date", "source", "source_row"], ignore_index=True)
