"""Portfolio economics for budget meetings: spend, full-year persons, forecast, price × quantity, rates, fit."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day
from bitanalysis.bit.match import costs, match, segment_cost, settings_of
from bitanalysis.bit.rates import annual_cost, in_band, rate_in_force, rate_segments
from bitanalysis.core.danish import kr, number, percent
from bitanalysis.core.intervals import DAY, days_in_year, order_months, union_days, week_number, weeks
from bitanalysis.core.period import Period, parse_day, period_name
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace

GROUPS = ("paragraph", "provider_id", "provider_name", "target_group", "team", "rate_level", "service", "citizen_id")
OTHER_AREA = "Øvrige"


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
    budget = ws.budget[ws.budget["year"] == year]
    actual, committed = _split_year(ws, year, as_of, settings_of(ws, settings))
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


class IncompleteCosts(ValueError):
    """Too many order-days of a period have no cost for the price × quantity bridge; the message says which, in Danish."""

    def __init__(self, gaps: dict[str, CostGaps], limit: float):
        self.gaps, self.limit = gaps, limit
        parts = [
            f"I {label} har {number(g.days_without_cost)} af {number(g.order_days)} bevillingsdage ({percent(g.share)}) ingen udgift "
            "(takst eller timetal mangler)."
            for label, g in gaps.items()
        ]
        super().__init__(
            "Pris- og mængdebroen kan ikke opgøres: "
            + " ".join(parts)
            + f" Grænsen er {percent(limit)} (indstillingen max_missing_cost_share). Broen ville ellers kalde det beløb, "
            "der mangler, for 'pris' (en lavere pris pr. helårsperson). Indhent de manglende takster og timetal, og kør igen."
        )


def _refuse_incomplete(ws: Workspace, periods: list[Period], s: Settings) -> None:
    """Raise IncompleteCosts when a period has more than the allowed share of order-days without a cost."""
    gaps = {period_name(p): cost_gaps(ws, p, s) for p in periods}
    over = {label: g for label, g in gaps.items() if g.share > s.max_missing_cost_share}
    if over:
        raise IncompleteCosts(over, s.max_missing_cost_share)


def price_quantity(
    ws: Workspace,
    period: str | Period,
    compare_to: str | Period,
    by: tuple[str, ...] = ("paragraph", "rate_level"),
    settings: Settings | None = None,
    *,
    price_year: int | None = None,
) -> pd.DataFrame:
    """The change in cost from compare_to to period split into quantity, price and mix effects that sum to it exactly.

    Per group g (paragraph × rate level): full-year persons N_g and average price P_g = cost_g / N_g.
    quantity = (N1 − N0) × P̄0; price = Σ (P_g1 − P_g0) × N_g1; mix = Σ P_g0 × N_g1 − N1 × P̄0.
    A group that is new in `period` keeps its new price as its old one (its cost is quantity and mix, not price).
    The costs leave out the order-months without a cost (their order-days are in `days_without_cost` of the base and
    current rows), which would show as a lower price: a period where their share of the order-days is above the setting
    `max_missing_cost_share` raises IncompleteCosts. With `price_year` both periods are in that year's prices.
    """
    p1, p0 = as_period(period), as_period(compare_to)
    s = settings_of(ws, settings)
    _refuse_incomplete(ws, [p1, p0], s)
    g1 = full_year_persons(ws, p1, list(by), settings=s, price_year=price_year).set_index(list(by))
    g0 = full_year_persons(ws, p0, list(by), settings=s, price_year=price_year).set_index(list(by))
    g = (
        g0[["full_year_persons", "cost"]]
        .merge(g1[["full_year_persons", "cost"]], how="outer", left_index=True, right_index=True, suffixes=("_0", "_1"))
        .fillna(0.0)  # below the limit a group whose every order-month lacks a cost counts as 0 kr. (the refusal's reason)
    )
    n0, n1 = g["full_year_persons_0"].sum(), g["full_year_persons_1"].sum()
    c0, c1 = g["cost_0"].sum(), g["cost_1"].sum()
    price1 = g["cost_1"] / g["full_year_persons_1"].where(g["full_year_persons_1"] > 0)
    price0 = (g["cost_0"] / g["full_year_persons_0"].where(g["full_year_persons_0"] > 0)).fillna(price1).fillna(0.0)
    avg0 = c0 / n0 if n0 else 0.0
    effects = [(n1 - n0) * avg0, ((price1.fillna(0.0) - price0) * g["full_year_persons_1"]).sum()]
    effects.append((price0 * g["full_year_persons_1"]).sum() - n1 * avg0)
    return _bridge(p0, p1, [c0, *effects, c1], [n0, n1], [int(g0["days_without_cost"].sum()), int(g1["days_without_cost"].sum())])


def _bridge(p0: Period, p1: Period, dkk: list[float], persons: list[float], missing: list[int]) -> pd.DataFrame:
    """The bridge's five rows: base, quantity, price, mix and current, with full-year persons and days without a cost."""
    (n0, n1), (c0, c1) = persons, (dkk[0], dkk[-1])
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
            "dkk": dkk,
            "full_year_persons": [n0, np.nan, np.nan, np.nan, n1],
            "average_price": [c0 / n0 if n0 else np.nan, np.nan, np.nan, np.nan, c1 / n1 if n1 else np.nan],
            "days_without_cost": pd.array([missing[0], None, None, None, missing[1]], dtype="Int64"),
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
    """How concentrated the cost is on few citizens, beside the order-days without a cost that it leaves out."""

    per_citizen: pd.DataFrame  # citizen_id, cost, annualised_cost, days_without_cost; most expensive first, missing costs last
    above: pd.DataFrame  # threshold, citizens, cost, annualised_cost, days_without_cost (of the citizens counted)
    top_decile_share: float  # share of the period's cost held by the most expensive 10 % of citizens with a cost
    days_without_cost: int = 0  # the period's order-days without a cost (left out of every figure above)
    citizens_without_cost: int = 0  # citizens none of whose order-months has a cost (their cost is missing)

    def top(self, n: int = 20) -> pd.DataFrame:
        """The n most expensive citizens."""
        return self.per_citizen.head(n)


