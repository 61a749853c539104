"""budget: the budget follow-up — per budget area and in total, the budget beside the actual cost to date, the cost
committed to the year's end, the forecast and the variance."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from bitanalysis.bit.match import settings_of
from bitanalysis.core.intervals import DAY
from bitanalysis.core.period import parse_day
from bitanalysis.core.settings import Settings
from bitanalysis.economics.spend import cost_between, without_cost
from bitanalysis.workspace.workspace import Workspace, fingerprint

OTHER_AREA = "Øvrige"


def _areas(orders: pd.DataFrame, budget: pd.DataFrame) -> pd.Series:
    """Each order's budget area: its paragraph where the budget has that area, else 'Øvrige'."""
    areas = set(budget["area"]) - {"total"}
    return orders["paragraph"].where(orders["paragraph"].isin(areas), OTHER_AREA)


def _split_year(ws: Workspace, year: int, as_of: pd.Timestamp, s: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The year's order-month costs up to as_of (actual) and after it to 31 December (committed)."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    if s.hourly_billing == "ordered" and as_of == as_of + pd.offsets.MonthEnd(0):  # split the year's costs at a month's end
        whole = cost_between(ws, start, end, s)
        done = whole["month"] <= f"{as_of:%Y-%m}"
        return whole[done], whole[~done]
    actual = cost_between(ws, start, as_of, s)
    # what is still to come is billed on the ordered hours: future deliveries are not known
    committed = cost_between(ws, as_of + DAY, end, replace(s, hourly_billing="ordered")) if as_of < end else actual.iloc[:0]
    return actual, committed


def _area_costs(frame: pd.DataFrame, budget: pd.DataFrame, name: str) -> pd.DataFrame:
    """Per budget area: the cost (missing where every order-month lacks one), days without a rate and without a cost."""
    frame = frame.assign(area=_areas(frame, budget), days_without_cost=without_cost(frame))
    g = frame.groupby("area")
    return pd.DataFrame(
        {
            name: g["cost"].sum(min_count=1),
            f"{name}_days_without_rate": g["days_without_rate"].sum(),
            f"{name}_days_without_cost": g["days_without_cost"].sum(),
        }
    )


def budget_followup(ws: Workspace, year: int, as_of: str | pd.Timestamp, settings: Settings | None = None) -> pd.DataFrame:
    """Per budget area and in total: budget, actual to date, committed cost to the year's end, forecast and variance.

    The amounts leave out the order-months without a cost; `actual_days_without_cost`, `committed_days_without_cost`
    and `days_without_cost` count their order-days. An area with orders, none of which has a cost, has a missing
    amount (NaN), not 0; an area without orders has 0. `as_of` is a date or day-first/ISO text (31-10-2026, 2026-10-31).
    """
    as_of = parse_day(as_of)
    if not pd.Timestamp(year, 1, 1) <= as_of <= pd.Timestamp(year, 12, 31):
        raise ValueError(f"as_of ({as_of:%d-%m-%Y}) skal ligge i {year}")
    s = settings_of(ws, settings)
    key = ("budget_followup", year, as_of, s, fingerprint(ws.budget))
    return ws.remember(key, lambda: _followup(ws, year, as_of, s))


def _followup(ws: Workspace, year: int, as_of: pd.Timestamp, s: Settings) -> pd.DataFrame:
    """The budget follow-up of `budget_followup`, computed."""
    budget = ws.budget[ws.budget["year"] == year]
    actual, committed = _split_year(ws, year, as_of, s)
    parts = [_area_costs(actual, budget, "actual"), _area_costs(committed, budget, "committed")]
    areas = pd.concat([budget.groupby("area")["amount"].sum().rename("budget").drop("total", errors="ignore"), *parts], axis=1)
    # an area without orders costs 0; one whose order-months all lack a cost stays missing (before and after as_of)
    areas["forecast"] = areas[["actual", "committed"]].sum(axis=1, min_count=1)
    no_orders = {name: areas[f"{name}_days_without_cost"].isna() for name in ("actual", "committed")}
    for name, none in no_orders.items():
        areas.loc[none, name] = 0.0
    areas.loc[no_orders["actual"] & no_orders["committed"], "forecast"] = 0.0
    days = [f"{n}_days_without_{w}" for n in ("actual", "committed") for w in ("rate", "cost")]
    areas.loc["total"] = areas.sum(min_count=1)
    if "total" in set(budget["area"]):
        areas.loc["total", "budget"] = budget.loc[budget["area"] == "total", "amount"].sum()
    areas["variance"] = areas["forecast"] - areas["budget"]
    areas["variance_pct"] = areas["variance"] / areas["budget"].where(areas["budget"] != 0)
    areas[days] = areas[days].fillna(0).astype("int64")
    areas["days_without_rate"] = areas["actual_days_without_rate"] + areas["committed_days_without_rate"]
    areas["days_without_cost"] = areas["actual_days_without_cost"] + areas["committed_days_without_cost"]
    columns = ["area", "budget", "actual", "committed", "forecast", "variance", "variance_pct", "days_without_rate", "days_without_cost"]
    return areas.rename_axis("area").reset_index()[[*columns, "actual_days_without_cost", "committed_days_without_cost"]]
