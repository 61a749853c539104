"""Vectorised parsers for Danish cell values, as read by pd.read_excel(dtype=object) or pd.read_csv(dtype=str).

Every parser returns Parsed(values, bad) with the input's index: `bad` is True where a cell was present
(not empty, whitespace or NaN) but could not be parsed. Parsers never raise on bad data. This module owns that
contract and the helpers every parser shares, and parses numbers, booleans, lists, ids, text, totals labels and text
keys; dates, durations and task times are in `parse_time`, paragraphs, rate units and levels in `parse_codes`.
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
import re
from collections.abc import Hashable
from typing import NamedTuple

import numpy as np
import pandas as pd

EXPECTED_NUMBER = "et tal, fx 1.234,56"
EXPECTED_BOOL = "ja eller nej"
EXPECTED_LIST = "en liste adskilt af komma, fx Egenomsorg, Samfundsliv"
EXPECTED_NAMES = "navne adskilt af semikolon, | eller linjeskift, fx Marie Hjem; Caroline, Marie Hjem"
EXPECTED_ID = "et id, fx 004512"
EXPECTED_TEXT = "en tekst"


class Parsed(NamedTuple):
    values: pd.Series
    bad: pd.Series


# --- helpers ---------------------------------------------------------------------------------------------------


def _by_unique(parser):
    """Run parser once per distinct cell (exports repeat the same cells a lot) and spread the result back."""

    @functools.wraps(parser)
    def wrapper(s: pd.Series, *args, **kwargs):
        try:
            codes, uniques = pd.factorize(s)  # missing cells get code -1, i.e. the missing cell appended last
        except TypeError:  # unhashable cells such as lists: never from a file, parsed (as bad) via their repr
            codes, uniques = pd.factorize(s.map(lambda v: v if isinstance(v, Hashable) else repr(v)))
        distinct = pd.concat([pd.Series(uniques), pd.Series([None], dtype=uniques.dtype)], ignore_index=True)
        result = parser(distinct, *args, **kwargs)

        def spread(r: pd.Series) -> pd.Series:
            return pd.Series(r.array.take(codes), index=s.index, name=s.name, dtype=r.dtype)

        return Parsed(*map(spread, result)) if isinstance(result, Parsed) else spread(result)

    return wrapper


def _kind(v) -> str:
    """The kind of a non-string cell: bool, num, date, time, duration or other."""
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (dt.timedelta, np.timedelta64)):
        return "duration"
    if isinstance(v, numbers.Real):
        return "num"
    if isinstance(v, (dt.datetime, dt.date, np.datetime64)):
        return "date"
    return "time" if isinstance(v, dt.time) else "other"


def _cells(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Split s into (text: stripped str cells, NaN elsewhere and where blank; other: non-str present cells; kind)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    if isinstance(s.dtype, pd.StringDtype):
        text, other = s, s.iloc[:0].astype(object)
    elif s.dtype == object:
        is_str = s.map(lambda v: isinstance(v, str)).astype(bool)
        text, other = s.where(is_str), s[~is_str & s.notna()]
    else:
        text, other = pd.Series(np.nan, index=s.index, dtype=object), s.dropna()
    text = text.astype("str").str.strip().rename(s.name)
    text = text.where(text != "")
    kind = (
        other.map(_kind)
        if other.dtype == object
        else pd.Series(
            "bool"
            if pd.api.types.is_bool_dtype(other)
            else "date"
            if other.dtype.kind == "M"
            else "duration"
            if other.dtype.kind == "m"
            else "num",
            index=other.index,
            dtype=object,
        )
    )
    return text, other, kind


def _present(text: pd.Series, other: pd.Series) -> pd.Series:
    present = text.notna()
    present[other.index] = True
    return present


def _done(values: pd.Series, text: pd.Series, other: pd.Series, ok: pd.Series | None = None) -> Parsed:
    """Parsed with bad = present but missing (or not `ok`)."""
    ok = values.notna() if ok is None else ok
    return Parsed(values.rename(text.name), (_present(text, other) & ~ok).rename(text.name))


def _numbers(other: pd.Series, kind: pd.Series) -> pd.Series:
    """The numeric cells among other, as float64."""
    return pd.to_numeric(other[kind == "num"], errors="coerce").astype("float64")


def _integral(x: pd.Series) -> pd.Series:
    """Integral floats as str ("2.0" -> "2"), others NaN."""
    x = x[np.isfinite(x) & (x == np.round(x)) & (x.abs() < 1e15)]
    return x.astype("int64").astype("str")


_SPACES = "\u00a0\u202f\u2009\u2007"


def _number_text(text: pd.Series, decimal: str, thousands: str) -> pd.Series:
    """Numbers written as text, allowing "kr." before and "kr.", "%", "/..." or "pr. ..." after; float64."""
    # Regexes avoid \d, \s and \b so that pandas runs them in pyarrow rather than row by row.
    d, group = re.escape(decimal), f"[{re.escape(thousands)} ]" if thousands else " "
    num = rf"[-+]? ?(?:[0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]+)(?:{d}(?:[0-9]+|-))?"
    t = text.str.replace(f"[{_SPACES}\t]", " ", regex=True).str.replace("[−–]", "-", regex=True)
    after = r"(?: *(?:(?:kroner|kr|dkk|pr)(?:[^a-zæøå].*)?|[%/].*))?"
    t = t.str.replace(rf"(?is)^(?:kr\.?|dkk)? *({num}){after}$", r"\1", regex=True)
    n = t.where(t.str.fullmatch(num)).str.replace(group, "", regex=True).str.replace(rf"{d}-$", "", regex=True)
    return pd.to_numeric(n.str.replace(decimal, ".", regex=False), errors="coerce").astype("float64")


def _combine(text: pd.Series, parts: list[pd.Series], dtype) -> pd.Series:
    """One Series on text's index from partial Series (earlier parts win)."""
    out = pd.Series(pd.NA if dtype in ("Int64", "boolean") else None, index=text.index, dtype=dtype)
    for p in reversed(parts):
        p = p.dropna()
        if len(p):
            out[p.index] = p.astype(dtype)
    return out


