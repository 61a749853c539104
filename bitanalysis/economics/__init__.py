"""economics: portfolio economics for budget meetings — spend and full-year persons (spend), the budget follow-up
(budget), the price × quantity bridge (bridge), cost concentration (concentration), rates against the P/L index and
peers (rates), fixed prices (price_index) and provider fit (fit). It may import core, io, workspace and bit."""

from bitanalysis.bit.match import settings_of
from bitanalysis.core.period import parse_day
from bitanalysis.economics.bridge import IncompleteCosts, price_quantity
from bitanalysis.economics.budget import budget_followup
from bitanalysis.economics.concentration import Concentration, concentration
from bitanalysis.economics.fit import provider_fit
from bitanalysis.economics.price_index import fixed_prices, missing_pl_years
from bitanalysis.economics.rates import price_benchmark, rate_development
from bitanalysis.economics.spend import CostGaps, cost_between, cost_gaps, full_year_persons, spend, without_cost

__all__ = [
    "Concentration",
    "CostGaps",
    "IncompleteCosts",
    "budget_followup",
    "concentration",
    "cost_between",
    "cost_gaps",
    "fixed_prices",
    "full_year_persons",
    "missing_pl_years",
    "parse_day",
    "price_benchmark",
    "price_quantity",
    "provider_fit",
    "rate_development",
    "settings_of",
    "spend",
    "without_cost",
]
