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

# %% tags=["parameters"]
from typing import Optional

# Parametre: bitanalysis report sætter dem; standardværdierne kører på eksempelkommunen.
data_dir: str = "../../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026-H1, 2026 eller 2026-01..2026-06
top: int = 5  # antal sager med BIT-diagram
appendix_path: Optional[str] = None  # hvor Excel-bilaget skrives (None: intet bilag)

# %%
import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import present as pr

charts.use_offline_renderer()
ws = bit.load(data_dir)
p = bit.period(period)
found = bit.findings(ws, p)
pr.md(
    f"# BIT-fund – {pr.period_name(p)}\n\nTil sagsbehandlere og analytikere (ikke til politiske udvalg). Borgere vises med "
    "pseudonym. Hvert fund har en retning: **over** (der betales eller bestilles mere, end behov eller levering understøtter), "
    "**under** (borgeren får eller er bevilget mindre, end behovet eller leverancen tilsiger) eller **uafklaret**. "
    "En sag kan optræde under flere fundtyper; læg derfor ikke beløb sammen på tværs af typer.\n\n" + pr.caveats(ws, p)
)

# %% [markdown]
# ## Overblik pr. fundtype

# %%
overview = bit.summarise(found)
pr.table(
    overview.assign(type=overview["type"].map(pr.FINDING), direction=overview["direction"].map(pr.DIRECTION)),
    {"type": "Fundtype", "direction": "Retning", "findings": "Antal", "dkk_at_stake": "Kroner på spil"},
    money=("dkk_at_stake",),
)

# %% [markdown]
# ## Fund efter kroner på spil

# %%
ranked = found.assign(
    type_da=found["type"].map(pr.FINDING), direction_da=found["direction"].map(pr.DIRECTION_SHORT), action=found["type"].map(pr.ACTION)
)
pr.table(
    ranked,
    {
        "citizen_id": "Borger",
        "order_id": "Bevilling",
        "type_da": "Fundtype",
        "direction_da": "Retning",
        "dkk_at_stake": "Kroner på spil",
        "evidence": "Belæg",
        "latest_assessment": "Seneste udredning",
        "action": "Forslag til handling",
    },
    money=("dkk_at_stake",),
    dates=("latest_assessment",),
)

# %% [markdown]
# ## BIT-diagram for de største sager
#
# Tre søjler for hver borger: **B** (vurderet behov pr. tema), **I** (bestilt og leveret indsats) og **T** (takst og udgift),
# hver med størrelse og indhold.

# %%
for citizen in ranked.dropna(subset=["dkk_at_stake"])["citizen_id"].drop_duplicates().head(top):
    charts.bit_chart(ws, citizen, p).show()

# %%
if appendix_path:
    pr.write_appendix(
        {"Fund": ranked.drop(columns=["type_da", "direction_da"]), "Overblik": overview}, appendix_path, ws=ws, report="Fundrapport", period=p
    )

# %%
at_stake = found.groupby("direction")["dkk_at_stake"].sum()
pr.cover(ws, [("Fund", str(len(found))), ("Kr. på spil: over", pr.kr(at_stake.get("over", 0.0))), ("Kr. på spil: under", pr.kr(at_stake.get("under", 0.0)))])
