"""Portfolio economics for budget meetings: spend, full-year persons, forecast, price × quantity, rates, fit."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ._danish import kr, number, percent
from ._deliveries import delivered_by_day
from ._intervals import DAY, days_in_year, order_months, union_days, week_number, weeks
from ._match import costs, match, segment_cost, settings_of
from ._period import Period
from ._period import period as as_period
from ._rates import annual_cost, in_band, rate_in_force, rate_segments
from ._settings import Settings
from ._workspace import Workspace

GROUPS = ("paragraph", "provider_id", "provider_name", "target_group", "team", "rate_level", "service", "citizen_id")
OTHER_AREA = "Øvrige"


def _by(by: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Grouping columns as a list, checked against the ones the match carries."""
    cols = [by] if isinstance(by, str) else list(by or [])
    unknown = set(cols) - set(GROUPS)
    if unknown:
        raise ValueError(f"Kan ikke gruppere efter {sorted(unknown)}; vælg blandt {list(GROUPS)}")
    return cols


def spend(ws: Workspace, period: str | Period, by: str | list[str] | None = "paragraph", settings: Settings | None = None) -> pd.DataFrame:
    """Cost per month and group; its total is the match's total cost."""
    m = costs(ws, as_period(period), settings_of(ws, settings))
    keys = ["month", *_by(by)]
    return m.groupby(keys, dropna=False, as_index=False).agg(
        cost=("cost", "sum"),
        citizens=("citizen_id", "nunique"),
        orders=("order_id", "nunique"),
        days_without_rate=("days_without_rate", "sum"),
    )


def full_year_persons(
    ws: Workspace, period: str | Period, by: str | list[str] | None = None, *, monthly: bool = False, settings: Settings | None = None
) -> pd.DataFrame:
    """Full-year persons (Σ days a citizen has an active order / days in the year), cost and average price per group."""
    p = as_period(period)
    cols = _by(by)
    months = order_months(ws.orders, p.start, p.end)
    days = union_days(months, ["month", *cols, "citizen_id"]).rename("days").reset_index()
    year_days = days_in_year(pd.to_datetime(days["month"])).to_numpy()
    days["full_year_persons"] = days["days"] / year_days
    keys = (["month"] if monthly else []) + cols
    fyp = (
        days.groupby(keys, dropna=False).agg(full_year_persons=("full_year_persons", "sum"), citizens=("citizen_id", "nunique"))
        if keys
        else pd.DataFrame({"full_year_persons": [days["full_year_persons"].sum()], "citizens": [days["citizen_id"].nunique()]})
    )
    cost = spend(ws, p, cols, settings)
    cost = cost.groupby(keys, dropna=False)["cost"].sum() if keys else pd.Series([cost["cost"].sum()], name="cost")
    out = fyp.join(cost).reset_index() if keys else fyp.assign(cost=cost.to_numpy())
    out["average_price"] = out["cost"] / out["full_year_persons"].where(out["full_year_persons"] > 0)
    return out


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


def _areas(orders: pd.DataFrame, budget: pd.DataFrame) -> pd.Series:
    """Each order's budget area: its paragraph where the budget has that area, else 'Øvrige'."""
    areas = set(budget["area"]) - {"total"}
    return orders["paragraph"].where(orders["paragraph"].isin(areas), OTHER_AREA)


