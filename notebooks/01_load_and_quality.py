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
# # Indlæsning og datakvalitet
#
# **Spørgsmål:** Er eksporterne læst rigtigt, og er hver række gjort op? Notebooken indlæser datamappen, viser
# indlæsningsrapporten (læst, afvist med årsag, dubletter, sumrækker) og rækkeregnskabet for dokumentationen.

# %% tags=["parameters"]
data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden for rækkeregnskabet: 2026-10, 2026-Q3, 2026 eller 2026-01..2026-06

# %%
import bitanalysis as bit

ws = bit.load(data_dir)
print(ws.load_report.summary())

# %% [markdown]
# ## Pr. fil og tabel

# %%
ws.load_report.files

# %% [markdown]
# ## Afviste rækker og fejl (fil, ark, række, kolonne, værdi og hvad der var forventet)

# %%
ws.load_report.errors

# %% [markdown]
# ## Rækkeregnskab: dokumentationens minutter knyttet til en bevilling, uden bevilling eller tvetydige

# %%
bit.accounting(ws, period)

# %% [markdown]
# ## De kanoniske tabeller

# %%
{name: len(table) for name, table in ws.tables().items()}
