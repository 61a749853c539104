"""`bitanalysis init` on exports it has never seen: six municipalities' layouts (tests/layouts.py), loaded with no hand edits.

The init tests skip while the command line has no `init` command; the generator's own checks always run.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import csv
import datetime as dt
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import bitanalysis
from bitanalysis.cli import main, parser

from .conftest import TEST_KEY
from .layouts import CITIZEN_TABLES, CPR_PATTERN, KINDS, TABLES, Truth, make_folder

SPAN = "2024-01..2025-12"  # every order, rate and delivery row of the generated folders lies inside
FORCE_KIND = "kmd"  # the kind whose mapping is written a second time with --force (once is enough, and keeps the file fast)


def _has_init() -> bool:
    """Whether the command line has an `init` command yet."""
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return "init" in sub.choices


needs_init = pytest.mark.skipif(not _has_init(), reason="bitanalysis has no init command yet")


@dataclass
class Run:
    """One generated folder after `bitanalysis init` and a load through the mapping it wrote."""

    truth: Truth
    folder: Path
    code: int
    output: str
    ws: bitanalysis.Workspace | None
    load_error: str
    written: tuple[str, ...]  # the files init wrote (bitanalysis.toml and any other), relative to the folder


#: The layouts of `make test`; the other three are CI's (make test-long), where all six run.
QUICK_KINDS = ("nexus", "dubu", "os2")


@pytest.fixture(scope="module", params=[k if k in QUICK_KINDS else pytest.param(k, marks=pytest.mark.long) for k in KINDS])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Generate a folder of one kind, run `bitanalysis init` on it in-process and load it: once per kind."""
    if not _has_init():
        pytest.skip("bitanalysis has no init command yet")
    folder = tmp_path_factory.mktemp(f"init_{request.param}")
    truth = make_folder(request.param, folder)
    before = _files(folder)
    ws, load_error = None, ""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BITANALYSIS_KEY", TEST_KEY.decode())
        mp.setenv("BITANALYSIS_KEY_FILE", str(folder.parent / "no-key-file"))
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(["init", str(folder)])
        written = tuple(sorted(_files(folder) - before))
        if code == 0:
            try:
                ws = bitanalysis.load(folder, key=TEST_KEY, cache=False)
            except bitanalysis.InputError as exc:
                load_error = str(exc)
    return Run(truth, folder, code, out.getvalue(), ws, load_error, written)


def _files(folder: Path) -> set[str]:
    """The files in a data folder, relative to it, leaving out hidden folders (the loader's cache)."""
    return {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and not p.relative_to(folder).parts[0].startswith(".")
    }


def _loaded(r: Run) -> bitanalysis.Workspace:
    """The run's workspace, failing with init's output or the load error when there is none."""
    assert r.code == 0, f"init exited {r.code}:\n{r.output}"
    assert r.ws is not None, f"the mapping init wrote does not load: {r.load_error}\n{(r.folder / 'bitanalysis.toml').read_text()}"
    return r.ws


