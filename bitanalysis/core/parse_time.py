"""Parsing when and how long: dates (date cells, Excel serials, Danish and ISO text), durations ("1:30", "90") and a
task's time per week from its frequency and duration ("2 gange ugentligt à 45 min"), with the Danish words for what
each expects. Built on the shared cell helpers of `parse`.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re

import numpy as np
import pandas as pd

from bitanalysis.core.parse import Parsed, _by_unique, _cells, _combine, _done, _number_text, _numbers

EXPECTED_DURATION = "en varighed, fx 1:30 (timer:minutter) eller 90"
DATE_FORMATS = {
    "auto": "dd-mm-åååå",
    "dd-mm-yyyy": "dd-mm-åååå",
    "dd.mm.yyyy": "dd.mm.åååå",
    "iso": "åååå-mm-dd",
    "mm/dd/yyyy": "mm/dd/åååå",
}


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
