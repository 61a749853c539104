"""Danish presentation for the reports: formatted tables, small-cell suppression, and sentences about the numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bitanalysis.bit.summary import SUMMARY_COLUMNS
from bitanalysis.core.danish import day, kr, number, percent
from bitanalysis.core.errors import NO_FILE
from bitanalysis.core.period import Period, period_name
from bitanalysis.core.period import month_name as month_name
from bitanalysis.present.cover import cover as cover
from bitanalysis.present.cover import data_as_of

if TYPE_CHECKING:
    from bitanalysis.bit.tasks import TaskLists
    from bitanalysis.core.settings import Settings
    from bitanalysis.economics import Concentration, CostGaps
    from bitanalysis.io.cost_model import CostModel

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
    "tasks_not_summing": "Opgaver svarer ikke til timerne",
    "task_without_need": "Opgave uden behov",
    "need_without_task": "Behov uden opgave",
    "price_above_peers": "Pris over andre tilbuds",
    "price_above_model": "Pris over omkostningsmodellen",
    "price_below_model": "Pris under omkostningsmodellen",
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
    "tasks_not_summing": "Ret indsatslisten eller bevillingens timer",
    "task_without_need": "Revurdering: opgaven svarer ikke til et behov",
    "need_without_task": "Tilføj en opgave til indsatslisten",
    "price_above_peers": "Genforhandling af prisen pr. time",
    "price_above_model": "Genforhandling: prisen over modellens",
    "price_below_model": "Dialog med tilbuddet: kan taksten bære timerne?",
}

UNIT = {"day": "døgn", "week": "uge", "month": "måned", "year": "år", "hour": "time"}
DELIVERY_STATUS = {"matched": "Knyttet til en bevilling", "unmatched": "Uden bevilling", "ambiguous": "Tvetydig", "loaded": "Indlæst i alt"}
#: Danish column labels for the canonical columns and the figures the package computes (the tables' headers).
LABELS = {
    "month": "Måned",
    "period": "Periode",
    "order_id": "Bevilling",
    "citizen_id": "Borger (pseudonym)",
    "provider_id": "Tilbuds-id",
    "provider_name": "Tilbud",
    "paragraph": "Paragraf",
    "service": "Ydelse",
    "themes": "Temaer",
    "theme": "Tema",
    "task": "Opgave",
    "minutes_per_week": "Minutter pr. uge",
    "goal": "Indsatsmål",
    "rate_level": "Takstniveau",
    "label": "Betegnelse",
    "unit": "Enhed",
    "amount": "Takst",
    "valid_from": "Gyldig fra",
    "valid_to": "Gyldig til",
    "min_hours_per_week": "Timer pr. uge, fra",
    "max_hours_per_week": "Timer pr. uge, til",
    "includes": "Indeholder",
    "start_date": "Startdato",
    "end_date": "Slutdato",
    "hours_per_week": "Timer pr. uge",
    "is_addon": "Tillæg",
    "team": "Team",
    "target_group": "Målgruppe",
    "active_days": "Aktive dage",
    "ordered_hours": "Bestilt (timer)",
    "delivered_hours": "Leveret (timer)",
    "delivery_ratio": "Leveringsgrad",
    "coverage": "Dokumenterede uger",
    "cost": "Udgift",
    "days_without_rate": "Dage uden takst",
    "days_without_cost": "Dage uden udgift",
    "cost_per_delivered_hour": "Udgift pr. leveret time",
    "implied_hourly_price": "Pris pr. bestilt time",
    "type": "Fundtype",
    "direction": "Retning",
    "dkk_at_stake": "Kroner på spil",
    "evidence": "Belæg",
    "latest_assessment": "Seneste udredning",
    "months": "Måneder med fundet",
    "citizens": "Borgere",
    "orders": "Bevillinger",
    "findings": "Fund",
    "findings_without_dkk": "Fund uden beløb",
    "dkk_over": "Kr. på spil: over",
    "dkk_under": "Kr. på spil: under",
    "dkk_unknown": "Kr. på spil: uafklaret",
    "date": "Dato",
    "minutes": "Minutter",
    "hours": "Timer",
    "rows": "Rækker",
    "status": "Status",
    "source": "Kilde (fil og ark)",
    "source_row": "Række i kilden",
    "assessed_on": "Udredt",
    "level": "Niveau",
    "support_level": "Støtteniveau",
    "full_year_persons": "Helårspersoner",
    "average_price": "Gennemsnitspris",
    "area": "Område",
    "year": "År",
    "rank": "Rang",
    "table": "Tabel",
    "fits": "Passer",
    "annual_cost": "Årlig udgift",
    "reason": "Begrundelse",
    "same_target_group": "Samme målgruppe",
    "candidate_orders": "Mulige bevillinger",
    "file": "Fil",
    "sheet": "Ark",
    "rows_read": "Læst",
    "blank_rows": "Tomme rækker",
    "totals_skipped": "Sumrækker sprunget over",
    "rows_rejected": "Afvist",
    "duplicates_removed": "Dubletter fjernet",
    "rows_accepted": "Brugt",
    "problem": "Problem",
    "row": "Række",
    "column": "Kolonne",
    "value": "Værdi",
    "expected": "Forventet",
    "message": "Besked",
    "amount_prev": "Takst året før",
    "change": "Ændring",
    "pl_change": "P/L-ændring",
    "excess_pp": "Ud over P/L (procentpoint)",
    "placements": "Pladser",
    "excess_dkk": "Merudgift ud over P/L",
    "delivers": "Leverer i dag",
    "ordered_weeks": "Bestilte uger",
    "documented_weeks": "Dokumenterede uger",
    "order_days": "Bevillingsdage",
    "rate_missing_days": "Dage, takst mangler",
    "hours_missing_days": "Dage, timetal mangler",
    "order_months": "Bevillingsmåneder",
    "order_months_without_cost": "Bevillingsmåneder uden udgift",
    "citizens_without_cost": "Borgere uden udgift",
    "share": "Andel",
    "budget": "Budget",
    "actual": "Forbrug til dato",
    "committed": "Disponeret",
    "forecast": "Forventet regnskab",
    "variance": "Afvigelse",
    "variance_pct": "Afvigelse i procent",
    "actual_days_without_cost": "Dage uden udgift, forbrug til dato",
    "committed_days_without_cost": "Dage uden udgift, disponeret",
    "dkk": "Kroner",
    "citizen_share": "Andel af borgerne",
    "dkk_share": "Andel af udgiften",
    "series": "Serie",
    "part": "Del",
    "costed_full_year_persons": "Helårspersoner med udgift",
    "threshold": "Tærskel (kr. om året)",
    "annualised_cost": "Udgift omregnet til år",
    "action": "Forslag til handling",
    "price_per_hour": "Pris pr. bestilt time",
    "median": "Median",
    "q1": "Nedre kvartil",
    "q3": "Øvre kvartil",
    "providers": "Tilbud i gruppen",
    "ratio": "Forhold til median",
    "ranked": "Rangeret",
    "price_rank": "Placering",
    "model_price_per_hour": "Modellens pris pr. time",
    "days_left_out": "Bevillingsdage udeladt",
    **FINDING,
}
#: Danish value labels for the coded columns.
TABLES = {
    "orders": "Bevillinger",
    "rates": "Takster",
    "deliveries": "Dokumentation",
    "assessments": "Udredninger",
    "citizens": "Borgere",
    "budget": "Budget",
    "price_index": "P/L-indeks",
    "providers": "Tilbud",
    "tasks": "Indsatsliste",
}
DIRECTION_SHORT = {"over": "over", "under": "under", "unknown": "uafklaret"}
VALUES = {
    "type": FINDING,
    "direction": DIRECTION_SHORT,
    "unit": UNIT,
    "table": TABLES,
    "status": STATUS | DELIVERY_STATUS,
    "area": {"total": "I alt"},
}
MONEY = (
    "amount_prev",
    "cost",
    "amount",
    "dkk_at_stake",
    "dkk_over",
    "dkk_under",
    "dkk_unknown",
    "cost_per_delivered_hour",
    "implied_hourly_price",
    "average_price",
    "annual_cost",
    "budget",
    "actual",
    "committed",
    "forecast",
    "variance",
    "excess_dkk",
    "dkk",
    "threshold",
    "annualised_cost",
    "price_per_hour",
    "median",
    "q1",
    "q3",
    "model_price_per_hour",
)
PLAIN = ("source_row", "year", "rank", "price_rank", "level", "support_level")  # numbers read as codes: no thousands point
SHARES = ("delivery_ratio", "coverage", "share", "change", "pl_change", "variance_pct", "ratio")  # fractions, shown as %
HOURS = ("ordered_hours", "delivered_hours", "hours_per_week", "min_hours_per_week", "max_hours_per_week", "hours", "minutes")
COUNTS = ("citizens", "orders", "findings", "placements", "rows", "months", "order_months", "active_days", "providers")  # whole numbers


def md(text: str):
    """Markdown for a notebook cell's output."""
    from IPython.display import Markdown

    return Markdown(text)


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


