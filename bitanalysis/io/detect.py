"""Recognising an export: which canonical column a source column feeds (its header's words and its values' fit, from
its `profile`), which canonical table a sheet can be read as, and its wide block of one column per level or year.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from bitanalysis.core.schema import ALTERNATIVES, CITIZEN_TABLES, SENSITIVE, TABLES, Column
from bitanalysis.io.profile import Profile, norm_header

#: Header words that point to a canonical column beyond its aliases (all words must stand in the header, as word starts).
CUES: dict[str, tuple[str, ...]] = {
    "order_id": ("indsats id", "bevilling id", "bevillings nr", "bevillingsnr", "bevillingsnummer", "sags id", "sagsnr", "sagsnummer")
    + ("indsatsnr", "indsatsnummer", "løbenr"),
    "cpr": ("cpr", "personnummer", "personnr"),
    "citizen_id": ("borger id", "borgernr", "pseudonym"),
    "provider_id": ("tilbud id", "tilbudsnr", "leverandør id", "leverandørnr", "udfører id", "tilbudsid", "leverandørid")
    + ("tilbud", "leverandør", "udfører"),
    "provider_name": ("tilbudsnavn", "leverandørnavn", "leverandør", "tilbud", "udfører", "botilbud"),
    "paragraph": ("lovgrundlag", "paragraf", "lovhjemmel", "hjemmel", "§"),
    "service": ("ydelse", "indsats", "ydelsestype", "indsatstype", "ydelsesnavn", "aktivitet", "foranstaltning"),
    "themes": ("temaer", "tema", "indsatsområde", "fokusområde"),
    "start_date": ("start", "bevilget fra", "fra", "ikrafttræden", "begyndelse"),
    "end_date": ("slut", "bevilget til", "til", "ophør", "udløb"),
    "hours_per_week": ("timer uge", "omfang", "ugentlige timer", "timetal", "timer pr uge", "t uge"),
    "rate_level": ("takstniveau", "niveau", "pakke", "takstgruppe", "gruppe", "ydelsespakke"),
    "is_addon": ("tillæg",),
    "target_group": ("målgruppe",),
    "team": ("team", "afdeling", "myndighed", "rådgiverteam"),
    "label": ("beskrivelse", "takstnavn", "betegnelse", "tekst"),
    "amount": ("takst", "pris", "beløb", "kr", "budget"),
    "unit": ("enhed", "takstenhed", "afregningsenhed", "pr"),
    "valid_from": ("gyldig fra", "gældende fra", "fra", "start", "ikrafttræden"),
    "valid_to": ("gyldig til", "gældende til", "til", "slut", "udløb"),
    "min_hours_per_week": ("timer fra", "min timer", "minimum", "fra timer", "timer min"),
    "max_hours_per_week": ("timer til", "maks timer", "max timer", "maksimum", "til timer", "timer maks"),
    "includes": ("indeholder", "inkluderet", "inklusive", "omfatter"),
    "date": ("dato", "udført", "leveret", "leveringsdato", "registreret", "besøgsdato"),
    "minutes": ("varighed", "minutter", "min", "tid", "timer", "forbrug", "tidsforbrug"),
    "assessed_on": ("udredningsdato", "vurderingsdato", "udredning", "vurdering", "dato"),
    "theme": ("tema", "funktionsområde", "ffb tema", "område"),
    "level": ("funktionsevneniveau", "funktionsevne", "niveau", "score"),
    "support_level": ("støttebehov", "støttebehovsniveau", "støtteniveau"),
    "year": ("år", "budgetår", "årstal", "takstår"),
    "area": ("område", "funktion", "paragraf", "budgetområde"),
    "factor": ("faktor", "indeks", "p l", "pl faktor", "prisindeks"),
    "name": ("tilbudsnavn", "leverandørnavn", "navn på tilbud", "tilbud", "leverandør"),
    "aliases": ("andre navne", "aliaser", "alias", "kaldes også"),
    "portal_id": ("tilbudsportalen", "portal id", "tilbudsnummer"),
    "task": ("opgave", "delindsats", "aktivitet", "opgavebeskrivelse", "handling", "indsatsbeskrivelse"),
    "minutes_per_week": ("minutter uge", "min uge", "tid uge", "tid ugentligt", "ugentlig tid", "minutter ugentligt")
    + ("tidsforbrug uge", "omfang"),
    "frequency": ("hyppighed", "frekvens", "antal gange", "gange pr", "gange uge", "interval"),
    "duration": ("varighed", "tid pr gang", "min pr gang", "minutter pr gang", "tidsforbrug pr gang", "tid gang"),
    "goal": ("indsatsmål", "delmål", "målsætning", "mål for", "formål"),
}

#: What a person's or staff member's name, or a free-text note, is called in a header: never loaded, guarded in reports.
SENSITIVE_CUES = (
    "navn",
    "medarbejder",
    "sagsbehandler",
    "notat",
    "note",
    "bemærk",
    "kommentar",
    "udreder",
    "ansvarlig",
    "initialer",
    "journal",
    "rådgiver",
    "kontaktperson",
    "telefon",
    "mail",
    "adresse",
)


def fit(kind: str, name: str, p: Profile) -> float:
    """How well a column's values fit a canonical column of a kind (0: they do not)."""
    if p.filled == 0:
        return 0.0
    scores = {
        "cpr": p["cpr"],
        "id": p["id"] * (1 - p["date"]) * (1 - p["cpr"]) if p["letters"] < 0.5 or p["id"] > 0.95 else 0.0,
        "text": p["letters"] * (1 - p["cpr"]) * (1 - p["date"]),
        "list": p["letters"] * (1 - p["cpr"]),
        "date": p["date"],
        "end": p["date"],
        "number": p["number"] * (1 - p["date"]) * (1 - p["cpr"]),
        "duration": p["duration"] * (1 - p["date"]),
        "paragraph": p["paragraph"] if p["law"] >= 0.5 or p["text"] < 0.5 else p["law"],
        "unit": p["unit"],
        "level": p["short"] * (1 - p["date"]) * (1 - p["cpr"]),
        "need_level": p["need"],
        "bool": max(p["bool"], p["int04"] * (p["small"] >= 1) * 0.8),
        "year": p["year"],
        "area": max(p["letters"], p["law"]) * (1 - p["date"]),
        "task_time": p["task_time"] * (1 - p["date"]) * (1 - p["cpr"]),  # a time per week: "90", "2 gange ugentligt à 45 min"
    }
    value = scores.get(kind, 0.0)
    if name == "frequency":  # "2 gange ugentligt", "dagligt", a number of times a week, or with the duration ("… à 45 min")
        value = max(p["frequency"], max(p["number"], p["task_time"]) * (1 - p["date"]) * (1 - p["cpr"]))
    if name == "duration":  # a task's time each time: "45 min", "1 time", "1:30", 45
        value = max(p["duration"], p["task_time"]) * (1 - p["date"]) * (1 - p["cpr"])
    if name == "factor":
        value *= 1.0 if p["year"] < 0.5 else 0.3
    if name in ("hours_per_week", "min_hours_per_week", "max_hours_per_week"):
        value *= 1.0 if p["year"] < 0.5 else 0.2
    return value


