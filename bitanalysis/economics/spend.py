"""spend: what the portfolio costs — cost per month and group, full-year persons and average price, each order's cost
between two dates, and the order-days every such total leaves out because their cost is missing (CostGaps)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day
from bitanalysis.bit.match import costs, segment_cost, settings_of
from bitanalysis.core.intervals import days_in_year, order_months, union_days
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.economics.price_index import fixed_prices
from bitanalysis.workspace.workspace import Workspace

GROUPS = ("paragraph", "provider_id", "provider_name", "target_group", "team", "rate_level", "service", "citizen_id")


def _by(by: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Grouping columns as a list, checked against the ones the match carries."""
    cols = [by] if isinstance(by, str) else list(by or [])
    unknown = set(cols) - set(GROUPS)
    if unknown:
        raise ValueError(f"Kan ikke gruppere efter {sorted(unknown)}; vælg blandt {list(GROUPS)}")
    return cols


def without_cost(frame: pd.DataFrame) -> pd.Series:
    """Each order-month's active days when its cost is missing (a day without a rate, or an hourly rate without hours), else 0."""
    return frame["active_days"].where(frame["cost"].isna(), 0).astype("int64")


@dataclass(frozen=True)
class CostGaps:
    """What a period's amounts leave out: the order-days of order-months without a cost, and why their cost is missing."""

    order_days: int  # Σ active days of all order-months
    days_without_cost: int  # Σ active days of the order-months whose cost is missing
    rate_missing_days: int  # ... of those, the order-months with days without a valid rate
    hours_missing_days: int  # ... the others: an hourly rate on an order without hours per week
    order_months: int
    order_months_without_cost: int
    citizens_without_cost: int = 0  # citizens with at least one order-month without a cost

    @property
    def share(self) -> float:
        """The share of the order-days without a cost (missing when there are no order-days)."""
        return self.days_without_cost / self.order_days if self.order_days else math.nan

    @property
    def nothing_costed(self) -> bool:
        """True when no order-day of the period has a cost (or there are no order-days at all)."""
        return self.days_without_cost == self.order_days

    @classmethod
    def of(cls, frame: pd.DataFrame) -> CostGaps:
        """The gaps of match rows (or the match's cost rows): active_days, cost and days_without_rate per order-month."""
        missing = frame["cost"].isna()
        no_rate = missing & (frame["days_without_rate"] > 0)
        return cls(
            order_days=int(frame["active_days"].sum()),
            days_without_cost=int(frame.loc[missing, "active_days"].sum()),
            rate_missing_days=int(frame.loc[no_rate, "active_days"].sum()),
            hours_missing_days=int(frame.loc[missing & ~no_rate, "active_days"].sum()),
            order_months=len(frame),
            order_months_without_cost=int(missing.sum()),
            citizens_without_cost=int(frame.loc[missing, "citizen_id"].nunique()) if "citizen_id" in frame else 0,
        )


def cost_gaps(ws: Workspace, period: str | Period, settings: Settings | None = None) -> CostGaps:
    """The period's order-days without a cost: what every total of the period leaves out (contract §2.1)."""
    return CostGaps.of(costs(ws, as_period(period), settings_of(ws, settings)))


def _priced(m: pd.DataFrame, ws: Workspace, price_year: int | None) -> pd.DataFrame:
    """Order-month rows with their cost in one price year (through the P/L index), or as they are when price_year is None."""
    return m if price_year is None else fixed_prices(m, ws, price_year, ["cost"])


def spend(
    ws: Workspace,
    period: str | Period,
    by: str | list[str] | None = "paragraph",
    settings: Settings | None = None,
    *,
    price_year: int | None = None,
) -> pd.DataFrame:
    """Cost per month and group, beside the order-days it leaves out (`days_without_cost`); its total is the match's.

    A group whose every order-month lacks a cost has cost missing (NaN), not 0. With `price_year` the cost is in that
    year's prices (P/L index).
    """
    m = _priced(costs(ws, as_period(period), settings_of(ws, settings)), ws, price_year)
    m = m.assign(days_without_cost=without_cost(m))
    g = m.groupby(["month", *_by(by)], dropna=False)
    out = g.agg(
        citizens=("citizen_id", "nunique"),
        orders=("order_id", "nunique"),
        days_without_rate=("days_without_rate", "sum"),
        days_without_cost=("days_without_cost", "sum"),
    )
    out.insert(0, "cost", g["cost"].sum(min_count=1))
    return out.reset_index()


