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
compare_to: Optional[str] = None  # sammenligningsperioden (None: samme periode året før)
as_of: Optional[str] = None  # opgørelsesdato for budgetopfølgningen, fx 31-10-2026 (None: periodens sidste dag)
price_year: Optional[int] = None  # prisår for faste priser (None: løbende priser)
appendix_path: Optional[str] = None  # hvor Excel-bilaget skrives (None: intet bilag)

# %%
from dataclasses import asdict, replace

import pandas as pd
from IPython.display import display

import bitanalysis as bit
from bitanalysis import charts
from bitanalysis import economics as eco
from bitanalysis import present as pr

charts.use_offline_renderer()
ws = bit.load(data_dir)
p = bit.period(period)
base = bit.period(compare_to) if compare_to else bit.year_before(p)
as_of_date = p.end if as_of is None else eco.parse_day(as_of)
year = p.last.year
gaps = eco.cost_gaps(ws, p)
empty = pr.nothing_to_report(p, gaps)  # no order-days, or none with a cost: nothing but that sentence is shown
# fixed prices need a P/L factor for the price year and for every year the amounts come from; else current prices
missing_pl = eco.missing_pl_years(ws, {price_year, year, *(m.year for m in p.months), *(m.year for m in base.months)}) if price_year else []
py = None if missing_pl else price_year  # the price year the amounts are actually in (None: current prices)
pr.md(
    f"# Ledelsesrapport – {pr.period_name(p)}\n\nSpecialiseret socialområde, voksne. Sammenlignet med {pr.period_name(base)}. "
    f'{pr.price_note(price_year, missing_pl)} Rapporten viser kun sammentællinger; grupper med færre end 5 borgere vises som "<5".\n\n'
    + pr.caveats(ws, p, gaps)
    + (f"\n\n{empty}" if empty else "")
)

# %%
if not empty:
    display(pr.md("## Budget og forventet regnskab"))
    followup = eco.budget_followup(ws, year, as_of_date)
    money = ["budget", "actual", "committed", "forecast", "variance"]
    followup = followup if py is None else eco.fixed_prices(followup.assign(year=year), ws, py, money).drop(columns="year")
    display(pr.md(pr.budget_sentence(followup, year, as_of_date)), charts.budget_chart(followup, year, as_of_date, py))
    # the forecast path: the year's cost month by month to the as-of date, then what is committed to the year's end
    # (billed on ordered hours: future deliveries are not known), as in the budget follow-up
    year_start, year_end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    done = eco.cost_between(ws, year_start, as_of_date)
    to_come = (
        eco.cost_between(ws, as_of_date + pd.Timedelta(days=1), year_end, replace(eco.settings_of(ws, None), hourly_billing="ordered"))
        if as_of_date < year_end
        else done.iloc[:0]
    )
    if py is not None:
        done, to_come = (eco.fixed_prices(f, ws, py, ["cost"]) for f in (done, to_come))
    path_budget = followup.set_index("area").at["total", "budget"]
    path_left_out = int(eco.without_cost(done).sum() + eco.without_cost(to_come).sum())
    display(
        pr.md(
            f"**Prognoseforløbet for {year}**: forbruget måned for måned til {as_of_date:%d-%m-%Y}, derefter de disponerede "
            "udgifter til årets udgang, mod budgettet. "
            + (
                f"Forløbet omfatter ikke {pr.number(path_left_out)} bevillingsdage uden udgift (takst eller timetal mangler); "
                "en måned uden punkt har ingen udgift, der kan opgøres."
                if path_left_out
                else "Alle årets bevillingsdage har en udgift."
            )
        ),
        charts.forecast_path_chart(done, to_come, path_budget, year, as_of_date, py),
    )

