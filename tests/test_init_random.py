"""`bitanalysis init` on randomly laid-out export folders (tests/random_layouts.py): every canonical row found, nothing private.

`make test` runs RANDOM_FOLDERS folders (seeds 0-4); CI (`make test-long`, marker `long`) runs LONG_FOLDERS more. A failure
shows the seed, the layout drawn and init's output: `make_random_folder(Path("x"), seed)` writes the same folder again.
The generator's own checks at the end need no init.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import bitanalysis
from bitanalysis.cli import main
from bitanalysis.core.privacy import pseudonymise

from .conftest import CHECKED, TEST_KEY
from .random_layouts import CPR_PATTERN, DATE_WORD, KEYS, Source, Truth, make_random_folder, parse_back

RANDOM_FOLDERS = 5  # the folders of `make test`
LONG_FOLDERS = 55  # the further folders of `make test-long`: CI runs both, 60 folders
SEEDS = [s if s < RANDOM_FOLDERS else pytest.param(s, marks=pytest.mark.long) for s in range(RANDOM_FOLDERS + LONG_FOLDERS)]
TABLES = ("orders", "rates", "deliveries", "assessments")
COLUMNS = {  # the canonical columns compared per table (contract §1)
    "orders": ("citizen_id", "provider_id", "service", "paragraph", "hours_per_week", "rate_level", "start_date", "end_date"),
    "rates": ("provider_id", "rate_level", "amount", "unit", "valid_from", "valid_to"),
    "deliveries": ("citizen_id", "provider_id", "date", "minutes"),
    "assessments": ("citizen_id", "assessed_on", "theme", "level"),
}
OUTPUT_CHARS = 4000  # how much of init's output a failure message shows


def _value(column: str, v: object) -> object:
    """A cell in comparable form: dates as dates, numbers rounded, text stripped (service and paragraph as contract §2.1)."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if isinstance(v, dt.datetime):  # a Timestamp too
        return v.date()
    if isinstance(v, dt.date):
        return v
    if column in ("hours_per_week", "amount", "minutes"):
        return round(float(v), 2)
    if column == "level":
        return int(v)
    text = str(v).strip()
    if column == "paragraph":
        return re.sub(r"\s+", "", text)
    return " ".join(text.split()).casefold() if column in ("service", "theme") else text


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> Counter[tuple]:
    """The multiset of a frame's rows on the given columns, in comparable form."""
    return Counter(tuple(_value(c, v) for c, v in zip(columns, row)) for row in frame[list(columns)].itertuples(index=False))


def _expected(truth: Truth, table: str) -> pd.DataFrame:
    """The truth's rows of a table with the CPR replaced by the package's pseudonym under the test key."""
    frame = truth.tables[table].copy()
    if "cpr" in frame:
        frame.insert(0, "citizen_id", pseudonymise(frame.pop("cpr").astype("string"), TEST_KEY).values)
    return frame