def _costed_days(m: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per citizen (and group and month): distinct active days, and distinct days of the order-months that have a cost."""
    costed = m[m["cost"].notna()]
    days = union_days(m, keys).rename("days").to_frame()
    days["costed_days"] = union_days(costed, keys).reindex(days.index, fill_value=0) if len(costed) else 0
    return days.rename_axis(keys).reset_index()


def full_year_persons(
    ws: Workspace,
    period: str | Period,
    by: str | list[str] | None = None,
    *,
    monthly: bool = False,
    settings: Settings | None = None,
    price_year: int | None = None,
) -> pd.DataFrame:
    """Full-year persons (Σ days a citizen has an active order / days in the year), cost and average price per group.

    The cost leaves out the order-months without a cost; their active days are in `days_without_cost`, and a group
    whose every order-month lacks a cost has cost missing. The average price is the cost divided by the full-year
    persons of the order-months that have a cost (`costed_full_year_persons`), so missing costs do not lower it; it
    is missing where no day has a cost.
    """
    p = as_period(period)
    cols = _by(by)
    m = _priced(costs(ws, p, settings_of(ws, settings)), ws, price_year)
    days = _costed_days(m, ["month", *cols, "citizen_id"])
    year_days = days_in_year(pd.to_datetime(days["month"])).to_numpy()
    days["full_year_persons"] = days["days"] / year_days
    days["costed_full_year_persons"] = days["costed_days"] / year_days
    keys = (["month"] if monthly else []) + cols
    m = m.assign(days_without_cost=without_cost(m), _all=0)
    days = days.assign(_all=0)
    g = days.groupby(keys or ["_all"], dropna=False)
    out = g.agg(
        full_year_persons=("full_year_persons", "sum"),
        citizens=("citizen_id", "nunique"),
        costed_full_year_persons=("costed_full_year_persons", "sum"),
    )
    gm = m.groupby(keys or ["_all"], dropna=False)
    out = out.join(gm["cost"].sum(min_count=1)).join(gm[["days_without_rate", "days_without_cost"]].sum())
    out["average_price"] = out["cost"] / out["costed_full_year_persons"].where(out["costed_full_year_persons"] > 0)
    if not keys:  # one row, also for a period without order-months (whose cost is 0 kr.: nothing was ordered)
        counts = ["full_year_persons", "citizens", "costed_full_year_persons", "days_without_rate", "days_without_cost"]
        out = out.reindex([0]).fillna(dict.fromkeys(counts, 0) | ({"cost": 0.0} if m.empty else {}))
    out = out.reset_index(drop=not keys).astype({"citizens": "int64", "days_without_rate": "int64", "days_without_cost": "int64"})
    columns = [*keys, "full_year_persons", "citizens", "cost", "average_price", "costed_full_year_persons"]
    return out[[*columns, "days_without_rate", "days_without_cost"]]


def cost_between(ws: Workspace, start: pd.Timestamp, end: pd.Timestamp, settings: Settings | None = None) -> pd.DataFrame:
    """Each order's cost per calendar month between two dates (inclusive), as in the match."""
    s = settings_of(ws, settings)
    months = as_period(f"{start:%Y-%m}..{end:%Y-%m}")
    if start == months.start and end == months.end:  # whole months: the match's own costs, computed once per workspace
        return costs(ws, months, s)
    orders = order_months(ws.orders, start, end)
    by_day = delivered_by_day(ws, months) if s.hourly_billing == "delivered" else None
    cost = segment_cost(orders, ws.rates, by_day, s.hourly_billing)
    return orders.assign(cost=cost["cost"], days_without_rate=orders["active_days"] - cost["days_with_rate"])
