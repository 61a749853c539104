"""Fuzz: corrupted exports and mapping files never crash the command line, always answer in Danish and show no CPR number.

Every case copies a small sample municipality (made once per module, its caches warm so that only what a case corrupts
is parsed again), corrupts either the mapping file once or the data files twice (seeded, so a case is the same every
run), runs `bitanalysis validate` (and in some cases `bitanalysis findings`) in-process and checks: the exit code is a
documented one (never 9, "unexpected error"), no exception escapes, no traceback is printed, every line on stderr is
Danish, and no CPR-shaped value is in stdout, stderr, a written file or a warning. `make test` runs the first 20
cases; CI (`make test-long`, marker `long`) runs the other 240, which apply at least 500 corruptions.

Environment: BITANALYSIS_FUZZ_CASES (number of cases), BITANALYSIS_FUZZ_PER_CASE (data-file corruptions per case, 3),
BITANALYSIS_FUZZ_SEED, BITANALYSIS_FUZZ_ERRORS_OUT_EVERY / _FINDINGS_EVERY (which cases write the error table / run
findings), and BITANALYSIS_FUZZ_DEBUG=1 to run with BITANALYSIS_DEBUG=1, so that a crash names the line it came from.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import random
import re
import shutil
import traceback
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from bitanalysis.core.cpr import CPR_PATTERN

from .conftest import CHECKED, SAMPLE

CASES = int(os.environ.get("BITANALYSIS_FUZZ_CASES", "260"))
QUICK = 20  # the cases of `make test`; the rest are marked long (CI)
LONG_CORRUPTIONS = 500  # what CI's cases must apply at the least
PER_CASE = int(os.environ.get("BITANALYSIS_FUZZ_PER_CASE", "3"))  # file corruptions per case; a mapping corruption comes alone
MAPPING_SHARE = 0.3  # the share of cases that corrupt the mapping file
SEED = os.environ.get("BITANALYSIS_FUZZ_SEED", "0")
KEY = "fuzz-key-not-secret-" + "0" * 44
PERIOD = "2026-10"  # the sample's latest full month
ERRORS_OUT_EVERY = int(os.environ.get("BITANALYSIS_FUZZ_ERRORS_OUT_EVERY", "2"))  # these cases write the error table (--errors-out)
FINDINGS_EVERY = int(os.environ.get("BITANALYSIS_FUZZ_FINDINGS_EVERY", "20"))  # these (and every case touching [settings]) run findings
EXIT_CODES = {"validate": {0, 1, 2}, "findings": {0, 2}}
CACHE = ".bitanalysis-cache"
MAPPING = "bitanalysis.toml"

#: A line counts as Danish when, with quoted values and the "Fejl:" prefix taken out, it has a Danish word or letter.
DANISH = re.compile(
    r"\b(?:ikke|kan|skal|er|en|et|og|af|på|til|med|som|mangler|findes|kendes|filen|fejl\w*|kolonne\w*|række\w*|mappe\w*|ark\w*)\b|[æøå]",
    re.IGNORECASE,
)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")

JUNK: tuple[object, ...] = (
    '=HYPERLINK("x")', "+1+2", "-1-2", "@A1", "=1+1", "nan", "NaN", "None", "null", "#N/A", "#VALUE!", "", " ", "-",
    "-1", "-999999", -5, 1e308, "1e309", "inf", "-0", 0, 0.1, True, "31-02-2026", "00-00-0000", "2026-13-01", "29-02-2025",
    "01-01-1800", "31-12-9999", "1/2/3", "10/31/2026", "1.234,56", "12,5", "1,5,6", "kr. 2.347,79", "3.234 kr.", "Kr. 2.527/2679",
    " -1 362 250 ", "I alt", "Total", "1:30", "25:99", "-0:30", "99999", "Ja", "Nej", "måske", "§ 107", "SEL-107-2.1", "§§",
    "ABL-105-2", "pr. km", "pr. døgn", "Niveau 9", "Niveau -1", 45000, 2958466, -1, 1e10, "x" * 5000, "æøå" * 2000,
    "😀", "\u202eabc", "a\nb", 'a"b', "a;b,c\td|e", "Ümlaut Ñ ß", "Ydelse", "CPR",
)  # fmt: skip
ODD_VALUES = (
    '"x"', "9000", "0", "-1", "true", "5", "[]", "{}", '"latin-9"', '"utf-16"', '";;"', '""', '"0,9"', "0.9", "1e400", "nan",
    '"/etc/*"', '"../*"', '"**"', '"**/*"', '"["', '"*"', '["a", 1]', "[[1]]", "2026-10-01", '"\\u0000"', '"ø"', '"0101901234"',
    '"010190-1234"', "{ a = 1 }", '"auto"', '"dd-mm-yyyy"', '"hours"', '","', '"."', '"ISO"', "1.5", '"CPR"', '["CPR", "Ydelse"]',
)  # fmt: skip
#: Source columns of the sample that the mapping leaves out (staff names, notes), to map a column to the wrong one.
OTHER_HEADERS = ("CPR", "Notat", "Medarbejder", "Starttid", "Bemærkning", "PrimærAnsvarlig", "Udreder", "Findes Ikke", "")

Corruption = Callable[[Path, random.Random], str]


# --- the base folder and one case ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample municipality every case copies, made once per module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BITANALYSIS_KEY", KEY)
        return make_base(tmp_path_factory.mktemp("fuzz"))


def make_base(work: Path) -> Path:
    """A sample municipality of 60 citizens, 2 documentation months and 1 rate file, with its mapping file and warm caches."""
    from bitanalysis.cli import main
    from bitanalysis_dev.sample import generate_sample

    folder = work / "base"
    generate_sample(folder, seed=11, citizens=60, providers=8)
    shutil.copy(SAMPLE / MAPPING, folder / MAPPING)  # the sample's mapping file (generate_sample writes none)
    (folder / "planted_cases.csv").unlink()
    for extra in [*sorted((folder / "dokumentation").glob("*.csv"))[:-2], *sorted((folder / "takster").glob("*.xlsx"))[1:]]:
        extra.unlink()
    # warm caches (parsed files, the privacy guard's texts): a case parses again only the files its corruption changed
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["findings", "--data", str(folder), "--period", PERIOD, "--out", str(work / "warm.xlsx")]) == 0
    return folder


@pytest.mark.parametrize("case", [c if c < QUICK else pytest.param(c, marks=pytest.mark.long) for c in range(CASES)])
def test_corrupted_input_is_refused_in_danish_without_a_crash_or_a_cpr_number(
    case: int, base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A seeded corruption of the sample: a documented exit code, Danish lines, no traceback and no CPR number."""
    monkeypatch.setenv("BITANALYSIS_KEY", KEY)
    if os.environ.get("BITANALYSIS_FUZZ_DEBUG"):
        monkeypatch.setenv("BITANALYSIS_DEBUG", "1")
    else:
        monkeypatch.delenv("BITANALYSIS_DEBUG", raising=False)
    failures, what = run_case(base, tmp_path, case)
    CHECKED["fuzz: cases"] += 1
    CHECKED["fuzz: corruptions"] += corruptions_of(case)
    assert not failures, f"case {case} ({what}):\n" + "\n".join(failures)


