"""The canonical-column step: one raw sheet's columns found, parsed by kind and checked, into canonical rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import NamedTuple

import pandas as pd

from bitanalysis.core import parse, parse_codes, parse_time
from bitanalysis.core.errors import error_frame, error_line, safe_value, where
from bitanalysis.core.parse import Parsed
from bitanalysis.core.privacy import birth_year, cpr_digits, has_cpr, pseudonymise
from bitanalysis.core.schema import ALTERNATIVES, CITIZEN_TABLES, COUNTS, TABLES, Column, concat, conform, empty
from bitanalysis.io.mapping import TableSource, Wide, first_group
from bitanalysis.io.read import RawSheet
from bitanalysis.io.validate import check, label_unit_errors


class Kind(NamedTuple):
    """How a kind of column is read: what a bad cell is not, what was expected, and the parser (None: read by `parse_column`)."""

    not_a: str
    expected: str
    parser: Callable[[pd.Series], Parsed] | None = None


KINDS = {
    "id": Kind("en gyldig id", parse.EXPECTED_ID, parse.parse_id),
    "text": Kind("en gyldig tekst", parse.EXPECTED_TEXT, parse.parse_text),
    "date": Kind("en gyldig dato", ""),
    "end": Kind("en gyldig dato", ""),
    "number": Kind("et gyldigt tal", parse.EXPECTED_NUMBER),
    "duration": Kind("en gyldig varighed", parse_time.EXPECTED_DURATION),
    "paragraph": Kind("en kendt paragraf", parse_codes.EXPECTED_PARAGRAPH, parse_codes.parse_paragraph),
    "area": Kind("et gyldigt område", ""),
    "unit": Kind("en takstenhed, kontrakten kender", parse_codes.EXPECTED_UNIT, parse_codes.parse_unit),
    "level": Kind("et gyldigt niveau", parse_codes.EXPECTED_LEVEL, parse_codes.parse_level),
    "need_level": Kind("et gyldigt funktionsevneniveau", parse_codes.EXPECTED_NEED_LEVEL, parse_codes.parse_need_level),
    "bool": Kind("ja eller nej", parse.EXPECTED_BOOL, parse.parse_bool),
    "list": Kind("en gyldig liste", parse.EXPECTED_LIST, parse.parse_list),
    "names": Kind("en gyldig liste af navne", parse.EXPECTED_NAMES, parse.parse_names),
    "year": Kind("et gyldigt årstal", "et årstal, fx 2026"),
    "cpr": Kind("et CPR-nummer", "et CPR-nummer med 10 cifre (DDMMÅÅ-XXXX)"),
    "task_time": Kind("en tid pr. uge", parse_time.EXPECTED_TASK_TIME, parse_time.parse_task_time),
}

#: The columns that give a row of each table an identity of its own: a totals row has none of them filled.
IDENTITY = {
    "orders": ("cpr", "citizen_id", "order_id"),
    "deliveries": ("cpr", "citizen_id"),
    "assessments": ("cpr", "citizen_id"),
    "citizens": ("cpr", "citizen_id"),
    "rates": ("rate_level",),
    "budget": ("area",),
    "price_index": ("year",),
    "providers": ("provider_id",),
    "tasks": ("order_id",),
}


@dataclass
class Piece:
    """One source's contribution to a table: accepted rows, problems and row counts."""

    frame: pd.DataFrame
    errors: pd.DataFrame
    report: pd.DataFrame


def empty_piece(table: str, file: str, errors: pd.DataFrame | None = None) -> Piece:
    """A source that gave no rows (unreadable, or no sheets), with its problems."""
    problem = errors["message"].iloc[0] if errors is not None and len(errors) else None
    report = pd.DataFrame([{"table": table, "file": file, "sheet": None, **dict.fromkeys(COUNTS, 0), "problem": problem}])
    return Piece(empty(table), error_frame([]) if errors is None else errors, report)


def _area(values: pd.Series) -> Parsed:
    """A budget area: a paragraph where the text names one ("SEL-107", "§ 85"), else the text as written."""
    text = parse.parse_text(values).values
    legal = text.str.contains(r"§|^\s*(?:SEL|ABL|BL)\b", regex=True).fillna(False)
    area = parse_codes.parse_paragraph(values).values.where(legal).fillna(text)
    area = area.mask(text.str.casefold().isin(["total", "hele området"]), "total")
    return Parsed(area, pd.Series(False, index=values.index))