CAVEAT_HEADING = "Hvad rapporten ikke kan tælle med"


def failed_tables(ws) -> list[str]:
    """Why tables could not be loaded whole, one Danish line each: every file with a problem (unreadable, a needed
    column missing) and every required table with no rows (no file, or all its rows rejected)."""
    from bitanalysis.workspace.load import REQUIRED_TABLES

    report = ws.load_report
    files = report.files.reindex(columns=["table", "file", "sheet", "rows_accepted", "problem"])
    lines = []
    for r in files[files["problem"].notna()].itertuples():
        where = f"{r.file}" + (f", ark {r.sheet}" if pd.notna(r.sheet) else "")
        problem = str(r.problem)
        lines.append(f"{TABLES.get(r.table, r.table)}: {problem if str(r.file) in problem else f'{where}: {problem}'}")
    accepted = files.groupby("table")["rows_accepted"].sum()
    no_file = set(report.errors.loc[report.errors["expected"].eq(NO_FILE), "table"])
    for table in REQUIRED_TABLES:
        name = TABLES.get(table, table)
        if table in no_file:
            lines.append(f"{name}: ingen fil fundet, så tabellen er tom")
        elif accepted.get(table, 0) == 0:
            lines.append(f"{name}: ingen rækker kunne bruges, så tabellen er tom")
    return lines


def caveats(ws, p: Period | str, gaps: CostGaps | None = None, where: str = "i perioden") -> str:
    """The block at the top of every report: what its amounts could not count (contract §2.1), as Markdown.

    The order-days without a cost (`gaps`, by default the whole period's; a provider report passes its own) and the
    tables that failed to load (files with a problem, required tables with no rows)."""
    from bitanalysis.core.period import period as as_period
    from bitanalysis.economics import cost_gaps

    gaps = cost_gaps(ws, as_period(p)) if gaps is None else gaps
    costs = missing_costs_sentence(gaps, where)
    if gaps.days_without_cost:
        costs += (
            " En manglende udgift regnes aldrig som nul: hvert beløb, der udelader bevillingsmåneder uden udgift, "
            "siger ved siden af, hvor mange bevillingsdage det har udeladt."
        )
    failed = failed_tables(ws)
    if failed:
        tables = (
            f"**{len(failed)} tabel(ler) eller fil(er) kunne ikke indlæses**, og det, de indeholder, indgår ikke i rapporten:\n"
            + "\n".join(f"  - {line}" for line in failed)
        )
    else:
        tables = "Alle filer og de nødvendige tabeller er indlæst."
    return f"**{CAVEAT_HEADING}**\n\n- {costs}\n- {tables}"


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


