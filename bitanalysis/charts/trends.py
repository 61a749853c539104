"""Months over a window as charts: monthly figures as lines against the same months a year earlier with the chosen
period shaded, and the cost per group in small multiples, one panel per group with its own scale."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bitanalysis.charts.figure import PALETTE, _empty, _figure, _mio, _money, _monthly, month_label, prices

if TYPE_CHECKING:
    from bitanalysis.core.period import Period


def _shifted(frame: pd.DataFrame, months: int) -> pd.Series:
    """The frame's months moved by a number of months ('2025-10' + 12 → '2026-10')."""
    return (pd.PeriodIndex(frame["month"].astype(str), freq="M") + months).astype(str)


def _chosen_months(months: list[str], chosen: Period) -> list[int]:
    """The positions of the chosen period's months among the months on the x axis."""
    return [i for i, m in enumerate(months) if chosen.first <= pd.Period(m, "M") <= chosen.last]


def _shade(fig: go.Figure, inside: list[int], **where) -> None:
    """Shade the chosen period's months (positions on a category axis)."""
    fig.add_vrect(x0=inside[0] - 0.5, x1=inside[-1] + 0.5, fillcolor="#f4d03f", opacity=0.18, line_width=0, **where)


def trend_chart(
    frame: pd.DataFrame,
    values: dict[str, str],
    window: Period,
    chosen: Period,
    *,
    title: str,
    before: pd.DataFrame | None = None,
    unit: str = "kr.",
) -> go.Figure:
    """Monthly figures over a window of months (the last 13, say) as lines, the chosen period shaded, and the same
    months a year earlier dotted (`before`, one row per month). Missing figures are gaps, never 0."""
    axis, fmt = {"kr.": ("kr.", ",.0f"), "%": ("", ".0%"), "timer": ("timer", ",.0f")}.get(unit, (unit, ",.1f"))
    fig = _figure(title, yaxis_title=axis, yaxis_tickformat=fmt, hovermode="x unified", legend=dict(orientation="h", y=-0.18))
    months = [str(m) for m in window.months]
    fig.update_xaxes(categoryorder="array", categoryarray=[month_label(m) for m in months], type="category")
    inside = _chosen_months(months, chosen)
    if inside:
        _shade(fig, inside)
        fig.add_annotation(x=inside[-1] + 0.5, y=1, yref="paper", text="valgt periode", showarrow=False, xanchor="right", yanchor="bottom")
    for i, (column, label) in enumerate(values.items()):
        colour = PALETTE[i % len(PALETTE)]
        for data, name, dash in ((frame, label, "solid"), (before, f"{label}, samme måned året før", "dot")):
            if data is None or data.empty:
                continue
            shifted = data.assign(month=_shifted(data, 12)) if dash == "dot" else data.assign(month=data["month"].astype(str))
            if unit == "%" and shifted["month"].duplicated().any():
                raise ValueError(f"'{column}' har flere rækker pr. måned; en andel kan ikke lægges sammen")
            y = _monthly(shifted, column, months)
            fig.add_scatter(
                x=[month_label(m) for m in months],
                y=y,
                name=name,
                mode="lines+markers",
                line=dict(color=colour, dash=dash, width=3 if dash == "solid" else 2),
                connectgaps=False,
            )
    if not len(fig.data):
        return _empty(fig)
    return fig


BY_NAME = {"paragraph": "paragraf", "provider_name": "tilbud", "provider_id": "tilbud", "service": "ydelse", "team": "team"}


def _small_multiples(groups: list, columns: int, title: str) -> go.Figure:
    """An empty grid of panels, one per group, titled by the group."""
    rows = -(-len(groups) // columns)
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[str(g) if pd.notna(g) else "Ukendt" for g in groups],
        vertical_spacing=min(0.5 / rows, 0.12),
        horizontal_spacing=0.09,
    )
    fig.update_layout(
        title=title,
        separators=",.",
        template="plotly_white",
        font=dict(family="Arial, sans-serif", size=12),
        height=230 * rows + 150,
        hovermode="x unified",
        legend=dict(orientation="h", y=-0.6 / rows, x=0, traceorder="reversed"),
        margin=dict(t=90, l=60, r=30, b=70),
    )
    return fig


def _add_trend_lines(fig: go.Figure, now_y: pd.Series, before_y: pd.Series, labels: list[str], *, first: bool, row: int, col: int) -> None:
    """One panel's lines: the window's months solid, the same months a year earlier dotted."""
    for y, trace, dash, colour in (
        (before_y, "Samme måned året før", "dot", "#7f8c8d"),
        (now_y, f"Seneste {len(labels)} måneder", "solid", PALETTE[0]),
    ):
        fig.add_scatter(
            x=labels,
            y=_mio(y),
            name=trace,
            legendgroup=trace,
            showlegend=first,
            mode="lines+markers",
            line=dict(color=colour, dash=dash, width=2.5 if dash == "solid" else 1.8),
            marker=dict(size=4),
            connectgaps=False,
            hovertext=_money(y),
            hoverinfo="text+name",
            row=row,
            col=col,
        )


def spend_trend_chart(
    spend_now: pd.DataFrame,
    spend_before: pd.DataFrame | None,
    by: str,
    window: Period,
    chosen: Period,
    price_year: int | None = None,
    *,
    columns: int = 2,
) -> go.Figure:
    """Cost per month over a window (the last 13 months) in small multiples, one panel per group (paragraph, …) with
    its own scale: the window's months as a solid line and the same months a year earlier (`spend_before`, the
    `spend` of `year_before(window)`) dotted above them; the chosen period shaded. A month without a figure (no cost,
    or hidden as a small cell) is a gap, never 0. Panels are ordered by the window's cost, largest first."""
    months = [str(m) for m in window.months]
    labels = [month_label(m) for m in months]
    name = BY_NAME.get(by, by)
    title = f"Udgift pr. {name}, seneste {len(months)} måneder mod samme måned året før ({prices(price_year)})"
    before = spend_before if spend_before is not None else spend_now.iloc[:0]
    both = pd.concat([spend_now[[by, "cost"]], before[[by, "cost"]]])
    if both.empty:
        return _empty(_figure(title))
    order = spend_now.groupby(by, dropna=False)["cost"].sum().reindex(both[by].drop_duplicates()).fillna(0)
    groups = order.sort_values(ascending=False, kind="stable").index.tolist()
    fig = _small_multiples(groups, columns, title)
    inside = _chosen_months(months, chosen)
    for k, group in enumerate(groups):
        row, col = k // columns + 1, k % columns + 1
        now_part = spend_now[spend_now[by] == group] if pd.notna(group) else spend_now[spend_now[by].isna()]
        before_part = before[before[by] == group] if pd.notna(group) else before[before[by].isna()]
        now_y = _monthly(now_part, "cost", months)
        before_y = _monthly(before_part.assign(month=_shifted(before_part, 12)) if len(before_part) else None, "cost", months)
        _add_trend_lines(fig, now_y, before_y, labels, first=k == 0, row=row, col=col)
        if inside:
            _shade(fig, inside, row=row, col=col)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels, tickangle=-45, tickfont=dict(size=9), nticks=13)
    fig.update_yaxes(rangemode="tozero", tickformat=",.2~f", title_text="mio. kr.", title_font=dict(size=10))
    return fig
