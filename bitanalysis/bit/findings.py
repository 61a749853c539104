"""Findings (contract §3): every mismatch of need, intervention and rate, with its direction and the DKK at stake."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.deliveries import delivered_by_day, delivery_status
from bitanalysis.bit.match import costs, order_month_costs, segment_cost, settings_of
from bitanalysis.bit.price import above_peers, against_model
from bitanalysis.bit.rates import daily_cost, in_band, rate_segments
from bitanalysis.core.danish import kr, number
from bitanalysis.core.intervals import days
from bitanalysis.core.parse import text_key
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

#: Finding type → its direction (contract §3).
DIRECTION = {
    "under_delivery": "over",
    "over_delivery": "under",
    "missing_evidence": "unknown",
    "rate_above_order": "over",
    "order_above_rate": "under",
    "addon_unsupported": "over",
    "double_payment": "over",
    "need_not_covered": "under",
    "order_without_need": "over",
    "stale_assessment": "unknown",
    "documentation_without_order": "unknown",
    "rate_missing": "unknown",
    "hours_missing": "unknown",
    "tasks_not_summing": "unknown",
    "task_without_need": "over",
    "need_without_task": "under",
    "price_above_peers": "over",
    "price_above_model": "over",
    "price_below_model": "under",
}


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


def latest_levels(assessments: pd.DataFrame, p: Period) -> pd.DataFrame:
    """Per citizen and theme (case and spacing ignored), the latest assessment row on or before the period's last day."""
    a = assessments[assessments["assessed_on"] <= p.end].assign(theme_key=lambda f: text_key(f["theme"]))
    a = a.sort_values(["citizen_id", "theme_key", "assessed_on", "source_row"], na_position="first")
    return a.drop_duplicates(["citizen_id", "theme_key"], keep="last")[["citizen_id", "theme", "theme_key", "level", "assessed_on"]]


def _rows(kind: str, frame: pd.DataFrame, dkk: pd.Series | float, evidence: pd.Series, detail: pd.Series | None = None) -> pd.DataFrame:
    """Finding rows of one type from a frame with citizen_id (and order_id, provider_id where they apply); `detail` tells
    apart the rows of one type with the same citizen, order and provider (the theme, the other order of a pair)."""
    out = pd.DataFrame(
        {
            "type": kind,
            "citizen_id": frame["citizen_id"].to_numpy(),
            "order_id": frame["order_id"].to_numpy() if "order_id" in frame else None,
            "provider_id": frame["provider_id"].to_numpy() if "provider_id" in frame else None,
            "direction": DIRECTION[kind],
            "dkk_at_stake": pd.Series(dkk, index=frame.index, dtype="float64").to_numpy(),
            "evidence": pd.Series(evidence, index=frame.index).to_numpy(),
            "_detail": detail.to_numpy() if detail is not None else None,
        }
    )
    return out


def _hours(h: float) -> str:
    return number(h, 1)


def delivery_findings(o: pd.DataFrame, s: Settings, with_delivery: set) -> list[pd.DataFrame]:
    """under_delivery, over_delivery, missing_evidence and addon_unsupported."""
    under = o[o["delivery_ratio"] < s.under_delivery_ratio]
    over = o[o["delivery_ratio"] > s.over_delivery_ratio]
    missing = o[(o["active_days"] > 0) & ~o["order_id"].isin(with_delivery)]
    addon = o[o["is_addon"].fillna(False).astype(bool) & ((o["delivery_ratio"] < s.addon_min_ratio) | o["end_date"].isna())]

    def sizes(f: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [
                f"bestilt {_hours(a)} timer, leveret {_hours(b)} timer ({number(100 * r, 0)} %)"
                for a, b, r in zip(f["ordered_hours"], f["delivered_hours"], f["delivery_ratio"])
            ],
            index=f.index,
            dtype=object,
        )

    addon_why = pd.Series(
        np.where(addon["end_date"].isna(), "tillægget har ingen slutdato", "tillægget er kun leveret delvist"), index=addon.index
    )
    return [
        _rows(
            "under_delivery",
            under,
            (under["ordered_hours"] - under["delivered_hours"]) * under["implied_hourly_price"],
            "Leveret mindre end bestilt: " + sizes(under) + ".",
        ),
        _rows(
            "over_delivery",
            over,
            (over["delivered_hours"] - over["ordered_hours"]) * over["implied_hourly_price"],
            "Leveret mere end bestilt: " + sizes(over) + "; borgeren kan have brug for mere, end der er bevilget.",
        ),
        _rows(
            "missing_evidence",
            missing,
            missing["cost"],
            pd.Series(
                [
                    f"Ingen dokumentation af levering i perioden for en aktiv bevilling ({d} dage, {kr(c)})."
                    for d, c in zip(missing["active_days"], missing["cost"])
                ],
                index=missing.index,
                dtype=object,
            ),
        ),
        _rows("addon_unsupported", addon, addon["cost"], "Tillægsydelse: " + addon_why + "; " + sizes(addon) + "."),
    ]


