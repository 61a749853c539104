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
# Parametre: bitanalysis opgave sætter dem; standardværdierne kører på eksempelkommunen.
data_dir: str = "../../data/sample"  # mappen med eksporterne og bitanalysis.toml
period: str = "2026-10"  # perioden: en måned (2026-10), et kvartal (2026-Q3), et halvår (2026-H1) eller et interval
who: str = "BEV-000194"  # en bevillings id, eller en borgers pseudonym (B-…): én opgavebeskrivelse pr. aktiv bevilling
top: int = 10  # antal tilbud, der vises pr. bevilling (det nuværende tilbud vises altid)

# %%
from html import escape

import pandas as pd
from IPython.display import HTML, display

import bitanalysis as bit
from bitanalysis import economics as eco
from bitanalysis import present as pr

day, kr, number, percent = pr.day, pr.kr, pr.number, pr.percent

ws = bit.load(data_dir)
p = bit.period(period)
d = bit.task_description(ws, who, p, top=top)
m = bit.match(ws, p)
mine = m[m["order_id"].isin(d.orders["order_id"])]
subject = f"bevilling {d.who}" if d.kind == "order" else f"borger {d.citizen_id}"
sections = "én bevilling" if len(d.orders) == 1 else f"{len(d.orders)} bevillinger, der er aktive i perioden, med et afsnit for hver"
pr.md(
    f"# Opgavebeskrivelse for {subject} – {pr.period_name(p)}\n\n"
    f"Til dialogen med et muligt tilbud: borgerens behov (**B**), opgaverne og deres tid og det bestilte og leverede "
    f"(**I**), taksten (**T**) og de tilbud, der passer til opgaven, hver med en begrundelse. Borgeren står med pseudonym "
    f"({d.citizen_id}); opgavetekster og indsatsmål er myndighedens egne. Beskrivelsen omfatter {sections}.\n\n"
    + pr.caveats(ws, p, eco.CostGaps.of(mine), "for bevillingen i perioden" if len(d.orders) == 1 else "for bevillingerne i perioden")
)

# %%
YES_NO = {True: "Ja", False: "Nej"}
STYLE = """<style>
.bit-opgave table { width: 100%; border-collapse: collapse; }
.bit-opgave td, .bit-opgave th { text-align: left !important; vertical-align: top; overflow-wrap: break-word !important; }
.bit-opgave p { break-after: avoid; }
.bit-keep { break-inside: avoid; }
.bit-overview table, .bit-fit table, .bit-findings table { table-layout: fixed; }
.bit-overview th:first-child { width: 12%; }
.bit-overview td:first-child { font-weight: bold; }
.bit-themes td:nth-child(n+5), .bit-themes th:nth-child(n+5) { text-align: right !important; }
.bit-tasks td:nth-child(3), .bit-tasks th:nth-child(3) { text-align: right !important; }
.bit-tasks td:nth-child(4), .bit-tasks th:nth-child(4) { text-align: right !important; }
.bit-delivered table { table-layout: fixed; }
.bit-delivered th:nth-child(1) { width: 14%; } .bit-delivered th:nth-child(2) { width: 24%; }
.bit-delivered th:nth-child(3) { width: 11%; } .bit-delivered th:nth-child(4) { width: 7%; }
.bit-delivered th:nth-child(5), .bit-delivered th:nth-child(6) { width: 14%; } .bit-delivered th:nth-child(7) { width: 16%; }
.bit-delivered td:nth-child(n+3), .bit-delivered th:nth-child(n+3) { text-align: right !important; }
.bit-rate td:first-child { width: 45%; }
.bit-findings th:nth-child(1) { width: 16%; } .bit-findings th:nth-child(2) { width: 18%; }
.bit-findings th:nth-child(3) { width: 10%; } .bit-findings th:nth-child(4) { width: 13%; }
.bit-findings td:nth-child(4), .bit-findings th:nth-child(4) { text-align: right !important; }
.bit-fit th:nth-child(1) { width: 7%; } .bit-fit th:nth-child(2) { width: 25%; } .bit-fit th:nth-child(3) { width: 13%; }
.bit-fit td:nth-child(1), .bit-fit th:nth-child(1), .bit-fit td:nth-child(3), .bit-fit th:nth-child(3) { text-align: right !important; }
</style>"""
display(HTML(STYLE))