def test_the_long_cases_apply_at_least_500_corruptions() -> None:
    """CI's run applies 500 corruptions or more (a case applies one to the mapping or three to the data files)."""
    if "BITANALYSIS_FUZZ_CASES" in os.environ or "BITANALYSIS_FUZZ_PER_CASE" in os.environ:
        pytest.skip("the number of cases is set by hand")
    assert sum(corruptions_of(case) for case in range(QUICK, CASES)) >= LONG_CORRUPTIONS


def run_case(base: Path, work: Path, case: int) -> tuple[list[str], str]:
    """Copy the base folder, corrupt it as case `case` says, run the command line on it; the failures and what was done."""
    folder = work / "data"
    shutil.copytree(base, folder)
    what = corrupt(folder, random.Random(f"{SEED}:{case}"))
    argv, written = ["validate", str(folder)], []
    if case % ERRORS_OUT_EVERY == 0:
        written.append(work / f"errors{output_suffix(case)}")
        argv += ["--errors-out", str(written[0])]
    failures = check_run("validate", argv, written)
    if case % FINDINGS_EVERY == 0 or "settings" in what:
        out = work / f"f{output_suffix(case + 1)}"
        failures += check_run("findings", ["findings", "--data", str(folder), "--period", PERIOD, "--out", str(out)], [out])
    return failures, what