def _year(values: pd.Series, decimal: str) -> Parsed:
    """A whole year between 1900 and 2100."""
    p = parse.parse_number(values, decimal=decimal, thousands="")
    ok = p.values.isna() | ((p.values % 1 == 0) & p.values.between(1900, 2100))
    return Parsed(p.values.where(ok).astype("Int64"), p.bad | ~ok)


def parse_column(kind: str, values: pd.Series, src: TableSource, key: bytes) -> tuple[pd.Series, pd.Series, str]:
    """Parse one column by kind: values, the mask of unreadable cells, and the Danish text of what was expected."""
    f = src.formats
    if kind in ("date", "end"):
        p = parse_time.parse_date(values, f.date_format)
        bad = p.bad
        if kind == "end":  # an end date in the year 9999 is how many systems write "open-ended"
            bad = bad & ~values.astype("string").str.contains("9999", regex=False).fillna(False)
        return p.values, bad, parse_time.expected_date(f.date_format)
    if kind == "cpr":
        ids, bad = pseudonymise(values, key)
        return ids, bad, KINDS[kind].expected
    readers: dict[str, Callable[[], Parsed]] = {
        "number": lambda: parse.parse_number(values, decimal=f.decimal, thousands=f.thousands),
        "duration": lambda: parse_time.parse_duration(values, unit=f.duration_unit, decimal=f.decimal),
        "task_time": lambda: parse_time.parse_task_time(values, unit=f.duration_unit),
        "year": lambda: _year(values, f.decimal),
        "area": lambda: _area(values),
    }
    parser = KINDS[kind].parser
    p = readers[kind]() if kind in readers else parser(values)  # type: ignore[misc]
    return p.values, p.bad, KINDS[kind].expected


def match_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    """The first candidate name present among the columns, ignoring case and runs of whitespace."""
    norm = {" ".join(c.split()).casefold(): c for c in columns}
    return next((norm[k] for k in (" ".join(c.split()).casefold() for c in candidates) if k in norm), None)


def _missing_columns(found: dict[str, str | None], table: str, src: TableSource) -> list[Column]:
    """The columns the table needs (or the mapping names and does not mark optional) that the sheet lacks."""
    specs = TABLES[table]
    given = {name for name, col in found.items() if col is not None} | set(src.constants)
    stand_in = {c.name for c in specs if ALTERNATIVES.get(c.name) in given}  # a provider named, not numbered
    named = {n for n in src.columns if n not in src.optional}  # a mapped column must be there, unless marked optional
    missing = [c for c in specs if c.name not in given and ((c.required and c.name not in stand_in) or c.name in named)]
    if table in CITIZEN_TABLES and found.get("cpr") is None and found.get("citizen_id") is None:
        missing.append(next(c for c in specs if c.name == "cpr"))
    return missing


def _repeated_columns(found: dict[str, str | None], columns: list[str], src: TableSource) -> list[tuple[str, str]]:
    """Canonical columns whose source name stands twice in the header (renamed "X (2)"), where the mapping does not
    say which to use: (the name, the second one)."""
    names = {c.casefold() for c in columns}
    out = []
    for name, col in found.items():
        second = f"{col} (2)"
        chosen = {n.casefold() for n in src.columns.get(name, ())}
        if col is not None and second.casefold() in names and col.casefold() not in chosen:
            out.append((col, second))
    return out


def _repeated_sheet(raw: RawSheet, table: str, repeated: list[tuple[str, str]], stats: dict) -> Piece:
    """A sheet whose needed column stands twice: one error line naming both, every row rejected."""
    errors = [
        error_line(
            table,
            raw.file,
            raw.sheet,
            raw.header_row,
            col,
            "",
            "én kolonne med det navn, eller mappingen siger hvilken",
            f"kolonnen '{col}' står to gange i overskriftsrækken; skriv i mappingen hvilken der skal bruges "
            f"('{col}' eller '{second}'); arkets {len(raw.frame)} rækker er afvist",
        )
        for col, second in repeated
    ]
    return _unusable(table, errors, stats, len(raw.frame))


