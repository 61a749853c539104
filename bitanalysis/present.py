"""Danish presentation for the reports: formatted tables, small-cell suppression, and sentences about the numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ._danish import MONTHS, kr, number, percent
from ._period import Period

if TYPE_CHECKING:
    from .economics import Concentration, CostGaps

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
    "hours_missing": "Timetal mangler",
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
    "hours_missing": "Angiv bevilgede timer pr. uge",
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


def hidden_rows(frame: pd.DataFrame, count: str = "citizens", within: str | None = None) -> pd.Series:
    """The rows whose amounts and shares may not be shown: counts of 1 to 4, and where only one row (of each `within`
    group, e.g. a month) is that small, the next smallest as well, so the small one cannot be worked out from a total."""
    n = pd.to_numeric(frame[count], errors="coerce")
    hidden = n.between(1, SMALL - 1)
    groups = [frame[within]] if within else [pd.Series(0, index=frame.index)]
    for _, rows in n.groupby(groups, dropna=False):
        small, others = hidden[rows.index], rows[~hidden[rows.index] & (rows > 0)]
        if small.sum() == 1 and len(others):
            hidden[others.idxmin()] = True
    return hidden


def suppress_small(frame: pd.DataFrame, count: str = "citizens", hide: tuple[str, ...] = (), within: str | None = None) -> pd.DataFrame:
    """Counts of 1 to 4 shown as '<5', and in the hidden rows (see `hidden_rows`) the listed columns and every share
    column blanked, so no one citizen's figures can be read off or worked out."""
    hidden = hidden_rows(frame, count, within)
    n = pd.to_numeric(frame[count], errors="coerce")
    out = frame.astype({count: object})
    out.loc[n.between(1, SMALL - 1), count] = f"<{SMALL}"
    shares = [c for c in frame.columns if c == "share" or str(c).endswith("_share")]
    for c in dict.fromkeys([*hide, *shares]):
        out[c] = out[c].astype(object)
        out.loc[hidden, c] = None
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


def money(value: float, missing: str = "kan ikke opgøres") -> str:
    """An amount as '1.234 kr.', or the given words where it is missing (never '0 kr.' for a missing amount)."""
    return kr(value) if pd.notna(value) else missing


def budget_sentence(followup: pd.DataFrame, year: int, as_of: pd.Timestamp) -> str:
    """One sentence on the year's forecast against the budget, with the order-days it leaves out."""
    t = followup.set_index("area").loc["total"]
    left_out = _left_out(int(t.get("days_without_cost", 0)))
    if pd.isna(t["forecast"]):
        return f"Forventet regnskab for {year} kan ikke opgøres pr. {as_of:%d-%m-%Y}: ingen bevillingsdage har en udgift.{left_out}"
    if pd.isna(t["budget"]):
        return (
            f"Forventet regnskab for {year} er **{kr(t['forecast'])}**; der er intet budget for året at sammenligne med. "
            f"Opgjort pr. {as_of:%d-%m-%Y}.{left_out}"
        )
    way = "merforbrug" if t["variance"] > 0 else "mindreforbrug"
    return (
        f"Forventet regnskab for {year} er **{kr(t['forecast'])}** mod et budget på {kr(t['budget'])}: et forventet {way} på "
        f"**{kr(abs(t['variance']))}** ({percent(abs(t['variance_pct']))}), opgjort pr. {as_of:%d-%m-%Y} som forbrug til dato "
        f"({money(t['actual'])}) plus disponerede udgifter resten af året ({money(t['committed'])}).{left_out}"
    )


def _left_out(days: int) -> str:
    """' Beløbene omfatter ikke N bevillingsdage uden udgift.' (empty when there are none)."""
    return f" Beløbene omfatter ikke {number(days)} bevillingsdage i året uden udgift (takst eller timetal mangler)." if days else ""


def left_out(days: int) -> str:
    """' (N bevillingsdage uden udgift er ikke medregnet)' to put after an amount; empty when there are none."""
    return f" ({number(days)} bevillingsdage uden udgift er ikke medregnet)" if days else ""


def _causes(gaps: CostGaps) -> str:
    """Why the order-days have no cost, in words: a missing rate, missing hours on an hourly rate, or both."""
    rate = "taksten mangler for mindst én dag i bevillingsmåneden"
    hours = "bevillingen har en timetakst men intet timetal"
    if gaps.rate_missing_days and gaps.hours_missing_days:
        return f"{rate} ({number(gaps.rate_missing_days)} dage), eller fordi {hours} ({number(gaps.hours_missing_days)} dage)"
    return hours if gaps.hours_missing_days else rate


