"""A slow, day-by-day reference of the contract's match (§2, §2.1) and findings (§3), written from the contract only.

Nothing here is vectorised and nothing is imported from the package: every figure is built from plain loops over
calendar days, so a reviewer can check each line against `contract.md`. The tests compare the package with it
(tests/test_reference.py).

Where the contract leaves room, the product's decisions are followed (see the module's functions):

- A month's cost is missing when ANY active day of the month has no valid rate (those days are counted in
  `days_without_rate`), or when the order is on an hourly rate on some active day of the month and has no
  hours_per_week (those days are not counted in `days_without_rate`: the rate exists). Otherwise it is the sum of
  the daily costs.
- Text comparisons (delivery service vs order service, order service vs a rate's `includes`, order themes vs
  assessment themes) ignore case and surrounding or repeated whitespace. Ids and rate levels are exact.
- Identical rate rows (same provider, level, amount, unit, band and includes) that overlap are one price.
- A finding is computed over the whole period: hours and costs are the sums of its months, and the period's cost
  is missing when any of its (active) months' cost is missing.
- A finding's `months` (issue 15) counts the calendar months of the period in which the same finding is a finding
  of that month alone. The same finding is the same type, citizen, order and provider, and for the types with several
  rows per citizen or order its detail: the theme of need_not_covered and need_without_task, the including order of
  double_payment, the task row of task_without_need.
- The task findings (tasks_not_summing, task_without_need, need_without_task) look at the orders active in the period
  only; tasks of other orders are ignored. A task's theme is compared with the assessments' themes as any theme (§2.1),
  and "latest level" is that of need_not_covered. The product's rules for them are at `task_findings`.
- The price findings of issue 19 (price_above_peers, price_above_model, price_below_model) follow the rules written at
  `price_findings`; the municipality's cost model is `tables["cost_model"]`, a list of versions as the mapping file's
  [[cost_model]] tables (plain dicts), read by `read_cost_model`. Their thresholds are compared exactly: costs, hours
  and the model are computed as fractions of the decimals the inputs are written as (`exact`), so a price exactly at
  1.25 × the median, or a cost exactly at the model × 1.15, is on the boundary, never a hair beyond it.

The missing value of this module is `None`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import statistics
from dataclasses import dataclass
from fractions import Fraction

# ---------------------------------------------------------------------------------------------------------------
# Settings, directions
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefSettings:
    """The thresholds of §3 (the contract's defaults)."""

    under_delivery_ratio: float = 0.90
    over_delivery_ratio: float = 1.10
    addon_min_ratio: float = 0.50
    uncovered_need_level: int = 2
    supporting_need_level: int = 1
    stale_after_days: int = 365
    hourly_billing: str = "ordered"
    task_sum_share: float = 0.10  # tasks_not_summing: more than this share of hours_per_week ...
    task_sum_hours: float = 0.5  # ... and more than this many hours per week
    price_peer_ratio: float = 1.25  # price_above_peers: a price per ordered hour above this × the peer group's median
    price_model_tolerance: float = 0.15  # price_above/below_model: a cost this share above/below the model's
    price_peer_min_providers: int = 5  # a peer group of fewer providers (with a price) gives no price_above_peers


DEFAULTS = RefSettings()

# §3's table, column `direction`.
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

ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------------------------
# Small helpers: missing values, text, dates, periods
# ---------------------------------------------------------------------------------------------------------------


def is_missing(value) -> bool:
    """None, NaN, NaT and pd.NA are missing; a list (themes, includes) never is."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, set)):
        return False
    try:
        return bool(value != value)  # NaN, NaT
    except TypeError:  # pd.NA refuses a truth value
        return True


def norm(text):
    """§2.1: a text compared without case and without surrounding or repeated whitespace."""
    if is_missing(text):
        return None
    return " ".join(str(text).split()).casefold()


def as_date(value):
    """A calendar date (datetime.date) from a Timestamp, date or ISO text; None when missing."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def exact(value) -> Fraction:
    """A figure as the decimal it is written as (0.1 is 1/10, 330.6 is 3306/10): the task sums' and the prices'
    thresholds are compared exactly, so "5.5 hours of tasks on a 5-hour order" is on the 0.5-hour boundary, never a
    hair beyond it."""
    return Fraction(repr(float(value)))


def as_float(value):
    return None if is_missing(value) else float(value)


def as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:
        return []


def each_day(first: dt.date, last: dt.date):
    """Every date from first to last, both included."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def days_in_month(day: dt.date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def days_in_year(day: dt.date) -> int:
    return 366 if calendar.isleap(day.year) else 365


def month_label(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_of(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The calendar months from start's month to end's month: (first day, last day) each."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = dt.date(year, month, 1)
        out.append((first, dt.date(year, month, calendar.monthrange(year, month)[1])))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def period_bounds(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period text: "2028-02", "2028-Q1", "2028", "2027-12..2028-02"."""
    if ".." in text:
        left, right = text.split("..")
        return period_bounds(left)[0], period_bounds(right)[1]
    if "-Q" in text:
        year, quarter = text.split("-Q")
        first_month = 3 * (int(quarter) - 1) + 1
        first = dt.date(int(year), first_month, 1)
        last_month = first_month + 2
        return first, dt.date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])
    if len(text) == 4:
        return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    year, month = int(text[:4]), int(text[5:7])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------------------------------------------------------