def _unusable(table: str, errors: list[dict], stats: dict, rows: int) -> Piece:
    """A source none of whose rows can be used: all rejected, with the first problem as the source's problem (none for a
    sheet without data rows: nothing of the table is lost)."""
    problem = errors[0]["message"] if rows else None
    stats |= {"totals_skipped": 0, "rows_rejected": rows, "duplicates_removed": 0, "rows_accepted": 0, "problem": problem}
    return Piece(empty(table), error_frame(errors), pd.DataFrame([stats]))


def _rejected_sheet(raw: RawSheet, table: str, src: TableSource, missing: list[Column], stats: dict) -> Piece:
    """A sheet without a needed column: one error line per missing column, every row rejected."""
    errors = []
    for c in missing:
        wanted = " / ".join(dict.fromkeys(src.sources_for(c.name)[:4]))
        errors.append(
            error_line(
                table,
                raw.file,
                raw.sheet,
                raw.header_row,
                c.label,
                "",
                f"en kolonne med navnet {wanted}",
                f"kolonnen '{c.label}' mangler i overskriftsrækken (forventet en af: {wanted}); arkets {len(raw.frame)} rækker er afvist",
            )
        )
    return _unusable(table, errors, stats, len(raw.frame))


def _totals_rows(frame: pd.DataFrame, used: dict[str, pd.Series], table: str) -> pd.Series:
    """Totals rows: a cell in any column says so (I alt, Total, Sum, … as the whole cell or its leading words), and the
    row carries no citizen, order or other identity of its own (its identity cells are blank or the label itself)."""
    own = [used[c] for c in IDENTITY[table] if c in used]
    candidate = pd.Series(True, index=frame.index)
    for cells in own:
        candidate &= parse.is_blank(cells) | parse.is_totals_label(cells)
    rows = frame.loc[candidate]
    labelled = pd.Series(False, index=rows.index)
    if rows.empty:  # every row has an identity of its own
        return labelled.reindex(frame.index, fill_value=False).astype(bool)
    for col in rows.columns:
        labelled |= parse.is_totals_label(rows[col])
    return labelled.reindex(frame.index, fill_value=False).astype(bool)


class _Sheet:
    """The state of one sheet's canonical step: the parsed columns, error lines and the rows left out so far."""

    def __init__(self, raw: RawSheet, table: str, used: dict[str, pd.Series], found: dict[str, str]):
        self.raw, self.table, self.used, self.found = raw, table, used, found
        self.out = pd.DataFrame(index=raw.frame.index)
        self.errors: list[dict] = []
        self.totals = _totals_rows(raw.frame, {k: v for k, v in used.items() if k not in raw.from_header}, table)
        self.bad = self.totals.copy()

    def citizen(self, i: object) -> object:
        """The pseudonym of a row, where the sheet has one (for error lines)."""
        return self.out["citizen_id"].get(i) if "citizen_id" in self.out else None

    def reject(self, rows: pd.Series, column: str, expected: str, problem: str | Callable[[str], str], cells: pd.Series | str = "") -> None:
        """One error line for each marked row, showing its cell (or the given text); the rows are left out."""
        for i in rows[rows].index:
            shown = safe_value(cells.at[i]) if isinstance(cells, pd.Series) else cells
            text = problem if isinstance(problem, str) else problem(shown)
            line = error_line(
                self.table, self.raw.file, self.raw.sheet, int(self.raw.rows.at[i]), column, shown, expected, text, self.citizen(i)
            )
            self.errors.append(line)
        self.bad |= rows


def _unreadable(not_a: str, expected: str) -> Callable[[str], str]:
    """The message for a cell that could not be read, given the value shown."""
    return lambda shown: f"'{shown}' er ikke {not_a} (forventet {expected})"


def _parse_cells(sheet: _Sheet, src: TableSource, key: bytes) -> None:
    """Parse every used column by kind; unreadable cells become error lines (CPR values never shown)."""
    for c in TABLES[sheet.table]:
        if c.name not in sheet.used:
            continue
        cells = sheet.used[c.name]
        values, bad, expected = parse_column(c.kind, cells, src, key)
        sheet.out["citizen_id" if c.kind == "cpr" else c.name] = values
        bad = bad & ~sheet.totals
        if c.kind == "cpr":
            hidden = f"cellen er ikke {KINDS[c.kind].not_a} (forventet {expected}; værdien vises ikke af hensyn til persondata)"
            sheet.reject(bad, sheet.found[c.name], expected, hidden, "(skjult)")
        else:
            sheet.reject(bad, sheet.found[c.name], expected, _unreadable(KINDS[c.kind].not_a, expected), cells)