def output_suffix(case: int) -> str:
    """The output file type for a case: .csv, .xlsx or .parquet in turn."""
    return (".csv", ".xlsx", ".parquet")[case // 2 % 3]


# --- running the command line and judging what it did ----------------------------------------------------------------------


def run_cli(argv: list[str]) -> tuple[int | None, str, str, str | None, list[str]]:
    """Run `bitanalysis` in-process: exit code, stdout, stderr, an exception that escaped (with its origin) and warnings."""
    from bitanalysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int | None = None
    crash = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: wrong use
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except Exception as exc:
            crash = f"{type(exc).__name__}: {str(exc)[:300]} (at {origin(exc)})"
    return code, out.getvalue(), err.getvalue(), crash, [f"{w.category.__name__}: {w.message}" for w in caught]


def origin(exc: BaseException) -> str:
    """The innermost frame of an exception's traceback in the bitanalysis package, as file:line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/bitanalysis/" in f.filename.replace(os.sep, "/")]
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "outside bitanalysis"


def check_run(command: str, argv: list[str], written: list[Path]) -> list[str]:
    """Run one command and list every way it broke the rules: exit code, traceback, CPR number, non-Danish line."""
    code, out, err, crash, caught = run_cli(argv)
    failures = []
    if crash:
        failures.append(f"{command}: exception escaped main(): {crash}")
    elif code not in EXIT_CODES[command]:
        failures.append(f"{command}: exit code {code}: {err.strip()[-400:]}")
    texts = {"stdout": out, "stderr": err, "warnings": "\n".join(caught)} | {p.name: file_text(p) for p in written if p.exists()}
    for name, text in texts.items():
        if "Traceback" in text:
            failures.append(f"{command}: a traceback in {name}")
        found = CPR_PATTERN.search(text)
        if found:
            failures.append(f"{command}: CPR-shaped value in {name}: …{text[max(found.start() - 80, 0) : found.end() + 40]!r}…")
    english = [line for line in err.splitlines() if line.strip() and not is_danish(line)]
    if english:
        failures.append(f"{command}: not Danish on stderr (exit code {code}): {english[0][:300]!r}")
    return failures


def is_danish(line: str) -> bool:
    """True when the line, without its quoted values and a leading 'Fejl:', has a Danish word or letter."""
    return DANISH.search(QUOTED.sub(" ", line.replace("Fejl:", " "))) is not None


def file_text(path: Path) -> str:
    """A written file's text: every XML part of a workbook, every cell of a Parquet file, else the bytes as UTF-8."""
    import pandas as pd

    if path.suffix == ".parquet":
        return pd.read_parquet(path).to_csv(index=False)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_bytes().decode("utf-8", "replace")


# --- corruptions ------------------------------------------------------------------------------------------------------------


def corrupt(folder: Path, rng: random.Random) -> str:
    """Corrupt the mapping file, or PER_CASE times a data file (content changes before byte changes); what was done."""
    if rng.random() < MAPPING_SHARE:
        return rng.choices(MAPPING_CORRUPTIONS, weights=[w for _, w in MAPPING_CORRUPTIONS])[0][0](folder, rng)
    chosen = rng.choices(FILE_CORRUPTIONS, weights=[w for _, w, _ in FILE_CORRUPTIONS], k=PER_CASE)
    return " + ".join(func(folder, rng) for func, _, _ in sorted(chosen, key=lambda c: c[2]))


def corruptions_of(case: int) -> int:
    """How many corruptions case `case` applies."""
    return 1 if random.Random(f"{SEED}:{case}").random() < MAPPING_SHARE else PER_CASE


def data_files(folder: Path, suffixes: tuple[str, ...] = (".csv", ".xlsx")) -> list[Path]:
    """The data files of a folder (the mapping file and the cache left out)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes and CACHE not in p.parts)


def rel(folder: Path, path: Path) -> str:
    """A path as the case description shows it."""
    return path.relative_to(folder).as_posix()


def cpr(rng: random.Random, in_text: bool = True) -> str:
    """A CPR-shaped number in one of the ways people write it (with in_text, sometimes inside a sentence)."""
    digits = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"
    forms = [digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]} {digits[6:]}"]
    return rng.choice([*forms, f"Borger {digits[:6]}-{digits[6:]} ringede"] if in_text else forms)


def junk(rng: random.Random) -> object:
    """A bad cell value: a CPR number, random text, or one of the known troublemakers."""
    r = rng.random()
    if r < 0.15:
        return cpr(rng)
    if r < 0.3:
        alphabet = "abcæøå ÆØÅ0123456789,.;:-+=@§%'\"\t/\\€😀\u00a0"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
    return rng.choice(JUNK)


def truncate(folder: Path, rng: random.Random) -> str:
    """Cut a data file short."""
    path = rng.choice(data_files(folder))
    data = path.read_bytes()
    k = rng.randrange(len(data) or 1)
    path.write_bytes(data[:k])
    return f"truncate {rel(folder, path)} to {k} of {len(data)} bytes"


def overwrite_bytes(folder: Path, rng: random.Random) -> str:
    """Overwrite a few random bytes of a data file."""
    path = rng.choice(data_files(folder))
    data = bytearray(path.read_bytes() or b"\0")
    spots = sorted(rng.randrange(len(data)) for _ in range(rng.randint(1, 16)))
    for i in spots:
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))
    return f"overwrite {len(spots)} random bytes of {rel(folder, path)} (at {spots[:4]}…)"


def remove_file(folder: Path, rng: random.Random) -> str:
    """Delete a data file, empty it, or put a folder or a dangling link in its place."""
    path = rng.choice(data_files(folder))
    how = rng.choice(["delete", "empty", "folder", "dangling link"])
    path.unlink()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "folder":
        path.mkdir()
    elif how == "dangling link":
        path.symlink_to(folder / "does-not-exist")
    return f"{how} instead of {rel(folder, path)}"


def replace_content(folder: Path, rng: random.Random) -> str:
    """Give a data file another file's content, or content of another format (an encrypted workbook, HTML, random bytes)."""
    files = data_files(folder)
    path = rng.choice(files)
    other = rng.choice(files)
    contents = {
        f"the content of {rel(folder, other)}": other.read_bytes(),
        "an encrypted-workbook header": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(600)),
        "HTML (Excel's 'xls' export)": b"<html><body><table><tr><td>CPR</td></tr><tr><td>x</td></tr></table></body></html>",
        "random bytes": bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))),
        "an empty zip": _empty_zip(),
        "a BOM and nothing else": rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]),
    }
    what = rng.choice(sorted(contents))
    path.write_bytes(contents[what])
    return f"replace {rel(folder, path)} by {what}"