# The tables as plain records
# ---------------------------------------------------------------------------------------------------------------


def _rows(frame) -> list[dict]:
    if frame is None:
        return []
    if isinstance(frame, list):
        return [dict(r) for r in frame]
    return frame.to_dict("records")


def read_tables(tables: dict) -> dict:
    """Plain lists of dicts with dates, floats, None for missing; the order of the frames is kept."""
    orders = []
    for r in _rows(tables.get("orders")):
        orders.append(
            {
                "order_id": str(r["order_id"]),
                "citizen_id": str(r["citizen_id"]),
                "provider_id": str(r["provider_id"]),
                "paragraph": None if is_missing(r.get("paragraph")) else str(r.get("paragraph")),
                "service": None if is_missing(r.get("service")) else str(r["service"]),
                "themes": [t for t in as_list(r.get("themes")) if not is_missing(t)],
                "start": as_date(r["start_date"]),
                "end": as_date(r.get("end_date")),
                "hours": as_float(r.get("hours_per_week")),
                "level": str(r["rate_level"]),
                "is_addon": bool(r.get("is_addon")) if not is_missing(r.get("is_addon")) else False,
            }
        )
    rates = []
    for r in _rows(tables.get("rates")):
        rates.append(
            {
                "provider_id": str(r["provider_id"]),
                "level": str(r["rate_level"]),
                "unit": str(r["unit"]),
                "amount": float(r["amount"]),
                "amount_x": exact(r["amount"]),  # the same, exactly (the price findings' thresholds)
                "valid_from": as_date(r["valid_from"]),
                "valid_to": as_date(r.get("valid_to")),
                "lo": as_float(r.get("min_hours_per_week")),
                "hi": as_float(r.get("max_hours_per_week")),
                "includes": [i for i in as_list(r.get("includes")) if not is_missing(i)],
            }
        )
    deliveries = []
    for number, r in enumerate(_rows(tables.get("deliveries"))):
        deliveries.append(
            {
                "row": number,
                "citizen_id": str(r["citizen_id"]),
                "provider_id": str(r["provider_id"]),
                "date": as_date(r["date"]),
                "minutes": float(r["minutes"]),
                "service": None if is_missing(r.get("service")) else str(r["service"]),
            }
        )
    assessments = []
    for r in _rows(tables.get("assessments")):
        assessments.append(
            {
                "citizen_id": str(r["citizen_id"]),
                "assessed_on": as_date(r["assessed_on"]),
                "theme": str(r["theme"]),
                "level": None if is_missing(r.get("level")) else int(r["level"]),
            }
        )
    tasks = []
    for number, r in enumerate(_rows(tables.get("tasks"))):
        if is_missing(r.get("order_id")):
            continue  # a task of no order belongs to no order
        tasks.append(
            {
                "row": number,
                "order_id": str(r["order_id"]),  # an id written as a number (1001) is the text "1001"
                "theme": None if is_missing(r.get("theme")) else str(r["theme"]),
                "task": None if is_missing(r.get("task")) else str(r["task"]),
                "minutes": as_float(r.get("minutes_per_week")),
            }
        )
    return {
        "orders": orders,
        "rates": rates,
        "deliveries": deliveries,
        "assessments": assessments,
        "tasks": tasks,
        "cost_model": read_cost_model(tables.get("cost_model")),
    }


# ---------------------------------------------------------------------------------------------------------------
# Orders and rates, one day at a time
# ---------------------------------------------------------------------------------------------------------------


def is_active(order: dict, day: dt.date) -> bool:
    """§1: start_date ≤ day ≤ end_date; a missing end_date is open-ended."""
    return order["start"] <= day and (order["end"] is None or day <= order["end"])


def active_days(order: dict, first: dt.date, last: dt.date) -> list[dt.date]:
    """§2: the order's days in [first, last]."""
    return [day for day in each_day(first, last) if is_active(order, day)]


def _price(row: dict) -> tuple:
    """What makes two rate rows the same price (§2.1): amount, unit, band and includes."""
    return (row["amount"], row["unit"], row["lo"], row["hi"], tuple(row["includes"]))