def task_lists_text(t: TaskLists, p: Period) -> str:
    """The leader's paragraph on the indsatsliste: how many active orders have one, and what its findings put at stake."""
    if not t.listed_orders:
        return (
            f"Ingen af de {number(t.active_orders)} aktive bevillinger i {period_name(p)} har en indsatsliste i data, så opgaverne "
            "kan ikke holdes op mod borgernes behov og de bevilgede timer."
        )
    f = t.findings.set_index("type")
    parts = []
    for kind in f.index:
        n, citizens, dkk = int(f.at[kind, "findings"]), int(f.at[kind, "citizens"]), f.at[kind, "dkk_at_stake"]
        if 0 < citizens < SMALL:  # a small group: neither its count nor its amount
            parts.append(f"{FINDING[kind].lower()}: fund for færre end {SMALL} borgere")
            continue
        amount = f", {kr(dkk)} på spil" if pd.notna(dkk) and dkk else ""
        parts.append(f"{FINDING[kind].lower()}: {number(n)}{amount}")
    return (
        f"{number(t.listed_orders)} af {number(t.active_orders)} aktive bevillinger ({percent(t.share)}) har en indsatsliste "
        f"(BIT-opgavebeskrivelse). Holdt op mod behov og timer giver den disse fund: {'; '.join(parts)}. "
        "Fund uden beløb kan ikke opgøres i kroner, men viser, hvor opgavebeskrivelsen skal rettes."
    )


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


# --- price per ordered hour (issue 19) ------------------------------------------------------------------------------

PRICE_FINDINGS = ("price_above_peers", "price_above_model", "price_below_model")
NO_MODEL = "Datamappen har ingen omkostningsmodel; kun sammenligningen med andre tilbud vises."
#: The columns of `economics.price_benchmark` that are figures, not the provider or the group.
_PRICE_FIGURES = (
    "orders",
    "citizens",
    "ordered_hours",
    "cost",
    "days_left_out",
    "price_per_hour",
    "providers",
    "median",
    "q1",
    "q3",
    "ratio",
    "rank",
    "price_rank",
    "ranked",
    "model_price_per_hour",
)
#: What a notebook shows of the price benchmark (`price_view`; the group columns are always shown).
PRICE_VIEW = ["provider_name", "paragraph", "rate_level", "citizens", "ordered_hours", "price_per_hour", "median", "q1", "q3"]
PRICE_VIEW += ["providers", "ratio", "price_rank", "model_price_per_hour", "days_left_out"]  # the cost: price × hours
#: What a provider's appendix sheet "Pris" holds: every figure, for the provider's own levels.
PRICE_SHEET = ["paragraph", "rate_level", "orders", "citizens", "ordered_hours", "cost", "price_per_hour", "median", "q1", "q3"]
PRICE_SHEET += ["providers", "ratio", "ranked", "price_rank", "model_price_per_hour", "days_left_out"]


def cost_models_of(ws) -> tuple[CostModel, ...]:
    """The data folder's cost model, its dated `[[cost_model]]` versions; empty without a model."""
    mapping = getattr(ws, "mapping", None)
    return tuple(getattr(mapping, "cost_model", ()) or ())


PEER_MIN_OTHERS = 3  # a provider is shown its peers' median and quartiles only when at least this many others have a price


def peers_for_provider(benchmark: pd.DataFrame, provider_id: str) -> pd.DataFrame:
    """A provider's rows of the price benchmark, as its own report may show them: the peers' median, quartiles and
    ratio blanked where fewer than `PEER_MIN_OTHERS` other providers have a price (two figures of a small group, or a
    median the provider has no part in, would give away another provider's price)."""
    mine = benchmark[benchmark["provider_id"] == provider_id].copy()
    others = mine["providers"] - mine["price_per_hour"].notna().astype(int)
    hide = others < PEER_MIN_OTHERS
    for c in ("median", "q1", "q3", "ratio"):
        mine[c] = mine[c].astype("float64").where(~hide)
    return mine


def price_groups(benchmark: pd.DataFrame) -> list[str]:
    """The group columns of a price benchmark (paragraph and rate level by default)."""
    return [c for c in benchmark.columns if c not in ("provider_id", "provider_name", *_PRICE_FIGURES)]


def price_view(benchmark: pd.DataFrame, models: tuple = (), columns: list[str] | None = None) -> pd.DataFrame:
    """The price benchmark as a table shows it: the chosen columns (`PRICE_VIEW` by default) with the group columns,
    the peer rank as `price_rank` ("Placering"), and the model's price only where the data folder has a model."""
    b = benchmark.rename(columns={"rank": "price_rank"})
    chosen = [c for c in (columns or PRICE_VIEW) if c in b.columns and (models or c != "model_price_per_hour")]
    groups = [c for c in price_groups(benchmark) if c not in chosen]
    lead = [c for c in chosen if c in ("provider_id", "provider_name")]
    return b[lead + groups + [c for c in chosen if c not in lead]].reset_index(drop=True)


def price_rank_words(benchmark: pd.DataFrame) -> pd.Series:
    """The rank in words: '2 af 6' (1 = dearest) in a ranked group, 'vises, men rangeres ikke' in a smaller one, '–'
    where there is no price."""
    return pd.Series(
        [
            "–" if pd.isna(price) else f"{int(rank)} af {int(n)}" if ranked and pd.notna(rank) else "vises, men rangeres ikke"
            for price, rank, n, ranked in zip(benchmark["price_per_hour"], benchmark["rank"], benchmark["providers"], benchmark["ranked"])
        ],
        index=benchmark.index,
        dtype=object,
    )


def _relative(ratio: float) -> str:
    """A price against another as words: '14 % over', '8 % under', 'på niveau med' (within half a per cent)."""
    if abs(ratio - 1) < 0.005:
        return "på niveau med"
    return f"{percent(abs(ratio - 1), 0)} {'over' if ratio > 1 else 'under'}"


