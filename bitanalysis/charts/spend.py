"""The portfolio's spend as charts: cost per month stacked by a group, full-year persons and their price, the price ×
quantity × mix bridge between two periods, and the concentration of cost on the most expensive citizens."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bitanalysis.charts.figure import COLOURS, PALETTE, _empty, _figure, _mio, _money, month_label, prices
from bitanalysis.core.danish import kr, number


def bridge_chart(pq: pd.DataFrame, price_year: int | None = None) -> go.Figure:
    """The price × quantity × mix bridge from one period's cost to another's, as a waterfall."""
    labels = pq.set_index("component")["label"]
    fig = _figure(
        f"Fra {labels.get('base', '')[7:]} til {labels.get('current', '')[7:]}: mængde, pris og mix ({prices(price_year)})",
        yaxis_title="mio. kr.",
        showlegend=False,
    )
    if pq.empty:
        return _empty(fig)
    measure = ["absolute" if c in ("base", "current") else "relative" for c in pq["component"]]
    fig.add_trace(
        go.Waterfall(
            x=pq["label"],
            y=_mio(pq["dkk"]),
            measure=measure,
            text=_money(pq["dkk"]),
            textposition="outside",
            increasing_marker_color=COLOURS["over"],
            decreasing_marker_color=COLOURS["match"],
            totals_marker_color="#2874a6",
            connector_line_color="#aab7b8",
        )
    )
    return fig


def spend_chart(spend: pd.DataFrame, by: str, period_label: str, price_year: int | None = None) -> go.Figure:
    """Cost per month, stacked by a group (paragraph, provider, …); a month whose cost is missing has no bar."""
    fig = _figure(f"Udgift pr. måned, {period_label} ({prices(price_year)})", barmode="stack", yaxis_title="mio. kr.")
    if spend.empty:
        return _empty(fig)
    totals = spend.groupby(by, dropna=False)["cost"].sum().sort_values(ascending=False)  # only the order of the groups
    for i, group in enumerate(totals.index):
        part = spend[spend[by] == group] if pd.notna(group) else spend[spend[by].isna()]
        part = part.groupby("month")["cost"].sum(min_count=1).reset_index()  # a month without any cost stays missing
        fig.add_bar(
            x=part["month"].map(month_label),
            y=_mio(part["cost"]),
            name=str(group) if pd.notna(group) else "Ukendt",
            marker_color=PALETTE[i % len(PALETTE)],
            hovertext=_money(part["cost"]),
            hoverinfo="text+name",
        )
    return fig


def fyp_chart(fyp: pd.DataFrame, by: str, period_label: str, price_year: int | None = None) -> go.Figure:
    """Full-year persons per group, with the average price per full-year person written on each bar."""
    fig = _figure(
        f"Helårspersoner og pris pr. helårsperson, {period_label} ({prices(price_year)})",
        yaxis_title="helårspersoner",
        showlegend=False,
    )
    if fyp.empty:
        return _empty(fig)
    fig.add_bar(
        x=fyp[by].astype(str),
        y=fyp["full_year_persons"],
        marker_color="#2874a6",
        text=[f"{kr(p)} pr. helårsperson" if pd.notna(p) else "" for p in fyp["average_price"]],
        textposition="outside",
        hovertext=[f"{number(n, 1)} helårspersoner" for n in fyp["full_year_persons"]],
        hoverinfo="text",
    )
    return fig


def concentration_chart(per_citizen: pd.DataFrame, period_label: str, price_year: int | None = None) -> go.Figure:
    """The Pareto curve: the share of cost held by the most expensive share of citizens (no citizen shown)."""
    fig = _figure(
        f"Koncentration af udgiften, {period_label} ({prices(price_year)})",
        xaxis_title="andel af borgerne (dyreste først)",
        yaxis_title="andel af udgiften",
        xaxis_tickformat=".0%",
        yaxis_tickformat=".0%",
        showlegend=False,
    )
    # citizens whose cost is missing are left out (the report states their order-days), never counted as 0 kr.
    costs: np.ndarray = per_citizen["cost"].dropna().sort_values(ascending=False).to_numpy() if len(per_citizen) else np.zeros(0)
    if len(costs) == 0 or costs.sum() == 0:
        return _empty(fig)
    share_people = [0.0] + [(i + 1) / len(costs) for i in range(len(costs))]
    share_cost = [0.0] + list(costs.cumsum() / costs.sum())
    fig.add_scatter(x=share_people, y=share_cost, mode="lines", line=dict(color="#2874a6", width=3), hoverinfo="skip")
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(color="#aab7b8", dash="dot"), hoverinfo="skip")
    return fig