def _own_bands(o: pd.DataFrame, months: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Each order with hours and the band of its level's rate row valid on its last active day in the period."""
    last = months.groupby("order_id")["seg_to"].max().rename("last_day")
    x = o[o["hours_per_week"].notna()].join(last, on="order_id")
    r = rate_segments(rates)[["provider_id", "rate_level", "valid_from", "valid_to", "min_hours_per_week", "max_hours_per_week"]]
    x = x.merge(r, on=["provider_id", "rate_level"])
    return x[(x["valid_from"] <= x["last_day"]) & (x["valid_to"] >= x["last_day"])].drop(columns=["valid_from", "valid_to"])


def _fitting_cost(low: pd.DataFrame, months: pd.DataFrame, rates: pd.DataFrame, by_day: pd.DataFrame | None) -> pd.DataFrame:
    """Per order: the cost of the dearest level of its provider whose band holds its hours, day by day (missing when a day
    has none), and the level that fits on its last active day."""
    if low.empty:
        return pd.DataFrame({"fit_cost": pd.Series(dtype="float64"), "fit_level": pd.Series(dtype=object)}, index=low.index)
    seg = months.loc[months["order_id"].isin(low["order_id"]), ["order_id", "provider_id", "hours_per_week", "seg_from", "seg_to"]]
    day = days(seg, "seg_from", "seg_to").drop(columns=["seg_from", "seg_to"])
    r = rate_segments(rates)
    c = day.merge(r, on="provider_id")
    c = c[(c["valid_from"] <= c["date"]) & (c["valid_to"] >= c["date"])]
    c = c[in_band(c["hours_per_week"], c["min_hours_per_week"], c["max_hours_per_week"])].copy()
    c["daily"] = daily_cost(c["unit"], c["amount"], c["hours_per_week"], c["date"])
    if by_day is not None:  # hourly rates billed on the documented hours of the day, as the order's own cost
        minutes = c[["order_id", "date"]].merge(by_day, on=["order_id", "date"], how="left")["minutes"].fillna(0.0).to_numpy()
        c["daily"] = c["daily"].mask(c["unit"] == "hour", c["amount"] * minutes / 60)
    best = c.sort_values(["daily", "rate_level"]).drop_duplicates(["order_id", "date"], keep="last")
    covered = best.groupby("order_id").size().reindex(low["order_id"]).fillna(0)
    total = best.groupby("order_id")["daily"].sum(min_count=1).reindex(low["order_id"])
    needed = day.groupby("order_id").size().reindex(low["order_id"]).fillna(0)
    level = best.sort_values("date").drop_duplicates("order_id", keep="last").set_index("order_id")["rate_level"]
    return pd.DataFrame(
        {"fit_cost": total.where(covered == needed).to_numpy(), "fit_level": level.reindex(low["order_id"]).to_numpy()}, index=low.index
    )


def band_findings(o: pd.DataFrame, months: pd.DataFrame, ws: Workspace, p: Period, by_day: pd.DataFrame | None) -> list[pd.DataFrame]:
    """rate_above_order (against the cost of the dearest fitting level) and order_above_rate (contract §3, §2.1)."""
    if o["hours_per_week"].notna().sum() == 0:
        return []
    b = _own_bands(o, months, ws.rates)
    low = b[b["hours_per_week"] < b["min_hours_per_week"]].copy()
    high = b[b["hours_per_week"] > b["max_hours_per_week"]]
    low = low.join(_fitting_cost(low, months, ws.rates, by_day))
    dkk = low["cost"] - low["fit_cost"].astype("float64")
    low_text = pd.Series(
        [
            f"Bevilget {_hours(h)} timer/uge, men takstniveau '{lvl}' forudsætter mindst {_hours(mn)} timer/uge"
            + (f"; niveau '{f}' dækker {_hours(h)} timer/uge" if isinstance(f, str) else "; intet niveau hos tilbuddet dækker timetallet")
            + ("." if pd.notna(c) or not isinstance(f, str) else ", men ikke på alle dage i perioden.")
            for h, lvl, mn, f, c in zip(
                low["hours_per_week"], low["rate_level"], low["min_hours_per_week"], low["fit_level"], low["fit_cost"]
            )
        ],
        index=low.index,
        dtype=object,
    )
    high_text = pd.Series(
        [
            f"Bevilget {_hours(h)} timer/uge, men takstniveau '{lvl}' dækker højst {_hours(mx)} timer/uge; "
            "borgeren kan være indplaceret for lavt."
            for h, lvl, mx in zip(high["hours_per_week"], high["rate_level"], high["max_hours_per_week"])
        ],
        index=high.index,
        dtype=object,
    )
    return [_rows("rate_above_order", low, dkk, low_text), _rows("order_above_rate", high, np.nan, high_text)]


def _has_items(value: object) -> bool:
    """A rate row's `includes` names at least one service (a list or array; missing or empty names none)."""
    return not isinstance(value, str) and hasattr(value, "__len__") and len(value) > 0


def double_payment(months: pd.DataFrame, ws: Workspace, by_day: pd.DataFrame | None) -> pd.DataFrame:
    """Orders whose service is already inside the rate of another order of the citizen on the same days."""
    if not months.duplicated(["citizen_id", "month"]).any() or not ws.rates["includes"].map(_has_items).any():
        return _rows("double_payment", months.iloc[:0], np.nan, pd.Series([], dtype=object))  # no pair, or no rate includes
    cols = ["order_id", "citizen_id", "month", "seg_from", "seg_to", "service", "provider_id", "rate_level", "hours_per_week"]
    pairs = months[cols].merge(months[cols], on=["citizen_id", "month"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["order_id_a"] != pairs["order_id_b"]].copy()
    pairs["seg_from"] = pairs[["seg_from_a", "seg_from_b"]].max(axis=1)
    pairs["seg_to"] = pairs[["seg_to_a", "seg_to_b"]].min(axis=1)
    # the rate rows of order a on the shared days, one row per service they include
    inc = rate_segments(ws.rates)[["provider_id", "rate_level", "valid_from", "valid_to", "includes"]].explode("includes")
    inc = inc.rename(columns={"provider_id": "provider_id_a", "rate_level": "rate_level_a"}).dropna(subset=["includes"])
    inc["service_key"] = text_key(inc["includes"]).to_numpy()
    pairs["service_key"] = text_key(pairs["service_b"])
    pairs = pairs.merge(inc.drop(columns=["includes"]), on=["provider_id_a", "rate_level_a", "service_key"])
    pairs["seg_from"] = pairs[["seg_from", "valid_from"]].max(axis=1)
    pairs["seg_to"] = pairs[["seg_to", "valid_to"]].min(axis=1)
    pairs = pairs[pairs["seg_to"] >= pairs["seg_from"]].drop_duplicates(["order_id_a", "order_id_b", "seg_from"]).reset_index(drop=True)
    seg = pairs.rename(
        columns={
            "provider_id_b": "provider_id",
            "rate_level_b": "rate_level",
            "hours_per_week_b": "hours_per_week",
            "order_id_b": "order_id",
        }
    )
    keys = seg[["provider_id", "rate_level", "hours_per_week", "seg_from", "seg_to", "order_id"]]
    pairs["cost"] = segment_cost(keys, ws.rates, by_day, "delivered" if by_day is not None else "ordered")["cost"]
    pairs["days"] = (pairs["seg_to"] - pairs["seg_from"]).dt.days + 1
    g = pairs.groupby(["order_id_b", "order_id_a"], as_index=False).agg(
        citizen_id=("citizen_id", "first"),
        provider_id=("provider_id_b", "first"),
        service=("service_b", "first"),
        days=("days", "sum"),
        cost=("cost", lambda c: c.sum() if c.notna().all() else np.nan),
    )
    g = g.rename(columns={"order_id_b": "order_id"})
    text = pd.Series(
        [
            f"Ydelsen '{svc}' købes separat, men er indeholdt i taksten for bevilling {a} i {d} dage."
            for svc, a, d in zip(g["service"], g["order_id_a"], g["days"])
        ],
        index=g.index,
        dtype=object,
    )
    return _rows("double_payment", g, g["cost"], text, detail=g["order_id_a"])


def need_findings(o: pd.DataFrame, ws: Workspace, p: Period, s: Settings) -> list[pd.DataFrame]:
    """need_not_covered, order_without_need and stale_assessment."""
    latest = latest_levels(ws.assessments, p)
    citizens = o["citizen_id"].unique()
    themes = o[["order_id", "citizen_id", "themes"]].explode("themes").dropna(subset=["themes"])
    themes = themes.assign(theme_key=text_key(themes["themes"])).drop(columns=["themes"])
    needs = latest[latest["citizen_id"].isin(citizens) & (latest["level"] >= s.uncovered_need_level).fillna(False)]
    gap = needs.merge(themes[["citizen_id", "theme_key"]].drop_duplicates(), how="left", indicator=True)
    gap = gap[gap["_merge"] == "left_only"]
    gap_text = pd.Series(
        [
            f"Temaet '{t}' er vurderet til niveau {lvl} ({d:%d-%m-%Y}), men ingen aktiv bevilling dækker det."
            for t, lvl, d in zip(gap["theme"], gap["level"], gap["assessed_on"])
        ],
        index=gap.index,
        dtype=object,
    )
    supported = latest[(latest["level"] >= s.supporting_need_level).fillna(False)][["citizen_id", "theme_key"]]
    with_need = themes.merge(supported, on=["citizen_id", "theme_key"])["order_id"]
    unneeded = o[o["citizen_id"].isin(latest["citizen_id"].unique()) & ~o["order_id"].isin(with_need.unique())]
    unneeded_text = pd.Series(
        [
            f"Ingen af bevillingens temaer ({', '.join(t) or 'ingen angivet'}) har et vurderet behov "
            f"på niveau {s.supporting_need_level} eller mere."
            for t in unneeded["themes"]
        ],
        index=unneeded.index,
        dtype=object,
    )
    last = latest.groupby("citizen_id")["assessed_on"].max().reindex(citizens).reset_index(drop=True)
    age = (p.end - last).dt.days
    stale = pd.DataFrame({"citizen_id": citizens, "last": last})[(age > s.stale_after_days) | age.isna()]
    stale_text = pd.Series(
        [
            f"Seneste udredning er fra {d:%d-%m-%Y}, mere end {s.stale_after_days} dage før periodens slutning."
            if pd.notna(d)
            else "Borgeren har en aktiv bevilling, men ingen udredning."
            for d in stale["last"]
        ],
        index=stale.index,
        dtype=object,
    )
    return [
        _rows("need_not_covered", gap, np.nan, gap_text, detail=gap["theme_key"]),
        _rows("order_without_need", unneeded, unneeded["cost"], unneeded_text),
        _rows("stale_assessment", stale, np.nan, stale_text),
    ]


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


def price_findings(o: pd.DataFrame, months: pd.DataFrame, ws: Workspace, s: Settings) -> list[pd.DataFrame]:
    """price_above_peers, price_above_model and price_below_model: is the price right for the hours (see `_price`)."""
    peers = above_peers(o, months, s)
    high, low = against_model(o, months, ws, s)
    return [
        _rows("price_above_peers", peers, peers["dkk"], peers["text"]),
        _rows("price_above_model", high, high["dkk"], high["text"]),
        _rows("price_below_model", low, low["dkk"], low["text"]),
    ]


def documentation_without_order(status: pd.DataFrame) -> pd.DataFrame:
    """One finding per citizen and provider with delivery rows that match no order (from `delivery_status`)."""
    g = status[status["status"] == "unmatched"].reset_index(drop=True)
    text = pd.Series(
        [
            f"{n} dokumentationsrækker ({_hours(m / 60)} timer) uden en aktiv bevilling hos tilbuddet."
            for n, m in zip(g["rows"], g["minutes"])
        ],
        index=g.index,
        dtype=object,
    )
    return _rows("documentation_without_order", g, np.nan, text)


def cost_gaps(o: pd.DataFrame) -> list[pd.DataFrame]:
    """rate_missing (days without a valid rate) and hours_missing (an hourly rate on an order without hours, §2.1)."""
    gaps = o[o["days_without_rate"] > 0]
    gap_text = pd.Series(
        [
            f"Ingen gyldig takst for niveau '{lvl}' i {d} af {a} dage."
            for lvl, d, a in zip(gaps["rate_level"], gaps["days_without_rate"], gaps["active_days"])
        ],
        index=gaps.index,
        dtype=object,
    )
    hourly = o[o["hours_missing"].astype(bool)]
    hourly_text = pd.Series(
        [
            f"Niveau '{lvl}' har en timetakst, men bevillingen angiver ingen timer pr. uge; udgiften kan ikke opgøres."
            for lvl in hourly["rate_level"]
        ],
        index=hourly.index,
        dtype=object,
    )
    return [_rows("rate_missing", gaps, np.nan, gap_text), _rows("hours_missing", hourly, np.nan, hourly_text)]


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