# %%
if not empty:
    display(pr.md("## Udgiften nu og året før: pris, mængde og mix"))
    spend_now, spend_before = eco.spend(ws, p, "paragraph", price_year=py), eco.spend(ws, base, "paragraph", price_year=py)
    try:
        bridge, refused = eco.price_quantity(ws, p, base, price_year=py), None
    except eco.IncompleteCosts as exc:  # too many order-days without a cost: the bridge would call the gap "price"
        bridge, refused = None, str(exc)
    if refused:
        display(pr.md(f"**Pris × mængde og de største drivere vises ikke.** {refused}"))
    else:
        drivers = "\n".join(f"{i}. {s}" for i, s in enumerate(pr.drivers(bridge, spend_now, spend_before), 1))
        left_out = bridge.set_index("component")["days_without_cost"]
        display(
            pr.md(
                f"**De tre største drivere**\n\n{drivers}\n\nBevillingsdage uden udgift, som ikke er medregnet: "
                f"{pr.number(left_out['base'])} i {pr.period_name(base)} og {pr.number(left_out['current'])} i {pr.period_name(p)}."
            ),
            charts.bridge_chart(bridge, py),
        )

# %%
if not empty:
    display(pr.md("## BIT-trafiklys: er der overensstemmelse mellem behov, indsats og takst?"))
    lights = bit.traffic_light(ws, p)
    one_year = p.first.year == p.last.year  # the traffic light has no months: in fixed prices only within one year
    lights = eco.fixed_prices(lights.assign(year=year), ws, py, ["dkk"]).drop(columns="year") if py and one_year else lights
    display(charts.traffic_light_chart(lights, pr.period_name(p)), pr.md(pr.traffic_light_caveat(gaps)))
    display(
        pr.table(
            pr.suppress_small(lights.assign(status=lights["status"].map(pr.STATUS)), hide=("dkk",)),
            {
                "status": "Status",
                "citizens": "Borgere",
                "citizen_share": "Andel borgere",
                "dkk": f"Udgift ({charts.prices(py if one_year else None)})",
                "dkk_share": "Andel af udgiften",
            },
            money=("dkk",),
            percent_=("citizen_share", "dkk_share"),
        )
    )


# %%
if not empty:
    tasks = bit.task_lists(ws, p)
    display(pr.md("## Indsatslister: er opgaverne beskrevet efter behov og timer?\n\n" + pr.task_lists_text(tasks, p)))

# %%
if not empty:
    # the price per ordered hour against the peers' and the municipality's cost model: aggregates only, and a figure
    # fewer than 5 citizens stand behind is not shown
    price_found = bit.findings(ws, p, months=False)  # the types, citizens and DKK; not in how many months each held
    price_line = pr.price_text(eco.price_benchmark(ws, p), price_found, pr.cost_models_of(ws), p, eco.settings_of(ws, None))
    current = "" if py is None else " Beløbene i dette afsnit er i løbende priser."
    display(pr.md("## Pris pr. bestilt time: er prisen rimelig for timerne?\n\n" + price_line + current))

# %%
if not empty:
    window = bit.trailing(p)
    window_before = bit.year_before(window)
    # the trend in the report's price year where the P/L index has every year of the 26 months, else in current prices
    trend_years = {*(m.year for m in window.months), *(m.year for m in window_before.months)}
    py_trend = py if py is not None and not eco.missing_pl_years(ws, trend_years) else None
    hide_trend = ("cost", "days_without_rate", "days_without_cost")
    trend_now = pr.suppress_small(eco.spend(ws, window, "paragraph", price_year=py_trend), hide=hide_trend, within="month")
    trend_before = pr.suppress_small(eco.spend(ws, window_before, "paragraph", price_year=py_trend), hide=hide_trend, within="month")
    left = [eco.cost_gaps(ws, w).days_without_cost for w in (window, window_before)]
    display(
        pr.md(
            f"## Udviklingen: udgift pr. paragraf de seneste 13 måneder\n\n{pr.period_name(window)} (fuldt optrukket) mod de "
            f"samme måneder året før (prikket); den valgte periode er markeret. Hver paragraf har sin egen skala. En måned uden "
            f'punkt har ingen udgift, der kan opgøres, eller er skjult, fordi færre end 5 borgere står bag ("<5"). '
            f"Bevillingsdage uden udgift, som ikke er medregnet: {pr.number(left[0])} i de seneste 13 måneder og "
            f"{pr.number(left[1])} året før."
        ),
        charts.spend_trend_chart(trend_now, trend_before, "paragraph", window, p, py_trend),
    )

