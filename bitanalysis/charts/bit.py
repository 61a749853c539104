"""The BIT match as charts: the traffic light of match, under, over and unknown, the DKK at stake per provider,
ordered against delivered hours per month, and one citizen's need, effort and cost side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bitanalysis.charts.figure import COLOURS, _empty, _figure, _money, month_label
from bitanalysis.core.danish import kr, number, percent
from bitanalysis.present import STATUS

if TYPE_CHECKING:
    from bitanalysis.core.period import Period
    from bitanalysis.workspace.workspace import Workspace


def traffic_light_chart(lights: pd.DataFrame, period_label: str) -> go.Figure:
    """Shares of citizens and of DKK in match, under, over and unknown (100 % stacked bars); groups too small to show
    (see `present.hidden_rows`) are drawn together as one grey segment without their own figures."""
    from bitanalysis.present import hidden_rows

    fig = _figure(
        f"BIT-trafiklys {period_label}: andel af borgere og af udgiften", barmode="stack", xaxis_tickformat=".0%", xaxis_range=[0, 1]
    )
    if lights.empty or lights["citizens"].sum() == 0:
        return _empty(fig)
    hidden = hidden_rows(lights)
    citizens = lights["citizens"] / lights["citizens"].sum()
    dkk = lights["dkk"] / lights["dkk"].sum() if lights["dkk"].sum() else lights["dkk"] * 0
    for i, status in enumerate(lights["status"]):
        if hidden.iloc[i]:
            continue
        fig.add_bar(
            y=["Borgere", "Udgift"],
            x=[citizens.iloc[i], dkk.iloc[i]],
            name=STATUS[status],
            orientation="h",
            marker_color=COLOURS[status],
            text=[percent(citizens.iloc[i], 0), percent(dkk.iloc[i], 0)],
            textposition="inside",
            hovertext=[f"{lights['citizens'].iloc[i]} borgere", *_money([lights["dkk"].iloc[i]])],
            hoverinfo="text+name",
        )
    if hidden.any():
        names = " og ".join(STATUS[s].lower() for s in lights.loc[hidden.to_numpy(), "status"])
        fig.add_bar(
            y=["Borgere", "Udgift"],
            x=[citizens[hidden.to_numpy()].sum(), dkk[hidden.to_numpy()].sum()],
            name=f"Skjult: {names} (grupper under 5 borgere)",
            orientation="h",
            marker_color="#d5d8dc",
            hoverinfo="name",
        )
    return fig


def delivery_chart(m: pd.DataFrame, period_label: str) -> go.Figure:
    """Ordered against delivered hours per month (from match rows)."""
    fig = _figure(f"Bestilte og leverede timer pr. måned, {period_label}", barmode="group", yaxis_title="timer")
    if m.empty:
        return _empty(fig)
    g = m.groupby("month", as_index=False)[["ordered_hours", "delivered_hours"]].sum()
    fig.add_bar(x=g["month"].map(month_label), y=g["ordered_hours"], name="Bestilt", marker_color="#aab7b8")
    fig.add_bar(x=g["month"].map(month_label), y=g["delivered_hours"], name="Leveret", marker_color="#2874a6")
    return fig


def bit_chart(ws, citizen_id: str, period) -> go.Figure:
    """One citizen's B, I and T side by side, each with its size (bars) and content (the words on them)."""
    from bitanalysis.bit.match import match
    from bitanalysis.bit.need_findings import latest_levels
    from bitanalysis.core.period import period as as_period

    p = as_period(period)
    need = latest_levels(ws.assessments[ws.assessments["citizen_id"] == citizen_id], p)
    m = match(ws, p)
    orders = _citizen_orders(m[m["citizen_id"] == citizen_id])
    themes = ws.orders.set_index("order_id")["themes"]
    fig = _bit_figure(citizen_id, p.label)
    if need.empty and orders.empty:
        return _empty(fig)
    _add_need_bars(fig, need)
    _add_effort_bars(fig, orders, themes)
    _add_cost_bars(fig, orders, _tariff_texts(ws, orders, p))
    return fig


def _citizen_orders(m: pd.DataFrame) -> pd.DataFrame:
    """One row per order of a citizen's match rows: service, rate level, provider, hours and cost."""
    return m.groupby("order_id", as_index=False).agg(
        service=("service", "first"),
        rate_level=("rate_level", "first"),
        provider=("provider_name", "first"),
        ordered=("ordered_hours", "sum"),
        delivered=("delivered_hours", "sum"),
        cost=("cost", lambda c: c.sum(min_count=1)),
    )


def _bit_figure(citizen_id: str, period_label: str) -> go.Figure:
    """The empty three-panel BIT figure for a citizen and period."""
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=("B – Behov (niveau 0–4)", "I – Indsats (timer)", "T – Takst (udgift)"),
        horizontal_spacing=0.08,
    )
    fig.update_layout(
        title=f"BIT for borger {citizen_id}, {period_label}",
        separators=",.",
        template="plotly_white",
        barmode="group",
        height=540,
        margin=dict(t=90, l=40, r=20, b=40),
        legend=dict(orientation="h", y=-0.42, yanchor="top", x=0),
    )
    return fig


