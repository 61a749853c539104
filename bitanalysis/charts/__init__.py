"""Plotly charts with Danish text, shared by the report templates and the analyst notebooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from bitanalysis.core.danish import MONTHS, kr, number, percent
from bitanalysis.present import use_offline_renderer as use_offline_renderer

if TYPE_CHECKING:
    from bitanalysis.core.period import Period
    from bitanalysis.workspace.workspace import Workspace

COLOURS = {"over": "#c0392b", "under": "#2874a6", "unknown": "#7f8c8d", "match": "#27ae60"}
STATUS = {"match": "I overensstemmelse", "under": "Underforsyning", "over": "Overbetaling/overforsyning", "unknown": "Uafklaret"}
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
    fig.add_annotation(text="Ingen data", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=16))
    return fig


def _mio(values: pd.Series) -> pd.Series:
    return values / 1e6


def _money(values) -> list[str]:
    """Amounts for hover texts: '1.234 kr.', or 'kan ikke opgøres' where missing (never '0 kr.')."""
    return [kr(v) if pd.notna(v) else "kan ikke opgøres" for v in values]


def budget_chart(followup: pd.DataFrame, year: int, as_of, price_year: int | None = None) -> go.Figure:
    """Budget against forecast (actual to date + committed) per budget area, in mio. kr."""
    from bitanalysis.core.period import parse_day

    as_of = parse_day(as_of)
    fig = _figure(
        f"Budget og forventet regnskab {year} pr. {as_of:%d-%m-%Y} ({prices(price_year)})", barmode="group", yaxis_title="mio. kr."
    )
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


def _padded(values: pd.Series, share: float) -> list[float]:
    """An axis range around the values with room on each side for labels beside the bars."""
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    span = (hi - lo) or 1.0
    return [lo - share * span * (lo < 0), hi + share * span]


def rate_chart(dev: pd.DataFrame, year: int, top: int = 15) -> go.Figure:
    """The rate increases above the P/L index, in percentage points, per provider and level."""
    pl = dev["pl_change"].iloc[0] if len(dev) else float("nan")
    fig = _figure(
        f"Takststigning {year - 1}–{year} ud over P/L ({percent(pl) if pd.notna(pl) else 'P/L ukendt'}), procentpoint; "
        "kr. i løbende priser",
        xaxis_title="procentpoint over P/L",
        showlegend=False,
        height=max(350, 28 * min(len(dev), top) + 120),
    )
    if dev.empty:
        return _empty(fig)
    from bitanalysis.present import hidden_rows

    d = dev.assign(hidden=hidden_rows(dev, "placements")).sort_values("excess_pp", ascending=False).head(top).iloc[::-1]
    fig.add_bar(
        y=d["provider_name"].fillna(d["provider_id"]) + " – " + d["rate_level"],
        x=d["excess_pp"],
        orientation="h",
        marker_color=[COLOURS["over"] if v > 0 else COLOURS["match"] for v in d["excess_pp"]],
        text=[f"{number(v, 1)} pp" + ("" if h else f" · {m}") for v, m, h in zip(d["excess_pp"], _money(d["excess_dkk"]), d["hidden"])],
        textposition="outside",
        cliponaxis=False,  # the labels of the longest bars stand beside them, outside the plot area
    )
    fig.update_xaxes(range=_padded(d["excess_pp"], 0.45))
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
    from bitanalysis.bit.findings import latest_levels
    from bitanalysis.bit.match import match
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


BY_NAME = {"paragraph": "paragraf", "provider_name": "tilbud", "provider_id": "tilbud", "service": "ydelse", "team": "team"}


def _monthly(frame: pd.DataFrame | None, column: str, months: list[str]) -> pd.Series:
    """A column summed per month over the given months: a month with no row, or no figure, is missing (a gap), never 0."""
    if frame is None or frame.empty:
        return pd.Series(np.nan, index=months, dtype="float64")
    by_month = frame.assign(month=frame["month"].astype(str)).groupby("month")[column].sum(min_count=1)
    return by_month.reindex(months).astype("float64")


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
            name=f"Forbrug til {as_of:%d-%m-%Y}",
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


def price_chart(benchmark: pd.DataFrame, period_label: str, ratio: float = 1.25) -> go.Figure:
    """The price per ordered hour (from `economics.price_benchmark`) per group (paragraph and level), one row each: every
    provider's price as a dot, the group's quartiles as a bar and its median as a tick, and the cost model's price (the
    group's model cost over its hours) as a diamond where there is a model. Dots above `ratio` × the median of a ranked
    group are red; dots of a group too small to rank are hollow. Groups with one priced provider are left out; a level
    without a price is never drawn as 0. A logarithmic axis: an hour of housing costs many times one of support."""
    from bitanalysis.present import price_groups

    groups = price_groups(benchmark)
    priced = benchmark[benchmark["price_per_hour"].notna() & (benchmark["providers"] >= 2)].copy()
    fig = _figure(
        f"Pris pr. bestilt time pr. paragraf og takstniveau, {period_label}",
        xaxis_title="kr. pr. bestilt time (logaritmisk akse)",
        xaxis_type="log",
        xaxis_tickformat=",.0f",
        height=max(360, 30 * priced.groupby(groups, dropna=False).ngroups + 170),
    )
    if priced.empty:
        return _empty(fig)
    priced["label"] = priced[groups].astype(str).agg(" · ".join, axis=1)
    per = priced.groupby("label", sort=False).agg(q1=("q1", "first"), q3=("q3", "first"), median=("median", "first"))
    _price_spread(fig, per)
    _price_dots(fig, priced, ratio)
    _price_model(fig, priced)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=per.index.tolist(), autorange="reversed", automargin=True)
    _log_ticks(fig, priced)
    return fig


def _price_spread(fig: go.Figure, per: pd.DataFrame) -> None:
    """Each group's quartiles as a bar and its median as a tick."""
    labels = per.index.tolist()
    fig.add_scatter(
        x=[v for q1, q3 in zip(per["q1"], per["q3"]) for v in (q1, q3, None)],
        y=[v for label in labels for v in (label, label, None)],
        mode="lines",
        line=dict(color="#d5dbdb", width=12),
        name="Kvartiler (midterste halvdel)",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=per["median"],
        y=labels,
        mode="markers",
        marker=dict(symbol="line-ns-open", size=20, color="#2c3e50", line=dict(width=3, color="#2c3e50")),
        name="Median",
        hovertext=[f"median {kr(m)}" for m in per["median"]],
        hoverinfo="text",
    )