def _empty_zip() -> bytes:
    """A zip file with one junk member: not a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("x.txt", "x")
    return buffer.getvalue()


def stray_cpr_file(folder: Path, rng: random.Random) -> str:
    """A file whose name holds a CPR number, next to a data file (the table's pattern may take it in), valid or junk."""
    path = rng.choice(data_files(folder))
    number = rng.choice([cpr(rng, in_text=False), "0101901234", "010190-1234"])
    prefix = path.stem.split("_")[0]  # "dokumentation" of dokumentation_2026-10: the pattern dokumentation_*.csv takes the file in
    # not "_0101901234": CPR_PATTERN (like the product's guard) reads a number glued to a word as no CPR number
    names = [f"{path.stem} ({number})", f"{prefix}_borger {number}", f"{prefix}_cpr-{number}", number, f"{path.stem} {number}"]
    name = rng.choice(names) + path.suffix
    copy = rng.random() < 0.6
    (path.parent / name).write_bytes(path.read_bytes() if copy else b"junk;" + number.encode())
    return f"stray file {rel(folder, path.parent / name)} ({'a copy of ' + path.name if copy else 'junk'})"


# --- CSV files ---------------------------------------------------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[list[str]], str, str]:
    """A CSV file's rows, its encoding and its delimiter (guessed as the loader's users would write it)."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", "replace"), "cp1252"
    first = text.splitlines()[0] if text else ""
    delimiter = max(";,\t|", key=first.count)
    return list(csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)), encoding, delimiter


def write_csv(path: Path, rows: list[list[str]], encoding: str, delimiter: str, newline: str = "\r\n") -> None:
    """Write rows as CSV; text the encoding cannot hold is written as UTF-8 instead."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    try:
        path.write_bytes(buffer.getvalue().encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(buffer.getvalue().encode("utf-8"))


def csv_cell(folder: Path, rng: random.Random) -> str:
    """Put a bad value into a cell of a CSV file (a CPR number into a text column among them)."""
    path = rng.choice(data_files(folder, (".csv",)))
    rows, encoding, delimiter = read_csv(path)
    i = rng.randrange(1, len(rows)) if len(rows) > 1 else 0
    j = rng.randrange(len(rows[i])) if rows[i] else 0
    value = str(junk(rng))
    rows[i] = rows[i] or [""]
    rows[i][j] = value
    write_csv(path, rows, encoding, delimiter)
    return f"cell row {i + 1} column {rows[0][j] if j < len(rows[0]) else j} of {rel(folder, path)} = {value[:60]!r}"


def csv_header(folder: Path, rng: random.Random) -> str:
    """Drop, rename, blank or repeat a header of a CSV file, or remove or add a whole column."""
    path = rng.choice(data_files(folder, (".csv",)))
    rows, encoding, delimiter = read_csv(path)
    top = max(range(min(len(rows), 15)), key=lambda i: len(rows[i]), default=0)  # the widest early row: the header
    rows = rows or [[""]]
    header = rows[top] = rows[top] or [""]
    j = rng.randrange(len(header))
    how = rng.choice(["rename", "blank", "repeat", "remove column", "add column", "lower case"])
    old = header[j]
    if how == "rename":
        header[j] = str(junk(rng))
    elif how == "blank":
        header[j] = ""
    elif how == "repeat":
        header[j] = rng.choice(header)
    elif how == "lower case":
        header[j] = old.lower() + " "
    elif how == "remove column":
        rows = [r[:j] + r[j + 1 :] for r in rows]
    else:
        rows = [[*r, str(junk(rng)) if i != top else rng.choice([*header, "Ny kolonne"])] for i, r in enumerate(rows)]
    write_csv(path, rows, encoding, delimiter)
    return f"{how} header {old!r} of {rel(folder, path)}" + (f" -> {header[j][:60]!r}" if how in ("rename", "repeat") else "")


def csv_rows(folder: Path, rng: random.Random) -> str:
    """Title or blank rows above the header, rows deleted, repeated, ragged, a totals row, a second header, no data rows."""
    path = rng.choice(data_files(folder, (".csv",)))
    rows, encoding, delimiter = read_csv(path)
    how = rng.choice(["title rows", "blank rows", "delete rows", "repeat rows", "ragged row", "totals row", "second header", "no rows"])
    n = rng.randint(1, 5)
    body = rows[1:]
    if how == "title rows":
        rows = [[f"Udtræk {cpr(rng) if rng.random() < 0.3 else 'fra fagsystem'}"], [], *rows]
    elif how == "blank rows":
        rows = [[] for _ in range(n)] + rows
    elif how == "delete rows":
        rows = rows[:1] + [r for r in body if rng.random() > 0.3]
    elif how == "repeat rows":
        rows = rows + [rng.choice(body) for _ in range(n)] if body else rows
    elif how == "ragged row":
        rows = rows + [[str(junk(rng)) for _ in range(rng.randint(1, 2 * len(rows[0])))]]
    elif how == "totals row":
        rows = rows + [["I alt"] + [""] * (len(rows[0]) - 2) + ["12.345,00"]]
    elif how == "second header":
        rows = rows[:1] + body[: len(body) // 2] + rows[:1] + body[len(body) // 2 :]
    else:
        rows = rows[:1]
    write_csv(path, rows, encoding, delimiter)
    return f"{how} in {rel(folder, path)} (n={n})"


def csv_encoding(folder: Path, rng: random.Random) -> str:
    """Save a CSV file in another encoding, with other line endings."""
    path = rng.choice(data_files(folder, (".csv",)))
    rows, _, delimiter = read_csv(path)
    encoding = rng.choice(["utf-16", "utf-8-sig", "cp1252", "utf-8", "utf-16-le", "utf-16-be", "latin-1", "mac_roman", "utf-32"])
    newline = rng.choice(["\r\n", "\n", "\r"])
    write_csv(path, rows, encoding, delimiter, newline)
    return f"save {rel(folder, path)} as {encoding} with {newline!r} line endings"


def csv_delimiter(folder: Path, rng: random.Random) -> str:
    """Save a CSV file with another delimiter (or a mix of two)."""
    path = rng.choice(data_files(folder, (".csv",)))
    rows, encoding, delimiter = read_csv(path)
    new = rng.choice([",", "\t", "|", ":", " ", ";"])
    if rng.random() < 0.3:  # half the file in one delimiter, half in another
        half = len(rows) // 2
        write_csv(path, rows[:half], encoding, delimiter)
        text = path.read_bytes()
        write_csv(path, rows[half:], encoding, new)
        path.write_bytes(text + path.read_bytes())
        return f"save the second half of {rel(folder, path)} with delimiter {new!r}"
    write_csv(path, rows, encoding, new)
    return f"save {rel(folder, path)} with delimiter {new!r}"


# --- workbooks -----------------------------------------------------------------------------------------------------------------


def open_workbook(folder: Path, rng: random.Random) -> tuple[Path, Any, Any]:
    """A random workbook of the folder, opened with openpyxl, and one of its sheets (openpyxl is untyped)."""
    import openpyxl

    path = rng.choice(data_files(folder, (".xlsx",)))
    book = openpyxl.load_workbook(path)
    return path, book, rng.choice(book.worksheets)


def header_row(sheet: Any) -> int:
    """The 1-based row of a sheet with most cells filled among its first 15 (its header)."""
    widths = [sum(v is not None for v in row) for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 15), values_only=True)]
    return widths.index(max(widths)) + 1 if widths else 1


def set_cell(cell: Any, value: object, rng: random.Random) -> None:
    """Set a cell's value; text starting with = is kept as a formula or stored as text, at random."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    if isinstance(value, str) and value.startswith("=") and rng.random() < 0.5:
        cell.data_type = "s"


def xlsx_cell(folder: Path, rng: random.Random) -> str:
    """Put a bad value into a cell of a workbook (a CPR number into a text column among them)."""
    path, book, sheet = open_workbook(folder, rng)
    top = header_row(sheet)
    row = rng.randint(top + 1, max(sheet.max_row, top + 1))
    col = rng.randint(1, max(sheet.max_column, 1))
    value = junk(rng)
    set_cell(sheet.cell(row, col), value, rng)
    book.save(path)
    name = sheet.cell(top, col).value
    return f"cell row {row} column {name!r} of {rel(folder, path)} sheet {sheet.title!r} = {str(value)[:60]!r}"


def xlsx_header(folder: Path, rng: random.Random) -> str:
    """Rename, blank or repeat a header of a workbook, or delete or add a column."""
    path, book, sheet = open_workbook(folder, rng)
    top = header_row(sheet)
    col = rng.randint(1, max(sheet.max_column, 1))
    old = sheet.cell(top, col).value
    how = rng.choice(["rename", "blank", "repeat", "delete column", "add column", "number"])
    if how == "rename":
        set_cell(sheet.cell(top, col), str(junk(rng)), rng)
    elif how == "blank":
        sheet.cell(top, col).value = None
    elif how == "repeat":
        sheet.cell(top, col).value = sheet.cell(top, rng.randint(1, sheet.max_column)).value
    elif how == "number":
        sheet.cell(top, col).value = rng.choice([1, 2.5, 2026])
    elif how == "delete column":
        sheet.delete_cols(col)
    else:
        sheet.cell(top, sheet.max_column + 1).value = rng.choice([old, "Ny kolonne", cpr(rng)])
    book.save(path)
    new = sheet.cell(top, col).value
    return f"{how} header {old!r} of {rel(folder, path)} sheet {sheet.title!r}" + (
        f" -> {str(new)[:60]!r}" if how != "delete column" else ""
    )


def xlsx_rows(folder: Path, rng: random.Random) -> str:
    """Title or blank rows above the header, rows deleted or repeated, a totals row, no data rows, a huge sheet end."""
    path, book, sheet = open_workbook(folder, rng)
    top = header_row(sheet)
    how = rng.choice(["title rows", "blank rows", "delete rows", "repeat row", "totals row", "no rows", "far cell"])
    n = rng.randint(1, 6)
    if how in ("title rows", "blank rows"):
        sheet.insert_rows(1, n)
        if how == "title rows":
            sheet.cell(1, 1).value = rng.choice(["Udtræk fra fagsystem", f"Borger {cpr(rng)}", "CPR"])
    elif how == "delete rows":
        sheet.delete_rows(rng.randint(top + 1, max(sheet.max_row, top + 1)), n)
    elif how == "repeat row":
        source = rng.randint(top, max(sheet.max_row, top))
        sheet.append([c.value for c in sheet[source]])
    elif how == "totals row":
        sheet.append(["I alt", *[None] * (sheet.max_column - 2), 123456])
    elif how == "no rows":
        sheet.delete_rows(top + 1, sheet.max_row)
    else:
        sheet.cell(rng.choice([300, 5000]), rng.choice([1, 200])).value = str(junk(rng))
    book.save(path)
    return f"{how} in {rel(folder, path)} sheet {sheet.title!r} (n={n})"


def xlsx_sheet(folder: Path, rng: random.Random) -> str:
    """Rename a sheet (to a CPR number among others), delete it, empty it, or add a sheet before it."""
    path, book, sheet = open_workbook(folder, rng)
    old = sheet.title
    how = rng.choice(["rename", "delete", "empty", "add sheet first"])
    if how == "rename":
        title = cpr(rng) if rng.random() < 0.4 else str(junk(rng))
        sheet.title = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Ark1"
    elif how == "delete" and len(book.worksheets) > 1:
        book.remove(sheet)
    elif how in ("delete", "empty"):
        book.create_sheet("Tom")
        book.remove(sheet)
        how = "empty"
    else:
        extra = book.create_sheet(str(junk(rng))[:20].translate({ord(c): None for c in "[]:*?/\\"}) or "Ny", 0)
        extra.append(["Titel", cpr(rng) if rng.random() < 0.3 else "x"])
    book.save(path)
    return f"{how} sheet {old!r} of {rel(folder, path)}" + (f" -> {sheet.title!r}" if how == "rename" else "")


# --- the mapping file ----------------------------------------------------------------------------------------------------------

KEY_LINE = re.compile(r"^(\s*)([A-Za-z_][\w-]*)(\s*=\s*)(.*?)(\s+#.*)?$")
SECTION_LINE = re.compile(r"^\[([\w.-]+)\]")


def mapping_lines(folder: Path) -> list[str]:
    """The mapping file's lines (empty when a corruption before removed it)."""
    path = folder / MAPPING
    return path.read_text(encoding="utf-8", errors="replace").splitlines() if path.is_file() else []


def save_mapping(folder: Path, lines: list[str]) -> None:
    """Write the mapping file's lines back."""
    (folder / MAPPING).write_text("\n".join(lines) + "\n", encoding="utf-8")


def mapping_drop_line(folder: Path, rng: random.Random) -> str:
    """Remove one line (a key, a section header) from the mapping."""
    lines = mapping_lines(folder)
    useful = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not useful:
        return "mapping: nothing to remove"
    i = rng.choice(useful)
    gone = lines.pop(i)
    save_mapping(folder, lines)
    return f"mapping: remove line {i + 1} {gone.strip()[:60]!r}"


def misspell(word: str, rng: random.Random) -> str:
    """The word with one letter dropped, doubled or swapped, or a letter added."""
    i = rng.randrange(len(word))
    how = rng.randrange(4)
    if how == 0 and len(word) > 1:
        return word[:i] + word[i + 1 :]
    if how == 1:
        return word[:i] + word[i] + word[i:]
    if how == 2 and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word + rng.choice("sxe")


def mapping_misspell(folder: Path, rng: random.Random) -> str:
    """Misspell a section, a sub-section or a key of the mapping."""
    lines = mapping_lines(folder)
    names = [(i, m) for i, line in enumerate(lines) if (m := SECTION_LINE.match(line) or KEY_LINE.match(line))]
    if not names:
        return "mapping: nothing to misspell"
    i, m = rng.choice(names)
    group = 1 if m.re is SECTION_LINE else 2
    parts = m.group(group).split(".")
    k = rng.randrange(len(parts))
    parts[k] = misspell(parts[k], rng)
    lines[i] = lines[i][: m.start(group)] + ".".join(parts) + lines[i][m.end(group) :]
    save_mapping(folder, lines)
    return f"mapping: misspell line {i + 1} as {lines[i].strip()[:60]!r}"


def mapping_value(folder: Path, rng: random.Random) -> str:
    """Give a key of the mapping a value of the wrong type or an odd one (header = 9000, files = 5, encoding = "latin-9")."""
    lines = mapping_lines(folder)
    keys = [(i, m) for i, line in enumerate(lines) if (m := KEY_LINE.match(line))]
    if not keys:
        return "mapping: no key to change"
    i, m = rng.choice(keys)
    value = rng.choice([*ODD_VALUES, *(f'"{h}"' for h in OTHER_HEADERS)])
    lines[i] = f"{m.group(1)}{m.group(2)}{m.group(3)}{value}"
    save_mapping(folder, lines)
    return f"mapping: line {i + 1} {lines[i].strip()[:80]!r}"


def mapping_insert(folder: Path, rng: random.Random) -> str:
    """Insert a section or key the mapping does not know, a constant, a setting, a format, or broken TOML."""
    from bitanalysis.core.schema import TABLES
    from bitanalysis.core.settings import Settings
    from bitanalysis.io.mapping import Formats

    lines = mapping_lines(folder)
    table = rng.choice(sorted(TABLES))
    column = rng.choice([c.name for c in TABLES[table]])
    odd = rng.choice(ODD_VALUES)
    snippets = [
        "[foo]\nbar = 1",
        f'[{table}.colums]\n{column} = "X"',
        f"[{table}.constants]\n{column} = {odd}",
        f"[{table}.formats]\n{rng.choice([f.name for f in fields(Formats)])} = {odd}",
        f"[settings]\n{rng.choice([f.name for f in fields(Settings)])} = {odd}",
        '[settings]\nunder_delivery_ratio = "0,9"',
        f"[{table}]\nfiles = {odd}\nheader = {rng.choice(ODD_VALUES)}",
        f"[{table}.columns]\n{column} = {odd}",
        f"{rng.choice(['files', 'sheet', 'header', 'bogus', 'encoding', 'version', 'settings'])} = {odd}",
        'x = "unclosed',
        "[orders",
        "= 3",
        "version = 2",
        f'{column} = "{cpr(rng)}"',
    ]
    snippet = rng.choice(snippets)
    at = rng.choice([len(lines), rng.randint(0, len(lines))])
    lines[at:at] = snippet.splitlines()
    save_mapping(folder, lines)
    return f"mapping: insert {snippet!r} at line {at + 1}"


def mapping_remap(folder: Path, rng: random.Random) -> str:
    """Point a column of the mapping at the wrong source column (CPR, staff names, notes, one that is not there)."""
    lines = mapping_lines(folder)
    sections = {}
    current = ""
    for i, line in enumerate(lines):
        if m := SECTION_LINE.match(line):
            current = m.group(1)
        elif (m := KEY_LINE.match(line)) and current.endswith(".columns"):
            sections[i] = m
    if not sections:
        return "mapping: no column to remap"
    i = rng.choice(sorted(sections))
    m = sections[i]
    quoted = sorted({v for line in lines for v in re.findall(r'"([^"]*)"', line)} | set(OTHER_HEADERS))
    lines[i] = f'{m.group(1)}{m.group(2)}{m.group(3)}"{rng.choice(quoted)}"'
    save_mapping(folder, lines)
    return f"mapping: remap line {i + 1} to {lines[i].strip()!r}"


def mapping_bytes(folder: Path, rng: random.Random) -> str:
    """The mapping file deleted, emptied, cut short, in another encoding, a folder, or random bytes."""
    path = folder / MAPPING
    data = path.read_bytes() if path.is_file() else b""
    how = rng.choice(["delete", "empty", "truncate", "utf-16", "cp1252", "utf-8 BOM", "random bytes", "folder"])
    text = data.decode("utf-8", "replace")
    if path.is_file():
        path.unlink()
    contents = {
        "empty": b"",
        "truncate": data[: rng.randrange(len(data) or 1)],
        "utf-16": text.encode("utf-16"),
        "cp1252": text.encode("cp1252", "replace"),
        "utf-8 BOM": codecs.BOM_UTF8 + data,
        "random bytes": bytes(rng.randrange(256) for _ in range(rng.randint(1, 500))),
    }
    if how == "folder":
        path.mkdir()
    elif how in contents:
        path.write_bytes(contents[how])
    return f"mapping: {how}"


#: Each corruption of a data file, its weight, and its stage (content changes before byte changes, so that two combine).
FILE_CORRUPTIONS: list[tuple[Corruption, int, int]] = [
    (truncate, 5, 2),
    (overwrite_bytes, 5, 2),
    (remove_file, 4, 2),
    (replace_content, 4, 2),
    (stray_cpr_file, 4, 1),
    (csv_cell, 8, 0),
    (csv_header, 4, 0),
    (csv_rows, 4, 0),
    (csv_encoding, 4, 1),
    (csv_delimiter, 3, 1),
    (xlsx_cell, 10, 0),
    (xlsx_header, 5, 0),
    (xlsx_rows, 4, 0),
    (xlsx_sheet, 3, 0),
]
#: Each corruption of the mapping file, and its weight.
MAPPING_CORRUPTIONS: list[tuple[Corruption, int]] = [
    (mapping_drop_line, 4),
    (mapping_misspell, 4),
    (mapping_value, 8),
    (mapping_insert, 7),
    (mapping_remap, 5),
    (mapping_bytes, 3),
]
