# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Porteføljen: udgift, helårspersoner, budget og pris × mængde
#
# **Spørgsmål:** Hvorfor bruger vi mere (eller mindre) – flere borgere eller højere priser – og holder budgettet?

# %% tags=["parameters"]
from typing import Optional

data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026-Q1..2026-Q3, 2026 eller 2026-01..2026-06
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
by: str = "paragraph"  # gruppering: paragraph, provider_name, target_group, team eller rate_level

# %%
import pandas as pd

import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import economics as eco
from bitanalysis import present as pr

pr.notebook_mode()
ws = bit.load(data_dir)
p, window = bit.period(period), bit.trailing(bit.period(period))
base = bit.period(compare_to) if compare_to else bit.year_before(p)
pr.md(
    f"**Periode:** {pr.period_name(p)} · **sammenlignet med:** {pr.period_name(base)}\n\n{pr.missing_costs_sentence(eco.cost_gaps(ws, p))}"
)

# %% [markdown]
# ## Udgiften de seneste 13 måneder og samme måneder året før

# %%
trend = eco.spend(ws, window, None)
before = eco.spend(ws, bit.year_before(window), None)
charts.trend_chart(trend, {"cost": "Udgift"}, window, p, before=before, title="Udgiften de seneste 13 måneder")

# %% [markdown]
# ## Udgift pr. måned i perioden

# %%
spend = eco.spend(ws, p, by)
charts.spend_chart(spend, by, pr.period_name(p))

# %% [markdown]
# ## Helårspersoner og gennemsnitspris mod sammenligningsperioden

# %%
fyp = eco.full_year_persons(ws, p, by)
before = eco.full_year_persons(ws, base, by)
charts.fyp_chart(fyp, by, pr.period_name(p))

# %%
both = pd.concat([fyp.assign(period=p.label), before.assign(period=base.label)]).sort_values([by, "period"])
pr.show(both, [by, "period", "citizens", "full_year_persons", "cost", "average_price", "days_without_cost"])

# %% [markdown]
# ## Budget og forventet regnskab for året

# %%
followup = eco.budget_followup(ws, p.last.year, p.end)
charts.budget_chart(followup, p.last.year, p.end)

# %% [markdown]
# ## Pris, mængde og mix mod sammenligningsperioden

# %%
try:
    bridge = charts.bridge_chart(eco.price_quantity(ws, p, base))
except eco.IncompleteCosts as refused:  # too many order-days without a cost: the bridge would call the gap "price"
    bridge = pr.md(f"*{refused}*")
bridge