def rate_row(t: dict, provider_id: str, level: str, day: dt.date):
    """The rate row of a provider and level valid on a day, or None.

    §2.1: overlapping identical rows are one price; the day has that rate once. Differing overlapping rows are a
    load error, never a match case, so they are refused here.
    """
    covering = [
        r
        for r in t["rates"]
        if r["provider_id"] == provider_id
        and r["level"] == level
        and r["valid_from"] <= day
        and (r["valid_to"] is None or day <= r["valid_to"])
    ]
    if not covering:
        return None
    for other in covering[1:]:
        if _price(other) != _price(covering[0]):
            raise ValueError(f"rate conflict for {provider_id}/{level} on {day}: {covering[0]} vs {other}")
    return covering[0]


def daily_cost_of_row(row: dict, hours, day: dt.date, exactly: bool = False):
    """§2: one day's cost under a rate row; None where an hourly rate meets missing hours (§2.1). `exactly`: as a
    fraction, from the amount as written (`hours` is then a fraction too)."""
    unit, amount = row["unit"], row["amount_x" if exactly else "amount"]
    if unit == "day":
        return amount
    if unit == "week":
        return amount / 7
    if unit == "month":
        return amount / days_in_month(day)
    if unit == "year":
        return amount / days_in_year(day)
    if unit == "hour":
        if hours is None:
            return None
        return amount * hours / 7  # billing on ordered hours (the default setting)
    raise ValueError(f"unknown unit {unit!r}")


def order_daily_cost(t: dict, order: dict, day: dt.date):
    """The order's cost on one day under its own provider and level; None when it can't be costed."""
    row = rate_row(t, order["provider_id"], order["level"], day)
    if row is None:
        return None
    return daily_cost_of_row(row, order["hours"], day)


def band_of(row: dict):
    """(min, max) of a level's band, or None when the level has neither end (no band)."""
    if row["lo"] is None and row["hi"] is None:
        return None
    return row["lo"], row["hi"]


def band_holds(row: dict, hours: float) -> bool:
    """§2.1: min ≤ hours ≤ max, a missing end open; a level without a band holds nothing."""
    band = band_of(row)
    if band is None:
        return False
    lo, hi = band
    return (lo is None or lo <= hours) and (hi is None or hours <= hi)


# ---------------------------------------------------------------------------------------------------------------
# The delivery rows: matched, unmatched, ambiguous (§2)
# ---------------------------------------------------------------------------------------------------------------


def assign_deliveries(t: dict) -> list[tuple[dict, str, str | None]]:
    """Each delivery row with its status and the order it counts for.

    The candidates are the orders of the row's citizen and provider active on its date. One candidate: matched. Several:
    the one whose service equals the row's (normalised) if exactly one does, else ambiguous. None: unmatched.
    """
    out = []
    by_pair: dict[tuple, list[dict]] = {}  # the orders of each citizen and provider (a lookup, not a rule)
    for o in t["orders"]:
        by_pair.setdefault((o["citizen_id"], o["provider_id"]), []).append(o)
    for row in t["deliveries"]:
        candidates = [o for o in by_pair.get((row["citizen_id"], row["provider_id"]), []) if is_active(o, row["date"])]
        if len(candidates) == 0:
            out.append((row, "unmatched", None))
        elif len(candidates) == 1:
            out.append((row, "matched", candidates[0]["order_id"]))
        else:
            service = norm(row["service"])
            same = [o for o in candidates if service is not None and norm(o["service"]) == service]
            if len(same) == 1:
                out.append((row, "matched", same[0]["order_id"]))
            else:
                out.append((row, "ambiguous", None))
    return out


# ---------------------------------------------------------------------------------------------------------------
# The match, per order and month (§2)
# ---------------------------------------------------------------------------------------------------------------


_ROWS_OF: dict[int, dict] = {}


def _rows_of(assigned: list, order_id: str) -> list:
    """The assigned delivery rows that count for one order (grouped once per assignment: a lookup, not a rule)."""
    key = id(assigned)
    if key not in _ROWS_OF or _ROWS_OF[key]["assigned"] is not assigned:
        grouped: dict = {}
        for item in assigned:
            grouped.setdefault(item[2], []).append(item)
        _ROWS_OF.clear()
        _ROWS_OF[key] = {"assigned": assigned, "grouped": grouped}
    return _ROWS_OF[key]["grouped"].get(order_id, [])


