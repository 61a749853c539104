"""The year's budget follow-up as charts: budget against forecast per budget area, and the forecast path (actual cost
to date, then the committed cost to the year's end) against the budget."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bitanalysis.charts.figure import PALETTE, _empty, _figure, _mio, _money, _monthly, month_label, prices
from bitanalysis.core.danish import day


def budget_chart(followup: pd.DataFrame, year: int, as_of, price_year: int | None = None) -> go.Figure:
    """Budget against forecast (actual to date + committed) per budget area, in mio. kr."""
    from bitanalysis.core.period import parse_day

    as_of = parse_day(as_of)
    fig = _figure(f"Budget og forventet regnskab {year} pr. {day(as_of)} ({prices(price_year)})", barmode="group", yaxis_title="mio. kr.")
    f = followup[followup["area"] != "total"]
    if f.empty:
        return _empty(fig)
    fig.add_bar(
        x=f["area"],
        y=_mio(f["budget"]),
        name="Budget",
        marker_color="#aab7b8",
        offsetgroup="budget",
        hovertext=_money(f["budget"]),
        hoverinfo="text+name",
    )
    fig.add_bar(
        x=f["area"],
        y=_mio(f["actual"]),
        name="Forbrug til dato",
        marker_color="#2874a6",
        offsetgroup="forecast",
        hovertext=_money(f["actual"]),
        hoverinfo="text+name",
    )
    fig.add_bar(
        x=f["area"],
        y=_mio(f["committed"]),
        name="Disponeret resten af året",
        marker_color="#85c1e9",
        offsetgroup="forecast",
        base=_mio(f["actual"]),
        hovertext=_money(f["committed"]),
        hoverinfo="text+name",
    )
    return fig


def _cumulative(monthly: pd.Series, start: float = 0.0) -> pd.Series:
    """Running totals of monthly amounts from a start: a month whose own amount is missing is a gap (later months still
    carry the amounts that are known)."""
    out = start + monthly.fillna(0).cumsum()
    return out.where(monthly.notna())


def _ordered_months(frame: pd.DataFrame, within: list[str]) -> pd.Series:
    """Cost per month: missing where a month's rows lack a cost; 0 where it has no rows (nothing was ordered)."""
    amounts = _monthly(frame, "cost", within)
    present = set(frame["month"].astype(str)) if len(frame) else set()
    return amounts.where(amounts.notna() | amounts.index.isin(present), 0.0)


def _add_forecast(fig: go.Figure, actual_path: pd.Series, committed: pd.DataFrame, rest: list[str]) -> None:
    """The committed cost to the year's end on top of the path to date (dashed), from the as-of month."""
    to_come = _ordered_months(committed, rest)
    start = actual_path.iloc[-1] if len(actual_path) and pd.notna(actual_path.iloc[-1]) else np.nan
    forecast = _cumulative(to_come, 0.0 if pd.isna(start) else start)
    if pd.isna(start):
        forecast[:] = np.nan  # the path to date has a gap at its end: where the forecast starts is not known
    x = [month_label(rest[0]), *[month_label(m) for m in rest]]
    y = pd.concat([pd.Series([start]), forecast], ignore_index=True)
    fig.add_scatter(
        x=x,
        y=_mio(y),
        name="Prognose: disponeret resten af året",
        mode="lines+markers",
        line=dict(color="#85c1e9", width=3, dash="dash"),
        connectgaps=False,
        hovertext=_money(y),
        hoverinfo="text+name",
    )


def forecast_path_chart(
    actual: pd.DataFrame,
    committed: pd.DataFrame,
    budget: float,
    year: int,
    as_of,
    price_year: int | None = None,
) -> go.Figure:
    """The forecast path for the year: the cumulative actual cost month by month to the as-of date (solid), then the
    committed cost to the year's end on top of it (dashed; the as-of month's rest is a step at that month), against
    the budget (a flat line). `actual` and `committed` have a month and a cost per row (the order-months of
    `cost_between` up to as_of and after it). A month with rows but no cost is a gap, never 0; a month with no rows
    costs nothing (no orders)."""
    from bitanalysis.core.period import parse_day

    as_of = parse_day(as_of)
    months = [str(m) for m in pd.period_range(f"{year}-01", f"{year}-12", freq="M")]
    labels = [month_label(m) for m in months]
    fig = _figure(
        f"Forbrug til dato og prognose for {year} mod budgettet ({prices(price_year)})",
        yaxis_title="mio. kr.",
        yaxis_tickformat=",.1f",
        yaxis_rangemode="tozero",
        legend=dict(orientation="h", y=-0.2),
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    cut = f"{as_of:%Y-%m}"
    done = [m for m in months if m <= cut]
    actual_path = _cumulative(_ordered_months(actual, done))
    if len(actual) or len(committed):
        fig.add_scatter(
            x=[month_label(m) for m in done],
            y=_mio(actual_path),
            name=f"Forbrug til {day(as_of)}",
            mode="lines+markers",
            line=dict(color=PALETTE[0], width=3),
            connectgaps=False,
            hovertext=_money(actual_path),
            hoverinfo="text+name",
        )
        _add_forecast(fig, actual_path, committed, [m for m in months if m >= cut])
    if pd.notna(budget):
        budget_line = dict(color="#7f8c8d", width=2, dash="dot")
        fig.add_scatter(x=labels, y=[budget / 1e6] * len(labels), name="Budget", mode="lines", line=budget_line, hoverinfo="name+y")
    return fig if len(fig.data) else _empty(fig)
