"""The indsatsliste against the documentation: expected and delivered time per task and month."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bitanalysis.bit.deliveries import assign_deliveries
from bitanalysis.bit.match import match
from bitanalysis.core.parse import text_key
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.workspace.workspace import Workspace

TASK_DELIVERY_COLUMNS = ["order_id", "month", "theme", "task", "minutes_per_week", "expected_hours", "delivered_hours"]


def activity_tasks(ws: Workspace) -> dict[str, str]:
    """The mapping's [activities] as text keys: a documented activity's name -> the task it is for."""
    given = ws.mapping.activities if ws.mapping is not None else {}
    return dict(zip(text_key(pd.Series(list(given), dtype="string")), text_key(pd.Series(list(given.values()), dtype="string"))))


def _attributed(ws: Workspace, p: Period, tasks: pd.DataFrame) -> pd.DataFrame:
    """The period's matched delivery rows with the task key they are for: their task (else service) column, through the
    mapping's [activities], where that names a task of their order's list; missing otherwise."""
    rows = assign_deliveries(ws, p)
    rows = rows[rows["status"] == "matched"]
    named = rows["task"] if "task" in rows else pd.Series(pd.NA, index=rows.index, dtype="string")
    key = text_key(named.fillna(rows["service"]))
    activities = activity_tasks(ws)
    key = key.map(activities).astype("string").fillna(key) if activities else key
    known = tasks[["order_id", "task_key"]].drop_duplicates()
    out = rows[["order_id", "date", "minutes"]].assign(task_key=key.astype("string"), month=rows["date"].dt.strftime("%Y-%m"))
    out = out.merge(known.assign(_known=True), on=["order_id", "task_key"], how="left")
    out["task_key"] = out["task_key"].where(out["_known"].fillna(False).astype(bool))
    return out.drop(columns="_known")


def task_delivery(ws: Workspace, period: str | Period) -> pd.DataFrame:
    """Per order, month and task of its indsatsliste: the expected hours (minutes per week × active days / 7) and the
    delivered hours of the documentation rows that name the task (or an activity the mapping's [activities] ties to it).

    Each order and month also has one row with no task: the delivered hours that name no task of the order's list,
    and, for an order without a task list, its ordered hours as expected (per order, as the match has it). A task
    without a time has missing expected hours. Orders active in the period only.
    """
    p = as_period(period)
    months = match(ws, p)[["order_id", "month", "active_days", "ordered_hours", "delivered_hours"]]
    tasks = ws.tasks[ws.tasks["order_id"].isin(months["order_id"])].assign(task_key=lambda f: text_key(f["task"]))
    delivered = _attributed(ws, p, tasks).groupby(["order_id", "month", "task_key"], dropna=False)["minutes"].sum() / 60
    per_task = months.merge(tasks[["order_id", "theme", "task", "task_key", "minutes_per_week"]], on="order_id")
    per_task["expected_hours"] = per_task["minutes_per_week"] * per_task["active_days"] / 7 / 60
    first = ~per_task.duplicated(["order_id", "month", "task_key"])  # a task named twice in one list gets its hours once
    index = pd.MultiIndex.from_frame(per_task[["order_id", "month", "task_key"]])
    per_task["delivered_hours"] = delivered.reindex(index).fillna(0.0).to_numpy() * first.to_numpy()
    loose = months.assign(theme=pd.NA, task=pd.NA, minutes_per_week=float("nan"))
    loose_delivered = delivered[delivered.index.get_level_values("task_key").isna()].droplevel("task_key")
    loose["delivered_hours"] = loose_delivered.reindex(pd.MultiIndex.from_frame(loose[["order_id", "month"]])).fillna(0.0).to_numpy()
    listed = loose["order_id"].isin(tasks["order_id"])
    loose["expected_hours"] = loose["ordered_hours"].where(~listed)
    out = pd.concat([per_task[TASK_DELIVERY_COLUMNS], loose[TASK_DELIVERY_COLUMNS]], ignore_index=True)
    out = out.astype({"order_id": "string", "month": "string", "theme": "string", "task": "string"})
    return out.sort_values(["order_id", "month", "task"], na_position="last", ignore_index=True)


TASK_FINDINGS = ("tasks_not_summing", "task_without_need", "need_without_task")


@dataclass(frozen=True)
class TaskLists:
    """How far the indsatsliste describes a period's orders, and the task findings per type."""

    active_orders: int  # orders with an active day in the period
    listed_orders: int  # ... of which have a task list
    findings: pd.DataFrame  # per task finding type: direction, findings, orders, citizens, DKK at stake (missing: no amount)

    @property
    def share(self) -> float:
        """The share of the active orders with a task list (missing without active orders)."""
        return self.listed_orders / self.active_orders if self.active_orders else float("nan")


def task_lists(ws: Workspace, period: str | Period, found: pd.DataFrame | None = None) -> TaskLists:
    """The period's active orders with and without a task list, and the task findings (of `found`, else computed)."""
    from bitanalysis.bit.finding_types import DIRECTION
    from bitanalysis.bit.findings import findings

    p = as_period(period)
    days = match(ws, p).groupby("order_id")["active_days"].sum()
    active = days[days > 0].index
    found = findings(ws, p, months=False) if found is None else found
    g = found[found["type"].isin(TASK_FINDINGS)].groupby("type")
    per_type = pd.DataFrame(
        {
            "direction": [DIRECTION[t] for t in TASK_FINDINGS],
            "findings": g.size().reindex(TASK_FINDINGS, fill_value=0).to_numpy(),
            "orders": g["order_id"].nunique().reindex(TASK_FINDINGS, fill_value=0).to_numpy(),
            "citizens": g["citizen_id"].nunique().reindex(TASK_FINDINGS, fill_value=0).to_numpy(),
            "dkk_at_stake": g["dkk_at_stake"].sum(min_count=1).reindex(TASK_FINDINGS).to_numpy(),
        },
        index=pd.Index(TASK_FINDINGS, name="type"),
    ).reset_index()
    return TaskLists(len(active), int(active.isin(ws.tasks["order_id"].unique()).sum()), per_type)