def _month_ends(p: Period) -> list[pd.Timestamp]:
    """The last day of each month of a period: the day the cost model's version is chosen by (see `bitanalysis.io.cost_model`)."""
    return [m.to_timestamp(how="end").normalize() for m in p.months]


def models_in(models: tuple[CostModel, ...], p: Period) -> list[CostModel]:
    """The cost model's versions that price some month of the period (the version in force on the month's last day)."""
    from bitanalysis.io.cost_model import version_on

    used = {m.valid_from: m for m in (version_on(models, end) for end in _month_ends(p)) if m is not None}
    return [used[d] for d in sorted(used)]


def _model_names(used: list[CostModel]) -> str:
    """The versions as the evidence names them, joined: "'Kommunens model 2026' fra 01-01-2026"."""
    names = [m.name for m in used]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def cost_model_text(models: tuple[CostModel, ...], p: Period | None = None) -> str:
    """The cost model in words, one line per version: its assumptions and what an ordered hour of staff costs by them,
    and which versions price the period's months; or `NO_MODEL`."""
    if not models:
        return NO_MODEL
    used = models_in(models, p) if p is not None else []
    intro = (
        "Omkostningsmodellen er kommunens egne antagelser om, hvad en times støtte og et døgns ophold koster (løn pr. vagt, "
        "tillæg, overhead og belægning), ikke en markedspris. Modellens udgift for en bevilling er (bestilte timer × "
        "personaleudgiften pr. time + døgnudgiften ud over personale × aktive dage) × (1 + overhead) / belægning, med den "
        "version, der gælder på månedens sidste dag."
    )
    lines = []
    for m in models:
        staff = "/".join(number(m.staff_cost_per_hour[k]) for k in ("day", "evening_night", "weekend"))
        shares = "/".join(number(m.hour_shares[k] * 100) for k in ("day", "evening_night", "weekend"))
        daily = ", ".join(f"{par} {number(v)}" for par, v in m.daily_non_staff.items())
        fair = m.hourly * (1 + m.overhead) / m.occupancy
        state = " (bruges i perioden)" if any(m is u for u in used) else ""
        lines.append(
            f"- **{m.name}**{state}: løn {staff} kr. pr. time (dag/aften-nat/weekend) vægtet {shares} %, tillæg {percent(m.on_cost, 0)}, "
            f"overhead {percent(m.overhead, 0)}, belægning {percent(m.occupancy, 0)}; en bestilt time koster {kr(m.hourly)} i personale "
            f"og {kr(fair)} med overhead og belægning; døgnudgift ud over personale i kr. pr. dag: {daily}."
        )
    none = f"\n\nIngen version gælder i {period_name(p)}, så perioden holdes ikke op mod modellen." if p is not None and not used else ""
    return intro + "\n\n" + "\n".join(lines) + none


def price_level_text(row, has_model: bool, settings: Settings | None = None) -> str:
    """One of a provider's levels (a row of the price benchmark) in a sentence: its price per ordered hour against the
    peers' median and quartiles, its rank or why it has none, against the cost model's price where there is a model,
    and the order-days left out. A price that cannot be made is said so, never shown as 0 kr."""
    from bitanalysis.core.settings import Settings

    s = settings or Settings()
    groups = [str(row[c]) for c in row.index if c not in ("provider_id", "provider_name", *_PRICE_FIGURES)]
    head = f"**{', '.join(groups)}**: "
    days = int(row["days_left_out"])
    if pd.isna(row["price_per_hour"]):
        return head + (
            f"prisen pr. bestilt time kan ikke opgøres, fordi ingen bevillingsmåned har både en udgift og et timetal "
            f"({number(days)} bevillingsdage udeladt)."
        )
    price, n = row["price_per_hour"], int(row["providers"])
    if n > 1 and pd.isna(row["median"]):  # blanked by `peers_for_provider`: the others' prices are theirs
        text = (
            f"{kr(price)} pr. bestilt time; færre end {PEER_MIN_OTHERS} andre tilbud har en pris for samme paragraf og niveau, "
            "så deres median vises ikke i en rapport til et tilbud (den ville vise et andet tilbuds pris)."
        )
    elif n <= 1:
        text = (
            f"{kr(price)} pr. bestilt time; intet andet tilbud har en pris for samme paragraf og niveau, så der er intet at "
            "sammenligne med."
        )
    else:
        text = (
            f"{kr(price)} pr. bestilt time, {_relative(price / row['median'])} medianen på {kr(row['median'])} hos {n} tilbud "
            f"(kvartiler {kr(row['q1'])}–{kr(row['q3'])})"
        )
        if row["ranked"] and pd.notna(row["rank"]):
            text += f"; nr. {int(row['rank'])} af {n}, dyreste først."
            if price > s.price_peer_ratio * row["median"]:
                text += f" Det er over {number(s.price_peer_ratio, 2)} × medianen (fundet '{FINDING['price_above_peers']}')."
        else:
            text += f"; gruppen har færre end {s.price_peer_min_providers} tilbud, så prisen vises, men rangeres ikke."
    if has_model:
        model = row.get("model_price_per_hour", np.nan)
        if pd.isna(model):
            text += " Omkostningsmodellen giver ingen pris for niveauet (ingen version gælder, eller den har intet beløb for paragraffen)."
        else:
            tolerance = percent(s.price_model_tolerance, 0)
            within = f"mere end {tolerance} fra den" if abs(price / model - 1) > s.price_model_tolerance else f"inden for {tolerance}"
            text += f" Omkostningsmodellens pris er {kr(model)} pr. bestilt time; prisen er {_relative(price / model)} den ({within})."
    if days:
        text += f" {number(days)} bevillingsdage uden udgift eller timetal er ikke medregnet."
    return head + text