def _add_need_bars(fig: go.Figure, need: pd.DataFrame) -> None:
    """Add the B panel: the assessed level per theme."""
    fig.add_bar(
        x=need["theme"],
        y=need["level"].astype("float"),
        name="Vurderet niveau",
        marker_color="#7d3c98",
        row=1,
        col=1,
        text=[f"{lvl}" if pd.notna(lvl) else "ikke vurderet" for lvl in need["level"]],
        textposition="outside",
    )
    fig.update_yaxes(range=[0, 4.5], row=1, col=1)


def _add_effort_bars(fig: go.Figure, orders: pd.DataFrame, themes: pd.Series) -> None:
    """Add the I panel: ordered and delivered hours per order, with the order's themes."""
    label = orders["order_id"] + "<br>" + orders["service"].fillna("")
    content = [", ".join(themes.get(o, [])) for o in orders["order_id"]]
    fig.add_bar(
        x=label,
        y=orders["ordered"],
        name="Bestilt",
        marker_color="#aab7b8",
        row=1,
        col=2,
        hovertext=[f"Temaer: {c}" for c in content],
        hoverinfo="text+y",
    )
    fig.add_bar(
        x=label,
        y=orders["delivered"],
        name="Leveret",
        marker_color="#2874a6",
        row=1,
        col=2,
        text=[f"{number(d, 1)} t" for d in orders["delivered"]],
        textposition="outside",
    )


def _tariff_texts(ws: Workspace, orders: pd.DataFrame, p: Period) -> list[str]:
    """The rate valid in the period for each order, in words ('ingen gyldig takst' where there is none)."""
    rates = ws.rates[(ws.rates["valid_from"] <= p.end) & (ws.rates["valid_to"].fillna(p.end) >= p.start)].sort_values("valid_from")
    rates = rates.drop_duplicates(["provider_id", "rate_level"], keep="last").set_index(["provider_id", "rate_level"])
    provider = ws.orders.set_index("order_id")["provider_id"]
    tariff = []
    for o, lvl in zip(orders["order_id"], orders["rate_level"]):
        r = rates.loc[(provider.get(o), lvl)] if (provider.get(o), lvl) in rates.index else None
        tariff.append("ingen gyldig takst" if r is None else _tariff_text(r))
    return tariff


def _tariff_text(r: pd.Series) -> str:
    """One rate in words: amount, unit, hour band and what it includes."""
    band = f"bånd {number(r['min_hours_per_week'], 1)}–{number(r['max_hours_per_week'], 1)} t/uge"
    includes = f"; indeholder {', '.join(r['includes'])}" if len(r["includes"]) else ""
    return f"{kr(r['amount'])} {r['unit']}, {band}{includes}"


def _add_cost_bars(fig: go.Figure, orders: pd.DataFrame, tariff: list[str]) -> None:
    """Add the T panel: the cost per order, with its rate on hover."""
    fig.add_bar(
        x=orders["order_id"] + "<br>" + orders["rate_level"].fillna(""),
        y=orders["cost"],
        name="Udgift",
        marker_color="#d68910",
        row=1,
        col=3,
        text=[kr(c) if pd.notna(c) else "takst/timetal mangler" for c in orders["cost"]],
        textposition="outside",
        hovertext=tariff,
        hoverinfo="text+y",
    )
    fig.update_yaxes(tickformat=",.0f", row=1, col=3)


def provider_chart(summary: pd.DataFrame, period_label: str, top: int = 25) -> go.Figure:
    """DKK at stake per provider (from `provider_summary`): over (paid more than delivered or needed) and under."""
    fig = _figure(
        f"Kroner på spil pr. tilbud, {period_label}",
        barmode="relative",
        xaxis_title="kr. på spil (under vises til venstre)",
        xaxis_tickformat=",.0f",
        legend=dict(orientation="h", y=-0.12),
        height=max(360, 30 * min(len(summary), top) + 160),
        margin=dict(t=70, l=20, r=30, b=90),
    )
    s = summary.assign(_both=summary["dkk_over"] + summary["dkk_under"])
    s = s[s["_both"] > 0].nlargest(top, "_both").iloc[::-1]
    if s.empty:
        return _empty(fig)
    names = (
        s["provider_name"].fillna(s["provider_id"]).fillna("uden tilbud").astype(str) if "provider_name" in s else s.iloc[:, 0].astype(str)
    )
    ratio = [f"leveringsgrad {percent(r)}" if pd.notna(r) else "ingen bestilte timer" for r in s["delivery_ratio"]]
    fig.add_bar(y=names, x=s["dkk_over"], orientation="h", name="over", marker_color=COLOURS["over"], hovertext=ratio)
    fig.add_bar(y=names, x=-s["dkk_under"], orientation="h", name="under", marker_color=COLOURS["under"], hovertext=ratio)
    fig.update_yaxes(automargin=True)
    return fig
