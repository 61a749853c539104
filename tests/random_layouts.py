"""Random export folders for `bitanalysis init`, and the ground truth of the rows they hold.

`make_random_folder(root, seed)` draws one small municipality and writes its orders (bevillinger), rates (takster),
deliveries (dokumentation) and, sometimes, assessments (udredninger) the way a case system or an analyst's hand-made
workbook might: Danish header words of its own choosing (written from knowledge of Nexus, Sensum, DUBU, KMD, Fasit and
OS2 exports, not from the package), columns in random order, title rows, extra columns with names and notes, dates as
cells, text or Excel serial numbers, one sheet or one per provider, one file or one per period, xlsx or CSV in several
encodings. It returns a `Truth`: the rows each canonical table must get, in canonical terms, and a description of what
was drawn. Like tests/layouts.py it is blind to the package: nothing here is read from `bitanalysis`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .layouts import CPR_PATTERN, NOTE_END, NOTE_START, THEMES, _cpr, _csv, _name, _xlsx

__all__ = ["CPR_PATTERN", "DATE_WORD", "KEYS", "Layout", "Source", "Truth", "make_random_folder", "parse_back"]

Day = dt.date
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (serial 1 = 1900-01-01, with the 1900 leap-year bug)
#: A header that says it holds a date: the only headers an Excel serial number is written under.
DATE_WORD = re.compile(r"fra|til|dato|start|slut|ophør|bevilget", re.IGNORECASE)
NEED_WORDS = ("Ingen", "Let", "Moderat", "Svært", "Fuldstændigt")

#: Danish header words per column of each table, as exports and analysts write them. Keys are this module's own.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "orders": {
        "cpr": ("CPR", "CPR-nr.", "Cpr nummer", "Personnummer", "CPR-nummer", "Borgers CPR"),
        "provider_id": ("Tilbuds-id", "Leverandør ID", "Tilbudsnr.", "Leverandørnummer", "LeverandørID", "Tilbudsnummer"),
        "service": ("Indsats", "Ydelse", "Ydelsesnavn", "Indsatsnavn", "Ydelsestype"),
        "paragraph": ("Paragraf", "Lovgrundlag", "§", "Lovhjemmel"),
        "hours": ("Timer pr. uge", "Omfang (timer/uge)", "Ugentlige timer", "Bevilget timer/uge", "Timer/uge", "Antal timer pr. uge"),
        "level": ("Takstniveau", "Niveau", "Takstgruppe"),
        "start": ("Startdato", "Bevilget fra", "Fra dato", "Gyldig fra", "Ikrafttræden", "Start", "Bevillingsstart"),
        "end": ("Slutdato", "Bevilget til", "Til dato", "Gyldig til", "Ophørsdato", "Slut", "Bevillingsslut"),
    },
    "rates": {
        "provider_id": ("Tilbuds-id", "Leverandør ID", "Tilbudsnr.", "Leverandørnummer", "LeverandørID", "Tilbudsnummer"),
        "level": ("Takstniveau", "Niveau", "Takstgruppe"),
        "amount": ("Takst", "Beløb", "Takst (kr.)", "Takstbeløb", "Pris pr. enhed", "Takst i kr."),
        "unit": ("Enhed", "Takstenhed", "Afregningsenhed"),
        "start": ("Gyldig fra", "Fra dato", "Startdato", "Gældende fra", "Takst gældende fra"),
        "end": ("Gyldig til", "Til dato", "Slutdato", "Gældende til", "Takst gældende til"),
    },
    "deliveries": {
        "cpr": ("CPR", "CPR-nr.", "Cpr nummer", "Personnummer", "Borger CPR", "CPR-nummer"),
        "provider_id": ("Tilbuds-id", "Leverandør ID", "Tilbudsnr.", "Leverandørnummer", "Udførende leverandør ID"),
        "date": ("Dato", "Udført dato", "Leverancedato", "Besøgsdato", "Udførelsesdato", "Dato for levering"),
    },
    "assessments": {
        "cpr": ("CPR", "CPR-nr.", "Cpr nummer", "Personnummer"),
        "date": ("Udredningsdato", "Vurderingsdato", "Dato for udredning", "Dato"),
        "theme": ("Tema", "FFB-tema", "Funktionsevnetema", "Tema (FFB)"),
        "level": ("Funktionsevneniveau", "Funktionsniveau", "Vurderet niveau", "Niveau (0-4)"),
    },
}
DURATION_HEADERS = {
    "minutes": ("Minutter", "Tid (min)", "Varighed (min.)", "Antal minutter", "Leveret tid (minutter)"),
    "hmm": ("Varighed", "Tid (t:mm)", "Varighed (tt:mm)", "Leveret tid"),
    "hours": ("Timer", "Antal timer", "Leveret tid (timer)", "Varighed i timer"),
}
#: Extra columns per table: key -> header words. Names and notes are personal data; the others are harmless noise.
EXTRAS: dict[str, dict[str, tuple[str, ...]]] = {
    "orders": {
        "caseworker": ("Sagsbehandler", "Ansvarlig sagsbehandler", "Oprettet af"),
        "citizen_name": ("Navn", "Borgers navn", "Borgernavn"),
        "remark": ("Bemærkning", "Notat", "Kommentar"),
        "case_no": ("Sagsnr.", "Journalnr.", "Sags-id"),
        "provider_name": ("Tilbudsnavn", "Leverandørnavn"),
    },
    "rates": {
        "provider_name": ("Tilbudsnavn", "Leverandørnavn"),
        "rate_note": ("Bemærkning", "Kommentar"),
        "approved_by": ("Godkendt af",),
    },
    "deliveries": {
        "staff": ("Medarbejder", "Udført af", "Registreret af"),
        "note": ("Notat", "Journalnotat", "Bemærkning"),
        "internal": ("Registrerings-id", "Internt løbenr."),
    },
    "assessments": {"assessor": ("Udreder", "Sagsbehandler"), "internal": ("Udrednings-id",)},
}
SENSITIVE = {"caseworker", "citizen_name", "remark", "approved_by", "staff", "note", "assessor"}
#: The canonical columns compared per table (see contract §1), in the order of the truth's frames.
KEYS = {
    "orders": ("cpr", "provider_id", "service", "paragraph", "hours", "level", "start", "end"),
    "rates": ("provider_id", "level", "amount", "unit", "start", "end"),
    "deliveries": ("cpr", "provider_id", "date", "minutes"),
    "assessments": ("cpr", "date", "theme", "level"),
}
OFFERS = (  # law, paragraph, service, unit, (lo, hi) first level's amount
    ("SEL", 85, "Socialpædagogisk støtte", "hour", (420, 720)),
    ("SEL", 108, "Længerevarende botilbud", "day", (1500, 3200)),
    ("SEL", 107, "Midlertidigt botilbud", "month", (48000, 70000)),
    ("SEL", 104, "Aktivitets- og samværstilbud", "day", (400, 900)),
    ("SEL", 103, "Beskyttet beskæftigelse", "week", (1500, 2600)),
    ("BL", 32, "Aflastning", "day", (1700, 2800)),
)
UNIT_WORDS = {"day": ("dag", "døgn", "pr. døgn", "pr. dag", "Døgn"), "week": ("uge", "pr. uge"), "month": ("måned", "pr. måned", "md.")}
UNIT_WORDS["hour"] = ("time", "pr. time", "Time")
PLACE_PREFIX = {85: "Støttecentret", 108: "Bostedet", 107: "Botilbuddet", 104: "Dagtilbuddet", 103: "Værkstedet", 32: "Aflastningshuset"}
PLACES = ("Lindely", "Egebo", "Solsikken", "Kastanjen", "Nordlys", "Birkely", "Havblik", "Skovbrynet", "Æblehaven", "Rønnebo", "Kompasset")
LEVEL_STYLES = ("Niveau {n}", "Takstniveau {n}", "Pakke {n}", "Gruppe {a}", "{n}", "Takst {n}")
TOWNS = ("Lindum", "Aaby", "Nørreby", "Vesterå", "Højslev", "Søndervig")
SYSTEMS = ("Nexus", "Sensum", "DUBU", "KMD Nova", "Fasit", "OS2")
DATE_STYLES_XLSX = ("cell", "cell", "serial", "dd-mm-yyyy", "dd.mm.yy", "dd/mm/yyyy", "iso")
DATE_STYLES_CSV = ("dd-mm-yyyy", "dd.mm.yy", "dd/mm/yyyy", "iso", "dd.mm.yyyy")
ENCODINGS = ("cp1252", "utf-8", "utf-8-sig", "utf-16")
VARIANTS: dict[str, Callable[[str], str]] = {  # how a header word may be written besides as is
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "spaces": lambda w: f" {w.replace(' ', '  ')}  ",
    "colon": lambda w: f"{w}:",
    "period": lambda w: w if w.endswith(".") else f"{w}.",
    "underscore": lambda w: w.replace(" ", "_"),
}


@dataclass
class Layout:
    """How one table is written: format, encoding, delimiter, date and number styles, headers, order, split, titles."""

    table: str
    fmt: str  # xlsx or csv
    encoding: str | None
    delimiter: str
    decimal: str  # "," or "."
    thousands: bool  # amounts with a thousands point in text
    date_style: str
    duration: str  # deliveries: minutes, hmm, hours
    cpr_style: str  # dash, plain, number (xlsx, Excel dropped the leading zero)
    id_as_number: bool  # provider ids (and digit levels) as number cells
    level_words: bool  # assessments: levels as words (Let, Moderat...)
    headers: dict[str, str]  # key -> the header as written
    order: list[str]  # keys in column order
    split: str  # single, per_provider, per_year, half_year, quarter_sheets
    titles: list[list[object]]  # rows above the header (a title, a blank row)

    def describe(self) -> str:
        """One line for a failure message: everything drawn for the table."""
        fmt = self.fmt if self.fmt == "xlsx" else f"csv {self.encoding} {self.delimiter!r} decimal {self.decimal!r}"
        heads = ", ".join(f"{k}={self.headers[k]!r}" for k in self.order)
        more = f", cpr={self.cpr_style}" if "cpr" in self.headers else ""
        more += f", duration={self.duration}" if self.duration else ""
        more += f", levels as words={self.level_words}" if self.table == "assessments" else f", ids as numbers={self.id_as_number}"
        return (
            f"{self.table}: {fmt}, split={self.split}, dates={self.date_style}{more}, thousands point={self.thousands}, "
            f"title rows={len(self.titles)}, columns=[{heads}]"
        )


@dataclass
class Source:
    """One written sheet (or CSV file) of a table: where, its header as written, how many data rows follow it."""

    path: str
    sheet: str | None
    table: str
    layout: Layout
    header_row: int  # 0-based index of the header among the written rows
    rows: int


@dataclass
class Truth:
    """What loading a generated folder must give, in canonical terms, and a record of what was drawn."""

    seed: int
    tables: dict[str, pd.DataFrame]  # per generated canonical table; citizen columns hold the raw 10-digit CPR
    layouts: dict[str, Layout]
    sources: list[Source]
    cprs: frozenset[str]
    sensitive_values: frozenset[str]  # citizens' and staff names and note texts written anywhere
    files: list[str] = field(default_factory=list)  # every file written, relative to the folder

    def describe(self) -> str:
        """The layout drawn for the folder, a few lines, enough to reproduce and understand a failure."""
        lines = [f"seed {self.seed}: make_random_folder(root, {self.seed})"]
        lines += [f"  {lay.describe()}" for lay in self.layouts.values()]
        lines.append("  files: " + ", ".join(self.files))
        return "\n".join(lines)


# --- drawing the municipality --------------------------------------------------------------------------------------


def _variant(rng: random.Random, word: str) -> str:
    """The header word as some export writes it: most as is, others in another case, spaced, with a colon or underscores."""
    kind = rng.choices(("as is", *VARIANTS), (8, 2, 2, 1, 1, 1, 1, 1))[0]
    return VARIANTS[kind](word) if kind in VARIANTS else word


def _layout(rng: random.Random, table: str, town: str) -> Layout:
    """Draw how one table is written."""
    fmt = rng.choice(("xlsx", "xlsx", "csv"))
    delimiter = rng.choice((";", ";", ";", ",", "\t")) if fmt == "csv" else ";"
    decimal = "." if delimiter == "," else rng.choice((",", ",", "."))
    duration = rng.choice(("minutes", "minutes", "hmm", "hours")) if table == "deliveries" else ""
    words = dict(HEADERS[table])
    if table == "deliveries":
        words["minutes"] = DURATION_HEADERS[duration]
    extras = [k for k in EXTRAS[table] if rng.random() < 0.55]
    words |= {k: EXTRAS[table][k] for k in extras}
    headers: dict[str, str] = {}
    for key, options in words.items():
        taken = {h.strip(" :._").casefold().replace("_", " ") for h in headers.values()}
        choices = [w for w in options if w.casefold() not in taken] or list(options)
        headers[key] = _variant(rng, rng.choice(choices))
    order = list(headers)
    rng.shuffle(order)
    made = dt.date(2026, 1, rng.randint(2, 28))
    options = ([f"Udtræk af {table_word(table)} – {town} Kommune"], [f"Dannet {made:%d-%m-%Y}"], [f"Kilde: {rng.choice(SYSTEMS)}"], [])
    titles = [rng.choice(options) for _ in range(rng.choice((0, 0, 1, 2, 3, 4)))]
    splits = {
        "orders": ("single", "single", "per_provider"),
        "rates": ("single", "per_provider", "per_year"),
        "deliveries": ("single", "per_year", "half_year", "quarter_sheets"),
        "assessments": ("single",),
    }[table]
    split = rng.choice([s for s in splits if fmt == "xlsx" or s != "quarter_sheets"])
    enc = rng.choice(ENCODINGS) if fmt == "csv" else None
    thousands = decimal == "," and rng.random() < 0.5
    dates = rng.choice(DATE_STYLES_XLSX if fmt == "xlsx" else DATE_STYLES_CSV)
    cpr = rng.choice(("dash", "plain", "number") if fmt == "xlsx" else ("dash", "plain"))
    numbers, as_words = fmt == "xlsx" and rng.random() < 0.4, rng.random() < 0.5
    return Layout(table, fmt, enc, delimiter, decimal, thousands, dates, duration, cpr, numbers, as_words, headers, order, split, titles)


def table_word(table: str) -> str:
    """The table's Danish name, for titles and file names."""
    return {"orders": "bevillinger", "rates": "takster", "deliveries": "dokumentation", "assessments": "udredninger"}[table]


