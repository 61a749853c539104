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
# Fra tilbuddene til fundene, én borgers BIT-diagram og de rækker, et fund bygger på.

# %% tags=["parameters"]
from typing import Optional

data_dir: str = "../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026-Q1..2026-Q3, 2026 eller 2026-01..2026-06
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
provider_id: Optional[str] = None  # kun dette tilbud: id (med eller uden foranstillede nuller) eller navn (None: alle)
paragraph: Optional[str] = None  # kun denne paragraf, fx "§ 85" eller "SEL §85" (None: alle)
team: Optional[str] = None  # kun dette myndighedsteam (None: alle)

# %%
import pandas as pd

import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import present as pr

pr.notebook_mode()
ws = bit.load(data_dir)
p, window = bit.period(period), bit.trailing(bit.period(period))
base = bit.period(compare_to) if compare_to else bit.year_before(p)

# %% [markdown]
# Udvalget: filtrene skrevet, som eksporterne skriver dem ("§ 85", et id uden foranstillede nuller, et tilbudsnavn);
# en værdi, data ikke har, nævnes med de kendte værdier.

# %%
chosen = bit.selection(ws, provider_id=provider_id, paragraph=paragraph, team=team)
nothing = f"Ingen fund for {chosen.label} i {pr.period_name(p)}."
chosen

# %% [markdown]
# ## Hvilke tilbud leverer mindre, end vi betaler for?
#
# Pr. tilbud: bestilte og leverede timer, leveringsgrad, dokumentationsgrad (andel af de bestilte uger med
# dokumentation), udgift og kroner på spil efter retning: *over* (betalt mere end leveret eller end behovet
# tilsiger) og *under* (borgeren får mindre). Største kroner på spil over først.

# %%
summary = bit.provider_summary(ws, p, **chosen.equals)
charts.provider_chart(summary, pr.period_name(p))

# %%
pr.show(summary, ["provider_name", *pr.SUMMARY], empty=nothing)

# %% [markdown]
# ## Udviklingen de seneste 13 måneder og samme måneder året før

# %%
trend = bit.provider_summary(ws, window, [], monthly=True, **chosen.equals)
before = bit.provider_summary(ws, bit.year_before(window), [], monthly=True, **chosen.equals)
ratios = {"delivery_ratio": "Leveringsgrad", "coverage": "Dokumenterede uger"}
charts.trend_chart(trend, ratios, window, p, before=before, unit="%", title="Leveringsgrad og dokumenterede uger pr. måned")

# %%
at_stake = {"dkk_over": "Kr. på spil: over", "dkk_under": "Kr. på spil: under"}
charts.trend_chart(trend, at_stake, window, p, before=before, title="Kroner på spil pr. måned (hver måned for sig)")

# %% [markdown]
# ## Perioden mod sammenligningsperioden

# %%
now, then = (bit.provider_summary(ws, q, [], **chosen.equals).assign(period=q.label) for q in (p, base))
pr.show(pd.concat([now, then]), ["period", *pr.SUMMARY])

# %% [markdown]
# ## Fundene, største kroner på spil først
#
# *Måneder med fundet*: i hvor mange af periodens måneder fundet også holder, når hver måned ses for sig.

# %%
found = chosen(bit.findings(ws, p))
pr.show(bit.summarise(found), empty=nothing)

# %%
pr.show(found, pr.FINDING_VIEW, empty=nothing)

# %% [markdown]
# ## BIT-diagram for borgeren med det største fund

# %%
top = found.dropna(subset=["dkk_at_stake"]).head(1)
charts.bit_chart(ws, top["citizen_id"].iloc[0], p) if len(top) else pr.md(f"*Ingen fund med et beløb for {chosen.label}.*")

# %% [markdown]
# ## Sporet tilbage: bevillingen bag det største fund med dokumentationsrækker
#
# Bevillingen, dens måneder i matchet og dokumentationsrækkerne med fil og række i eksporten (`explain`).

# %%
m = bit.match(ws, p)
case = found[found["order_id"].isin(m.loc[m["delivered_hours"] > 0, "order_id"])].head(1)
trace = (
    bit.explain(ws, case["order_id"].iloc[0], p)
    if len(case)
    else dict.fromkeys(["order", "months", "deliveries", "rates", "assessments"], pd.DataFrame())
)
pr.md(pr.finding_headline(case) if len(case) else f"*Intet fund med dokumentationsrækker for {chosen.label} i {pr.period_name(p)}.*")

# %%
pr.show(trace["order"], [*pr.ORDER_VIEW, "source", "source_row"], empty="Ingen bevilling at vise.")

# %%
pr.show(trace["months"], pr.MONTH_VIEW, empty="Ingen bevilling at vise.")

# %%
pr.show(trace["deliveries"], pr.DELIVERY_VIEW, values={"status": pr.DELIVERY_STATUS}, empty="Ingen dokumentationsrækker at vise.")

# %%
pr.show(trace["rates"], pr.RATE_VIEW, empty="Ingen takster at vise.")

# %%
pr.show(trace["assessments"], pr.ASSESSMENT_VIEW, empty="Ingen udredninger at vise.")

# %% [markdown]
# ## Tag en tabel med videre
#
# `pr.to_excel(summary, "tilbud.xlsx", ws=ws)` skriver en tabel (eller `{"Ark": tabel, …}`) med danske overskrifter
# gennem produktets skriver: formler skrives som tekst, og intet skrives, hvis tabellen indeholder et CPR-nummer eller
# et navn eller en note fra eksporterne.
