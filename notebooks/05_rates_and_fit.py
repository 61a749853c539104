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
# **Spørgsmål:** Hvilke takster steg mere end P/L, og hvilket tilbud passer bedst til en opgave beskrevet ved
# timer pr. uge, målgruppe og paragraf?

# %% tags=["parameters"]
data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden; takstudviklingen gælder periodens år mod året før
hours_per_week: float = 7.5  # opgavens omfang i timer pr. uge
target_group: str = "Autisme"  # borgerens målgruppe
paragraph: str = "ABL §105"  # paragraffen, opgaven løses efter

# %%
import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import economics as eco

charts.use_offline_renderer()
ws = bit.load(data_dir)
year = bit.period(period).last.year

# %% [markdown]
# ## Takstblade: niveauer, enheder og timebånd

# %%
ws.rates.sort_values(["provider_id", "rate_level", "valid_from"])

# %% [markdown]
# ## Takstudvikling mod P/L

# %%
development = eco.rate_development(ws, year)
charts.rate_chart(development, year)

# %% [markdown]
# ## Tilbud rangeret for opgaven, med begrundelse

# %%
fit = eco.provider_fit(ws, hours_per_week=hours_per_week, target_group=target_group, paragraph=paragraph, as_of=bit.period(period).end)
fit[["rank", "provider_name", "rate_level", "fits", "annual_cost", "delivery_ratio", "coverage", "same_target_group", "reason"]]
