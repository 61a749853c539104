"""Danish presentation for the reports: formatted tables, small-cell suppression, and sentences about the numbers."""

from __future__ import annotations

import pandas as pd

from ._danish import MONTHS, kr, number, percent
from ._period import Period

SMALL = 5  # groups of fewer citizens are shown as "<5"
STATUS = {"match": "I overensstemmelse", "under": "Underforsyning", "over": "Overbetaling/overforsyning", "unknown": "Uafklaret"}
DIRECTION = {"over": "over (mere betalt/bestilt end behov eller levering)", "under": "under (borgeren får mindre)", "unknown": "uafklaret"}
FINDING = {
    "under_delivery": "Leveret mindre end bestilt",
    "over_delivery": "Leveret mere end bestilt",
    "missing_evidence": "Ingen dokumentation",
    "rate_above_order": "Takstniveau over bevilling",
    "order_above_rate": "Bevilling over takstniveau",
    "addon_unsupported": "Tillæg uden belæg",
    "double_payment": "Dobbeltbetaling",
    "need_not_covered": "Behov uden indsats",
    "order_without_need": "Indsats uden behov",
    "stale_assessment": "Forældet udredning",
    "documentation_without_order": "Dokumentation uden bevilling",
    "rate_missing": "Takst mangler",
}
ACTION = {
    "under_delivery": "Dokumentationsanmodning og dialog med tilbuddet",
    "over_delivery": "Revurdering af behov og bevilling",
    "missing_evidence": "Dokumentationsanmodning",
    "rate_above_order": "Genforhandling af takstniveau",
    "order_above_rate": "Revurdering og genindplacering",
    "addon_unsupported": "Revurdering af tillægget (slutdato, dokumentation)",
    "double_payment": "Genforhandling: ydelsen er i taksten",
    "need_not_covered": "Revurdering: behov uden indsats",
    "order_without_need": "Revurdering af behov",
    "stale_assessment": "Ny udredning (revurdering)",
    "documentation_without_order": "Afklar bevilling med tilbuddet",
    "rate_missing": "Indhent gældende takst",
}


def md(text: str):
    """Markdown for a notebook cell's output."""
    from IPython.display import Markdown

    return Markdown(text)


def month_name(month: str) -> str:
    """'2026-10' → 'oktober 2026'."""
    year, m = month.split("-")
    return f"{MONTHS[int(m) - 1]} {year}"


def period_name(p: Period) -> str:
    """A period in Danish words: 'oktober 2026', '3. kvartal 2026', 'året 2026', 'januar 2026 – juni 2026'."""
    if p.first == p.last:
        return month_name(str(p.first))
    if p.label.endswith(("Q1", "Q2", "Q3", "Q4")):
        return f"{p.label[-1]}. kvartal {p.label[:4]}"
    if p.label.isdigit():
        return f"året {p.label}"
    return f"{month_name(str(p.first))} – {month_name(str(p.last))}"


def suppress_small(frame: pd.DataFrame, count: str = "citizens", hide: tuple[str, ...] = ()) -> pd.DataFrame:
    """Counts below 5 shown as '<5', and the listed columns of those rows blanked (so no one citizen can be read off)."""
    out = frame.astype({count: object})
    small = frame[count] < SMALL
    out.loc[small, count] = f"<{SMALL}"
    for c in hide:
        out[c] = out[c].astype(object)
        out.loc[small, c] = None
    return out


def table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    money: tuple[str, ...] = (),
    percent_: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
    dates: tuple[str, ...] = (),
):
    """A Danish HTML table: chosen columns with Danish headers, amounts as 1.234.567 kr., shares as 12,3 %."""
    from IPython.display import HTML

    out = pd.DataFrame(index=frame.index)
    for col, label in columns.items():
        values = frame[col]
        if col in money:
            values = values.map(lambda v: kr(v) if isinstance(v, (int, float)) and pd.notna(v) else ("–" if v is None or pd.isna(v) else v))
        elif col in percent_:
            values = values.map(lambda v: percent(v) if pd.notna(v) else "–")
        elif decimals and col in decimals:
            values = values.map(lambda v, d=decimals[col]: number(v, d) if isinstance(v, (int, float)) and pd.notna(v) else v)
        elif col in dates:
            values = values.map(lambda v: f"{v:%d-%m-%Y}" if pd.notna(v) else "–")
        out[label] = values.map(lambda v: "–" if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
    return HTML(out.to_html(index=False, escape=True, border=0, classes="bit-table"))


def budget_sentence(followup: pd.DataFrame, year: int, as_of: pd.Timestamp) -> str:
    """One sentence on the year's forecast against the budget."""
    t = followup.set_index("area").loc["total"]
    way = "merforbrug" if t["variance"] > 0 else "mindreforbrug"
    return (
        f"Forventet regnskab for {year} er **{kr(t['forecast'])}** mod et budget på {kr(t['budget'])}: et forventet {way} på "
        f"**{kr(abs(t['variance']))}** ({percent(abs(t['variance_pct']))}), opgjort pr. {as_of:%d-%m-%Y} som forbrug til dato "
        f"({kr(t['actual'])}) plus disponerede udgifter resten af året ({kr(t['committed'])})."
    )


def drivers(pq: pd.DataFrame, now: pd.DataFrame, before: pd.DataFrame, by: str = "paragraph") -> list[str]:
    """The three largest drivers of the change in cost, one sentence each."""
    b = pq.set_index("component")["dkk"]
    change = b["current"] - b["base"]
    effects = b[["quantity", "price", "mix"]]
    main = effects.abs().idxmax()
    names = {
        "quantity": "flere eller færre helårspersoner (mængde)",
        "price": "højere eller lavere pris pr. helårsperson (pris)",
        "mix": "en anden sammensætning af paragraffer og takstniveauer (mix)",
    }
    first = (
        f"Udgiften er {'steget' if change >= 0 else 'faldet'} med {kr(abs(change))}; den største del skyldes {names[main]}: "
        f"{'+' if effects[main] >= 0 else '−'}{kr(abs(effects[main]))}"
    )
    delta = now.groupby(by)["cost"].sum().sub(before.groupby(by)["cost"].sum(), fill_value=0).sort_values()
    up, down = delta.index[-1], delta.index[0]
    second = f"Størst stigning: {up} ({'+' if delta[up] >= 0 else '−'}{kr(abs(delta[up]))})."
    third = (
        f"Størst fald: {down} ({'+' if delta[down] >= 0 else '−'}{kr(abs(delta[down]))})."
        if delta[down] < 0
        else f"Mindst ændring: {down} ({'+' if delta[down] >= 0 else '−'}{kr(abs(delta[down]))})."
    )
    return [first, second, third]