def _cpr_in_text(sheet: _Sheet) -> None:
    """A CPR number typed into a text column (a service, a name, a theme): the row is refused, the value never shown."""
    for c in TABLES[sheet.table]:
        if c.kind in ("text", "list", "names") and c.name in sheet.used:
            found = has_cpr(sheet.used[c.name]) & ~sheet.bad
            sheet.reject(
                found,
                sheet.found[c.name],
                "tekst uden CPR-numre",
                "cellen ser ud til at indeholde et CPR-nummer (vises ikke af hensyn til persondata); fjern det i kildefilen",
                "(skjult)",
            )


def _required_cells(sheet: _Sheet) -> None:
    """Required values that are simply empty, and citizen rows without a CPR number or pseudonym."""
    for c in TABLES[sheet.table]:
        filled = [n for n in (c.name, ALTERNATIVES.get(c.name, "")) if n and n in sheet.out]  # an id or, in its place, a name
        if c.required and filled:
            empty_cells = pd.concat([sheet.out[n].isna() for n in filled], axis=1).all(axis=1) & ~sheet.bad
            sheet.reject(empty_cells, sheet.found[filled[0]], "en værdi", "cellen er tom, men skal udfyldes")
    if sheet.table in CITIZEN_TABLES:
        no_id = sheet.out["citizen_id"].isna() & ~sheet.bad
        col = sheet.found.get("cpr") or sheet.found.get("citizen_id") or ""
        sheet.reject(no_id, col, "et CPR-nummer", "rækken har intet CPR-nummer og kan ikke knyttes til en borger")


def _task_times(sheet: _Sheet, src: TableSource) -> None:
    """Tasks: minutes per week from the frequency and duration cells ("2 gange ugentligt" × "45 min"), where the row has
    no time per week of its own; a time that cannot be read is an error line (the row is left out)."""
    if sheet.table != "tasks" or not {"frequency", "duration"} & set(sheet.out):
        return
    empty = pd.Series(pd.NA, index=sheet.out.index, dtype="string")
    frequency, duration = (sheet.out[c].astype("string") if c in sheet.out else empty for c in ("frequency", "duration"))
    frequency = frequency.where(~frequency.str.fullmatch(r"\d+([.,]\d+)?").fillna(False), frequency + " gange ugentligt")
    minutes = (
        parse_time.parse_duration(sheet.used["duration"], unit=src.formats.duration_unit, decimal=src.formats.decimal).values
        if "duration" in sheet.used
        else None
    )
    if minutes is not None:  # a plain duration ("45", "1:30", an Excel time) in minutes; a text one ("45 min") as written
        duration = duration.where(minutes.isna(), minutes.map(lambda m: f"{m:g} min" if pd.notna(m) else None).astype("string"))
    text = frequency.fillna("").str.cat(duration.fillna(""), sep=" ").str.strip().replace("", pd.NA)
    given = sheet.out["minutes_per_week"] if "minutes_per_week" in sheet.out else pd.Series(float("nan"), index=sheet.out.index)
    wanted = given.isna() & text.notna() & ~sheet.bad
    weekly = text[wanted].map(lambda t: parse_time.task_minutes(t)).astype("float64")
    column = sheet.found.get("frequency") or sheet.found.get("duration") or ""
    shown = text.fillna("")
    sheet.reject(
        weekly.isna().reindex(sheet.out.index, fill_value=False),
        column,
        parse_time.EXPECTED_TASK_TIME,
        _unreadable("en hyppighed og varighed", parse_time.EXPECTED_TASK_TIME),
        shown,
    )
    sheet.out["minutes_per_week"] = given.where(~wanted, weekly.reindex(sheet.out.index)).astype("float64")


def _dated_by_year(c: Column, found: dict[str, str | None], src: TableSource) -> bool:
    """A rate sheet needs no valid_from column where it gives a year (column, constant or sheet or file name)."""
    return src.table == "rates" and c.name == "valid_from" and (found.get("year") is not None or "year" in src.constants)


