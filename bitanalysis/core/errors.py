"""Error lines: one Danish line per problem, naming the file, sheet, row, column and value."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.danish import day

NO_FILE = "mindst én fil"  # what the error line of a required table that no file feeds expected
ERROR_COLUMNS = ["table", "file", "sheet", "row", "column", "value", "citizen_id", "expected", "message"]


class InputError(ValueError):
    """Input that cannot be used (a data folder, file, mapping, period or output path); the message says why, in Danish.

    The one exception type `load()` raises; every more specific error of the package is one of these.
    """


class ValidationError(InputError):
    """Strict loading found problems; `errors` holds one Danish line per problem."""

    def __init__(self, errors: pd.DataFrame):
        self.errors = errors
        lines = "\n".join(errors["message"].head(50))
        more = f"\n… og {len(errors) - 50} fejl mere" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} fejl i data:\n{lines}{more}")


def safe_value(value: object) -> str:
    """A cell value fit for an error message: dates as dd-mm-åååå, CPR numbers hidden, long text cut."""
    if isinstance(value, (dt.date, np.datetime64)):
        return day(value)
    text = "" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)
    text = hide_cpr(text)
    return text if len(text) <= 60 else text[:57] + "…"


def where(file: str, sheet: str | None) -> str:
    """A source's name in messages and in the `source` column: the file, and its sheet where there is one."""
    return f"{file}, ark '{sheet}'" if sheet else file


def where_column(report: pd.DataFrame) -> pd.Series:
    """The `source` text of each load-report row, to match rows counted by source."""
    sheets = [s if isinstance(s, str) else None for s in report["sheet"]]
    return pd.Series([where(f, s) for f, s in zip(report["file"], sheets)], index=report.index)


def source_counts(sources: pd.Series) -> pd.Series:
    """How many of the given rows each source holds (sources without any left out)."""
    counts = sources.value_counts()
    counts = counts[counts > 0]
    return counts.set_axis(counts.index.astype(str))


def error_frame(rows: list[dict]) -> pd.DataFrame:
    """A table of error lines with the standard columns."""
    return pd.DataFrame(rows, columns=ERROR_COLUMNS).astype({"row": "Int64"})


def error_line(
    table: str,
    file: str,
    sheet: str | None,
    row: int | None,
    column: str,
    value: str,
    expected: str,
    problem: str,
    citizen_id: object = None,
) -> dict:
    """One error line: where (file, sheet, row, column), the value, what was expected, and the Danish message.

    A CPR number in a file or sheet name, or in the problem's text, is hidden.
    """
    file, sheet, problem = hide_cpr(file), hide_cpr(sheet) if sheet else sheet, hide_cpr(problem)
    place = f"{where(file, sheet)}, række {row}" if row is not None else where(file, sheet)
    col = f", kolonne '{column}'" if column else ""
    who = f" (borger {citizen_id})" if isinstance(citizen_id, str) else ""
    return {
        "table": table,
        "file": file,
        "sheet": sheet,
        "row": row,
        "column": column,
        "value": value,
        "citizen_id": citizen_id if isinstance(citizen_id, str) else None,
        "expected": expected,
        "message": f"{place}{col}: {problem}{who}",
    }
