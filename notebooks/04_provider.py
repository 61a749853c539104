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
# # Ét tilbud over tid
#
# **Spørgsmål:** Hvad leverer tilbuddet i forhold til det bestilte, hvad koster det, på hvilke takstniveauer, og
# hvilke fund vedrører det?

# %% tags=["parameters"]
from typing import Optional

data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2025-11..2026-10"  # perioden: gerne de seneste 12 måneder
provider_id: Optional[str] = None  # tilbuddets id (None: tilbuddet med den største udgift i perioden)

# %%
import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import economics as eco

charts.use_offline_renderer()
ws = bit.load(data_dir)
provider_id = provider_id or eco.spend(ws, period, "provider_id").groupby("provider_id")["cost"].sum().idxmax()
m = bit.match(ws, period)
mine = m[m["provider_id"] == provider_id]

# %% [markdown]
# ## Bestilt og leveret pr. måned

# %%
charts.delivery_chart(mine, period)

# %% [markdown]
# ## Udgift pr. måned og takstniveau

# %%
charts.spend_chart(eco.spend(ws, period, ["provider_id", "rate_level"]).query("provider_id == @provider_id"), "rate_level", period)

# %% [markdown]
# ## Tilbuddets takstniveauer og timebånd

# %%
ws.rates[ws.rates["provider_id"] == provider_id]

# %% [markdown]
# ## Fund, der vedrører tilbuddet

# %%
found = bit.findings(ws, period)
found[found["provider_id"] == provider_id]
