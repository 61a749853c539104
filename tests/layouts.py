"""Synthetic municipal exports in layouts unlike the sample's, and the ground truth of what must be loaded from them.

`make_folder(kind, root)` writes one municipality's data folder the way its case systems (Nexus, Sensum, DUBU, KMD,
Fasit, OS2) export it, and returns a `Truth`: the rows each canonical table must get and the totals the loaded
workspace must show. It is written without looking at `bitanalysis init` or the loader, as a blind test bed: the
truth is counted from the cells as they were written, not from the package.

Every CPR number is synthetic (day 01-28, random serial), every person a made-up name.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

Day = dt.date
Cell = object
Rows = list[list[Cell]]

KINDS: tuple[str, ...] = ("nexus", "sensum", "dubu", "kmd", "fasit", "os2")
TABLES = ("orders", "rates", "deliveries", "assessments", "citizens", "budget", "price_index")
CITIZEN_TABLES = ("orders", "deliveries", "assessments", "citizens")
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
YEARS = (2024, 2025)
THEMES = ("Egenomsorg", "Praktiske opgaver", "Samfundsliv", "Mentale funktioner", "Sundhedsforhold")
NEED_WORDS = ("Ingen", "Let", "Moderat", "Svært", "Fuldstændigt")
SUPPORT_WORDS = ("Intet", "Let", "Moderat", "Højt", "Fuldstændigt")
#: A CPR number as the exports write it: DDMMYY-XXXX or DDMMYYXXXX.
CPR_PATTERN = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)")

FIRST_NAMES: tuple[str, ...] = ("Anne", "Mette", "Lars", "Jens", "Søren", "Hanne", "Karen", "Peter", "Mikkel", "Louise", "Ida", "Emil")
FIRST_NAMES += ("Freja", "Rasmus", "Sofie", "Niels", "Birgitte", "Thomas", "Camilla", "Frederik", "Julie", "Kasper", "Maja", "Åse")
MIDDLE_NAMES = ("", "", "Lund", "Dam", "Skov", "Bøgh", "Holm", "Krogh", "Vestergaard", "Juul")
LAST_NAMES: tuple[str, ...] = ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen")
LAST_NAMES += ("Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Møller", "Østergaard", "Frølich")
NOTE_START: tuple[str, ...] = (
    "Ledsaget borger til lægen",
    "Hjælp til indkøb og madlavning",
    "Samtale om økonomi og regninger",
    "Gåtur i området",
)
NOTE_START += ("Støtte til rengøring af lejligheden", "Planlagt ugens aftaler", "Ringede til jobcentret sammen med borger")
NOTE_END = ("borger var i godt humør", "borger var urolig i starten", "aftalt opfølgning næste uge", "gik fint", "borger træt i dag")
TEAMS = ("Team Handicap", "Team Psykiatri", "Team Udsatte")
TARGET_GROUPS = ("Udviklingshæmning", "Sindslidelse", "Autisme", "Erhvervet hjerneskade")


@dataclass(frozen=True)
class Offer:
    """A type of service: its law and paragraph, the rate unit, the hour band and price of each of three levels."""

    law: str
    number: int
    service: str
    unit: str  # day, week, month, hour
    unit_word: str  # as the rate sheets write it
    label: str  # the rate's name, agreeing with the unit
    bands: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    price: tuple[int, int]  # the range of the first level's amount in 2024
    factors: tuple[float, float, float]

    @property
    def paragraph(self) -> str:
        """The canonical paragraph, e.g. SEL §85."""
        return f"{self.law} §{self.number}"


OFFERS = {
    "støtte": Offer(
        "SEL", 85, "Socialpædagogisk støtte", "hour", "pr. time", "Timetakst", ((1, 5), (5, 10), (10, 20)), (430, 520), (1, 1.08, 1.16)
    ),
    "bosted": Offer("SEL", 108, "Ophold", "day", "pr. døgn", "Døgntakst", ((5, 15), (15, 25), (25, 40)), (1500, 2300), (1, 1.35, 1.8)),
    "midlertidig": Offer(
        "SEL",
        107,
        "Midlertidigt ophold",
        "month",
        "pr. måned",
        "Månedstakst",
        ((5, 15), (15, 25), (25, 40)),
        (48000, 62000),
        (1, 1.25, 1.55),
    ),
    "dagtilbud": Offer(
        "SEL", 104, "Aktivitet og samvær", "day", "pr. dag", "Dagtakst", ((2, 10), (10, 20), (20, 30)), (450, 800), (1, 1.4, 1.9)
    ),
    "beskæftigelse": Offer(
        "SEL", 103, "Beskyttet beskæftigelse", "week", "pr. uge", "Ugetakst", ((2, 10), (10, 20), (20, 37)), (1800, 2600), (1, 1.3, 1.6)
    ),
    "anbringelse": Offer(
        "BL",
        46,
        "Anbringelse på opholdssted",
        "month",
        "pr. måned",
        "Månedstakst",
        ((5, 15), (15, 25), (25, 40)),
        (55000, 75000),
        (1, 1.3, 1.6),
    ),
    "aflastning": Offer("BL", 32, "Aflastning", "day", "pr. døgn", "Døgntakst", ((2, 10), (10, 20), (20, 30)), (1800, 2800), (1, 1.3, 1.7)),
    "familiebehandling": Offer(
        "BL", 32, "Familiebehandling", "hour", "pr. time", "Timetakst", ((1, 5), (5, 10), (10, 20)), (650, 850), (1, 1.1, 1.2)
    ),
}


@dataclass(eq=False)
class Provider:
    """A provider: its id (empty where no export carries one), full name, the name the documentation uses, levels."""

    pid: str
    name: str
    short: str
    offer: Offer
    levels: tuple[str, ...]  # orders use the first three
    amounts: dict[tuple[int, int], float] = field(default_factory=dict)  # (level index, year) -> amount

    @property
    def key(self) -> str:
        """The provider's identity in the truth: its id, else its name."""
        return self.pid or self.name


@dataclass(eq=False)
class Citizen:
    """A citizen: a synthetic CPR number (10 digits), a made-up name, target group and team."""

    cpr: str
    name: str
    target_group: str
    team: str

    def written(self, dash: bool) -> str:
        """The CPR number as an export writes it."""
        return f"{self.cpr[:6]}-{self.cpr[6:]}" if dash else self.cpr


@dataclass(eq=False)
class Order:
    """One order (bevilling): citizen, provider and level, hours per week, an inclusive period (end None = open)."""

    number: int
    citizen: Citizen
    provider: Provider
    level: int  # 0, 1, 2: index into provider.levels
    hours: float
    start: Day
    end: Day | None
    caseworker: str
    remark: str | None

    def active(self, day: Day) -> bool:
        """Whether the order is active on the day."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(eq=False)
class Rate:
    """One canonical rate row: provider, level and year (valid 1 January to 31 December), amount per unit."""

    provider: Provider
    level: int
    year: int
    amount: float


@dataclass(eq=False)
class Delivery:
    """One documentation row: citizen, provider, date, minutes, service, and the staff name and note beside it."""

    order: Order
    day: Day
    minutes: int
    staff: str
    note: str | None


@dataclass(eq=False)
class Assessment:
    """One assessment row: citizen, date, theme, level (None = Ikke vurderet) and the assessment's support level."""

    citizen: Citizen
    day: Day
    theme: str
    level: int | None
    support: int
    assessor: str


