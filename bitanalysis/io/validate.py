"""Checks on parsed rows: value ranges (pandera), dates and bands that run backwards, label against unit, rows repeated
across exports and rate rows that contradict each other."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from bitanalysis.core import parse_codes
from bitanalysis.core.danish import UNITS, day, kr, number
from bitanalysis.core.errors import error_line, safe_value, source_counts
from bitanalysis.core.intervals import OPEN_END
from bitanalysis.core.parse import text_key
from bitanalysis.core.schema import CHECK_TEXT, DTYPES, checks, recode
from bitanalysis.io.read import RawSheet

#: Column pairs whose second value may not come before the first, with what is expected.
ORDERED_PAIRS = {
    "orders": [("start_date", "end_date", "en slutdato på eller efter startdatoen")],
    "rates": [
        ("valid_from", "valid_to", "en 'gyldig til'-dato på eller efter 'gyldig fra'"),
        ("min_hours_per_week", "max_hours_per_week", "et maksimum på mindst minimum"),
    ],
}


#: What makes two rate rows the same price (contract §2.1): rows equal in these that overlap are one price.
PRICE = ["amount", "unit", "min_hours_per_week", "max_hours_per_week", "includes"]


def _includes_key(includes: pd.Series) -> pd.Series:
    """What each rate row includes as one text: its services' text keys, sorted and joined ('' for none)."""
    items = pd.Series(list(includes), dtype=object).explode()
    keys = text_key(items.astype("string")).dropna()
    joined = keys.groupby(level=0).agg(lambda k: "|".join(sorted(k)))
    return pd.Series(joined.reindex(range(len(includes)), fill_value="").to_numpy(), index=includes.index)


def price_key(rates: pd.DataFrame) -> pd.Series:
    """A hashable key of each rate row's price: amount, unit, band and what it includes (case and spacing ignored)."""
    includes = _includes_key(rates["includes"])
    parts = [rates[c].astype("string").fillna("") for c in PRICE[:-1]] + [includes]
    return pd.Series(list(zip(*parts)), index=rates.index, dtype=object) if len(rates) else pd.Series([], dtype=object)


def label_unit_errors(out: pd.DataFrame, labels: pd.Series | None, raw: RawSheet, found: dict) -> tuple[pd.Series, list[dict]]:
    """Rate rows whose label names another unit than the unit column (e.g. 'Døgntakst' billed 'pr. md.'): mask and lines."""
    clash = pd.Series(False, index=out.index)
    if labels is None or "unit" not in out:
        return clash, []
    stated = parse_codes.unit_in_label(labels)
    clash = stated.notna() & out["unit"].notna() & (stated.astype("string") != out["unit"])
    clash = clash.fillna(False).astype(bool)
    rows = [
        error_line(
            "rates",
            raw.file,
            raw.sheet,
            int(raw.rows.at[i]),
            found["unit"],
            safe_value(out.at[i, "unit"]),
            f"enheden '{stated[i]}', som beskrivelsen angiver",
            f"beskrivelsen '{safe_value(labels[i])}' angiver enheden '{UNITS[stated[i]]}', men enhedskolonnen siger "
            f"'{UNITS[out.at[i, 'unit']]}'; ret den ene",
        )
        for i in clash[clash].index
    ]
    return clash, rows


def _cross_field_failures(frame: pd.DataFrame, table: str) -> list[tuple]:
    """Rows whose dates or hour bands run backwards."""
    out = []
    for lo, hi, expected in ORDERED_PAIRS.get(table, []):
        wrong = frame[hi].notna() & frame[lo].notna() & (frame[hi] < frame[lo])
        out += [(hi, i, frame.at[i, hi], f"{expected} ({safe_value(frame.at[i, lo])})") for i in wrong[wrong].index]
    return out