def _order_month(t: dict, order: dict, first: dt.date, last: dt.date, assigned) -> dict:
    """The figures of one order in one calendar month [first, last]."""
    days = active_days(order, first, last)
    hours = order["hours"]
    ordered = None if hours is None else hours * len(days) / 7
    hours_x = None if hours is None else exact(hours)  # the price findings' figures, exactly

    delivered_minutes = 0.0
    matched_rows = 0
    for row, status, order_id in _rows_of(assigned, order["order_id"]):
        if status == "matched" and order_id == order["order_id"] and first <= row["date"] <= last:
            delivered_minutes += row["minutes"]
            matched_rows += 1
    delivered = delivered_minutes / 60

    cost = 0.0
    cost_x = Fraction(0)
    cost_missing = False
    days_without_rate = 0
    hourly_days = 0
    for day in days:
        row = rate_row(t, order["provider_id"], order["level"], day)
        if row is None:
            days_without_rate += 1
            cost_missing = True
            continue
        if row["unit"] == "hour":
            hourly_days += 1
        daily = daily_cost_of_row(row, hours, day)
        if daily is None:  # an hourly rate without hours_per_week: the rate exists, the cost can't be computed
            cost_missing = True
            continue
        cost += daily
        cost_x += daily_cost_of_row(row, hours_x, day, exactly=True)

    return {
        "month": month_label(first),
        "order_id": order["order_id"],
        "citizen_id": order["citizen_id"],
        "provider_id": order["provider_id"],
        "active_days": len(days),
        "ordered_hours": ordered,
        "delivered_hours": delivered,
        "delivery_ratio": delivered / ordered if ordered else None,
        "cost": None if cost_missing else cost,
        "days_without_rate": days_without_rate,
        "hourly_without_hours": hours is None and hourly_days > 0,
        "matched_rows": matched_rows,
        # the same cost and ordered hours as fractions (the price findings), and the month's last day (the cost model)
        "cost_x": None if cost_missing else cost_x,
        "ordered_x": None if hours is None else hours_x * len(days) / 7,
        "last_day": last,
    }


def ref_match(tables: dict, start: dt.date, end: dt.date, settings: RefSettings = DEFAULTS) -> list[dict]:
    """One dict per order and calendar month from start's month to end's month, where the order has active days."""
    if settings.hourly_billing != "ordered":
        raise NotImplementedError("the reference bills hourly rates on ordered hours only")
    t = read_tables(tables)
    assigned = assign_deliveries(t)
    out = []
    for order in t["orders"]:
        for first, last in months_of(start, end):
            figures = _order_month(t, order, first, last, assigned)
            if figures["active_days"] > 0:
                out.append(figures)
    return out


def _order_period(t: dict, order: dict, start: dt.date, end: dt.date, assigned) -> dict:
    """An order over a whole period: sums of its months (§3); the cost is missing if any month's is."""
    months = [_order_month(t, order, first, last, assigned) for first, last in months_of(start, end)]
    months = [m for m in months if m["active_days"] > 0]
    days = sum(m["active_days"] for m in months)
    ordered = None if order["hours"] is None else sum(m["ordered_hours"] for m in months)
    delivered = sum(m["delivered_hours"] for m in months)
    cost = None if any(m["cost"] is None for m in months) else sum(m["cost"] for m in months)
    cost_x = None if any(m["cost_x"] is None for m in months) else sum((m["cost_x"] for m in months), Fraction(0))
    return {
        "active_days": days,
        "ordered_hours": ordered,
        "delivered_hours": delivered,
        "delivery_ratio": delivered / ordered if ordered else None,  # missing when ordered is 0 or missing
        "cost": cost,
        "days_without_rate": sum(m["days_without_rate"] for m in months),
        "hourly_without_hours": any(m["hourly_without_hours"] for m in months),
        "matched_rows": sum(m["matched_rows"] for m in months),
        "cost_x": cost_x,
        "ordered_x": None if order["hours"] is None else sum((m["ordered_x"] for m in months), Fraction(0)),
        "months": months,  # the order's months with active days in the period (the price findings)
    }


# ---------------------------------------------------------------------------------------------------------------
# Row accounting and spend
# ---------------------------------------------------------------------------------------------------------------


def ref_accounting(tables: dict, start: dt.date, end: dt.date) -> dict:
    """Rows and minutes of the delivery rows dated in the period, per status, and all loaded (counted directly)."""
    t = read_tables(tables)
    out = {status: {"rows": 0, "minutes": 0.0} for status in ("matched", "unmatched", "ambiguous", "loaded")}
    for row, status, _ in assign_deliveries(t):
        if start <= row["date"] <= end:
            out[status]["rows"] += 1
            out[status]["minutes"] += row["minutes"]
    for row in t["deliveries"]:
        if start <= row["date"] <= end:
            out["loaded"]["rows"] += 1
            out["loaded"]["minutes"] += row["minutes"]
    return out


def ref_spend_total(tables: dict, start: dt.date, end: dt.date, settings: RefSettings = DEFAULTS) -> tuple[float, int]:
    """§2.1 "missing costs are never zero": (Σ cost of the order-months that have one, order-days left out)."""
    total = 0.0
    left_out = 0
    for m in ref_match(tables, start, end, settings):
        if m["cost"] is None:
            left_out += m["active_days"]
        else:
            total += m["cost"]
    return total, left_out


# ---------------------------------------------------------------------------------------------------------------
# Findings (§3)
# ---------------------------------------------------------------------------------------------------------------


