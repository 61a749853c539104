"""What a report's amounts could not count (contract §2.1), in Danish: the order-days without a cost and why, the
tables that failed to load, the caveat block at the top of every report, the traffic light's caveat, and the sentence
for a period with nothing to report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bitanalysis.core.danish import number, percent
from bitanalysis.core.errors import NO_FILE
from bitanalysis.core.period import Period, period_name
from bitanalysis.present.labels import FINDING, TABLES
from bitanalysis.present.small_cells import _count

if TYPE_CHECKING:
    from bitanalysis.economics import CostGaps

CAVEAT_HEADING = "Hvad rapporten ikke kan tælle med"


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


def traffic_light_caveat(gaps: CostGaps) -> str:
    """What the traffic light's amounts leave out: the order-days without a cost and the citizens they belong to."""
    if not gaps.days_without_cost:
        return "Trafiklysets udgift omfatter alle periodens bevillingsdage."
    return (
        f"Trafiklysets udgift omfatter ikke {number(gaps.days_without_cost)} bevillingsdage uden udgift "
        f"({percent(gaps.share)} af periodens bevillingsdage, hos {_count(gaps.citizens_without_cost)} borgere); "
        "borgerne tælles med i borgerandelene, men deres manglende beløb indgår ikke i udgiftsandelene."
    )
