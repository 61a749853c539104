"""Danish sentences about the numbers: an amount or the words for a missing one, the budget forecast, the cost's
concentration, the prices the amounts are in, the drivers of the change in cost, the task lists' findings and a
finding's headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from bitanalysis.core.danish import kr, number, percent
from bitanalysis.core.period import Period, period_name
from bitanalysis.present.labels import DIRECTION_SHORT, FINDING
from bitanalysis.present.small_cells import SMALL, _count

if TYPE_CHECKING:
    from bitanalysis.bit.tasks import TaskLists
    from bitanalysis.economics import Concentration


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


def finding_headline(found: pd.DataFrame) -> str:
    """The first finding of a frame in one Danish sentence: type, order, citizen, DKK at stake and evidence."""
    f = found.iloc[0]
    return (
        f"**{FINDING.get(f['type'], f['type'])}** ({DIRECTION_SHORT.get(f['direction'], f['direction'])}) for bevilling "
        f"{f['order_id']}, borger {f['citizen_id']}, tilbud {f['provider_id']}: {money(f['dkk_at_stake'])} på spil. {f['evidence']}"
    )
