"""The rows behind one order's match: what a reader checks a figure against."""

from __future__ import annotations

import pandas as pd

from bitanalysis.bit.deliveries import assign_deliveries
from bitanalysis.bit.match import MATCH_COLUMNS, order_month_costs, settings_of
from bitanalysis.core.intervals import OPEN_END
from bitanalysis.core.period import Period
from bitanalysis.core.period import period as as_period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace


def explain(ws: Workspace, order_id: str, period: str | Period, settings: Settings | None = None) -> dict[str, pd.DataFrame]:
    """The rows behind one order's match and findings: the order, its months, deliveries, rates and assessments."""
    p, s = as_period(period), settings_of(ws, settings)
    order = ws.orders[ws.orders["order_id"] == order_id]
    if order.empty:
        raise KeyError(f"Bevillingen {order_id!r} findes ikke i data")
    citizen, provider, level = order["citizen_id"].iloc[0], order["provider_id"].iloc[0], order["rate_level"].iloc[0]
    sub = Workspace.from_frames(
        orders=ws.orders[ws.orders["citizen_id"] == citizen],
        rates=ws.rates,
        deliveries=ws.deliveries[ws.deliveries["citizen_id"] == citizen],
        assessments=ws.assessments[ws.assessments["citizen_id"] == citizen],
    )
    months, assigned = order_month_costs(sub, p, s), assign_deliveries(sub, p)
    mine = months[months["order_id"] == order_id]
    rates = ws.rates[(ws.rates["provider_id"] == provider) & (ws.rates["rate_level"] == level)]
    rates = rates[(rates["valid_from"] <= p.end) & (rates["valid_to"].fillna(OPEN_END) >= p.start)]
    deliveries = assigned[(assigned["order_id"] == order_id) | ((assigned["provider_id"] == provider) & (assigned["status"] != "matched"))]
    assessments = sub.assessments[sub.assessments["assessed_on"] <= p.end].sort_values(["assessed_on", "theme"])
    return {
        "order": order,
        "months": mine[MATCH_COLUMNS].reset_index(drop=True),
        "deliveries": deliveries.drop(columns=["candidates"]).reset_index(drop=True),
        "rates": rates.reset_index(drop=True),
        "assessments": assessments.reset_index(drop=True),
    }
