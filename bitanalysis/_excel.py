"""The Excel workbook: tables a spreadsheet user can open, never running a cell as a formula (written via `_write`)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@")


def write_workbook(path: str | Path, sheets: dict[str, pd.DataFrame], percent: tuple[str, ...] = ()) -> Path:
    """Write tables to a formatted workbook: thousands separators, percentages, frozen header, filters, widths.

    Text that begins with = + - or @ is stored as text, so a spreadsheet never runs it as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, frame in sheets.items():
        ws = wb.create_sheet(_sheet_title(title))
        ws.append([_excel_value(str(c)) for c in frame.columns])
        for cell in ws[1]:
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
        for row in frame.itertuples(index=False):
            ws.append([_excel_value(v) for v in row])
        for col_idx, name in enumerate(frame.columns, start=1):
            letter = get_column_letter(col_idx)
            series = frame[name]
            fmt = (
                "0.0%"
                if name in percent
                else "#,##0"
                if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
                else "dd-mm-yyyy"
                if pd.api.types.is_datetime64_any_dtype(series)
                else None
            )
            for cell in ws[letter][1:]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"  # text, not a formula
                elif fmt:
                    cell.number_format = fmt
            width = max([len(str(name))] + [len(str(v)) for v in series.head(500).tolist()])
            ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
        if len(frame.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 1)}"
    path = Path(path)
    wb.save(path)
    return path


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