def _price_dots(fig: go.Figure, priced: pd.DataFrame, ratio: float) -> None:
    """Every provider's price as a dot: red above `ratio` × the median of a ranked group, hollow in an unranked one."""
    high = priced["ranked"] & (priced["price_per_hour"] > ratio * priced["median"])
    kinds = [
        (priced["ranked"] & ~high, "Tilbud", dict(color=PALETTE[0], size=10)),
        (high, f"Over {number(ratio, 2)} × medianen", dict(color=COLOURS["over"], size=12)),
        (~priced["ranked"], "Tilbud i en gruppe, der ikke rangeres", dict(color="#7f8c8d", size=10, symbol="circle-open")),
    ]
    for chosen, name, marker in kinds:
        d = priced[chosen]
        if len(d):
            fig.add_scatter(
                x=d["price_per_hour"],
                y=d["label"],
                mode="markers",
                marker=marker,
                name=name,
                hovertext=[
                    f"{n}: {kr(v)} ({percent(r, 0)} af medianen)"
                    for n, v, r in zip(d["provider_name"].fillna(d["provider_id"]), d["price_per_hour"], d["ratio"])
                ],
                hoverinfo="text",
            )


def _price_model(fig: go.Figure, priced: pd.DataFrame) -> None:
    """The cost model's price per ordered hour of each group as a diamond, where there is a model."""
    if "model_price_per_hour" in priced and priced["model_price_per_hour"].notna().any():
        fair = (priced["model_price_per_hour"] * priced["ordered_hours"]).groupby(priced["label"], sort=False).sum(min_count=1)
        hours = priced["ordered_hours"].where(priced["model_price_per_hour"].notna()).groupby(priced["label"], sort=False).sum()
        model = (fair / hours.where(hours > 0)).dropna()
        fig.add_scatter(
            x=model,
            y=model.index,
            mode="markers",
            marker=dict(symbol="diamond", size=11, color=COLOURS["match"]),
            name="Omkostningsmodellen",
            hovertext=[f"modellens pris {kr(v)}" for v in model],
            hoverinfo="text",
        )


def _log_ticks(fig: go.Figure, priced: pd.DataFrame) -> None:
    """Ticks at 1, 2 and 5 of each power of ten the prices span (a logarithmic axis)."""
    shown = pd.concat([priced["price_per_hour"], priced["q1"], priced["q3"], priced.get("model_price_per_hour", priced["q1"])]).dropna()
    low, high_end = np.floor(np.log10(shown[shown > 0].min())), np.ceil(np.log10(shown.max()))
    ticks = [f * 10**e for e in range(int(low), int(high_end) + 1) for f in (1, 2, 5)]
    fig.update_xaxes(tickvals=ticks, ticktext=[number(t) for t in ticks], minor=dict(showgrid=False))
