"""concentration: how concentrated the cost is on few citizens — annualised cost per citizen, the citizens above
thresholds, and the most expensive decile's share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bitanalysis.bit.match import costs, settings_of
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.economics.spend import _priced, without_cost
from bitanalysis.workspace.workspace import Workspace


def _year_days(p: Period) -> float:
    """Days in the period's year (365.25 for a period across years), to annualise its cost."""
    years = sorted({m.year for m in p.months})
    if len(years) > 1:
        return 365.25
    return 366.0 if pd.Timestamp(years[0], 1, 1).is_leap_year else 365.0


@dataclass
class Concentration:
    """How concentrated the cost is on few citizens, beside the order-days without a cost that it leaves out."""

    per_citizen: pd.DataFrame  # citizen_id, cost, annualised_cost, days_without_cost; most expensive first, missing costs last
    above: pd.DataFrame  # threshold, citizens, cost, annualised_cost, days_without_cost (of the citizens counted)
    top_decile_share: float  # share of the period's cost held by the most expensive 10 % of citizens with a cost
    days_without_cost: int = 0  # the period's order-days without a cost (left out of every figure above)
    citizens_without_cost: int = 0  # citizens none of whose order-months has a cost (their cost is missing)

    def top(self, n: int = 20) -> pd.DataFrame:
        """The n most expensive citizens."""
        return self.per_citizen.head(n)


def _above(per: pd.DataFrame, thresholds: tuple[float, ...]) -> pd.DataFrame:
    """Citizens whose annualised cost is above each threshold, their cost and their order-days without a cost."""
    rows = []
    for t in thresholds:
        hit = per[per["annualised_cost"] > t]
        rows.append(
            {
                "threshold": t,
                "citizens": len(hit),
                "cost": hit["cost"].sum(),
                "annualised_cost": hit["annualised_cost"].sum(),
                "days_without_cost": int(hit["days_without_cost"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["threshold", "citizens", "cost", "annualised_cost", "days_without_cost"])


def concentration(
    ws: Workspace,
    period: str | Period,
    thresholds: tuple[float, ...] = (1_000_000, 2_000_000),
    settings: Settings | None = None,
    *,
    price_year: int | None = None,
) -> Concentration:
    """Annualised cost per citizen, citizens above 1 and 2 million a year, and the top decile's share of cost.

    A citizen's cost leaves out their order-months without a cost (`days_without_cost`), and is missing where none has
    one; such citizens are not counted above a threshold or in the top decile. With `price_year`, in that year's prices.
    """
    p = as_period(period)
    m = _priced(costs(ws, p, settings_of(ws, settings)), ws, price_year)
    g = m.assign(days_without_cost=without_cost(m)).groupby("citizen_id")
    per = pd.DataFrame({"cost": g["cost"].sum(min_count=1), "days_without_cost": g["days_without_cost"].sum()}).reset_index()
    per.insert(2, "annualised_cost", per["cost"] * _year_days(p) / ((p.end - p.start).days + 1))
    per = per.sort_values("annualised_cost", ascending=False, ignore_index=True, na_position="last")
    paying = per[per["cost"] > 0]
    n = math.ceil(0.1 * len(paying))
    share = paying["cost"].head(n).sum() / paying["cost"].sum() if len(paying) else np.nan
    return Concentration(per, _above(per, thresholds), float(share), int(per["days_without_cost"].sum()), int(per["cost"].isna().sum()))
