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
# # BIT-matchet: passer behov, indsats og takst sammen?
#
# **Spørgsmål:** Hvilke tilbud leverer mindre, end vi betaler for – og hvor får borgerne mindre, end behovet tilsiger?
# Fra match og fund til én borgers BIT-diagram og videre til de rækker, et fund bygger på.

# %% tags=["parameters"]
from typing import Optional

data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026 eller 2026-01..2026-06
provider_id: Optional[str] = None  # kun dette tilbud (None: alle)
paragraph: Optional[str] = None  # kun denne paragraf, fx "SEL §85" (None: alle)
team: Optional[str] = None  # kun dette myndighedsteam (None: alle)

# %%
import bitanalysis as bit
from bitanalysis import charts

charts.use_offline_renderer()
ws = bit.load(data_dir)

# %% [markdown]
# ## Matchet: én række pr. bevilling og måned

# %%
m = bit.select(bit.match(ws, period), provider_id=provider_id, paragraph=paragraph, team=team)
m.sort_values("cost", ascending=False).head(20)

# %% [markdown]
# ## Fund, største kroner på spil først

# %%
found = bit.findings(ws, period)
found = found[found["order_id"].isin(m["order_id"]) | found["citizen_id"].isin(m["citizen_id"])]
found.head(20)

# %% [markdown]
# ## BIT-diagram for borgeren med det største fund

# %%
top = found.dropna(subset=["dkk_at_stake"]).iloc[0]
charts.bit_chart(ws, top["citizen_id"], period)

# %% [markdown]
# ## Sporet tilbage: bevillingen, dens måneder, dokumentationsrækker, takster og udredninger

# %%
trace = bit.explain(ws, top["order_id"], period)
trace["deliveries"].head(10)

# %%
trace["rates"]

# %%
trace["assessments"]