def block(text: str, table=None, kind: str = "", keep: bool = True) -> HTML:
    """A paragraph and the table it introduces, kept together on the printed page (`keep`: the whole block on one page;
    else the paragraph with the table's first rows). The style above: text left, numbers right, no word cut."""
    paragraph = f"<p>{escape(text)}</p>" if text else ""
    classes = " ".join(c for c in ("bit-opgave", f"bit-{kind}" if kind else "", "bit-keep" if keep else "") if c)
    return HTML(f'<div class="{classes}">{paragraph}{table.data if table is not None else ""}</div>')


def facts(o) -> str:
    """The order in one paragraph."""
    until = day(o.end_date) or "åben"
    hours = f"{number(o.hours_per_week, 1)} timer pr. uge" if pd.notna(o.hours_per_week) else "intet timetal"
    addon = " Bevillingen er et tillæg." if o.is_addon else ""
    group = f", målgruppe {o.target_group}" if isinstance(o.target_group, str) else ""
    return (
        f"Borger {o.citizen_id}{group}. Bevilget {day(o.start_date)}–{until}: {o.service} efter {o.paragraph}, {hours}, "
        f"takstniveau '{o.rate_level}' hos {o.provider_name or o.provider_id} ({o.provider_id}).{addon}"
    )


def show_needs(s) -> None:
    """B: the latest assessment per theme, beside what the order and its task list have under the theme."""
    display(pr.md("### B – Behov"))
    intro = (
        f"Seneste udredning pr. tema til og med {day(p.end)} (funktionsevneniveau 0–4: Ingen, Let, Moderat, Svært, "
        "Fuldstændigt), og hvad bevillingen og dens indsatsliste har under temaet."
    )
    if s.themes.empty:
        display(block(intro + " Borgeren har ingen udredning, og bevillingen nævner ingen temaer."))
        return
    shown = s.themes.assign(in_order=s.themes["in_order"].map(YES_NO))
    columns = {
        "theme": "Tema",
        "level_text": "Niveau",
        "assessed_on": "Udredt",
        "in_order": "Bevillingens tema",
        "tasks": "Opgaver",
        "minutes_per_week": "Minutter pr. uge",
    }
    display(block(intro, pr.table(shown, columns, decimals={"minutes_per_week": 0}, dates=("assessed_on",)), "themes"))


