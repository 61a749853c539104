"""Vectorised parsers for Danish cell values, as read by pd.read_excel(dtype=object) or pd.read_csv(dtype=str).

Every parser returns Parsed(values, bad) with the input's index: `bad` is True where a cell was present
(not empty, whitespace or NaN) but could not be parsed. Parsers never raise on bad data.
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
EXPECTED_DURATION = "en varighed, fx 1:30 (timer:minutter) eller 90"
EXPECTED_PARAGRAPH = "en paragraf, fx SEL §107, § 85 eller ABL-105"
EXPECTED_UNIT = "en enhed: pr. døgn, pr. dag, pr. uge, pr. måned, pr. år eller pr. time"
EXPECTED_LEVEL = "et takstniveau, fx Niveau 2"
EXPECTED_NEED_LEVEL = "et funktionsevneniveau 0-4: Ingen, Let, Moderat, Svært eller Fuldstændigt"
EXPECTED_BOOL = "ja eller nej"
EXPECTED_LIST = "en liste adskilt af komma, fx Egenomsorg, Samfundsliv"
EXPECTED_NAMES = "navne adskilt af semikolon, | eller linjeskift, fx Marie Hjem; Caroline, Marie Hjem"
EXPECTED_ID = "et id, fx 004512"
EXPECTED_TEXT = "en tekst"

UNITS = ("day", "week", "month", "year", "hour")
DATE_FORMATS = {
    "auto": "dd-mm-åååå",
    "dd-mm-yyyy": "dd-mm-åååå",
    "dd.mm.yyyy": "dd.mm.åååå",
    "iso": "åååå-mm-dd",
    "mm/dd/yyyy": "mm/dd/åååå",
}


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


# --- dates -----------------------------------------------------------------------------------------------------

_DATE_TEXT = {
    "dd-mm-yyyy": ["%d-%m-%Y"],
    "dd.mm.yyyy": ["%d.%m.%Y"],
    "iso": ["%Y-%m-%d"],
    "mm/dd/yyyy": ["%m/%d/%Y"],
    "auto": ["%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d.%m.%y", "%d/%m/%y"],  # yy: 00-68 is 20yy
}  # each also with a time, which is dropped
_TIME = r"[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FIRST, _LAST = pd.Timestamp("1900-01-01"), pd.Timestamp.max.normalize()  # datetime64[ns] holds no later date


def expected_date(date_format: str = "auto") -> str:
    """The Danish description of the expected date form, for error messages."""
    return f"en dato som {DATE_FORMATS[date_format]}"


def _serials(x: pd.Series) -> pd.Series:
    """Excel serial day numbers (1900 system) between 20000 and 80000 to dates."""
    x = x[(x >= 20000) & (x <= 80000)]
    return _EXCEL_EPOCH + pd.to_timedelta(np.floor(x), unit="D")


@_by_unique
def parse_date(s: pd.Series, date_format: str = "auto") -> Parsed:
    """Dates (date cells, Excel serials, "dd-mm-yyyy", "dd.mm.yyyy", "dd/mm/yyyy", ISO) to datetime64[ns], midnight."""
    if date_format not in DATE_FORMATS:
        raise ValueError(f"date_format must be one of {sorted(DATE_FORMATS)}, not {date_format!r}")
    text, other, kind = _cells(s)
    day = text.str.replace(_TIME, "", regex=True)
    parts, rest = [], day.dropna()
    for f in _DATE_TEXT[date_format]:
        parts.append(pd.to_datetime(rest, format=f, errors="coerce"))
        rest = rest[parts[-1].isna()]
    parts.append(_serials(pd.to_numeric(text[text.str.fullmatch(r"[0-9]{5}(?:\.[0-9]+)?")])))
    parts.append(_serials(_numbers(other, kind)))
    cells = other[kind == "date"].map(lambda v: pd.Timestamp(v).tz_localize(None))
    parts.append(pd.to_datetime(cells, errors="coerce"))
    parts = [p[(p >= _FIRST) & (p <= _LAST)] for p in parts if len(p)]
    values = _combine(text, parts, "datetime64[ns]").dt.normalize()
    return _done(values, text, other)


# --- durations -------------------------------------------------------------------------------------------------


def _cell_minutes(v, factor: float) -> float:
    """Minutes in one non-text cell: a time of day, a timedelta or a number in the given unit."""
    if isinstance(v, dt.time):
        return v.hour * 60 + v.minute + v.second / 60
    if isinstance(v, (dt.timedelta, np.timedelta64)):
        return pd.Timedelta(v).total_seconds() / 60
    if isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)):
        return float(v) * factor
    return np.nan


@_by_unique
def parse_duration(s: pd.Series, unit: str = "minutes", decimal: str = ",") -> Parsed:
    """Durations ("1:30", "90", "1,5", time and timedelta cells) to minutes (float64); plain numbers are in `unit`."""
    factor = {"minutes": 1.0, "hours": 60.0}[unit]
    text, other, _ = _cells(s)
    hm = text[text.str.fullmatch("[0-9]+:[0-5][0-9](?::[0-5][0-9])?")].str.split(":", expand=True)
    hm = hm.reindex(columns=[0, 1, 2]).astype("float64")
    clock = hm[0] * 60 + hm[1] + hm[2].fillna(0) / 60
    plain = _number_text(text, decimal, "." if decimal == "," else ",") * factor
    cells = other.map(lambda v: _cell_minutes(v, factor)).astype("float64")
    values = _combine(text, [clock, plain, cells], "float64")
    return _done(values.where(values >= 0), text, other)


# --- paragraphs ------------------------------------------------------------------------------------------------

_LAW = (
    r"(?i)(?P<ABL>\bABL\b|almenbolig)|(?P<BL>\bBL\b|barnets lov)"
    r"|(?P<SEL>\bSEL\b|servicelov|lov om social service)"
)
_PARAGRAPH_NUMBER = [  # first match wins: OS2bos keys "SEL-107-2.1", then "§ 107", then a bare "107"
    r"(?i)^(?:SEL|ABL|BL)\s*[-\s]\s*(\d{1,4})(?!\d)(?:-([a-z])(?![a-zæøå]))?",
    r"(?i)§+\s*(\d{1,4})(?!\d)(?:\s?([a-f])\b)?",
    r"(?i)^(\d{1,4})\s?([a-z])?$",
]


@_by_unique
def parse_paragraph(s: pd.Series) -> Parsed:
    """Paragraphs to the contract form "<LAW> §<n>" ("§ 107" -> "SEL §107"; bare §105 and §115 are ABL)."""
    text, other, kind = _cells(s)
    n = pd.Series(np.nan, index=text.index, dtype=object)
    letter = n.copy()
    for pattern in _PARAGRAPH_NUMBER:
        m = text.str.extract(pattern)
        new = n.isna() & m[0].notna()
        n[new], letter[new] = m.loc[new, 0], m.loc[new, 1]
    whole = _integral(_numbers(other, kind))
    n[whole.index] = whole.where(whole.str.len() <= 4)
    n, letter = n.dropna().astype("int64").astype("str"), letter.reindex(n.dropna().index).fillna("").str.lower()
    law = _first_group(text.str.extract(_LAW)).reindex(n.index)
    law = law.fillna(pd.Series(np.where(n.isin(["105", "115"]) & (letter == ""), "ABL", "SEL"), index=n.index))
    out = pd.Series(None, index=text.index, dtype="str")
    out[n.index] = law + " §" + n + letter
    return _done(out, text, other)


# --- units -----------------------------------------------------------------------------------------------------

_UNIT_WORDS = {
    "day": r"døgn|dag|day|days|daily",
    "week": r"uge|week|weeks|weekly",
    "month": r"md|mdr|måned|month|months|monthly",
    "year": r"år|year|years|yearly",
    "hour": r"time|timer|timepris|hour|hours|hourly",
}
_UNIT = r"(?i)^(?:kr\.?|dkk)?\s*(?:pr\.?|per|/)?\s*(?:" + "|".join(f"(?P<{u}>{w})" for u, w in _UNIT_WORDS.items()) + r")\.?$"
_LABEL_UNIT = (
    r"(?i)(?P<day>døgntakst|dagtakst|døgnpris|dagpris|pr\.? døgn|pr\.? dag\b)"
    r"|(?P<week>ugetakst|ugepris|pr\.? uge\b)"
    r"|(?P<month>månedstakst|månedspris|pr\.? måned|pr\.? mdr?\b)"
    r"|(?P<year>årstakst|årspris|pr\.? år\b)"
    r"|(?P<hour>timetakst|timepris|pr\.? time\b)"
)


def _first_group(parts: pd.DataFrame) -> pd.Series:
    """The name of the first matched named group per row (None where none matched)."""
    hit = parts.notna()
    return hit.idxmax(axis=1).astype(object).where(hit.any(axis=1), None)


@_by_unique
def parse_unit(s: pd.Series) -> Parsed:
    """Rate units ("kr. pr. døgn", "pr. md.", "Timepris", "week") to day/week/month/year/hour; others are bad."""
    text, other, _ = _cells(s)
    bare = text.str.replace(r"\s*\(.*\)$", "", regex=True)  # a remark in brackets after the unit
    return _done(_first_group(bare.str.extract(_UNIT)), text, other)


@_by_unique
def unit_in_label(s: pd.Series) -> pd.Series:
    """The unit a rate's label states ("Døgntakst 1" -> "day", "Månedstaksten ..." -> "month"), else None."""
    text, _, _ = _cells(s)
    return _first_group(text.str.extract(_LABEL_UNIT)).rename(s.name)


