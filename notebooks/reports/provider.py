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
period: str = "2026-10"  # perioden: en måned (2026-10), et kvartal (2026-Q3), et halvår (2026-H1) eller et interval
provider_id: str = "004512"  # tilbuddets id, som i takstbladene
appendix_path: Optional[str] = None  # hvor Excel-bilaget skrives (None: intet bilag)

# %%
from IPython.display import display

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
    "indsats pr. borger (pseudonym) og måned, udviklingen de seneste 12 måneder, dokumentationsgrad, udgift pr. leveret time, "
    "tillæg og de fund, der vedrører tilbuddet, med deres belæg.\n\n" + pr.caveats(ws, p, eco.CostGaps.of(mine), "hos tilbuddet i perioden")
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

# %%
window = bit.trailing(p, 12)
trend = bit.match(ws, window)
trend = trend[trend["provider_id"] == provider_id]
per_month = trend.groupby("month", as_index=False)[["ordered_hours", "delivered_hours"]].sum(min_count=1)
per_month["delivery_ratio"] = per_month["delivered_hours"] / per_month["ordered_hours"].where(per_month["ordered_hours"] > 0)
pr.md(
    f"## Udviklingen de seneste 12 måneder\n\n{pr.period_name(window)}; den valgte periode er markeret. Leveringsgraden er "
    "leverede timer delt med bestilte timer; den mangler (vises som et hul eller –), hvor der ikke er bestilt timer."
)

# %%
charts.trend_chart(
    per_month,
    {"ordered_hours": "Bestilt", "delivered_hours": "Leveret"},
    window,
    p,
    title=f"Bestilte og leverede timer pr. måned, {pr.period_name(window)}",
    unit="timer",
)

# %%
charts.trend_chart(
    per_month, {"delivery_ratio": "Leveringsgrad"}, window, p, title=f"Leveringsgrad pr. måned, {pr.period_name(window)}", unit="%"
)

# %%
# per citizen (pseudonym) and month: ordered and delivered hours over all the citizen's orders with the provider
by_citizen = trend.groupby(["citizen_id", "month"], as_index=False)[["ordered_hours", "delivered_hours"]].sum(min_count=1)
by_citizen["delivery_ratio"] = by_citizen["delivered_hours"] / by_citizen["ordered_hours"].where(by_citizen["ordered_hours"] > 0)
months = [str(m) for m in window.months]
ratios = by_citizen.pivot(index="citizen_id", columns="month", values="delivery_ratio").reindex(columns=months)
totals = by_citizen.groupby("citizen_id")[["ordered_hours", "delivered_hours"]].sum(min_count=1)
totals["delivery_ratio"] = totals["delivered_hours"] / totals["ordered_hours"].where(totals["ordered_hours"] > 0)
citizen_trend = totals.join(ratios).reset_index()
display(
    pr.md(
        f"### Leveringsgrad pr. borger og måned, de seneste 12 måneder\n\n{len(citizen_trend)} borgere (pseudonymer) med en "
        "bevilling hos tilbuddet i de 12 måneder. – betyder ingen bestilte timer i måneden (ingen bevilling, eller en bevilling "
        "uden timetal)."
    )
)
pr.table(
    citizen_trend,
    {
        "citizen_id": "Borger",
        "ordered_hours": "Bestilt, 12 mdr. (timer)",
        "delivered_hours": "Leveret, 12 mdr. (timer)",
        "delivery_ratio": "Leveringsgrad, 12 mdr.",
        **{m: charts.month_label(m) for m in months},
    },
    percent_=("delivery_ratio", *months),
    decimals={"ordered_hours": 1, "delivered_hours": 1},
)

# %% [markdown]
# ## Dokumentation, tillæg og fund

# %%
documented = (mine["delivered_hours"] > 0).mean() if len(mine) else float("nan")
addons = mine[mine["is_addon"]]
display(
    pr.md(
        f"Dokumentation findes for {pr.percent(documented) if len(mine) else '–'} af bevillingsmånederne. "
        f"Tillæg: {addons['order_id'].nunique()} bevillinger med en udgift på "
        f"{pr.money(addons['cost'].sum(min_count=1)) if len(addons) else pr.kr(0)}"
        f"{pr.left_out(eco.CostGaps.of(addons).days_without_cost)}. "
        f"Fund, der vedrører tilbuddet: {len(found)}, med deres belæg herunder."
    )
)
pr.table(
    found.assign(type=found["type"].map(pr.FINDING), direction=found["direction"].map(pr.DIRECTION_SHORT)),
    {
        "citizen_id": "Borger",
        "order_id": "Bevilling",
        "type": "Fundtype",
        "direction": "Retning",
        "months": "Måneder",
        "dkk_at_stake": "Kroner på spil",
        "evidence": "Belæg",
    },
    money=("dkk_at_stake",),
)

# %% [markdown]
# ## Pris

# %%
# the price per ordered hour of each of the provider's levels against the peers' (same paragraph and level) and the
# municipality's cost model; the sentences say over or under, and the order-days each price leaves out
models = pr.cost_models_of(ws)
prices = eco.price_benchmark(ws, p)
my_prices = pr.peers_for_provider(prices, provider_id)  # the peers' figures only where they give away no one's price
display(pr.md(pr.provider_price_text(my_prices, models, p, eco.settings_of(ws, None))))
price_table = pr.price_view(my_prices, models, [c for c in pr.PRICE_VIEW if c != "provider_name"])
pr.table(
    price_table.assign(price_rank=pr.price_rank_words(my_prices).to_numpy()),
    {c: pr.LABELS[c] for c in price_table.columns},
    money=("cost", "price_per_hour", "median", "q1", "q3", "model_price_per_hour"),
    percent_=("ratio",),
    decimals={"ordered_hours": 1},
)

# %%
if appendix_path:
    pr.write_appendix(
        {
            "Bestilt og leveret": mine,
            "Udvikling pr. borger": by_citizen,
            "Fund": found,
            "Pris": pr.price_view(my_prices, models, pr.PRICE_SHEET),
        },
        appendix_path,
        ws=ws,
        report=f"Tilbudsrapport: {name} ({provider_id})",
        period=p,
        caveat=pr.caveats(ws, p, eco.CostGaps.of(mine), "hos tilbuddet i perioden"),
    )

# %%
ordered = mine.loc[mine["ordered_hours"] > 0]
ratio = ordered["delivered_hours"].sum() / ordered["ordered_hours"].sum() if ordered["ordered_hours"].sum() else float("nan")
pr.cover(
    ws,
    [
        ("Leveringsgrad", pr.percent(ratio) if ratio == ratio else "–"),
        ("Udgift", pr.money(mine["cost"].sum(min_count=1))),
        ("Fund", str(len(found))),
    ],
)