def _texts(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Every text value of each text (or list) column of a table."""
    out: dict[str, set[str]] = {}
    for column in frame.columns:
        if frame[column].dtype.kind in "biufcmM":
            continue
        values: set[str] = set()
        for v in frame[column].dropna():
            values.update(map(str, v) if isinstance(v, list | tuple) else [str(v)])
        out[column] = values
    return out


def _columns_named(mapping: dict) -> list[str]:
    """The source column names the mapping feeds into canonical columns."""
    named: list[str] = []
    for section in mapping.values():
        if isinstance(section, dict) and isinstance(section.get("columns"), dict):
            for value in section["columns"].values():
                named += [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
    return named


@needs_init
def test_init_writes_a_mapping_that_loads_every_row(run: Run) -> None:
    """Init exits 0 and writes bitanalysis.toml; the load has no errors and every table has the truth's rows."""
    ws = _loaded(run)
    assert (run.folder / "bitanalysis.toml").is_file()
    errors = ws.load_report.errors
    assert errors.empty, "load errors:\n" + "\n".join(errors["message"].astype(str))
    got = {t: len(getattr(ws, t)) for t in TABLES}
    assert got == run.truth.rows, ws.load_report.summary()


@needs_init
def test_totals_equal_the_truth(run: Run) -> None:
    """Citizens, providers, delivered minutes, rate amounts and ordered hours add up to the truth."""
    ws, truth = _loaded(run), run.truth

    def providers(table: str) -> set[str]:
        frame = getattr(ws, table, None)  # the providers table, where the workspace has one, may be empty
        return set() if frame is None or "provider_id" not in frame else set(frame["provider_id"].dropna())

    assert ws.orders["citizen_id"].nunique() == truth.citizens
    assert ws.citizens["citizen_id"].nunique() == truth.citizens
    assert len(providers("orders") | providers("rates") | providers("deliveries") | providers("providers")) == truth.providers
    assert providers("deliveries") <= providers("orders") <= providers("rates")
    assert ws.deliveries["minutes"].sum() == pytest.approx(truth.minutes)
    assert ws.rates["amount"].sum() == pytest.approx(truth.rate_amount)
    assert ws.orders["hours_per_week"].sum() == pytest.approx(truth.hours_per_week)


@needs_init
def test_no_cpr_names_or_notes_in_the_loaded_tables(run: Run) -> None:
    """No CPR number, person name or note reaches a loaded table, and no sensitive column becomes a table column."""
    ws, truth = _loaded(run), run.truth
    cprs = truth.cprs | {f"{c[:6]}-{c[6:]}" for c in truth.cprs}
    sensitive = {c.casefold() for c in truth.sensitive_columns}
    for table in (*TABLES, "providers"):
        frame = getattr(ws, table, None)
        if frame is None:
            continue
        assert not sensitive & {str(c).casefold() for c in frame.columns}, table
        for column, values in _texts(frame).items():
            for v in values:
                assert not any(c in v for c in cprs), f"a CPR number in {table}.{column}"
                assert column == "citizen_id" or not CPR_PATTERN.search(v), f"a CPR-like value in {table}.{column}: {v}"
                assert not any(s in v for s in truth.sensitive_values), f"a name or note in {table}.{column}"


@needs_init
def test_no_cpr_names_or_notes_in_what_init_wrote(run: Run) -> None:
    """The mapping (and any provider list init proposes) holds no CPR number, name or note, and maps no sensitive column."""
    assert "bitanalysis.toml" in run.written, f"init wrote no mapping (exit {run.code}):\n{run.output}"
    for name in run.written:
        path = run.folder / name
        if path.suffix == ".xlsx":
            text = "\n".join(str(v) for rows in _sheets(path).values() for r in rows for v in r if v is not None)
        else:
            text = _decode(path.read_bytes())
        assert not CPR_PATTERN.search(text), f"a CPR-like number in {name}"
        assert not [s for s in run.truth.sensitive_values if s in text], f"a name or note in {name}"
    named = _columns_named(tomllib.loads((run.folder / "bitanalysis.toml").read_text(encoding="utf-8")))
    sensitive = {c.casefold() for c in run.truth.sensitive_columns}
    assert not [n for n in named if n.casefold() in sensitive], f"a sensitive column is mapped: {named}"


@needs_init
def test_the_match_counts_every_delivery_for_its_order(run: Run) -> None:
    """The month's delivered hours are the truth's, and no minute is unmatched or ambiguous, in the month or overall."""
    ws, truth = _loaded(run), run.truth
    m = bitanalysis.match(ws, truth.month)
    assert m["delivered_hours"].sum() == pytest.approx(truth.month_hours)
    for period, minutes in ((truth.month, truth.month_hours * 60), (SPAN, truth.minutes)):
        acc = bitanalysis.accounting(ws, period)
        assert acc.loc["unmatched", "minutes"] == 0 and acc.loc["ambiguous", "minutes"] == 0, acc
        assert acc.loc["matched", "minutes"] == pytest.approx(minutes)


@needs_init
def test_the_rates_cover_the_orders(run: Run) -> None:
    """Every order-day of the month has a rate of the order's provider and level, and the cost is the truth's."""
    ws, truth = _loaded(run), run.truth
    m = bitanalysis.match(ws, truth.month)
    assert m["days_without_rate"].sum() == 0, m.loc[m["days_without_rate"] > 0, ["provider_id", "rate_level"]].drop_duplicates()
    assert m["cost"].notna().all()
    assert m["cost"].sum() == pytest.approx(truth.month_cost)


@needs_init
def test_a_second_init_needs_force(run: Run) -> None:
    """Init again without --force exits 2 and leaves what it wrote as it was; with --force it exits 0."""
    assert "bitanalysis.toml" in run.written, f"init wrote no mapping (exit {run.code}):\n{run.output}"
    before = {name: (run.folder / name).read_bytes() for name in run.written}
    assert main(["init", str(run.folder)]) == 2
    assert {name: (run.folder / name).read_bytes() for name in run.written} == before
    if run.truth.kind == FORCE_KIND:
        assert main(["init", str(run.folder), "--force"]) == 0
        assert tomllib.loads((run.folder / "bitanalysis.toml").read_text(encoding="utf-8"))


# --- the generator's own checks (no init needed) -----------------------------------------------------------------


def _decode(raw: bytes) -> str:
    """A text file's content: UTF-8 (with or without BOM), else cp1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _sheets(path: Path) -> dict[str | None, list[list[object]]]:
    """Every sheet of a workbook (or the one table of a CSV file) as rows of cell values."""
    if path.suffix == ".xlsx":
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        finally:
            wb.close()
    text = _decode(path.read_bytes())
    return {None: [list(r) for r in csv.reader(io.StringIO(text), delimiter=csv.Sniffer().sniff(text[:2000], ";,").delimiter)]}


def _header(rows: list[list[object]]) -> list[object]:
    """The first row with at least two filled cells: the header below any title rows."""
    return next(r for r in rows if sum(v not in (None, "") for v in r) >= 2)


@pytest.mark.parametrize("kind", KINDS)
def test_generated_files_are_readable_and_hold_the_truths_rows(kind: str, tmp_path: Path) -> None:
    """Every file opens (openpyxl, pandas); rows with a CPR number per table are the truth's; no stray index column."""
    truth = make_folder(kind, tmp_path)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {path for path, _, _ in truth.sources}
    cprs = truth.cprs | {f"{c[:6]}-{c[6:]}" for c in truth.cprs}
    counted = dict.fromkeys(CITIZEN_TABLES, 0)
    for path, sheet, table in truth.sources:
        if not path.endswith((".xlsx", ".csv")):
            continue
        if path.endswith(".csv"):
            frame = pd.read_csv(io.StringIO(_decode((tmp_path / path).read_bytes())), sep=None, engine="python", dtype=str)
            assert len(frame.columns) >= 2 and not any(str(c).startswith("Unnamed") for c in frame.columns), path
        rows = _sheets(tmp_path / path)[sheet]
        if table:
            header = _header(rows)
            assert header[0] not in (None, "") and not str(header[0]).startswith("Unnamed"), (path, sheet)
            first = [r[0] for r in rows[rows.index(header) + 1 :] if r and r[0] not in (None, "")]
            assert first[:3] != [0, 1, 2] and first[:3] != ["0", "1", "2"], f"a pandas index column in {path}"
        if table in counted:
            counted[table] += sum(any(str(v) in cprs for v in r) for r in rows)
    expected = {t: truth.rows[t] if t != "citizens" or truth.world.citizens_file else 0 for t in CITIZEN_TABLES}
    assert counted == expected


def _cost_day_by_day(truth: Truth) -> float:
    """The month's rate cost summed day by day (contract §2), from the in-memory orders and rates."""
    year, month = map(int, truth.month.split("-"))
    rates = {(r.provider.key, r.level, r.year): r.amount for r in truth.world.rates}
    total = 0.0
    for day in (dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)):
        for o in (o for o in truth.world.orders if o.active(day)):
            amount, unit = rates[(o.provider.key, o.level, day.year)], o.provider.offer.unit
            days_in_month = calendar.monthrange(day.year, day.month)[1]
            total += {"day": amount, "week": amount / 7, "month": amount / days_in_month, "hour": amount * o.hours / 7}[unit]
    return total