# --- levels ----------------------------------------------------------------------------------------------------


@_by_unique
def parse_level(s: pd.Series) -> Parsed:
    """Rate levels as stripped text ("Niveau 2"); number cells 2 or 2.0 become "2"."""
    text, other, kind = _cells(s)
    nums = _numbers(other, kind)
    whole = _integral(nums)
    parts = [text, whole, nums.drop(whole.index).astype("str")]
    return _done(_combine(text, parts, "str"), text, other)


_NEED_WORDS = {0: "ingen|intet", 1: "let(?:te)?", 2: "moderate?", 3: "svært|svære?|højt?|høje", 4: "fuldstændig[et]?"}
_NEED = (
    r"(?si)^(?:([0-4])(?:[.,]0)?(?:\s*[-–:]\s*\D.*)?|(?:"  # "2", "2 - Moderat", or a word first
    + "|".join(f"({w})" for w in _NEED_WORDS.values())
    + r")(?:[\s/,(-].*)?)$"
)


@_by_unique
def parse_need_level(s: pd.Series) -> Parsed:
    """Need levels 0-4 ("Ingen".."Fuldstændigt", "2", "2 - Moderat") to Int64; "Ikke vurderet" is missing, not bad."""
    text, other, kind = _cells(s)
    m = text.str.extract(_NEED)
    level = m[0].astype("float64")
    for i, n in enumerate(_NEED_WORDS):
        level = level.where(m[i + 1].isna(), float(n))
    nums = _numbers(other, kind)
    nums = nums[nums.isin([0, 1, 2, 3, 4])]
    values = _combine(text, [level, nums], "Int64")
    not_assessed = text.str.fullmatch(r"(?i)ikke (?:vurderet|relevant)").fillna(False).astype(bool)
    return _done(values, text, other, values.notna() | not_assessed)


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