def latest_levels(t: dict, citizen_id: str, last_day: dt.date) -> dict:
    """Per normalised theme, the level of the latest assessment row on or before last_day (None if "not assessed")."""
    latest: dict = {}
    for a in t["assessments"]:
        if a["citizen_id"] != citizen_id or a["assessed_on"] > last_day:
            continue
        theme = norm(a["theme"])
        if theme not in latest or a["assessed_on"] > latest[theme][0]:
            latest[theme] = (a["assessed_on"], a["level"])
        elif a["assessed_on"] == latest[theme][0] and a["level"] != latest[theme][1]:
            raise ValueError(f"two assessments of {citizen_id}/{theme} on {a['assessed_on']} differ")
    return {theme: level for theme, (_, level) in latest.items()}


def _at_least(level, threshold: int) -> bool:
    return level is not None and level >= threshold


def _finding(kind: str, citizen_id, order_id, provider_id, dkk, detail=None) -> dict:
    return {
        "type": kind,
        "citizen_id": citizen_id,
        "order_id": order_id,
        "provider_id": provider_id,
        "direction": DIRECTION[kind],
        "dkk_at_stake": dkk,
        "detail": detail,
    }


def _times(value, factor):
    return None if value is None or factor is None else value * factor


def dearest_fitting_daily_cost(t: dict, provider_id: str, hours: float, day: dt.date):
    """§2.1: on a day, the highest daily cost at `hours` over the provider's levels whose band holds `hours`."""
    levels = sorted({r["level"] for r in t["rates"] if r["provider_id"] == provider_id})
    best = None
    for level in levels:
        row = rate_row(t, provider_id, level, day)
        if row is None or not band_holds(row, hours):
            continue
        daily = daily_cost_of_row(row, hours, day)
        if daily is not None and (best is None or daily > best):
            best = daily
    return best


def task_findings(t: dict, active: list[dict], figures: dict, end: dt.date, settings: RefSettings = DEFAULTS) -> list[dict]:
    """The three task findings of §3, with the product's rules where the contract is silent:

    1. Only the orders active in the period count; tasks of other orders are ignored. Costs are the period's (the sum
       of its months, missing if any month's is).
    2. Themes compare as texts (§2.1); the latest level per theme is that of `latest_levels` at the period's last day.
    3. tasks_not_summing (unknown, dkk missing): per active order with ≥ 1 task and an hours_per_week: any task without
       minutes_per_week, or |Σ minutes_per_week / 60 − hours_per_week| > max(share × hours_per_week, hours), strictly.
       An order without hours_per_week is not evaluated. One finding per order.
    4. task_without_need (over): per task row of an active order whose theme's latest level is below the supporting
       level (1, so level 0); a theme not assessed, or with a missing latest level, gives none. dkk = the order's cost
       × the task's minutes / Σ minutes of the order's tasks; missing when the cost is, when any of the order's tasks
       lacks minutes, or when that Σ is 0.
    5. need_without_task (under, dkk missing): per active order with ≥ 1 task and per theme of its citizen with
       latest level ≥ the uncovered level (2) that no task of any of the citizen's active orders addresses.
    """
    out: list[dict] = []
    tasks_of: dict[str, list[dict]] = {}  # the task rows of each order (a lookup, not a rule)
    for task in t["tasks"]:
        tasks_of.setdefault(task["order_id"], []).append(task)

    for o in active:
        tasks = tasks_of.get(o["order_id"], [])
        if not tasks:
            continue
        who = (o["citizen_id"], o["order_id"], o["provider_id"])
        minutes = [task["minutes"] for task in tasks]
        untimed = any(m is None for m in minutes)

        # 3. tasks_not_summing
        if o["hours"] is not None:
            if untimed:
                out.append(_finding("tasks_not_summing", *who, None))
            else:
                hours = exact(o["hours"])
                task_hours = sum((exact(m) for m in minutes), Fraction(0)) / 60
                allowed = max(exact(settings.task_sum_share) * hours, exact(settings.task_sum_hours))
                if abs(task_hours - hours) > allowed:
                    out.append(_finding("tasks_not_summing", *who, None))

        # 4. task_without_need
        levels = latest_levels(t, o["citizen_id"], end)
        cost = figures[o["order_id"]]["cost"]
        total = None if untimed else sum(minutes)
        for task in tasks:
            level = levels.get(norm(task["theme"]))
            if level is None or level >= settings.supporting_need_level:
                continue
            if cost is None or total is None or total == 0 or task["minutes"] is None:
                dkk = None
            else:
                dkk = cost * task["minutes"] / total
            out.append(_finding("task_without_need", *who, dkk, task["row"]))

    # 5. need_without_task, per citizen
    citizens = []
    for o in active:
        if o["citizen_id"] not in citizens:
            citizens.append(o["citizen_id"])
    for citizen in citizens:
        theirs = [o for o in active if o["citizen_id"] == citizen]
        addressed = {norm(task["theme"]) for o in theirs for task in tasks_of.get(o["order_id"], [])}
        levels = latest_levels(t, citizen, end)
        for o in theirs:
            if not tasks_of.get(o["order_id"]):
                continue
            for theme, level in levels.items():
                if _at_least(level, settings.uncovered_need_level) and theme not in addressed:
                    out.append(_finding("need_without_task", citizen, o["order_id"], o["provider_id"], None, theme))
    return out


