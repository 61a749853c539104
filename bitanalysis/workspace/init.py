"""`bitanalysis init`: a mapping file proposed from the exports in a data folder, with the evidence for every choice."""

from __future__ import annotations

import difflib
import glob
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.danish import number
from bitanalysis.core.errors import InputError
from bitanalysis.core.schema import TABLES
from bitanalysis.io import detect
from bitanalysis.io.detect import Profile, Reading
from bitanalysis.io.mapping import MAPPING_FILE, TableSource, expected_headers
from bitanalysis.io.providers import keys
from bitanalysis.io.read import EXCEL_SUFFIXES, RawSheet, ReadError, read_source
from bitanalysis.workspace.load import data_folder, label_of
from bitanalysis.workspace.write import write_table, write_text

if TYPE_CHECKING:
    from bitanalysis.workspace.workspace import Workspace

SUFFIXES = EXCEL_SUFFIXES | {".csv", ".txt", ".tsv"}
PROVIDERS_FILE = "tilbud.csv"
PROVIDERS_EXTRA = "tilbud_andre_navne.csv"  # beside a providers table of the folder's own
TABLE_NAMES = {
    "orders": "Bevillinger",
    "rates": "Takster",
    "deliveries": "Dokumentation (leverede ydelser)",
    "assessments": "Udredninger (VUM)",
    "citizens": "Borgere",
    "budget": "Budget",
    "price_index": "P/L-indeks",
    "tasks": "Indsatsliste (opgaver)",
    "providers": "Tilbud",
}
VALUE_WORDS = {
    "cpr": "CPR-numre",
    "id": "id'er",
    "text": "tekst",
    "list": "lister",
    "date": "datoer",
    "end": "datoer",
    "number": "tal",
    "duration": "varigheder",
    "paragraph": "paragraffer",
    "unit": "takstenheder",
    "level": "korte koder",
    "need_level": "funktionsevneniveauer",
    "bool": "ja/nej",
    "year": "årstal",
    "area": "områder",
    "task_time": "tider pr. uge",
}
#: What the values of a column are called where its kind says too little (a task's frequency and duration are text).
NAME_WORDS = {"frequency": "hyppigheder", "duration": "varigheder"}


@dataclass(eq=False)
class Seen:
    """One sheet (or CSV file) of the data folder, its columns' profiles and the tables it can be read as."""

    path: Path
    label: str
    raw: RawSheet
    profiles: dict[str, Profile]
    readings: list[Reading]

    @property
    def reading(self) -> Reading | None:
        """The table this sheet is read as (the best fit), if any."""
        return self.readings[0] if self.readings else None

    @property
    def where(self) -> str:
        """The file and sheet, as in messages."""
        return self.raw.where


@dataclass
class Survey:
    """Everything init saw in a data folder."""

    folder: Path
    seen: list[Seen]
    unreadable: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _ours(path: Path) -> bool:
    """A providers table init wrote itself (proposed again on a re-run, never read as the folder's own)."""
    if path.name == PROVIDERS_EXTRA:
        return True
    if path.name != PROVIDERS_FILE:
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        return fh.readline().strip() == "TilbudsID;Tilbudsnavn;Andre navne"


