"""Prices as charts: the rate increases above the P/L index per provider and level, and the price per ordered hour
per paragraph and level against the other providers and the cost model, on a logarithmic axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bitanalysis.charts.figure import COLOURS, PALETTE, _empty, _figure, _money
from bitanalysis.core.danish import kr, number, percent


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