def _above(per: pd.DataFrame, thresholds: tuple[float, ...]) -> pd.DataFrame:
    """Citizens whose annualised cost is above each threshold, their cost and their order-days without a cost."""
    rows = []
    for t in thresholds:
        hit = per[per["annualised_cost"] > t]
        rows.append(
            {
                "threshold": t,
                "citizens": len(hit),
                "cost": hit["cost"].sum(),
                "annualised_cost": hit["annualised_cost"].sum(),
                "days_without_cost": int(hit["days_without_cost"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["threshold", "citizens", "cost", "annualised_cost", "days_without_cost"])


def concentration(
    ws: Workspace,
    period: str | Period,
    thresholds: tuple[float, ...] = (1_000_000, 2_000_000),
    settings: Settings | None = None,
    *,
    price_year: int | None = None,
) -> Concentration:
    """Annualised cost per citizen, citizens above 1 and 2 million a year, and the top decile's share of cost.

    A citizen's cost leaves out their order-months without a cost (`days_without_cost`), and is missing where none has
    one; such citizens are not counted above a threshold or in the top decile. With `price_year`, in that year's prices.
    """
    p = as_period(period)
    m = _priced(costs(ws, p, settings_of(ws, settings)), ws, price_year)
    g = m.assign(days_without_cost=without_cost(m)).groupby("citizen_id")
    per = pd.DataFrame({"cost": g["cost"].sum(min_count=1), "days_without_cost": g["days_without_cost"].sum()}).reset_index()
    per.insert(2, "annualised_cost", per["cost"] * _year_days(p) / ((p.end - p.start).days + 1))
    per = per.sort_values("annualised_cost", ascending=False, ignore_index=True, na_position="last")
    paying = per[per["cost"] > 0]
    n = math.ceil(0.1 * len(paying))
    share = paying["cost"].head(n).sum() / paying["cost"].sum() if len(paying) else np.nan
    return Concentration(per, _above(per, thresholds), float(share), int(per["days_without_cost"].sum()), int(per["cost"].isna().sum()))


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
    g = m.groupby(["provider_id", "rate_level"])
    placed = pd.DataFrame({"placements": g["order_id"].nunique(), "cost": g["cost"].sum(min_count=1)})
    r = r.join(placed, on=["provider_id", "rate_level"])
    r["cost"] = r["cost"].where(r["placements"].notna(), 0.0)  # no placements: 0 kr.; placements without a cost: missing
    r["placements"] = r["placements"].fillna(0)
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


def missing_pl_years(ws: Workspace, years: Iterable[int]) -> list[int]:
    """The years the P/L index has no factor for (fixed prices cannot be computed for them)."""
    return sorted({int(y) for y in years} - {int(y) for y in ws.price_index["year"].dropna()})


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
    ws: Workspace,
    citizen_id: str,
    as_of: pd.Timestamp,
    hours_per_week: float | None,
    target_group: str | None,
    paragraph: str | None,
    themes: list[str] | None = None,
) -> tuple[float | None, str | None, str | None, list[str] | None]:
    """Hours per week, target group, paragraph and need themes of a citizen's latest base order (where not given).

    The hours are the order's; an order without hours per week takes its task list's time (Σ minutes per week / 60,
    where every task has a time). The themes are those of the order's task list, else the order's own themes."""
    o = ws.orders[(ws.orders["citizen_id"] == citizen_id) & ~ws.orders["is_addon"] & (ws.orders["start_date"] <= as_of)]
    o = o.sort_values("start_date")
    if o.empty:
        raise KeyError(f"Borgeren {citizen_id} har ingen bevilling pr. {as_of:%d-%m-%Y}")
    latest = o.iloc[-1]
    tasks = ws.tasks[ws.tasks["order_id"] == latest["order_id"]]
    if hours_per_week is None:
        hours_per_week = latest["hours_per_week"]
        timed = tasks["minutes_per_week"]
        if pd.isna(hours_per_week) and len(tasks) and timed.notna().all():
            hours_per_week = float(timed.sum()) / 60
    paragraph = paragraph or latest["paragraph"]
    tg = ws.citizens.loc[ws.citizens["citizen_id"] == citizen_id, "target_group"]
    target_group = target_group or (tg.iloc[0] if len(tg) and pd.notna(tg.iloc[0]) else None)
    if themes is None:
        own = latest["themes"] if isinstance(latest["themes"], list | np.ndarray) else []
        listed = tasks["theme"].dropna().tolist() if len(tasks) else list(own)
        themes = list(dict.fromkeys(str(t) for t in listed)) or None
    return hours_per_week, target_group, paragraph, themes


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


def _themes_served(ws: Workspace, served: pd.DataFrame, themes: list[str]) -> pd.Series:
    """Per provider, which of the themes (as written in `themes`, case and spacing ignored) its orders of the last 12
    months address, by the orders' own themes or the themes of their task lists: a list per provider id."""
    from bitanalysis.core.parse import text_key

    wanted = dict(zip(text_key(pd.Series(themes, dtype="string")), themes))
    orders = served[["order_id", "provider_id"]].drop_duplicates()
    own = ws.orders.loc[ws.orders["order_id"].isin(orders["order_id"]), ["order_id", "themes"]].explode("themes")
    listed = ws.tasks.loc[ws.tasks["order_id"].isin(orders["order_id"]), ["order_id", "theme"]].rename(columns={"theme": "themes"})
    both = pd.concat([own, listed], ignore_index=True).dropna()
    both = both.assign(key=text_key(both["themes"].astype("string"))).merge(orders, on="order_id")
    both = both[both["key"].isin(list(wanted))]
    return both.groupby("provider_id")["key"].agg(lambda keys: [wanted[k] for k in wanted if k in set(keys)])


#: How provider_fit ranks, most important first: (column, ascending).
FIT_ORDER = (
    ("fits", False),
    ("themes_matched", False),
    ("delivers", False),
    ("same_target_group", False),
    ("coverage", False),
    ("annual_cost", True),
)


def provider_fit(
    ws: Workspace,
    citizen_id: str | None = None,
    *,
    hours_per_week: float | None = None,
    target_group: str | None = None,
    paragraph: str | None = None,
    themes: list[str] | None = None,
    as_of: str | pd.Timestamp | None = None,
    settings: Settings | None = None,
    small_cells: bool = False,
) -> pd.DataFrame:
    """Rank providers for a citizen (or a need profile), as of a date (day-first or ISO text, or a date).

    Order: a level whose hour band holds the hours first; then more of the need `themes` (FFB themes, as a task
    description or an order names them) that the provider's orders of the last 12 months address, by the orders' themes
    or their task lists; then a delivery ratio within the under/over thresholds over the last 12 months; then more
    citizens of the same target group; then documentation coverage (share of ordered weeks with any documentation);
    then the lower annual cost of the fitting level. For a citizen, what is not given comes from the latest base order
    (its hours, else its task list's time; the themes of its task list, else its own). `themes_served` lists the themes
    each provider has served, and `reason` says in one Danish sentence why it ranks where it does. `small_cells=True`
    (for reports) writes a count of 1-4 citizens of the target group as "<5" in the reason.
    """
    when = parse_day(as_of) if as_of is not None else ws.newest_delivery()
    if citizen_id is not None:
        hours_per_week, target_group, paragraph, themes = _citizen_profile(
            ws, citizen_id, when, hours_per_week, target_group, paragraph, themes
        )
    if hours_per_week is None or pd.isna(hours_per_week):
        raise ValueError("Angiv timer pr. uge (hours_per_week) for behovsprofilen")
    themes = list(dict.fromkeys(t for t in (themes or []) if isinstance(t, str) and t.strip()))
    record, served = provider_record(ws, when, settings)
    mine = served[served["target_group"] == target_group]
    same = mine.groupby("provider_id")["citizen_id"].nunique() if target_group else pd.Series(dtype=int)
    out = _best_levels(ws, when, hours_per_week, paragraph).join(record, on="provider_id")
    out["same_target_group"] = out["provider_id"].map(same).fillna(0).astype(int)
    by_provider = _themes_served(ws, served, themes) if themes else pd.Series(dtype=object)
    out["themes_served"] = [list(by_provider.get(p, [])) for p in out["provider_id"]]
    out["themes_matched"] = out["themes_served"].map(len).astype(int)
    s = settings_of(ws, settings)
    out["delivers"] = out["delivery_ratio"].between(s.under_delivery_ratio, s.over_delivery_ratio)
    out = out.sort_values([c for c, _ in FIT_ORDER], ascending=[up for _, up in FIT_ORDER], na_position="last", ignore_index=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out["reason"] = [_fit_reason(r, hours_per_week, target_group, themes, small_cells) for r in out.itertuples()]
    return out


def _fit_reason(r, hours: float, target_group: str | None, themes: list[str] | None = None, small_cells: bool = False) -> str:
    """One Danish sentence on why a provider ranks where it does."""
    band = f"{number(r.min_hours_per_week, 1)}–{number(r.max_hours_per_week, 1)}"
    level = (
        f"Niveau '{r.rate_level}' dækker {number(hours, 1)} timer/uge ({band}) til {kr(r.annual_cost)} om året"
        if r.fits
        else f"Intet takstniveau dækker {number(hours, 1)} timer/uge (nærmeste: '{r.rate_level}', {band})"
    )
    content = ""
    if themes:
        served = list(getattr(r, "themes_served", []) or [])
        of = f"{len(served)} af {len(themes)} {'tema' if len(themes) == 1 else 'temaer'}"
        content = (
            f"; bevillinger med {of} de seneste 12 måneder ({', '.join(served)})"
            if served
            else f"; ingen bevillinger med {'temaet' if len(themes) == 1 else 'temaerne'} ({', '.join(themes)}) de seneste 12 måneder"
        )
    record = (
        f"leveringsgrad {percent(r.delivery_ratio, 0)}" + ("" if r.delivers else " (uden for 90–110 %)")
        if pd.notna(r.delivery_ratio)
        else "ingen leveringshistorik"
    )
    record += f" og dokumentation i {percent(r.coverage, 0)} af ugerne de seneste 12 måneder" if pd.notna(r.coverage) else ""
    count = "<5" if small_cells and 0 < r.same_target_group < 5 else str(r.same_target_group)
    group = f"; {count} borgere i målgruppen {target_group}" if target_group else ""
    return f"{level}{content}; {record}{group}."


def price_benchmark(
    ws: Workspace,
    period: str | Period,
    by: str | list[str] | tuple[str, ...] = ("paragraph", "rate_level"),
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Per provider and group (`by`, default paragraph and rate level): the implied price per ordered hour (Σ cost /
    Σ ordered hours, contract §2) beside the group's providers, median and quartiles, the ratio to the median, a rank
    (1 = dearest) only in groups of at least `price_peer_min_providers` providers (smaller ones are shown, not ranked),
    the order-days left out (no cost, or no hours per week), and the cost model's price per ordered hour where the data
    folder has a model (else missing)."""
    from bitanalysis.bit.price import price_benchmark as bench

    p, s = as_period(period), settings_of(ws, settings)
    return bench(ws, match(ws, p, s), _by(by), s)