# ---------------------------------------------------------------------------------------------------------------
# The price per ordered hour against peers, and the cost against the municipality's cost model (issue 19)
# ---------------------------------------------------------------------------------------------------------------

SHIFTS = ("day", "evening_night", "weekend")


def paragraph_key(text):
    """A paragraph in the orders' form (§1, "SEL §85"): the number after "§" (with a letter, "§ 83a"), and the law the
    text names (ABL or almenboligloven, BL or Barnets lov, SEL or serviceloven), else ABL for a bare §105 or §115 and
    SEL for any other; "§ 85", "§85" and "sel § 85" are "SEL §85". A text without a § number stays as it is (without
    extra whitespace)."""
    if is_missing(text):
        return None
    words = " ".join(str(text).split())
    found = re.search(r"§\s*(\d+)([a-zA-Z]?)\b", words)
    if found is None:
        return words
    number, letter = found.group(1), found.group(2).lower()
    names = {"ABL": r"\bABL\b|almenbolig", "BL": r"\bBL\b|barnets lov", "SEL": r"\bSEL\b|servicelov|lov om social service"}
    named = [law for law, name in names.items() if re.search(name, words, re.IGNORECASE)]
    law = named[0] if named else ("ABL" if number in ("105", "115") and not letter else "SEL")
    return f"{law} §{number}{letter}"


def read_cost_model(versions) -> list[dict]:
    """The cost model's versions (the mapping file's [[cost_model]] tables, as dicts) with every figure as the exact
    decimal it is written as, and daily_non_staff keyed by `paragraph_key`; sorted by valid_from. None or []: no model."""
    out = []
    for v in versions or []:
        out.append(
            {
                "valid_from": as_date(v["valid_from"]),
                "label": v.get("label"),
                "staff": {shift: exact(v["staff_cost_per_hour"][shift]) for shift in SHIFTS},
                "shares": {shift: exact(v["hour_shares"][shift]) for shift in SHIFTS},
                "on_cost": exact(v["on_cost"]),
                "overhead": exact(v["overhead"]),
                "occupancy": exact(v["occupancy"]),
                "daily_non_staff": {paragraph_key(k): exact(x) for k, x in (v.get("daily_non_staff") or {}).items()},
            }
        )
    return sorted(out, key=lambda v: v["valid_from"])


def version_on(model: list[dict], day: dt.date):
    """The version in force on a day: the one with the latest valid_from on or before it; None before the first."""
    held = [v for v in model if v["valid_from"] <= day]
    return max(held, key=lambda v: v["valid_from"]) if held else None


def hourly_staff_cost(version: dict) -> Fraction:
    """Σ over the shifts of staff_cost_per_hour × hour_shares × (1 + on_cost)."""
    return sum((version["staff"][s] * version["shares"][s] * (1 + version["on_cost"]) for s in SHIFTS), Fraction(0))


def model_month_cost(t: dict, order: dict, month: dict):
    """The model's cost of an order in one month (a month of `_order_month`), exactly: (ordered hours × hourly staff
    cost + daily_non_staff of the order's paragraph × active days) × (1 + overhead) / occupancy, with the version in
    force on the month's last day; an add-on (support on top of a place) adds no daily_non_staff. None without a
    version, without hours_per_week, or when daily_non_staff has no entry for the paragraph."""
    version = version_on(t["cost_model"], month["last_day"])
    if version is None or month["ordered_x"] is None:
        return None
    paragraph = paragraph_key(order["paragraph"])
    if paragraph not in version["daily_non_staff"]:
        return None
    staff = month["ordered_x"] * hourly_staff_cost(version)
    non_staff = 0 if order.get("is_addon") else version["daily_non_staff"][paragraph] * month["active_days"]
    return (staff + non_staff) * (1 + version["overhead"]) / version["occupancy"]


def period_model_cost(t: dict, order: dict, figure: dict):
    """The model's cost of an order over the period (`figure` is its `_order_period`): the sum of its months' model
    costs, None if any month's is missing."""
    months = [model_month_cost(t, order, m) for m in figure["months"]]
    return None if any(m is None for m in months) else sum(months, Fraction(0))


