"""The frame every chart shares: the colours, the Danish title and axis formats (prices, months, mio. kr., amounts
that cannot be stated), the empty figure, and month series in which a missing month is a gap, never 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bitanalysis.core.danish import MONTHS
from bitanalysis.present import money

COLOURS = {"over": "#c0392b", "under": "#2874a6", "unknown": "#7f8c8d", "match": "#27ae60"}
PALETTE = ["#2874a6", "#27ae60", "#d68910", "#7d3c98", "#c0392b", "#17a589", "#7f8c8d", "#ca6f1e", "#1f618d", "#229954"]


def prices(price_year: int | None) -> str:
    """'løbende priser' or '2026-priser'."""
    return "løbende priser" if price_year is None else f"{price_year}-priser"


def month_label(month: str) -> str:
    """'2026-10' → 'okt. 2026', '2026-05' → 'maj 2026'."""
    year, m = month.split("-")
    name = MONTHS[int(m) - 1]
    return f"{name[:3]}{'.' if len(name) > 3 else ''} {year}"


def _figure(title: str, **layout) -> go.Figure:
    """An empty figure with the house layout: the title, Danish decimal comma and thousands point, white template."""
    fig = go.Figure()
    fig.update_layout(
        title=title,
        separators=",.",
        template="plotly_white",
        font=dict(family="Arial, sans-serif", size=13),
        legend_title_text="",
        **{"margin": dict(t=70, l=60, r=30, b=60), **layout},
    )
    return fig


def _empty(fig: go.Figure) -> go.Figure:
    """The figure with 'Ingen data' in its middle."""
    fig.add_annotation(text="Ingen data", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=16))
    return fig


def _mio(values: pd.Series) -> pd.Series:
    """Kroner as mio. kr."""
    return values / 1e6


def _money(values) -> list[str]:
    """Amounts for hover texts: '1.234 kr.', or 'kan ikke opgøres' where missing (never '0 kr.')."""
    return [money(v) for v in values]


def _monthly(frame: pd.DataFrame | None, column: str, months: list[str]) -> pd.Series:
    """A column summed per month over the given months: a month with no row, or no figure, is missing (a gap), never 0."""
    if frame is None or frame.empty:
        return pd.Series(np.nan, index=months, dtype="float64")
    by_month = frame.assign(month=frame["month"].astype(str)).groupby("month")[column].sum(min_count=1)
    return by_month.reindex(months).astype("float64")