@pytest.mark.parametrize("kind", KINDS)
def test_the_truth_equals_a_recount_of_the_rows(kind: str, tmp_path: Path) -> None:
    """The truth counted from the written cells equals a recount of the in-memory rows, and every delivery has one order."""
    truth = make_folder(kind, tmp_path)
    w = truth.world
    rows = {
        "orders": len(w.orders),
        "rates": len(w.rates),
        "deliveries": len(w.deliveries),
        "assessments": len(w.assessments),
        "citizens": len(w.citizens),
        "budget": len(w.budget),
        "price_index": len(w.price_index),
    }
    assert truth.rows == rows
    assert truth.citizens == len(w.citizens) == len({o.citizen.cpr for o in w.orders})
    assert truth.providers == len(w.providers) == len({o.provider.key for o in w.orders})
    assert truth.minutes == pytest.approx(sum(x.minutes for x in w.deliveries))
    assert truth.rate_amount == pytest.approx(sum(r.amount for r in w.rates))
    assert truth.hours_per_week == pytest.approx(sum(o.hours for o in w.orders))
    assert truth.month_hours == pytest.approx(sum(x.minutes for x in w.deliveries if f"{x.day:%Y-%m}" == truth.month) / 60)
    assert truth.month_hours > 0 and truth.month_cost == pytest.approx(_cost_day_by_day(truth))
    assert 15 <= len(w.citizens) <= 40 and 4 <= len(w.providers) <= 8
    for x in w.deliveries:
        same = [o for o in w.orders if o.citizen is x.order.citizen and o.provider is x.order.provider and o.active(x.day)]
        assert same == [x.order]
    assert len({(x.order.citizen.cpr, x.order.provider.key, x.day) for x in w.deliveries}) == len(w.deliveries)
    assert all(o.start >= dt.date(2024, 1, 1) and (o.end is None or o.start <= o.end <= dt.date(2025, 12, 31)) for o in w.orders)
    assert {s.theme for s in w.assessments} <= {"Egenomsorg", "Praktiske opgaver", "Samfundsliv", "Mentale funktioner", "Sundhedsforhold"}
    headers = {str(v) for path, sheet, table in truth.sources if table for v in _header(_sheets(tmp_path / path)[sheet])}
    assert set(truth.sensitive_columns) <= headers


def test_the_generator_is_deterministic(tmp_path: Path) -> None:
    """The same kind and seed write the same cells; another seed writes other data."""
    a, b, c = (make_folder("kmd", tmp_path / name, seed) for name, seed in (("a", 0), ("b", 0), ("c", 1)))
    for path, _, _ in a.sources:
        if path.endswith((".csv", ".xlsx")):
            assert _sheets(tmp_path / "a" / path) == _sheets(tmp_path / "b" / path), path
    assert (a.rows, a.minutes, a.rate_amount, a.cprs) == (b.rows, b.minutes, b.rate_amount, b.cprs)
    assert a.cprs != c.cprs and a.minutes != c.minutes
