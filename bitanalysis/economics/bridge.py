"""bridge: the price × quantity bridge — the change in cost between two periods split into quantity, price and mix
effects, refused (IncompleteCosts) when too many order-days lack a cost."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.match import settings_of
from bitanalysis.core.danish import number, percent
from bitanalysis.core.period import Period, period_name
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.economics.spend import CostGaps, cost_gaps, full_year_persons
from bitanalysis.workspace.workspace import Workspace


class IncompleteCosts(ValueError):
    """Too many order-days of a period have no cost for the price × quantity bridge; the message says which, in Danish."""

    def __init__(self, gaps: dict[str, CostGaps], limit: float):
        self.gaps, self.limit = gaps, limit
        parts = [
            f"I {label} har {number(g.days_without_cost)} af {number(g.order_days)} bevillingsdage ({percent(g.share)}) ingen udgift "
            "(takst eller timetal mangler)."
            for label, g in gaps.items()
        ]
        super().__init__(
            "Pris- og mængdebroen kan ikke opgøres: "
            + " ".join(parts)
            + f" Grænsen er {percent(limit)} (indstillingen max_missing_cost_share). Broen ville ellers kalde det beløb, "
            "der mangler, for 'pris' (en lavere pris pr. helårsperson). Indhent de manglende takster og timetal, og kør igen."
        )


def _refuse_incomplete(ws: Workspace, periods: list[Period], s: Settings) -> None:
    """Raise IncompleteCosts when a period has more than the allowed share of order-days without a cost."""
    gaps = {period_name(p): cost_gaps(ws, p, s) for p in periods}
    over = {label: g for label, g in gaps.items() if g.share > s.max_missing_cost_share}
    if over:
        raise IncompleteCosts(over, s.max_missing_cost_share)


def price_quantity(
    ws: Workspace,
    period: str | Period,
    compare_to: str | Period,
    by: tuple[str, ...] = ("paragraph", "rate_level"),
    settings: Settings | None = None,
    *,
    price_year: int | None = None,
) -> pd.DataFrame:
    """The change in cost from compare_to to period split into quantity, price and mix effects that sum to it exactly.

    Per group g (paragraph × rate level): full-year persons N_g and average price P_g = cost_g / N_g.
    quantity = (N1 − N0) × P̄0; price = Σ (P_g1 − P_g0) × N_g1; mix = Σ P_g0 × N_g1 − N1 × P̄0.
    A group that is new in `period` keeps its new price as its old one (its cost is quantity and mix, not price).
    The costs leave out the order-months without a cost (their order-days are in `days_without_cost` of the base and
    current rows), which would show as a lower price: a period where their share of the order-days is above the setting
    `max_missing_cost_share` raises IncompleteCosts. With `price_year` both periods are in that year's prices.
    """
    p1, p0 = as_period(period), as_period(compare_to)
    s = settings_of(ws, settings)
    _refuse_incomplete(ws, [p1, p0], s)
    g1 = full_year_persons(ws, p1, list(by), settings=s, price_year=price_year).set_index(list(by))
    g0 = full_year_persons(ws, p0, list(by), settings=s, price_year=price_year).set_index(list(by))
    g = (
        g0[["full_year_persons", "cost"]]
        .merge(g1[["full_year_persons", "cost"]], how="outer", left_index=True, right_index=True, suffixes=("_0", "_1"))
        .fillna(0.0)  # below the limit a group whose every order-month lacks a cost counts as 0 kr. (the refusal's reason)
    )
    n0, n1 = g["full_year_persons_0"].sum(), g["full_year_persons_1"].sum()
    c0, c1 = g["cost_0"].sum(), g["cost_1"].sum()
    price1 = g["cost_1"] / g["full_year_persons_1"].where(g["full_year_persons_1"] > 0)
    price0 = (g["cost_0"] / g["full_year_persons_0"].where(g["full_year_persons_0"] > 0)).fillna(price1).fillna(0.0)
    avg0 = c0 / n0 if n0 else 0.0
    effects = [(n1 - n0) * avg0, ((price1.fillna(0.0) - price0) * g["full_year_persons_1"]).sum()]
    effects.append((price0 * g["full_year_persons_1"]).sum() - n1 * avg0)
    return _bridge(p0, p1, [c0, *effects, c1], [n0, n1], [int(g0["days_without_cost"].sum()), int(g1["days_without_cost"].sum())])


def _bridge(p0: Period, p1: Period, dkk: list[float], persons: list[float], missing: list[int]) -> pd.DataFrame:
    """The bridge's five rows: base, quantity, price, mix and current, with full-year persons and days without a cost."""
    (n0, n1), (c0, c1) = persons, (dkk[0], dkk[-1])
    return pd.DataFrame(
        {
            "component": ["base", "quantity", "price", "mix", "current"],
            "label": [
                f"Udgift {p0.label}",
                "Mængde (flere/færre helårspersoner)",
                "Pris (dyrere/billigere pr. helårsperson)",
                "Mix (sammensætning af paragraffer og niveauer)",
                f"Udgift {p1.label}",
            ],
            "dkk": dkk,
            "full_year_persons": [n0, np.nan, np.nan, np.nan, n1],
            "average_price": [c0 / n0 if n0 else np.nan, np.nan, np.nan, np.nan, c1 / n1 if n1 else np.nan],
            "days_without_cost": pd.array([missing[0], None, None, None, missing[1]], dtype="Int64"),
        }
    )
