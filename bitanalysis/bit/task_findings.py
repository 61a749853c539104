"""task_findings: the findings of the task lists (indsatslister) — tasks_not_summing against the order's hours, and
task_without_need and need_without_task against the citizen's assessed needs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.finding_types import _hours, _rows
from bitanalysis.bit.need_findings import latest_levels
from bitanalysis.core.danish import number
from bitanalysis.core.parse import text_key
from bitanalysis.core.period import Period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace


def _task_sums(tasks: pd.DataFrame, o: pd.DataFrame) -> pd.DataFrame:
    """Per order with tasks: its citizen, provider, hours per week and cost, the tasks' count, the count without a time,
    and their minutes per week (missing when any task has no time)."""
    g = tasks.groupby("order_id", sort=False)["minutes_per_week"]
    sums = pd.DataFrame({"tasks": g.size(), "untimed": g.size() - g.count(), "minutes": g.sum(min_count=1)})
    sums["minutes"] = sums["minutes"].where(sums["untimed"] == 0)
    columns = ["order_id", "citizen_id", "provider_id", "hours_per_week", "cost"]
    return o[columns].merge(sums, left_on="order_id", right_index=True)


def _task_sum_text(n: int, untimed: int, minutes: float, hours: float) -> str:
    """The evidence of tasks_not_summing."""
    if untimed:
        return f"{untimed} af {n} opgaver har ingen tid, så indsatslisten kan ikke summeres til bevillingens {_hours(hours)} timer pr. uge."
    return f"Indsatslistens {n} opgaver summer til {_hours(minutes / 60)} timer pr. uge; bevillingen er på {_hours(hours)} timer pr. uge."


def task_findings(o: pd.DataFrame, ws: Workspace, p: Period, s: Settings) -> list[pd.DataFrame]:
    """tasks_not_summing, task_without_need and need_without_task: the indsatsliste against the order's size and the
    citizen's assessed needs (contract §3)."""
    tasks = ws.tasks[ws.tasks["order_id"].isin(o["order_id"])].assign(theme_key=lambda f: text_key(f["theme"]))
    if tasks.empty:
        return []
    orders = _task_sums(tasks, o)
    latest = latest_levels(ws.assessments, p)
    levels = latest[["citizen_id", "theme_key", "level", "assessed_on"]]
    t = tasks.merge(orders, on="order_id").merge(levels, on=["citizen_id", "theme_key"], how="left")
    return [tasks_not_summing(orders, s), task_without_need(t, s), need_without_task(t, orders, latest, s)]


def tasks_not_summing(orders: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Orders (from `_task_sums`) whose tasks' time is off their hours per week, or cannot be summed."""
    hours = orders["hours_per_week"]
    off = (orders["minutes"] / 60 - hours).abs() > np.maximum(s.task_sum_share * hours, s.task_sum_hours)
    wrong = orders[hours.notna() & (off | orders["minutes"].isna())]
    text = pd.Series(
        [_task_sum_text(*r) for r in zip(wrong["tasks"], wrong["untimed"], wrong["minutes"], wrong["hours_per_week"])],
        index=wrong.index,
        dtype=object,
    )
    return _rows("tasks_not_summing", wrong, np.nan, text)


def task_without_need(t: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Tasks (with their order's sums and the latest level of their theme) under a theme assessed at level 0."""
    unneeded = t[(t["level"] < s.supporting_need_level).fillna(False)]
    share = unneeded["minutes_per_week"] / unneeded["minutes"].where(unneeded["minutes"] > 0)
    text = pd.Series(
        [
            f"Opgaven '{task}' ({'uden tid' if pd.isna(m) else f'{number(m, 0)} min. pr. uge'}) hører under temaet '{theme}', "
            f"som er vurderet til niveau {lvl} ({d:%d-%m-%Y})."
            for task, m, theme, lvl, d in zip(
                unneeded["task"], unneeded["minutes_per_week"], unneeded["theme"], unneeded["level"], unneeded["assessed_on"]
            )
        ],
        index=unneeded.index,
        dtype=object,
    )
    detail = unneeded["theme_key"] + "|" + text_key(unneeded["task"])
    return _rows("task_without_need", unneeded, unneeded["cost"] * share, text, detail=detail)


def need_without_task(t: pd.DataFrame, orders: pd.DataFrame, latest: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Per order with tasks, each theme of its citizen at level 2 or more that no task of the citizen's active orders has."""
    needs = latest[latest["citizen_id"].isin(orders["citizen_id"]) & (latest["level"] >= s.uncovered_need_level).fillna(False)]
    covered = t[["citizen_id", "theme_key"]].drop_duplicates()
    gap = needs.merge(covered, how="left", indicator=True).query("_merge == 'left_only'").drop(columns="_merge")
    gap = orders[["order_id", "citizen_id", "provider_id"]].merge(gap, on="citizen_id")
    text = pd.Series(
        [
            f"Temaet '{theme}' er vurderet til niveau {lvl} ({d:%d-%m-%Y}), men ingen opgave i borgerens indsatslister hører under det."
            for theme, lvl, d in zip(gap["theme"], gap["level"], gap["assessed_on"])
        ],
        index=gap.index,
        dtype=object,
    )
    return _rows("need_without_task", gap, np.nan, text, detail=gap["theme_key"])