#: Minimum fit of the values for a column to be considered at all.
MIN_FIT = {"text": 0.5, "list": 0.5, "level": 0.8, "area": 0.5, "id": 0.8}


def header_score(column: Column, header: str) -> float:
    """How much a header names a canonical column: 1 for a known alias, less for a near or partial match."""
    h = norm_header(header)
    if not h:
        return 0.0
    names = {norm_header(a) for a in (column.name, *column.aliases)}
    if h in names:
        return 1.0
    words = h.split()
    best = max((difflib.SequenceMatcher(None, h, n).ratio() for n in names), default=0.0)
    score = best * 0.9 if best >= 0.85 else 0.0
    for cue in CUES.get(column.name, ()):
        parts = norm_header(cue).split()
        if parts and all(any(_word_has(w, part) for w in words) for part in parts):
            score = max(score, 0.85 if len(parts) > 1 or len(words) == 1 else 0.7)
    return score


def _word_has(word: str, part: str) -> bool:
    """A header word that starts with a cue, or ends with one of four letters or more: the last part of a Danish
    compound ("Bevillingsstart", "Udførelsesdato", "Leverancedato")."""
    return word.startswith(part) or (len(part) >= 4 and word.endswith(part))


#: Canonical columns whose values alone identify them, with the share of values needed.
BY_VALUES = {"cpr": ("cpr", 0.9), "paragraph": ("law", 0.8), "unit": ("unit", 0.9), "theme": ("theme", 0.6), "level": ("need", 0.95)}


def score(column: Column, p: Profile, table: str) -> float:
    """The combined evidence that a source column feeds a canonical column (0: it does not)."""
    value = fit(column.kind, column.name, p)
    if value < MIN_FIT.get(column.kind, 0.75):
        return 0.0
    head = header_score(column, p.header)
    by_value = BY_VALUES.get(column.name)
    if head == 0.0:
        if by_value is None or p[by_value[0]] < by_value[1] or (column.name == "level" and table != "assessments"):
            return 0.0
        return 0.5 * value
    return 0.7 * head + 0.3 * value


