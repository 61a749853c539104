"""findings: every finding of a period (contract §3) — the order-months summed per order, every rule's findings put
together with their key and in how many months each holds, the monthly findings, their summary and the traffic light."""

from __future__ import annotations

import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day, delivery_status
from bitanalysis.bit.delivery_findings import delivery_findings, documentation_without_order
from bitanalysis.bit.match import costs, order_month_costs, settings_of
from bitanalysis.bit.need_findings import latest_levels, need_findings
from bitanalysis.bit.rate_findings import band_findings, cost_gaps, double_payment, price_findings
from bitanalysis.bit.task_findings import task_findings
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace, fingerprint

FINDING_COLUMNS = [
    "type",
    "citizen_id",
    "order_id",
    "provider_id",
    "period",
    "months",
    "direction",
    "dkk_at_stake",
    "evidence",
    "latest_assessment",
]


def per_order(months: pd.DataFrame) -> pd.DataFrame:
    """The order-month rows summed over the period (cost is missing if any month's cost is)."""
    g = months.groupby("order_id", sort=False)
    first = g[
        ["citizen_id", "provider_id", "rate_level", "hours_per_week", "is_addon", "service", "themes", "end_date", "paragraph"]
    ].first()
    sums = g[["active_days", "ordered_hours", "delivered_hours", "days_without_rate"]].sum(min_count=1)
    out = first.join(sums)
    out["cost"] = g["cost"].sum(min_count=1).where(g["cost"].count() == g.size())
    out["hours_missing"] = g["hours_missing"].any() if "hours_missing" in months else False
    out["delivered_hours"] = out["delivered_hours"].fillna(0.0)
    ordered = out["ordered_hours"].where(out["ordered_hours"] > 0)
    out["delivery_ratio"] = out["delivered_hours"] / ordered
    out["implied_hourly_price"] = out["cost"] / ordered
    return out.reset_index()


def findings(ws: Workspace, period: str | Period, settings: Settings | None = None, *, months: bool = True) -> pd.DataFrame:
    """Every finding of the period, largest DKK at stake first.

    Hours and costs are the sums of the period's months (contract §3); `months` says in how many of those months the
    same finding holds when the month is evaluated alone (1 for a one-month period; 0 when it holds over the period
    only). Each month is evaluated once per workspace, and shared with `monthly_findings`; `months=False` skips that
    work for a longer period and leaves `months` missing.
    """
    p, s = as_period(period), settings_of(ws, settings)
    assessed = _watched(ws)
    if p.first == p.last:
        out = _month(ws, p.first, s, assessed)
        out["months"] = 1
    elif not months:  # the period's findings only, without evaluating each month (`months` left missing)
        out = _evaluate(ws, p, s)
        out["period"] = p.label
        return out.assign(months=pd.array([pd.NA] * len(out), dtype="Int64"))[FINDING_COLUMNS]
    else:
        out = _evaluate(ws, p, s)
        held = pd.concat([_month(ws, m, s, assessed)["_key"].drop_duplicates() for m in p.months]).value_counts()
        out["months"] = held.reindex(out["_key"]).fillna(0).to_numpy()
    out["period"] = p.label
    return out.astype({"months": "int64"})[FINDING_COLUMNS]


def monthly_findings(ws: Workspace, period: str | Period, settings: Settings | None = None) -> pd.DataFrame:
    """The findings of each calendar month of the period, each month evaluated alone (as `findings` of that month),
    with the month ("2026-01") in `month`; by month, then largest DKK at stake first."""
    p, s = as_period(period), settings_of(ws, settings)
    assessed = _watched(ws)
    parts = [_month(ws, m, s, assessed).assign(month=str(m), period=str(m), months=1) for m in p.months]
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"month": "string", "months": "int64"})[["month", *FINDING_COLUMNS]]


def _watched(ws: Workspace) -> tuple:
    """What findings depend on beyond what `ws.remember` watches: the assessments and the tasks."""
    return fingerprint(ws.assessments), fingerprint(ws.tasks)


