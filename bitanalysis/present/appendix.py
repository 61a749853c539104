"""The Excel appendices: tables with canonical columns written as Danish sheets with a number format per column kind,
the "Om rapporten" sheet (report, period, data date, caveats, the small-cell rule, the number formats, the version)
first, and an analyst's own frame written with Danish headers (`to_excel`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.core.danish import day
from bitanalysis.core.period import Period, period_name
from bitanalysis.present.caveats import CAVEAT_HEADING, caveats
from bitanalysis.present.cover import data_as_of
from bitanalysis.present.labels import LABELS, _kind
from bitanalysis.present.small_cells import SMALL_CELLS
from bitanalysis.present.tables import danish
from bitanalysis.workspace.excel import DATE_FORMAT, NUMBER_FORMAT, PERCENT_FORMAT

ABOUT = "Om rapporten"
FORMATS_NOTE = (
    "Beløb i kr. uden decimaler, timer med én decimal, helårspersoner med to, andele i procent, datoer dd-mm-åååå "
    "(Excel viser tal med de tusind- og decimaltegn, computeren er sat op til). Hvert ark er en tabel med filtre."
)


def to_excel(tables, path, *, ws=None, columns: list[str] | dict[str, str] | None = None):
    """Write a frame an analyst made (or {sheet name: frame}) to .xlsx, .csv or .parquet with Danish headers and labels,
    shares as %, through the product's writer (formula-safe, refused when it holds personal data of `ws`'s exports)."""
    from bitanalysis.workspace.write import write_table

    sheets = tables if isinstance(tables, dict) else {"Data": tables}
    out: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    for name, f in sheets.items():
        chosen = columns if isinstance(columns, dict) else {c: LABELS.get(c, c) for c in (columns or list(f.columns))}
        out[name] = danish(f, chosen)
        formats[name] = {label: fmt for c, label in chosen.items() if (fmt := number_format(str(c), f[c])) is not None}
    return write_table(out if isinstance(tables, dict) else out["Data"], path, ws=ws, formats=formats)


def number_format(column: str, values: pd.Series) -> str | None:
    """The Excel number format of a canonical column, by its kind (see `_kind`): '#,##0 "kr."' for kroner, '0.0%' for
    shares (stored as fractions), '#,##0.00' for full-year persons, '#,##0.0' for hours, '#,##0' for counts, '0' for
    codes such as years and source rows, 'dd-mm-yyyy' for dates; None for text."""
    if values.dtype == object:  # a column with hidden cells ('<5', empty) still holds numbers in its other rows
        given = values[values.map(lambda v: v is not None and not (isinstance(v, float) and np.isnan(v)) and not isinstance(v, str))]
        if len(given) and given.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))).all():
            values = pd.to_numeric(given, errors="coerce")
    kind, decimals, suffix = _kind(column, values)
    if kind == "date":
        return DATE_FORMAT
    if kind == "plain":
        return "0"
    if kind != "number":
        return None
    if suffix == " %":
        return PERCENT_FORMAT
    grouped = NUMBER_FORMAT + ("." + "0" * decimals if decimals else "")
    return f'{grouped} "kr."' if suffix == " kr." else grouped


def excel_sheets(sheets: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Tables with canonical columns as Danish sheets (headers and value labels by `danish`), with each sheet's number
    formats by Danish header, decided from the canonical names and types before they are relabelled."""
    out: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    for name, frame in sheets.items():
        headers: list[str] = []
        for c in frame.columns:
            label = LABELS.get(str(c), str(c))
            n = sum(h == label or h.startswith(f"{label} (") for h in headers)
            headers.append(f"{label} ({n + 1})" if n else label)  # an Excel table needs unique headers
        out[name] = danish(frame, dict(zip(frame.columns, headers)))
        formats[name] = {h: f for c, h in zip(frame.columns, headers) if (f := number_format(str(c), frame[c])) is not None}
    return out, formats


def plain_lines(markdown: str) -> list[str]:
    """Markdown as plain lines for a spreadsheet: no emphasis, no list marks, no empty lines."""
    lines = [line.strip().removeprefix("- ").replace("**", "").replace("*", "") for line in markdown.splitlines()]
    return [line for line in lines if line]


def about_sheet(
    ws, report: str, period: Period | str | None = None, compare: Period | str | None = None, caveat: str | None = None
) -> pd.DataFrame:
    """The appendix's first sheet, "Om rapporten": report, period, comparison period, run time, data folder (its name,
    not its path), the "data pr." date (the newest documented day), the caveats (`caveat`, the Markdown the report shows,
    by default `caveats(ws, period)`), the small-cell rule and the version."""
    import datetime as dt
    from pathlib import Path

    from bitanalysis.core import __version__
    from bitanalysis.core.period import period as as_period

    rows = [("Rapport", report)]
    p = as_period(period) if period is not None else None
    if p is not None:
        rows.append(("Periode", period_name(p)))
    if compare is not None:
        rows.append(("Sammenligningsperiode", period_name(as_period(compare))))
    rows.append(("Kørt", dt.datetime.now().strftime("%d-%m-%Y kl. %H:%M")))
    rows.append(("Datamappe", Path(ws.folder).name if getattr(ws, "folder", None) else "–"))
    newest = data_as_of(ws)
    rows.append(("Data pr.", day(newest) if pd.notna(newest) else "–"))
    if caveat is None and p is not None:
        caveat = caveats(ws, p)
    if caveat is not None:
        lines = [line for line in plain_lines(caveat) if line != CAVEAT_HEADING]
        rows += [(CAVEAT_HEADING if i == 0 else "", line) for i, line in enumerate(lines)]
    rows.append(("Små grupper", SMALL_CELLS))
    rows.append(("Talformater", FORMATS_NOTE))
    rows.append(("Version", f"bitanalysis {__version__}"))
    return pd.DataFrame(rows, columns=["Emne", "Indhold"])


def write_appendix(
    sheets: dict[str, pd.DataFrame],
    path,
    *,
    ws,
    report: str,
    period: Period | str | None = None,
    compare: Period | str | None = None,
    caveat: str | None = None,
):
    """Write tables with canonical columns as a Danish Excel appendix: "Om rapporten" first, then each table as a sheet
    with Danish headers and value labels, a number format per column kind, an Excel table with filters and a frozen
    header row, through the product's writer (formula-safe, refused when it holds personal data of `ws`'s exports)."""
    from bitanalysis.workspace.write import write_table

    out, formats = excel_sheets(sheets)
    about = about_sheet(ws, report, period, compare, caveat)
    return write_table({ABOUT: about, **out}, path, ws=ws, formats=formats, notes=(ABOUT,))