def _day(rng: random.Random, first: Day = FIRST, last: Day = LAST) -> Day:
    """A random day in [first, last]."""
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _world(rng: random.Random, level_style: str) -> tuple[dict[str, list[dict]], set[str], set[str], list[str]]:
    """The rows of every table in canonical values (plus extra fields), the CPRs, the names and notes written, the staff."""
    names: set[str] = set()
    cprs: set[str] = set()
    caseworkers = [_name(rng, names) for _ in range(3)]
    staff = [_name(rng, names) for _ in range(rng.randint(3, 6))]
    notes: set[str] = set()
    places = rng.sample(PLACES, k=6)
    providers = []
    for i, pid in enumerate(rng.sample(range(100_000, 999_999), k=rng.randint(3, 6))):
        law, number, service, unit, price = rng.choice(OFFERS)
        levels = [level_style.format(n=n, a="ABC"[n - 1]) for n in range(1, rng.choice((2, 3, 3)) + 1)]
        p = {"pid": str(pid), "name": f"{PLACE_PREFIX[number]} {places[i]}", "law": law, "number": number, "service": service}
        providers.append(p | {"unit": unit, "unit_word": rng.choice(UNIT_WORDS[unit]), "levels": levels, "base": rng.randint(*price)})
    rates = []
    for p in providers:
        for n, level in enumerate(p["levels"]):
            for year in (2024, 2025):
                amount = round(p["base"] * (1 + 0.3 * n) * (1.03 if year == 2025 else 1) + rng.choice((0, 0.25, 0.5, 0.75)), 2)
                end = None if year == 2025 and rng.random() < 0.3 else dt.date(year, 12, 31)
                row = {
                    "provider_id": p["pid"],
                    "level": level,
                    "amount": amount,
                    "unit": p["unit"],
                    "unit_word": p["unit_word"],
                    "end": end,
                }
                extra = {
                    "provider_name": p["name"],
                    "rate_note": rng.choice(("", "Inkl. kost", "Ekskl. moms")),
                    "approved_by": rng.choice(caseworkers),
                }
                rates.append(row | extra | {"start": dt.date(year, 1, 1)})
    orders, deliveries, assessments = [], [], []
    for _ in range(rng.randint(15, 40)):
        cpr, name = _cpr(rng, rng.randint(1950, 2006), cprs), _name(rng, names)
        for p in rng.sample(providers, k=rng.choice((1, 1, 2))):
            start = _day(rng, FIRST, dt.date(2025, 9, 30))
            end = None if rng.random() < 0.35 else min(LAST, start + dt.timedelta(days=rng.randint(30, 600)))
            remark = rng.choice(("", "", f"{rng.choice(NOTE_START)} – {rng.choice(NOTE_END)}"))
            law_text = f"{p['law']} §{p['number']}" if rng.random() < 0.5 else f"{p['law']} § {p['number']}"
            row = {"cpr": cpr, "provider_id": p["pid"], "service": p["service"], "paragraph": law_text, "hours": rng.randint(2, 60) / 2}
            row |= {"level": rng.choice(p["levels"]), "start": start, "end": end, "caseworker": rng.choice(caseworkers), "remark": remark}
            orders.append(row | {"citizen_name": name, "case_no": f"{rng.randint(1000, 9999)}-{start.year}", "provider_name": p["name"]})
            notes.add(remark)
            days = (end or LAST) - start
            for day in sorted(rng.sample(range(days.days + 1), k=min(rng.randint(2, 8), days.days + 1))):
                note = rng.choice(("", f"{rng.choice(NOTE_START)} – {rng.choice(NOTE_END)}"))
                row = {"cpr": cpr, "provider_id": p["pid"], "date": start + dt.timedelta(days=day), "minutes": 15 * rng.randint(1, 16)}
                deliveries.append(row | {"staff": rng.choice(staff), "note": note, "internal": str(rng.randint(1_000_000, 9_999_999))})
                notes.add(note)
        if rng.random() < 0.8:
            for day in sorted({_day(rng) for _ in range(rng.choice((1, 2)))}):
                for theme in rng.sample(THEMES, k=rng.randint(2, 5)):
                    row = {"cpr": cpr, "date": day, "theme": theme, "level": rng.randint(0, 4), "assessor": rng.choice(caseworkers)}
                    assessments.append(row | {"internal": f"U{rng.randint(10_000, 99_999)}"})
    texts = set(caseworkers) | set(staff) | {o["citizen_name"] for o in orders} | {t for t in notes if t}
    return {"orders": orders, "rates": rates, "deliveries": deliveries, "assessments": assessments}, cprs, texts, caseworkers + staff