def budget_followup(ws: Workspace, year: int, as_of: str | pd.Timestamp, settings: Settings | None = None) -> pd.DataFrame:
    """Per budget area: budget, actual to date, committed cost to the year's end, forecast and variance."""
    as_of = pd.Timestamp(as_of)
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    if not start <= as_of <= end:
        raise ValueError(f"as_of ({as_of:%d-%m-%Y}) skal ligge i {year}")
    budget = ws.budget[ws.budget["year"] == year]
    s = settings_of(ws, settings)
    if s.hourly_billing == "ordered" and as_of == as_of + pd.offsets.MonthEnd(0):  # split the year's costs at a month's end
        whole = cost_between(ws, start, end, s)
        done = whole["month"] <= f"{as_of:%Y-%m}"
        actual, committed = whole[done], whole[~done]
    else:
        actual = cost_between(ws, start, as_of, s)
        # what is still to come is billed on the ordered hours: future deliveries are not known
        committed = cost_between(ws, as_of + DAY, end, replace(s, hourly_billing="ordered")) if as_of < end else actual.iloc[:0]
    parts = []
    for name, frame in (("actual", actual), ("committed", committed)):
        frame = frame.assign(area=_areas(frame, budget))
        parts.append(frame.groupby("area").agg(**{name: ("cost", "sum"), f"{name}_days_without_rate": ("days_without_rate", "sum")}))
    areas = pd.concat([budget.groupby("area")["amount"].sum().rename("budget").drop("total", errors="ignore"), *parts], axis=1)
    areas = areas.fillna({"actual": 0.0, "committed": 0.0, "actual_days_without_rate": 0, "committed_days_without_rate": 0})
    areas.loc["total"] = areas.sum(min_count=1)
    if "total" in set(budget["area"]):
        areas.loc["total", "budget"] = budget.loc[budget["area"] == "total", "amount"].sum()
    areas["forecast"] = areas["actual"] + areas["committed"]
    areas["variance"] = areas["forecast"] - areas["budget"]
    areas["variance_pct"] = areas["variance"] / areas["budget"].where(areas["budget"] != 0)
    areas["days_without_rate"] = (areas.pop("actual_days_without_rate") + areas.pop("committed_days_without_rate")).astype(int)
    return areas.rename_axis("area").reset_index()[
        ["area", "budget", "actual", "committed", "forecast", "variance", "variance_pct", "days_without_rate"]
    ]