def provider_price_text(rows: pd.DataFrame, models: tuple[CostModel, ...], p: Period, settings: Settings | None = None) -> str:
    """The provider report's price section in Markdown: what the price per ordered hour is and who it is held against,
    the cost model (or that there is none), and one line per level of the provider (`price_level_text`)."""
    from bitanalysis.core.settings import Settings

    s = settings or Settings()
    intro = (
        "Prisen pr. bestilt time er periodens udgift delt med de bestilte timer, pr. paragraf og takstniveau, holdt op mod "
        "de andre tilbud med samme paragraf og niveau: medianen og kvartilerne af deres priser, og tilbuddets placering "
        f"(1 = dyreste). Grupper med færre end {s.price_peer_min_providers} tilbud vises, men rangeres ikke; en pris over "
        f"{number(s.price_peer_ratio, 2)} × medianen i en rangeret gruppe er et fund."
    )
    used = models_in(models, p)
    if not models:
        model = NO_MODEL
    elif not used:
        model = (
            f"Datamappens omkostningsmodel har ingen version, der gælder i {period_name(p)}; kun sammenligningen med andre tilbud vises."
        )
    else:
        model = (
            f"Omkostningsmodellen ({_model_names(used)}) er kommunens egne antagelser om løn, tillæg, overhead og belægning, "
            f"ikke en markedspris; en udgift mere end {percent(s.price_model_tolerance, 0)} over eller under modellens er et fund."
        )
    if rows.empty:
        levels = f"Tilbuddet har ingen bevillinger med en udgift i {period_name(p)}, så der er ingen pris pr. time at vise."
    else:
        levels = "\n".join(f"- {price_level_text(r, bool(used), s)}" for _, r in rows.iterrows())
    return f"{intro}\n\n{model}\n\n{levels}"


def _many(n: int, one: str, many: str, bold: bool = False) -> str:
    """'1 gruppe', '3 grupper' (the number in bold where asked)."""
    figure = f"**{number(n)}**" if bold else number(n)
    return f"{figure} {one if n == 1 else many}"


def _price_findings(found: pd.DataFrame, kind: str) -> tuple[int, int, float]:
    """The number of findings of a type, their citizens and the DKK at stake (missing when none has an amount)."""
    f = found[found["type"] == kind]
    return len(f), int(f["citizen_id"].nunique()), float(pd.to_numeric(f["dkk_at_stake"], errors="coerce").sum(min_count=1))


def price_text(
    benchmark: pd.DataFrame, found: pd.DataFrame, models: tuple[CostModel, ...], p: Period, settings: Settings | None = None
) -> str:
    """The leader's paragraph on price: how many provider-levels of ranked peer groups are priced above
    `price_peer_ratio` × the group's median and the DKK at stake of price_above_peers; with a cost model, the findings
    and DKK over and under it, said to be the municipality's own assumptions (the versions' labels), else `NO_MODEL`.
    A figure that fewer than 5 citizens stand behind is not shown (neither its count nor its amount)."""
    from bitanalysis.core.settings import Settings

    s = settings or Settings()
    ratio = number(s.price_peer_ratio, 2)
    ranked = benchmark[benchmark["ranked"] & benchmark["price_per_hour"].notna()]
    if ranked.empty:
        peers = (
            "Prisen pr. bestilt time (udgift delt med bestilte timer) holdes op mod andre tilbud med samme paragraf og "
            f"takstniveau, men rangeres kun, hvor mindst {s.price_peer_min_providers} tilbud har en pris; det har ingen "
            f"gruppe i {period_name(p)}, så ingen pris er holdt op mod en median."
        )
    else:
        high = ranked[ranked["price_per_hour"] > s.price_peer_ratio * ranked["median"]]
        n, citizens, dkk = _price_findings(found, "price_above_peers")
        citizens = citizens or int(high["citizens"].sum())
        groups = ranked.groupby(price_groups(benchmark), dropna=False).ngroups
        peers = (
            f"Prisen pr. bestilt time (udgift delt med bestilte timer) er holdt op mod andre tilbud med samme paragraf og "
            f"takstniveau i {_many(groups, 'gruppe', 'grupper')} med mindst {s.price_peer_min_providers} tilbud "
            f"({_many(len(ranked), 'tilbudsniveau', 'tilbudsniveauer')}): "
        )
        if high.empty:
            peers += f"intet ligger over {ratio} × gruppens median."
        elif citizens < SMALL:
            peers += f"niveauer over {ratio} × gruppens median har færre end {SMALL} borgere, så antal og beløb vises ikke."
        else:
            amount = f", med **{kr(dkk)}** på spil ({_many(n, 'bevilling', 'bevillinger')})" if pd.notna(dkk) and dkk else ""
            peers += f"**{number(len(high))}** ligger over {ratio} × gruppens median{amount}."
    return f"{peers} {_model_sentence(found, models, p, s)}"


def _model_sentence(found: pd.DataFrame, models: tuple[CostModel, ...], p: Period, s: Settings) -> str:
    """The leader's sentence on the cost model: the findings and DKK over and under it, small groups not shown."""
    if not models:
        return NO_MODEL
    used = models_in(models, p)
    if not used:
        return f"Omkostningsmodellen gælder først fra {day(models[0].valid_from)}, så {period_name(p)} holdes ikke op mod den."
    tolerance = percent(s.price_model_tolerance, 0)
    parts = []
    for side, kind in (("over", "price_above_model"), ("under", "price_below_model")):
        n, citizens, dkk = _price_findings(found, kind)
        if not n:
            parts.append(f"ingen bevillinger mere end {tolerance} {side}")
        elif citizens < SMALL:
            parts.append(f"bevillinger {side} modellen for færre end {SMALL} borgere (antal og beløb vises ikke)")
        else:
            amount = f" (**{kr(dkk)}** {side} modellens udgift)" if pd.notna(dkk) else ""
            parts.append(f"{_many(n, 'bevilling', 'bevillinger', bold=True)} mere end {tolerance} {side}{amount}")
    low = _price_findings(found, "price_below_model")[0]
    below = " En pris under modellen kan betyde, at taksten ikke kan bære de bestilte timer." if low else ""
    return (
        f"Holdt op mod omkostningsmodellen ({_model_names(used)}) – kommunens egne antagelser om løn, tillæg, overhead og "
        f"belægning, ikke en markedspris – ligger {parts[0]} og {parts[1]}.{below}"
    )


