"""A synthetic sample municipality: the exports a real one would hand over, with planted BIT mismatches.

`generate_sample(out_dir)` writes, for one invented Danish municipality exported on 5 November 2026:

- ``bevillinger.xlsx``            orders (Sensum-like, title block above the header, mixed cell types);
- ``takster/takster_<id>.xlsx``   one rate sheet per provider, one worksheet per year (2025, 2026);
- ``dokumentation/dokumentation_YYYY-MM.csv``  the providers' monthly documentation, cp1252, ``;``;
  the 2026-09 file overlaps the 2026-10 file on 1-5 October (identical rows); the providers whose documentation
  system records activities (the second, fourth, ... provider of each kind) name in the column ``Aktivitet`` the
  task of the order's indsatsliste a visit was for (see ``_activities``), the others leave it empty;
- ``udredninger.xlsx``            VUM assessments, one row per theme;
- ``indsatsliste.xlsx``           the task lists (indsatslister) of most orders: one row per delindsats, its theme,
  frequency and duration as text ("2 gange ugentligt", "45 min") and its goal;
- ``budget.xlsx``                 budget per year and paragraph, with "I alt" totals rows;
- ``pl_indeks.csv``               the P/L price index;
- ``planted_cases.csv``           the mismatches planted in October 2026 (the expected findings).

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives byte-identical files.
Normal citizens are built so that they produce no finding of contract §3 in any month; each planted case
sits on its own citizen whose other data is normal. The indsatsliste is drawn after everything else, so it
leaves the other files as they would be without it; its planted cases (tasks_not_summing, task_without_need,
need_without_task) sit on normal citizens with a single order, whose other files stay normal. The documentation's
activities are drawn from a stream of their own (``default_rng([seed, ACTIVITY_STREAM])``), so the documentation's
other columns and every other file are as they would be without them.

The price cases (price_above_peers, price_above_model, price_below_model) are drawn from a stream of their own as well
(``default_rng([seed, PRICE_STREAM])``): three §85 providers contracted in the autumn of 2026 (``PRICE_PROVIDERS``) with
two new citizens each from early October, added after the others in the orders export, the rate sheets, the
assessments and the documentation and left out of the budget, so every other citizen, order and figure stays as it
was. Their expected DKK comes from the rates and the sample's illustrative cost model ``COST_MODEL``, which the
generator does not write: ``data/sample/bitanalysis.toml`` holds it as ``cost_model_toml()`` gives it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

__all__ = [
    "ACTIVITY_NAMES",
    "COST_MODEL",
    "FINDING_TYPES",
    "PLANTED_TYPES",
    "PRICE_PROVIDERS",
    "cost_model_toml",
    "generate_sample",
    "model_hour_price",
]

EXPORT_DATE = dt.date(2026, 11, 5)
RANGE_START = dt.date(2025, 1, 1)
RANGE_END = dt.date(2026, 10, 31)
PERIOD = "2026-10"
PL_INDEX = [(2024, "0,972"), (2025, "1,000"), (2026, "1,032")]
PL_2026 = 1.032
XLSX_TIME = dt.datetime(2026, 11, 5)

FINDING_TYPES = {
    "under_delivery": "over",
    "over_delivery": "under",
    "missing_evidence": "unknown",
    "rate_above_order": "over",
    "order_above_rate": "under",
    "addon_unsupported": "over",
    "double_payment": "over",
    "need_not_covered": "under",
    "order_without_need": "over",
    "stale_assessment": "unknown",
    "documentation_without_order": "unknown",
    "rate_missing": "unknown",
    "tasks_not_summing": "unknown",
    "task_without_need": "over",
    "need_without_task": "under",
    "price_above_peers": "over",
    "price_above_model": "over",
    "price_below_model": "under",
}
PLANTED_TYPES = {**FINDING_TYPES, "ambiguous_delivery": "unknown"}
PLANTED_COLUMNS = ["type", "direction", "cpr", "order_id", "period", "dkk_at_stake"]

THEMES = [
    "Egenomsorg",
    "Praktiske opgaver",
    "Samfundsliv",
    "Mentale funktioner",
    "Sundhedsforhold",
    "Relationer",
    "Kommunikation",
]
LEVEL_LABELS = ["Ingen", "Let", "Moderat", "Svært", "Fuldstændigt"]
SUPPORT_LABELS = ["Intet", "Let", "Moderat", "Højt", "Fuldstændigt"]
TARGET_GROUPS = [
    "Udviklingshæmning",
    "Autisme",
    "Sindslidelse",
    "Erhvervet hjerneskade",
    "Misbrug",
    "Fysisk funktionsnedsættelse",
]
TEAMS = ["Team Handicap", "Team Psykiatri", "Team Socialområdet", "Team Unge"]

# Provider categories: own-home §85, ABL §105 housing, §107, §108, §103, §104, add-on (1:1 support).
CATEGORIES = ["own", "abl", "p107", "p108", "p103", "p104", "addon"]
CAT_PARAGRAPH = {
    "own": "SEL §85",
    "abl": "ABL §105",
    "p107": "SEL §107",
    "p108": "SEL §108",
    "p103": "SEL §103",
    "p104": "SEL §104",
}
CAT_SERVICE = {
    "own": "Socialpædagogisk støtte",
    "abl": "Socialpædagogisk støtte",
    "p107": "Ophold",
    "p108": "Ophold",
    "p103": "Beskyttet beskæftigelse",
    "p104": "Aktivitet og samvær",
    "addon": "Tillæg 1:1 støtte",
}
# Spellings of the paragraph in the orders export (canonical -> variants seen in real exports).
PARAGRAPH_SPELLINGS = {
    "SEL §85": ["SEL §85", "§ 85", "SEL-85"],
    "ABL §105": ["ABL §105", "ABL-105-2"],
    "SEL §107": ["SEL §107", "§107"],
    "SEL §108": ["SEL §108"],
    "SEL §103": ["SEL §103"],
    "SEL §104": ["SEL-104-1"],
}
BUDGET_AREAS = ["SEL §85", "ABL §105", "SEL §103", "SEL §104", "SEL §107", "SEL §108"]

# Provider counts for the default 25, and the minimum per category (planting needs them).
CAT_TARGET = {"own": 6, "abl": 4, "p107": 3, "p108": 3, "p103": 2, "p104": 4, "addon": 3}
CAT_MIN = {"own": 2, "abl": 1, "p107": 1, "p108": 1, "p103": 1, "p104": 1, "addon": 1}

PROVIDER_NAMES = {
    "own": [
        "Støttecentret Nord",
        "Bostøtten Midtby",
        "Hverdagsstøtten ApS",
        "Socialpsykiatrisk Støtteteam Vest",
        "Team Solå Hjemmevejledning",
        "Mentorhuset Ådalen",
        "Støtte- og Kontaktteamet Syd",
        "Team Kløvermarken ApS",
    ],
    "abl": [
        "Botilbuddet Skovgården",
        "Bostedet Lindely",
        "Bofællesskabet Egebo",
        "Boligerne ved Åbakken",
        "Bostedet Strandvænget",
        "Botilbuddet Mosevang",
    ],
    "p107": [
        "Opholdsstedet Bakkehuset",
        "Kildebo Midlertidigt Botilbud",
        "Specialcentret Østerlund (Region Midtjylland)",
        "Opholdsstedet Fjordglimt ApS",
        "Rehabiliteringscentret Hørkilde",
    ],
    "p108": [
        "Bostedet Højsletten",
        "Center for Autisme Lyngbakken (Region Syddanmark)",
        "Botilbuddet Juvelhuset",
        "Bo- og Naboskab Søbakken",
        "Bostedet Rønnebærhaven",
    ],
    "p103": ["Værkstedet Engtoften", "Beskyttet Værksted Smedien", "Produktionshuset Kløverbakken"],
    "p104": [
        "Aktivitetscentret Kildevang",
        "Dagtilbuddet Solstrålen",
        "Værestedet Bryggen",
        "Aktivitetshuset Møllen",
        "Samværstilbuddet Bøgely",
    ],
    "addon": ["Team Granly ApS", "Team Ørnereden", "Specialstøtten 1:1 ApS", "Team Bøgebakken"],
}

FIRST_NAMES = [
    "Søren",
    "Mette",
    "Jørgen",
    "Kirsten",
    "Bjørn",
    "Åse",
    "Lærke",
    "Mads",
    "Anne",
    "Pia",
    "Henrik",
    "Ditte",
    "Jens",
    "Ida",
    "Rasmus",
    "Sofie",
    "Thomas",
    "Lone",
    "Karsten",
    "Birgitte",
    "Mikkel",
    "Signe",
    "Åge",
    "Frederik",
    "Maja",
    "Niels",
    "Gitte",
    "Ole",
    "Trine",
    "Bo",
]
MIDDLE_NAMES = ["Ærø", "Bøgh", "Krogh", "Skovgaard", "Lund", "Holm", "Dam", "Brøndum", "", "", "", ""]
LAST_NAMES = [
    "Hansen",
    "Jørgensen",
    "Sørensen",
    "Møller",
    "Nørgaard",
    "Kjær",
    "Pedersen",
    "Nielsen",
    "Thomsen",
    "Østergaard",
    "Bækgaard",
    "Aagaard",
    "Christensen",
    "Dahl",
    "Frølich",
    "Sønderby",
    "Lærkesen",
]

NOTES = {
    "own": [
        "Hjælp til indkøb og madlavning",
        "Samtale om økonomi",
        "Støtte til rengøring og tøjvask",
        "Ledsagelse til lægen",
        "Gennemgang af post og breve",
        "Støtte til at komme op og i gang",
        "Planlægning af ugen",
        "Gåtur og samtale om trivsel",
        "Hjælp med medicinæske",
        "Træning i at tage bussen",
        "Aflyst af borger, kort telefonsamtale",
    ],
    "res": [
        "Ugentlig registrering af støtte",
        "Rolig uge, støtte efter plan",
        "Konflikt i fællesskabet håndteret",
        "Støtte til personlig hygiejne",
        "Deltog i fællesspisning",
        "Samtale om trivsel og søvn",
        "Støtte til kontakt med pårørende",
        "Udflugt med beboerne",
    ],
    "day": [
        "Fremmøde i værkstedet",
        "Deltog på køkkenholdet",
        "Kreativt værksted",
        "Udflugt med gruppen",
        "Træning og bevægelse",
        "Café-vagt, god dag",
        "Kort dag, gik hjem før frokost",
    ],
    "addon": [
        "1:1 støtte ved uro",
        "Skærmet aktivitet 1:1",
        "Ledsagelse 1:1 til aktivitet",
        "Tæt støtte ved overgange",
        "1:1 støtte om aftenen",
    ],
}
REMARKS = [
    "Revurderes ved næste opfølgning",
    "Midlertidig forhøjelse aftalt",
    "Bevilget efter klage",
    "Aftalt med leverandør pr. telefon",
    "Opfølgning om 6 mdr.",
    "Ny handleplan under udarbejdelse",
    "Borger ønsker anden leverandør",
]

# Hour bands of the rate levels (hours of support per week the level presumes).
RES_BANDS = [
    [(0.0, 5.0), (5.5, 10.0), (10.5, 20.0), (20.5, 40.0)],
    [(0.0, 7.0), (7.5, 14.0), (14.5, 25.0), (25.5, 40.0)],
]
DAY_BANDS = [
    [(0.0, 10.0), (10.5, 20.0), (20.5, 37.0)],
    [(0.0, 8.0), (8.5, 16.0), (16.5, 30.0)],
]

_D0 = dt.date(2018, 1, 1).toordinal()
_D1 = dt.date(2028, 12, 31).toordinal()
_ALL_DAYS = [dt.date.fromordinal(o) for o in range(_D0, _D1 + 1)]
_DATE_STR = np.array([d.strftime("%d-%m-%Y") for d in _ALL_DAYS], dtype=object)
_YEAR = np.array([d.year for d in _ALL_DAYS])
_MONTH_KEY = np.array([d.year * 100 + d.month for d in _ALL_DAYS])
_DAYS_IN_MONTH = np.array([calendar.monthrange(d.year, d.month)[1] for d in _ALL_DAYS])


def _o(y: int, m: int, d: int) -> int:
    return dt.date(y, m, d).toordinal()


def _month_end(ordinal: int) -> int:
    d = dt.date.fromordinal(ordinal)
    return _o(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


R0, R1 = RANGE_START.toordinal(), RANGE_END.toordinal()
OCT0, OCT1 = _o(2026, 10, 1), _o(2026, 10, 31)
MONTHS = [(y, m) for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 10)]


# --------------------------------------------------------------------------------------------- helpers


def _dk_number(x: float, decimals: int) -> str:
    """Danish number format: thousands '.', decimal ','."""
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _dk_hours(h: float) -> str:
    return str(int(h)) if float(h).is_integer() else _dk_number(h, 1)


def _pick(rng: np.random.Generator, seq):
    return seq[int(rng.integers(len(seq)))]


def _grid(rng: np.random.Generator, lo: float, hi: float, step: float = 0.5) -> float:
    """A value on the `step` grid in [lo, hi]."""
    n = int(round((hi - lo) / step))
    return lo + step * int(rng.integers(n + 1))


def _uniform_day(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi + 1)) if hi > lo else lo


def _save_xlsx(wb: Workbook, path: Path) -> None:
    """Save with fixed document properties and zip timestamps, so the bytes depend only on the content."""
    wb.properties.created = XLSX_TIME
    wb.properties.modified = XLSX_TIME
    wb.properties.creator = "bitanalysis_dev.sample"
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=XLSX_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zi.create_system = 3
            dst.writestr(zi, src.read(info.filename))
    path.write_bytes(out.getvalue())


def _date_cell(ws, row: int, col: int, ordinal: int) -> None:
    c = ws.cell(row=row, column=col, value=dt.date.fromordinal(ordinal))
    c.number_format = "DD-MM-YYYY"


def _staff_names(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < n:
        first, mid, last = _pick(rng, FIRST_NAMES), _pick(rng, MIDDLE_NAMES), _pick(rng, LAST_NAMES)
        name = " ".join(p for p in (first, mid, last) if p)
        if name not in taken and mid != last:
            taken.add(name)
            names.append(name)
    return names


def _cprs(rng: np.random.Generator, n: int) -> list[tuple[str, int]]:
    """n distinct synthetic CPR numbers (10 digits) with a valid birth date 1950-2006 and a matching 7th digit."""
    lo, hi = dt.date(1950, 1, 1).toordinal(), dt.date(2006, 12, 31).toordinal()
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    while len(out) < n:
        k = 2 * (n - len(out)) + 8
        days = rng.integers(lo, hi + 1, size=k)
        serial = rng.integers(0, 1000, size=k)
        d19 = rng.integers(0, 4, size=k)
        d20 = rng.integers(4, 10, size=k)
        for o, s, a, b in zip(days, serial, d19, d20):
            d = dt.date.fromordinal(int(o))
            digit = int(a) if d.year < 2000 else int(b)
            cpr = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}{digit}{int(s):03d}"
            if cpr not in seen:
                seen.add(cpr)
                out.append((cpr, d.year))
                if len(out) == n:
                    break
    return out


# --------------------------------------------------------------------------------------------- providers


def _category_counts(providers: int) -> dict[str, int]:
    if providers < sum(CAT_MIN.values()):
        raise ValueError(f"providers must be at least {sum(CAT_MIN.values())}")
    total = sum(CAT_TARGET.values())
    counts = dict(CAT_MIN)
    extra = providers - sum(CAT_MIN.values())
    want = {c: max(CAT_TARGET[c] * providers / total - CAT_MIN[c], 0.0) for c in CATEGORIES}
    scale = extra / sum(want.values()) if sum(want.values()) else 0.0
    alloc = {c: int(math.floor(want[c] * scale)) for c in CATEGORIES}
    rest = extra - sum(alloc.values())
    order = sorted(CATEGORIES, key=lambda c: (-(want[c] * scale - alloc[c]), CATEGORIES.index(c)))
    for c in order[:rest]:
        alloc[c] += 1
    return {c: counts[c] + alloc[c] for c in CATEGORIES}


def _amount_2025(rng: np.random.Generator, value: float) -> float:
    """A 2025 rate: whole kroner for most, with øre for some."""
    return round(value, 2) if rng.random() < 0.4 else float(round(value))


def _make_providers(rng: np.random.Generator, providers: int) -> list[dict]:
    counts = _category_counts(providers)
    # 6-digit ids with leading zeros for most (they must stay text everywhere).
    ids: list[str] = []
    while len(ids) < providers:
        r = rng.random()
        v = (
            int(rng.integers(100, 10000))
            if r < 0.2
            else int(rng.integers(1000, 100000))
            if r < 0.75
            else int(rng.integers(100000, 1000000))
        )
        s = f"{v:06d}"
        if s not in ids:
            ids.append(s)
    if not any(s.startswith("00") for s in ids) and ("00" + ids[0][2:]) not in ids:
        ids[0] = "00" + ids[0][2:]
    out: list[dict] = []
    k = 0
    staff_taken: set[str] = set()
    for cat in CATEGORIES:
        names = PROVIDER_NAMES[cat]
        for j in range(counts[cat]):
            name = names[j] if j < len(names) else f"{names[j % len(names)]} {j // len(names) + 1}"
            p: dict[str, Any] = {"pid": ids[k], "name": name, "cat": cat, "index": j, "riser": 1.0, "levels": []}
            p["activities"] = j % 2 == 1  # its documentation system records the activity (task) of each visit
            p["staff"] = _staff_names(rng, int(rng.integers(4, 9)), staff_taken)
            k += 1
            _make_levels(rng, p)
            out.append(p)
    # Three providers (or fewer when there are few) raise their 2026 rates 6-9 % instead of P/L.
    risers = rng.choice(len(out), size=min(3, len(out)), replace=False)
    for i in sorted(int(x) for x in risers):
        out[i]["riser"] = float(rng.uniform(1.06, 1.09))
    for p in out:
        for lv in p["levels"]:
            f = p["riser"] if p["riser"] > 1.0 else PL_2026
            lv["amount26"] = float(math.floor(lv["amount25"] * f + 0.5))
    return out


def _make_levels(rng: np.random.Generator, p: dict) -> None:
    cat, j = p["cat"], p["index"]
    levels = p["levels"]
    if cat == "own":
        levels.append(
            dict(
                level="Timetakst",
                descr="Timetakst §85",
                unit="pr. time",
                lo=0.0,
                hi=40.0,
                includes="",
                amount25=_amount_2025(rng, rng.uniform(450, 630)),
                only_2025=False,
            )
        )
        p["unit_kind"] = "hour"
        return
    if cat == "addon":
        if j % 2 == 0:
            levels.append(
                dict(
                    level="Tillæg 1:1",
                    descr="Timetakst tillæg 1:1",
                    unit="pr. time",
                    lo=0.0,
                    hi=40.0,
                    includes="",
                    amount25=_amount_2025(rng, rng.uniform(450, 630)),
                    only_2025=False,
                )
            )
        else:
            levels.append(
                dict(
                    level="Tillæg 1:1",
                    descr="Dagtakst tillæg 1:1",
                    unit="pr. dag",
                    lo=0.0,
                    hi=40.0,
                    includes="",
                    amount25=_amount_2025(rng, rng.uniform(600, 1200)),
                    only_2025=False,
                )
            )
        return
    if cat in ("abl", "p107", "p108"):
        bands = RES_BANDS[int(rng.integers(2))]
        # The first ABL §105 provider has 4 levels; its "Niveau 4" is discontinued in 2026 (rate_missing).
        nlev = 4 if (cat == "abl" and j == 0) else int(rng.integers(3, 5))
        monthly = (cat == "p107" and j % 2 == 0) or (cat == "p108" and j % 3 == 1)
        if monthly:
            unit = "måned" if cat == "p108" else "pr. md."
            base, step = rng.uniform(50000, 60000), (8000, 12000)
            word = "Månedstakst"
        else:
            unit = "pr. døgn"
            base, step = rng.uniform(1600, 2100) if cat == "abl" else rng.uniform(1700, 2200), (300, 450)
            word = "Døgntakst"
        includes = "Socialpædagogisk støtte" if cat in ("abl", "p108") or (cat == "p107" and j == 1) else ""
    else:  # p103 / p104
        bands = DAY_BANDS[int(rng.integers(2))]
        nlev = 3
        weekly = cat == "p104" and j == 2
        if weekly:
            unit, base, step, word = "pr. uge", rng.uniform(1600, 2200), (700, 1000), "Ugetakst"
        else:
            unit, base, step, word = "pr. dag", rng.uniform(230, 330), (140, 220), "Dagtakst"
        includes = ""
    amount = base
    for n in range(nlev):
        lo, hi = bands[n]
        levels.append(
            dict(
                level=f"Niveau {n + 1}",
                descr=f"{word} niveau {n + 1}",
                unit=unit,
                lo=lo,
                hi=hi,
                includes=includes,
                amount25=_amount_2025(rng, amount),
                only_2025=(cat == "abl" and j == 0 and n == 3),
            )
        )
        amount += rng.uniform(*step)


# --------------------------------------------------------------------------------------------- orders


class _Builder:
    """Collects citizens, orders, delivery overrides and planted cases."""

    def __init__(self, rng: np.random.Generator, providers: list[dict], first_cid: int = 0, first_oid: int = 0):
        self.rng = rng
        self.first_cid, self.first_oid = first_cid, first_oid  # numbering after another builder's citizens and orders
        self.providers = providers
        self.by_cat = {c: [p for p in providers if p["cat"] == c] for c in CATEGORIES}
        self.pmap = {p["pid"]: p for p in providers}
        self.citizens: list[dict] = []
        self.orders: list[dict] = []
        self.oct_override: dict[int, dict] = {}  # order index -> {"ratio"|"skip"|"window"}
        self.extra_rows: list[dict] = []
        self.planted: list[dict] = []  # type, cid, oid or None, dkk (the DKK at stake where the plant fixes it)

    # ---- citizens
    def citizen(self, flags: dict | None = None) -> int:
        cid = self.first_cid + len(self.citizens)
        self.citizens.append({"cid": cid, "flags": dict(flags or {})})
        return cid

    # ---- orders
    def order(
        self,
        cid: int,
        provider: dict,
        *,
        role: str,
        start: int,
        end: int | None,
        themes: list[str],
        level: dict | None = None,
        hours: float | None = None,
        paragraph: str | None = None,
    ) -> int:
        rng = self.rng
        cat = provider["cat"]
        if level is None:
            level = _pick(rng, [lv for lv in provider["levels"] if not lv["only_2025"]])
        if hours is None:
            if cat == "own":  # 1-12 hours, most citizens in the lower half
                hours = 1.0 + 0.5 * int(round(22 * rng.random() ** 1.4))
            elif cat == "addon":
                hours = _grid(rng, 2.0, 15.0)
            else:
                hours = _grid(rng, max(level["lo"], 1.0), level["hi"])
        if cat in ("own", "addon"):
            vpw = 1 if hours <= 4.5 else 2 if hours <= 10 else 3
            kind = "visit"
        else:
            vpw, kind = 1, "week"
        oid = self.first_oid + len(self.orders)
        self.orders.append(
            dict(
                oid=oid,
                cid=cid,
                pid=provider["pid"],
                cat=cat,
                role=role,
                start=start,
                end=end,
                themes=[t for t in THEMES if t in themes],
                level=level["level"],
                hours=float(hours),
                paragraph=paragraph or CAT_PARAGRAPH[cat],
                service=CAT_SERVICE[cat],
                addon=cat == "addon",
                vpw=vpw,
                kind=kind,
            )
        )
        return oid

    def span(self, *, active_oct: bool = False) -> tuple[int, int | None]:
        """Start and end of a main order overlapping the analysis range (active through Oct 2026 if asked)."""
        rng = self.rng
        if active_oct:
            start = _uniform_day(rng, _o(2019, 1, 1), _o(2024, 12, 31)) if rng.random() < 0.7 else _uniform_day(rng, R0, _o(2026, 6, 30))
            end = None if rng.random() < 0.8 else _uniform_day(rng, _o(2026, 12, 31), _o(2027, 12, 31))
            return start, end
        if rng.random() < 0.62:
            start = _uniform_day(rng, _o(2019, 1, 1), _o(2024, 12, 31))
        else:
            start = _uniform_day(rng, R0, _o(2026, 10, 15))
        if rng.random() < 0.66:  # ~60 % of all orders open-ended (add-ons always have an end date)
            return start, None
        lo = max(start + 30, _o(2025, 1, 15))
        if rng.random() < 0.75 and lo < R1:
            end = _uniform_day(rng, lo, R1)
        else:
            end = _uniform_day(rng, max(lo, R1 + 1), _o(2027, 12, 31))
        if rng.random() < 0.3:
            end = _month_end(end)
        return start, end

    def nested_span(self, start: int, end: int | None, *, must_end: bool, active_oct: bool = False) -> tuple[int, int | None]:
        """A span inside [start, end] that overlaps the analysis range."""
        rng = self.rng
        hi_end = end if end is not None else _o(2027, 12, 31)
        s_hi = min(hi_end, R1) - 30
        if active_oct:
            s_hi = min(s_hi, _o(2026, 6, 30))
        s = _uniform_day(rng, max(start, _o(2022, 1, 1)), max(s_hi, max(start, _o(2022, 1, 1))))
        if not must_end and end is None and rng.random() < 0.7:
            return s, None
        lo = max(s + 30, _o(2025, 1, 15))
        if active_oct:
            lo = max(lo, R1 + 1)
        if end is not None and rng.random() < 0.5 and end >= lo:
            return s, end
        return s, _uniform_day(rng, lo, max(lo, hi_end))

    def normal_citizen(
        self,
        cat: str,
        *,
        secondary: bool = False,
        addon: bool = False,
        active_oct: bool = False,
        flags: dict | None = None,
        provider: dict | None = None,
        level: dict | None = None,
        hours: float | None = None,
    ) -> tuple[int, int]:
        rng = self.rng
        cid = self.citizen(flags)
        prov = provider or _pick(rng, self.by_cat[cat])
        start, end = self.span(active_oct=active_oct)
        themes = list(rng.choice(THEMES, size=int(rng.integers(1, 4)), replace=False))
        main = self.order(cid, prov, role="main", start=start, end=end, themes=themes, level=level, hours=hours)
        if secondary:
            dcat = "p104" if rng.random() < 0.6 else "p103"
            s, e = self.nested_span(start, end, must_end=False)
            sthemes = list(rng.choice(THEMES, size=int(rng.integers(1, 3)), replace=False))
            self.order(cid, _pick(rng, self.by_cat[dcat]), role="secondary", start=s, end=e, themes=sthemes)
        if addon:
            s, e = self.nested_span(start, end, must_end=True)
            athemes = list(rng.choice(themes, size=int(rng.integers(1, len(themes) + 1)), replace=False))
            self.order(
                cid,
                _pick(rng, self.by_cat["addon"]),
                role="addon",
                start=s,
                end=e,
                themes=athemes,
                paragraph=self.orders[main]["paragraph"],
            )
        return cid, main

    def plant(self, ftype: str, cid: int, oid: int | None, dkk: float | None = None) -> None:
        self.planted.append({"type": ftype, "cid": cid, "oid": oid, "dkk": dkk})


def _build_population(b: _Builder, citizens: int) -> None:
    rng = b.rng
    _plant_cases(b)
    n_normal = citizens - len(b.citizens)
    if n_normal < 20:
        raise ValueError("citizens is too small for the planted cases (use at least 60)")
    shares = {"own": 0.52, "abl": 0.15, "p107": 0.10, "p108": 0.075, "p103": 0.062, "p104": 0.093}
    counts = {c: int(round(s * n_normal)) for c, s in shares.items()}
    counts["own"] += n_normal - sum(counts.values())
    cats = [c for c in shares for _ in range(counts[c])]
    cats = [cats[i] for i in rng.permutation(len(cats))]
    for cat in cats:
        residential = cat in ("abl", "p107", "p108")
        secondary = residential and rng.random() < 0.15
        addon = cat != "own" and rng.random() < 0.14
        b.normal_citizen(cat, secondary=secondary, addon=addon)


def _plant_cases(b: _Builder) -> None:
    """Two (or more) cases of every finding type, each on its own citizen; all hold in October 2026."""
    rng = b.rng

    # under_delivery (ratio ~0.5) and over_delivery (ratio ~1.5)
    for ftype, lo, hi in (("under_delivery", 0.45, 0.55), ("over_delivery", 1.45, 1.55)):
        for cat in ("own", "p104"):
            cid, oid = b.normal_citizen(cat, active_oct=True)
            b.oct_override[oid] = {"ratio": float(rng.uniform(lo, hi))}
            b.plant(ftype, cid, oid)

    # missing_evidence: an active order with no documentation in October 2026
    for cat in ("own", "abl"):
        cid, oid = b.normal_citizen(cat, active_oct=True)
        b.oct_override[oid] = {"skip": True}
        b.plant("missing_evidence", cid, oid)
        b.plant("under_delivery", cid, oid)  # delivered 0 hours: the ratio is 0 as well

    # rate_above_order: placed on a level above the one whose band holds the hours
    # order_above_rate: hours above the level's max
    above = [b.by_cat["abl"][-1], b.by_cat["p104"][0]]
    below = [b.by_cat["p108"][0], b.by_cat["p107"][0]]
    for k in range(2):
        p = above[k]
        normal = [lv for lv in p["levels"] if not lv["only_2025"]]
        lv_hi, lv_lo = normal[2], normal[1]
        hours = _grid(rng, lv_lo["lo"] + 0.5, lv_lo["hi"] - 1.0)
        cid, oid = b.normal_citizen(p["cat"], active_oct=True, provider=p, level=lv_hi, hours=hours)
        b.plant("rate_above_order", cid, oid)
        p = below[k]
        normal = [lv for lv in p["levels"] if not lv["only_2025"]]
        lv = normal[k]  # Niveau 1 or Niveau 2
        hours = _grid(rng, lv["hi"] + 3.0, lv["hi"] + 6.0)
        cid, oid = b.normal_citizen(p["cat"], active_oct=True, provider=p, level=lv, hours=hours)
        b.plant("order_above_rate", cid, oid)

    # addon_unsupported: an open-ended add-on; an add-on delivered at ratio ~0.3 (also an under_delivery)
    for k, base_cat in enumerate(("p108", "abl")):
        cid, main = b.normal_citizen(base_cat, active_oct=True)
        m = b.orders[main]
        s = _uniform_day(rng, max(m["start"], _o(2025, 6, 1)), _o(2026, 6, 30))
        end = None if k == 0 else _uniform_day(rng, _o(2026, 12, 31), _o(2027, 6, 30))
        athemes = m["themes"][:1]
        oid = b.order(cid, _pick(rng, b.by_cat["addon"]), role="addon", start=s, end=end, themes=athemes, paragraph=m["paragraph"])
        b.plant("addon_unsupported", cid, oid)
        if k == 1:
            b.oct_override[oid] = {"ratio": float(rng.uniform(0.27, 0.33))}
            b.plant("under_delivery", cid, oid)

    # double_payment: a §108 rate that includes Socialpædagogisk støtte + a separate §85 order elsewhere
    p108 = [p for p in b.by_cat["p108"] if "Socialpædagogisk støtte" in p["levels"][0]["includes"]]
    for k in range(2):
        cid, main = b.normal_citizen("p108", active_oct=True, provider=p108[k % len(p108)])
        m = b.orders[main]
        s = _uniform_day(rng, max(m["start"], _o(2026, 3, 1)), _o(2026, 8, 31))
        oid = b.order(cid, _pick(rng, b.by_cat["own"]), role="secondary", start=s, end=None, themes=m["themes"][:2])
        b.plant("double_payment", cid, oid)

    # need_not_covered, order_without_need, stale_assessment: in the assessments
    for flag, ftype, with_oid in (
        ("uncovered", "need_not_covered", False),
        ("zero_need", "order_without_need", True),
        ("stale", "stale_assessment", False),
    ):
        for cat in ("own", "p104"):
            cid, oid = b.normal_citizen(cat, active_oct=True, flags={flag: True})
            b.plant(ftype, cid, oid if with_oid else None)

    # documentation_without_order: rows in October 2026 at a provider where the citizen has no order
    for k, cat in enumerate(("own", "p104")):
        cid, oid = b.normal_citizen(cat, active_oct=True)
        other = [p for p in b.by_cat["own"] if p["pid"] != b.orders[oid]["pid"]]
        q = other[k % len(other)]
        for day in sorted(int(x) for x in rng.choice(np.arange(8, 29), size=3, replace=False)):
            b.extra_rows.append(
                dict(
                    cid=cid,
                    day=_o(2026, 10, day),
                    minutes=float(rng.integers(4, 9) * 15),
                    pid=q["pid"],
                    service="Socialpædagogisk støtte",
                    cat="own",
                    kind="visit",
                    blank_service=False,
                )
            )
        b.plant("documentation_without_order", cid, None)

    # rate_missing: an order on a level that has a rate row in 2025 but none in 2026
    p = b.by_cat["abl"][0]
    gone = next(lv for lv in p["levels"] if lv["only_2025"])
    for _ in range(2):
        cid, oid = b.normal_citizen("abl", active_oct=True, provider=p, level=gone)
        b.plant("rate_missing", cid, oid)

    # ambiguous_delivery: two §85 orders at the same provider with the same service overlapping in October,
    # one documentation row (Ydelse empty) inside the overlap
    for k in range(2):
        p = b.by_cat["own"][k % len(b.by_cat["own"])]
        cid = b.citizen()
        themes = list(rng.choice(THEMES, size=2, replace=False))
        a_start = _uniform_day(rng, _o(2022, 1, 1), _o(2025, 6, 30))
        a_end = _o(2026, 10, 15)
        b_start = _o(2026, 10, 10)
        oa = b.order(cid, p, role="main", start=a_start, end=a_end, themes=themes)
        ob = b.order(cid, p, role="main", start=b_start, end=None, themes=themes, hours=min(b.orders[oa]["hours"] + 2.0, 14.0))
        b.oct_override[oa] = {"window": (OCT0, _o(2026, 10, 9))}
        b.oct_override[ob] = {"window": (_o(2026, 10, 16), OCT1)}
        b.extra_rows.append(
            dict(
                cid=cid,
                day=_o(2026, 10, int(rng.integers(10, 16))),
                minutes=float(rng.integers(3, 7) * 15),
                pid=p["pid"],
                service="",
                cat="own",
                kind="visit",
                blank_service=True,
            )
        )
        b.plant("ambiguous_delivery", cid, None)


# --------------------------------------------------------------------------------------------- assessments


def _assessments(b: _Builder, cprs: list[str], case_workers: list[str]) -> pd.DataFrame:
    rng = b.rng
    by_cid: dict[int, list[dict]] = {}
    for o in b.orders:
        by_cid.setdefault(o["cid"], []).append(o)
    rows = []
    for c in b.citizens:
        cid, flags = c["cid"], c["flags"]
        orders = by_cid[cid]
        main_themes = [t for t in THEMES if any(t in o["themes"] for o in orders if o["role"] in ("main", "addon"))]
        sec_themes = [t for t in THEMES if t not in main_themes and any(t in o["themes"] for o in orders if o["role"] == "secondary")]
        order_themes = main_themes + sec_themes
        first = min(max(o["start"], R0) for o in orders)
        need = _month_end(first)  # an assessment must exist by the end of the first active month
        if flags.get("stale"):
            latest = _uniform_day(rng, _o(2024, 3, 1), _o(2024, 9, 30))
            dates = [latest] if rng.random() < 0.5 else [latest - int(rng.integers(300, 360)), latest]
        else:
            latest = _uniform_day(rng, _o(2025, 11, 10), _o(2026, 10, 20))
            if latest <= need:
                dates = [latest]
            else:
                a1 = need - int(rng.integers(0, 61))
                k = 1 + math.ceil((latest - a1) / 340)
                step = (latest - a1) / (k - 1)
                dates = [a1] + [int(round(a1 + i * step + rng.integers(-12, 13))) for i in range(1, k - 1)] + [latest]
        extra_theme = None
        if flags.get("uncovered"):
            extra_theme = _pick(rng, [t for t in THEMES if t not in order_themes])
        worker = _pick(rng, case_workers)
        for d in dates:
            fixed = order_themes + ([extra_theme] if extra_theme else [])
            others = [t for t in THEMES if t not in fixed]
            n_total = int(rng.integers(max(3, len(fixed)), 7))
            n_extra = min(max(n_total - len(fixed), 0), len(others))
            picks = sorted(rng.choice(len(others), size=n_extra, replace=False)) if n_extra else []
            extras = [others[i] for i in picks]
            levels: dict[str, int | None] = {}
            for t in main_themes:
                levels[t] = 0 if flags.get("zero_need") else int(rng.choice([2, 3, 4], p=[0.5, 0.35, 0.15]))
            for t in sec_themes:
                levels[t] = 1
            if extra_theme:
                levels[extra_theme] = 3
            for t in extras:
                r = rng.random()
                levels[t] = None if r < 0.05 else (0 if r < 0.7 or flags.get("zero_need") else 1)
            support = max((v for v in levels.values() if v is not None), default=0)
            for t in [t for t in THEMES if t in levels]:
                v = levels[t]
                rows.append(
                    {
                        "cpr": cprs[cid],
                        "day": d,
                        "theme": t,
                        "level": "Ikke vurderet" if v is None else LEVEL_LABELS[v],
                        "support": SUPPORT_LABELS[support],
                        "worker": worker,
                    }
                )
            if rng.random() < 0.3:
                worker = _pick(rng, case_workers)
    df = pd.DataFrame(rows)
    return df.sort_values(["day", "cpr"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------- deliveries


def _deliveries(b: _Builder, orders: pd.DataFrame, cprs_dash: list[str]) -> pd.DataFrame:
    """One row per visit (own home, add-ons) or per week (residential, day offers), month by month."""
    rng = b.rng
    seg = []
    for y, m in MONTHS:
        m0 = _o(y, m, 1)
        m1 = _o(y, m, calendar.monthrange(y, m)[1])
        s = np.maximum(orders["start"].to_numpy(), m0)
        e = np.minimum(orders["end_fill"].to_numpy(), m1)
        ok = e >= s
        seg.append(pd.DataFrame({"ix": np.flatnonzero(ok), "s": s[ok], "e": e[ok], "month": y * 100 + m}))
    seg = pd.concat(seg, ignore_index=True)
    o = orders.iloc[seg["ix"].to_numpy()].reset_index(drop=True)
    seg = pd.concat([seg, o[["oid", "cid", "pid", "service", "cat", "kind", "vpw", "hours"]]], axis=1)
    active = (seg["e"] - seg["s"] + 1).to_numpy()
    ordered_min = seg["hours"].to_numpy() * 60.0 * active / 7.0
    ratio = rng.uniform(0.92, 1.06, size=len(seg))
    total = np.round(ratio * ordered_min)
    total = np.clip(total, np.ceil(0.91 * ordered_min), np.floor(1.08 * ordered_min))
    ws, we = seg["s"].to_numpy().copy(), seg["e"].to_numpy().copy()
    keep = np.ones(len(seg), dtype=bool)
    octmask = seg["month"].to_numpy() == 202610
    for oid, ov in b.oct_override.items():
        hit = np.flatnonzero(octmask & (seg["oid"].to_numpy() == oid))
        if not len(hit):
            raise AssertionError(f"planted order {oid} is not active in October 2026")
        i = hit[0]
        if ov.get("skip"):
            keep[i] = False
        if "ratio" in ov:
            total[i] = round(ov["ratio"] * ordered_min[i])
        if "window" in ov:
            ws[i], we[i] = ov["window"]
    win = we - ws + 1
    vis = seg["kind"].to_numpy() == "visit"
    n = np.where(vis, np.round(seg["vpw"].to_numpy() * active / 7.0), np.round(active / 7.0)).astype(int)
    n = np.clip(n, 1, win)
    n = np.minimum(n, np.maximum(total, 1)).astype(int)
    seg = seg.assign(ws=ws, we=we, n=n, total=total)[keep].reset_index(drop=True)
    n, total, ws = seg["n"].to_numpy(), seg["total"].to_numpy(), seg["ws"].to_numpy()
    win = (seg["we"] - seg["ws"] + 1).to_numpy()

    # expand to rows: n distinct days per segment, minutes summing exactly to the segment's total
    rep = np.repeat(np.arange(len(seg)), n)
    offs = np.repeat(np.cumsum(n) - n, n)
    i = np.arange(len(rep)) - offs
    nn, ll = n[rep], win[rep]
    base = (i * ll) // nn
    nxt = ((i + 1) * ll) // nn
    day = ws[rep] + base + np.floor(rng.random(len(rep)) * (nxt - base)).astype(int)
    w = 0.8 + 0.4 * rng.random(len(rep))
    wsum = np.add.reduceat(w, np.cumsum(n) - n)
    raw = total[rep] * w / wsum[rep]
    fl = np.floor(raw)
    rem = (total - np.add.reduceat(fl, np.cumsum(n) - n))[rep]
    minutes = fl + (i < rem)
    # some half minutes in 2026 (decimal comma in the export), keeping each segment's sum
    half = (seg["month"].to_numpy() >= 202601) & (n >= 2) & (rng.random(len(seg)) < 0.12)
    hrow = half[rep]
    minutes = minutes - 0.5 * (hrow & (i == 0)) + 0.5 * (hrow & (i == 1))

    rows = pd.DataFrame(
        {
            "cid": seg["cid"].to_numpy()[rep],
            "oid": seg["oid"].to_numpy()[rep],
            "day": day,
            "minutes": minutes,
            "pid": seg["pid"].to_numpy()[rep],
            "service": seg["service"].to_numpy()[rep],
            "cat": seg["cat"].to_numpy()[rep],
            "kind": seg["kind"].to_numpy()[rep],
            "blank_service": False,
        }
    )
    if b.extra_rows:
        rows = pd.concat([rows, pd.DataFrame(b.extra_rows)], ignore_index=True)
    rows["blank_service"] = rows["blank_service"].astype(bool)
    k = len(rows)
    # Ydelse empty in ~10 % of rows; the planted ambiguous rows always
    blank = (rng.random(k) < 0.10) | rows["blank_service"].to_numpy()
    rows["Ydelse"] = np.where(blank, "", rows["service"].to_numpy())
    # start times: visits 07:00-19:45, weekly registrations 08:00-15:30
    qv = rng.integers(28, 80, size=k)
    qw = rng.integers(16, 32, size=k) * 2
    q = np.where(rows["kind"].to_numpy() == "visit", qv, qw)
    rows["Starttid"] = [f"{x // 4:02d}:{(x % 4) * 15:02d}" for x in q]
    # staff of the provider, notes of the kind of offer (some empty)
    staff_u, note_u, note_e = rng.random(k), rng.random(k), rng.random(k)
    staff, notes = [], []
    for pid, cat, su, nu, ne in zip(rows["pid"], rows["cat"], staff_u, note_u, note_e):
        pool = b.pmap[pid]["staff"]
        staff.append(pool[int(su * len(pool))])
        key = "own" if cat == "own" else "addon" if cat == "addon" else "day" if cat in ("p103", "p104") else "res"
        notes.append("" if ne < 0.35 else NOTES[key][int(nu * len(NOTES[key]))])
    rows["Medarbejder"] = staff
    rows["Notat"] = notes
    rows["CPR"] = [cprs_dash[c] for c in rows["cid"]]
    rows["Dato"] = _DATE_STR[rows["day"].to_numpy() - _D0]
    year = _YEAR[rows["day"].to_numpy() - _D0]
    mins = rows["minutes"].to_numpy()
    whole = mins.astype(int)
    hmm = [f"{x // 60}:{x % 60:02d}" for x in whole]
    plain = [str(int(x)) if float(x).is_integer() else f"{x:.1f}".replace(".", ",") for x in mins]
    rows["Varighed"] = np.where(year == 2025, hmm, plain)
    rows["TilbudsID"] = rows["pid"]
    rows["month"] = _MONTH_KEY[rows["day"].to_numpy() - _D0]
    rows = rows.sort_values(["day", "Starttid", "CPR", "TilbudsID"], kind="stable").reset_index(drop=True)
    if (rows["minutes"] <= 0).any():
        raise AssertionError("a delivery row has no minutes")
    return rows


DOC_COLUMNS = ["CPR", "Dato", "Starttid", "Varighed", "TilbudsID", "Ydelse", "Aktivitet", "Medarbejder", "Notat"]

# Activities: the documentation systems that record them name the task of the order's indsatsliste a visit was for,
# mostly as the indsatsliste writes it, sometimes in other case or spacing, for a few tasks by a short name of their own
# (declared in the sample's mapping file, data/sample/bitanalysis.toml, section [activities]); some rows name none.
ACTIVITY_STREAM = 85  # the activities' random stream: numpy.random.default_rng([seed, ACTIVITY_STREAM])
ACTIVITY_NAMES = {  # a short activity name -> the task it is for
    "Madlavning": "Støtte til indkøb og madlavning",
    "Hygiejne": "Støtte til personlig hygiejne",
    "Medicin": "Støtte til medicinhåndtering",
    "Personlig pleje": "Støtte til personlig pleje morgen og aften",
    "Køkkenhold": "Deltagelse på køkkenholdet",
}
ACTIVITY_BLANK = 0.06  # rows left without an activity
ACTIVITY_SHORT = 0.7  # of the rows for a task with a short name, this share use it
ACTIVITY_OTHER_SPELLING = 0.12  # of the other rows, this share write the task in other case or spacing
ACTIVITY_STRAY = 0.15  # rows whose task is drawn by the tasks' minutes instead of the task furthest behind


def _spelling(rng: np.random.Generator, task: str) -> str:
    """The task in other case or spacing, as staff type it: all lower case, all upper case, or a double space."""
    style = int(rng.integers(3))
    if style == 0:
        return task.lower()
    if style == 1:
        return task.upper()
    words = task.split(" ")
    at = 1 + int(rng.integers(max(len(words) - 1, 1)))
    return " ".join(words[:at]) + "  " + " ".join(words[at:]) if len(words) > 1 else f"  {task}"


def _activities(rng: np.random.Generator, b: _Builder, rows: pd.DataFrame, tasks: pd.DataFrame) -> np.ndarray:
    """The column Aktivitet of the documentation rows (`rows`, in date order): the task each row of an order with an
    indsatsliste at a provider that records activities was for, empty elsewhere and in about ACTIVITY_BLANK of those.

    An order's rows go, in date order, mostly to the task furthest behind its share of the minutes documented so far
    (its minutes per week over the list's), else to a task drawn by those shares: the minutes documented per task come
    close to its share of the order's time. A task without a time is never named.
    """
    out = np.full(len(rows), "", dtype=object)
    timed = tasks[tasks["minutes"].notna() & (tasks["minutes"] > 0)]
    lists = {int(oid): (g["task"].tolist(), g["minutes"].to_numpy(float)) for oid, g in timed.groupby("oid", sort=True)}
    short = {task: name for name, task in ACTIVITY_NAMES.items()}
    recording = [p["pid"] for p in b.providers if p["activities"]]
    sel = rows["oid"].notna() & rows["oid"].isin(list(lists)) & rows["pid"].isin(recording)
    minutes, where = rows["minutes"].to_numpy(float), np.flatnonzero(sel.to_numpy())
    for oid, at in rows[sel].groupby("oid", sort=True).indices.items():
        names, w = lists[int(oid)]
        w = w / w.sum()
        ix = where[at]
        u_blank, u_stray, u_name = rng.random(len(ix)), rng.random(len(ix)), rng.random(len(ix))
        done, total = np.zeros(len(names)), 0.0
        for r, ub, us, un in zip(ix, u_blank, u_stray, u_name):
            if ub < ACTIVITY_BLANK:
                continue
            total += minutes[r]
            if us < ACTIVITY_STRAY:
                k = int(rng.choice(len(names), p=w))
            else:
                k = int(np.argmax(w * total - done))
            done[k] += minutes[r]
            task = names[k]
            if task in short and un < ACTIVITY_SHORT:
                out[r] = short[task]
            elif un > 1.0 - ACTIVITY_OTHER_SPELLING:
                out[r] = _spelling(rng, task)
            else:
                out[r] = task
    return out


def _write_documentation(rows: pd.DataFrame, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    lines = pd.Series([";".join(r) for r in zip(*(rows[c].astype(str) for c in DOC_COLUMNS))], index=rows.index)
    header = ";".join(DOC_COLUMNS)
    counts = {}
    overlap = (rows["day"] >= OCT0) & (rows["day"] <= _o(2026, 10, 5))
    for y, m in MONTHS:
        mk = y * 100 + m
        sel = lines[rows["month"] == mk].tolist()
        if mk == 202609:  # overlapping export: also holds 1-5 October, identical to the October file
            sel += lines[overlap].tolist()
        text = "\r\n".join([header] + sel) + "\r\n"
        name = f"dokumentation_{y}-{m:02d}.csv"
        (folder / name).write_bytes(text.encode("cp1252"))
        counts[name] = len(sel)
    return counts


# --------------------------------------------------------------------------------------------- costs, budget


def _daily_costs(b: _Builder, orders: pd.DataFrame) -> pd.DataFrame:
    """Cost per order and year (2025, full 2026) by contract §2, for the budget."""
    d0, d1 = _o(2025, 1, 1), _o(2026, 12, 31)
    days = np.arange(d0, d1 + 1)
    year = _YEAR[days - _D0]
    dim = _DAYS_IN_MONTH[days - _D0]
    out = []
    for o in orders.itertuples():
        lv = next((lv for lv in b.pmap[o.pid]["levels"] if lv["level"] == o.level), None)
        active = (days >= o.start) & (days <= o.end_fill)
        cost = np.zeros(len(days))
        for y, key in ((2025, "amount25"), (2026, "amount26")):
            if lv is None or (y == 2026 and lv["only_2025"]):
                continue
            a = lv[key]
            unit = lv["unit"]
            if unit in ("pr. døgn", "pr. dag"):
                daily = np.full(len(days), a)
            elif unit == "pr. uge":
                daily = np.full(len(days), a / 7)
            elif unit in ("pr. md.", "måned"):
                daily = a / dim
            else:  # pr. time
                daily = np.full(len(days), a * o.hours / 7)
            cost += np.where(year == y, daily, 0.0)
        cost *= active
        out.append({"paragraph": o.paragraph, "c2025": cost[year == 2025].sum(), "c2026": cost[year == 2026].sum()})
    return pd.DataFrame(out)


def _write_budget(rng, costs: pd.DataFrame, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.cell(row=1, column=1, value="Budget 2025–2026, specialiserede voksenområde")
    for j, h in enumerate(["År", "Område", "Budget (kr.)"], start=1):
        ws.cell(row=3, column=j, value=h)
    r = 4
    for y, lo, hi in ((2025, 0.96, 1.04), (2026, 0.955, 0.985)):
        total = 0
        for area in BUDGET_AREAS:
            spend = costs.loc[costs["paragraph"] == area, f"c{y}"].sum()
            amount = int(round(spend * rng.uniform(lo, hi), -3))
            total += amount
            ws.cell(row=r, column=1, value=y)
            ws.cell(row=r, column=2, value=area)
            ws.cell(row=r, column=3, value=amount).number_format = "#,##0"
            r += 1
        ws.cell(row=r, column=1, value=y)
        ws.cell(row=r, column=2, value="I alt")
        ws.cell(row=r, column=3, value=total).number_format = "#,##0"
        r += 1
    _save_xlsx(wb, path)


# --------------------------------------------------------------------------------------------- writers


ORDER_HEADER = [
    "BevillingsID",
    "CPR",
    "Målgruppe",
    "Myndighedsteam",
    "Paragraf",
    "Ydelse",
    "Temaer",
    "LeverandørID",
    "LeverandørNavn",
    "IndsatsStartDato",
    "IndsatsSlutDato",
    "Timer pr. uge",
    "Takstniveau",
    "Tillæg",
    "PrimærAnsvarlig",
    "Bemærkning",
]
RATE_HEADER = [
    "TilbudsID",
    "Tilbudsnavn",
    "Takstniveau",
    "Beskrivelse",
    "Paragraf",
    "Takst",
    "Enhed",
    "Gyldig fra",
    "Gyldig til",
    "Timer pr. uge fra",
    "Timer pr. uge til",
    "Indeholder",
]
VUM_HEADER = ["CPR", "Udredningsdato", "Tema", "Funktionsevneniveau", "Støttebehovsniveau", "Udreder"]


def _write_orders(parts: list[tuple[np.random.Generator, pd.DataFrame]], pmap: dict, cit: pd.DataFrame, path: Path) -> None:
    """The orders export: the rows of each part (orders, and the random stream their cells' formats are drawn from)
    one after the other."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bevillinger"
    ws.cell(row=1, column=1, value="Bevillinger – Handicap og psykiatri, voksne")
    ws.cell(row=2, column=1, value=f"Udtræk fra Sensum {EXPORT_DATE:%d-%m-%Y}")
    for j, h in enumerate(ORDER_HEADER, start=1):
        ws.cell(row=4, column=j, value=h)
    all_rows = [(rng, o) for rng, orders in parts for o in orders.itertuples()]
    for r, (rng, o) in enumerate(all_rows, start=5):
        c = cit.loc[o.cid]
        ws.cell(row=r, column=1, value=o.order_id)
        ws.cell(row=r, column=2, value=c["cpr"])
        ws.cell(row=r, column=3, value=c["target_group"])
        ws.cell(row=r, column=4, value=c["team"])
        ws.cell(row=r, column=5, value=_pick(rng, PARAGRAPH_SPELLINGS[o.paragraph]))
        ws.cell(row=r, column=6, value=o.service)
        ws.cell(row=r, column=7, value=", ".join(o.themes))
        ws.cell(row=r, column=8, value=o.pid)
        ws.cell(row=r, column=9, value=pmap[o.pid]["name"])
        for col, val in ((10, o.start), (11, o.end)):
            if val is None or (isinstance(val, float) and math.isnan(val)):
                continue
            if rng.random() < 0.2:
                ws.cell(row=r, column=col, value=_DATE_STR[int(val) - _D0])
            else:
                _date_cell(ws, r, col, int(val))
        hours_cell = int(o.hours) if float(o.hours).is_integer() else o.hours
        ws.cell(row=r, column=12, value=_dk_hours(o.hours) if rng.random() < 0.2 else hours_cell)
        ws.cell(row=r, column=13, value=o.level)
        ws.cell(row=r, column=14, value="Ja" if o.addon else "Nej")
        ws.cell(row=r, column=15, value=c["case_worker"])
        if rng.random() < 0.3:
            ws.cell(row=r, column=16, value=_pick(rng, REMARKS))
    _save_xlsx(wb, path)


def _takst_cell(rng, amount: float):
    if rng.random() < 0.5:
        return int(amount) if float(amount).is_integer() else amount
    dec = 0 if float(amount).is_integer() else 2
    style = int(rng.integers(3))
    if style == 0:
        return f"kr. {_dk_number(amount, 2)}"
    if style == 1:
        return f"{_dk_number(amount, dec)} kr."
    return _dk_number(amount, dec)


def _write_rates(rng, providers: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for p in providers:
        wb = Workbook()
        wb.remove(wb.active)
        for y, key in ((2025, "amount25"), (2026, "amount26")):
            ws = wb.create_sheet(str(y))
            ws.cell(row=1, column=1, value=f"Takstblad {y} – {p['name']}")
            ws.cell(row=2, column=1, value="Takster ekskl. moms")
            for j, h in enumerate(RATE_HEADER, start=1):
                ws.cell(row=4, column=j, value=h)
            r = 5
            for lv in p["levels"]:
                if y == 2026 and lv["only_2025"]:
                    continue
                ws.cell(row=r, column=1, value=p["pid"])
                ws.cell(row=r, column=2, value=p["name"])
                ws.cell(row=r, column=3, value=lv["level"])
                ws.cell(row=r, column=4, value=lv["descr"])
                ws.cell(row=r, column=5, value=CAT_PARAGRAPH.get(p["cat"]))
                ws.cell(row=r, column=6, value=_takst_cell(rng, lv[key]))
                ws.cell(row=r, column=7, value=lv["unit"])
                _date_cell(ws, r, 8, _o(y, 1, 1))
                _date_cell(ws, r, 9, _o(y, 12, 31))
                for col, v in ((10, lv["lo"]), (11, lv["hi"])):
                    ws.cell(row=r, column=col, value=int(v) if float(v).is_integer() else v)
                ws.cell(row=r, column=12, value=lv["includes"] or None)
                r += 1
        _save_xlsx(wb, folder / f"takster_{p['pid']}.xlsx")


def _write_assessments(vum: pd.DataFrame, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "VUM"
    for j, h in enumerate(VUM_HEADER, start=1):
        ws.cell(row=1, column=j, value=h)
    for r, a in enumerate(vum.itertuples(), start=2):
        ws.cell(row=r, column=1, value=a.cpr)
        _date_cell(ws, r, 2, int(a.day))
        ws.cell(row=r, column=3, value=a.theme)
        ws.cell(row=r, column=4, value=a.level)
        ws.cell(row=r, column=5, value=a.support)
        ws.cell(row=r, column=6, value=a.worker)
    _save_xlsx(wb, path)


# --------------------------------------------------------------------------------------------- indsatsliste (tasks)

TASK_HEADER = ["BevillingsID", "Tema", "Delindsats", "Hyppighed", "Varighed", "Indsatsmål"]

# (delindsats, indsatsmål) per FFB theme: support in the citizen's own home (§85, add-ons), in a residential offer,
# and in a day offer (§103/§104)
TASKS_HOME = {
    "Egenomsorg": [
        ("Støtte til personlig hygiejne", "Klarer sin daglige hygiejne med mindre støtte"),
        ("Støtte til at komme op og i gang om morgenen", "Har en fast døgnrytme"),
    ],
    "Praktiske opgaver": [
        ("Støtte til indkøb og madlavning", "Kan handle ind og lave enkle måltider"),
        ("Støtte til rengøring og tøjvask", "Holder selv boligen ren"),
        ("Støtte til økonomi og post", "Betaler sine regninger til tiden"),
    ],
    "Samfundsliv": [
        ("Træning i at bruge offentlig transport", "Tager selv bussen til faste aktiviteter"),
        ("Støtte til kontakt med jobcenter og myndigheder", "Deltager selv i egne møder"),
    ],
    "Mentale funktioner": [
        ("Samtaler om trivsel og mestring", "Kender egne advarselstegn og handler på dem"),
        ("Struktur og planlægning af ugen", "Bruger selv sin ugeplan"),
    ],
    "Sundhedsforhold": [
        ("Støtte til medicinhåndtering", "Tager sin medicin som ordineret"),
        ("Ledsagelse til læge og tandlæge", "Kommer til sine aftaler i sundhedsvæsenet"),
    ],
    "Relationer": [
        ("Støtte til kontakt med familie og netværk", "Har jævnlig kontakt med sit netværk"),
        ("Støtte til at håndtere konflikter", "Løser uenigheder uden konflikt"),
    ],
    "Kommunikation": [
        ("Støtte til digital post og telefon", "Læser selv sin digitale post"),
        ("Støtte til at udtrykke egne ønsker", "Giver udtryk for egne ønsker på møder"),
    ],
}
TASKS_RES = {  # residential offers (ABL §105, §107, §108): the staff's support in the citizen's everyday life
    "Egenomsorg": [
        ("Støtte til personlig pleje morgen og aften", "Klarer dele af sin personlige pleje selv"),
        ("Støtte til måltider og en fast døgnrytme", "Spiser regelmæssigt og sover om natten"),
    ],
    "Praktiske opgaver": [
        ("Støtte til husførelse i egen bolig", "Holder sin bolig i orden med støtte"),
        ("Støtte til indkøb og madlavning i fælleskøkkenet", "Deltager i madlavningen"),
    ],
    "Samfundsliv": [
        ("Støtte til deltagelse i beskæftigelse og aktiviteter", "Kommer afsted til sin beskæftigelse"),
        ("Ledsagelse til fritidsaktiviteter", "Har en fast fritidsaktivitet"),
    ],
    "Mentale funktioner": [
        ("Socialpædagogisk støtte til struktur i hverdagen", "Følger sin dagsstruktur"),
        ("Støtte ved uro og angst", "Finder selv ro med de aftalte redskaber"),
    ],
    "Sundhedsforhold": [
        ("Støtte til medicinhåndtering", "Tager sin medicin som ordineret"),
        ("Støtte til motion og sund kost", "Bevæger sig hver dag"),
    ],
    "Relationer": [
        ("Støtte til samvær med medbeboere", "Deltager i fællesskabet i huset"),
        ("Støtte til kontakt med pårørende", "Har jævnlig kontakt med sine pårørende"),
    ],
    "Kommunikation": [
        ("Støtte til kommunikation i hverdagen", "Giver udtryk for sine behov"),
        ("Støtte til digital post og telefon", "Læser sin digitale post med støtte"),
    ],
}
TASKS_DAY = {
    "Egenomsorg": [
        ("Støtte til at få spist frokost", "Spiser et måltid i løbet af dagen"),
        ("Støtte til påklædning efter vejret", "Møder op påklædt efter vejret"),
    ],
    "Praktiske opgaver": [
        ("Arbejdsopgaver i værkstedet med guidning", "Udfører faste opgaver med mindre guidning"),
        ("Deltagelse på køkkenholdet", "Kan tilberede en ret sammen med andre"),
    ],
    "Samfundsliv": [
        ("Deltagelse i fællesaktiviteter og udflugter", "Deltager i aktiviteter uden for tilbuddet"),
        ("Træning i at møde til tiden", "Møder stabilt op"),
    ],
    "Mentale funktioner": [
        ("Struktur og forudsigelighed i dagens program", "Gennemfører dagens program"),
        ("Skærmede pauser ved behov for ro", "Tager selv en pause, før det bliver for meget"),
    ],
    "Sundhedsforhold": [
        ("Træning og bevægelse", "Bevæger sig hver dag"),
        ("Gåture i nærområdet", "Går en tur på egen hånd"),
    ],
    "Relationer": [
        ("Samvær i gruppe med støtte fra personalet", "Indgår i fællesskabet med de andre"),
        ("Støtte til at indgå i makkerpar", "Samarbejder med en makker om en opgave"),
    ],
    "Kommunikation": [
        ("Støtte til at udtrykke ønsker og behov", "Kan sige fra og til i gruppen"),
        ("Brug af piktogrammer og dagsskema", "Bruger selv sit dagsskema"),
    ],
}
# the task without a time (no frequency, no duration) in a planted tasks_not_summing case
UNTIMED_TASK = ("Deltagelse i netværks- og opfølgningsmøder", "Har overblik over sine aftaler")
# Frequencies as written in the export, and how many times a week each means.
TASK_FREQ = {
    "visit": [
        ("hver anden uge", 0.5),
        ("1 gang ugentligt", 1.0),
        ("2 gange ugentligt", 2.0),
        ("3 gange om ugen", 3.0),
        ("på hverdage", 5.0),
        ("dagligt", 7.0),
    ],
    "res": [
        ("1 gang ugentligt", 1.0),
        ("2 gange ugentligt", 2.0),
        ("3 gange om ugen", 3.0),
        ("på hverdage", 5.0),
        ("dagligt", 7.0),
    ],
    "day": [("1 gang ugentligt", 1.0), ("2 gange ugentligt", 2.0), ("3 gange om ugen", 3.0), ("på hverdage", 5.0)],
}
TASK_DURATION = {
    15: "15 min",
    20: "20 min",
    30: "30 min",
    45: "45 min",
    60: "1 time",
    75: "1 time og 15 min",
    90: "1,5 time",
    120: "2 timer",
    150: "2,5 timer",
    180: "3 timer",
    240: "4 timer",
    300: "5 timer",
    360: "6 timer",
    420: "7 timer",
}
TASK_DURATIONS = {  # the durations (minutes) each kind of order uses
    "visit": (15, 20, 30, 45, 60, 75, 90, 120, 150, 180),
    "res": tuple(TASK_DURATION),
    "day": (15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360, 420),
}
TASK_SHARE = 0.8  # of the eligible citizens, this share have an indsatsliste for their orders


def _task_catalogue(kind: str) -> dict[str, list[tuple[str, str]]]:
    return TASKS_DAY if kind == "day" else TASKS_RES if kind == "res" else TASKS_HOME


def _task_kind(cat: str) -> str:
    return "visit" if cat in ("own", "addon") else "day" if cat in ("p103", "p104") else "res"


def _task_combos(kind: str) -> list[tuple[str, str, float]]:
    """(frequency text, duration text, minutes per week) of a kind of order; whole minutes, at least 15; in a
    residence, the long durations only daily or on weekdays."""
    out = []
    for ftext, times in TASK_FREQ[kind]:
        for d in TASK_DURATIONS[kind]:
            if kind == "res" and times < 5 and d > 180:
                continue
            m = times * d
            if m >= 15 and float(m).is_integer():
                out.append((ftext, TASK_DURATION[d], float(m)))
    return out


def _task_times(rng: np.random.Generator, kind: str, minutes: float, k: int) -> list[tuple[str, str, float]] | None:
    """k (frequency, duration, minutes) whose minutes add up to `minutes` within a quarter of the tolerance of
    tasks_not_summing (15 minutes, or 2.5 % of a long week), None if none are found: the first k - 2 near a random
    split, the last two a pair that makes up the rest."""
    slack = max(15.0, 0.025 * minutes)
    combos = _task_combos(kind)
    values = np.array([c[2] for c in combos])
    pair = values[:, None] + values[None, :]
    for _ in range(50):
        w = rng.uniform(0.5, 1.5, size=k)
        targets = minutes * w / w.sum()
        chosen: list[tuple[str, str, float]] = []
        left = minutes
        for i in range(k - 2):
            gap = np.abs(values - targets[i])
            near = np.flatnonzero(gap <= gap.min() + 0.15 * targets[i])
            c = combos[int(near[int(rng.integers(len(near)))])]
            chosen.append(c)
            left -= c[2]
        if k == 1:
            gap = np.abs(values - left)
            if gap.min() <= slack:
                return [combos[int(rng.choice(np.flatnonzero(gap == gap.min())))]]
            return None
        ok = np.abs(pair - left) <= slack
        balanced = ok & (np.minimum(values[:, None], values[None, :]) >= 0.25 * left)
        hits = np.argwhere(balanced if balanced.any() else ok)
        if len(hits):
            a, b = hits[int(rng.integers(len(hits)))]
            return [*chosen, combos[int(a)], combos[int(b)]]
    return None


def _task_rows(rng: np.random.Generator, o: dict, themes: list[str], minutes: float) -> list[dict]:
    """An order's indsatsliste: every theme in `themes` at least once, the tasks' time adding up to `minutes`."""
    kind = _task_kind(o["cat"])
    catalogue = _task_catalogue(kind)
    n_extra = int(rng.integers(0, 3))
    n_extra = max(n_extra, math.ceil(minutes / 1000) - len(themes))  # long residential weeks: several tasks
    picks = list(themes) + [_pick(rng, themes) for _ in range(n_extra)]
    cap = max(len(themes), int(minutes // 15))  # at least 15 minutes a task
    used: set[tuple[str, str]] = set()
    tasks: list[tuple[str, str, str]] = []

    def free(t: str) -> list[tuple[str, str]]:
        return [x for x in catalogue[t] if (t, x[0]) not in used]

    def add(t: str) -> None:
        task, goal = _pick(rng, free(t))
        used.add((t, task))
        tasks.append((t, task, goal))

    for t in picks:
        if free(t) and len(tasks) < cap:
            add(t)
    while (times := _task_times(rng, kind, minutes, len(tasks))) is None:  # no times that add up: one more task
        more = [t for t in themes if free(t)]
        if not more or len(tasks) >= cap:
            raise AssertionError(f"no task times for {minutes} minutes per week under {themes} ({kind})")
        add(_pick(rng, more))
    return [
        {"oid": o["oid"], "theme": t, "task": task, "freq": f, "dur": d, "minutes": m, "goal": goal}
        for (t, task, goal), (f, d, m) in zip(tasks, times)
    ]


def _latest_levels(vum: pd.DataFrame, cpr: str, day: int) -> dict[str, int | None]:
    """The citizen's latest level per theme on or before `day` (None: "Ikke vurderet")."""
    a = vum[(vum["cpr"] == cpr) & (vum["day"] <= day)]
    out: dict[str, int | None] = {}
    for theme, label in zip(a["theme"], a["level"]):
        out[theme] = LEVEL_LABELS.index(label) if label in LEVEL_LABELS else None
    return out


def _cost_in(b: _Builder, o: dict, d0: int, d1: int) -> float:
    """The order's cost by contract §2 over the days [d0, d1] (the DKK at stake of the October plants)."""
    lv = next(lv for lv in b.pmap[o["pid"]]["levels"] if lv["level"] == o["level"])
    total = 0.0
    for day in range(max(o["start"], d0), min(o["end_fill"], d1) + 1):
        a = lv["amount26"] if _YEAR[day - _D0] == 2026 else lv["amount25"]
        unit = lv["unit"]
        if unit in ("pr. døgn", "pr. dag"):
            total += a
        elif unit == "pr. uge":
            total += a / 7
        elif unit in ("pr. md.", "måned"):
            total += a / _DAYS_IN_MONTH[day - _D0]
        else:  # pr. time
            total += a * o["hours"] / 7
    return total


def _tasks(b: _Builder, orders: pd.DataFrame, vum: pd.DataFrame, cprs: list[str]) -> pd.DataFrame:
    """The indsatsliste: tasks for the orders of most citizens, and the planted task cases (added to b.planted).

    A normal citizen's orders get tasks under their own themes, adding up to their hours; an add-on or secondary
    order gets tasks only where its span lies inside a main order's span (so every month with an order with tasks
    also has the main order's tasks, which cover every theme at level 2 or more). Citizens planted with a need
    mismatch in the assessments (uncovered, zero_need) get no tasks.
    """
    rng = b.rng
    recs = orders.to_dict("records")
    by_cid: dict[int, list[dict]] = {}
    for o in recs:
        by_cid.setdefault(o["cid"], []).append(o)
    planted_cids = {p["cid"] for p in b.planted}
    flagged = {c["cid"] for c in b.citizens if c["flags"].get("uncovered") or c["flags"].get("zero_need")}
    rows: list[dict] = []

    # the planted cases: citizens with one order, active through October 2026
    def single(o: dict) -> bool:
        return len(by_cid[o["cid"]]) == 1 and o["start"] <= OCT0 and o["end_fill"] >= OCT1 and o["cid"] not in planted_cids

    pool = [recs[i] for i in rng.permutation(len(recs)) if single(recs[int(i)])]
    taken: set[int] = set()

    def choose(cats: tuple[str, ...], ok) -> dict:
        """The first free citizen of the pool in one of the categories (else in any) whose order passes `ok`."""
        free = [o for o in pool if o["cid"] not in taken and ok(o)]
        o = next((o for o in free if o["cat"] in cats), free[0] if free else None)
        if o is None:
            raise ValueError("citizens is too small for the planted task cases (use at least 60)")
        taken.add(o["cid"])
        return o

    own, other = ("own",), ("abl", "p107", "p108", "p103", "p104")
    for cats in (own, other):  # tasks_not_summing: the tasks add up to too much; a task without a time
        o = choose(cats, lambda o: True)
        if cats == own:
            tol = max(0.1 * o["hours"], 0.5)
            over = math.ceil((tol + 1.0) * 2) / 2
            rows += _task_rows(rng, o, o["themes"], 60 * (o["hours"] + over))
        else:
            rows += _task_rows(rng, o, o["themes"], 60 * o["hours"])
            theme = _pick(rng, o["themes"])
            task, goal = UNTIMED_TASK
            rows.append({"oid": o["oid"], "theme": theme, "task": task, "freq": "", "dur": "", "minutes": None, "goal": goal})
        b.plant("tasks_not_summing", o["cid"], o["oid"])

    def zero_themes(o: dict) -> list[str]:  # the citizen's themes at level 0 in October 2026, not the order's
        levels = _latest_levels(vum, cprs[o["cid"]], OCT1)
        return [t for t in THEMES if levels.get(t) == 0 and t not in o["themes"]]

    for cats in (own, other):  # task_without_need: one task under a theme assessed at level 0
        o = choose(cats, lambda o: bool(zero_themes(o)) and o["hours"] >= 2.0)
        theme = _pick(rng, zero_themes(o))
        kind = _task_kind(o["cat"])
        catalogue = _task_catalogue(kind)
        task, goal = _pick(rng, catalogue[theme])
        f, d, m = _pick(rng, [c for c in _task_combos(kind) if c[2] <= 0.4 * 60 * o["hours"]])
        these = _task_rows(rng, o, o["themes"], 60 * o["hours"] - m)
        these.append({"oid": o["oid"], "theme": theme, "task": task, "freq": f, "dur": d, "minutes": m, "goal": goal})
        rows += these
        share = m / sum(r["minutes"] for r in these)
        b.plant("task_without_need", o["cid"], o["oid"], dkk=_cost_in(b, o, OCT0, OCT1) * share)
    for cats in (own, other):  # need_without_task: a theme of the order (level 2 or more) without a task
        o = choose(cats, lambda o: len(o["themes"]) >= 2)
        left_out = _pick(rng, o["themes"])
        rows += _task_rows(rng, o, [t for t in o["themes"] if t != left_out], 60 * o["hours"])
        b.plant("need_without_task", o["cid"], o["oid"])

    # everyone else: most citizens have an indsatsliste for their orders
    for c in b.citizens:
        cid = c["cid"]
        if cid in taken or cid in flagged or rng.random() >= TASK_SHARE:
            continue
        mains = [o for o in by_cid[cid] if o["role"] == "main"]
        for o in by_cid[cid]:
            inside = o["role"] == "main" or any(m["start"] <= o["start"] and o["end_fill"] <= m["end_fill"] for m in mains)
            if inside:
                rows += _task_rows(rng, o, o["themes"], 60 * o["hours"])

    tasks = pd.DataFrame(rows)
    tasks["order_id"] = tasks["oid"].map(dict(zip(orders["oid"], orders["order_id"])))
    return tasks.sort_values("order_id", kind="stable").reset_index(drop=True)


def _write_tasks(tasks: pd.DataFrame, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Indsatsliste"
    ws.cell(row=1, column=1, value="Indsatsliste – delindsatser pr. bevilling")
    ws.cell(row=2, column=1, value=f"Udtræk fra Sensum {EXPORT_DATE:%d-%m-%Y}")
    for j, h in enumerate(TASK_HEADER, start=1):
        ws.cell(row=4, column=j, value=h)
    for r, t in enumerate(tasks.itertuples(), start=5):
        for j, v in enumerate((t.order_id, t.theme, t.task, t.freq, t.dur, t.goal), start=1):
            if v:
                ws.cell(row=r, column=j, value=v)
    _save_xlsx(wb, path)


# --------------------------------------------------------------------------------------------- price per hour (issue 19)

# The sample's cost model: illustrative assumptions made up for the example (not real wages, nor any municipality's
# costs), in the form of a [[cost_model]] section of the mapping file; data/sample/bitanalysis.toml holds it as
# `cost_model_toml()` writes it. Its price of an hour of SEL §85 support (549 kr. in 2026, 532 kr. in 2025) sits
# inside the sample's ordinary §85 hourly rates, which all lie within ±PRICE_MODEL_TOLERANCE of it. Only SEL §85
# has a daily non-staff amount: the sample's residential and day offers and its add-ons are priced per day, week or
# month whatever the hours, so the model gives them no model price (only the peer view compares them).
COST_MODEL: tuple[dict[str, Any], ...] = (
    {
        "valid_from": dt.date(2025, 1, 1),
        "label": "Illustrativ model (eksempeldata) 2025",
        "staff_cost_per_hour": {"day": 350, "evening_night": 400, "weekend": 425},
        "hour_shares": {"day": 0.7, "evening_night": 0.2, "weekend": 0.1},
        "on_cost": 0.25,
        "overhead": 0.10,
        "occupancy": 0.95,
        "daily_non_staff": {"SEL §85": 0},
    },
    {
        "valid_from": dt.date(2026, 1, 1),
        "label": "Illustrativ model (eksempeldata) 2026",
        "staff_cost_per_hour": {"day": 360, "evening_night": 415, "weekend": 440},
        "hour_shares": {"day": 0.7, "evening_night": 0.2, "weekend": 0.1},
        "on_cost": 0.25,
        "overhead": 0.10,
        "occupancy": 0.95,
        "daily_non_staff": {"SEL §85": 0},
    },
)
SHIFTS = ("day", "evening_night", "weekend")
# the package's default settings, restated (the planted figures are computed here, not by the package)
PRICE_PEER_RATIO = 1.25  # price_above_peers: the price per ordered hour above this × the peer group's median
PRICE_MODEL_TOLERANCE = 0.15  # price_above/below_model: the cost this share above/below the model's
PRICE_PEER_MIN = 5  # a peer group (paragraph × rate level) of fewer providers gives no finding
PRICE_STREAM = 19  # the price cases' random stream: numpy.random.default_rng([seed, PRICE_STREAM])
# Three §85 providers contracted in the autumn of 2026, each with an hourly rate of this factor × the model's price of
# an hour in 2026 (whole kroner), and two citizens each placed there from the first days of October 2026: the first
# far above the peers' median and the model (price_above_peers and price_above_model), the second above the model
# but within the peers' range (price_above_model), the third well below the model (price_below_model).
PRICE_PROVIDERS = (
    ("Støttehuset Fyrtårnet ApS", 1.60),
    ("Aftenstøtten Mågen", 1.20),
    ("Socialøkonomisk Bostøtte Spiren", 0.70),
)
PRICE_CITIZENS = 2  # citizens placed with each of them


def _toml_value(v: object) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, str):
        return f'"{v}"'
    return v.isoformat() if isinstance(v, dt.date) else f"{v:g}"


def cost_model_toml() -> str:
    """The sample's cost model (COST_MODEL) as the [[cost_model]] section of data/sample/bitanalysis.toml."""
    lines = [
        "# The cost model is illustrative: its figures are made-up example assumptions for the sample, not real wages",
        "# or any municipality's costs. Only SEL §85 has a daily non-staff amount: the sample's residential and day",
        "# offers and add-ons are priced per day, week or month whatever the hours, so the model gives them no model price.",
    ]
    for n, v in enumerate(COST_MODEL):
        lines += ["[[cost_model]]"] if n == 0 else ["", "[[cost_model]]"]
        for k in ("valid_from", "label", "staff_cost_per_hour", "hour_shares", "on_cost", "overhead", "occupancy"):
            lines.append(f"{k} = {_toml_value(v[k])}")
        lines.append("[cost_model.daily_non_staff]")
        lines += [f'"{par}" = {_toml_value(x)}' for par, x in v["daily_non_staff"].items()]
    return "\n".join(lines) + "\n"


def model_version(day: int) -> dict[str, Any]:
    """The version of COST_MODEL in force on a day (an ordinal): the latest that applies from it or earlier."""
    return next(v for v in reversed(COST_MODEL) if v["valid_from"].toordinal() <= day)


def model_staff_hour(version: dict) -> float:
    """The staff cost of one ordered hour by a version: the shifts' costs weighed by their shares, with on-costs."""
    return sum(version["staff_cost_per_hour"][k] * version["hour_shares"][k] for k in SHIFTS) * (1 + version["on_cost"])


def model_hour_price(version: dict) -> float:
    """What an hour of SEL §85 support (no daily non-staff amount) costs by a version, overhead and occupancy included."""
    return model_staff_hour(version) * (1 + version["overhead"]) / version["occupancy"]


def _days_in(o: dict, d0: int, d1: int) -> int:
    """The days of [d0, d1] an order (start, end or None) is active."""
    end = _D1 if o["end"] is None or (isinstance(o["end"], float) and math.isnan(o["end"])) else int(o["end"])
    return max(0, min(end, d1) - max(o["start"], d0) + 1)


def _peer_prices(orders: list[dict], pmap: dict, d0: int, d1: int) -> dict[str, float]:
    """The SEL §85 hourly peer group over [d0, d1] (one calendar year): per provider with an order on its hourly rate
    active then, the price per ordered hour (Σ cost / Σ ordered hours)."""
    cost: dict[str, float] = {}
    hours: dict[str, float] = {}
    for o in orders:
        days = _days_in(o, d0, d1)
        if o["paragraph"] != "SEL §85" or o["level"] != "Timetakst" or not days or o["hours"] <= 0:
            continue
        lv = next(lv for lv in pmap[o["pid"]]["levels"] if lv["level"] == o["level"])
        if lv["unit"] != "pr. time":
            raise AssertionError(f"a §85 hourly level at {o['pid']} is priced {lv['unit']}")
        amount = lv["amount26"] if _YEAR[d0 - _D0] == 2026 else lv["amount25"]
        ordered = o["hours"] * days / 7
        cost[o["pid"]] = cost.get(o["pid"], 0.0) + amount * ordered
        hours[o["pid"]] = hours.get(o["pid"], 0.0) + ordered
    return {pid: cost[pid] / hours[pid] for pid in cost}


def _price_providers(rng: np.random.Generator, b: _Builder, case_workers: list[str]) -> list[dict]:
    """The PRICE_PROVIDERS: §85 providers with one hourly rate (the 2025 sheet at the 2026 rate less P/L)."""
    taken = {p["pid"] for p in b.providers}
    staff_taken = {s for p in b.providers for s in p["staff"]} | set(case_workers)
    price = model_hour_price(model_version(OCT1))
    out = []
    for j, (name, factor) in enumerate(PRICE_PROVIDERS):
        pid = f"{int(rng.integers(1000, 1000000)):06d}"
        while pid in taken:
            pid = f"{int(rng.integers(1000, 1000000)):06d}"
        taken.add(pid)
        a26 = float(math.floor(price * factor + 0.5))
        level = dict(
            level="Timetakst",
            descr="Timetakst §85",
            unit="pr. time",
            lo=0.0,
            hi=40.0,
            includes="",
            amount25=float(math.floor(a26 / PL_2026 + 0.5)),
            amount26=a26,
            only_2025=False,
        )
        staff = _staff_names(rng, int(rng.integers(4, 9)), staff_taken)
        out.append(
            {
                "pid": pid,
                "name": name,
                "cat": "own",
                "index": j,
                "riser": 1.0,
                "levels": [level],
                "activities": False,
                "staff": staff,
                "unit_kind": "hour",
                "factor": factor,
            }
        )
    return out


def _price_cases(rng: np.random.Generator, b: _Builder, cit: pd.DataFrame, case_workers: list[str]) -> tuple[_Builder, pd.DataFrame]:
    """The planted price cases (issue 19), drawn from the price stream after everything else: PRICE_CITIZENS citizens
    with one SEL §85 order each at every PRICE_PROVIDERS provider, from 1-5 October 2026, open-ended, documented as
    ordered and assessed as normal citizens are. Returns their builder (citizens, orders, providers and the planted
    findings with their DKK in October 2026, computed here from the rates and COST_MODEL) and their citizens' rows."""
    pb = _Builder(rng, _price_providers(rng, b, case_workers), first_cid=len(b.citizens), first_oid=len(b.orders))
    for p in pb.providers:
        for _ in range(PRICE_CITIZENS):
            cid = pb.citizen()
            themes = list(rng.choice(THEMES, size=int(rng.integers(1, 4)), replace=False))
            start = _uniform_day(rng, OCT0, _o(2026, 10, 5))
            pb.order(cid, p, role="main", start=start, end=None, themes=themes, level=p["levels"][0], hours=_grid(rng, 3.0, 10.0))
    known = set(cit["cpr"])
    fresh = [(c, by) for c, by in _cprs(rng, len(pb.citizens) + 8) if c not in known][: len(pb.citizens)]
    if len(fresh) < len(pb.citizens):
        raise AssertionError("no fresh CPR numbers for the price cases' citizens")
    rows = [_citizen_row(rng, c["cid"], cpr, by, case_workers) for c, (cpr, by) in zip(pb.citizens, fresh)]

    # the DKK at stake in October 2026 by the rules of the findings, from the rates and the model
    prices = _peer_prices([*b.orders, *pb.orders], {**b.pmap, **pb.pmap}, OCT0, OCT1)
    if len(prices) < PRICE_PEER_MIN:
        raise AssertionError(f"the §85 peer group has {len(prices)} providers, fewer than {PRICE_PEER_MIN}")
    median = float(np.median(list(prices.values())))
    version = model_version(OCT1)
    for o in pb.orders:
        p, days = pb.pmap[o["pid"]], _days_in(o, OCT0, OCT1)
        ordered = o["hours"] * days / 7
        cost = p["levels"][0]["amount26"] * ordered
        fair = (ordered * model_staff_hour(version) + version["daily_non_staff"]["SEL §85"] * days) * (1 + version["overhead"])
        fair /= version["occupancy"]
        found = []
        if prices[o["pid"]] > PRICE_PEER_RATIO * median:
            found.append(("price_above_peers", (prices[o["pid"]] - median) * ordered))
        if cost > fair * (1 + PRICE_MODEL_TOLERANCE):
            found.append(("price_above_model", cost - fair))
        if cost < fair * (1 - PRICE_MODEL_TOLERANCE):
            found.append(("price_below_model", fair - cost))
        meant = {"price_above_model"} if p["factor"] > 1 else {"price_below_model"}
        if p["factor"] >= 1.5:
            meant.add("price_above_peers")
        if not meant <= {t for t, _ in found}:
            raise AssertionError(f"the price case at {p['name']} does not hold: {found} (median {median:.2f})")
        for ftype, dkk in found:
            pb.plant(ftype, o["cid"], o["oid"], dkk=dkk)
    return pb, pd.DataFrame(rows).set_index("cid", drop=False)


# --------------------------------------------------------------------------------------------- main


def _citizen_row(rng: np.random.Generator, cid: int, cpr: str, born: int, case_workers: list[str]) -> dict:
    """A citizen's CPR (with and without the dash), target group, team and case worker."""
    tg = _pick(rng, TARGET_GROUPS)
    if born >= 2000 and rng.random() < 0.8:
        team = "Team Unge"
    elif tg in ("Sindslidelse", "Misbrug"):
        team = "Team Psykiatri" if rng.random() < 0.75 else "Team Socialområdet"
    else:
        team = "Team Handicap" if rng.random() < 0.8 else "Team Socialområdet"
    return {
        "cid": cid,
        "cpr": cpr,
        "cpr_dash": f"{cpr[:6]}-{cpr[6:]}",
        "target_group": tg,
        "team": team,
        "case_worker": _pick(rng, case_workers),
    }


def generate_sample(out_dir: str | Path, seed: int = 2026, citizens: int = 600, providers: int = 25) -> pd.DataFrame:
    """Write a synthetic municipality's exports to out_dir; return the planted cases.

    The planted cases (also written to ``out_dir/planted_cases.csv``, utf-8, ``;``) are the findings the
    data should produce for the period 2026-10: at least two of every type of contract §3 (the add-on
    delivered at ratio ~0.3 is listed both as ``addon_unsupported`` and ``under_delivery``), plus two
    ``ambiguous_delivery`` rows. ``cpr`` is written DDMMYY-XXXX; ``order_id`` is empty where none applies;
    ``dkk_at_stake`` (kroner, two decimals, ``.``) is given where the plant fixes it (task_without_need: the
    order's October cost × the task's share of the indsatsliste's minutes; the price cases: (the price per ordered
    hour − the §85 peer group's median) × the order's ordered hours, or the order's October cost less or more than
    COST_MODEL's cost of its hours), else empty. The price cases add PRICE_CITIZENS citizens and orders for each of
    the PRICE_PROVIDERS providers to `citizens` and `providers`; with another seed or size the planted list says
    which price findings their orders give (a dearer provider may also be above its peers).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # files of an earlier generation (other providers) must not linger; nothing else in out_dir is touched
    for stale in [*out.glob("takster/takster_*.xlsx"), *out.glob("dokumentation/dokumentation_*.csv")]:
        stale.unlink()
    rng = np.random.default_rng(seed)

    provs = _make_providers(rng, providers)
    b = _Builder(rng, provs)
    _build_population(b, citizens)

    # citizens: CPR, target group, team, case worker
    staff_taken = {s for p in provs for s in p["staff"]}
    case_workers = _staff_names(rng, 12, staff_taken)
    cpr_list = _cprs(rng, len(b.citizens))
    cit_rows = [_citizen_row(rng, c["cid"], cpr, by, case_workers) for c, (cpr, by) in zip(b.citizens, cpr_list)]
    cit = pd.DataFrame(cit_rows).set_index("cid", drop=False)

    # orders, numbered by start date
    orders = pd.DataFrame(b.orders)
    orders = orders.sort_values(["start", "cid", "oid"], kind="stable").reset_index(drop=True)
    orders["order_id"] = [f"BEV-{i:06d}" for i in range(1, len(orders) + 1)]
    orders["end_fill"] = orders["end"].map(lambda v: _D1 if v is None or pd.isna(v) else int(v)).astype(int)
    orders["end"] = orders["end"].astype(object).where(orders["end"].notna(), None)

    # the price cases: drawn from a stream of their own, after the others' orders in the orders export, so the
    # other citizens, orders and rates are as they would be without them (they are not in the budget)
    prng = np.random.default_rng([seed, PRICE_STREAM])
    pb, pcit = _price_cases(prng, b, cit, case_workers)
    cit = pd.concat([cit, pcit])
    porders = pd.DataFrame(pb.orders).sort_values(["start", "cid", "oid"], kind="stable").reset_index(drop=True)
    porders["order_id"] = [f"BEV-{i:06d}" for i in range(len(orders) + 1, len(orders) + len(porders) + 1)]
    porders["end_fill"] = _D1
    porders["end"] = None
    oid_to_bev = dict(zip(orders["oid"], orders["order_id"])) | dict(zip(porders["oid"], porders["order_id"]))

    # files
    _write_orders([(rng, orders), (prng, porders)], b.pmap | pb.pmap, cit, out / "bevillinger.xlsx")
    _write_rates(rng, provs, out / "takster")
    _write_rates(prng, pb.providers, out / "takster")
    vum = _assessments(b, cit["cpr"].tolist(), case_workers)
    pvum = _assessments(pb, cit["cpr"].tolist(), case_workers)
    _write_assessments(pd.concat([vum, pvum]).sort_values(["day", "cpr"], kind="stable"), out / "udredninger.xlsx")
    rows = _deliveries(b, orders, cit["cpr_dash"].tolist())
    _write_budget(rng, _daily_costs(b, orders), out / "budget.xlsx")
    (out / "pl_indeks.csv").write_bytes(("År;P/L-faktor\n" + "".join(f"{y};{f}\n" for y, f in PL_INDEX)).encode("utf-8"))
    # drawn last, so the other files are the same as without an indsatsliste
    tasks = _tasks(b, orders, vum, cit["cpr"].tolist())
    _write_tasks(tasks, out / "indsatsliste.xlsx")
    # the documentation names the tasks it was for: drawn from a stream of its own, so nothing else changes
    rows["Aktivitet"] = _activities(np.random.default_rng([seed, ACTIVITY_STREAM]), b, rows, tasks)
    # the price cases' documentation (their providers record no activities), among the others' rows by date
    prows = _deliveries(pb, porders, cit["cpr_dash"].tolist()).assign(Aktivitet="")
    rows = pd.concat([rows, prows], ignore_index=True)
    rows = rows.sort_values(["day", "Starttid", "CPR", "TilbudsID"], kind="stable").reset_index(drop=True)
    _write_documentation(rows, out / "dokumentation")

    planted = pd.DataFrame(
        [
            {
                "type": p["type"],
                "direction": PLANTED_TYPES[p["type"]],
                "cpr": cit.loc[p["cid"], "cpr_dash"],
                "order_id": oid_to_bev[p["oid"]] if p["oid"] is not None else "",
                "period": PERIOD,
                "dkk_at_stake": "" if p["dkk"] is None else f"{p['dkk']:.2f}",
            }
            for p in [*b.planted, *pb.planted]
        ],
        columns=PLANTED_COLUMNS,
    )
    planted = planted.sort_values(["type", "cpr", "order_id"], kind="stable").reset_index(drop=True)
    text = ";".join(PLANTED_COLUMNS) + "\n" + "".join(";".join(r) + "\n" for r in planted.itertuples(index=False))
    (out / "planted_cases.csv").write_bytes(text.encode("utf-8"))
    return planted
