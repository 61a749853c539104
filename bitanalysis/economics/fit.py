"""fit: which provider fits a citizen or a need profile — each provider's record over the last 12 months (delivery
ratio, documentation coverage), its fitting rate level and annual cost, the need themes it has served, and the
ranking with a Danish reason."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day
from bitanalysis.bit.match import match, settings_of
from bitanalysis.bit.rates import annual_cost, in_band, rate_segments
from bitanalysis.core.danish import kr, number, percent
from bitanalysis.core.intervals import order_months, week_number, weeks
from bitanalysis.core.period import parse_day
from bitanalysis.core.period import period as as_period
from bitanalysis.core.privacy import SMALL
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace


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
    count = f"<{SMALL}" if small_cells and 0 < r.same_target_group < SMALL else str(r.same_target_group)
    group = f"; {count} borgere i målgruppen {target_group}" if target_group else ""
    return f"{level}{content}; {record}{group}."