# --- interactive tables for the analyst notebooks -----------------------------------------------------------------

#: DataTables' texts in Danish.
LANGUAGE = {
    "search": "Søg:",
    "lengthMenu": "Vis _MENU_ rækker",
    "info": "Række _START_ til _END_ af _TOTAL_",
    "infoEmpty": "Ingen rækker",
    "infoFiltered": "(søgt i _MAX_ rækker)",
    "zeroRecords": "Ingen rækker passer til søgningen",
    "emptyTable": "Ingen rækker",
    "decimal": ",",
    "thousands": ".",
}
_NUMBER_JS = """
function (data, type) {
  if (data === null || data === undefined || (typeof data === 'number' && isNaN(data))) {
    return type === 'display' || type === 'filter' ? '–' : -Infinity;
  }
  if (type !== 'display' && type !== 'filter') { return data; }
  var parts = Math.abs(data).toFixed(%(decimals)d).split('.');
  if (%(group)s) { parts[0] = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.'); }
  return (data < 0 && Number(parts.join('.')) !== 0 ? '-' : '') + parts.join(',') + '%(suffix)s';
}"""
_DATE_JS = """
function (data, type) {
  if (!data) { return type === 'display' || type === 'filter' ? '–' : ''; }
  if (type !== 'display' && type !== 'filter') { return data; }
  var d = String(data).slice(0, 10).split('-');
  return d.length === 3 ? d[2] + '-' + d[1] + '-' + d[0] : data;
}"""
_CSS = (
    ".dt-container { font-size: 12.5px; } .dt-container td.dt-text { white-space: normal; min-width: 10em; max-width: 30em; } "
    ".dt-container td, .dt-container th { text-align: left !important; } .dt-container th { white-space: normal !important; } "
    ".dt-container td.dt-number { white-space: nowrap; } "
    ".dt-container td.dt-number, .dt-container th.dt-number { text-align: right !important; }"
)
_LONG_TEXT = ("evidence", "reason", "includes", "themes", "source", "label")


def _kind(column: str, values: pd.Series) -> tuple[str, int, str]:
    """A column's display kind: ('number', decimals, suffix), ('date', 0, '') or ('text', 0, '')."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date", 0, ""
    if values.dtype == object and values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
        values = values.astype("float64")  # numbers in an object column (a frame joined with an empty one)
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return "text", 0, ""
    if column in PLAIN:
        return "plain", 0, ""
    if column in MONEY:
        return "number", 0, " kr."
    if column in SHARES or column.endswith("_share"):
        return "number", 1, " %"
    if column == "full_year_persons" or column.endswith("full_year_persons"):
        return "number", 2, ""
    if column in HOURS or column.endswith("_hours"):
        return "number", 1, ""
    if column.startswith("days_") or column.endswith(("_days", "_without_cost")) or column in COUNTS:
        return "number", 0, ""
    return "number", 0 if pd.api.types.is_integer_dtype(values) else 1, ""


def _shown(values: pd.Series, column: str, labels: dict | None) -> pd.Series:
    """A text column's values as a reader reads them: Danish labels for codes, Ja/Nej, lists joined, missing as –."""
    if labels:
        return values.map(lambda v: labels.get(v, v) if isinstance(v, str) else v).astype(object)
    if pd.api.types.is_bool_dtype(values) or (
        len(values.dropna()) and values.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all()
    ):
        return values.map({True: "Ja", False: "Nej"}).astype(object)
    return values.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v).astype(object)


def _table_columns(
    frame: pd.DataFrame, chosen: dict[str, str], coded: dict[str, dict], page: int
) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """The table's data (numbers kept for sorting), its Danish static preview of the first page, and its column renderers."""
    import itables

    out, shown, defs = pd.DataFrame(index=range(len(frame))), pd.DataFrame(index=range(min(page, len(frame)))), []
    for i, (col, label) in enumerate(chosen.items()):
        v = frame[col].reset_index(drop=True)
        kind, decimals, suffix = _kind(col, v)
        if kind in ("number", "plain"):
            out[label] = v.astype("float64") * (100 if suffix == " %" else 1)
            js = _NUMBER_JS % {"decimals": decimals, "suffix": suffix, "group": "true" if kind == "number" else "false"}
            defs.append({"targets": i, "className": "dt-number", "render": itables.JavascriptFunction(js)})
            shown[label] = [
                (f"{number(x, decimals)}{suffix}" if kind == "number" else f"{x:.0f}") if pd.notna(x) else "–"
                for x in out[label].head(page)
            ]
        elif kind == "date":
            out[label] = v.dt.strftime("%Y-%m-%d").astype(object).where(v.notna(), "")  # "": the renderer shows –
            defs.append({"targets": i, "render": itables.JavascriptFunction(_DATE_JS)})
            shown[label] = [day(x) or "–" for x in v.head(page)]
        else:
            out[label] = _shown(v, col, coded.get(col)).where(v.notna(), "–")
            defs.append({"targets": i, "className": "dt-text"} if col in _LONG_TEXT else {"targets": i})
            shown[label] = out[label].head(page)
    return out, shown, defs


