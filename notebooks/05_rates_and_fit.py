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
# **Spørgsmål:** Hvilke takster steg mere end P/L, hvordan udvikler prisen pr. helårsperson sig, er prisen rimelig for
# de bestilte timer (mod andre tilbud og kommunens omkostningsmodel), og hvilket tilbud passer bedst til en opgave
# beskrevet ved timer pr. uge, målgruppe og paragraf?

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
# ## Pris pr. bestilt time: mod andre tilbud og mod kommunens omkostningsmodel
#
# Prisen pr. bestilt time er periodens udgift delt med de bestilte timer pr. tilbud, paragraf og takstniveau, holdt op
# mod medianen og kvartilerne af prisen hos alle tilbud med samme paragraf og niveau (tilbuddet selv medregnet).
# Grupper med færre end 5 tilbud vises, men rangeres ikke (Placering står som –). Bevillingsdage uden udgift eller uden
# timetal kan ikke give en pris pr. time; de står som udeladt, og en pris, der ikke kan opgøres, står som –, aldrig 0 kr.

# %%
models = pr.cost_models_of(ws)
benchmark = eco.price_benchmark(ws, p)
pr.md(pr.cost_model_text(models, p))

# %%
charts.price_chart(benchmark, pr.period_name(p), eco.settings_of(ws, None).price_peer_ratio)

# %%
pr.show(pr.price_view(benchmark, models), caption=f"Pris pr. bestilt time, {pr.period_name(p)}: alle tilbud og niveauer")

# %% [markdown]
# ### Prisfund med belæg
#
# Pris over andre tilbuds (over 1,25 × medianen i en rangeret gruppe; indstillingen price_peer_ratio), og med en
# omkostningsmodel pris over og under modellens udgift for de bestilte timer og dage (price_model_tolerance, 15 %).

# %%
found = bit.findings(ws, p)
price_found = found[found["type"].isin(pr.PRICE_FINDINGS)]
pr.show(price_found, pr.FINDING_VIEW, empty=f"Ingen prisfund i {pr.period_name(p)}.")

# %% [markdown]
# ## Takstblade: niveauer, enheder og timebånd

# %%
pr.show(ws.rates.sort_values(["provider_id", "rate_level", "valid_from"]), pr.RATE_VIEW)

# %% [markdown]
# ## Tilbud rangeret for opgaven, med begrundelse

# %%
fit = eco.provider_fit(ws, hours_per_week=hours_per_week, target_group=target_group, paragraph=paragraph, as_of=p.end)
pr.show(fit, ["rank", "provider_name", "rate_level", "fits", "annual_cost", "delivery_ratio", "coverage", "same_target_group", "reason"])