def _compare(table: str, expected: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    """What differs between a loaded table and its truth: row count, missing columns, then per column the values."""
    problems = [] if len(got) == len(expected) else [f"{table}: {len(got)} rows loaded, {len(expected)} expected"]
    columns = COLUMNS[table]
    if got.empty:
        return problems
    missing = [c for c in columns if c not in got]
    if missing:
        return [*problems, f"{table}: no column {', '.join(missing)} (loaded columns: {', '.join(map(str, got.columns))})"]
    want, have = _rows(expected, columns), _rows(got, columns)
    if want == have:
        return problems
    for i, column in enumerate(columns):  # which column differs, with an example
        a, b = Counter(r[i] for r in want.elements()), Counter(r[i] for r in have.elements())
        if a != b:
            lost, extra = list((a - b).elements()), list((b - a).elements())
            problems.append(
                f"{table}.{column}: {len(lost)} expected values not loaded (e.g. {lost[:3]}), {len(extra)} unexpected (e.g. {extra[:3]})"
            )
    if len(problems) <= (len(got) != len(expected)):
        problems.append(f"{table}: the rows differ though every column's values agree (values in the wrong rows)")
    return problems


def _texts(frame: pd.DataFrame) -> set[str]:
    """Every value of a table's non-date columns as text (list cells by item)."""
    out: set[str] = set()
    for column in frame.columns:
        if column == "citizen_id" or frame[column].dtype.kind in "mM":
            continue
        for v in frame[column].dropna():
            out.update(map(str, v) if isinstance(v, list | tuple) else [str(v)])
    return out


def _leaks(truth: Truth, text: str) -> list[str]:
    """The CPR numbers, names and notes of the generated files that a text holds."""
    cprs = truth.cprs | {f"{c[:6]}-{c[6:]}" for c in truth.cprs}
    found = [f"CPR {c} (a written CPR number)" for c in cprs if c in text]
    found += [f"CPR-like {m!r} (no written CPR; a derived id?)" for m in CPR_PATTERN.findall(text) if m.replace("-", "") not in cprs]
    return found + [f"name or note {s!r}" for s in truth.sensitive_values if s in text]


def _run_init(folder: Path) -> tuple[int, str]:
    """`bitanalysis init` in-process with the test key; its exit code and printed output."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        mp.setenv("BITANALYSIS_KEY", TEST_KEY.decode())
        mp.setenv("BITANALYSIS_KEY_FILE", str(folder.parent / "no-key-file"))
        try:
            code = main(["init", str(folder)])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue()


@pytest.mark.parametrize("seed", SEEDS)
def test_init_finds_every_row_of_a_random_layout(seed: int, tmp_path: Path) -> None:
    """Init maps a random folder so that every canonical table loads the truth's rows, and nothing private leaks."""
    folder = tmp_path / f"random_{seed}"
    truth = make_random_folder(folder, seed)
    code, output = _run_init(folder)
    # Exit 1 (validation found problems) is no failure in itself: the folder may lack the optional assessments. The rows
    # decide. Exit 2 (nothing recognised) and anything above (a crash) are.
    problems: list[str] = [] if code in (0, 1) else [f"init exited {code}"]
    toml = folder / "bitanalysis.toml"
    if not toml.is_file():
        problems.append("init wrote no bitanalysis.toml")
    else:
        problems += [f"bitanalysis.toml holds {leak}" for leak in _leaks(truth, toml.read_text(encoding="utf-8"))]
        try:
            ws = bitanalysis.load(folder, key=TEST_KEY, cache=False)
        except Exception as exc:  # any failure to load is a finding of this test
            problems.append(f"load failed: {type(exc).__name__}: {exc}")
        else:
            for table in TABLES:
                got = getattr(ws, table, None)
                got = pd.DataFrame() if got is None else got
                if table in truth.tables:
                    problems += _compare(table, _expected(truth, table), got)
                elif len(got):
                    problems.append(f"{table}: {len(got)} rows loaded, none written")
            for table in (*TABLES, "citizens", "providers"):
                frame = getattr(ws, table, None)
                if isinstance(frame, pd.DataFrame):
                    problems += [f"{table} holds {leak}" for leak in _leaks(truth, "\n".join(_texts(frame)))]
    CHECKED["init random layouts: folders tried"] += 1
    if not problems:
        CHECKED["init random layouts: folders passed"] += 1
    shown = output if len(output) <= OUTPUT_CHARS else output[:OUTPUT_CHARS] + f"\n… ({len(output) - OUTPUT_CHARS} more characters)"
    assert not problems, "\n".join(["", *problems, "", truth.describe(), "", f"init exited {code} and printed:", shown])


# --- the generator's own checks (no init needed) -------------------------------------------------------------------


def _read(folder: Path, source: Source) -> list[list[object]]:
    """The written rows of a source (a sheet, or a CSV file decoded with its encoding), trailing empty cells dropped."""
    path = folder / source.path
    if source.layout.fmt == "xlsx":
        wb = load_workbook(path, read_only=True)
        try:
            rows = [list(r) for r in wb[source.sheet or "Ark1"].iter_rows(values_only=True)]
        finally:
            wb.close()
    else:
        text = path.read_bytes().decode(source.layout.encoding or "utf-8")
        rows = [
            [v if v != "" else None for v in r] for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=source.layout.delimiter)
        ]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return [r[: max((i + 1 for i, v in enumerate(r) if v is not None), default=0)] for r in rows]