def show(
    frame: pd.DataFrame,
    columns: list[str] | dict[str, str] | None = None,
    *,
    caption: str | None = None,
    empty: str = "Ingen rækker.",
    values: dict[str, dict] | None = None,
    page: int = 15,
):
    """An interactive Danish table for a notebook, offline: every row, sortable and searchable, 1.234 kr., 12,3 %.

    `columns` picks and orders the columns (canonical names, or {name: Danish header}); headers and the codes of
    finding types, directions and units get their Danish labels. An empty frame gives the sentence `empty` instead.
    """
    import itables
    from IPython.display import HTML

    if frame.empty:
        return md(f"*{empty}*")
    chosen = columns if isinstance(columns, dict) else {c: LABELS.get(c, c) for c in (columns or list(frame.columns))}
    out, shown, defs = _table_columns(frame, chosen, VALUES | (values or {}), page)
    lengths: list[int | str | dict[str, object]] = [page, 50, 100, {"label": "Alle", "value": -1}]
    html = itables.to_html_datatable(
        out,
        caption=caption,
        columnDefs=defs,
        language=LANGUAGE,
        pageLength=page,
        lengthMenu=lengths,
        maxBytes=0,
        scrollX=True,
        classes="display compact",
        style="table-layout:auto;width:100%;margin:0",
        css=_CSS,
        showIndex=False,
        order=[],
        display_logo_when_loading=False,
    )
    return HTML(_with_static_preview(html, shown, len(frame)))


def _with_static_preview(html: str, shown: pd.DataFrame, rows: int) -> str:
    """The table's HTML with a Danish static preview where JavaScript does not run (a viewer, an untrusted notebook)."""
    start = html.find('_fallback">')
    end = html.find("</div><script>", start)
    if start < 0 or end < 0:
        return html
    more = (
        f"<p><em>Viser {len(shown)} af {rows} rækker; åbn notebooken i JupyterLab for hele tabellen.</em></p>" if rows > len(shown) else ""
    )
    static = shown.to_html(index=False, escape=True, border=0, classes="bit-table") + more
    return html[: start + len('_fallback">')] + static + html[end:]


#: The columns a notebook shows of each kind of table (the analysis keeps every column).
FINDING_VIEW = ["type", "direction", "dkk_at_stake", "citizen_id", "order_id", "provider_id", "months", "evidence"]
MATCH_VIEW = ["month", "citizen_id", "order_id", "service", "rate_level", "ordered_hours", "delivered_hours", "delivery_ratio", "cost"]
MONTH_VIEW = ["month", "active_days", "ordered_hours", "delivered_hours", "delivery_ratio", "cost", "days_without_rate"]
ORDER_VIEW = [
    "order_id",
    "citizen_id",
    "provider_id",
    "paragraph",
    "service",
    "themes",
    "start_date",
    "end_date",
    "hours_per_week",
    "rate_level",
]
DELIVERY_VIEW = ["date", "status", "minutes", "service", "order_id", "source", "source_row"]
RATE_VIEW = ["provider_id", "provider_name", "rate_level", "paragraph", "unit", "amount", "valid_from", "valid_to"]
RATE_VIEW += ["min_hours_per_week", "max_hours_per_week", "includes"]
ASSESSMENT_VIEW = ["assessed_on", "theme", "level"]
#: The figures of `provider_summary` a notebook shows (after the group columns).
SUMMARY = [c for c in SUMMARY_COLUMNS if c not in ("orders", "findings_without_dkk")]


def finding_headline(found: pd.DataFrame) -> str:
    """The first finding of a frame in one Danish sentence: type, order, citizen, DKK at stake and evidence."""
    f = found.iloc[0]
    return (
        f"**{FINDING.get(f['type'], f['type'])}** ({DIRECTION_SHORT.get(f['direction'], f['direction'])}) for bevilling "
        f"{f['order_id']}, borger {f['citizen_id']}, tilbud {f['provider_id']}: {money(f['dkk_at_stake'])} på spil. {f['evidence']}"
    )


def table_sizes(ws) -> pd.DataFrame:
    """The rows of each canonical table of a workspace."""
    return pd.DataFrame({"table": list(ws.tables()), "rows": [len(t) for t in ws.tables().values()]})


def use_offline_renderer() -> None:
    """Charts with no network and without plotly.js in the notebook (the one place this is set): JupyterLab draws them
    from their data, a report's HTML from a div and the script that draws it, and `bundle.compact` puts the library in
    that HTML once. (Plotly's renderers need nbformat; `bitanalysis/__init__.py` keeps jsonschema's slow IRI parsers
    out of it.)"""
    import plotly.io as pio
    from plotly.io.base_renderers import HtmlRenderer

    pio.renderers["bitanalysis"] = HtmlRenderer(include_plotlyjs=False)
    pio.renderers.default = "plotly_mimetype+bitanalysis"


def notebook_mode() -> None:
    """Set up a notebook for offline output: plotly.js and the tables' JavaScript embedded once, so it reads with no network."""
    import itables

    use_offline_renderer()
    itables.init_notebook_mode(all_interactive=False, connected=False)


def danish(frame: pd.DataFrame, columns: list[str] | dict[str, str] | None = None, values: dict[str, dict] | None = None) -> pd.DataFrame:
    """The frame with Danish headers and Danish labels for coded values; numbers and dates stay numbers and dates."""
    chosen = columns if isinstance(columns, dict) else {c: LABELS.get(c, c) for c in (columns or list(frame.columns))}
    coded = VALUES | (values or {})
    out = pd.DataFrame(index=frame.index)
    for col, label in chosen.items():
        kind = _kind(col, frame[col])[0]
        out[label] = frame[col] if kind in ("number", "plain", "date") else _shown(frame[col], col, coded.get(col))
    return out.reset_index(drop=True)