def looks_sensitive(p: Profile) -> bool:
    """A column that holds people's names or free text: by its header, or by values like 'Firstname Lastname'."""
    h = norm_header(p.header)
    if any(norm_header(s) == h for s in SENSITIVE) or any(w.startswith(c) for c in SENSITIVE_CUES for w in h.split()):
        return not any(k in h for k in ("tilbud", "leverandør", "udfører", "ydelse", "indsats"))
    return p.mean_length > 40 and p["letters"] > 0.8


@dataclass
class Choice:
    """One canonical column fed by one source column, with the evidence and the runner-up."""

    column: str
    source: str
    score: float
    runner_up: tuple[str, float] | None = None


@dataclass
class Reading:
    """One sheet read as one canonical table: the column choices, the wide block, and how well it fits."""

    table: str
    choices: dict[str, Choice]
    score: float
    wide: list[str] = field(default_factory=list)
    wide_key: str | None = None
    wide_value: str | None = None
    lacks: list[str] = field(default_factory=list)  # required columns not found (an orders sheet known by its core)


def _candidates(table: str, profiles: dict[str, Profile], skip: set[str]) -> list[tuple[float, str, str]]:
    """Every (score, canonical column, source column) with some evidence, best first."""
    out = []
    for c in TABLES[table]:
        for name, p in profiles.items():
            if name not in skip:
                s = score(c, p, table)
                if s > 0:
                    out.append((s, c.name, name))
    feeds = {src: sum(1 for _, _, o in out if o == src) for _, _, src in out}  # a source that fits fewer columns goes first
    return sorted(out, key=lambda t: (-t[0], feeds[t[2]], t[1], t[2]))


def assign(table: str, profiles: dict[str, Profile], skip: set[str] = frozenset()) -> dict[str, Choice]:  # type: ignore[assignment]
    """The best source column for each canonical column, each source used once (greedy on the evidence)."""
    cands = _candidates(table, profiles, skip)
    choices: dict[str, Choice] = {}
    used: set[str] = set()
    for s, col, src in cands:
        if col in choices or src in used:
            continue
        others = [(o_src, o_s) for o_s, o_col, o_src in cands if o_col == col and o_src != src]
        choices[col] = Choice(col, src, s, others[0] if others else None)
        used.add(src)
    return choices


#: A required column and what may stand in for it: a pseudonym for a CPR number, the loader's stand-ins (a provider's
#: name for its id), and a year for the validity dates of a rate.
STAND_INS = {"cpr": ("cpr", "citizen_id"), **{k: (k, v) for k, v in ALTERNATIVES.items()}, "valid_from": ("valid_from", "year")}


def required(table: str) -> list[tuple[str, ...]]:
    """The table's required columns, each with what may stand in for it."""
    need: list[tuple[str, ...]] = [STAND_INS.get(c.name, (c.name,)) for c in TABLES[table] if c.required]
    if table in CITIZEN_TABLES:
        need.append(STAND_INS["cpr"])
    return need


_WIDE_HEAD = re.compile(r"^(?P<prefix>.*?)(?:[\s_.:-]*(?P<key>(?:19|20)\d{2}|\d{1,2})|[\s_.:-]+(?P<letter>[A-Za-zÆØÅ]))$")
WIDE_KEYS = {"rates": ("rate_level", "amount"), "budget": ("year", "amount")}


def wide_key(header: str) -> tuple[str, str] | None:
    """A header's prefix and trailing key ("Takst 2" -> ("takst", "2"), "2025" -> ("", "2025")), unit in brackets ignored."""
    m = _WIDE_HEAD.match(re.sub(r"\s*\([^)]*\)\s*$", "", header).strip())
    if m is None or not (m["prefix"].strip() or m["key"]):
        return None
    return norm_header(m["prefix"]), m["key"] or m["letter"]


def wide_block(profiles: dict[str, Profile]) -> tuple[list[str], bool] | None:
    """Two or more number columns whose headers differ only in a trailing key (a level or a year): the columns, and
    whether the keys are years."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, p in profiles.items():
        found = wide_key(name)
        if found and p.filled and p["number"] >= 0.8 and p["date"] <= 0.2:
            groups.setdefault(found[0], []).append((name, found[1]))
    best = max((g for g in groups.values() if len(g) >= 2), key=len, default=None)
    if best is None:
        return None
    return [n for n, _ in best], all(re.fullmatch(r"(?:19|20)\d{2}", k) for _, k in best)


YEAR_IN_NAME = r"(?<!\d)((?:19|20)\d{2})(?!\d)"


def lacking(table: str, choices: dict[str, Choice], extra: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The required columns (or what may stand in for them) that no source column feeds."""
    have = set(choices) | extra
    return [group[0] for group in required(table) if not any(a in have for a in group)]


