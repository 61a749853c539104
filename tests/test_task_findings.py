"""The three task findings (contract §3, tasks table §1) on tiny hand-computed workspaces: the package and the reference
(tests/reference.py) against figures worked out by hand in the comments.

The product's rules where the contract is silent: only orders active in the period count; themes compare without case
and extra whitespace; tasks_not_summing is a finding when a task has no minutes or |Σ minutes / 60 − hours_per_week| >
max(10 % of hours_per_week, 0.5 h) (strictly), never for an order without hours_per_week; task_without_need is one finding
per task whose theme's latest level is 0, with the order's cost × the task's share of the order's task minutes (missing
when the cost is, when a task of the order has no minutes, or when they sum to 0); need_without_task is one finding per
order with tasks and theme at level ≥ 2 that no task of the citizen's active orders addresses.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bitanalysis import Workspace, findings

from . import reference as ref
from .test_reference import _order, _rate, compare, frames

NA = None  # a missing figure (minutes, level, DKK)


def _task(order_id, theme, minutes, task="Støtte"):
    return {"order_id": order_id, "theme": theme, "task": task, "minutes_per_week": minutes, "goal": None}


def _assessed(citizen_id, theme, level, on="2027-12-01"):
    return {"citizen_id": citizen_id, "assessed_on": pd.Timestamp(on), "theme": theme, "level": level}


def _sorted(rows):
    """(order, direction, dkk) rows in one order, missing DKK last."""
    return sorted(rows, key=lambda r: (str(r[0]), r[1], r[2] is None, r[2] or 0.0))


def package(tables, period, kind, months=False):
    """The package's findings of one type: (order, direction, dkk[, months]) each."""
    got = findings(Workspace.from_frames(**{n: f.copy() for n, f in tables.items()}), period)
    got = got[got["type"] == kind]
    rows = [
        (r["order_id"], r["direction"], None if pd.isna(r["dkk_at_stake"]) else round(float(r["dkk_at_stake"]), 2))
        + ((int(r["months"]),) if months else ())
        for r in got.to_dict("records")
    ]
    return _sorted(rows)


def reference(tables, period, kind, months=False):
    """The reference's findings of one type, in the same shape."""
    start, end = ref.period_bounds(period)
    found = (ref.ref_findings_with_months if months else ref.ref_findings)(tables, start, end)
    rows = [
        (f["order_id"], f["direction"], None if f["dkk_at_stake"] is None else round(f["dkk_at_stake"], 2))
        + ((f["months"],) if months else ())
        for f in found
        if f["type"] == kind
    ]
    return _sorted(rows)


def test_tasks_not_summing_at_and_beyond_the_allowed_difference():
    """January 2028; the allowed difference is max(10 % of hours_per_week, 0.5 hour), a finding only beyond it."""
    orders = [
        _order("o1", hours=5.0),  # 120 + 90 + 120 = 330 min = 5.5 h: |5.5 − 5| = 0.5 = max(0.5, 0.5): none
        _order("o2", hours=5.0),  # 120 + 90.6 + 120 = 330.6 min = 5.51 h: 0.51 > 0.5: a finding
        _order("o3", hours=2.0),  # 150 min = 2.5 h: 0.5, not > max(0.2, 0.5): none
        _order("o4", hours=20.0),  # 600 + 600 + 120 = 1320 min = 22 h: 2.0, not > max(2.0, 0.5): none
        _order("o5", hours=20.0),  # 600 + 474 = 1074 min = 17.9 h: 2.1 > 2.0: a finding
        _order("o6", hours=3.0),  # 180 min and a task without minutes: a finding, though the timed ones sum to 3 h
        _order("o7", hours=None),  # no hours_per_week: not evaluated, whatever its tasks sum to
        _order("o8", hours=5.0, start="2027-10-01", end="2027-12-31"),  # 0 min, but not active in January: ignored
        _order("o9", hours=5.0),  # no tasks: not evaluated
        _order("o10", hours=0.0),  # 0 + 30 = 30 min = 0.5 h: 0.5, not > max(0, 0.5): none
        _order("o11", hours=0.0),  # 31 min = 0.5167 h > 0.5: a finding
    ]
    tasks = [
        *(_task("o1", "Egenomsorg", m) for m in (120.0, 90.0, 120.0)),
        *(_task("o2", "Egenomsorg", m) for m in (120.0, 90.6, 120.0)),
        _task("o3", "Egenomsorg", 150.0),
        *(_task("o4", "Egenomsorg", m) for m in (600.0, 600.0, 120.0)),
        *(_task("o5", "Egenomsorg", m) for m in (600.0, 474.0)),
        _task("o6", "Egenomsorg", 180.0),
        _task("o6", "Egenomsorg", NA),
        _task("o7", "Egenomsorg", 600.0),
        _task("o8", "Egenomsorg", 0.0),
        _task("o10", "Egenomsorg", 0.0),
        _task("o10", "Egenomsorg", 30.0),
        _task("o11", "Egenomsorg", 31.0),
    ]
    t = frames(orders, [_rate(100)], [], [_assessed("c1", "Egenomsorg", 2)], tasks)
    want = [("o11", "unknown", None), ("o2", "unknown", None), ("o5", "unknown", None), ("o6", "unknown", None)]
    assert reference(t, "2028-01", "tasks_not_summing") == want
    assert package(t, "2028-01", "tasks_not_summing") == want