def missing_costs_sentence(gaps: CostGaps, where: str = "i perioden") -> str:
    """What the amounts could not count: the order-days without a cost and why, as one Danish sentence (contract §2.1)."""
    if not gaps.order_days:
        return f"Der er ingen aktive bevillinger {where}."
    if not gaps.days_without_cost:
        return f"Alle {number(gaps.order_days)} bevillingsdage {where} har en udgift; beløbene er komplette."
    return (
        f"**{number(gaps.days_without_cost)} af {number(gaps.order_days)} bevillingsdage {where} ({percent(gaps.share)}) har "
        f"ingen udgift**, fordi {_causes(gaps)}; de indgår ikke i beløbene, som derfor er for lave (se {_finding_types(gaps)})."
    )


def _finding_types(gaps: CostGaps) -> str:
    """The finding types that name the order-months without a cost."""
    types = [
        f"fundtypen '{FINDING[t]}'"
        for t, days in (("rate_missing", gaps.rate_missing_days), ("hours_missing", gaps.hours_missing_days))
        if days
    ]
    return " og ".join(types)


def nothing_to_report(p: Period, gaps: CostGaps) -> str | None:
    """'Der er intet at rapportere for …' when the period has no order-days or none with a cost; else None."""
    if not gaps.order_days:
        return f"**Der er intet at rapportere for {period_name(p)}:** ingen aktive bevillinger i perioden."
    if gaps.nothing_costed:
        return (
            f"**Der er intet at rapportere for {period_name(p)}:** ingen af periodens {number(gaps.order_days)} bevillingsdage "
            "har en udgift, fordi takster (eller timetal) mangler i perioden. Beløb og diagrammer er derfor udeladt; "
            "se datakvalitetsbilaget."
        )
    return None


def traffic_light_caveat(gaps: CostGaps) -> str:
    """What the traffic light's amounts leave out: the order-days without a cost and the citizens they belong to."""
    if not gaps.days_without_cost:
        return "Trafiklysets udgift omfatter alle periodens bevillingsdage."
    return (
        f"Trafiklysets udgift omfatter ikke {number(gaps.days_without_cost)} bevillingsdage uden udgift "
        f"({percent(gaps.share)} af periodens bevillingsdage, hos {_count(gaps.citizens_without_cost)} borgere); "
        "borgerne tælles med i borgerandelene, men deres manglende beløb indgår ikke i udgiftsandelene."
    )


def _count(citizens: int) -> str:
    """A number of citizens, or '<5' for fewer than 5 (so no one citizen can be read off)."""
    return f"<{SMALL}" if citizens < SMALL else str(citizens)


def concentration_sentence(conc: Concentration, prices: str = "løbende priser") -> str:
    """The top decile's share, the citizens above each threshold, and the order-days without a cost left out."""
    parts = [f"De dyreste 10 % af borgerne står for **{percent(conc.top_decile_share)}** af udgiften i perioden."]
    parts += [f"Over {kr(t)} om året ({prices}): {_count(n)} borgere." for t, n in zip(conc.above["threshold"], conc.above["citizens"])]
    if conc.days_without_cost:
        whole = f"; {_count(conc.citizens_without_cost)} borgere helt uden udgift indgår ikke" if conc.citizens_without_cost else ""
        parts.append(f"{number(conc.days_without_cost)} bevillingsdage uden udgift er ikke medregnet{whole}.")
    return " ".join(parts)


def price_note(price_year: int | None, missing: list[int]) -> str:
    """Which prices the amounts are in: current prices, a price year through P/L, or current prices where P/L lacks years."""
    if price_year is None:
        return "Beløb i løbende priser."
    if missing:
        years = ", ".join(str(y) for y in missing)
        return (
            f"**P/L-indekset mangler år {years}**, så beløbene kan ikke omregnes til {price_year}-priser; "
            "de vises i løbende priser og er mærket sådan."
        )
    return f"Beløb i {price_year}-priser, omregnet med P/L-indekset (takstudviklingen dog i løbende priser)."


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
    delta = _group_change(now, before, by)
    if delta.empty:
        return [first]
    up, down = delta.index[-1], delta.index[0]
    second = f"Størst stigning: {up} ({'+' if delta[up] >= 0 else '−'}{kr(abs(delta[up]))})."
    third = (
        f"Størst fald: {down} ({'+' if delta[down] >= 0 else '−'}{kr(abs(delta[down]))})."
        if delta[down] < 0
        else f"Mindst ændring: {down} ({'+' if delta[down] >= 0 else '−'}{kr(abs(delta[down]))})."
    )
    return [first, second, third]


def _group_change(now: pd.DataFrame, before: pd.DataFrame, by: str) -> pd.Series:
    """The change in cost per group, smallest first; a group without orders in a period counts 0, one without a cost is left out."""
    a, b = now.groupby(by)["cost"].sum(min_count=1), before.groupby(by)["cost"].sum(min_count=1)
    groups = a.index.union(b.index)
    return (a.reindex(groups).where(groups.isin(a.index), 0.0) - b.reindex(groups).where(groups.isin(b.index), 0.0)).dropna().sort_values()
