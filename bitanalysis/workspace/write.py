"""The one writer for the tables the product writes (CLI outputs, report appendices, notebook exports).

Formula-safe, guarded against personal data like the reports, and written whole or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd

from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.core.errors import InputError
from bitanalysis.core.privacy import any_found, blanked, has_cpr, texts_pattern
from bitanalysis.workspace.excel import FORMULA_START, write_workbook

if TYPE_CHECKING:
    from bitanalysis.workspace.workspace import Workspace

SUFFIXES = (".csv", ".xlsx", ".parquet")
Tables: TypeAlias = "pd.DataFrame | dict[str, pd.DataFrame]"
Formats: TypeAlias = "dict[str, dict[str, str]]"


class OutputError(InputError):
    """A table cannot be written where or as asked; the message says why, in Danish."""


def _text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns that hold text (where formulas and CPR numbers could hide)."""
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_datetime64_any_dtype(frame[c])]


def check_output(path: Path) -> None:
    """Refuse an output path before any work is done: an unknown suffix, or an existing folder."""
    if path.suffix.lower() not in SUFFIXES:
        raise OutputError(f"{path}: ukendt filtype '{path.suffix}'; brug .csv, .xlsx eller .parquet")
    if path.is_dir():
        raise OutputError(f"{path} er en mappe; angiv et filnavn, fx {path / 'resultat.xlsx'}")


def sensitive_of(ws: Workspace | None) -> set[str]:
    """The staff names and note texts of the exports a workspace was loaded from (none for a workspace in memory)."""
    if ws is None or ws.folder is None:
        return set()
    from bitanalysis.workspace.sensitive import sensitive_texts

    return sensitive_texts(ws.folder, ws.mapping, hashes=ws.file_hashes)


def own_texts(ws: Workspace | None) -> set[str]:
    """The authority's own texts of the task list (tasks, goals, themes): shown on purpose, even where a documentation
    note says the same words ("Støtte til personlig hygiejne")."""
    if ws is None:
        return set()
    tasks = ws.tasks
    values = [tasks[c].dropna().astype(str).str.strip() for c in ("task", "goal", "theme") if c in tasks]
    return {v for column in values for v in column if v}


def guard(sheets: dict[str, pd.DataFrame], path: Path, sensitive: Collection[str] = (), allowed: Collection[str] = ()) -> None:
    """Refuse to write tables holding a CPR number, or a staff name or note text of the input (the reports' guard);
    the `allowed` texts (the authority's own task list) are taken out of the cells before names and notes are looked for."""
    words, own = texts_pattern(sensitive), texts_pattern(set(allowed) - {""})
    for name, frame in sheets.items():
        cells = {"arknavnet": pd.Series([name]), "kolonnenavnene": pd.Series([str(c) for c in frame.columns])}
        cells |= {f"kolonnen '{c}'": frame[c] for c in _text_columns(frame)}
        for place, values in cells.items():
            text = values.dropna().astype("string")
            if has_cpr(text).any():
                raise OutputError(f"{path.name}: {place} indeholder noget, der ligner et CPR-nummer; intet er skrevet")
            if own is not None:
                text = blanked(text, own)
            if words is not None and any_found(text, words):
                raise OutputError(f"{path.name}: {place} indeholder et navn eller en notattekst fra inddata; intet er skrevet")


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (= + - @) start with an apostrophe instead."""
    out = frame.copy()
    for column in _text_columns(frame):
        text = out[column].astype("string")
        live = text.str.startswith(FORMULA_START).fillna(False).astype(bool)
        if live.any():
            out[column] = out[column].astype(object).where(~live, "'" + text)
    return out


def write_table(
    tables: Tables,
    path: str | Path,
    *,
    ws: Workspace | None = None,
    percent: tuple[str, ...] = (),
    sensitive: Collection[str] = (),
    formats: Formats | None = None,
    notes: tuple[str, ...] = (),
) -> Path:
    """Write a table (or {sheet name: table} for .xlsx) as .csv (Danish Excel: ; and decimal comma), .xlsx or .parquet.

    Every file the product writes comes through here: nothing is written when a cell holds a CPR number or a staff
    name or note text of the exports `ws` was loaded from (or of `sensitive`); text a spreadsheet would run as a
    formula is written as text; the file appears whole or not at all.
    """
    path = Path(path)
    check_output(path)
    sheets = tables if isinstance(tables, dict) else {"Data": tables}
    if len(sheets) != 1 and path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path.name}: {len(sheets)} tabeller kan kun skrives til én .xlsx-fil (et ark pr. tabel)")
    guard(sheets, path, {*sensitive, *sensitive_of(ws)}, allowed=own_texts(ws))
    return _atomic(path, lambda tmp: _write(sheets, tmp, path.suffix.lower(), percent, formats, notes))


def without_libraries(text: str) -> str:
    """Text without the plotly.js library embedded in it, plain or compressed (code, not data: megabytes less to
    search, and no false alarms)."""
    from bitanalysis.workspace.bundle import packed, plotlyjs

    return text.replace(plotlyjs(), "").replace(packed(), "") if "plotly" in text else text


def write_text(text: str, path: str | Path, sensitive: Collection[str] = ()) -> Path:
    """Write a text file the product makes (a mapping file, a notebook's HTML), whole or not at all; refused when it
    holds a CPR number or one of the `sensitive` texts (staff names, notes of the exports)."""
    path = Path(path)
    searched = without_libraries(text)
    if CPR_PATTERN.search(searched):
        raise OutputError(f"{path.name}: teksten indeholder noget, der ligner et CPR-nummer; intet er skrevet")
    words = texts_pattern(sensitive)
    if words is not None and words.search(searched):
        raise OutputError(f"{path.name}: teksten indeholder et navn eller en notattekst fra inddata; intet er skrevet")
    return _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file beside the target, moved into place only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write(
    sheets: dict[str, pd.DataFrame], tmp: Path, suffix: str, percent: tuple[str, ...], formats: Formats | None, notes: tuple[str, ...]
) -> None:
    """Write the tables to a file by its suffix."""
    frame = next(iter(sheets.values()))
    if suffix == ".csv":
        formula_safe(frame).to_csv(tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    elif suffix == ".xlsx":
        write_workbook(tmp, sheets, percent, formats=formats, notes=notes)  # stores text that looks like a formula as text
    else:
        frame.to_parquet(tmp, index=False)