def test_order_ids_written_as_numbers():
    """A task list that writes the order id 1001 as a number belongs to the order "1001": 120 + 90.6 + 120 = 330.6 min =
    5.51 h against 5 hours a week, 0.51 > 0.5, a finding; "1002" has 5.5 h of tasks (0.5, on the boundary): none."""
    orders = [_order("1001", hours=5.0), _order("1002", hours=5.0)]
    tasks = [
        _task(1001, "Egenomsorg", 120.0),
        _task("1001", "Egenomsorg", 90.6),
        _task(1001, "Egenomsorg", 120.0),
        _task(1002, "Egenomsorg", 330.0),
    ]
    t = frames(orders, [_rate(100)], [], [_assessed("c1", "Egenomsorg", 2)], tasks)
    assert reference(t, "2028-01", "tasks_not_summing") == [("1001", "unknown", None)]
    assert package(t, "2028-01", "tasks_not_summing") == [("1001", "unknown", None)]
    compare(t, ["2028-01"])


def _without_need_tables():
    """Citizen c1: Egenomsorg at level 0 (2 from 5 March 2028), Praktiske opgaver 2, Samfundsliv 0 then 1, Mentale
    funktioner not assessed (level missing), Sundhedsforhold absent. The rate: 100 a day."""
    orders = [
        _order("o1", hours=5.0),  # from 1 January
        _order("o2", hours=1.5, start="2028-01-11"),
        _order("o3", hours=1.0),
        _order("o4", hours=None),
        _order("o5", hours=0.5, level="Z"),  # no rate: its cost is missing
    ]
    tasks = [
        _task("o1", " EGENOMSORG ", 60.0),  # level 0: the one finding of o1
        _task("o1", "praktiske  opgaver", 120.0),  # level 2
        _task("o1", "Samfundsliv", 30.0),  # latest level 1
        _task("o1", "Mentale funktioner", 30.0),  # latest level missing: no finding
        _task("o1", "Sundhedsforhold", 60.0),  # not assessed: no finding; Σ o1 = 300 min
        _task("o2", "egenomsorg", 0.0),  # a 0-minute task: a finding of 0 kr.
        _task("o2", "Egenomsorg", 90.0),  # Σ o2 = 90 min: the whole cost
        _task("o3", "Egenomsorg", 45.0),  # another task of o3 has no minutes: DKK missing
        _task("o3", "Praktiske opgaver", NA),
        _task("o4", "Egenomsorg", 0.0),  # Σ o4 = 0 min: DKK missing
        _task("o4", "Samfundsliv", 0.0),
        _task("o5", "Egenomsorg", 30.0),  # the cost is missing: DKK missing
    ]
    assessments = [
        _assessed("c1", "Egenomsorg", 0),
        _assessed("c1", "Praktiske opgaver", 2),
        _assessed("c1", "Samfundsliv", 0, on="2027-06-01"),
        _assessed("c1", "Samfundsliv", 1),
        _assessed("c1", "Mentale funktioner", NA),
        _assessed("c1", "Egenomsorg", 2, on="2028-03-05"),
    ]
    return frames(orders, [_rate(100)], [], assessments, tasks)