def peer_prices(active: list[dict], figures: dict) -> dict[tuple, dict[str, Fraction]]:
    """Per peer group (paragraph, rate_level), each provider's price per ordered hour: Σ cost / Σ ordered hours over
    its order-months in the period that have a cost and ordered hours > 0 (a provider without any has no price)."""
    sums: dict[tuple, dict[str, tuple]] = {}
    for o in active:
        for m in figures[o["order_id"]]["months"]:
            if m["cost_x"] is None or m["ordered_x"] is None or m["ordered_x"] <= 0:
                continue
            group = sums.setdefault((o["paragraph"], o["level"]), {})
            cost, hours = group.get(o["provider_id"], (Fraction(0), Fraction(0)))
            group[o["provider_id"]] = (cost + m["cost_x"], hours + m["ordered_x"])
    return {key: {provider: cost / hours for provider, (cost, hours) in group.items()} for key, group in sums.items()}


def price_findings(t: dict, active: list[dict], figures: dict, settings: RefSettings = DEFAULTS) -> list[dict]:
    """The price findings of issue 19, over the period, all figures exact (fractions) and compared strictly:

    1. An order's cost and ordered hours over the period are the sums of its months (the cost missing if any month's
       is); only the orders active in the period count.
    2. Peer groups: the orders' (paragraph, rate_level). A provider's price in a group = Σ cost / Σ ordered hours over
       its order-months in the period of that group that have a cost and ordered hours > 0 (the other order-months
       are left out, never counted as 0). The group's providers are those with such a price; its median is theirs
       (the middle one, or the mean of the two middle ones).
    3. price_above_peers (over): per active order with ordered hours > 0 of a provider with a price in a group of
       ≥ price_peer_min_providers providers, whose price > price_peer_ratio × the median: dkk = (price − median) × the
       order's ordered hours (the order's own cost may be missing).
    4. The cost model: per month of the order, `model_month_cost` (an add-on without daily_non_staff); the period's
       model cost is their sum, missing if any month's is.
    5. price_above_model (over): an order with a cost and a model cost, cost > model × (1 + price_model_tolerance):
       dkk = cost − model. price_below_model (under): cost < model × (1 − price_model_tolerance): dkk = model − cost.
       Without a cost model neither exists.
    6. One finding per order (type, citizen, order, provider; no detail).
    """
    out: list[dict] = []

    # 2. the providers' prices per peer group
    prices = peer_prices(active, figures)

    # 3. price_above_peers
    ratio = exact(settings.price_peer_ratio)
    for o in active:
        group = prices.get((o["paragraph"], o["level"]), {})
        ordered = figures[o["order_id"]]["ordered_x"]
        if len(group) < settings.price_peer_min_providers or o["provider_id"] not in group or not ordered:
            continue
        median = statistics.median(sorted(group.values()))
        price = group[o["provider_id"]]
        if price > ratio * median:
            out.append(_finding("price_above_peers", o["citizen_id"], o["order_id"], o["provider_id"], float((price - median) * ordered)))

    # 4.-5. against the cost model
    if not t["cost_model"]:
        return out
    tolerance = exact(settings.price_model_tolerance)
    for o in active:
        f = figures[o["order_id"]]
        model = period_model_cost(t, o, f)
        if f["cost_x"] is None or model is None or f["active_days"] == 0:
            continue
        cost = f["cost_x"]
        who = (o["citizen_id"], o["order_id"], o["provider_id"])
        if cost > model * (1 + tolerance):
            out.append(_finding("price_above_model", *who, float(cost - model)))
        if cost < model * (1 - tolerance):
            out.append(_finding("price_below_model", *who, float(model - cost)))
    return out