def _year_dates(sheet: _Sheet) -> None:
    """Rates: valid_from 1 January and valid_to 31 December of the row's year, where the row has no dates of its own."""
    if sheet.table != "rates" or "year" not in sheet.out:
        return
    year = sheet.out["year"].astype("string")
    # A row with its own 'gyldig fra' keeps its own (perhaps open) end: the year only dates rows without dates.
    dated = ~parse.is_blank(sheet.used["valid_from"]) if "valid_from" in sheet.used else pd.Series(False, index=year.index)
    for name, day in (("valid_from", "-01-01"), ("valid_to", "-12-31")):
        dates = pd.Series(pd.to_datetime(year + day, format="%Y-%m-%d", errors="coerce"), index=year.index)
        if name in sheet.used:
            sheet.out[name] = sheet.out[name].mask(parse.is_blank(sheet.used[name]) & ~dated, dates)
        else:
            sheet.out[name], sheet.found[name] = dates.mask(dated), sheet.found["year"]


def _from_name(raw: RawSheet, src: TableSource) -> tuple[RawSheet, TableSource]:
    """[<table>.from_name]: the columns a sheet lacks, found in its sheet's name (else its file's) and given every row."""
    if not src.from_name:
        return raw, src
    frame, columns = raw.frame.copy(), dict(src.columns)
    for name, pattern in src.from_name.items():
        if name in src.constants or match_column(list(raw.frame.columns), src.sources_for(name)) is not None:
            continue
        for text, origin in ((raw.sheet, "arkets navn"), (PurePosixPath(raw.file).stem, "filens navn")):
            value = first_group(pattern, text) if text else None
            if value is not None:
                label = f"{next(c.label for c in TABLES[src.table] if c.name == name)} (fra {origin})"
                frame[label], columns[name] = value, (label,)
                break
    return replace(raw, frame=frame), replace(src, columns=columns, from_name={})


def _wide_headers(raw: RawSheet, wide: Wide) -> list[str]:
    """The sheet's columns that [<table>.wide] names (none: the sheet is read as a long one)."""
    return [c for c in raw.frame.columns if wide.matches(c)]


def _wide_parts(raw: RawSheet, src: TableSource, wide: Wide, headers: list[str]) -> list[tuple[RawSheet, TableSource]]:
    """One long sheet per wide column: its filled cells feed `value`, its header's key `key`; the other columns come along."""
    carried = [c for c in raw.frame.columns if c not in headers]
    parts = []
    for h in headers:
        filled = ~parse.is_blank(raw.frame[h])
        label = f"{h} (overskrift)"
        frame = raw.frame.loc[filled, carried].assign(**{h: raw.frame.loc[filled, h], label: wide.key_of(h)})
        rows = raw.rows.loc[filled].reset_index(drop=True)
        part = RawSheet(frame.reset_index(drop=True), raw.file, raw.sheet, raw.header_row, rows, 0, (wide.key,))
        parts.append((part, replace(src, wide=None, columns={**src.columns, wide.value: (h,), wide.key: (label,)})))
    return parts


def _blank_wide_cells(raw: RawSheet, headers: list[str]) -> int:
    """A wide sheet's blank rows besides the empty ones: each blank wide cell beside a filled one, and once each row
    whose wide cells are all blank."""
    cells = pd.DataFrame({h: parse.is_blank(raw.frame[h]) for h in headers}, index=raw.frame.index)
    none = cells.all(axis=1)
    return int(cells.loc[~none].to_numpy().sum() + none.sum())


def _wide_layout(raw: RawSheet, table: str, parts: list[tuple[RawSheet, TableSource]], stats: dict) -> Piece | None:
    """A wide sheet's missing or repeated columns, checked once for all its wide columns (None: none)."""
    part, src = parts[0]
    found = {c.name: match_column(list(part.frame.columns), src.sources_for(c.name)) for c in TABLES[table]}
    whole = replace(raw, frame=pd.DataFrame(index=range(stats["rows_read"])))
    missing = [c for c in _missing_columns(found, table, src) if not _dated_by_year(c, found, src)]
    if missing:
        return _rejected_sheet(whole, table, src, missing, stats)
    repeated = _repeated_columns(found, list(part.frame.columns), src)
    return _repeated_sheet(whole, table, repeated, stats) if repeated else None


