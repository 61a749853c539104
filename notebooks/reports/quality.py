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
appendix_path: Optional[str] = None  # hvor Excel-bilaget skrives (None: intet bilag)

# %%
from IPython.display import display

import bitanalysis as bit
from bitanalysis import present as pr

ws = bit.load(data_dir)
p = bit.period(period)
found = bit.findings(ws, p)
pr.md(
    f"# Datakvalitet – bilag til {pr.period_name(p)}\n\nHvilke filer og rækker er læst, hvad er afvist og hvorfor, og hvilke "
    "data mangler for at BIT-matchet kan gøres helt op.\n\n" + pr.caveats(ws, p)
)

# %% [markdown]
# ## Indlæste filer

# %%
files = ws.load_report.files
pr.table(
    files,
    {
        "table": "Tabel",
        "file": "Fil",
        "sheet": "Ark",
        "rows_read": "Læst",
        "totals_skipped": "Sumrækker",
        "rows_rejected": "Afvist",
        "duplicates_removed": "Dubletter",
        "rows_accepted": "Godkendt",
    },
)

# %% [markdown]
# ## Afviste rækker og fejl

# %%
errors = ws.load_report.errors
pr.md(
    "Ingen fejl: alle rækker er godkendt." if errors.empty else f"{len(errors)} problem(er); hver linje siger fil, ark, række og kolonne."
)
if len(errors):
    display(pr.table(errors, {"message": "Fejl"}))

# %% [markdown]
# ## Rækkeregnskab for dokumentationen

# %%
acc = bit.accounting(ws, p).reset_index()
acc["status"] = acc["status"].map(
    {
        "matched": "Knyttet til en bevilling",
        "unmatched": "Uden bevilling",
        "ambiguous": "Tvetydig (flere bevillinger)",
        "loaded": "Indlæst i alt",
    }
)
pr.table(acc, {"status": "Status", "rows": "Rækker", "hours": "Timer"}, decimals={"hours": 1})

# %% [markdown]
# ## Manglende takster og timetal, forældede udredninger og dokumentation uden bevilling

# %%
gaps = found[found["type"].isin(["rate_missing", "hours_missing", "stale_assessment", "documentation_without_order"])]
pr.md(
    f"Takst mangler: {(gaps['type'] == 'rate_missing').sum()} bevillinger. Timetakst uden timetal: "
    f"{(gaps['type'] == 'hours_missing').sum()} bevillinger. Forældet eller manglende udredning: "
    f"{(gaps['type'] == 'stale_assessment').sum()} borgere. Dokumentation uden bevilling: "
    f"{(gaps['type'] == 'documentation_without_order').sum()} borger–tilbud-par."
)
pr.table(
    gaps.assign(type=gaps["type"].map(pr.FINDING)),
    {"type": "Fundtype", "citizen_id": "Borger", "provider_id": "Tilbud", "order_id": "Bevilling", "evidence": "Belæg"},
)

# %%
if appendix_path:
    pr.write_appendix(
        {"Filer": files, "Fejl": errors.drop(columns=["value"]), "Rækkeregnskab": acc, "Mangler": gaps},
        appendix_path,
        ws=ws,
        report="Datakvalitetsbilag",
        period=p,
    )

# %%
pr.cover(
    ws,
    [
        ("Rækker brugt", pr.number(int(files["rows_accepted"].sum()))),
        ("Rækker afvist", pr.number(int(files["rows_rejected"].sum()))),
        ("Filer med problemer", str(int(files["problem"].notna().sum()))),
    ],
)