@_by_unique
def is_blank(s: pd.Series) -> pd.Series:
    """Cells that hold nothing: missing, or only whitespace."""
    return (s.isna() | s.astype("string").str.strip().eq("").fillna(True)).astype(bool)


# --- numbers ---------------------------------------------------------------------------------------------------


@_by_unique
def parse_number(s: pd.Series, decimal: str = ",", thousands: str = ".") -> Parsed:
    """Danish numbers ("1.234,56", "kr. 2.347,79", "3.234 kr.", "-1 362 250") to float64; number cells pass through."""
    text, other, kind = _cells(s)
    values = _combine(text, [_number_text(text, decimal, thousands), _numbers(other, kind)], "float64")
    return _done(values, text, other)


# --- booleans, lists, ids, text --------------------------------------------------------------------------------

_TRUE = {"ja", "j", "x", "1", "sand", "true", "yes", "y"}
_FALSE = {"nej", "n", "0", "falsk", "false", "no"}


@_by_unique
def parse_bool(s: pd.Series) -> Parsed:
    """Yes/no cells ("Ja", "X", "1", True / "Nej", "0", False) to boolean; empty is missing, not bad."""
    text, other, kind = _cells(s)
    low = text.str.lower()
    words = pd.Series(np.where(low.isin(_TRUE), 1.0, np.where(low.isin(_FALSE), 0.0, np.nan)), index=text.index)
    cells = pd.concat([other[kind == "bool"].astype(float), _numbers(other, kind)])
    values = _combine(text, [words, cells[cells.isin([0, 1])]], "float64")
    return _done(values.astype("boolean"), text, other)


def _split_cells(s: pd.Series, separators: str) -> Parsed:
    """Cells split at any of the separators or newlines into list[str]; empty gives []."""
    text, other, _ = _cells(s)
    text = text.str.strip(f" {separators}\r\n\t")
    lists = text.where(text != "").str.split(rf"\s*[{separators}\r\n]+\s*", regex=True)
    lists = lists.combine_first(parse_text(other).values.map(lambda v: [v], na_action="ignore"))
    values = pd.Series([[] for _ in range(len(s))], index=s.index, dtype=object)
    values[lists.dropna().index] = lists.dropna()
    return Parsed(values.rename(s.name), pd.Series(False, index=s.index, name=s.name))


@_by_unique
def parse_list(s: pd.Series) -> Parsed:
    """Lists separated by ",", ";", "|" or newlines to list[str]; empty gives []."""
    return _split_cells(s, ",;|")


@_by_unique
def parse_names(s: pd.Series) -> Parsed:
    """Names separated by ";", "|" or newlines (never by comma: names hold commas) to list[str]; empty gives []."""
    return _split_cells(s, ";|")


@_by_unique
def parse_id(s: pd.Series) -> Parsed:
    """IDs as text with leading zeros kept ("004512"); number cells 4512 or 4512.0 become "4512"."""
    text, other, kind = _cells(s)
    nums = _numbers(other, kind)
    return _done(_combine(text, [text, _integral(nums)], "str"), text, other)


@_by_unique
def parse_text(s: pd.Series) -> Parsed:
    """Stripped text; empty is missing; other cells as text (2.0 -> "2")."""
    text, other, kind = _cells(s)
    nums = _numbers(other, kind)
    whole = _integral(nums)
    rest = other.drop(whole.index).map(str)
    return _done(_combine(text, [text, whole, rest], "str"), text, other)


# The whole cell, or its leading words after an optional code ("1-10 I alt"); what may follow is nothing, punctuation,
# a number or a short qualifier ("I alt 2026", "Total:", "Sum af beløb"), never another word ("Total Care ApS").
_TOTALS = (
    r"(?i)^\s*(?:[\d.,/\-–]+\s+)?(?:i alt|total|totalt|sum|summa|hovedtotal|subtotal|samlet|samlet i alt|sum i alt|grand total)"
    r"(?:\s*$|\s*[:(\-–]|\s+(?:for|af|i|pr\.?|kr\.?)(?:\s|$)|\s+\d)"
)


@_by_unique
def is_totals_label(s: pd.Series) -> pd.Series:
    """True for cells that say a totals row ("I alt", "1-10 I alt", "Total", "Sum af beløb"), not for names that start
    with such a word ("Total Care ApS", "Samlet bostøtte")."""
    text, _, _ = _cells(s)
    return text.str.contains(_TOTALS).fillna(False).astype(bool).rename(s.name)


@_by_unique
def text_key(s: pd.Series) -> pd.Series:
    """Text as compared (contract §2.1): lower case, runs of whitespace as one space, none around it."""
    return s.astype("string").str.split().str.join(" ").str.lower()


#: `text_key` in DuckDB's SQL, for the column or expression put in place of {}.
TEXT_KEY_SQL = "lower(trim(regexp_replace({}, '\\s+', ' ', 'g')))"