def _schema_failures(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The cells that fail the table's pandera checks (run lazily): column, index, value and what was expected."""
    import pandera.errors

    schema = checks().get(table)
    if schema is None or not len(frame):
        return pd.DataFrame(columns=["column", "index", "value", "expected"])
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        fc = exc.failure_cases.dropna(subset=["index"])
        return pd.DataFrame(
            {
                "column": fc["column"],
                "index": fc["index"].astype(int),
                "value": fc["failure_case"],
                "expected": [CHECK_TEXT.get((table, c), "en gyldig værdi") for c in fc["column"]],
            }
        )
    return pd.DataFrame(columns=["column", "index", "value", "expected"])


def check(frame: pd.DataFrame, table: str, raw: RawSheet, found: dict) -> tuple[pd.DataFrame, list[dict]]:
    """Run the table's value checks; failing rows are left out, each with a Danish error line."""
    failed = pd.DataFrame(_cross_field_failures(frame, table), columns=["column", "index", "value", "expected"])
    schema = _schema_failures(frame, table)
    failed = pd.concat([failed, schema], ignore_index=True) if len(failed) and len(schema) else (schema if len(schema) else failed)
    if failed.empty:
        return frame, []
    errors = []
    for r in failed.itertuples(index=False):
        shown = safe_value(r.value)
        errors.append(
            error_line(
                table,
                raw.file,
                raw.sheet,
                int(frame.at[r.index, "source_row"]),
                found.get(r.column) or r.column,
                shown,
                r.expected,
                f"'{shown}' er ikke {r.expected}",
                frame.at[r.index, "citizen_id"] if "citizen_id" in frame else None,
            )
        )
    return frame.drop(index=failed["index"].unique()), errors


#: The free-text columns compared without case and spacing (contract §2.1) when rows repeated across exports are found.
TEXTS = {"deliveries": ("service", "task"), "orders": ("service",), "assessments": ("theme",), "tasks": ("theme", "task")}


def remove_duplicates(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, pd.Series]:
    """Drop rows repeated across overlapping exports (same content in an earlier file); count them per source."""
    if frame.empty:
        return frame, pd.Series(dtype=int)
    content = [c for c in DTYPES[table] if c in frame and frame[c].dtype != object]
    listy = [c for c in DTYPES[table] if c in frame and frame[c].dtype == object]
    keyed = frame[content]  # columns replaced below, never changed in place: no copy of a million-row table
    for c in TEXTS.get(table, ()):  # §2.1: the same text in another case or spacing is the same row
        if c in keyed:
            keyed = keyed.assign(**{c: recode(keyed[c], text_key)})
    for c in listy:
        keyed = keyed.assign(**{c: frame[c].map(lambda v: "|".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else "")})
    codes, sources = pd.factorize(frame["source"])
    files = np.append(pd.factorize(np.array([str(s).partition(", ark ")[0] for s in sources], dtype=object))[0], -1)[codes]
    row_key = pd.util.hash_pandas_object(keyed, index=False).to_numpy()
    dup = _repeated(row_key, _occurrence(files, row_key))
    return frame.loc[~dup].reset_index(drop=True), source_counts(frame.loc[dup, "source"])


def _runs(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows in order of the columns (the last one first; ties in row order) and, in that order, where each run of
    equal rows begins."""
    order = np.lexsort(columns)
    same = np.ones(max(len(order) - 1, 0), dtype=bool)
    for c in columns:
        s = c[order]
        same &= s[1:] == s[:-1]
    return order, np.concatenate([np.ones(min(len(order), 1), dtype=bool), ~same])


def _occurrence(files: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Each row's count of earlier rows of the same file with the same key (0 for the first)."""
    order, begins = _runs(keys, files)
    position = np.arange(len(order))
    start = np.maximum.accumulate(np.where(begins, position, 0))
    out = np.empty(len(order), dtype=np.int64)
    out[order] = position - start
    return out


def _repeated(keys: np.ndarray, occurrence: np.ndarray) -> np.ndarray:
    """Rows whose key and occurrence an earlier row has."""
    order, begins = _runs(occurrence, keys)
    out = np.zeros(len(order), dtype=bool)
    out[order[~begins]] = True
    return out


def _price_text(amount: float, unit: str, low: float, high: float, includes: Iterable[str] | float | None) -> str:
    """A rate row's price in words: amount and unit, with its hour band and what it includes where it has them."""
    text = f"{kr(amount, 2)} {UNITS.get(unit, unit)}"
    if pd.notna(low) or pd.notna(high):
        text += f" ({'' if pd.isna(low) else number(low, 1)}–{'' if pd.isna(high) else number(high, 1)} timer/uge)"
    inside = [] if includes is None or isinstance(includes, float) else list(includes)
    return text + (f" inkl. {', '.join(map(str, inside))}" if inside else "")


def _validity(start: object, end: object) -> str:
    """A rate row's validity in words, dates as dd-mm-åååå: 'gyldig 01-01-2026–31-12-2026' or 'gyldig fra 01-01-2026'."""
    return f"gyldig {day(start)}–{day(end)}" if pd.notna(end) else f"gyldig fra {day(start)}"


def _conflict_line(p) -> dict:
    """The error line of one rate row that contradicts another."""
    file, _, sheet = p.source.partition(", ark ")
    return error_line(
        "rates",
        file,
        sheet.strip("'") or None,
        int(p.source_row),
        "Takst",
        safe_value(p.amount),
        "én takst pr. tilbud, niveau og periode",
        f"tilbud {p.provider_id}, niveau '{p.rate_level}' har to forskellige takster i overlappende perioder: "
        f"{_price_text(p.amount, p.unit, p.min_hours_per_week, p.max_hours_per_week, p.includes)} "
        f"({_validity(p.valid_from, p.valid_to)}) her og "
        f"{_price_text(p.amount_b, p.unit_b, p.min_hours_per_week_b, p.max_hours_per_week_b, p.includes_b)} "
        f"({_validity(p.valid_from_b, p.valid_to_b)}) i {p.source_b}, "
        f"række {p.source_row_b}; begge rækker er afvist, ret den forkerte",
    )


def rate_conflicts(rates: pd.DataFrame) -> tuple[pd.DataFrame, list[dict], pd.Series]:
    """Rate rows for the same provider and level with overlapping validity and different amounts: all rejected."""
    if rates.empty:
        return rates, [], pd.Series(dtype=int)
    r = rates.reset_index(names="i").assign(price=price_key(rates).to_numpy())
    pairs = r.merge(r, on=["provider_id", "rate_level"], suffixes=("", "_b"))
    overlap = (
        (pairs["i"] < pairs["i_b"])
        & (pairs["valid_from"] <= pairs["valid_to_b"].fillna(OPEN_END))
        & (pairs["valid_from_b"] <= pairs["valid_to"].fillna(OPEN_END))
    )
    clash = pairs[overlap & (pairs["price"] != pairs["price_b"])]
    errors = [_conflict_line(p) for p in clash.itertuples(index=False)]
    drop = list(set(clash["i"]) | set(clash["i_b"]))
    return rates.drop(index=drop), errors, rates.loc[drop, "source"].value_counts()


#: Id columns joined across tables: a number in one export and zero-padded text in another is one id.
ID_COLUMNS = ("provider_id", "order_id", "citizen_id")


def _padded_spellings(spellings: set[str]) -> dict[str, set[str]]:
    """Digit-only ids grouped by their value without leading zeros, where a value is written more than one way."""
    groups: dict[str, set[str]] = {}
    for v in spellings:
        if isinstance(v, str) and v.isdigit():
            groups.setdefault(v.lstrip("0") or "0", set()).add(v)
    return {k: g for k, g in groups.items() if len(g) > 1}


def _first_source(tables: dict[str, pd.DataFrame], column: str, value: str) -> tuple[str, str]:
    """The table and source (file, sheet) of the first row holding an id."""
    for table, frame in tables.items():
        if column in frame and len(frame):
            hit = frame.loc[frame[column] == value, "source"]
            if len(hit):
                return table, str(hit.iloc[0])
    return "", ""


def unify_ids(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Ids written as numbers in one export and zero-padded in another (15466, 015466) joined on the padded form;
    two different paddings of one number are an error naming both files."""
    out, errors = dict(tables), []
    for column in ID_COLUMNS:
        spellings = {v for f in tables.values() if column in f and len(f) for v in f[column].dropna().unique()}
        rename: dict[str, str] = {}
        for group in _padded_spellings(spellings).values():
            padded = {v for v in group if v.startswith("0")}
            if len(padded) == 1:
                rename |= dict.fromkeys(group - padded, padded.pop())
                continue
            a, b = sorted(padded, key=len)[:2]
            (table, where_a), (_, where_b) = _first_source(tables, column, a), _first_source(tables, column, b)
            errors.append(
                error_line(
                    table,
                    where_a,
                    None,
                    None,
                    column,
                    a,
                    "én skrivemåde af hvert id",
                    f"id '{a}' ({where_a}) og '{b}' ({where_b}) er samme tal med forskelligt antal foranstillede "
                    "nuller; ret den ene, så de kan kobles",
                )
            )
        renamed = functools.partial(pd.Series.replace, to_replace=rename)
        for table, frame in out.items():
            if rename and column in frame and len(frame) and not set(rename).isdisjoint(frame[column].dropna().unique()):
                out[table] = frame.assign(**{column: recode(frame[column], renamed)})
    return out, errors


def tasks_without_order(tasks: pd.DataFrame, orders: pd.DataFrame) -> tuple[pd.DataFrame, list[dict], pd.Series]:
    """Task rows whose order id no order has: the tasks without them, one error line per such row (the row is left
    out), and how many rows each source lost."""
    unknown = ~tasks["order_id"].isin(orders["order_id"].dropna().unique())
    if not unknown.any():
        return tasks, [], pd.Series(dtype=int)
    lines = []
    for r in tasks.loc[unknown].itertuples(index=False):
        file, _, sheet = str(r.source).partition(", ark ")
        row = None if pd.isna(r.source_row) else int(r.source_row)
        lines.append(
            error_line(
                "tasks",
                file,
                sheet.strip("'") or None,
                row,
                "Bevillings-id",
                safe_value(r.order_id),
                "id'et på en bevilling i bevillingerne",
                f"opgaven '{safe_value(r.task)}' hører til bevilling '{safe_value(r.order_id)}', som ikke er indlæst fra "
                "bevillingerne (den findes ikke, eller dens række er afvist: se bevillingernes fejl)",
            )
        )
    return tasks.loc[~unknown].reset_index(drop=True), lines, tasks.loc[unknown, "source"].value_counts()