def show_intervention(s, o) -> None:
    """I: the task list per theme with time and goal, and what was expected and documented per task over 12 months."""
    display(pr.md("### I – Indsats"))
    ordered = f"{number(o.hours_per_week, 1)} timer pr. uge" if pd.notna(o.hours_per_week) else "intet timetal"
    if s.tasks.empty:
        display(block(f"Opgaver pr. tema: bevillingen har ingen indsatsliste. Den er bestilt som {ordered}."))
    else:
        total = (
            f"{number(o.task_minutes)} minutter = {number(o.task_hours_per_week, 1)} timer pr. uge"
            if pd.notna(o.task_minutes)
            else "en tid, der ikke kan summeres (ikke alle opgaver har en tid)"
        )
        columns = {
            "theme": "Tema",
            "task": "Opgave",
            "minutes_per_week": "Minutter pr. uge",
            "hours_per_week": "Timer pr. uge",
            "goal": "Indsatsmål",
        }
        table = pr.table(s.tasks, columns, decimals={"minutes_per_week": 0, "hours_per_week": 1})
        intro = f"Opgaver pr. tema: {o.tasks} opgaver med i alt {total}; bevillingen er på {ordered}."
        display(block(intro, table, "tasks", keep=len(s.tasks) <= 12))
    intro = (
        f"Bestilt og leveret, {pr.period_name(d.window)}. Forventet tid pr. opgave: minutter pr. uge × aktive dage / 7. "
        "Leveret: de dokumenterede timer, der nævner opgaven (eller en aktivitet, mappingfilen knytter til den); resten står "
        "som dokumentation uden en af listens opgaver. Bevillingen i alt: de bestilte timer mod alle dokumenterede timer."
    )
    if s.delivered.empty:
        display(block(intro + " Bevillingen er ikke aktiv i de 12 måneder."))
        return
    labels = {"other": "Dokumentation uden en af listens opgaver", "order": "Bevillingen i alt (bestilt)"}
    shown = s.delivered.assign(task=[labels.get(r, t) for r, t in zip(s.delivered["row"], s.delivered["task"])])
    columns = {
        "theme": "Tema",
        "task": "Opgave",
        "minutes_per_week": "Minutter pr. uge",
        "months": "Mdr.",
        "expected_hours": "Forventet (timer)",
        "delivered_hours": "Leveret (timer)",
        "delivery_ratio": "Leveringsgrad",
    }
    table = pr.table(
        shown, columns, percent_=("delivery_ratio",), decimals={"minutes_per_week": 0, "expected_hours": 1, "delivered_hours": 1}
    )
    display(block(intro, table, "delivered", keep=len(shown) <= 12))


def show_rate(s, o) -> None:
    """T: the rate level, its band, what it includes, and the price per ordered hour."""
    r = s.rates.iloc[0]
    display(pr.md("### T – Takst"))
    intro = f"Taksten for niveau '{o.rate_level}' hos tilbuddet den {day(r.rate_on)} (bevillingens sidste aktive dag i perioden)."
    if not r.found:
        display(block(f"{intro} Tilbuddet har ingen takst for niveauet den dag (se fundtypen 'Takst mangler')."))
        return
    hours = number(o.hours_per_week, 1)
    rows = [
        ("Takstniveau", f"'{o.rate_level}'" + (f" ({r.label})" if isinstance(r.label, str) else "")),
        ("Takst", f"{kr(r.amount)} {r.unit_text}, gyldig {day(r.valid_from)}–{day(r.valid_to) or 'åben'}"),
        ("Timebånd", r.band_text),
        (f"Rummer båndet bevillingens {hours} timer pr. uge?", "–" if r.in_band is None else YES_NO[bool(r.in_band)]),
        (f"Tilbuddets niveauer, hvis bånd rummer {hours} timer", ", ".join(f"'{lv}'" for lv in r.fitting_levels) or "ingen"),
        ("Taksten indeholder", ", ".join(map(str, r.includes)) or "ikke angivet"),
        (f"Udgift i {pr.period_name(p)}", pr.money(r.cost) + (f" ({number(r.active_days)} aktive dage)" if r.active_days else "")),
        ("Bestilte timer i perioden", number(r.ordered_hours, 1)),
        ("Pris pr. bestilt time", r.price_text),
        (f"Udgift for et helt år ved {hours} timer pr. uge", pr.money(r.annual_cost)),
    ]
    table = pr.table(pd.DataFrame(rows, columns=["what", "value"]), {"what": "Oplysning", "value": "Værdi"})
    display(block(intro, table, "rate"))


def show_findings(s) -> None:
    """The period's findings on the order and its citizen."""
    display(pr.md("### Fund i perioden"))
    if s.findings.empty:
        display(block(f"Ingen fund for bevillingen eller borgeren i {pr.period_name(p)}."))
        return
    shown = s.findings.assign(type=s.findings["type"].map(pr.FINDING), direction=s.findings["direction"].map(pr.DIRECTION_SHORT))
    columns = {"order_id": "Bevilling", "type": "Fundtype", "direction": "Retning", "dkk_at_stake": "Kroner på spil", "evidence": "Belæg"}
    intro = "Fund efter kontraktens §3 på bevillingen og borgeren (– i kolonnen Bevilling: et fund på borgeren)."
    display(block(intro, pr.table(shown, columns, money=("dkk_at_stake",)), "findings", keep=len(shown) <= 6))