def price_quantity(
    ws: Workspace,
    period: str | Period,
    compare_to: str | Period,
    by: tuple[str, ...] = ("paragraph", "rate_level"),
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The change in cost from compare_to to period split into quantity, price and mix effects that sum to it exactly.

    Per group g (paragraph × rate level): full-year persons N_g and average price P_g = cost_g / N_g.
    quantity = (N1 − N0) × P̄0; price = Σ (P_g1 − P_g0) × N_g1; mix = Σ P_g0 × N_g1 − N1 × P̄0.
    A group that is new in `period` keeps its new price as its old one (its cost is quantity and mix, not price).
    """
    p1, p0 = as_period(period), as_period(compare_to)
    g1 = full_year_persons(ws, p1, list(by), settings=settings).set_index(list(by))
    g0 = full_year_persons(ws, p0, list(by), settings=settings).set_index(list(by))
    g = (
        g0[["full_year_persons", "cost"]]
        .merge(g1[["full_year_persons", "cost"]], how="outer", left_index=True, right_index=True, suffixes=("_0", "_1"))
        .fillna(0.0)
    )
    n0, n1 = g["full_year_persons_0"].sum(), g["full_year_persons_1"].sum()
    c0, c1 = g["cost_0"].sum(), g["cost_1"].sum()
    price1 = g["cost_1"] / g["full_year_persons_1"].where(g["full_year_persons_1"] > 0)
    price0 = (g["cost_0"] / g["full_year_persons_0"].where(g["full_year_persons_0"] > 0)).fillna(price1).fillna(0.0)
    avg0 = c0 / n0 if n0 else 0.0
    quantity = (n1 - n0) * avg0
    price = ((price1.fillna(0.0) - price0) * g["full_year_persons_1"]).sum()
    mix = (price0 * g["full_year_persons_1"]).sum() - n1 * avg0
    return pd.DataFrame(
        {
            "component": ["base", "quantity", "price", "mix", "current"],
            "label": [
                f"Udgift {p0.label}",
                "Mængde (flere/færre helårspersoner)",
                "Pris (dyrere/billigere pr. helårsperson)",
                "Mix (sammensætning af paragraffer og niveauer)",
                f"Udgift {p1.label}",
            ],
            "dkk": [c0, quantity, price, mix, c1],
            "full_year_persons": [n0, np.nan, np.nan, np.nan, n1],
            "average_price": [avg0, np.nan, np.nan, np.nan, c1 / n1 if n1 else np.nan],
        }
    )


def _year_days(p: Period) -> float:
    """Days in the period's year (365.25 for a period across years), to annualise its cost."""
    years = sorted({m.year for m in p.months})
    if len(years) > 1:
        return 365.25
    return 366.0 if pd.Timestamp(years[0], 1, 1).is_leap_year else 365.0


@dataclass
class Concentration:
    """How concentrated the cost is on few citizens."""

    per_citizen: pd.DataFrame  # citizen_id, cost, annualised_cost, sorted most expensive first
    above: pd.DataFrame  # threshold, citizens, cost, annualised_cost
    top_decile_share: float  # share of the period's cost held by the most expensive 10 % of citizens

    def top(self, n: int = 20) -> pd.DataFrame:
        """The n most expensive citizens."""
        return self.per_citizen.head(n)


def concentration(
    ws: Workspace, period: str | Period, thresholds: tuple[float, ...] = (1_000_000, 2_000_000), settings: Settings | None = None
) -> Concentration:
    """Annualised cost per citizen, citizens above 1 and 2 million a year, and the top decile's share of cost."""
    p = as_period(period)
    m = costs(ws, p, settings_of(ws, settings))
    per = m.groupby("citizen_id", as_index=False)["cost"].sum()
    period_days = (p.end - p.start).days + 1
    per["annualised_cost"] = per["cost"] * _year_days(p) / period_days
    per = per.sort_values("annualised_cost", ascending=False, ignore_index=True)
    above = pd.DataFrame(
        [
            {
                "threshold": t,
                "citizens": int((per["annualised_cost"] > t).sum()),
                "cost": per.loc[per["annualised_cost"] > t, "cost"].sum(),
                "annualised_cost": per.loc[per["annualised_cost"] > t, "annualised_cost"].sum(),
            }
            for t in thresholds
        ]
    )
    paying = per[per["cost"] > 0]
    n = math.ceil(0.1 * len(paying))
    share = paying["cost"].head(n).sum() / paying["cost"].sum() if len(paying) else np.nan
    return Concentration(per, above, float(share))


def pl_factor(ws: Workspace, year: int) -> float:
    """The P/L index factor of a year (missing when the index has no such year)."""
    hit = ws.price_index.loc[ws.price_index["year"] == year, "factor"]
    return float(hit.iloc[0]) if len(hit) else np.nan


def rate_development(ws: Workspace, year: int, settings: Settings | None = None) -> pd.DataFrame:
    """Per provider and level: the rate's change from the previous year against P/L, the excess in points and DKK."""
    cur, prev = rate_in_force(ws.rates, year), rate_in_force(ws.rates, year - 1)
    r = cur.merge(prev[["provider_id", "rate_level", "unit", "amount"]], on=["provider_id", "rate_level"], suffixes=("", "_prev"))
    r = r[r["unit"] == r["unit_prev"]].copy()
    pl = pl_factor(ws, year) / pl_factor(ws, year - 1) - 1
    r["change"] = r["amount"] / r["amount_prev"] - 1
    r["pl_change"] = pl
    r["excess_pp"] = (r["change"] - pl) * 100
    m = cost_between(ws, pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31), settings)
    placed = m.groupby(["provider_id", "rate_level"]).agg(placements=("order_id", "nunique"), cost=("cost", "sum"))
    r = r.join(placed, on=["provider_id", "rate_level"])
    r[["placements", "cost"]] = r[["placements", "cost"]].fillna(0)
    # the year's cost of the current placements, minus what it would be at last year's rate raised by P/L
    r["excess_dkk"] = r["cost"] * (1 - r["amount_prev"] * (1 + pl) / r["amount"])
    cols = [
        "provider_id",
        "provider_name",
        "rate_level",
        "unit",
        "amount_prev",
        "amount",
        "change",
        "pl_change",
        "excess_pp",
        "placements",
        "cost",
        "excess_dkk",
    ]
    return r[cols].sort_values(["excess_dkk", "excess_pp"], ascending=False, ignore_index=True)