def _month(ws: Workspace, month: pd.Period, s: Settings, assessed: tuple) -> pd.DataFrame:
    """The findings of one calendar month evaluated alone, with their key; computed once per workspace state."""
    p = Period(month, month, str(month))
    return ws.remember(("findings", p.start, p.end, s, assessed), lambda: _evaluate(ws, p, s)).copy()


def _evaluate(ws: Workspace, p: Period, s: Settings) -> pd.DataFrame:
    """The findings of the period over its whole length (no `months` yet), with `_key`: what makes a finding the same
    finding in another period (its type, citizen, order, provider and detail), not its figures or evidence text."""
    months = order_month_costs(ws, p, s)
    o = per_order(months)
    with_delivery = set(months.loc[months["delivery_rows"] > 0, "order_id"])
    by_day = delivered_by_day(ws, p, o["order_id"]) if s.hourly_billing == "delivered" else None
    parts = [
        *delivery_findings(o, s, with_delivery),
        *band_findings(o, months, ws, p, by_day),
        double_payment(months, ws, by_day),
        *need_findings(o, ws, p, s),
        documentation_without_order(delivery_status(ws, p)),
        *cost_gaps(o),
        *task_findings(o, ws, p, s),
        *price_findings(o, months, ws, s),
    ]
    found = [x for x in parts if len(x)]
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=[*FINDING_COLUMNS, "_detail"])
    out["period"] = p.label
    last = latest_levels(ws.assessments, p).groupby("citizen_id")["assessed_on"].max()
    out["latest_assessment"] = last.reindex(out["citizen_id"]).to_numpy()
    out["dkk_at_stake"] = out["dkk_at_stake"].astype("float64").round(2)
    text = ["citizen_id", "order_id", "provider_id", "type", "direction", "evidence"]
    out = out.astype(dict.fromkeys(text, "string"))
    who = [out[c].astype("string").fillna("") for c in ("citizen_id", "order_id", "provider_id", "_detail")]
    out["_key"] = out["type"].fillna("").str.cat(who, sep="\x1f")
    columns = [c for c in FINDING_COLUMNS if c != "months"]
    return out[[*columns, "_key"]].sort_values(
        ["dkk_at_stake", "type", "citizen_id"], ascending=[False, True, True], na_position="last", ignore_index=True
    )


def summarise(found: pd.DataFrame) -> pd.DataFrame:
    """Number of findings and DKK at stake per type and direction, largest first."""
    g = found.groupby(["type", "direction"], as_index=False).agg(
        findings=("type", "size"), dkk_at_stake=("dkk_at_stake", lambda x: x.sum(min_count=1))
    )
    return g.sort_values(["dkk_at_stake", "findings"], ascending=False, ignore_index=True)


def traffic_light(ws: Workspace, period: str | Period, found: pd.DataFrame | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """Citizens with an active order and their cost, by BIT status: match, under, over or unknown.

    A citizen's status is the direction of their finding with the most DKK at stake (a finding without an amount
    counts as 0; ties go over, under, unknown in that order); a citizen without findings is in match.
    """
    p = as_period(period)
    found = findings(ws, p, settings) if found is None else found
    cost = costs(ws, p, settings_of(ws, settings)).groupby("citizen_id")["cost"].sum()
    rank = {"over": 0, "under": 1, "unknown": 2}
    f = found.assign(_dkk=found["dkk_at_stake"].fillna(0), _rank=found["direction"].map(rank))
    top = f.sort_values(["_dkk", "_rank"], ascending=[False, True]).drop_duplicates("citizen_id").set_index("citizen_id")["direction"]
    status = pd.Series(cost.index.map(top).fillna("match"), index=cost.index)
    out = pd.DataFrame({"citizens": status.value_counts(), "dkk": cost.groupby(status).sum()})
    out = out.reindex(["match", "under", "over", "unknown"]).fillna(0).rename_axis("status").reset_index()
    out["citizens"] = out["citizens"].astype(int)
    out["citizen_share"] = out["citizens"] / max(out["citizens"].sum(), 1)
    out["dkk_share"] = out["dkk"] / out["dkk"].sum() if out["dkk"].sum() else 0.0
    return out
