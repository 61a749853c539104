"""The Danish words of the reports in one place: the labels of statuses, directions, finding types, actions, units and
tables, the Danish header of every canonical column and the value labels of the coded columns, and the column kinds
(money, plain codes, shares, hours, counts) that decide how a column's numbers are shown in a table or an Excel sheet."""

from __future__ import annotations

import pandas as pd

from bitanalysis.core.danish import TABLE_NAMES

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
TABLES = TABLE_NAMES
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
