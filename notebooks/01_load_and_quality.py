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
# indlæsningsrapporten (læst, afvist med årsag, dubletter, sumrækker), rækkeregnskabet for dokumentationen og de
# dokumentationsrækker, der ikke tæller for nogen bevilling – med filen og rækken, de kommer fra.

# %% tags=["parameters"]
data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026-Q1..2026-Q3, 2026 eller 2026-01..2026-06

# %%
import bitanalysis as bit
from bitanalysis import present as pr

pr.notebook_mode()
ws = bit.load(data_dir)
p = bit.period(period)
pr.md(f"**Data:** `{data_dir}` · **Periode:** {pr.period_name(p)}\n\n```\n{ws.load_report.summary()}\n```")

# %% [markdown]
# ## Pr. fil og tabel: læst, sprunget over, afvist, fjernet som dublet, brugt

# %%
pr.show(ws.load_report.files)

# %% [markdown]
# ## Afviste rækker og fejl (fil, ark, række, kolonne, værdi og hvad der var forventet)

# %%
pr.show(ws.load_report.errors, empty="Ingen fejl: alle rækker blev læst.")

# %% [markdown]
# ## Rækkeregnskab: dokumentationens minutter knyttet til en bevilling, uden bevilling eller tvetydige
#
# Knyttet + uden bevilling + tvetydige = indlæst i alt (kontrakt §2).

# %%
pr.show(bit.accounting(ws, p).reset_index(), values={"status": pr.DELIVERY_STATUS})

# %% [markdown]
# ## Dokumentationsrækker, der ikke tæller for nogen bevilling
#
# *Uden bevilling*: borgeren har ingen aktiv bevilling hos tilbuddet på datoen. *Tvetydig*: flere aktive bevillinger
# passer, og ydelsen afgør ikke hvilken (de mulige bevillinger står i rækken). Kilde og række peger på rækken i eksporten.

# %%
loose = bit.delivery_rows(ws, p)
pr.show(
    loose, values={"status": pr.DELIVERY_STATUS}, empty=f"Ingen: alle dokumentationsrækker i {pr.period_name(p)} tæller for en bevilling."
)

# %% [markdown]
# ## De kanoniske tabeller

# %%
pr.show(pr.table_sizes(ws))
