"""rates: how providers' rates and prices compare — each rate's development from last year against the P/L index, and
the price per ordered hour against the provider's peers (price_benchmark)."""

from __future__ import annotations

import pandas as pd

from bitanalysis.bit.match import match, settings_of
from bitanalysis.bit.rates import rate_in_force
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.economics.price_index import pl_factor
from bitanalysis.economics.spend import _by, cost_between
from bitanalysis.workspace.workspace import Workspace


def rate_development(ws: Workspace, year: int, settings: Settings | None = None) -> pd.DataFrame:
    """Per provider and level: the rate's change from the previous year against P/L, the excess in points and DKK."""
    cur, prev = rate_in_force(ws.rates, year), rate_in_force(ws.rates, year - 1)
    r = cur.merge(prev[["provider_id", "rate_level", "unit", "amount"]], on=["provider_id", "rate_level"], suffixes=("", "_prev"))
    r = r[r["unit"] == r["unit_prev"]].copy()
    pl = pl_factor(ws, year) / pl_factor(ws, year - 1) - 1
    r["change"] = r["amount"] / r["amount_prev"] - 1
    r["pl_change"] = pl
    r["excess_pp"] = (r["change"] - pl) * 100
    m = cost_between(ws, pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31), settings)
    g = m.groupby(["provider_id", "rate_level"])
    placed = pd.DataFrame({"placements": g["order_id"].nunique(), "cost": g["cost"].sum(min_count=1)})
    r = r.join(placed, on=["provider_id", "rate_level"])
    r["cost"] = r["cost"].where(r["placements"].notna(), 0.0)  # no placements: 0 kr.; placements without a cost: missing
    r["placements"] = r["placements"].fillna(0)
    # the year's cost of the current placements, minus what it would be at last year's rate raised by P/L
    r["excess_dkk"] = r["cost"] * (1 - r["amount_prev"] * (1 + pl) / r["amount"])
    cols = [
        "provider_id",
        "provider_name",
        "rate_level",
        "unit",
        "amount_prev",
        "amount",
        "change",
        "pl_change",
        "excess_pp",
        "placements",
        "cost",
        "excess_dkk",
    ]
    return r[cols].sort_values(["excess_dkk", "excess_pp"], ascending=False, ignore_index=True)


def price_benchmark(
    ws: Workspace,
    period: str | Period,
    by: str | list[str] | tuple[str, ...] = ("paragraph", "rate_level"),
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Per provider and group (`by`, default paragraph and rate level): the implied price per ordered hour (Σ cost /
    Σ ordered hours, contract §2) beside the group's providers, median and quartiles, the ratio to the median, a rank
    (1 = dearest) only in groups of at least `price_peer_min_providers` providers (smaller ones are shown, not ranked),
    the order-days left out (no cost, or no hours per week), and the cost model's price per ordered hour where the data
    folder has a model (else missing)."""
    from bitanalysis.bit.price import price_benchmark as bench

    p, s, groups = as_period(period), settings_of(ws, settings), _by(by)
    models = ws.mapping.cost_model if ws.mapping is not None else ()
    key = ("price_benchmark", p.start, p.end, tuple(groups), s, repr(models))
    return ws.remember(key, lambda: bench(ws, match(ws, p, s), groups, s))
