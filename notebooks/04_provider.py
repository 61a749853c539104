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
# hvilke fund vedrører det – i perioden, de seneste 13 måneder og mod sammenligningsperioden?

# %% tags=["parameters"]
from typing import Optional

data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026-Q1..2026-Q3, 2026 eller 2026-01..2026-06
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
provider_id: Optional[str] = None  # tilbuddets id eller navn (None: tilbuddet med flest kroner på spil i perioden)

# %%
import pandas as pd

import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import present as pr

pr.notebook_mode()
ws = bit.load(data_dir)
p, window = bit.period(period), bit.trailing(bit.period(period))
base = bit.period(compare_to) if compare_to else bit.year_before(p)
ranked = bit.provider_summary(ws, p).dropna(subset=["provider_id"])

# %%
chosen = bit.selection(ws, provider_id=provider_id or (ranked["provider_id"].iloc[0] if len(ranked) else None))
why = "valgt som parameter" if provider_id else "valgt, fordi det har flest kroner på spil (over) i perioden"
nothing = f"Ingen bevillinger eller fund for {chosen.label} i {pr.period_name(p)}."
pr.md(f"## {chosen.label} – {pr.period_name(p)}\n\nTilbuddet er {why}; sammenlignet med {pr.period_name(base)}.")

# %%
chosen

# %% [markdown]
# ## Tilbuddet i perioden og i sammenligningsperioden

# %%
now, then = (bit.provider_summary(ws, q, **chosen.equals).assign(period=q.label) for q in (p, base))
pr.show(pd.concat([now, then]), ["period", "provider_name", *pr.SUMMARY], empty=nothing)

# %% [markdown]
# ## Bestilt og leveret de seneste 13 måneder og samme måneder året før

# %%
trend = bit.provider_summary(ws, window, [], monthly=True, **chosen.equals)
before = bit.provider_summary(ws, bit.year_before(window), [], monthly=True, **chosen.equals)
hours = {"ordered_hours": "Bestilt", "delivered_hours": "Leveret"}
charts.trend_chart(trend, hours, window, p, before=before, unit="timer", title="Bestilte og leverede timer pr. måned")

# %%
ratios = {"delivery_ratio": "Leveringsgrad", "coverage": "Dokumenterede uger"}
charts.trend_chart(trend, ratios, window, p, before=before, unit="%", title="Leveringsgrad og dokumenterede uger pr. måned")

# %%
charts.trend_chart(trend, {"cost": "Udgift"}, window, p, before=before, title="Udgiften de seneste 13 måneder")

# %% [markdown]
# ## Pr. borger (pseudonym) og bevilling i perioden

# %%
pr.show(chosen(bit.match(ws, p)), [*pr.MATCH_VIEW, "cost_per_delivered_hour"], empty=nothing)

# %% [markdown]
# ## Tilbuddets takstniveauer og timebånd

# %%
pr.show(chosen(ws.rates), pr.RATE_VIEW, empty=f"Ingen takster for {chosen.label}.")

# %% [markdown]
# ## Fund, der vedrører tilbuddet

# %%
pr.show(chosen(bit.findings(ws, p)), pr.FINDING_VIEW, empty=nothing)