def to_excel(tables, path, *, ws=None, columns: list[str] | dict[str, str] | None = None):
    """Write a frame an analyst made (or {sheet name: frame}) to .xlsx, .csv or .parquet with Danish headers and labels,
    shares as %, through the product's writer (formula-safe, refused when it holds personal data of `ws`'s exports)."""
    from bitanalysis.workspace.write import write_table

    sheets = tables if isinstance(tables, dict) else {"Data": tables}
    out: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    for name, f in sheets.items():
        chosen = columns if isinstance(columns, dict) else {c: LABELS.get(c, c) for c in (columns or list(f.columns))}
        out[name] = danish(f, chosen)
        formats[name] = {label: fmt for c, label in chosen.items() if (fmt := number_format(str(c), f[c])) is not None}
    return write_table(out if isinstance(tables, dict) else out["Data"], path, ws=ws, formats=formats)


# --- the Excel appendices ------------------------------------------------------------------------------------------

ABOUT = "Om rapporten"
SMALL_CELLS = (
    f'En gruppe på 1–{SMALL - 1} borgere (eller pladser) vises som "<{SMALL}", og dens beløb og andele er udeladt; er kun én '
    "gruppe så lille, udelades også den næstmindste gruppes beløb og andele, så den lille ikke kan regnes ud af en total. "
    "Rækker for den enkelte borger står med pseudonym."
)
FORMATS_NOTE = (
    "Beløb i kr. uden decimaler, timer med én decimal, helårspersoner med to, andele i procent, datoer dd-mm-åååå "
    "(Excel viser tal med de tusind- og decimaltegn, computeren er sat op til). Hvert ark er en tabel med filtre."
)


def number_format(column: str, values: pd.Series) -> str | None:
    """The Excel number format of a canonical column, by its kind (see `_kind`): '#,##0 "kr."' for kroner, '0.0%' for
    shares (stored as fractions), '#,##0.00' for full-year persons, '#,##0.0' for hours, '#,##0' for counts, '0' for
    codes such as years and source rows, 'dd-mm-yyyy' for dates; None for text."""
    if values.dtype == object:  # a column with hidden cells ('<5', empty) still holds numbers in its other rows
        given = values[values.map(lambda v: v is not None and not (isinstance(v, float) and np.isnan(v)) and not isinstance(v, str))]
        if len(given) and given.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))).all():
            values = pd.to_numeric(given, errors="coerce")
    kind, decimals, suffix = _kind(column, values)
    if kind == "date":
        return "dd-mm-yyyy"
    if kind == "plain":
        return "0"
    if kind != "number":
        return None
    if suffix == " %":
        return "0.0%"
    grouped = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'{grouped} "kr."' if suffix == " kr." else grouped


def excel_sheets(sheets: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Tables with canonical columns as Danish sheets (headers and value labels by `danish`), with each sheet's number
    formats by Danish header, decided from the canonical names and types before they are relabelled."""
    out: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    for name, frame in sheets.items():
        headers: list[str] = []
        for c in frame.columns:
            label = LABELS.get(str(c), str(c))
            n = sum(h == label or h.startswith(f"{label} (") for h in headers)
            headers.append(f"{label} ({n + 1})" if n else label)  # an Excel table needs unique headers
        out[name] = danish(frame, dict(zip(frame.columns, headers)))
        formats[name] = {h: f for c, h in zip(frame.columns, headers) if (f := number_format(str(c), frame[c])) is not None}
    return out, formats


def plain_lines(markdown: str) -> list[str]:
    """Markdown as plain lines for a spreadsheet: no emphasis, no list marks, no empty lines."""
    lines = [line.strip().removeprefix("- ").replace("**", "").replace("*", "") for line in markdown.splitlines()]
    return [line for line in lines if line]


def about_sheet(
    ws, report: str, period: Period | str | None = None, compare: Period | str | None = None, caveat: str | None = None
) -> pd.DataFrame:
    """The appendix's first sheet, "Om rapporten": report, period, comparison period, run time, data folder (its name,
    not its path), the "data pr." date (the newest documented day), the caveats (`caveat`, the Markdown the report shows,
    by default `caveats(ws, period)`), the small-cell rule and the version."""
    import datetime as dt
    from pathlib import Path

    from bitanalysis.core import __version__
    from bitanalysis.core.period import period as as_period

    rows = [("Rapport", report)]
    p = as_period(period) if period is not None else None
    if p is not None:
        rows.append(("Periode", period_name(p)))
    if compare is not None:
        rows.append(("Sammenligningsperiode", period_name(as_period(compare))))
    rows.append(("Kørt", dt.datetime.now().strftime("%d-%m-%Y kl. %H:%M")))
    rows.append(("Datamappe", Path(ws.folder).name if getattr(ws, "folder", None) else "–"))
    newest = data_as_of(ws)
    rows.append(("Data pr.", day(newest) if pd.notna(newest) else "–"))
    if caveat is None and p is not None:
        caveat = caveats(ws, p)
    if caveat is not None:
        lines = [line for line in plain_lines(caveat) if line != CAVEAT_HEADING]
        rows += [(CAVEAT_HEADING if i == 0 else "", line) for i, line in enumerate(lines)]
    rows.append(("Små grupper", SMALL_CELLS))
    rows.append(("Talformater", FORMATS_NOTE))
    rows.append(("Version", f"bitanalysis {__version__}"))
    return pd.DataFrame(rows, columns=["Emne", "Indhold"])


def write_appendix(
    sheets: dict[str, pd.DataFrame],
    path,
    *,
    ws,
    report: str,
    period: Period | str | None = None,
    compare: Period | str | None = None,
    caveat: str | None = None,
):
    """Write tables with canonical columns as a Danish Excel appendix: "Om rapporten" first, then each table as a sheet
    with Danish headers and value labels, a number format per column kind, an Excel table with filters and a frozen
    header row, through the product's writer (formula-safe, refused when it holds personal data of `ws`'s exports)."""
    from bitanalysis.workspace.write import write_table

    out, formats = excel_sheets(sheets)
    about = about_sheet(ws, report, period, compare, caveat)
    return write_table({ABOUT: about, **out}, path, ws=ws, formats=formats, notes=(ABOUT,))
