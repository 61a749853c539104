"""The task description (opgavebeskrivelse) of an order or a citizen, in the BIT columns, for the dialogue with a provider.

`task_description(ws, who, period)` gathers, per order (one order, or each order a citizen has active in the period):

- **B – Behov:** the citizen's latest assessment per theme on or before the period's last day (level and date);
- **I – Indsats:** the order (paragraph, service, hours per week), its task list per theme with time and goal, and per
  task what was expected and documented in the 12 months ending with the period (`task_delivery`), beside the order's
  ordered and delivered hours (the match);
- **T – Takst:** the rate level on the order's last active day in the period, its hour band, what the rate includes, and
  the price per ordered hour in the period (contract §2: cost / ordered hours);
- the period's findings on the order and its citizen, and the providers that fit the task (`economics.provider_fit` on
  the task list's time, the citizen's target group, the order's paragraph and the task list's themes), each with why.

Everything is pseudonymous: the citizen is its pseudonym; task texts and goals are the authority's own text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from bitanalysis.core.danish import day, kr, number, percent
from bitanalysis.core.errors import InputError
from bitanalysis.bit.findings import findings
from bitanalysis.bit.need_findings import latest_levels
from bitanalysis.core.intervals import OPEN_END, order_months
from bitanalysis.bit.match import match, settings_of
from bitanalysis.core.parse import text_key
from bitanalysis.core.period import Period, trailing
from bitanalysis.core.period import period as as_period
from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.bit.rates import annual_cost, in_band, rate_segments
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace
from bitanalysis.core.period import period_name

#: Funktionsevneniveau 0-4 in words (FFB).
LEVEL_NAMES = {0: "Ingen", 1: "Let", 2: "Moderat", 3: "Svært", 4: "Fuldstændigt"}
#: The providers shown per order (the order's own provider is shown too, wherever it ranks).
TOP_PROVIDERS = 10
#: What a row of `TaskDescription.delivered` is: a task of the list, documentation for no task, or the whole order.
ROW_TASK, ROW_OTHER, ROW_ORDER = "task", "other", "order"


class TaskDescriptionError(InputError):
    """The order or citizen asked for is not in the data (or has nothing in the period); the message says how to find one."""


@dataclass
class TaskDescription:
    """The task description of `who` (an order id or a citizen's pseudonym) for `period`: one frame per part, each with
    `order_id` where it is per order, so a citizen with several orders has a section per order (`section(order_id)`)."""

    who: str
    kind: str  # "order" or "citizen"
    citizen_id: str
    period: Period
    window: Period  # the 12 months ending with the period's last month: what was delivered
    orders: pd.DataFrame  # one row per order: the order, its task list's count and time, the hours the provider fit uses
    needs: pd.DataFrame  # B: the citizen's latest assessment per theme (level, level_name, level_text, assessed_on)
    themes: pd.DataFrame  # per order and theme: B (level, date) beside I (the order's theme, its tasks and their minutes)
    tasks: pd.DataFrame  # I: the task list (theme, task, minutes and hours per week, goal)
    delivered: pd.DataFrame  # I: per task (row "task"), documentation for no task ("other"), the order ("order"), 12 months
    rates: pd.DataFrame  # T: per order the rate row, its band, what it includes, cost and price per ordered hour (and in words)
    findings: pd.DataFrame  # the period's findings on the orders and their citizen
    providers: pd.DataFrame  # per order the providers ranked by `economics.provider_fit`, with `reason` and `current`
    overview: pd.DataFrame  # per order the BIT model: rows size and content, columns B, I and T, as sentences

    def section(self, order_id: str) -> TaskDescription:
        """The same description for one of its orders (the citizen's needs and findings without an order stay)."""

        def only(frame: pd.DataFrame) -> pd.DataFrame:
            keep = frame["order_id"] == order_id
            if frame is self.findings:
                keep = keep | frame["order_id"].isna()
            return frame[keep.fillna(False).astype(bool)].reset_index(drop=True)

        parts = ("orders", "themes", "tasks", "delivered", "rates", "findings", "providers", "overview")
        return replace(self, **{name: only(getattr(self, name)) for name in parts})


# --- who ----------------------------------------------------------------------------------------------------------


def resolve(ws: Workspace, who: str, period: str | Period) -> tuple[str, str, list[str]]:
    """What `who` is: ("order", its citizen, [the order]) or ("citizen", the citizen, its orders active in the period, by
    start date). Anything else raises `TaskDescriptionError` with a Danish message saying how to find a valid id."""
    p = as_period(period)
    text = str(who).strip()
    orders = ws.orders
    if CPR_PATTERN.search(text):
        raise TaskDescriptionError(
            "Angiv borgeren med sit pseudonym (B- og 12 tegn, som rapporterne viser det), aldrig med CPR-nummeret; "
            f"eller angiv bevillingens id. {_how_to_find(ws, p)}"
        )
    hit = orders[orders["order_id"] == text]
    if len(hit):
        return "order", str(hit["citizen_id"].iloc[0]), [text]
    mine = orders[orders["citizen_id"] == text]
    if len(mine) or (ws.citizens["citizen_id"] == text).any():
        active = order_months(mine, p.start, p.end)
        ids = mine[mine["order_id"].isin(active["order_id"])].sort_values(["start_date", "order_id"])["order_id"].tolist()
        if not ids:
            listed = ", ".join(
                f"{r.order_id} ({day(r.start_date)}–{day(r.end_date) or 'åben'})" for r in mine.sort_values("start_date").itertuples()
            )
            raise TaskDescriptionError(
                f"Borgeren {text} har ingen aktive bevillinger i {period_name(p)}"
                + (f"; borgerens bevillinger: {listed}. Angiv en af dem, eller en periode, hvor den er aktiv." if listed else ".")
            )
        return "citizen", text, ids
    near = difflib.get_close_matches(text, pd.concat([orders["order_id"], orders["citizen_id"]]).dropna().unique().tolist(), n=3)
    guess = f" Mente du {' eller '.join(near)}?" if near else ""
    raise TaskDescriptionError(f"'{text}' er hverken et bevillings-id eller en borgers pseudonym i data.{guess} {_how_to_find(ws, p)}")


def _how_to_find(ws: Workspace, p: Period) -> str:
    """Where valid ids are found, with a few orders of the period as examples (those with a task list first)."""
    active = order_months(ws.orders, p.start, p.end)["order_id"].drop_duplicates()
    listed = active[active.isin(ws.tasks["order_id"])]
    examples = pd.concat([listed, active[~active.isin(listed)]]).head(3).tolist()
    shown = f" Aktive bevillinger i {period_name(p)} er fx {', '.join(examples)}." if examples else ""
    return (
        "Bevillings-id'er står i bevillingseksporten og i kolonnen order_id af "
        f"'bitanalysis match --period {p.label} --out match.csv' (borgernes pseudonymer i kolonnen citizen_id), "
        f"og begge i fundrapporten ('bitanalysis report findings --period {p.label}').{shown}"
    )


# --- the parts ----------------------------------------------------------------------------------------------------


def task_description(
    ws: Workspace, who: str, period: str | Period, *, top: int = TOP_PROVIDERS, settings: Settings | None = None
) -> TaskDescription:
    """The task description of an order id or a citizen's pseudonym (each of its orders active in the period) for a
    period; see the module's docstring. `top`: the providers shown per order (besides the order's own)."""
    p, s = as_period(period), settings_of(ws, settings)
    kind, citizen_id, order_ids = resolve(ws, who, p)
    window = trailing(p, 12)
    tasks = _tasks(ws, order_ids)
    orders = _orders(ws, order_ids, citizen_id, p, tasks)
    needs = _needs(ws, citizen_id, p)
    delivered = _delivered(ws, order_ids, window, tasks)
    rates = _rates(ws, orders, p, s)
    found = findings(ws, p, s)
    found = found[found["order_id"].isin(order_ids) | ((found["citizen_id"] == citizen_id) & found["order_id"].isna())]
    fit = _providers(ws, orders, tasks, p, s, top)
    themes = _themes(orders, needs, tasks)
    overview = _overview(orders, needs, themes, delivered, rates, s)
    return TaskDescription(
        who=str(who).strip(),
        kind=kind,
        citizen_id=citizen_id,
        period=p,
        window=window,
        orders=orders,
        needs=needs,
        themes=themes,
        tasks=tasks,
        delivered=delivered,
        rates=rates,
        findings=found.reset_index(drop=True),
        providers=fit,
        overview=overview,
    )


def _tasks(ws: Workspace, order_ids: list[str]) -> pd.DataFrame:
    """The orders' task lists in the export's order: theme, task, minutes and hours per week, goal."""
    t = ws.tasks[ws.tasks["order_id"].isin(order_ids)].copy()
    t["_order"] = t["order_id"].map({o: i for i, o in enumerate(order_ids)})
    t = t.sort_values(["_order", "source_row"] if "source_row" in t else ["_order"], kind="stable")
    t["hours_per_week"] = t["minutes_per_week"] / 60
    columns = ["order_id", "theme", "task", "minutes_per_week", "hours_per_week", "goal"]
    return t.reindex(columns=columns).reset_index(drop=True)


def _orders(ws: Workspace, order_ids: list[str], citizen_id: str, p: Period, tasks: pd.DataFrame) -> pd.DataFrame:
    """The orders with their days in the period, the citizen's target group, their task list's count and time, and the
    hours per week the provider fit uses: the task list's time where every task has one, else the order's hours."""
    o = ws.orders.set_index("order_id").loc[order_ids].reset_index()
    active = order_months(o, p.start, p.end).groupby("order_id")["active_days"].sum()
    o["active_days"] = o["order_id"].map(active).fillna(0).astype(int)
    tg = ws.citizens.loc[ws.citizens["citizen_id"] == citizen_id, "target_group"].dropna()  # as provider_fit counts them
    o["target_group"] = tg.iloc[0] if len(tg) else o["target_group"]
    g = tasks.groupby("order_id")["minutes_per_week"]
    o["tasks"] = o["order_id"].map(g.size()).fillna(0).astype(int)
    timed = g.count() == g.size()
    o["task_minutes"] = o["order_id"].map(g.sum(min_count=1).where(timed))
    o["task_hours_per_week"] = o["task_minutes"] / 60
    from_tasks = o["task_hours_per_week"].notna()
    o["fit_hours_per_week"] = o["task_hours_per_week"].where(from_tasks, o["hours_per_week"])
    o["fit_hours_source"] = np.where(from_tasks, "tasks", np.where(o["hours_per_week"].notna(), "order", "none"))
    columns = [
        "order_id",
        "citizen_id",
        "provider_id",
        "provider_name",
        "paragraph",
        "service",
        "themes",
        "start_date",
        "end_date",
        "hours_per_week",
        "rate_level",
        "is_addon",
        "target_group",
        "active_days",
        "tasks",
        "task_minutes",
        "task_hours_per_week",
        "fit_hours_per_week",
        "fit_hours_source",
    ]
    return o.reindex(columns=columns)


def _needs(ws: Workspace, citizen_id: str, p: Period) -> pd.DataFrame:
    """B: the citizen's latest assessment per theme on or before the period's last day, highest level first."""
    latest = latest_levels(ws.assessments[ws.assessments["citizen_id"] == citizen_id], p)
    out = latest.assign(level_name=latest["level"].map(lambda v: LEVEL_NAMES.get(int(v)) if pd.notna(v) else "Ikke vurderet"))
    out = out.sort_values(["level", "theme"], ascending=[False, True], na_position="last")
    out["level_text"] = [level_text(v, n) for v, n in zip(out["level"], out["level_name"])]
    return out[["citizen_id", "theme", "theme_key", "level", "level_name", "level_text", "assessed_on"]].reset_index(drop=True)


def _themes(orders: pd.DataFrame, needs: pd.DataFrame, tasks: pd.DataFrame) -> pd.DataFrame:
    """Per order, every theme the citizen is assessed on, the order names or its tasks address: the latest level and
    its date (B) beside whether the order names the theme and the tasks and minutes per week under it (I)."""
    rows = []
    for o in orders.itertuples():
        own = [str(t) for t in (o.themes if isinstance(o.themes, list | np.ndarray) else [])]
        mine = tasks[tasks["order_id"] == o.order_id]
        names = dict(zip(text_key(pd.Series(own, dtype="string")), own))
        names |= dict(zip(text_key(mine["theme"]), mine["theme"]))
        names |= dict(zip(needs["theme_key"], needs["theme"]))  # the assessment's spelling wins
        per_theme = mine.assign(key=text_key(mine["theme"])).groupby("key")["minutes_per_week"]
        own_keys = set(text_key(pd.Series(own, dtype="string")))
        for key, theme in names.items():
            need = needs[needs["theme_key"] == key]
            rows.append(
                {
                    "order_id": o.order_id,
                    "theme": theme,
                    "level": need["level"].iloc[0] if len(need) else pd.NA,
                    "level_name": need["level_name"].iloc[0] if len(need) else None,
                    "assessed_on": need["assessed_on"].iloc[0] if len(need) else pd.NaT,
                    "in_order": key in own_keys,
                    "tasks": int(per_theme.size().get(key, 0)),
                    "minutes_per_week": per_theme.sum(min_count=1).get(key, np.nan),
                }
            )
    columns = ["order_id", "theme", "level", "level_name", "assessed_on", "in_order", "tasks", "minutes_per_week"]
    out = pd.DataFrame(rows, columns=columns).astype({"level": "Int64", "tasks": int, "minutes_per_week": float, "in_order": bool})
    out["assessed_on"] = pd.to_datetime(out["assessed_on"])
    out["level_text"] = [level_text(v, n) for v, n in zip(out["level"], out["level_name"])]
    out["_order"] = out["order_id"].map({o: i for i, o in enumerate(orders["order_id"])})
    out = out.sort_values(["_order", "level", "tasks", "theme"], ascending=[True, False, False, True], na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)


def _delivered(ws: Workspace, order_ids: list[str], window: Period, tasks: pd.DataFrame) -> pd.DataFrame:
    """I over the 12 months: per task its expected hours (minutes per week × active days / 7 / 60) and the documented
    hours that name it, the documented hours that name no task of the list, and the order's ordered and delivered hours
    (the match). The task rows (in the list's order) and the row for no task add up to the order's delivered hours."""
    from bitanalysis.bit.tasks import task_delivery

    columns = ["order_id", "row", "theme", "task", "minutes_per_week", "months", "expected_hours", "delivered_hours", "delivery_ratio"]
    m = match(ws, window)
    m = m[m["order_id"].isin(order_ids)]
    if m.empty:
        return pd.DataFrame(columns=columns)
    td = task_delivery(ws, window)
    td = td[td["order_id"].isin(order_ids)]
    listed = set(ws.tasks.loc[ws.tasks["order_id"].isin(order_ids), "order_id"])
    keys = ["order_id", "theme", "task"]
    per_task = td.groupby(keys, dropna=False, sort=False).agg(
        minutes_per_week=("minutes_per_week", "first"),
        months=("month", "nunique"),
        expected_hours=("expected_hours", lambda v: v.sum(min_count=1) if v.notna().all() else np.nan),
        delivered_hours=("delivered_hours", "sum"),
    )
    per_task = per_task.reset_index()
    per_task["row"] = np.where(per_task["task"].notna(), ROW_TASK, ROW_OTHER)
    per_task.loc[per_task["row"] == ROW_OTHER, "expected_hours"] = np.nan
    per_task = per_task[(per_task["row"] == ROW_TASK) | per_task["order_id"].isin(listed)]  # no list: the order row says it
    g = m.groupby("order_id", sort=False)
    total = pd.DataFrame(
        {
            "months": g["month"].nunique(),
            "expected_hours": g["ordered_hours"].sum(min_count=1),
            "delivered_hours": g["delivered_hours"].sum(),
        }
    ).reset_index()
    total["row"], total["theme"], total["task"], total["minutes_per_week"] = ROW_ORDER, pd.NA, pd.NA, np.nan
    out = pd.concat([per_task, total], ignore_index=True)
    out["delivery_ratio"] = out["delivered_hours"] / out["expected_hours"].where(out["expected_hours"] > 0)
    out["_order"] = out["order_id"].map({o: i for i, o in enumerate(order_ids)})
    out["_row"] = out["row"].map({ROW_TASK: 0, ROW_OTHER: 1, ROW_ORDER: 2})
    listed_at = {(o, k): i for i, (o, k) in enumerate(zip(tasks["order_id"], text_key(tasks["task"])))}
    out["_task"] = [listed_at.get((o, k), 0) for o, k in zip(out["order_id"], text_key(out["task"].astype("string")).fillna(""))]
    out = out.sort_values(["_order", "_row", "_task"], kind="stable")
    return out[columns].astype({"theme": "string", "task": "string"}).reset_index(drop=True)


RATE_COLUMNS = ["label", "unit", "amount", "valid_from", "valid_to", "min_hours_per_week", "max_hours_per_week", "includes"]


def _rates(ws: Workspace, orders: pd.DataFrame, p: Period, s: Settings) -> pd.DataFrame:
    """T per order: the rate row of its level valid on its last active day in the period (its first day where it starts
    later), whether the band holds the order's hours, the provider's levels that do, the annual cost at those hours, and
    the period's cost, ordered hours and price per ordered hour (cost / ordered hours; missing when a month's cost is),
    with the band, unit and price in Danish words (`band_text`, `unit_text`, `price_text`)."""
    segments, m = rate_segments(ws.rates), match(ws, p, s)
    rows = [{**_rate_on(segments, o, p), **_period_cost(m[m["order_id"] == o.order_id])} for o in orders.itertuples()]
    out = pd.DataFrame(rows)
    out["band_text"] = [band_text(lo, hi) for lo, hi in zip(out["min_hours_per_week"], out["max_hours_per_week"])]
    out["unit_text"] = out["unit"].map(unit_text)
    out["price_text"] = [price_text(r) for _, r in out.iterrows()]
    return out


def _rate_on(segments: pd.DataFrame, o, p: Period) -> dict:
    """The order's rate row on its last active day in the period, its band against the order's hours, the provider's
    levels that hold those hours that day, and the cost of a whole year at them."""
    on = max(min(p.end, o.end_date if pd.notna(o.end_date) else OPEN_END), o.start_date)
    valid = segments[(segments["provider_id"] == o.provider_id) & (segments["valid_from"] <= on) & (segments["valid_to"] >= on)]
    row, hours = valid[valid["rate_level"] == o.rate_level].head(1), o.hours_per_week
    no_hours = pd.Series(False, index=valid.index)
    holds = in_band(hours, valid["min_hours_per_week"], valid["max_hours_per_week"]) if pd.notna(hours) else no_hours
    out = {"order_id": o.order_id, "provider_id": o.provider_id, "rate_level": o.rate_level, "rate_on": on, "found": len(row) == 1}
    out |= {c: row[c].iloc[0] if len(row) and c in row else None for c in RATE_COLUMNS}
    out["valid_to"] = out["valid_to"] if out["valid_to"] is not None and out["valid_to"] < OPEN_END else pd.NaT
    out["includes"] = [str(i) for i in out["includes"]] if isinstance(out["includes"], list | np.ndarray) else []
    has_band = len(row) and (row["min_hours_per_week"].notna() | row["max_hours_per_week"].notna()).iloc[0]
    out["hours_per_week"] = hours
    out["in_band"] = bool(holds[row.index].iloc[0]) if has_band and pd.notna(hours) else None
    out["fitting_levels"] = sorted(valid.loc[holds, "rate_level"].astype(str).unique().tolist())
    out["annual_cost"] = float(annual_cost(row["unit"], row["amount"], hours, on.year).iloc[0]) if len(row) else np.nan  # hourly: hours
    return out


def _period_cost(months: pd.DataFrame) -> dict:
    """An order's match rows of the period summed: active days, days without a rate, cost (missing when a month's is),
    ordered hours and the price per ordered hour (contract §2: cost / ordered hours)."""
    cost = months["cost"].sum() if len(months) and months["cost"].notna().all() else np.nan
    ordered = months["ordered_hours"].sum(min_count=1)
    return {
        "active_days": int(months["active_days"].sum()),
        "days_without_rate": int(months["days_without_rate"].sum()),
        "cost": cost,
        "ordered_hours": ordered,
        "implied_hourly_price": cost / ordered if pd.notna(ordered) and ordered > 0 else np.nan,
    }


def _providers(ws: Workspace, orders: pd.DataFrame, tasks: pd.DataFrame, p: Period, s: Settings, top: int) -> pd.DataFrame:
    """Per order, the providers ranked for its task (`economics.provider_fit`): the task list's time (else the order's
    hours), the citizen's target group, the order's paragraph and the themes of its task list (else its own), as of the
    period's last day; the first `top` and the order's own provider (`current`)."""
    from bitanalysis.economics import provider_fit

    frames = []
    for o in orders.itertuples():
        if pd.isna(o.fit_hours_per_week):
            continue
        listed = tasks.loc[tasks["order_id"] == o.order_id, "theme"].dropna().astype(str).tolist()
        own = [str(t) for t in (o.themes if isinstance(o.themes, list | np.ndarray) else [])]
        themes = list(dict.fromkeys(listed or own))
        fit = provider_fit(
            ws,
            hours_per_week=float(o.fit_hours_per_week),
            target_group=o.target_group if isinstance(o.target_group, str) else None,
            paragraph=o.paragraph,
            themes=themes or None,
            as_of=p.end,
            settings=s,
            small_cells=True,
        )
        fit["current"] = fit["provider_id"] == o.provider_id
        frames.append(fit[(fit["rank"] <= top) | fit["current"]].assign(order_id=o.order_id))
    if not frames:
        return pd.DataFrame(columns=["order_id", "rank", "provider_id", "provider_name", "rate_level", "fits", "reason", "current"])
    out = pd.concat(frames, ignore_index=True)
    return out[["order_id", *[c for c in out.columns if c != "order_id"]]]


# --- the BIT model in sentences -----------------------------------------------------------------------------------


def band_text(low: float, high: float) -> str:
    """A level's hour band in words: '5–10 timer pr. uge', 'mindst 5 …', 'højst 10 …', or 'intet timebånd'."""
    if pd.notna(low) and pd.notna(high):
        return f"{number(low, 1)}–{number(high, 1)} timer pr. uge"
    if pd.notna(low):
        return f"mindst {number(low, 1)} timer pr. uge"
    if pd.notna(high):
        return f"højst {number(high, 1)} timer pr. uge"
    return "intet timebånd"


def level_text(level: object, name: object) -> str:
    """'3 (Svært)', or 'ikke vurderet'."""
    return f"{int(level)} ({name})" if pd.notna(level) else "ikke vurderet"  # type: ignore[call-overload]


def unit_text(unit: object) -> str:
    """'pr. døgn', 'pr. time', … for a rate unit."""
    from bitanalysis.present import UNIT

    return f"pr. {UNIT.get(str(unit), str(unit))}" if isinstance(unit, str) else ""


def price_text(rate: pd.Series) -> str:
    """The price per ordered hour in the period, or why it cannot be given."""
    if pd.notna(rate["implied_hourly_price"]):
        return kr(rate["implied_hourly_price"])
    if not rate["active_days"]:
        return "kan ikke opgøres (bevillingen er ikke aktiv i perioden)"
    if not (rate["ordered_hours"] > 0):
        return "kan ikke opgøres (bevillingen har intet timetal)"
    return "kan ikke opgøres (udgiften mangler for en del af perioden)"


def _overview(
    orders: pd.DataFrame, needs: pd.DataFrame, themes: pd.DataFrame, delivered: pd.DataFrame, rates: pd.DataFrame, s: Settings
) -> pd.DataFrame:
    """Per order the BIT model as Brorson draws it: the columns B, I and T, each with a size and a content, in sentences."""
    rows = []
    for o in orders.itertuples():
        rate = rates.set_index("order_id").loc[o.order_id]
        mine = themes[themes["order_id"] == o.order_id]
        total = delivered[(delivered["order_id"] == o.order_id) & (delivered["row"] == ROW_ORDER)]
        b_size, b_content = _need_sentences(needs, s)
        i_size = f"Bestilt {number(o.hours_per_week, 1)} timer pr. uge" if pd.notna(o.hours_per_week) else "Bevillingen har intet timetal"
        if o.tasks:
            time = (
                f"{number(o.task_minutes)} min. = {number(o.task_hours_per_week, 1)} timer pr. uge"
                if pd.notna(o.task_minutes)
                else "ikke alle har en tid"
            )
            i_size += f"; {o.tasks} opgaver: {time}"
        if len(total) and pd.notna(total["delivery_ratio"].iloc[0]):
            t = total.iloc[0]
            i_size += (
                f"; leveret de seneste 12 måneder: {percent(t['delivery_ratio'])} af det bestilte "
                f"({number(t['delivered_hours'], 1)} af {number(t['expected_hours'], 1)} timer)"
            )
        with_tasks = mine[mine["tasks"] > 0]
        if len(with_tasks):
            i_content = f"{o.service} ({o.paragraph}); opgaver under " + ", ".join(
                f"{r.theme} ({r.tasks})" for r in with_tasks.itertuples()
            )
        else:
            named = mine.loc[mine["in_order"], "theme"].tolist()
            i_content = f"{o.service} ({o.paragraph}); ingen indsatsliste" + (f"; bevillingens temaer: {', '.join(named)}" if named else "")
        if rate["found"]:
            band = band_text(rate["min_hours_per_week"], rate["max_hours_per_week"])
            t_size = f"Niveau '{o.rate_level}': {kr(rate['amount'])} {unit_text(rate['unit'])}; {band}"
            if rate["in_band"] is not None and pd.notna(o.hours_per_week):
                t_size += f" ({'rummer' if rate['in_band'] else 'rummer ikke'} {number(o.hours_per_week, 1)})"
            t_size += f"; pris pr. bestilt time {price_text(rate)}"
            includes = [str(i) for i in rate["includes"]]
            t_content = f"Taksten indeholder: {', '.join(includes)}" if includes else "Taksten angiver ikke, hvad den indeholder"
        else:
            t_size = f"Ingen takst for niveau '{o.rate_level}' hos tilbuddet pr. {day(rate['rate_on'])}"
            t_content = "–"
        rows.append({"order_id": o.order_id, "aspect": "Størrelse", "B": b_size, "I": i_size, "T": t_size})
        rows.append({"order_id": o.order_id, "aspect": "Indhold", "B": b_content, "I": i_content, "T": t_content})
    return pd.DataFrame(rows, columns=["order_id", "aspect", "B", "I", "T"])


def _need_sentences(needs: pd.DataFrame, s: Settings) -> tuple[str, str]:
    """B's size (the highest level, how many themes, the latest assessment) and content (the themes at the level that
    needs an intervention, contract §3's uncovered_need_level)."""
    assessed = needs[needs["level"].notna()]
    if assessed.empty:
        return "Ingen udredning", "–"
    top = assessed.iloc[0]
    size = (
        f"Højeste niveau {level_text(top['level'], top['level_name'])} i {top['theme']}; {len(assessed)} temaer vurderet, "
        f"seneste udredning {day(needs['assessed_on'].max())}"
    )
    high = assessed[assessed["level"] >= s.uncovered_need_level]
    content = (
        f"Temaer med niveau {s.uncovered_need_level} eller mere: " + ", ".join(f"{r.theme} ({int(r.level)})" for r in high.itertuples())
        if len(high)
        else f"Ingen temaer med niveau {s.uncovered_need_level} eller mere"
    )
    return size, content