def _wide_piece(raw: RawSheet, table: str, parts: list[tuple[RawSheet, TableSource]], headers: list[str], key: bytes) -> Piece:
    """A wide sheet as long rows (one per filled wide cell) in Excel order, each error once, one load-report row."""
    stats = {"table": table, "file": raw.file, "sheet": raw.sheet, "rows_read": sum(len(p.frame) for p, _ in parts)}
    stats["blank_rows"] = raw.blank_rows + _blank_wide_cells(raw, headers)
    layout = _wide_layout(raw, table, parts, stats)
    if layout is not None:
        return layout
    pieces = [canonical(p, table, s, key) for p, s in parts]
    frame = concat([p.frame for p in pieces], table).sort_values("source_row", kind="stable").reset_index(drop=True)
    found = [p.errors for p in pieces if len(p.errors)]
    errors = pd.concat(found, ignore_index=True).drop_duplicates("message") if found else error_frame([])
    counts = pd.concat([p.report for p in pieces], ignore_index=True)
    stats |= {c: int(counts[c].sum()) for c in ("totals_skipped", "rows_rejected", "duplicates_removed", "rows_accepted")}
    return Piece(frame, errors.sort_values("row", kind="stable").reset_index(drop=True), pd.DataFrame([stats]))


#: What an order is, where the export has no order id: the same content gives the same id in every run (contract §1).
ORDER_CONTENT = ("citizen_id", "provider_id", "provider_name", "paragraph", "service", "start_date", "rate_level")


def derived_order_ids(out: pd.DataFrame) -> pd.Series:
    """The orders' ids: the export's where it has one, else "BEV-" and a hash of the order's content (stable across runs)."""
    given = out["order_id"] if "order_id" in out else pd.Series(pd.NA, index=out.index, dtype="string")
    if not given.isna().any():
        return given
    parts = [out[c].astype("string").fillna("") if c in out else pd.Series("", index=out.index) for c in ORDER_CONTENT]
    content = parts[0].str.cat(parts[1:], sep="|")
    digest = content.map(lambda text: "BEV-" + hashlib.sha256(text.encode()).hexdigest()[:12])
    return given.astype("string").fillna(digest.astype("string"))


def canonical(raw: RawSheet, table: str, src: TableSource, key: bytes) -> Piece:
    """Map and parse one raw sheet into canonical rows; unreadable rows become error lines."""
    raw, src = _from_name(raw, src)
    if src.wide is not None and (headers := _wide_headers(raw, src.wide)):
        return _wide_piece(raw, table, _wide_parts(raw, src, src.wide, headers), headers, key)
    frame = raw.frame
    stats = {"table": table, "file": raw.file, "sheet": raw.sheet, "rows_read": len(frame), "blank_rows": raw.blank_rows}
    found = {c.name: match_column(list(frame.columns), src.sources_for(c.name)) for c in TABLES[table]}
    missing = [c for c in _missing_columns(found, table, src) if not _dated_by_year(c, found, src)]
    if missing:
        return _rejected_sheet(raw, table, src, missing, stats)
    repeated = _repeated_columns(found, list(frame.columns), src)
    if repeated:
        return _repeated_sheet(raw, table, repeated, stats)
    used = {name: frame[col] for name, col in found.items() if col is not None}
    named = {name: col for name, col in found.items() if col is not None}
    for name, value in src.constants.items():
        used[name], named[name] = pd.Series(value, index=frame.index, dtype=object), f"{name} (fast værdi i mappingen)"
    sheet = _Sheet(raw, table, used, named)
    _parse_cells(sheet, src, key)
    _cpr_in_text(sheet)
    _year_dates(sheet)
    _task_times(sheet, src)
    _required_cells(sheet)
    out = sheet.out
    if table in CITIZEN_TABLES and "cpr" in used and table != "deliveries":
        out["birth_year"] = birth_year(cpr_digits(used["cpr"])[0])
    out["source"] = pd.Series(where(raw.file, raw.sheet), index=out.index, dtype="string")
    out["source_row"] = raw.rows.astype("Int64")
    if table == "orders":
        out["order_id"] = derived_order_ids(out)
    if table == "rates":
        clash, lines = label_unit_errors(out, used.get("label"), raw, named)
        sheet.errors += lines
        sheet.bad |= clash
    accepted = conform(out.loc[~sheet.bad], table)
    checked, check_errors = check(accepted, table, raw, named)
    stats |= {
        "totals_skipped": int(sheet.totals.sum()),
        "rows_rejected": int((sheet.bad & ~sheet.totals).sum()) + len(accepted) - len(checked),
        "duplicates_removed": 0,
        "rows_accepted": len(checked),
    }
    return Piece(checked, error_frame(sheet.errors + check_errors), pd.DataFrame([stats]))
