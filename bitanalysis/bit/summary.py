"""Per provider (or team, paragraph): what was ordered, delivered, documented and paid, and what the findings put at stake."""

from __future__ import annotations

import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day, delivery_summary
from bitanalysis.bit.finding_types import DIRECTION
from bitanalysis.bit.findings import findings, monthly_findings
from bitanalysis.bit.match import order_month_costs, settings_of
from bitanalysis.core.intervals import week_number
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.select import provider_names, select, values_of
from bitanalysis.workspace.workspace import Workspace

#: What a summary may be grouped by: columns every order carries.
SUMMARY_GROUPS = ("provider_id", "team", "paragraph", "target_group", "rate_level", "service")
SUMMARY_COLUMNS = [
    "citizens",
    "orders",
    "ordered_hours",
    "delivered_hours",
    "delivery_ratio",
    "coverage",
    "cost",
    "days_without_cost",
    "findings",
    "dkk_over",
    "dkk_under",
    "dkk_unknown",
    "findings_without_dkk",
]


def _keys(by: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """The grouping columns: a provider by default, [] for the whole municipality."""
    cols = ["provider_id"] if by is None else [by] if isinstance(by, str) else list(by)
    unknown = set(cols) - set(SUMMARY_GROUPS)
    if unknown:
        raise ValueError(f"Kan ikke opsummere efter {sorted(unknown)}; vælg blandt {list(SUMMARY_GROUPS)}")
    return cols


def documented_weeks(ws: Workspace, p: Period, settings: Settings | None = None) -> pd.DataFrame:
    """Per order-month: the Monday-based weeks the order is active in, and those with any matched documentation."""
    m = order_month_costs(ws, p, settings_of(ws, settings))[["order_id", "month", "seg_from", "seg_to"]]
    first, last = week_number(m["seg_from"]), week_number(m["seg_to"])
    m = m.assign(ordered_weeks=(last - first + 1).astype("int64"))
    docs = delivered_by_day(ws, p)
    docs = pd.DataFrame({"order_id": docs["order_id"], "month": docs["date"].dt.strftime("%Y-%m"), "week": week_number(docs["date"])})
    documented = docs.drop_duplicates().groupby(["order_id", "month"]).size().rename("documented_weeks")
    out = m.merge(documented.reset_index().astype({"month": "string"}), on=["order_id", "month"], how="left")
    return out.assign(documented_weeks=out["documented_weeks"].fillna(0).astype("int64"))[
        ["order_id", "month", "ordered_weeks", "documented_weeks"]
    ]


def _finding_groups(ws: Workspace, found: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Findings with the grouping columns of their order (a citizen's team and target group where there is no order)."""
    out = found.copy()
    for key in keys:
        if key == "provider_id":
            continue
        by_order = ws.orders.drop_duplicates("order_id").set_index("order_id")[key]
        out[key] = out["order_id"].map(by_order)
        if key in ws.citizens:
            by_citizen = ws.citizens.drop_duplicates("citizen_id").set_index("citizen_id")[key]
            out[key] = out[key].fillna(out["citizen_id"].map(by_citizen))
    return out


def _finding_figures(found: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group: findings, DKK at stake by direction, findings without an amount, and findings per type."""
    f = found.assign(_all=0)
    types = [t for t in DIRECTION if t in set(f["type"])]
    if f.empty:
        return pd.DataFrame(columns=["findings", "findings_without_dkk", "dkk_over", "dkk_under", "dkk_unknown"])
    g = f.groupby(keys or ["_all"], dropna=False)
    out = pd.DataFrame({"findings": g.size(), "findings_without_dkk": g["dkk_at_stake"].apply(lambda x: int(x.isna().sum()))})
    for direction in ("over", "under", "unknown"):
        mine = f[f["direction"] == direction].groupby(keys or ["_all"], dropna=False)["dkk_at_stake"].sum()
        out[f"dkk_{direction}"] = mine.reindex(out.index).fillna(0.0)
    per_type = f.groupby([*(keys or ["_all"]), "type"], dropna=False).size().unstack("type", fill_value=0)
    return out.join(per_type.reindex(columns=types).reindex(out.index).fillna(0).astype("int64"))


def _order_figures(ws: Workspace, p: Period, s: Settings, groups: list[str], where: dict) -> pd.DataFrame:
    """Per group: citizens, orders, ordered and delivered hours, delivery ratio, coverage, cost and order-days without one."""
    m = select(order_month_costs(ws, p, s), ws, **where)
    m = m.assign(**{key: values_of(m, key, ws) for key in groups if key != "month"})  # a team the citizens table gives
    m = m.merge(documented_weeks(ws, p, s), on=["order_id", "month"], how="left").assign(_all=0)
    m["days_without_cost"] = m["active_days"].where(m["cost"].isna(), 0)
    exported = m["month"].isin(set(delivery_summary(ws, p)["month"]))  # months the documentation exports cover at all
    m["delivered_hours"] = m["delivered_hours"].where(exported)
    m["ordered_weeks"] = m["ordered_weeks"].where(exported, 0)
    with_hours = m[(m["ordered_hours"] > 0) & exported]
    g = m.groupby(groups or ["_all"], dropna=False)
    out = g.agg(
        citizens=("citizen_id", "nunique"),
        orders=("order_id", "nunique"),
        ordered_hours=("ordered_hours", "sum"),
        delivered_hours=("delivered_hours", lambda x: x.sum(min_count=1)),
        days_without_cost=("days_without_cost", "sum"),
        ordered_weeks=("ordered_weeks", "sum"),
        documented_weeks=("documented_weeks", "sum"),
    )
    out["cost"] = g["cost"].sum(min_count=1)
    hw = with_hours.groupby(groups or ["_all"], dropna=False)
    out["delivery_ratio"] = (hw["delivered_hours"].sum() / hw["ordered_hours"].sum()).reindex(out.index)
    out["coverage"] = out["documented_weeks"] / out["ordered_weeks"].where(out["ordered_weeks"] > 0)
    return out


def provider_summary(
    ws: Workspace,
    period: str | Period,
    by: str | list[str] | None = None,
    *,
    monthly: bool = False,
    settings: Settings | None = None,
    **where: object,
) -> pd.DataFrame:
    """Per provider (or `by` team, paragraph, …; [] for the whole municipality), and per month with `monthly`:
    citizens, orders, ordered and delivered hours, delivery ratio, documentation coverage, cost and the order-days it
    leaves out, findings per type and the DKK they put at stake by direction (findings without an amount counted
    apart), largest DKK over first.

    `where` filters as `select` does (provider_id="015466", paragraph="§ 85"). The hours and costs are the match's;
    the findings are those of the whole period (or, with `monthly`, of each month alone); a finding without a
    provider (a need no order covers) has an empty provider. Delivery ratio = delivered / ordered hours of the
    order-months with ordered hours; coverage = share of the ordered order-weeks with any documentation. Months
    that no documentation row of the exports falls in (before the first export, say) have no delivered hours, delivery
    ratio or coverage: missing, not 0, and left out of the period's ratios.
    """
    p, s = as_period(period), settings_of(ws, settings)
    keys = _keys(by)
    groups = (["month"] if monthly else []) + keys
    out = _order_figures(ws, p, s, groups, where)
    found = monthly_findings(ws, p, s).assign(month=lambda f: f["month"].astype("string")) if monthly else findings(ws, p, s)
    found = select(_finding_groups(ws, found, keys), ws, **where)
    figures = _finding_figures(found, groups)
    types = [c for c in figures.columns if c in DIRECTION]
    out = out.join(figures, how="outer")
    counts = ["citizens", "orders", "days_without_cost", "findings", "findings_without_dkk", *types]
    out[counts] = out[counts].fillna(0).astype("int64")
    fill = ["ordered_hours", "dkk_over", "dkk_under", "dkk_unknown"]
    out[fill] = out[fill].astype("float64").fillna(0.0)
    out.loc[out["orders"] == 0, "cost"] = out.loc[out["orders"] == 0, "cost"].fillna(0.0)  # nothing ordered: nothing paid
    out = out.reset_index(drop=not groups)
    if "provider_id" in keys:
        out.insert(out.columns.get_loc("provider_id") + 1, "provider_name", out["provider_id"].map(provider_names(ws)))
    columns = [*groups, *(["provider_name"] if "provider_id" in keys else []), *SUMMARY_COLUMNS, *types]
    sort = ["month", "dkk_over", "cost"] if monthly else ["dkk_over", "cost"]
    ascending = [True, False, False] if monthly else [False, False]
    return out[columns].sort_values(sort, ascending=ascending, na_position="last", ignore_index=True)
