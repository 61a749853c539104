"""The Excel workbook: tables a spreadsheet user can open, never running a cell as a formula (written via `bitanalysis.workspace.write`)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@")
NOTE_WIDTH = 90  # a text sheet's text column, in characters
PORTRAIT_WIDTH = 95  # wider sheets print in landscape
LINE_HEIGHT = 15  # points per wrapped line
#: Excel's number formats for Danish readers (Excel shows them with the reader's separators): the one place they are spelt.
NUMBER_FORMAT, PERCENT_FORMAT, DATE_FORMAT = "#,##0", "0.0%", "dd-mm-yyyy"


def write_workbook(
    path: str | Path,
    sheets: dict[str, pd.DataFrame],
    percent: tuple[str, ...] = (),
    *,
    formats: dict[str, dict[str, str]] | None = None,
    notes: tuple[str, ...] = (),
) -> Path:
    """Write tables to a formatted workbook: each sheet an Excel table (header row, filters, banded rows) with a frozen
    header, widths from the content, and printed at the page's width with the header row on every page.

    `formats` gives each sheet's number formats by column ({sheet: {column: format}}); a column without one gets 0.0 %
    when named in `percent`, #,##0 when it holds numbers and dd-mm-yyyy when it holds dates. The sheets named in `notes`
    are text (two columns: a subject and its text), written without a table, their text wrapped. Text that begins with
    = + - or @ is stored as text, so a spreadsheet never runs it as a formula.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for number, (title, frame) in enumerate(sheets.items(), start=1):
        ws = wb.create_sheet(_sheet_title(title))
        _fill(ws, frame, (formats or {}).get(title, {}), percent)
        widths = _widths(ws, frame, note=title in notes)
        _print_setup(ws, sum(widths))
        if title in notes:
            _wrap(ws, widths[-1])
        elif len(frame.columns):
            _add_table(ws, frame, number)
    path = Path(path)
    wb.save(path)
    return path


def _fill(ws, frame: pd.DataFrame, formats: dict[str, str], percent: tuple[str, ...]) -> None:
    """Write a header row and the frame's rows, each column with its number format; formula-like text stays text."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append([_excel_value(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.data_type = "s"  # a header is text, never a formula
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
    for row in frame.itertuples(index=False):
        ws.append([_excel_value(v) for v in row])
    for col_idx, name in enumerate(frame.columns, start=1):
        fmt = formats.get(name) or _default_format(name, frame.iloc[:, col_idx - 1], percent)
        for cell in ws[get_column_letter(col_idx)][1:]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, not a formula
            elif fmt:
                cell.number_format = fmt
    ws.freeze_panes = "A2"


def _widths(ws, frame: pd.DataFrame, *, note: bool) -> list[float]:
    """Set each column's width from its header (plus its filter button) and its first 500 values; return the widths."""
    from openpyxl.utils import get_column_letter

    widths: list[float] = []
    for col_idx, name in enumerate(frame.columns, start=1):
        content = max([len(str(name)) + 3] + [len(_shown(v)) for v in frame.iloc[:500, col_idx - 1].tolist()])
        width = min(max(content + 2, 8), NOTE_WIDTH if note else 60)
        ws.column_dimensions[get_column_letter(col_idx)].width = width
        widths.append(width)
    return widths


def _print_setup(ws, width: float) -> None:
    """Print the sheet at the page's width (landscape when wide), the header row repeated on every page."""
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as many pages down as it takes


def _wrap(ws, width: float) -> None:
    """Wrap a text sheet's last column, each row as high as its wrapped lines (spreadsheets do not measure it on open)."""
    from openpyxl.styles import Alignment

    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = -(-len(str(row[-1].value or "")) // max(int(width) - 4, 1))  # a margin for proportional letters
        ws.row_dimensions[row[0].row].height = LINE_HEIGHT * max(lines, 1)


def _add_table(ws, frame: pd.DataFrame, number: int) -> None:
    """Make the sheet's cells an Excel table; with repeated or empty headers (which a table refuses), filters only."""
    from openpyxl.utils import get_column_letter

    ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 2)}"  # a table needs one row under its header
    headers = [str(c) for c in frame.columns]
    if len(set(headers)) == len(headers) and all(headers):
        ws.add_table(_table(f"Tabel{number}", ref))
    else:
        ws.auto_filter.ref = ref


def _default_format(name: object, series: pd.Series, percent: tuple[str, ...]) -> str | None:
    """A column's number format when none is given: 0.0 % for the `percent` columns, #,##0 for numbers, dd-mm-yyyy for dates."""
    if name in percent:
        return PERCENT_FORMAT
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return NUMBER_FORMAT
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATE_FORMAT
    return None


def _table(name: str, ref: str):
    """An Excel table over `ref`: header row, filter buttons, banded rows."""
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    table = Table(displayName=name, ref=ref, tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True))
    table.autoFilter = AutoFilter(ref=ref)
    return table


def _shown(v: object) -> str:
    """A cell's value about as wide as a spreadsheet shows it (numbers rounded, dates as dd-mm-yyyy)."""
    if isinstance(v, float) and v == v:
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, pd.Timestamp):
        return "dd-mm-yyyy"
    return "" if v is None else str(v)


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no [ ] : * ? / \\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Ark"


def _excel_value(v: object) -> object:
    """A cell value openpyxl writes: lists joined, missing values empty, numpy scalars as Python values, control
    characters replaced."""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)  # control characters a workbook cannot hold (a damaged export)
    return v.item() if hasattr(v, "item") else v