# --- task time (indsatsliste) ----------------------------------------------------------------------------------

EXPECTED_TASK_TIME = "en hyppighed og en varighed, fx '2 gange ugentligt à 45 min', 'dagligt 30 min' eller '1 time hver anden uge'"
_NUMBER_WORDS = {
    "en": 1,
    "et": 1,
    "én": 1,
    "ét": 1,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
}
_ORDINALS = {"anden": 2, "andenhver": 2, "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6}
_DURATION = re.compile(
    r"(?P<clock>\b\d{1,2}:[0-5]\d\b)"
    r"|(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>timer|time|tim|t|h|minutter|minut|min|m)(?![a-zæøå])\.?",
    re.IGNORECASE,
)
_PER = (  # a frequency's unit and how many of it a week holds; first match wins ("hverdage" before "dag")
    (r"hverdag\w*|på hverdage|man(dag)?[-–]fre(dag)?", 5.0),
    (r"weekend\w*", 2.0),
    (r"døgn\w*|dag\w*|daglig\w*", 7.0),
    (r"uge\w*|ugentlig\w*|ugtl\.?|ugl\.?|pr\.? uge|/uge", 1.0),
    (r"måned\w*|md\.?|mdr\.?|mdl\.?|månedlig\w*", 12 / 52),
    (r"kvartal\w*", 4 / 52),
    (r"år\w*|årlig\w*", 1 / 52),
)


def _duration_minutes(text: str) -> tuple[float | None, str]:
    """The minutes a task text gives per time ("45 min", "1 time og 30 min", "1:30"), and the text without them."""
    total, found = 0.0, False
    for m in _DURATION.finditer(text):
        found = True
        if m.group("clock"):
            h, mm = m.group("clock").split(":")
            total += int(h) * 60 + int(mm)
        else:
            n = float(m.group("n").replace(",", "."))
            total += n * (60 if m.group("unit").lower().startswith(("t", "h")) else 1)
    return (total if found else None), _DURATION.sub(" ", text)


def _times_per_week(text: str) -> float | None:
    """How many times a week a frequency ("2 gange ugentligt", "dagligt", "hver anden uge", "hver 14. dag") means."""
    words = text.lower().replace("×", " x ").replace("à", " ").replace("á", " ")
    per = next((week for pattern, week in _PER if re.search(rf"(?<![a-zæøå])(?:{pattern})", words)), None)
    if per is None:
        return None
    every = re.search(r"\bhver\s+(?:(\d+)\.?|(" + "|".join(_ORDINALS) + r"))\s", words + " ")
    if every:  # every n-th day, week or month
        nth = int(every.group(1)) if every.group(1) else _ORDINALS[every.group(2)]
        return per / nth if nth > 0 else None
    count = re.search(r"(\d+(?:[.,]\d+)?)|\b(" + "|".join(_NUMBER_WORDS) + r")\b\s*(?:gang|gange|x)\b", words)
    if count is None:
        return per
    times = float(count.group(1).replace(",", ".")) if count.group(1) else float(_NUMBER_WORDS[count.group(2)])
    return times * per


def task_minutes(text: str, *, weekly: bool = False, factor: float = 1.0) -> float | None:
    """Minutes per week of a task's time text: frequency × duration ("2 gange ugentligt à 45 min" = 90, "dagligt 30 min"
    = 210, "1 time hver anden uge" = 30). `weekly`: a time without a frequency is per week ("3 timer", "90" × `factor`,
    the minutes of a plain number's unit); else it is unreadable (None), like a text with no duration or no frequency."""
    text = " ".join(str(text).split())
    minutes, rest = _duration_minutes(text)
    bare = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*", rest)
    if minutes is None and bare and weekly:
        return float(bare.group(1).replace(",", ".")) * factor
    if minutes is None:
        return None
    times = _times_per_week(rest)
    if times is None and weekly and not re.search(r"[a-zæøå0-9]", re.sub(r"\b(og|pr|i|à|a|á|ca)\b", "", rest.lower())):
        times = 1.0
    return None if times is None else round(minutes * times, 6)


@_by_unique
def parse_task_time(s: pd.Series, weekly: bool = True, unit: str = "minutes") -> Parsed:
    """Task times to minutes per week (see `task_minutes`); a plain number is a time per week in `unit` (minutes or
    hours) when `weekly`."""
    factor = {"minutes": 1.0, "hours": 60.0}[unit]
    text, other, kind = _cells(s)
    parsed = text.map(lambda t: task_minutes(t, weekly=weekly, factor=factor)).astype("float64")
    nums = _numbers(other, kind).astype("float64") * factor if weekly else pd.Series(dtype="float64")
    values = _combine(text, [parsed, nums], "float64")
    return _done(values.where(values >= 0), text, other)