def _export_files(folder: Path) -> list[Path]:
    """The spreadsheets and CSV files of a data folder (hidden files, lock files and the mapping file left out)."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        hidden = any(part.startswith((".", "~$")) for part in rel.parts)
        if p.is_file() and not hidden and p.suffix.lower() in SUFFIXES and p.name != MAPPING_FILE and not _ours(p):
            out.append(p)
    return out


def survey(folder: Path) -> Survey:
    """Read every sheet of every export once, below its header row, and profile its columns (once per layout)."""
    found = Survey(folder, [])
    raws: list[tuple[Path, RawSheet]] = []
    for path in _export_files(folder):
        label = label_of(folder, path)
        found.files.append(label)
        try:
            raws += [(path, raw) for raw in read_source(path, label, sheet="*", expected=detect.all_headers())]
        except ReadError as exc:
            found.unreadable.append(str(exc))
    layouts: dict[tuple[str, ...], list[RawSheet]] = {}
    for _, raw in raws:
        layouts.setdefault(tuple(raw.frame.columns), []).append(raw)
    profiles = {cols: detect.profiles_of([r.frame for r in group]) for cols, group in layouts.items()}
    for path, raw in raws:
        shared = profiles[tuple(raw.frame.columns)]
        found.seen.append(Seen(path, raw.file, raw, shared, detect.readings(shared, (raw.sheet or "", path.stem))))
    return found


@dataclass
class Section:
    """One table's section of the proposed mapping, with the evidence behind it."""

    table: str
    seen: list[Seen]
    files: list[str] = field(default_factory=list)
    sheet: str | list[str] | None = None
    header: int | None = None
    columns: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    wide: dict[str, object] = field(default_factory=dict)
    from_name: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    sensitive: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def source(self) -> TableSource:
        """The section as the loader will read it (to check the header rows it will find)."""
        sheet = tuple(self.sheet) if isinstance(self.sheet, list) else self.sheet
        return TableSource(table=self.table, files=tuple(self.files), sheet=sheet, columns={k: tuple(v) for k, v in self.columns.items()})


