"""The sections of the mapping `bitanalysis init` proposes: one per table the exports feed, with its files as patterns,
its sheets, header row, columns (and the evidence for each choice), wide block, year from the name, number formats,
sensitive and unused columns, and what to check by hand (a header row the loader would miss, tasks that do not tie up
with the orders).
"""

from __future__ import annotations

import glob
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bitanalysis.core.danish import number
from bitanalysis.core.schema import TABLES
from bitanalysis.io import detect
from bitanalysis.io.mapping import TableSource, expected_headers
from bitanalysis.io.profile import Profile, norm_header
from bitanalysis.io.read import EXCEL_SUFFIXES, read_source
from bitanalysis.workspace.init_survey import Seen, Survey
from bitanalysis.workspace.load import label_of

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
    words = norm_header(p.header).split()
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
    from bitanalysis.core.parse_codes import parse_level

    levels: set[str] = set()
    for s in seen:
        choice = s.reading.choices.get("rate_level") if s.reading else None
        if choice is not None:
            levels |= set(parse_level(s.raw.frame[choice.source]).values.dropna())
    return levels