@dataclass
class World:
    """The in-memory rows a folder is written from."""

    providers: list[Provider]
    citizens: list[Citizen]
    orders: list[Order]
    rates: list[Rate]
    deliveries: list[Delivery]
    assessments: list[Assessment]
    budget: list[tuple[int, str, float]] = field(default_factory=list)
    price_index: list[tuple[int, float]] = field(default_factory=list)
    citizens_file: bool = False
    staff: set[str] = field(default_factory=set)  # every staff name written anywhere (caseworkers, assessors, contacts)


@dataclass
class Truth:
    """What `bitanalysis.load` must give for a generated folder, counted from the cells as written."""

    kind: str
    rows: dict[str, int]  # per canonical table; rates: one per provider x level x validity period
    citizens: int  # distinct citizens
    providers: int  # distinct providers
    minutes: float  # all delivered minutes
    rate_amount: float  # the sum of the rates' amounts
    hours_per_week: float  # the sum of the orders' hours per week
    month: str  # a month with deliveries, e.g. "2025-03"
    month_hours: float  # delivered hours in that month (every row matches exactly one order)
    month_cost: float  # the orders' rate cost in that month (contract §2; every active day has a rate)
    sensitive_columns: tuple[str, ...]  # headers of names and notes: never loaded, never mapped
    sensitive_values: frozenset[str]  # citizens' and staff names and note texts
    cprs: frozenset[str]  # the CPR numbers written, 10 digits
    sources: list[tuple[str, str | None, str]]  # (file relative to the folder, sheet or None, table; "" = not a BIT table)
    world: World


# --- writing cells --------------------------------------------------------------------------------------------


def _dmy(day: Day, sep: str = "-") -> str:
    """A date as dd-mm-yyyy (or with another separator)."""
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def _danish(x: float, decimals: int = 2) -> str:
    """A number with thousands points and a decimal comma: 12.345,50."""
    return f"{x:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _short_number(x: float, decimal: str = ",") -> str:
    """A small number with no trailing zeros: 7,5 or 12 (or 7.5 with a decimal point)."""
    return f"{x:g}".replace(".", decimal)


def _hmm(minutes: int) -> str:
    """Minutes as h:mm."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _number(cell: Cell, decimal: str = ",") -> float:
    """The value of a number cell as written (a number, "12.345,50 kr.", "7,5", "7.5", "1:30" as hours)."""
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).replace("kr.", "").strip()
    if ":" in text:
        h, m = text.split(":")
        return int(h) + int(m) / 60
    if decimal == ",":
        text = text.replace(".", "").replace(",", ".")
    return float(text)


class _Ledger:
    """Counts what the writers put in the files: rows per table, and the minutes, amounts and hours as written."""

    def __init__(self) -> None:
        self.rows: Counter[str] = Counter()
        self.minutes = 0.0
        self.amount = 0.0
        self.hours = 0.0

    def order(self, hours: Cell, decimal: str = ",") -> None:
        self.rows["orders"] += 1
        self.hours += _number(hours, decimal)

    def rate(self, amount: Cell) -> None:
        self.rows["rates"] += 1
        self.amount += _number(amount)

    def delivery(self, duration: Cell, unit: str) -> None:
        """A documentation row; `unit` says how its duration is written: minutes, hours (decimal) or h:mm."""
        self.rows["deliveries"] += 1
        self.minutes += _number(duration) * (1 if unit == "minutes" else 60)

    def row(self, table: str) -> None:
        self.rows[table] += 1


def _xlsx(path: Path, sheets: Sequence[tuple[str, Rows]]) -> None:
    """A workbook with the given sheets; date cells shown as dd-mm-yyyy, an empty list is a blank row."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Fagsystem"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 5, 8, 0)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _csv(path: Path, rows: Rows, encoding: str, delimiter: str = ";") -> None:
    """A CSV file written with the csv module (Windows line ends, as Excel writes them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows([["" if v is None else v for v in r] for r in rows])


# --- the world ------------------------------------------------------------------------------------------------


def _name(rng: random.Random, taken: set[str]) -> str:
    """A made-up Danish person name not used before in the folder."""
    while True:
        parts = [rng.choice(FIRST_NAMES), rng.choice(MIDDLE_NAMES), rng.choice(LAST_NAMES)]
        name = " ".join(p for p in parts if p)
        if name not in taken:
            taken.add(name)
            return name


def _cpr(rng: random.Random, year: int, taken: set[str]) -> str:
    """A synthetic CPR number (10 digits) of someone born in the year: day 01-28, century digit as the CPR office's."""
    while True:
        day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        century = rng.randint(0, 3) if year < 2000 else 4
        cpr = f"{day:%d%m%y}{century}{rng.randint(0, 999):03d}"
        if cpr not in taken:
            taken.add(cpr)
            return cpr


def _note(rng: random.Random) -> str | None:
    """A free-text note, or None (most rows have none)."""
    if rng.random() < 0.6:
        return None
    return f"{rng.choice(NOTE_START)} – {rng.choice(NOTE_END)}"