def fixed_prices(frame: pd.DataFrame, ws: Workspace, price_year: int, columns: list[str]) -> pd.DataFrame:
    """Money columns expressed in one price year through the P/L index (by the frame's `year`, or the year of `month`)."""
    years = frame["year"] if "year" in frame else pd.to_datetime(frame["month"]).dt.year
    factors = ws.price_index.set_index("year")["factor"]
    ratio = pl_factor(ws, price_year) / years.map(factors).astype("float64")
    missing = sorted(set(years[ratio.isna()]))
    if missing or math.isnan(pl_factor(ws, price_year)):
        raise ValueError(f"P/L-indekset mangler år {missing or [price_year]}; tilføj dem til price_index")
    out = frame.copy()
    for c in columns:
        out[c] = frame[c] * ratio.to_numpy()
    return out


def provider_record(ws: Workspace, as_of: pd.Timestamp, settings: Settings | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per provider over the 12 months up to as_of: delivery ratio and documentation coverage; and the match rows with target groups."""
    window = as_period(f"{(as_of - pd.DateOffset(months=11)):%Y-%m}..{as_of:%Y-%m}")
    m = match(ws, window, settings)
    with_hours = m[m["ordered_hours"] > 0]
    ratio = with_hours.groupby("provider_id")["delivered_hours"].sum() / with_hours.groupby("provider_id")["ordered_hours"].sum()
    active = (
        order_months(ws.orders, window.start, window.end)
        .groupby("order_id")
        .agg(provider_id=("provider_id", "first"), seg_from=("seg_from", "min"), seg_to=("seg_to", "max"))
        .reset_index()
    )
    ordered = weeks(active, "seg_from", "seg_to")
    documented = delivered_by_day(ws, window)
    doc_weeks = pd.DataFrame({"order_id": documented["order_id"], "week": week_number(documented["date"])}).drop_duplicates()
    ordered = ordered.merge(doc_weeks.assign(documented=True), on=["order_id", "week"], how="left")
    coverage = ordered["documented"].notna().groupby(ordered["provider_id"]).mean()
    served = m.merge(ws.citizens[["citizen_id", "target_group"]], on="citizen_id", how="left", suffixes=("_order", ""))
    return pd.DataFrame({"delivery_ratio": ratio, "coverage": coverage}), served


def _citizen_profile(
    ws: Workspace, citizen_id: str, as_of: pd.Timestamp, hours_per_week: float | None, target_group: str | None, paragraph: str | None
) -> tuple[float | None, str | None, str | None]:
    """Hours per week, target group and paragraph of a citizen's latest base order (where not given)."""
    o = ws.orders[(ws.orders["citizen_id"] == citizen_id) & ~ws.orders["is_addon"] & (ws.orders["start_date"] <= as_of)]
    o = o.sort_values("start_date")
    if o.empty:
        raise KeyError(f"Borgeren {citizen_id} har ingen bevilling pr. {as_of:%d-%m-%Y}")
    hours_per_week = hours_per_week if hours_per_week is not None else o["hours_per_week"].iloc[-1]
    paragraph = paragraph or o["paragraph"].iloc[-1]
    tg = ws.citizens.loc[ws.citizens["citizen_id"] == citizen_id, "target_group"]
    target_group = target_group or (tg.iloc[0] if len(tg) and pd.notna(tg.iloc[0]) else None)
    return hours_per_week, target_group, paragraph


def _best_levels(ws: Workspace, as_of: pd.Timestamp, hours_per_week: float, paragraph: str | None) -> pd.DataFrame:
    """Per provider (of the paragraph, where given) the level that fits the hours, else its cheapest, with its annual cost."""
    rates = rate_segments(ws.rates)
    rates = rates[(rates["valid_from"] <= as_of) & (rates["valid_to"] >= as_of)]
    if paragraph:
        base = ws.orders[(ws.orders["paragraph"] == paragraph) & ~ws.orders["is_addon"]]
        offers = set(base["provider_id"]) | set(rates.loc[rates["paragraph"] == paragraph, "provider_id"])
        rates = rates[rates["provider_id"].isin(offers)]
    rates = rates.assign(
        annual_cost=annual_cost(rates["unit"], rates["amount"], hours_per_week, as_of.year),
        fits=in_band(hours_per_week, rates["min_hours_per_week"], rates["max_hours_per_week"]),
    )
    best = rates.sort_values(["fits", "annual_cost"], ascending=[False, True]).drop_duplicates("provider_id")
    columns = ["provider_id", "provider_name", "rate_level", "fits", "unit", "amount", "min_hours_per_week", "max_hours_per_week"]
    return best[[*columns, "annual_cost"]]


def provider_fit(
    ws: Workspace,
    citizen_id: str | None = None,
    *,
    hours_per_week: float | None = None,
    target_group: str | None = None,
    paragraph: str | None = None,
    as_of: str | pd.Timestamp | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Rank providers for a citizen (or a need profile).

    Order: a level whose hour band holds the hours first; then a delivery ratio within the under/over thresholds
    over the last 12 months; then more citizens of the same target group; then documentation coverage (share of
    ordered weeks with any documentation); then the lower annual cost of the fitting level.
    """
    when = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp(ws.deliveries["date"].max())
    if citizen_id is not None:
        hours_per_week, target_group, paragraph = _citizen_profile(ws, citizen_id, when, hours_per_week, target_group, paragraph)
    if hours_per_week is None or pd.isna(hours_per_week):
        raise ValueError("Angiv timer pr. uge (hours_per_week) for behovsprofilen")
    record, served = provider_record(ws, when, settings)
    mine = served[served["target_group"] == target_group]
    same = mine.groupby("provider_id")["citizen_id"].nunique() if target_group else pd.Series(dtype=int)
    out = _best_levels(ws, when, hours_per_week, paragraph).join(record, on="provider_id")
    out["same_target_group"] = out["provider_id"].map(same).fillna(0).astype(int)
    s = settings_of(ws, settings)
    out["delivers"] = out["delivery_ratio"].between(s.under_delivery_ratio, s.over_delivery_ratio)
    out = out.sort_values(
        ["fits", "delivers", "same_target_group", "coverage", "annual_cost"],
        ascending=[False, False, False, False, True],
        na_position="last",
        ignore_index=True,
    )
    out.insert(0, "rank", range(1, len(out) + 1))
    out["reason"] = [_fit_reason(r, hours_per_week, target_group) for r in out.itertuples()]
    return out


def _fit_reason(r, hours: float, target_group: str | None) -> str:
    """One Danish sentence on why a provider ranks where it does."""
    band = f"{number(r.min_hours_per_week, 1)}–{number(r.max_hours_per_week, 1)}"
    level = (
        f"Niveau '{r.rate_level}' dækker {number(hours, 1)} timer/uge ({band}) til {kr(r.annual_cost)} om året"
        if r.fits
        else f"Intet takstniveau dækker {number(hours, 1)} timer/uge (nærmeste: '{r.rate_level}', {band})"
    )
    record = (
        f"leveringsgrad {percent(r.delivery_ratio, 0)}" + ("" if r.delivers else " (uden for 90–110 %)")
        if pd.notna(r.delivery_ratio)
        else "ingen leveringshistorik"
    )
    record += f" og dokumentation i {percent(r.coverage, 0)} af ugerne de seneste 12 måneder" if pd.notna(r.coverage) else ""
    group = f"; {r.same_target_group} borgere i målgruppen {target_group}" if target_group else ""
    return f"{level}; {record}{group}."
