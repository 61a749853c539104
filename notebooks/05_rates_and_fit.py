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
# # Takster og det rette match mellem borger og tilbud
#
# **Spørgsmål:** Hvilke takster steg mere end P/L, hvordan udvikler prisen pr. helårsperson sig, og hvilket tilbud
# passer bedst til en opgave beskrevet ved timer pr. uge, målgruppe og paragraf?

# %% tags=["parameters"]
from typing import Optional

data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden; takstudviklingen gælder periodens sidste år mod året før
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
hours_per_week: float = 7.5  # opgavens omfang i timer pr. uge
target_group: str = "Autisme"  # borgerens målgruppe
paragraph: str = "ABL §105"  # paragraffen, opgaven løses efter

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
year = p.last.year

# %% [markdown]
# ## Gennemsnitspris pr. helårsperson de seneste 13 måneder og samme måneder året før
#
# Udgiften pr. helårsperson (løbende priser): hvad en plads i gennemsnit koster om året, måned for måned.

# %%
trend = eco.full_year_persons(ws, window, monthly=True)
before = eco.full_year_persons(ws, bit.year_before(window), monthly=True)
price = {"average_price": "Gennemsnitspris pr. helårsperson"}
charts.trend_chart(trend, price, window, p, before=before, title="Gennemsnitspris pr. helårsperson (kr. om året)")

# %% [markdown]
# ## Pris pr. helårsperson og paragraf: perioden mod sammenligningsperioden

# %%
now, then = (eco.full_year_persons(ws, q, "paragraph").assign(period=q.label) for q in (p, base))
both = pd.concat([now, then]).sort_values(["paragraph", "period"])
pr.show(both, ["paragraph", "period", "citizens", "full_year_persons", "cost", "average_price", "days_without_cost"])

# %% [markdown]
# ## Takstudvikling mod P/L

# %%
development = eco.rate_development(ws, year)
charts.rate_chart(development, year)

# %%
pr.show(development)

# %% [markdown]
# ## Takstblade: niveauer, enheder og timebånd

# %%
pr.show(ws.rates.sort_values(["provider_id", "rate_level", "valid_from"]), pr.RATE_VIEW)

# %% [markdown]
# ## Tilbud rangeret for opgaven, med begrundelse

# %%
fit = eco.provider_fit(ws, hours_per_week=hours_per_week, target_group=target_group, paragraph=paragraph, as_of=p.end)
pr.show(fit, ["rank", "provider_name", "rate_level", "fits", "annual_cost", "delivery_ratio", "coverage", "same_target_group", "reason"])