def show_providers(s, o) -> None:
    """The providers that fit the task, each with why."""
    display(pr.md("### Tilbud, der passer til opgaven"))
    if s.providers.empty:
        display(block("Tilbuddene kan ikke rangeres: bevillingen har intet timetal, og indsatslisten har ingen tid."))
        return
    source = {"tasks": "indsatslistens tid", "order": "bevillingens timer"}[o.fit_hours_source]
    listed = s.tasks["theme"].dropna().unique().tolist() or list(o.themes)
    themes = f"flest af opgavens temaer ({', '.join(listed)}) i tilbuddets bevillinger de seneste 12 måneder; " if listed else ""
    group = f"flest borgere i målgruppen {o.target_group}; " if isinstance(o.target_group, str) else ""
    intro = (
        f"Tilbud med bevillinger eller takster efter {o.paragraph}, rangeret efter: et takstniveau, hvis timebånd rummer "
        f"{number(o.fit_hours_per_week, 1)} timer pr. uge ({source}); {themes}en leveringsgrad inden for 90–110 % de seneste "
        f"12 måneder; {group}flest dokumenterede uger; lavest årlig udgift. Takster pr. {day(p.end)}. De {top} første vises, "
        "og det nuværende tilbud (markeret)."
    )
    names = zip(s.providers["provider_name"], s.providers["provider_id"], s.providers["current"])
    fit = s.providers.assign(provider_name=[f"{n or i} ({i})" + (" – nuværende" if c else "") for n, i, c in names])
    columns = {
        "rank": "Rang",
        "provider_name": "Tilbud",
        "annual_cost": "Årlig udgift",
        "reason": "Begrundelse",
    }
    display(block(intro, pr.table(fit, columns, money=("annual_cost",)), "fit", keep=False))


def show_order(s) -> None:
    """One order's section: the BIT overview, then B, I and T, the findings and the providers that fit."""
    o = s.orders.iloc[0]
    display(pr.md(f"## Bevilling {o.order_id}: {o.service} ({o.paragraph}) hos {o.provider_name or o.provider_id}"))
    overview = pr.table(s.overview, {"aspect": "", "B": "B – Behov", "I": "I – Indsats", "T": "T – Takst"})
    display(block(facts(o) + " BIT-modellen: størrelse og indhold af behov, indsats og takst.", overview, "overview"))
    show_needs(s)
    show_intervention(s, o)
    show_rate(s, o)
    show_findings(s)
    show_providers(s, o)


for order_id in d.orders["order_id"]:
    show_order(d.section(order_id))

# %%
if len(d.orders) == 1:
    o, r = d.orders.iloc[0], d.rates.iloc[0]
    total = d.delivered[d.delivered["row"] == "order"]
    ratio = total["delivery_ratio"].iloc[0] if len(total) else float("nan")
    figures = [
        ("Bestilt pr. uge", f"{number(o.hours_per_week, 1)} timer" if pd.notna(o.hours_per_week) else "–"),
        ("Pris pr. bestilt time", pr.money(r.implied_hourly_price, "–")),
        ("Leveringsgrad, 12 mdr.", percent(ratio) if pd.notna(ratio) else "–"),
    ]
else:
    figures = [
        ("Bevillinger", str(len(d.orders))),
        ("Timer pr. uge i alt", number(d.orders["hours_per_week"].sum(min_count=1), 1)),
        ("Udgift i perioden", pr.money(mine["cost"].sum(min_count=1) if mine["cost"].notna().all() else float("nan"), "–")),
    ]
pr.cover(ws, figures)
