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
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026 eller 2026-01..2026-06
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
by: str = "paragraph"  # gruppering: paragraph, provider_name, target_group, team eller rate_level

# %%
import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import economics as eco

charts.use_offline_renderer()
ws = bit.load(data_dir)
p = bit.period(period)
base = bit.period(compare_to) if compare_to else bit.year_before(p)

# %% [markdown]
# ## Udgift pr. måned

# %%
spend = eco.spend(ws, p, by)
charts.spend_chart(spend, by, p.label)

# %% [markdown]
# ## Helårspersoner og gennemsnitspris

# %%
fyp = eco.full_year_persons(ws, p, by)
charts.fyp_chart(fyp, by, p.label)

# %% [markdown]
# ## Budget og forventet regnskab for året

# %%
followup = eco.budget_followup(ws, p.last.year, p.end)
charts.budget_chart(followup, p.last.year, p.end)

# %% [markdown]
# ## Pris, mængde og mix mod sammenligningsperioden

# %%
bridge = eco.price_quantity(ws, p, base)
charts.bridge_chart(bridge)