def _satisfied(table: str, choices: dict[str, Choice], extra: set[str]) -> bool:
    """Whether every required column (or what may stand in for it) is fed."""
    return not lacking(table, choices, extra)


#: An orders sheet known by its core whatever its other headers: a citizen, a provider and two dates (from and to).
ORDERS_CORE = (("cpr", "citizen_id"), ("provider_id", "provider_name"), ("start_date",), ("end_date",))


def _orders_core(choices: dict[str, Choice]) -> bool:
    """Whether a sheet has the orders' core columns (see ORDERS_CORE)."""
    return all(any(a in choices for a in group) for group in ORDERS_CORE)


def _named(table: str, choices: dict[str, Choice], column: str) -> bool:
    """Whether a canonical column is fed by a source column whose header names it."""
    spec = next(c for c in TABLES[table] if c.name == column)
    return column in choices and header_score(spec, choices[column].source) >= 0.6


#: A task list's time: a frequency, or a time per week (tasks.minutes_per_week); what a documentation export never has.
TASK_TIME = ("frequency", "minutes_per_week")


def has_frequency(profiles: dict[str, Profile]) -> bool:
    """Whether a sheet has a column of frequencies ("2 gange ugentligt", "dagligt") under a header that names a
    frequency or a time per week: a task list (indsatsliste), never documentation (a row per visit) nor assessments."""
    spec = {c.name: c for c in TABLES["tasks"]}
    return any(p["frequency"] >= 0.5 and max(header_score(spec[c], p.header) for c in TASK_TIME) >= 0.6 for p in profiles.values())


def _header_evidence(table: str, choices: dict[str, Choice], wide: bool) -> bool:
    """Optional tables are only proposed on headers that name them (their values alone say too little). A task list
    (indsatsliste) needs a task, an order id and a time (a frequency or a time per week), each named by its header."""
    if table == "tasks":
        return _named(table, choices, "task") and _named(table, choices, "order_id") and any(_named(table, choices, c) for c in TASK_TIME)
    if table not in ("citizens", "providers", "budget", "price_index"):
        return True
    spec = {c.name: c for c in TABLES[table]}
    named = [header_score(spec[c.column], c.source) >= 0.6 for c in choices.values()]
    if table == "citizens":
        return any(c in choices for c in ("target_group", "team")) and all(named)
    return all(named) and sum(named) + 2 * wide >= 2


def read_as(table: str, profiles: dict[str, Profile], names: tuple[str, ...]) -> Reading | None:
    """The sheet read as one table, or None when it cannot be: required columns unfed, or too little evidence."""
    wide = wide_block(profiles) if table in WIDE_KEYS else None
    skip = set(wide[0]) if wide else set()
    choices = assign(table, profiles, skip)
    extra: set[str] = set()
    key = value = None
    if wide:
        key, value = ("year" if wide[1] else WIDE_KEYS[table][0]), WIDE_KEYS[table][1]
        for col in (key, value):
            choices.pop(col, None)
        extra |= {key, value}
    if any(re.search(YEAR_IN_NAME, n) for n in names) and table in ("rates", "budget"):
        extra.add("year")
    lacks = lacking(table, choices, extra)
    if lacks and not (table == "orders" and _orders_core(choices)):
        return None
    if not _header_evidence(table, choices, bool(wide)):
        return None
    if table in ("deliveries", "assessments") and has_frequency(profiles):  # a task list with a date and a duration
        return None
    weights = {c.name: 2.0 if c.required else 1.0 for c in TABLES[table]}
    total = sum(ch.score * weights[ch.column] for ch in choices.values()) + (3.6 if wide else 0.0)
    return Reading(table, choices, total, wide[0] if wide else [], key, value, lacks)


MIN_SCORE = 3.0


def readings(profiles: dict[str, Profile], names: tuple[str, ...]) -> list[Reading]:
    """Every table a sheet with these columns (and sheet and file names) can be read as, best first."""
    found = [r for t in TABLES if (r := read_as(t, profiles, names)) is not None and r.score >= MIN_SCORE]
    return sorted(found, key=lambda r: (bool(r.lacks), -r.score))  # a whole reading before one that lacks columns


def closest(table: str, profiles: dict[str, Profile]) -> tuple[int, float, list[str]]:
    """How near a sheet comes to a table it was not read as: the required columns it lacks (fewest first), the
    evidence for those it has, and the list of the lacking ones."""
    choices = assign(table, profiles)
    lacks = lacking(table, choices)
    return len(lacks), -sum(c.score for c in choices.values()), lacks


def all_headers() -> tuple[str, ...]:
    """Every header name the product knows: what a header row below title rows is recognised by."""
    return tuple(dict.fromkeys([*(a for cols in TABLES.values() for c in cols for a in c.aliases), *SENSITIVE]))