def _day(rng: random.Random, first: Day, last: Day) -> Day:
    """A random day in [first, last]."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _world(
    rng: random.Random,
    providers: list[Provider],
    doc_from: Day,
    doc_to: Day,
    *,
    children: bool = False,
    grain: int = 5,
    not_assessed: bool = False,
) -> World:
    """Citizens, orders, rates covering them, deliveries that match them and assessments, for the providers given."""
    names: set[str] = set()
    cprs: set[str] = set()
    caseworkers = [_name(rng, names) for _ in range(3)]
    staff = [_name(rng, names) for _ in range(6)]
    assessors = [_name(rng, names) for _ in range(2)]
    for p in providers:
        base = rng.randint(*p.offer.price)
        for i, f in enumerate(p.offer.factors):
            price = round(base * f + rng.choice((0, 0.5, 0.25, 0.75)), 2)
            p.amounts[(i, 2024)] = price
            p.amounts[(i, 2025)] = round(price * rng.uniform(1.02, 1.05), 2)
    rates = [Rate(p, i, y, p.amounts[(i, y)]) for p in providers for y in YEARS for i in range(3)]

    citizens: list[Citizen] = []
    for _ in range(rng.randint(18, 30)):
        born = rng.randint(2008, 2016) if children else rng.randint(1950, 1999)
        citizens.append(Citizen(_cpr(rng, born, cprs), _name(rng, names), rng.choice(TARGET_GROUPS), rng.choice(TEAMS)))

    orders: list[Order] = []

    def order(c: Citizen, p: Provider, level: int, start: Day, end: Day | None) -> Order:
        lo, hi = p.offer.bands[level]
        hours = rng.randint(lo * 2, hi * 2) / 2
        o = Order(len(orders) + 1, c, p, level, hours, start, end, rng.choice(caseworkers), _note(rng))
        orders.append(o)
        return o

    for c in citizens:
        p = rng.choice(providers)
        start = _day(rng, FIRST, dt.date(2025, 6, 30))
        level = rng.randint(0, 2)
        if rng.random() < 0.25:  # re-placed on another level at the same provider: one order ends, the next starts
            switch = start + dt.timedelta(days=rng.randint(60, min(300, (LAST - start).days - 60)))
            order(c, p, level, start, switch - dt.timedelta(days=1))
            order(c, p, (level + 1) % 3, switch, None if rng.random() < 0.5 else _day(rng, switch + dt.timedelta(days=30), LAST))
        else:
            end = None if rng.random() < 0.4 else min(LAST, start + dt.timedelta(days=rng.randint(90, 600)))
            order(c, p, level, start, end)
        if rng.random() < 0.3:  # a second, concurrent order at another provider
            other = rng.choice([q for q in providers if q is not p])
            start = _day(rng, FIRST, dt.date(2025, 9, 30))
            order(c, other, rng.randint(0, 2), start, None if rng.random() < 0.5 else _day(rng, start + dt.timedelta(days=30), LAST))
    orders.sort(key=lambda o: (o.start, o.number))
    for n, o in enumerate(orders, start=1):
        o.number = n

    deliveries: list[Delivery] = []
    for o in orders:
        first, last = max(o.start, doc_from), min(o.end or doc_to, doc_to)
        monday = first - dt.timedelta(days=first.weekday())
        while monday <= last:
            days = [monday + dt.timedelta(days=i) for i in range(7) if first <= monday + dt.timedelta(days=i) <= last]
            visits = sorted(rng.sample(days, min(len(days), rng.randint(1, 2))))
            for d in visits:
                if o.provider.offer.unit == "hour":
                    minutes = o.hours * 60 / len(visits) * rng.uniform(0.7, 1.05)
                else:
                    minutes = rng.choice((30, 45, 60, 90, 120)) * rng.uniform(0.8, 1.2)
                minutes = max(grain, int(round(minutes / grain)) * grain)
                deliveries.append(Delivery(o, d, minutes, rng.choice(staff), _note(rng)))
            monday += dt.timedelta(days=7)
    deliveries.sort(key=lambda d: (d.day, d.order.number))

    assessments: list[Assessment] = []
    for c in citizens:
        offsets = sorted(rng.sample(range((dt.date(2025, 10, 31) - dt.date(2023, 6, 1)).days), rng.randint(1, 2)))
        for offset in offsets:
            day = dt.date(2023, 6, 1) + dt.timedelta(days=offset)
            support, who = rng.randint(0, 4), rng.choice(assessors)
            for theme in rng.sample(THEMES, rng.randint(3, 5)):
                need = None if not_assessed and rng.random() < 0.05 else rng.randint(0, 4)
                assessments.append(Assessment(c, day, theme, need, support, who))

    return World(providers, citizens, orders, rates, deliveries, assessments, staff=set(caseworkers + staff + assessors))


def _budget(rng: random.Random, w: World) -> None:
    """A budget per paragraph and year, and a P/L index."""
    areas = sorted({p.offer.paragraph for p in w.providers})
    w.budget = [(y, a, float(rng.randint(20, 90) * 100_000)) for y in YEARS for a in areas]
    w.price_index = [(2023, 0.968), (2024, 0.985), (2025, 1.0), (2026, 1.021)]


def _ledger_budget(led: _Ledger, w: World) -> None:
    """Count the budget and price index rows (written as one row each, or one cell each in a wide sheet)."""
    led.rows["budget"] += len(w.budget)
    led.rows["price_index"] += len(w.price_index)


# --- the kinds --------------------------------------------------------------------------------------------------


def _nexus(root: Path, rng: random.Random, led: _Ledger) -> tuple[World, list, tuple[str, ...], str]:
    """Nexus: orders with a title block, Excel dates and a name column; one rate workbook in five layouts; half-year
    documentation workbooks with h:mm and shortened provider names; VUM as a cp1252 CSV; a README."""
    a = Provider("015466", "Støttecentret Nord", "STØTTECENTRET  NORD", OFFERS["støtte"], ("Niveau 1", "Niveau 2", "Niveau 3"))
    b = Provider("064701", "Bostedet Lærkely ApS", "Bostedet Lærkely", OFFERS["bosted"], ("A", "B", "C", "Tillæg 1:1"))
    c = Provider("099079", "Værkstedet Engtoften I/S", "Værkstedet Engtoften", OFFERS["dagtilbud"], ("1", "2", "3"))
    d = Provider("410590", "Hverdagsstøtten A/S", "hverdagsstøtten", OFFERS["støtte"], ("1", "2", "3"))
    e = Provider("003715", "Caroline (Marie Hjem)", "Marie Hjem", OFFERS["midlertidig"], ("Niveau 1", "Niveau 2", "Niveau 3"))
    f = Provider("887161", "Opholdsstedet Skovbrynet S/I", "Opholdsstedet Skovbrynet", OFFERS["bosted"], ("1", "2", "3"))
    w = _world(rng, [a, b, c, d, e, f], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    extractor = _name(rng, {*w.staff, *(x.name for x in w.citizens)})
    w.staff.add(extractor)

    rows: Rows = [["Udtræk fra Nexus"], ["Dato: 05-01-2026"], []]
    header = ["Indsats-ID", "CPR-nummer", "Borgernavn", "Lovgrundlag", "Indsats", "Omfang (timer/uge)", "Bevilget fra", "Bevilget til"]
    rows.append([*header, "Leverandør", "Leverandørnavn", "Takstniveau", "Sagsbehandler"])
    for o in w.orders:
        law = rng.choice(("SEL § ", "Serviceloven § ")) + str(o.provider.offer.number)
        hours = o.hours
        rows.append([100200 + o.number, o.citizen.written(True), o.citizen.name, law, o.provider.offer.service, hours, o.start, o.end])
        rows[-1] += [int(o.provider.pid), o.provider.name, o.provider.levels[o.level], o.caseworker]
        led.order(hours)
    info: Rows = [["Nexus – udtræk af indsatser"], [f"Udtrukket af: {extractor}"], ["Filter: Voksenområdet, alle leverandører"], []]
    info.append(["Arket 'Indsatser' indeholder én række pr. bevilget indsats."])
    _xlsx(root / "Nexus - Indsatser.xlsx", [("Info", info), ("Indsatser", rows)])

    def year_rows(p: Provider, year: int) -> list[tuple[int, float]]:
        return [(i, p.amounts[(i, year)]) for i in range(3)]

    sheets: list[tuple[str, Rows]] = [
        ("Forside", [["Takstoversigt – voksenhandicap"], ["Opdateret 15-12-2025"], [], ["Ét ark pr. leverandør; takster ekskl. moms."]])
    ]
    # (a) long: level, unit, amount, valid from/to, hour band; the 2025 rows open-ended
    sa: Rows = [[f"Takstblad – {a.name}"], ["Takster ekskl. moms, kr."], []]
    sa.append(["Leverandør-ID", "Niveau", "Beskrivelse", "Enhed", "Beløb", "Fra", "Til", "Min. timer/uge", "Maks. timer/uge"])
    for year in YEARS:
        for i, amount in year_rows(a, year):
            lo, hi = a.offer.bands[i]
            end = dt.date(year, 12, 31) if year == 2024 else None
            sa.append(
                [a.pid, a.levels[i], f"{a.offer.label} {a.levels[i].lower()}", a.offer.unit_word, amount, dt.date(year, 1, 1), end, lo, hi]
            )
            led.rate(amount)
        sa.append([])
    sheets.append(("Støttecentret Nord", sa))
    # (b) long, amounts as text "12.345,50 kr.", units "pr. døgn" and "pr. time"
    sb: Rows = [[f"{b.name} – takster"], ["Gældende takster 2024 og 2025"], []]
    sb.append(["Tilbud ID", "Takstgruppe", "Takstnavn", "Takst (kr.)", "Enhed", "Gyldig fra", "Gyldig til"])
    for year in YEARS:
        valid = [dt.date(year, 1, 1), dt.date(year, 12, 31)]
        for i, amount in year_rows(b, year):
            text = f"{_danish(amount)} kr."
            sb.append([b.pid, b.levels[i], f"{b.offer.label} gruppe {b.levels[i]}", text, b.offer.unit_word, *valid])
            led.rate(text)
        b.amounts[(3, year)] = amount = round(rng.uniform(380, 460), 2)  # an hourly add-on no order here uses
        text = f"{_danish(amount)} kr."
        sb.append([b.pid, b.levels[3], "Timetakst tillæg 1:1", text, "pr. time", *valid])
        w.rates.append(Rate(b, 3, year, amount))
        led.rate(text)
    sheets.append(("Lærkely", sb))
    # (c) wide: one column per level, the year in a column
    sc: Rows = [[c.name], ["Dagtakster pr. takstniveau"], [], ["TilbudsID", "År", "Enhed", "Takst 1", "Takst 2", "Takst 3"]]
    for year in YEARS:
        amounts = [amount for _, amount in year_rows(c, year)]
        sc.append([c.pid, year, c.offer.unit_word, *amounts])
        for amount in amounts:
            led.rate(amount)
    sheets.append(("Engtoften", sc))
    # (e) long, the provider by name only
    se: Rows = [[e.name], ["Månedstakster"], []]
    se.append(["Tilbud", "Takstniveau", "Enhed", "Pris pr. enhed", "Gyldig fra", "Gyldig til", "Timer fra", "Timer til"])
    for year in YEARS:
        for i, amount in year_rows(e, year):
            lo, hi = e.offer.bands[i]
            se.append([e.name, e.levels[i], e.offer.unit_word, amount, dt.date(year, 1, 1), dt.date(year, 12, 31), lo, hi])
            led.rate(amount)
    sheets.append(("Marie Hjem", se))
    # (d) wide, the year only in the sheet's name, one row per provider
    for year in YEARS:
        sd: Rows = [[f"Rammeaftale – takster {year}"], [], ["Leverandør-nr.", "Tilbud", "Enhed", "Takst 1", "Takst 2", "Takst 3"]]
        for p in (d, f):
            amounts = [amount for _, amount in year_rows(p, year)]
            sd.append([p.pid, p.name, p.offer.unit_word, *amounts])
            for amount in amounts:
                led.rate(amount)
        sheets.append((f"Takster {year}", sd))
    sheets.append(("Noter", [["Noter"], ["Takster for 2026 er endnu ikke godkendt."], ["Spørgsmål rettes til visitationen."]]))
    _xlsx(root / "Takster 2024-2025.xlsx", sheets)

    sources: list = [("Nexus - Indsatser.xlsx", "Indsatser", "orders"), ("Nexus - Indsatser.xlsx", "Info", "")]
    sources += [("Takster 2024-2025.xlsx", s, "rates") for s, _ in sheets if s not in ("Forside", "Noter")]
    for half, months in ((1, range(1, 7)), (2, range(7, 13))):
        name = f"Dokumentation {half}. halvår 2025.xlsx"
        first, last = dt.date(2025, months[0], 1), dt.date(2025, months[-1], calendar.monthrange(2025, months[-1])[1])
        doc: Rows = [["Dokumentation af leverede ydelser"], [f"Periode: {_dmy(first)} – {_dmy(last)}"], []]
        doc.append(["CPR-nummer", "Dato", "Leverandør", "Ydelse", "Varighed", "Medarbejder", "Notat"])
        for m in months:
            for x in (x for x in w.deliveries if x.day.month == m):
                service = rng.choice((x.order.provider.offer.service, x.order.provider.offer.service.lower()))
                doc.append([x.order.citizen.written(True), x.day, x.order.provider.short, service, _hmm(x.minutes), x.staff, x.note])
                led.delivery(doc[-1][4], "h:mm")
            doc.append([])
        _xlsx(root / name, [("Dokumentation", doc)])
        sources.append((name, "Dokumentation", "deliveries"))

    vum: Rows = [["CPR-nummer", "Udredningsdato", "Tema", "Funktionsevneniveau", "Støttebehov", "Udreder"]]
    for s in w.assessments:
        level = NEED_WORDS[s.level] if s.level is not None else "Ikke vurderet"
        vum.append([s.citizen.written(True), _dmy(s.day), s.theme, level, SUPPORT_WORDS[s.support], s.assessor])
        led.row("assessments")
    _csv(root / "VUM udredninger.csv", vum, "cp1252")
    sources.append(("VUM udredninger.csv", None, "assessments"))
    (root / "README.txt").write_text(
        "Udtræk til BIT-analysen, januar 2026.\nIndsatser fra Nexus, takster fra leverandørerne.\n"
        "Dokumentation fra leverandørernes systemer.\n",
        encoding="utf-8",
    )
    sources.append(("README.txt", None, ""))
    return w, sources, ("Borgernavn", "Sagsbehandler", "Medarbejder", "Notat", "Udreder"), "2025-03"


def _sensum(root: Path, rng: random.Random, led: _Ledger) -> tuple[World, list, tuple[str, ...], str]:
    """Sensum: orders as a cp1252 CSV with dd.mm.yyyy and unpadded ids; one long rate sheet between a front page and
    notes; monthly documentation CSVs (utf-8-sig, minutes); VUM as numbers; budget with a totals row; P/L as CSV;
    a contact list."""
    ps = [
        Provider("000361", "Støttecentret Syd", "", OFFERS["støtte"], ("A", "B", "C")),
        Provider("017401", "Botilbuddet Egely", "", OFFERS["bosted"], ("A", "B", "C")),
        Provider("023406", "Beskæftigelsen Kløverhuset", "", OFFERS["beskæftigelse"], ("A", "B", "C")),
        Provider("045389", "Dagcentret Lyngbakken", "", OFFERS["dagtilbud"], ("A", "B", "C")),
        Provider("060813", "Midlertidigt Botilbud Fjordly", "", OFFERS["midlertidig"], ("A", "B", "C")),
    ]
    w = _world(rng, ps, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    _budget(rng, w)

    rows: Rows = [["Bevillings nr.", "CPR-nr.", "Paragraf", "Ydelse", "Timer pr. uge", "Start", "Slut", "Tilbud ID", "Takstgruppe"]]
    rows[0] += ["Sagsbehandler", "Bemærkning"]
    for o in w.orders:
        hours = _short_number(o.hours)
        end = _dmy(o.end, ".") if o.end else ""
        p = o.provider
        rows.append(
            [f"SEN-{o.number:05d}", o.citizen.written(True), f"§ {p.offer.number}", p.offer.service, hours, _dmy(o.start, "."), end]
        )
        rows[-1] += [str(int(p.pid)), p.levels[o.level], o.caseworker, o.remark]
        led.order(hours)
    _csv(root / "Sensum bevillinger.csv", rows, "cp1252")

    units = {"day": "kr. pr. døgn", "hour": "pr. time", "week": "pr. uge", "month": "pr. md."}
    units_day = {"Aktivitet og samvær": "kr. pr. dag"}
    takster: Rows = [["Takstkatalog – Sensum"], ["Alle beløb i kr. ekskl. moms"], []]
    takster.append(["Tilbud ID", "Tilbudsnavn", "Takstgruppe", "Takstnavn", "Beløb", "Enhed", "Gyldig fra", "Gyldig til"])
    for year in YEARS:
        for r in (r for r in w.rates if r.year == year):
            p = r.provider
            unit = units_day.get(p.offer.service, units[p.offer.unit])
            label = f"{p.offer.label} {p.levels[r.level]}"
            takster.append([p.pid, p.name, p.levels[r.level], label, r.amount, unit, dt.date(year, 1, 1), dt.date(year, 12, 31)])
            led.rate(r.amount)
        takster.append([])
    front: Rows = [["Takstkatalog 2024-2025"], ["Udarbejdet af Økonomi og Analyse"], [], ["Takster godkendt af byrådet."]]
    notes: Rows = [["Noter"], ["Takstgruppe A-C svarer til leverandørens niveauer."], ["Takster for 2026 følger."]]
    _xlsx(root / "Takstkatalog 2024-2025.xlsx", [("Forside", front), ("Takster", takster), ("Noter", notes)])

    sources: list = [("Sensum bevillinger.csv", None, "orders"), ("Takstkatalog 2024-2025.xlsx", "Takster", "rates")]
    month_names = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december")
    for m, month_name in enumerate(month_names, start=1):
        doc: Rows = [["CPR", "Leveringsdato", "Tilbud ID", "Indsats", "Minutter", "Medarbejder", "Notat"]]
        for x in (x for x in w.deliveries if x.day.month == m):
            o = x.order
            doc.append([o.citizen.written(False), _dmy(x.day, "."), o.provider.pid, o.provider.offer.service, x.minutes, x.staff, x.note])
            led.delivery(x.minutes, "minutes")
        name = f"leverancer/Leverancer {month_name} 2025.csv"
        _csv(root / name, doc, "utf-8-sig")
        sources.append((name, None, "deliveries"))

    vum: Rows = [["Cpr nr", "Vurderingsdato", "FFB-tema", "Funktionsevneniveau", "Støttebehovsniveau", "Udreder"]]
    for s in w.assessments:
        vum.append([s.citizen.written(False), s.day, s.theme, s.level, s.support, s.assessor])
        led.row("assessments")
    explain: Rows = [["Forklaring"], ["Funktionsevneniveau: 0 = ingen, 4 = fuldstændigt nedsat funktionsevne."]]
    _xlsx(root / "Udredninger.xlsx", [("Forklaring", explain), ("VUM", vum)])
    sources.append(("Udredninger.xlsx", "VUM", "assessments"))

    budget: Rows = [["Budget – specialiserede voksenområde"], [], ["Budgetår", "Område", "Korrigeret budget"]]
    budget += [[y, a, amount] for y, a, amount in w.budget]
    budget += [[], ["I alt", None, sum(amount for _, _, amount in w.budget)]]
    _xlsx(root / "Budget 2024-2025.xlsx", [("Budget", budget)])
    index: Rows = [["År", "Faktor"], *([y, _short_number(f)] for y, f in w.price_index)]
    _csv(root / "PL-indeks.csv", index, "utf-8")
    _ledger_budget(led, w)
    sources += [("Budget 2024-2025.xlsx", "Budget", "budget"), ("PL-indeks.csv", None, "price_index")]

    contacts: Rows = [
        [name, f"2{rng.randint(0, 9_999_999):07d}", f"{name.split()[0].lower()}@kommune.dk", "Visitationen"] for name in sorted(w.staff)
    ]
    _csv(root / "kontaktliste.csv", [["Navn", "Telefon", "Mail", "Afdeling"], *contacts], "utf-8-sig")
    sources.append(("kontaktliste.csv", None, ""))
    return w, sources, ("Sagsbehandler", "Bemærkning", "Medarbejder", "Notat", "Udreder"), "2025-03"


def _dubu(root: Path, rng: random.Random, led: _Ledger) -> tuple[World, list, tuple[str, ...], str]:
    """DUBU, children's area: no export carries a provider id (names only); orders as a comma CSV with ISO dates and
    decimal points; wide rates with the year only in the sheet name; documentation in a workbook behind a notes sheet,
    with blank rows and a totals row; assessment levels as "2 - Moderat" with ISO dates."""
    ps = [
        Provider("", "Opholdsstedet Bakkely", "Opholdsstedet Bakkely", OFFERS["anbringelse"], ("1", "2", "3")),
        Provider("", "Familiehuset Kastanjen", "Familiehuset Kastanjen", OFFERS["familiebehandling"], ("1", "2", "3")),
        Provider("", "Aflastningshjemmet Solsikken", "Aflastningshjemmet Solsikken", OFFERS["aflastning"], ("1", "2", "3")),
        Provider("", "Opholdsstedet Havblik ApS", "Opholdsstedet Havblik ApS", OFFERS["anbringelse"], ("1", "2", "3")),
        Provider("", "Familiecentret Vestergade", "Familiecentret Vestergade", OFFERS["familiebehandling"], ("1", "2", "3")),
    ]
    w = _world(rng, ps, dt.date(2025, 1, 1), dt.date(2025, 12, 31), children=True)

    rows: Rows = [
        ["Sags-ID", "CPR", "Foranstaltning", "Lovgrundlag", "Leverandør", "Startdato", "Slutdato", "Timer pr. uge", "Takstniveau"]
    ]
    rows[0].append("Sagsbehandler")
    for o in w.orders:
        p = o.provider
        law = ("Barnets lov § " if rng.random() < 0.5 else "BL § ") + str(p.offer.number)
        hours = _short_number(o.hours, ".")
        end = o.end.isoformat() if o.end else ""
        rows.append([40000 + o.number, o.citizen.written(True), p.offer.service, law, p.name, o.start.isoformat(), end, hours])
        rows[-1] += [p.levels[o.level], o.caseworker]
        led.order(hours, ".")
    _csv(root / "DUBU foranstaltninger.csv", rows, "utf-8-sig", ",")

    sheets: list[tuple[str, Rows]] = [("Info", [["Takster for børne- og familieområdet"], ["Kilde: Tilbudsportalen og kontrakter"]])]
    for year in YEARS:
        sheet: Rows = [[f"Takster {year} – Børne- og familieområdet"], [], ["Leverandør", "Enhed", "Takst 1", "Takst 2", "Takst 3"]]
        for p in ps:
            amounts = [p.amounts[(i, year)] for i in range(3)]
            sheet.append([p.name, p.offer.unit_word, *amounts])
            for amount in amounts:
                led.rate(amount)
        sheets.append((f"Takster {year}", sheet))
    _xlsx(root / "Takster børn og unge.xlsx", sheets)

    doc: Rows = [
        ["Leverancer 2025 – registreret tid"],
        [],
        ["CPR", "Dato", "Leverandør", "Aktivitet", "Varighed (min)", "Medarbejder", "Notat"],
    ]
    for m in range(1, 13):
        for x in (x for x in w.deliveries if x.day.month == m):
            o = x.order
            doc.append([o.citizen.written(True), x.day, o.provider.name, o.provider.offer.service, x.minutes, x.staff, x.note])
            led.delivery(x.minutes, "minutes")
        doc.append([])
    doc.append(["I alt", None, None, None, sum(x.minutes for x in w.deliveries), None, None])
    notes: Rows = [["Noter"], ["Varighed er registreret i hele minutter."], ["Eksporteret fra DUBU 06-01-2026."]]
    _xlsx(root / "Leverancer 2025.xlsx", [("Noter", notes), ("Leverancer", doc)])

    udr: Rows = [["CPR", "Dato for udredning", "Tema", "Niveau", "Støttebehovsniveau"]]
    for s in w.assessments:
        level = f"{s.level} - {NEED_WORDS[s.level]}" if s.level is not None else "Ikke vurderet"
        udr.append([s.citizen.written(True), s.day.isoformat(), s.theme, level, s.support])
        led.row("assessments")
    _xlsx(root / "Udredninger.xlsx", [("Udredninger", udr)])
    (root / "Vejledning.txt").write_text("Mappen indeholder udtræk fra DUBU og leverandørernes registreringer.\n", encoding="utf-8")

    sources: list = [("DUBU foranstaltninger.csv", None, "orders"), ("Takster børn og unge.xlsx", "Info", "")]
    sources += [("Takster børn og unge.xlsx", f"Takster {y}", "rates") for y in YEARS]
    sources += [("Leverancer 2025.xlsx", "Leverancer", "deliveries"), ("Leverancer 2025.xlsx", "Noter", "")]
    sources += [("Udredninger.xlsx", "Udredninger", "assessments"), ("Vejledning.txt", None, "")]
    return w, sources, ("Sagsbehandler", "Medarbejder", "Notat"), "2025-05"


def _kmd(root: Path, rng: random.Random, led: _Ledger) -> tuple[World, list, tuple[str, ...], str]:
    """KMD: orders with zero-padded order ids, undashed CPR, a citizen-name column not called "navn" alone, text dates,
    number provider ids and levels, a totals row; one wide rate sheet per provider with the year in a column;
    monthly cp1252 documentation CSVs in decimal hours; a wide budget (one column per year) and a P/L sheet."""
    ps = [
        Provider("006665", "Bocentret Ådalen", "", OFFERS["bosted"], ("1", "2", "3")),
        Provider("018557", "Støttecentret Øst", "", OFFERS["støtte"], ("1", "2", "3")),
        Provider("021462", "Dagcentret Vibehuset", "", OFFERS["dagtilbud"], ("1", "2", "3")),
        Provider("027807", "Hjemmevejledningen Kompasset", "", OFFERS["støtte"], ("1", "2", "3")),
        Provider("033330", "Bofællesskabet Rønnebærhuset", "", OFFERS["bosted"], ("1", "2", "3")),
    ]
    w = _world(rng, ps, dt.date(2025, 7, 1), dt.date(2025, 12, 31), grain=15, not_assessed=True)
    _budget(rng, w)

    rows: Rows = [["KMD Nova – aktive og afsluttede bevillinger"], ["Udskrevet 04-01-2026"], []]
    rows.append(["Bevillingsnummer", "Cpr nr", "Borgers navn", "Paragraf", "Ydelse", "Timer/uge", "Fra", "Til", "Tilbud", "Takstgruppe"])
    rows[-1].append("Myndighedsteam")
    for o in w.orders:
        p, end = o.provider, _dmy(o.end) if o.end else None
        rows.append([f"{o.number:06d}", o.citizen.written(False), o.citizen.name, f"§ {p.offer.number}", p.offer.service, o.hours])
        rows[-1] += [_dmy(o.start), end, int(p.pid), o.level + 1, o.citizen.team]
        led.order(o.hours)
    rows += [[], ["I alt", None, None, None, None, sum(o.hours for o in w.orders)]]
    front: Rows = [["Bevillingsudtræk"], ["Udtrukket til økonomiafdelingen."], ["Kun voksenområdet."]]
    _xlsx(root / "KMD bevillinger.xlsx", [("Forside", front), ("Bevillinger", rows)])

    sheets: list[tuple[str, Rows]] = []
    for p in ps:
        sheet: Rows = [[f"Takstblad – {p.name}"], ["Kilde: Tilbudsportalen"], []]
        sheet.append(["TilbudsID", "Tilbudsnavn", "År", "Enhed", "Takst 1", "Takst 2", "Takst 3"])
        for year in YEARS:
            amounts = [p.amounts[(i, year)] for i in range(3)]
            sheet.append([p.pid, p.name, year, p.offer.unit_word, *amounts])
            for amount in amounts:
                led.rate(amount)
        sheets.append((f"Tilbud {p.pid}", sheet))
    _xlsx(root / "Takster KMD.xlsx", sheets)

    sources: list = [("KMD bevillinger.xlsx", "Bevillinger", "orders"), ("KMD bevillinger.xlsx", "Forside", "")]
    sources += [("Takster KMD.xlsx", s, "rates") for s, _ in sheets]
    for m in range(7, 13):
        doc: Rows = [["Cpr nr", "Udført dato", "Tilbud", "Ydelse", "Timer", "Medarbejder", "Notat"]]
        for x in (x for x in w.deliveries if x.day.month == m):
            o = x.order
            hours = _short_number(x.minutes / 60)
            doc.append([o.citizen.written(False), _dmy(x.day), o.provider.pid, o.provider.offer.service, hours, x.staff, x.note])
            led.delivery(hours, "hours")
        name = f"registreringer/registreringer_2025_{m:02d}.csv"
        _csv(root / name, doc, "cp1252")
        sources.append((name, None, "deliveries"))

    vum: Rows = [["CPR", "Udredningsdato", "Tema", "Funktionsevneniveau", "Støttebehov", "Udreder"]]
    for s in w.assessments:
        level = NEED_WORDS[s.level] if s.level is not None else "Ikke vurderet"
        vum.append([s.citizen.written(False), s.day, s.theme, level, SUPPORT_WORDS[s.support], s.assessor])
        led.row("assessments")
    _xlsx(root / "Udredninger VUM.xlsx", [("Udredninger", vum)])

    areas = sorted({a for _, a, _ in w.budget})
    planned = {(y, a): v for y, a, v in w.budget}
    budget: Rows = [["Budget pr. paragraf"], [], ["Område", "Budget 2024", "Budget 2025"]]
    budget += [[a, planned[(2024, a)], planned[(2025, a)]] for a in areas]
    budget.append(["I alt", sum(planned[(2024, a)] for a in areas), sum(planned[(2025, a)] for a in areas)])
    pl: Rows = [["P/L-indeks (2025 = 1)"], [], ["År", "P/L-faktor"]]
    pl += [[y, f] for y, f in w.price_index]
    _xlsx(root / "Økonomi.xlsx", [("Budget", budget), ("P-L indeks", pl)])
    _ledger_budget(led, w)
    sources += [("Udredninger VUM.xlsx", "Udredninger", "assessments"), ("Økonomi.xlsx", "Budget", "budget")]
    sources.append(("Økonomi.xlsx", "P-L indeks", "price_index"))
    return w, sources, ("Borgers navn", "Medarbejder", "Notat", "Udreder"), "2025-10"


def _fasit(root: Path, rng: random.Random, led: _Ledger) -> tuple[World, list, tuple[str, ...], str]:
    """Fasit: orders with "Pakke" levels and id and name; rate sheets per provider by name only with text amounts;
    documentation by shortened names in h:mm (cp1252 CSV); citizens and assessments as two sheets of one workbook;
    a contact list."""
    ps = [
        Provider("044096", "Caroline (Marie Hjem)", "Marie Hjem", OFFERS["midlertidig"], ("Pakke 1", "Pakke 2", "Pakke 3")),
        Provider("059910", "Bostedet Granly ApS", "Bostedet Granly", OFFERS["bosted"], ("Pakke 1", "Pakke 2", "Pakke 3")),
        Provider("064351", "Center for Autisme", "center for autisme", OFFERS["dagtilbud"], ("Pakke 1", "Pakke 2", "Pakke 3")),
        Provider("075520", "Støttehuset Vesterbro I/S", "Støttehuset Vesterbro", OFFERS["støtte"], ("Pakke 1", "Pakke 2", "Pakke 3")),
        Provider(
            "093589",
            "Beskyttet Værksted Hørvang A/S",
            "Beskyttet Værksted Hørvang",
            OFFERS["beskæftigelse"],
            ("Pakke 1", "Pakke 2", "Pakke 3"),
        ),
    ]
    w = _world(rng, ps, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    w.citizens_file = True

    rows: Rows = [["Bevillinger – Fasit"], ["Dannet 05-01-2026"], []]
    rows.append(
        ["Sag", "CPR", "Navn", "Lovhjemmel", "Ydelse", "Pakke", "Timer pr. uge", "Startdato", "Slutdato", "Leverandør ID", "Leverandør"]
    )
    for o in w.orders:
        p = o.provider
        rows.append([o.number, o.citizen.written(True), o.citizen.name, p.offer.paragraph, p.offer.service, p.levels[o.level], o.hours])
        rows[-1] += [o.start, o.end, int(p.pid), p.name]
        led.order(o.hours)
    _xlsx(root / "Fasit bevillinger.xlsx", [("Bevillinger", rows)])

    sheets: list[tuple[str, Rows]] = []
    for p, sheet_name in zip(ps, ("Marie Hjem", "Granly", "Center for Autisme", "Vesterbro", "Hørvang")):
        sheet: Rows = [
            [f"Takster {p.name}"],
            [],
            ["Leverandør", "Pakke", "Beskrivelse", "Takst (kr.)", "Enhed", "Gyldig fra", "Gyldig til"],
        ]
        for year in YEARS:
            for i in range(3):
                text = f"{_danish(p.amounts[(i, year)])} kr."
                sheet.append(
                    [p.name, p.levels[i], f"{p.offer.label} {p.levels[i]}", text, p.offer.unit_word, f"01.01.{year}", f"31.12.{year}"]
                )
                led.rate(text)
        sheets.append((sheet_name, sheet))
    _xlsx(root / "Takster Fasit.xlsx", sheets)

    doc: Rows = [["CPR", "Udført dato", "Leverandør", "Ydelse", "Varighed", "Medarbejder", "Notat"]]
    for x in w.deliveries:
        o = x.order
        doc.append(
            [o.citizen.written(True), _dmy(x.day, "."), o.provider.short, o.provider.offer.service, _hmm(x.minutes), x.staff, x.note]
        )
        led.delivery(doc[-1][4], "h:mm")
    _csv(root / "Fasit leverancer 2025.csv", doc, "cp1252")

    people: Rows = [["CPR", "Navn", "Målgruppe", "Myndighedsteam"]]
    for c in w.citizens:
        people.append([c.written(True), c.name, c.target_group, c.team])
        led.row("citizens")
    udr: Rows = [["CPR", "Udredningsdato", "Tema", "Funktionsevneniveau", "Støttebehovsniveau"]]
    for s in w.assessments:
        udr.append([s.citizen.written(True), s.day, s.theme, NEED_WORDS[s.level] if s.level is not None else "Ikke vurderet", s.support])
        led.row("assessments")
    _xlsx(root / "Borgere og udredninger.xlsx", [("Borgere", people), ("Udredninger", udr)])

    contacts: Rows = [[name, f"4{rng.randint(0, 9_999_999):07d}", "Myndighed"] for name in sorted(w.staff)]
    _csv(root / "kontaktliste.csv", [["Medarbejder", "Telefon", "Afdeling"], *contacts], "cp1252")
    sources: list = [("Fasit bevillinger.xlsx", "Bevillinger", "orders")]
    sources += [("Takster Fasit.xlsx", s, "rates") for s, _ in sheets]
    sources += [("Fasit leverancer 2025.csv", None, "deliveries"), ("Borgere og udredninger.xlsx", "Borgere", "citizens")]
    sources += [("Borgere og udredninger.xlsx", "Udredninger", "assessments"), ("kontaktliste.csv", None, "")]
    return w, sources, ("Navn", "Medarbejder", "Notat"), "2025-06"


def _os2(root: Path, rng: random.Random, led: _Ledger) -> tuple[World, list, tuple[str, ...], str]:
    """OS2: orders with zero-padded provider ids and no names, paragraph codes (SEL-108-); rates with the same ids as
    numbers and no names; a provider list (id and name) as the only link to the documentation's shortened names;
    quarterly utf-8 documentation CSVs in minutes; VUM levels as text digits."""
    ps = [
        Provider(
            "074908", "Hjemmevejledningen Lyset ApS", "Hjemmevejledningen Lyset", OFFERS["støtte"], ("Niveau 1", "Niveau 2", "Niveau 3")
        ),
        Provider(
            "097026", "Bofællesskabet Kastanjen (Kastanjehuset)", "Kastanjehuset", OFFERS["bosted"], ("Niveau 1", "Niveau 2", "Niveau 3")
        ),
        Provider("069047", "Botilbuddet Stjernen", "botilbuddet  stjernen", OFFERS["midlertidig"], ("Niveau 1", "Niveau 2", "Niveau 3")),
        Provider("041942", "Dagtilbuddet Æblehaven", "Dagtilbuddet Æblehaven", OFFERS["dagtilbud"], ("Niveau 1", "Niveau 2", "Niveau 3")),
        Provider("011223", "Værkstedet Nordlys I/S", "Værkstedet Nordlys", OFFERS["beskæftigelse"], ("Niveau 1", "Niveau 2", "Niveau 3")),
    ]
    w = _world(rng, ps, dt.date(2025, 1, 1), dt.date(2025, 12, 31))

    rows: Rows = [["Aktiviteter – udtræk fra OS2"], ["Trukket 06-01-2026"], []]
    rows.append(["Aktivitet-ID", "CPR", "Paragraf", "Aktivitet", "Timer pr. uge", "Startdato", "Slutdato", "LeverandørID", "Takstniveau"])
    rows[-1].append("Bemærkning")
    for o in w.orders:
        p = o.provider
        code = f"{p.offer.law}-{p.offer.number}-"
        rows.append(
            [f"A{o.number:04d}", o.citizen.written(False), code, p.offer.service, o.hours, o.start, o.end, p.pid, p.levels[o.level]]
        )
        rows[-1].append(o.remark)
        led.order(o.hours)
    front: Rows = [["OS2 – aktiviteter"], ["Alle aktiviteter med bevilling i 2024-2025."], [], ["Kontakt: IT-support"]]
    _xlsx(root / "OS2 aktiviteter.xlsx", [("Forside", front), ("Aktiviteter", rows)])

    takster: Rows = [["Takster 2024-2025"], ["Beløb i kr."], []]
    takster.append(["LeverandørID", "Takstniveau", "Enhed", "Pris pr. enhed", "Gyldig fra", "Gyldig til", "Timer fra", "Timer til"])
    for r in w.rates:
        p = r.provider
        lo, hi = p.offer.bands[r.level]
        takster.append([int(p.pid), p.levels[r.level], p.offer.unit_word, r.amount, dt.date(r.year, 1, 1), dt.date(r.year, 12, 31), lo, hi])
        led.rate(r.amount)
    _xlsx(root / "Takster OS2.xlsx", [("Takster", takster)])

    listing: Rows = [["Leverandør-ID", "Leverandørnavn", "CVR", "Adresse", "Telefon"]]
    for i, p in enumerate(ps):
        listing.append(
            [
                p.pid,
                p.name,
                f"{rng.randint(10_000_000, 99_999_999)}",
                f"Skolevej {i + 3}, 8000 Aarhus C",
                f"8{rng.randint(0, 9_999_999):07d}",
            ]
        )
    _xlsx(root / "Leverandører.xlsx", [("Leverandører", listing)])

    sources: list = [("OS2 aktiviteter.xlsx", "Aktiviteter", "orders"), ("OS2 aktiviteter.xlsx", "Forside", "")]
    sources += [("Takster OS2.xlsx", "Takster", "rates"), ("Leverandører.xlsx", "Leverandører", "providers")]
    for q in range(1, 5):
        doc: Rows = [["Borger CPR", "Dato", "Udfører", "Ydelse", "Varighed", "Medarbejder", "Notat"]]
        for x in (x for x in w.deliveries if (x.day.month - 1) // 3 + 1 == q):
            o = x.order
            doc.append([o.citizen.written(True), _dmy(x.day), o.provider.short, o.provider.offer.service, x.minutes, x.staff, x.note])
            led.delivery(x.minutes, "minutes")
        name = f"dokumentation/Dokumentation Q{q} 2025.csv"
        _csv(root / name, doc, "utf-8")
        sources.append((name, None, "deliveries"))

    vum: Rows = [["CPR", "Dato", "Tema (FFB)", "Niveau", "Støttebehov"]]
    for s in w.assessments:
        vum.append([s.citizen.written(False), s.day, s.theme, str(s.level), str(s.support)])
        led.row("assessments")
    _xlsx(root / "VUM.xlsx", [("VUM", vum)])
    sources.append(("VUM.xlsx", "VUM", "assessments"))
    return w, sources, ("Bemærkning", "Medarbejder", "Notat"), "2025-09"


WRITERS = {"nexus": _nexus, "sensum": _sensum, "dubu": _dubu, "kmd": _kmd, "fasit": _fasit, "os2": _os2}


# --- the truth ----------------------------------------------------------------------------------------------------


def month_cost(w: World, month: str) -> float:
    """The rate cost of every order in the month (contract §2): the active days times the daily cost of the level's
    rate for the year, per unit (hourly rates on ordered hours)."""
    year, m = map(int, month.split("-"))
    first, last = dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1])
    total = 0.0
    for o in w.orders:
        days = (min(last, o.end or last) - max(first, o.start)).days + 1
        if days <= 0:
            continue
        amount = o.provider.amounts[(o.level, year)]
        per_day = {
            "day": amount,
            "week": amount / 7,
            "month": amount / calendar.monthrange(year, m)[1],
            "hour": amount * o.hours / 7,
        }[o.provider.offer.unit]
        total += per_day * days
    return total


def make_folder(kind: str, root: Path, seed: int = 0) -> Truth:
    """Write the exports of one kind of municipality into `root` and return what loading them must give."""
    if kind not in WRITERS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(zlib.crc32(kind.encode()) + seed)
    led = _Ledger()
    w, sources, sensitive, month = WRITERS[kind](root, rng, led)
    if not w.citizens_file:
        led.rows["citizens"] = len({o.citizen.cpr for o in w.orders})  # the citizens table derived from the others
    in_month = [x for x in w.deliveries if f"{x.day:%Y-%m}" == month]
    texts = {c.name for c in w.citizens} | w.staff | {x.note for x in w.deliveries if x.note} | {o.remark for o in w.orders if o.remark}
    return Truth(
        kind=kind,
        rows={t: led.rows[t] for t in TABLES},
        citizens=len({o.citizen.cpr for o in w.orders}),
        providers=len({o.provider.key for o in w.orders} | {r.provider.key for r in w.rates}),
        minutes=led.minutes,
        rate_amount=led.amount,
        hours_per_week=led.hours,
        month=month,
        month_hours=sum(x.minutes for x in in_month) / 60,
        month_cost=month_cost(w, month),
        sensitive_columns=sensitive,
        sensitive_values=frozenset(texts),
        cprs=frozenset(c.cpr for c in w.citizens),
        sources=sources,
        world=w,
    )
