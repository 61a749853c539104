"""The one writer for tables the product writes (CLI outputs): formula-safe, CPR-guarded, whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ._excel import FORMULA_START, write_appendix
from ._privacy import CPR_PATTERN

SUFFIXES = (".csv", ".xlsx", ".parquet")


class OutputError(ValueError):
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


def _guard(frame: pd.DataFrame, path: Path) -> None:
    """Refuse to write a table with something that looks like a CPR number in it."""
    for column in _text_columns(frame):
        if frame[column].astype("string").str.contains(CPR_PATTERN, regex=True).fillna(False).any():
            raise OutputError(f"{path.name}: kolonnen '{column}' indeholder noget, der ligner et CPR-nummer; tabellen skrives ikke")


def _formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (= + - @) start with an apostrophe instead."""
    out = frame.copy()
    for column in _text_columns(frame):
        text = out[column].astype("string")
        live = text.str.startswith(FORMULA_START).fillna(False).astype(bool)
        if live.any():
            out[column] = out[column].astype(object).where(~live, "'" + text)
    return out


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as .csv (Danish Excel: ; and decimal comma), .xlsx or .parquet by the file's suffix."""
    path = Path(path)
    check_output(path)
    _guard(frame, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            _formula_safe(frame).to_csv(tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig")
        elif suffix == ".xlsx":
            write_appendix(tmp, {"Data": frame})  # stores text that looks like a formula as text
        else:
            frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
