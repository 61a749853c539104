"""price_index: the P/L index (pris- og lønindeks) — a year's factor, the years the index lacks, and money columns
expressed in one price year."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from bitanalysis.workspace.workspace import Workspace


def pl_factor(ws: Workspace, year: int) -> float:
    """The P/L index factor of a year (missing when the index has no such year)."""
    hit = ws.price_index.loc[ws.price_index["year"] == year, "factor"]
    return float(hit.iloc[0]) if len(hit) else np.nan


def missing_pl_years(ws: Workspace, years: Iterable[int]) -> list[int]:
    """The years the P/L index has no factor for (fixed prices cannot be computed for them)."""
    return sorted({int(y) for y in years} - {int(y) for y in ws.price_index["year"].dropna()})


def fixed_prices(frame: pd.DataFrame, ws: Workspace, price_year: int, columns: list[str]) -> pd.DataFrame:
    """Money columns expressed in one price year through the P/L index (by the frame's `year`, or the year of `month`)."""
    years = frame["year"] if "year" in frame else pd.to_datetime(frame["month"]).dt.year
    factors = ws.price_index.set_index("year")["factor"]
    ratio = pl_factor(ws, price_year) / years.map(factors).astype("float64")
    missing = sorted(set(years[ratio.isna()]))
    if missing or math.isnan(pl_factor(ws, price_year)):
        raise ValueError(f"P/L-indekset mangler år {missing or [price_year]}; tilføj dem til price_index")
    out = frame.copy()
    for c in columns:
        out[c] = frame[c] * ratio.to_numpy()
    return out