# --- writing cells -------------------------------------------------------------------------------------------------


def _text(day: Day, style: str) -> str:
    """A date as text in one of the written styles."""
    return {
        "dd-mm-yyyy": f"{day:%d-%m-%Y}",
        "dd.mm.yy": f"{day:%d.%m.%y}",
        "dd.mm.yyyy": f"{day:%d.%m.%Y}",
        "dd/mm/yyyy": f"{day:%d/%m/%Y}",
        "iso": f"{day:%Y-%m-%d}",
    }[style]


def _number(x: float, lay: Layout, decimals: int | None = None) -> object:
    """A number as a cell: a number in xlsx; text with the layout's decimal mark (and thousands point) in CSV."""
    if lay.fmt == "xlsx":
        return x
    text = f"{x:.{decimals}f}" if decimals is not None else f"{x:g}"
    if lay.decimal == ",":
        whole, _, frac = text.partition(".")
        if lay.thousands and len(whole) > 3:
            whole = f"{int(whole):,}".replace(",", ".")
        text = f"{whole},{frac}" if frac else whole
    return text


def _cell(key: str, row: dict, lay: Layout) -> object:
    """The cell written for a key of a row, in the layout's styles."""
    value = row.get(key)
    if key in ("start", "end", "date"):
        if value is None:
            return None
        if lay.date_style == "cell" or (lay.date_style == "serial" and not DATE_WORD.search(lay.headers[key])):
            return value
        if lay.date_style == "serial":
            return (value - EPOCH).days
        return _text(value, lay.date_style)
    if key == "cpr":
        if lay.cpr_style == "number":
            return int(value)
        return f"{value[:6]}-{value[6:]}" if lay.cpr_style == "dash" else value
    if key == "provider_id" or (key == "level" and lay.table in ("orders", "rates")):
        return int(value) if lay.id_as_number and value.isdigit() else value
    if key == "level":  # assessments
        return NEED_WORDS[value] if lay.level_words else (value if lay.fmt == "xlsx" else str(value))
    if key == "hours":
        return _number(value, lay)
    if key == "amount":
        return _number(value, lay, 2)
    if key == "unit":
        return row["unit_word"]
    if key == "minutes":
        minutes = row["minutes"]
        if lay.duration == "hmm":
            return f"{minutes // 60}:{minutes % 60:02d}"
        return _number(minutes / 60 if lay.duration == "hours" else minutes, lay)
    return value if value != "" else None