@pytest.mark.parametrize("seed", range(RANDOM_FOLDERS))
def test_the_files_open_and_read_back_to_the_truth(seed: int, tmp_path: Path) -> None:
    """Every file opens; below each header are exactly the truth's rows, read back with the layout known."""
    truth = make_random_folder(tmp_path, seed)
    read: dict[str, list[tuple]] = {t: [] for t in truth.tables}
    for source in truth.sources:
        rows, lay = _read(tmp_path, source), source.layout
        assert rows[source.header_row] == [lay.headers[k] for k in lay.order], (source.path, source.sheet)
        data = rows[source.header_row + 1 :]
        assert len(data) == source.rows > 0, (source.path, source.sheet)
        for row in data:
            cells = dict(zip(lay.order, row + [None] * (len(lay.order) - len(row))))
            read[source.table].append(tuple(parse_back(k, cells[k], lay) for k in KEYS[source.table]))
    for table, frame in truth.tables.items():
        assert sum(s.rows for s in truth.sources if s.table == table) == len(frame)
        want = Counter(tuple(_value(c, v) for c, v in zip(frame.columns, r)) for r in frame.itertuples(index=False))
        got = Counter(tuple(_value(c, v) for c, v in zip(frame.columns, r)) for r in read[table])
        assert got == want, table
    if any(s.layout.fmt == "csv" for s in truth.sources):
        for source in (s for s in truth.sources if s.layout.fmt == "csv"):
            frame = pd.read_csv(
                tmp_path / source.path,
                sep=source.layout.delimiter,
                encoding=source.layout.encoding,
                dtype=str,
                skiprows=source.header_row,
                skip_blank_lines=False,
            )
            assert len(frame) == source.rows, source.path


@pytest.mark.parametrize("seed", SEEDS)
def test_serial_dates_only_under_date_headers_and_names_only_in_extra_columns(seed: int, tmp_path: Path) -> None:
    """An Excel serial number (a whole number in 2024-2025's range) stands only under a header that says a date, and
    every name or note written stands in a column that is no canonical column."""
    truth = make_random_folder(tmp_path, seed)
    first, last = 45292, 46022  # 2024-01-01 and 2025-12-31 as Excel serials
    for source in truth.sources:
        rows, lay = _read(tmp_path, source), source.layout
        for i, key in enumerate(lay.order):
            column = [r[i] for r in rows[source.header_row + 1 :] if i < len(r)]
            serials = [v for v in column if isinstance(v, int) and not isinstance(v, bool) and first <= v <= last]
            assert not serials or (key in ("start", "end", "date") and DATE_WORD.search(lay.headers[key])), (source.path, key)
            if key in KEYS[source.table]:
                assert not any(str(v) in truth.sensitive_values for v in column if v is not None), (source.path, key)
    assert 15 <= truth.tables["orders"]["cpr"].nunique() <= 40
    assert 3 <= truth.tables["rates"]["provider_id"].nunique() <= 6


def test_the_generator_is_deterministic_and_varied(tmp_path: Path) -> None:
    """The same seed writes the same truth and layout; the seeds together draw every format, date style and split."""
    a, b = make_random_folder(tmp_path / "a", 3), make_random_folder(tmp_path / "b", 3)
    assert a.describe() == b.describe()
    assert all(a.tables[t].equals(b.tables[t]) for t in a.tables)
    drawn = [make_random_folder(tmp_path / str(s), s) for s in range(RANDOM_FOLDERS + LONG_FOLDERS)]
    lays = [lay for t in drawn for lay in t.layouts.values()]
    assert {lay.fmt for lay in lays} == {"xlsx", "csv"}
    assert {lay.encoding for lay in lays if lay.fmt == "csv"} == {"cp1252", "utf-8", "utf-8-sig", "utf-16"}
    assert {lay.date_style for lay in lays} >= {"cell", "serial", "dd-mm-yyyy", "dd.mm.yy", "dd/mm/yyyy", "iso"}
    assert {lay.split for lay in lays} == {"single", "per_provider", "per_year", "half_year", "quarter_sheets"}
    assert {len(lay.titles) for lay in lays} == {0, 1, 2, 3, 4}
    assert {lay.duration for lay in lays if lay.table == "deliveries"} == {"minutes", "hmm", "hours"}