def _file_patterns(folder: Path, labels: list[str]) -> list[str]:
    """The files as glob patterns with their numbers as wildcards (next month's export matches too), where the
    patterns match no other file; else the names themselves."""
    exact = [glob.escape(label) for label in labels]
    if len(labels) == 1:
        return exact
    patterns = list(dict.fromkeys(re.sub(r"\*+", "*", re.sub(r"\d+", "*", e)) for e in exact))
    matched = {label_of(folder, p) for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    return patterns if matched <= set(labels) else exact


def _sheet_spec(section: Section, survey: Survey) -> str | list[str] | None:
    """Which sheets to read: one name, every sheet ("*"), or a list where the workbooks hold other sheets too."""
    excel = {s.path for s in section.seen if s.path.suffix.lower() in EXCEL_SUFFIXES}
    if not excel:
        return None
    names = list(dict.fromkeys(str(s.raw.sheet) for s in section.seen if s.path in excel))
    if len(names) == 1:
        return names[0]
    others = [s for s in survey.seen if s.path in excel and s not in section.seen]
    return "*" if not others else names


def _evidence(table: str, column: str, profile: Profile, runner_up: tuple[str, float] | None) -> str:
    """The comment on one column choice: why, and what came second."""
    spec = next(c for c in TABLES[table] if c.name == column)
    head = detect.header_score(spec, profile.header)
    value = detect.fit(spec.kind, spec.name, profile)
    why = "kendt kolonnenavn" if head >= 1.0 else f"overskriften ligner ({head:.0%})" if head > 0 else "kendt på værdierne alene"
    words = NAME_WORDS.get(spec.name) or VALUE_WORDS.get(spec.kind, spec.kind)
    text = f"{why}; værdierne er {words} ({value:.0%})"
    if runner_up:
        text += f"; næstbedste: '{runner_up[0]}'"
    return text.replace("%", " %")


def _columns(section: Section) -> None:
    """Each canonical column's source names (the most used first), with the evidence of the first choice."""
    counts: dict[str, Counter] = {}
    for s in section.seen:
        reading = s.reading
        assert reading is not None
        for col, choice in reading.choices.items():
            counts.setdefault(col, Counter())[choice.source] += 1
            if col not in section.notes:
                section.notes[col] = _evidence(section.table, col, s.profiles[choice.source], choice.runner_up)
    order = [c.name for c in TABLES[section.table]]
    section.columns = {c: [n for n, _ in counts[c].most_common()] for c in order if c in counts}
    section.optional = [c for c in section.columns if sum(counts[c].values()) < len(section.seen)]


def _wide(section: Section, levels: set[str]) -> None:
    """The wide block: the columns that each hold one value for a level (or year) named in the header."""
    wide = [s.reading for s in section.seen if s.reading is not None and s.reading.wide]
    if not wide:
        return
    columns = list(dict.fromkeys(c for r in wide for c in r.wide))
    key, value = wide[0].wide_key, wide[0].wide_value
    spec: dict[str, object] = {"columns": columns, "value": value, "key": key}
    last_word = r"(\w+)\s*(?:\([^)]*\))?\s*$"
    tails = {m.group(1) for c in columns if (m := re.search(last_word, c))}
    if key == "year" or len(tails & levels) >= len(set(columns) & levels):
        spec["key_pattern"] = last_word
    section.wide = spec


def _from_name(section: Section) -> None:
    """A year taken from the sheet or file name, where a rate or budget sheet has neither dates nor a year column."""
    if section.table not in ("rates", "budget"):
        return
    for s in section.seen:
        r = s.reading
        assert r is not None
        has = set(r.choices) | ({r.wide_key} if r.wide_key else set())
        if not has & {"year", "valid_from"}:
            section.from_name = {"year": detect.YEAR_IN_NAME}
            return


NUMBER_KINDS = ("number", "duration", "year", "task_time")


def _formats(section: Section) -> None:
    """Number and duration conventions that differ from the defaults (decimal comma, minutes)."""
    comma = point = 0.0
    for s in section.seen:
        r = s.reading
        assert r is not None
        kinds = {c.name: c.kind for c in TABLES[section.table]}
        used = [s.profiles[ch.source] for col, ch in r.choices.items() if kinds[col] in NUMBER_KINDS]
        used += [s.profiles[c] for c in r.wide]
        comma += sum(p["decimal_comma"] * p.filled for p in used)
        point += sum(p["decimal_point"] * p.filled for p in used)
        minutes = r.choices.get("minutes") or r.choices.get("duration")  # documentation's minutes, a task's time each time
        if minutes is not None and _in_hours(s.profiles[minutes.source]):
            section.formats["duration_unit"] = "hours"
    if point > comma:
        section.formats |= {"decimal": ".", "thousands": ","}


def _in_hours(p: Profile) -> bool:
    """A duration column written in decimal hours: its header says hours (not minutes) and its cells are not h:mm."""
    words = detect.norm_header(p.header).split()
    hours = any(w.startswith(("time", "timer", "timetal")) or w == "t" for w in words)
    return hours and not any(w.startswith("min") for w in words) and p["hm"] < 0.5


def _leftovers(section: Section) -> None:
    """The columns no choice uses: those that look like names or notes go to `sensitive`, the rest are listed."""
    for s in section.seen:
        r = s.reading
        assert r is not None
        used = {ch.source for ch in r.choices.values()} | set(r.wide)
        for name, p in s.profiles.items():
            if name in used or p.filled == 0:
                continue
            target = section.sensitive if detect.looks_sensitive(p) else section.unmapped
            if name not in target:
                target.append(name)


def _header_rows(section: Section) -> None:
    """Check that the loader finds each sheet's header row from the mapping; where it would not, fix the row."""
    src = section.source()
    rows = set()
    for s in section.seen:
        if s.raw.header_row == 1:
            rows.add(1)
            continue
        again = read_source(s.path, s.label, sheet=s.raw.sheet or None, expected=expected_headers(src))
        found = next((r.header_row for r in again if r.sheet == s.raw.sheet), s.raw.header_row)
        if found != s.raw.header_row:
            section.checks.append(f"{s.where}: overskriften står i række {s.raw.header_row}; kontrollér 'header'")
        rows.add(s.raw.header_row)
    if section.checks and len(rows) == 1:
        section.header, section.checks = rows.pop(), []


def sections(survey: Survey) -> list[Section]:
    """One section per table the exports feed, in the contract's order."""
    by_table: dict[str, list[Seen]] = {}
    for s in survey.seen:
        if s.reading is not None:
            by_table.setdefault(s.reading.table, []).append(s)
    levels = _order_levels(by_table.get("orders", []))
    out = []
    for table in TABLES:
        if table not in by_table:
            continue
        section = Section(table, by_table[table])
        section.files = _file_patterns(survey.folder, list(dict.fromkeys(s.label for s in section.seen)))
        section.sheet = _sheet_spec(section, survey)
        _columns(section)
        _wide(section, levels)
        _from_name(section)
        _formats(section)
        _leftovers(section)
        _header_rows(section)
        out.append(section)
    _tie_tasks(out)
    return out


def _ids(sec: Section, column: str) -> set[str]:
    """The ids a section's sheets hold in a canonical column, digits without leading zeros (as the loader joins them)."""
    from bitanalysis.core.parse import parse_id

    out: set[str] = set()
    for s in sec.seen:
        choice = s.reading.choices.get(column) if s.reading else None
        if choice is not None:
            values = parse_id(s.raw.frame[choice.source]).values.dropna()
            out |= {(v.lstrip("0") or "0") if v.isdigit() else v for v in map(str, values)}
    return out


def _tie_tasks(secs: list[Section]) -> None:
    """A task list's rows belong to orders by the order's id: what to check where they will not tie up at load (no
    orders, orders without an id column, ids the orders do not have), and a time per week written in hours."""
    tasks = next((sec for sec in secs if sec.table == "tasks"), None)
    if tasks is None:
        return
    for s in tasks.seen:
        choice = s.reading.choices.get("minutes_per_week") if s.reading else None
        if choice is not None and _in_hours(s.profiles[choice.source]):
            tasks.checks.append(f"'{choice.source}' læses som minutter pr. uge, men overskriften siger timer; omregn til minutter")
            break
    orders = next((sec for sec in secs if sec.table == "orders"), None)
    column = "', '".join(tasks.columns.get("order_id", []))
    if orders is None or "order_id" not in orders.columns:
        why = "ingen fil ligner bevillinger" if orders is None else "bevillingerne har ingen kolonne med bevillings-id"
        tasks.checks.append(f"{why}; opgaverne kobles til bevillingerne på '{column}' og afvises uden dem")
        return
    wanted, known = _ids(tasks, "order_id"), _ids(orders, "order_id")
    unknown = sorted(wanted - known)
    if unknown:
        tasks.checks.append(
            f"{number(len(unknown))} af {number(len(wanted))} bevillings-id'er i '{column}' findes ikke i bevillingernes "
            f"'{', '.join(orders.columns['order_id'])}' (fx '{unknown[0]}'); deres opgaver afvises ved indlæsning"
        )


def _order_levels(seen: list[Seen]) -> set[str]:
    """The rate levels the orders name (to choose how a wide rate sheet's headers give the level)."""
    from bitanalysis.core.parse import parse_level

    levels: set[str] = set()
    for s in seen:
        choice = s.reading.choices.get("rate_level") if s.reading else None
        if choice is not None:
            levels |= set(parse_level(s.raw.frame[choice.source]).values.dropna())
    return levels


@dataclass
class Providers:
    """The providers init saw: names to write as a providers table (with proposed aliases), and names it could not tie."""

    known: dict[str, str] = field(default_factory=dict)  # provider id -> name
    aliases: dict[str, list[str]] = field(default_factory=dict)  # provider id -> other names seen
    unresolved: list[str] = field(default_factory=list)
    has_table: bool = False

    def frame(self) -> pd.DataFrame:
        """The providers table to write: id, name and the other names it goes by."""
        ids = sorted(self.known, key=str)
        return pd.DataFrame(
            {
                "TilbudsID": ids,
                "Tilbudsnavn": [self.known[i] for i in ids],
                "Andre navne": ["; ".join(self.aliases.get(i, [])) for i in ids],
            }
        )


_LEGAL = re.compile(r"\b(?:aps|a/s|a s|i/s|i s|s/i|s i|k/s|k s|fond|foreningen|selvejende institution|den selvejende institution)\b")


def _core(name: str) -> str:
    """A name without case, punctuation and legal form ("Solhuset ApS" -> "solhuset")."""
    text = _LEGAL.sub(" ", " ".join(name.casefold().split()))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _parts(name: str) -> set[str]:
    """A name's part in brackets and the rest ("Caroline (Marie Hjem)" -> "marie hjem", "caroline")."""
    inside = {_core(m) for m in re.findall(r"\(([^)]*)\)", name)}
    return (inside | {_core(re.sub(r"\([^)]*\)", " ", name))}) - {""} if inside else set()


def similarity(short: str, known: str) -> float:
    """How surely a name written one way is a known provider's name: 1 for the same name, less for a part of it."""
    a, b = _core(short), _core(known)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in _parts(known) or b in _parts(short):
        return 0.9
    ta, tb = set(a.split()), set(b.split())
    if (ta <= tb or tb <= ta) and all(len(t) >= 3 for t in ta & tb) and ta & tb:
        return 0.8
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio * 0.9 if ratio >= 0.85 else 0.0


def closest(name: str, known: dict[str, str]) -> str | None:
    """The one known provider (id) a name surely means, or None when none or two fit about as well."""
    ranked = sorted(((similarity(name, n), i) for i, n in known.items()), reverse=True)
    if not ranked or ranked[0][0] < 0.75:
        return None
    if len(ranked) > 1 and ranked[1][0] >= ranked[0][0] - 0.05 and ranked[1][1] != ranked[0][1]:
        return None
    return ranked[0][1]


def _provider_cells(s: Seen) -> tuple[pd.Series | None, pd.Series | None]:
    """A sheet's provider ids and names as the loader reads them (None where the sheet has no such column)."""
    from bitanalysis.core.parse import parse_id, parse_text

    r = s.reading
    assert r is not None
    ids = parse_id(s.raw.frame[r.choices["provider_id"].source]).values if "provider_id" in r.choices else None
    names = parse_text(s.raw.frame[r.choices["provider_name"].source]).values if "provider_name" in r.choices else None
    return ids, names


def _listed(sec: Section, found: Providers) -> None:
    """The providers a providers table in the folder already lists, by id and name."""
    from bitanalysis.core.parse import parse_id, parse_text

    for s in sec.seen:
        r = s.reading
        if r is not None and "provider_id" in r.choices and "name" in r.choices:
            ids = parse_id(s.raw.frame[r.choices["provider_id"].source]).values
            names = parse_text(s.raw.frame[r.choices["name"].source]).values
            both = ids.notna() & names.notna()
            for i, n in zip(ids[both], names[both]):
                found.known.setdefault(str(i), " ".join(str(n).split()))


def _name_refs(secs: list[Section], found: Providers) -> list[tuple[str, str]]:
    """Providers written by name without an id, as (table, name); every id written beside a name is learnt."""
    refs: list[tuple[str, str]] = []
    for sec in secs:
        if sec.table == "providers":
            found.has_table = True
            _listed(sec, found)
        if sec.table not in ("orders", "rates", "deliveries"):
            continue
        for s in sec.seen:
            ids, names = _provider_cells(s)
            if names is None:
                continue
            if ids is not None:
                both = ids.notna() & names.notna()
                for i, n in zip(ids[both], names[both]):
                    found.known.setdefault(str(i), " ".join(str(n).split()))
                names = names[ids.isna()]
            refs += [(sec.table, " ".join(str(n).split())) for n in names.dropna().unique()]
    return list(dict.fromkeys(refs))


def propose_providers(secs: list[Section]) -> Providers:
    """The providers table to propose: every provider seen with an id and a name, and the other names each goes by."""
    found = Providers()
    refs = _name_refs(secs, found)
    if not found.known:  # no export pairs an id with a name: the orders' names are the providers' ids
        found.known = {n: n for table, n in refs if table == "orders"}
    written = set(keys(pd.Series(list(found.known.values()), dtype="string")))
    taken: dict[str, set[str]] = {}
    for (_, name), key in zip(refs, keys(pd.Series([n for _, n in refs], dtype="string"))):
        if key in written or name in found.known:
            continue
        hit = closest(name, found.known)
        if hit is None:
            found.unresolved.append(name)
        elif key not in taken.setdefault(hit, set()):
            taken[hit].add(key)
            found.aliases.setdefault(hit, []).append(name)
    return found


def _q(text: str) -> str:
    """A TOML string: a literal '…' string for a pattern with backslashes, else a basic "…" string."""
    if "\\" in text and "'" not in text and "\n" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _value(value: object) -> str:
    """A TOML value: a string, a list of strings or a number."""
    if isinstance(value, list):
        return _q(value[0]) if len(value) == 1 else "[" + ", ".join(_q(str(v)) for v in value) + "]"
    return str(value) if isinstance(value, int) else _q(str(value))


def _comment(text: str) -> str:
    """A one-line TOML comment, CPR numbers hidden."""
    return "# " + hide_cpr(" ".join(text.split()))


def _where_text(sec: Section) -> str:
    """The sheets a section reads, shortened."""
    shown = [f"{s.where} (overskrift i række {s.raw.header_row}, {len(s.raw.frame)} rækker)" for s in sec.seen[:4]]
    more = f" og {len(sec.seen) - 4} flere" if len(sec.seen) > 4 else ""
    return "; ".join(shown) + more


def _choice_text(sec: Section) -> str:
    """Why the sheets were taken for this table, and the runner-up."""
    first = sec.seen[0].readings
    text = f"Genkendt på kolonnerne (evidens {first[0].score:.1f})".replace(".", ",")
    if len(first) > 1:
        return text + f"; næstbedste tabel: {TABLE_NAMES[first[1].table]} ({first[1].score:.1f})".replace(".", ",")
    return text + "; ingen anden tabel passer"


def _labels(table: str, columns: list[str]) -> str:
    """Canonical columns by their Danish names ("Paragraf, Ydelse og Startdato")."""
    names = [next((c.label for c in TABLES[table] if c.name == col), col) or col for col in columns]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def lacks_text(sec: Section) -> str | None:
    """What a section read on its core alone lacks, in one Danish line (None when it lacks nothing)."""
    lacks = next((s.reading.lacks for s in sec.seen if s.reading is not None and s.reading.lacks), [])
    if not lacks:
        return None
    return (
        f"{TABLE_NAMES[sec.table]} er genkendt på CPR, tilbud og to datoer i {sec.seen[0].where}, men kolonnen for "
        f"{_labels(sec.table, lacks)} blev ikke fundet; skriv kildekolonnens navn i [{sec.table}.columns]"
    )


#: The tables the match cannot do without.
MATCH_TABLES = ("orders", "rates", "deliveries")


def not_found(survey: Survey, secs: list[Section]) -> list[str]:
    """One Danish line per table the match needs that no sheet was read as: the sheet that came closest, and the
    columns it lacked."""
    have = {sec.table for sec in secs}
    lines = []
    for table in (t for t in MATCH_TABLES if t not in have):
        ranked = sorted((detect.closest(table, s.profiles), i) for i, s in enumerate(survey.seen))
        if not ranked:
            lines.append(f"{TABLE_NAMES[table]} blev ikke fundet: mappen har ingen ark at læse")
            continue
        (_, _, lacks), i = ranked[0]
        near = survey.seen[i]
        why = f"som mangler {_labels(table, lacks)}" if lacks else "hvis overskrifter ikke siger det sikkert nok"
        lines.append(
            f"{TABLE_NAMES[table]} blev ikke fundet. Nærmest kom {near.where}, {why}"
            + (f" (i dag læst som {TABLE_NAMES[near.reading.table].lower()})" if near.reading is not None else "")
        )
    return lines + [t for sec in secs if (t := lacks_text(sec))]


def _head_lines(sec: Section) -> list[str]:
    """The section's header comments and its top-level keys."""
    lines = ["", _comment(f"{TABLE_NAMES[sec.table]}: {_where_text(sec)}"), _comment(_choice_text(sec))]
    if lacks_text(sec):
        lines.append(_comment(f"Kontrollér: {lacks_text(sec)}"))
    if sec.unmapped:
        lines.append(_comment("Kolonner, der ikke bruges: " + ", ".join(f"'{c}'" for c in sec.unmapped)))
    lines += [_comment(f"Kontrollér: {c}") for c in sec.checks]
    lines += [f"[{sec.table}]", f"files = {_value(sec.files)}"]
    if sec.sheet is not None:
        lines.append(f"sheet = {_value(sec.sheet)}")
    lines.append(f"header = {sec.header}" if sec.header else 'header = "auto"')
    if sec.optional:
        lines.append(_comment("Kolonner, som kun nogle af arkene har (arkene er sat op forskelligt)"))
        lines.append(f"optional = {_value(sec.optional)}")
    if sec.sensitive:
        lines.append(_comment("Navne og fritekst: læses aldrig ind; rapporterne kontrollerer, at intet herfra optræder"))
        lines.append(f"sensitive = {_value(sec.sensitive)}")
    return lines


def _section_lines(sec: Section) -> list[str]:
    """One table's section of the mapping file, a comment on every choice."""
    lines = _head_lines(sec)
    if sec.formats:
        lines += [f"[{sec.table}.formats]"] + [f"{k} = {_value(v)}" for k, v in sec.formats.items()]
    lines.append(f"[{sec.table}.columns]")
    for col, names in sec.columns.items():
        lines.append(f"{col} = {_value(names)}  {_comment(sec.notes[col])}")
    if sec.wide:
        lines += [f"[{sec.table}.wide]", _comment("Én kolonne pr. niveau (eller år): niveauet står i overskriften")]
        lines += [f"{k} = {_value(v)}" for k, v in sec.wide.items()]
    if sec.from_name:
        lines += [f"[{sec.table}.from_name]", f"year = {_q(sec.from_name['year'])}  {_comment('årstallet i arkets eller filens navn')}"]
    return lines


def render(survey: Survey, secs: list[Section]) -> str:
    """The mapping file's text."""
    used = {s.where for sec in secs for s in sec.seen}
    unused = [s.where for s in survey.seen if s.where not in used]
    lines = [
        _comment("Mappingfil foreslået af `bitanalysis init` ud fra eksporterne i mappen."),
        _comment("Hvert valg har en kommentar: hvad det bygger på, og hvad der kom på andenpladsen. Læs dem, ret det,"),
        _comment("der er forkert, og kør `bitanalysis validate` på mappen. Se README, afsnittet 'Your own data'."),
    ]
    if unused:
        lines.append(_comment("Ark og filer, der ikke ligner en af tabellerne (bruges ikke): " + "; ".join(unused)))
    lines += [_comment(f"Kunne ikke læses: {u}") for u in survey.unreadable]
    lines += ["version = 1", "", "[formats]", 'decimal = ","', 'thousands = "."', 'date_format = "auto"']
    lines += ['duration_unit = "minutes"', 'encoding = "auto"', 'delimiter = "auto"']
    for sec in secs:
        lines += _section_lines(sec)
    return "\n".join(lines) + "\n"


PROVIDERS_SECTION = f"""
# Tilbud: foreslået af init ud fra de tilbud, eksporterne nævner ({PROVIDERS_FILE}). Et tilbud skrevet med navn eller
# forkortet navn kobles til sit id gennem 'Andre navne'; ret eller tilføj navne i filen, og kør validate igen.
[providers]
files = "{PROVIDERS_FILE}"
[providers.columns]
provider_id = "TilbudsID"
name = "Tilbudsnavn"
aliases = "Andre navne"
"""


class InitError(InputError):
    """init cannot write a mapping: one exists already, or nothing in the folder looks like an export."""


@dataclass
class Proposal:
    """What init wrote: the mapping's sections, the providers it proposed, and what to check by hand."""

    survey: Survey
    sections: list[Section]
    providers: Providers
    mapping_path: Path
    providers_path: Path | None = None

    @property
    def not_found(self) -> list[str]:
        """The tables the match needs that init did not find, or found without all their columns (Danish lines)."""
        return not_found(self.survey, self.sections)


def _write_providers(folder: Path, providers: Providers, secs: list[Section], force: bool) -> Path:
    """Write the proposed providers table; beside a providers table of the folder's own, only the names to add, as a
    second file of its section."""
    written = folder / (PROVIDERS_EXTRA if providers.has_table else PROVIDERS_FILE)
    if written.exists() and not force:
        raise InitError(f"{written} findes allerede; init overskriver den kun med --force")
    frame = providers.frame()
    if providers.has_table:
        frame = frame[frame["Andre navne"] != ""]
        sec = next(s for s in secs if s.table == "providers")
        sec.files.append(PROVIDERS_EXTRA)
        for col, header in (("provider_id", "TilbudsID"), ("name", "Tilbudsnavn"), ("aliases", "Andre navne")):
            sec.columns.setdefault(col, []).append(header)
            sec.notes.setdefault(col, "foreslået af init")
        sec.optional = list(dict.fromkeys([*sec.optional, "aliases"]))
        sec.checks.append(f"{PROVIDERS_EXTRA}: andre navne, som init har koblet til tilbuddene; kontrollér koblingerne")
    return write_table(frame, written)


def init_folder(path: str | Path, *, force: bool = False) -> Proposal:
    """Propose and write a data folder's mapping file (and a providers table where names must be tied to ids)."""
    folder = data_folder(path)
    target = folder / MAPPING_FILE
    if target.exists() and not force:
        raise InitError(f"{target} findes allerede; init overskriver den kun med --force (gem en kopi først, hvis du har rettet i den)")
    found = survey(folder)
    secs = sections(found)
    if not secs:
        raise InitError(f"ingen af de {len(found.files)} filer i {folder} ligner bevillinger, takster, dokumentation eller udredninger")
    providers = propose_providers(secs)
    written = _write_providers(folder, providers, secs, force) if providers.aliases else None
    text = render(found, secs)
    if written is not None and not providers.has_table:
        text += PROVIDERS_SECTION
    write_text(text, target)
    return Proposal(found, secs, providers, target, written)


REQUIRED = ("orders", "rates", "deliveries", "assessments")


def _weak(secs: list[Section]) -> list[str]:
    """Column choices made on little evidence: a header that only resembles the name, or the values alone."""
    out = []
    for sec in secs:
        for s in sec.seen[:1]:
            r = s.reading
            assert r is not None
            out += [
                f"[{sec.table}.columns] {c.column} = '{c.source}' ({sec.notes[c.column]})" for c in r.choices.values() if c.score < 0.85
            ]
    return out


def _to_check(proposal: Proposal) -> list[str]:
    """What a person should look at by hand, in Danish."""
    lines = _weak(proposal.sections)
    lines += [f"tilbuddet '{n}' kunne ikke kobles til et kendt tilbud; tilføj det i en tilbudstabel" for n in proposal.providers.unresolved]
    for sec in proposal.sections:
        lines += [f"[{sec.table}] {c}" for c in sec.checks]
        if sec.sensitive:
            lines.append(f"[{sec.table}] kolonner markeret som navne/fritekst (læses ikke ind): {', '.join(sec.sensitive)}")
    used = {s.where for sec in proposal.sections for s in sec.seen}
    lines += [f"bruges ikke (ligner ingen tabel): {s.where}" for s in proposal.survey.seen if s.where not in used]
    lines += [f"kunne ikke læses: {u}" for u in proposal.survey.unreadable]
    if proposal.providers_path is not None:
        names = sum(len(v) for v in proposal.providers.aliases.values())
        lines.append(f"{proposal.providers_path.name}: {names} navne er koblet til et tilbud som 'Andre navne'; kontrollér koblingerne")
    return lines


def summary(proposal: Proposal, ws: Workspace) -> str:
    """The short Danish summary init prints after validating: rows per table, what the match lacks, what to check."""
    files = ws.load_report.files
    lines = ["Tabeller (rækker indlæst):"]
    for sec in proposal.sections:
        rows = int(files.loc[files["table"] == sec.table, "rows_accepted"].sum())
        lines.append(f"  {TABLE_NAMES[sec.table]:<34} {number(rows):>10}   {', '.join(sec.files)}")
    missing = [TABLE_NAMES[t] for t in REQUIRED if t not in {s.table for s in proposal.sections}]
    if missing:
        lines.append(f"Mangler for matchet: {', '.join(missing)} (ingen fil ligner dem; tilføj dem i mappingen)")
    check = _to_check(proposal)
    if check:
        lines += ["Kontrollér i hånden:"] + [f"  - {hide_cpr(c)}" for c in check]
    errors = ws.load_report.errors
    if len(errors):
        lines.append(f"Validering: {len(errors)} problem(er) i data, efter årsag:")
        lines += ws.load_report.cause_lines(limit=8)
    else:
        lines.append("Validering: ingen problemer; alle rækker er læst.")
    return "\n".join(lines)