def _sheet_rows(lay: Layout, rows: list[dict]) -> list[list[object]]:
    """The written rows of one sheet: titles, header, data."""
    return [*lay.titles, [lay.headers[k] for k in lay.order], *[[_cell(k, r, lay) for k in lay.order] for r in rows]]


def _groups(lay: Layout, rows: list[dict], providers: list[str], stem: str) -> list[tuple[str, str | None, list[dict]]]:
    """Split a table's rows into (file, sheet, rows) as the layout says; empty groups are left out."""
    ext = lay.fmt
    key = "date" if lay.table == "deliveries" else "start"
    if lay.split == "per_provider":
        parts = [(f"Tilbud {pid}", [r for r in rows if r["provider_id"] == pid]) for pid in providers]
        if ext == "xlsx":
            return [(f"{stem}.xlsx", sheet, part) for sheet, part in parts if part]
        return [(f"{stem}/{stem} {sheet}.csv", None, part) for sheet, part in parts if part]
    if lay.split == "per_year":
        parts = [(str(y), [r for r in rows if r[key].year == y]) for y in (2024, 2025)]
    elif lay.split == "half_year":
        parts = [
            (f"{y} H{h}", [r for r in rows if r[key].year == y and (r[key].month > 6) == (h == 2)]) for y in (2024, 2025) for h in (1, 2)
        ]
    elif lay.split == "quarter_sheets":
        qs = [
            (f"{y} Q{q}", [r for r in rows if r[key].year == y and (r[key].month - 1) // 3 + 1 == q])
            for y in (2024, 2025)
            for q in range(1, 5)
        ]
        return [(f"{stem}.xlsx", sheet, part) for sheet, part in qs if part]
    else:
        return [(f"{stem}.{ext}", table_word(lay.table).capitalize() if ext == "xlsx" else None, rows)] if rows else []
    return [(f"{stem} {label}.{ext}", "Ark1" if ext == "xlsx" else None, part) for label, part in parts if part]


def _write(root: Path, lay: Layout, groups: list[tuple[str, str | None, list[dict]]]) -> list[Source]:
    """Write the groups of one table; xlsx sheets of one file together."""
    sources: list[Source] = []
    books: dict[str, list[tuple[str, list[list[object]]]]] = {}
    for path, sheet, rows in groups:
        written = _sheet_rows(lay, rows)
        if lay.fmt == "xlsx":
            books.setdefault(path, []).append((sheet or "Ark1", written))
        else:
            _csv(root / path, written, lay.encoding or "utf-8", lay.delimiter)
        sources.append(Source(path, sheet, lay.table, lay, len(lay.titles), len(rows)))
    for path, sheets in books.items():
        _xlsx(root / path, sheets)
    return sources


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """The truth of one table in canonical terms (citizen columns hold the raw CPR)."""
    names = {
        "orders": ("cpr", "provider_id", "service", "paragraph", "hours_per_week", "rate_level", "start_date", "end_date"),
        "rates": ("provider_id", "rate_level", "amount", "unit", "valid_from", "valid_to"),
        "deliveries": ("cpr", "provider_id", "date", "minutes"),
        "assessments": ("cpr", "assessed_on", "theme", "level"),
    }[table]
    data = [[r[k] if k != "paragraph" else re.sub(r"§\s*", "§", r[k]) for k in KEYS[table]] for r in rows]
    frame = pd.DataFrame(data, columns=list(names))
    for column in ("start_date", "end_date", "valid_from", "valid_to", "date", "assessed_on"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    for column in ("hours_per_week", "amount", "minutes"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    return frame


def make_random_folder(root: Path, seed: int) -> Truth:
    """Write one randomly laid-out municipality's exports into `root` and return what loading them must give."""
    rng = random.Random(7919 * seed + 17)
    root.mkdir(parents=True, exist_ok=True)
    town, system = rng.choice(TOWNS), rng.choice(SYSTEMS)
    world, cprs, texts, staff = _world(rng, rng.choice(LEVEL_STYLES))
    tables = ["orders", "rates", "deliveries"] + (["assessments"] if rng.random() < 0.6 else [])
    providers = sorted({r["provider_id"] for r in world["rates"]})
    stems = {
        "orders": (f"Bevillinger {system}", "bevillinger", f"Udtræk bevillinger {town}", "Aktive og afsluttede bevillinger"),
        "rates": ("Takster", f"Takster {system}", "takstoversigt 2024-2025", "Takstblade"),
        "deliveries": ("Dokumentation", "Leverancer", "Registreringer", f"Dokumentation {system}"),
        "assessments": ("Udredninger", "VUM udredninger", "Funktionsevnevurderinger"),
    }
    layouts: dict[str, Layout] = {}
    sources: list[Source] = []
    for table in tables:
        lay = layouts[table] = _layout(rng, table, town)
        sources += _write(root, lay, _groups(lay, world[table], providers, rng.choice(stems[table])))
    if rng.random() < 0.3:  # a contact list: names and phone numbers, no BIT table
        contacts = [["Medarbejder", "Telefon", "Afdeling"]] + [[n, f"4{rng.randint(0, 9_999_999):07d}", "Myndighed"] for n in staff]
        _csv(root / "kontaktliste.csv", contacts, "cp1252")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return Truth(
        seed=seed,
        tables={t: _frame(t, world[t]) for t in tables},
        layouts=layouts,
        sources=sources,
        cprs=frozenset(cprs),
        sensitive_values=frozenset(texts),
        files=files,
    )


# --- reading back (for the generator's own checks) -----------------------------------------------------------------


def parse_back(key: str, cell: object, lay: Layout) -> object:
    """The canonical value of a written cell, read with the layout known (a tiny reader that checks the writer)."""
    if cell is None or cell == "":
        return None
    if key in ("start", "end", "date"):
        if isinstance(cell, dt.datetime):
            return cell.date()
        if isinstance(cell, int | float):
            return EPOCH + dt.timedelta(days=int(cell))
        fmt = {"dd-mm-yyyy": "%d-%m-%Y", "dd.mm.yy": "%d.%m.%y", "dd.mm.yyyy": "%d.%m.%Y", "dd/mm/yyyy": "%d/%m/%Y", "iso": "%Y-%m-%d"}
        return dt.datetime.strptime(str(cell), fmt[lay.date_style]).date()
    if key == "cpr":
        return str(cell).replace("-", "").zfill(10)
    if (key in ("provider_id", "level") and lay.table != "assessments") or key in ("service", "theme"):
        return str(cell)
    if key == "paragraph":
        return str(cell).replace(" ", "")
    if key == "level":
        return NEED_WORDS.index(cell) if cell in NEED_WORDS else int(cell)
    if key == "unit":
        word = str(cell).removeprefix("pr. ").casefold()
        return {"dag": "day", "døgn": "day", "uge": "week", "måned": "month", "md.": "month", "time": "hour"}[word]
    if key == "minutes" and lay.duration == "hmm":
        h, m = str(cell).split(":")
        return 60 * int(h) + int(m)
    number = (
        float(cell)
        if isinstance(cell, int | float)
        else float(str(cell).replace(".", "").replace(",", ".") if lay.decimal == "," else cell)
    )
    return number * 60 if key == "minutes" and lay.duration == "hours" else number
