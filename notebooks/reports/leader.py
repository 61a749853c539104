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
period: str = "2026-10"  # perioden: 2026-10, 2026-Q3, 2026 eller 2026-01..2026-06
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
as_of: Optional[str] = None  # opgørelsesdato for budgetopfølgningen (None: periodens sidste dag)
price_year: Optional[int] = None  # prisår for faste priser (None: løbende priser)
appendix_path: Optional[str] = None  # hvor Excel-bilaget skrives (None: intet bilag)

# %%
import pandas as pd

import bitanalysis as bit
from bitanalysis import charts, economics as eco, present as pr

charts.use_offline_renderer()
ws = bit.load(data_dir)
p = bit.period(period)
base = bit.period(compare_to) if compare_to else bit.year_before(p)
as_of_date = p.end if as_of is None else pd.Timestamp(as_of)
year = p.last.year
prices = "løbende priser" if price_year is None else f"{price_year}-priser"
pr.md(f"# Ledelsesrapport – {pr.period_name(p)}\n\nSpecialiseret socialområde, voksne. Sammenlignet med {pr.period_name(base)}; "
      f"beløb i {prices}. Rapporten viser kun sammentællinger; grupper med færre end 5 borgere vises som \"<5\".")

# %% [markdown]
# ## Budget og forventet regnskab

# %%
followup = eco.budget_followup(ws, year, as_of_date)
pr.md(pr.budget_sentence(followup, year, as_of_date))

# %%
charts.budget_chart(followup, year, as_of_date, price_year)

# %% [markdown]
# ## Udgiften nu og året før: pris, mængde og mix

# %%
bridge = eco.price_quantity(ws, p, base)
spend_now, spend_before = eco.spend(ws, p, "paragraph"), eco.spend(ws, base, "paragraph")
pr.md("**De tre største drivere**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(pr.drivers(bridge, spend_now, spend_before), 1)))

# %%
charts.bridge_chart(bridge, price_year)

# %% [markdown]
# ## BIT-trafiklys: er der overensstemmelse mellem behov, indsats og takst?

# %%
lights = bit.traffic_light(ws, p)
charts.traffic_light_chart(lights, pr.period_name(p))

# %%
pr.table(pr.suppress_small(lights.assign(status=lights["status"].map(pr.STATUS)), hide=("dkk",)),
         {"status": "Status", "citizens": "Borgere", "citizen_share": "Andel borgere", "dkk": "Udgift", "dkk_share": "Andel af udgiften"},
         money=("dkk",), percent_=("citizen_share", "dkk_share"))

# %% [markdown]
# ## Udgift pr. paragraf og tilbud

# %%
charts.spend_chart(spend_now, "paragraph", pr.period_name(p), price_year)

# %%
by_provider = eco.full_year_persons(ws, p, "provider_name").sort_values("cost", ascending=False)
pr.table(pr.suppress_small(by_provider, hide=("cost", "average_price", "full_year_persons")),
         {"provider_name": "Tilbud", "citizens": "Borgere", "full_year_persons": "Helårspersoner", "cost": "Udgift",
          "average_price": "Pris pr. helårsperson"}, money=("cost", "average_price"), decimals={"full_year_persons": 1})

# %% [markdown]
# ## Helårspersoner og gennemsnitspriser

# %%
fyp = eco.full_year_persons(ws, p, "paragraph")
charts.fyp_chart(fyp, "paragraph", pr.period_name(p), price_year)

# %%
pr.table(pr.suppress_small(fyp, hide=("cost", "average_price", "full_year_persons")),
         {"paragraph": "Paragraf", "citizens": "Borgere", "full_year_persons": "Helårspersoner", "cost": "Udgift",
          "average_price": "Pris pr. helårsperson"}, money=("cost", "average_price"), decimals={"full_year_persons": 1})

# %% [markdown]
# ## Takstudvikling mod P/L

# %%
rates = eco.rate_development(ws, year)
charts.rate_chart(rates, year)

# %% [markdown]
# ## Koncentration: de dyreste borgere

# %%
conc = eco.concentration(ws, p)
above = conc.above.set_index("threshold")
pr.md(f"De dyreste 10 % af borgerne står for **{pr.percent(conc.top_decile_share)}** af udgiften i perioden. "
      + " ".join(f"Over {pr.kr(t)} om året: {pr.suppress_small(above.loc[[t]].reset_index(), hide=('cost',)).iloc[0]['citizens']} borgere."
                 for t in above.index))

# %%
charts.concentration_chart(conc.per_citizen, pr.period_name(p), price_year)

# %%
if appendix_path:
    bit.write_appendix(appendix_path, {
        "Budget": followup, "Pris og mængde": bridge[["label", "dkk", "full_year_persons", "average_price"]],
        "Trafiklys": pr.suppress_small(lights, hide=("dkk",)), "Udgift pr. paragraf": spend_now,
        "Helårspersoner": pr.suppress_small(fyp, hide=("cost", "average_price", "full_year_persons")),
        "Takstudvikling": rates, "Koncentration": conc.above,
    }, percent=("variance_pct", "citizen_share", "dkk_share", "change", "pl_change"))
