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
provider_id: str = "004512"  # tilbuddets id, som i takstbladene
appendix_path: Optional[str] = None  # hvor Excel-bilaget skrives (None: intet bilag)

# %%
import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import economics as eco
from bitanalysis import present as pr

charts.use_offline_renderer()
ws = bit.load(data_dir)
p = bit.period(period)
m = bit.match(ws, p)
mine = m[m["provider_id"] == provider_id]
found = bit.findings(ws, p)
found = found[found["provider_id"] == provider_id]
name = mine["provider_name"].dropna().iloc[0] if mine["provider_name"].notna().any() else provider_id
pr.md(
    f"# Status for {name} ({provider_id}) – {pr.period_name(p)}\n\nTil dialogen mellem myndighed og tilbud: bestilt og leveret "
    "indsats pr. borger (pseudonym) og måned, dokumentationsgrad, udgift pr. leveret time, tillæg og de fund, der vedrører tilbuddet."
    "\n\n" + pr.missing_costs_sentence(eco.CostGaps.of(mine), "hos tilbuddet i perioden")
)

# %% [markdown]
# ## Bestilt og leveret

# %%
charts.delivery_chart(mine, pr.period_name(p))

# %%
pr.table(
    mine.assign(month=mine["month"].map(pr.month_name)),
    {
        "month": "Måned",
        "citizen_id": "Borger",
        "order_id": "Bevilling",
        "service": "Ydelse",
        "rate_level": "Takstniveau",
        "ordered_hours": "Bestilt (timer)",
        "delivered_hours": "Leveret (timer)",
        "delivery_ratio": "Leveringsgrad",
        "cost": "Udgift",
        "cost_per_delivered_hour": "Udgift pr. leveret time",
    },
    money=("cost", "cost_per_delivered_hour"),
    percent_=("delivery_ratio",),
    decimals={"ordered_hours": 1, "delivered_hours": 1},
)

# %% [markdown]
# ## Dokumentation, tillæg og fund

# %%
documented = (mine["delivered_hours"] > 0).mean() if len(mine) else float("nan")
addons = mine[mine["is_addon"]]
pr.md(
    f"Dokumentation findes for {pr.percent(documented) if len(mine) else '–'} af bevillingsmånederne. "
    f"Tillæg: {addons['order_id'].nunique()} bevillinger med en udgift på "
    f"{pr.money(addons['cost'].sum(min_count=1)) if len(addons) else pr.kr(0)}"
    f"{pr.left_out(eco.CostGaps.of(addons).days_without_cost)}. "
    f"Fund, der vedrører tilbuddet: {len(found)}."
)
pr.table(
    found.assign(type=found["type"].map(pr.FINDING), direction=found["direction"].map(pr.DIRECTION)),
    {
        "citizen_id": "Borger",
        "order_id": "Bevilling",
        "type": "Fundtype",
        "direction": "Retning",
        "dkk_at_stake": "Kroner på spil",
        "evidence": "Belæg",
    },
    money=("dkk_at_stake",),
)

# %%
if appendix_path:
    bit.write_table({"Bestilt og leveret": mine, "Fund": found}, appendix_path, ws=ws, percent=("delivery_ratio",))