@pytest.mark.parametrize(
    ("period", "want"),
    [
        (
            "2028-01",
            [
                ("o1", "over", 620.0),  # 31 days × 100 = 3,100 × 60 / 300
                ("o2", "over", 0.0),  # 21 days × 100 = 2,100 × 0 / 90
                ("o2", "over", 2100.0),  # 2,100 × 90 / 90
                ("o3", "over", None),
                ("o4", "over", None),
                ("o5", "over", None),
            ],
        ),
        (
            "2027-12..2028-02",  # 5 March is after the period: Egenomsorg is still at 0
            [
                ("o1", "over", 1200.0),  # (31 + 29) days × 100 = 6,000 × 60 / 300
                ("o2", "over", 0.0),
                ("o2", "over", 5000.0),  # (21 + 29) days × 100 = 5,000 × 90 / 90
                ("o3", "over", None),
                ("o4", "over", None),
                ("o5", "over", None),
            ],
        ),
        ("2028-Q1", []),  # on 31 March the latest Egenomsorg is the level 2 of 5 March
    ],
)
def test_task_without_need_share_of_the_order_cost(period, want):
    t = _without_need_tables()
    assert reference(t, period, "task_without_need") == want
    assert package(t, period, "task_without_need") == want


def _without_task_tables():
    """Three citizens, day rate 100, every order from 1 January 2028 unless said."""
    orders = [
        _order("o1", hours=1.0),
        _order("o2", hours=1.0),
        _order("o3", hours=1.0, themes=["Praktiske opgaver"]),  # no tasks; its order themes are no task
        _order("o4", hours=1.0, start="2027-10-01", end="2027-12-31"),  # not active in 2028: its task addresses nothing
        _order("o5", citizen_id="c2", hours=0.5),
        _order("o6", citizen_id="c2", hours=0.5),
        _order("o7", citizen_id="c3", hours=1.0),
    ]
    tasks = [
        _task("o1", "EGENOMSORG ", 60.0),
        _task("o2", "Samfundsliv", 60.0),
        _task("o4", "Praktiske opgaver", 60.0),
        _task("o5", "Samfundsliv", 30.0),
        _task("o6", " egenomsorg", 30.0),  # addresses c2's Egenomsorg for o5 too
        _task("o7", "Praktiske opgaver", 60.0),
    ]
    assessments = [
        _assessed("c1", "Egenomsorg", 2),  # addressed by o1's task
        _assessed("c1", "Praktiske  opgaver", 3),  # addressed by no active order's task: o1 and o2
        _assessed("c1", "Samfundsliv", 1),  # below 2
        _assessed("c1", "Sundhedsforhold", NA),  # not assessed
        _assessed("c1", "Mentale funktioner", 4, on="2028-02-10"),  # from February: o1 and o2 again
        _assessed("c2", "Egenomsorg", 2),
        _assessed("c3", "Egenomsorg", 3),  # o7, twice
        _assessed("c3", "Samfundsliv", 2),
    ]
    return frames(orders, [_rate(100)], [], assessments, tasks)


def test_need_without_task_per_order_with_tasks_and_theme():
    t = _without_task_tables()
    # January: Praktiske opgaver for o1 and o2; Egenomsorg and Samfundsliv for o7
    want = [("o1", "under", None), ("o2", "under", None), ("o7", "under", None), ("o7", "under", None)]
    assert reference(t, "2028-01", "need_without_task") == want
    assert package(t, "2028-01", "need_without_task") == want


def test_need_without_task_months_by_theme():
    """Over the quarter, o1 and o2 each have Praktiske opgaver (January, February and March: 3 months) and Mentale
    funktioner (assessed 10 February: February and March, 2 months); o7 its two themes in all 3 months."""
    t = _without_task_tables()
    want = [
        ("o1", "under", None, 2),
        ("o1", "under", None, 3),
        ("o2", "under", None, 2),
        ("o2", "under", None, 3),
        ("o7", "under", None, 3),
        ("o7", "under", None, 3),
    ]
    assert sorted(reference(t, "2028-Q1", "need_without_task", months=True)) == want
    assert sorted(package(t, "2028-Q1", "need_without_task", months=True)) == want


@pytest.mark.parametrize("period", ["2028-01", "2028-Q1", "2027-12..2028-02"])
def test_package_agrees_with_the_reference_on_the_hand_workspaces(period):
    """Every other figure of the three workspaces too (match, all findings, accounting, spend)."""
    for t in (_without_need_tables(), _without_task_tables()):
        compare(t, [period])