def ref_findings(tables: dict, start: dt.date, end: dt.date, settings: RefSettings = DEFAULTS) -> list[dict]:
    """Every finding of §3 over [start, end]."""
    if settings.hourly_billing != "ordered":
        raise NotImplementedError("the reference bills hourly rates on ordered hours only")
    t = read_tables(tables)
    assigned = assign_deliveries(t)
    out: list[dict] = []

    active = [o for o in t["orders"] if active_days(o, start, end)]
    figures = {o["order_id"]: _order_period(t, o, start, end, assigned) for o in active}

    # --- per order: delivery, evidence, rates, bands, add-ons -----------------------------------------------------
    for o in active:
        f = figures[o["order_id"]]
        who = (o["citizen_id"], o["order_id"], o["provider_id"])
        ratio, cost, ordered, delivered = f["delivery_ratio"], f["cost"], f["ordered_hours"], f["delivered_hours"]
        price_per_hour = None if cost is None or not ordered else cost / ordered  # implied_hourly_price

        if ratio is not None and ratio < settings.under_delivery_ratio:
            out.append(_finding("under_delivery", *who, _times(price_per_hour, ordered - delivered)))
        if ratio is not None and ratio > settings.over_delivery_ratio:
            out.append(_finding("over_delivery", *who, _times(price_per_hour, delivered - ordered)))

        if f["matched_rows"] == 0:
            out.append(_finding("missing_evidence", *who, cost))

        if f["days_without_rate"] > 0:
            out.append(_finding("rate_missing", *who, None))
        if f["hourly_without_hours"]:
            out.append(_finding("hours_missing", *who, None))

        # Bands: the own level's rate row on the order's last active day in the period.
        hours = o["hours"]
        last_day = active_days(o, start, end)[-1]
        row = rate_row(t, o["provider_id"], o["level"], last_day)
        if hours is not None and row is not None and band_of(row) is not None:
            lo, hi = band_of(row)
            if lo is not None and hours < lo:
                dkk = cost
                if dkk is not None:
                    for day in active_days(o, start, end):
                        dearest = dearest_fitting_daily_cost(t, o["provider_id"], hours, day)
                        if dearest is None:
                            dkk = None
                            break
                        dkk -= dearest
                out.append(_finding("rate_above_order", *who, dkk))
            if hi is not None and hours > hi:
                out.append(_finding("order_above_rate", *who, None))

        if o["is_addon"] and ((ratio is not None and ratio < settings.addon_min_ratio) or o["end"] is None):
            out.append(_finding("addon_unsupported", *who, cost))

    # --- double payment: b's service inside the includes of a's rate on the days both are active --------------------
    for b in active:
        for a in active:
            if a is b or a["citizen_id"] != b["citizen_id"]:
                continue
            service_b = norm(b["service"])
            shared = []
            for day in each_day(start, end):
                if not (is_active(a, day) and is_active(b, day)):
                    continue
                row_a = rate_row(t, a["provider_id"], a["level"], day)
                if row_a is not None and service_b is not None and service_b in {norm(i) for i in row_a["includes"]}:
                    shared.append(day)
            if shared:
                dkk = 0.0
                for day in shared:
                    daily = order_daily_cost(t, b, day)
                    if daily is None:
                        dkk = None
                        break
                    dkk += daily
                out.append(_finding("double_payment", b["citizen_id"], b["order_id"], b["provider_id"], dkk, a["order_id"]))

    # --- needs and assessments, per citizen -------------------------------------------------------------------------
    citizens = []
    for o in active:
        if o["citizen_id"] not in citizens:
            citizens.append(o["citizen_id"])
    for citizen in citizens:
        theirs = [o for o in active if o["citizen_id"] == citizen]
        levels = latest_levels(t, citizen, end)
        covered = {norm(theme) for o in theirs for theme in o["themes"]}

        for theme, level in levels.items():
            if _at_least(level, settings.uncovered_need_level) and theme not in covered:
                out.append(_finding("need_not_covered", citizen, None, None, None, theme))

        assessed = [a["assessed_on"] for a in t["assessments"] if a["citizen_id"] == citizen and a["assessed_on"] <= end]
        if assessed:
            for o in theirs:
                supported = any(_at_least(levels.get(norm(theme)), settings.supporting_need_level) for theme in o["themes"])
                if not supported:
                    out.append(_finding("order_without_need", citizen, o["order_id"], o["provider_id"], figures[o["order_id"]]["cost"]))

        if not assessed or (end - max(assessed)).days > settings.stale_after_days:
            out.append(_finding("stale_assessment", citizen, None, None, None))

    # --- documentation without an order: one per citizen and provider ----------------------------------------------
    pairs = []
    for row, status, _ in assigned:
        if status == "unmatched" and start <= row["date"] <= end and (row["citizen_id"], row["provider_id"]) not in pairs:
            pairs.append((row["citizen_id"], row["provider_id"]))
    for citizen, provider in pairs:
        out.append(_finding("documentation_without_order", citizen, None, provider, None))

    # --- the tasks (indsatsliste) of the active orders --------------------------------------------------------------
    out += task_findings(t, active, figures, end, settings)

    # --- the price per ordered hour against peers and the cost model (issue 19) -------------------------------------
    out += price_findings(t, active, figures, settings)
    return out


def _identity(finding: dict) -> tuple:
    """What makes a finding the same finding in another period (never its amount)."""
    return finding["type"], finding["citizen_id"], finding["order_id"], finding["provider_id"], finding["detail"]


def ref_findings_with_months(tables: dict, start: dt.date, end: dt.date, settings: RefSettings = DEFAULTS) -> list[dict]:
    """`ref_findings` over [start, end], each with `months`: the number of calendar months of the period whose own
    findings (each month alone) include the same finding."""
    found = ref_findings(tables, start, end, settings)
    months = months_of(start, end)
    held: dict[tuple, int] = {}
    for first, last in months:
        alone = found if (first, last) == (start, end) else ref_findings(tables, first, last, settings)
        for key in {_identity(f) for f in alone}:
            held[key] = held.get(key, 0) + 1
    return [dict(f, months=held.get(_identity(f), 0)) for f in found]


def is_close(a, b, rel: float = 1e-6, abs_: float = 0.011) -> bool:
    """Two figures agree: both missing, or both present and close."""
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)