# %%
if not empty:
    display(pr.md("## Udgift pr. paragraf og tilbud"), charts.spend_chart(spend_now, "paragraph", pr.period_name(p), py))
    by_provider = eco.full_year_persons(ws, p, "provider_name", price_year=py).sort_values("cost", ascending=False)
    display(
        pr.table(
            pr.suppress_small(by_provider, hide=("cost", "average_price", "full_year_persons", "days_without_cost")),
            {
                "provider_name": "Tilbud",
                "citizens": "Borgere",
                "full_year_persons": "Helårspersoner",
                "cost": "Udgift",
                "average_price": "Pris pr. helårsperson",
                "days_without_cost": "Bevillingsdage uden udgift",
            },
            money=("cost", "average_price"),
            decimals={"full_year_persons": 1},
        )
    )

# %%
if not empty:
    display(
        pr.md(
            "## Helårspersoner og gennemsnitspriser\n\nGennemsnitsprisen er udgiften delt med helårspersonerne på de "
            "bevillingsdage, der har en udgift; dage uden udgift trækker den altså ikke ned."
        )
    )
    fyp = eco.full_year_persons(ws, p, "paragraph", price_year=py)
    display(charts.fyp_chart(fyp, "paragraph", pr.period_name(p), py))
    display(
        pr.table(
            pr.suppress_small(fyp, hide=("cost", "average_price", "full_year_persons", "days_without_cost")),
            {
                "paragraph": "Paragraf",
                "citizens": "Borgere",
                "full_year_persons": "Helårspersoner",
                "cost": "Udgift",
                "average_price": "Pris pr. helårsperson",
                "days_without_cost": "Bevillingsdage uden udgift",
            },
            money=("cost", "average_price"),
            decimals={"full_year_persons": 1},
        )
    )

# %%
if not empty:
    display(pr.md("## Takstudvikling mod P/L"))
    rates = eco.rate_development(ws, year)
    display(charts.rate_chart(rates, year))

# %%
if not empty:
    display(pr.md("## Koncentration: de dyreste borgere"))
    conc = eco.concentration(ws, p, price_year=py)
    display(
        pr.md(pr.concentration_sentence(conc, charts.prices(py))),
        charts.concentration_chart(conc.per_citizen, pr.period_name(p), py),
    )

# %%
if appendix_path:
    missing = pd.DataFrame([asdict(gaps) | {"share": gaps.share}])
    sheets = {"Uden udgift": missing}
    if not empty:
        sheets |= {
            "Budget": followup,
            "Pris og mængde": bridge[["label", "dkk", "full_year_persons", "average_price", "days_without_cost"]]
            if bridge is not None
            else pd.DataFrame({"message": [refused]}),
            "Trafiklys": pr.suppress_small(lights, hide=("dkk",)),
            "Udgift pr. paragraf": pr.suppress_small(spend_now, hide=("cost", "days_without_rate", "days_without_cost"), within="month"),
            "Udvikling pr. paragraf": pd.concat([trend_now.assign(series="seneste 13 måneder"), trend_before.assign(series="året før")]),
            "Prognoseforløb": pd.concat([done.assign(part="forbrug til dato"), to_come.assign(part="disponeret")])
            .assign(days_without_cost=lambda f: eco.without_cost(f))
            .groupby(["month", "part"], as_index=False)
            .agg(cost=("cost", lambda c: c.sum(min_count=1)), days_without_cost=("days_without_cost", "sum")),
            "Helårspersoner": pr.suppress_small(fyp, hide=("cost", "average_price", "full_year_persons", "days_without_cost")),
            "Takstudvikling": pr.suppress_small(rates, "placements", hide=("cost", "excess_dkk")),
            "Koncentration": pr.suppress_small(conc.above, hide=("cost", "annualised_cost", "days_without_cost")),
            "Indsatslister": pr.suppress_small(tasks.findings, hide=("dkk_at_stake",)),
        }
    pr.write_appendix(sheets, appendix_path, ws=ws, report="Lederrapport", period=p, compare=base)

# %%
if empty:
    figures = []
else:
    total = followup.set_index("area").loc["total"]
    spent = eco.spend(ws, p, None, price_year=py)["cost"].sum(min_count=1)
    figures = [("Forventet regnskab " + str(year), pr.money(total["forecast"])), ("Afvigelse fra budget", pr.money(total["variance"]))]
    figures.append(("Udgift i " + pr.period_name(p), pr.money(spent)))
pr.cover(ws, figures)
