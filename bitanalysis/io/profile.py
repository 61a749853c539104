"""Profiling a source column: the share of its filled cells that look like each kind of value (CPR numbers, dates,
numbers with a decimal comma or point, paragraphs, units, durations, frequencies, Danish themes …), read from a sample
of its cells, and a header's words as compared (`norm_header`). What `detect` scores columns on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from bitanalysis.core import parse, parse_codes, parse_time
from bitanalysis.core.cpr import CPR_PATTERN

SAMPLE = 400  # cells per column looked at

FFB_THEMES = (
    "egenomsorg",
    "praktiske opgaver",
    "samfundsliv",
    "mentale funktioner",
    "sundhedsforhold",
    "kommunikation",
    "mobilitet",
    "socialt liv",
    "fysisk sundhed",
    "psykisk sundhed",
    "sociale forhold",
    "familieforhold",
    "skole",
    "fritid",
    "udvikling og adfærd",
)

_LAW_TEXT = re.compile(r"(?i)§|\b(?:SEL|ABL|BL)\b|servicelov|barnets lov|almenbolig")
_HM = re.compile(r"^\d{1,3}:[0-5]\d(?::[0-5]\d)?$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")  # an id or amount, not an Excel serial date
_KR = re.compile(r"(?i)\bkr\.?\b|\bdkk\b|\d\s*kr")
_LETTERS = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä]")
#: A word of a frequency ("dagligt", "2 gange ugentligt", "hver anden uge", "på hverdage", "man-fre"), at a word's start.
_FREQUENCY_WORD = re.compile(
    r"(?i)(?<![a-zæøå])(?:hverdag|weekend|døgn|dag|daglig|uge|ugentlig|ugtl|ugl|måned|md|mdr|mdl|kvartal|år|årlig|man\w*\.?\s*[-–])"
)
#: Every word a frequency is written with: a cell with any other word ("Dagtilbud", "Socialpædagogisk støtte") is none.
_FREQUENCY_WORDS: tuple[str, ...] = ("en", "et", "én", "ét", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "gang")
_FREQUENCY_WORDS += ("gange", "x", "om", "pr", "per", "i", "hver", "hvert", "anden", "andenhver", "tredje", "fjerde", "femte", "sjette")
_FREQUENCY_WORDS += ("på", "ca", "cirka", "og", "til", "eller", "dag", "dage", "dagen", "daglig", "dagligt", "døgn", "døgnet")
_FREQUENCY_WORDS += ("døgnets", "uge", "uger", "ugen", "ugens", "ugentlig", "ugentligt", "ugtl", "ugl", "måned", "måneder", "måneden")
_FREQUENCY_WORDS += ("månedlig", "månedligt", "md", "mdr", "mdl", "kvartal", "kvartalet", "år", "året", "årlig", "årligt", "hverdag")
_FREQUENCY_WORDS += ("hverdage", "hverdagene", "weekend", "weekender", "weekenden", "man", "mandag", "mandage", "tir", "tirsdag")
_FREQUENCY_WORDS += ("tirsdage", "ons", "onsdag", "onsdage", "tor", "torsdag", "torsdage", "fre", "fredag", "fredage", "lør", "lørdag")
_FREQUENCY_WORDS += ("lørdage", "søn", "søndag", "søndage")
_FREQUENCY_VOCABULARY = frozenset(_FREQUENCY_WORDS)


def norm_header(text: str) -> str:
    """A header's words for comparison: lower case, punctuation as spaces (§ kept)."""
    return " ".join(re.sub(r"[^\w§]+|_", " ", text.casefold()).split())


@dataclass(frozen=True)
class Profile:
    """What one source column holds: its header and the share of its filled cells that look like each kind of value."""

    header: str
    filled: int
    share: dict[str, float] = field(default_factory=dict)
    mean_length: float = 0.0
    distinct: int = 0

    def __getitem__(self, kind: str) -> float:
        return self.share.get(kind, 0.0)


def _cpr_like(v: object) -> bool:
    """A cell written like a CPR number (also as a number that lost its leading zero)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v == int(v):
        v = f"{int(v):010d}"
    return isinstance(v, str) and bool(CPR_PATTERN.fullmatch(v.strip()))


def _ok(parsed: parse.Parsed, cells: pd.Series) -> float:
    """The share of cells a parser read."""
    return float((~parsed.bad & parsed.values.notna()).mean()) if len(cells) else 0.0


def _number_shares(cells: pd.Series, text: pd.Series) -> dict[str, float]:
    """Shares of numbers, and of text numbers written with a decimal comma or a decimal point."""
    comma_p = parse.parse_number(cells, decimal=",", thousands=".")
    point_p = parse.parse_number(cells, decimal=".", thousands=",")
    stripped = text.str.replace(r"(?i)^\s*(kr\.?|dkk)\s*|\s*(kr\.?|dkk)\s*$", "", regex=True).str.strip()
    comma = r"-?\d{1,3}(\.\d{3})+,\d+|-?\d+,\d{1,2}|-?\d{1,3}(\.\d{3}){2,}"
    point = r"-?\d{1,3}(,\d{3})+\.\d+|-?\d+\.\d{1,2}|-?\d{1,3}(,\d{3}){2,}"
    n = len(cells)
    return {
        "number": max(_ok(comma_p, cells), _ok(point_p, cells)),
        "decimal_comma": float(stripped.str.fullmatch(comma).sum() / n),
        "decimal_point": float(stripped.str.fullmatch(point).sum() / n),
    }


def _numbers(cells: pd.Series) -> pd.Series:
    """The cells as numbers where they are numbers (text or number cells), else NaN."""
    p = parse.parse_number(cells, decimal=",", thousands=".")
    return p.values.where(~p.bad)


def _is_frequency(text: str) -> bool:
    """A text written only with a frequency's words that reads as so many times a week ("2 gange ugentligt", "hver
    anden uge", "dagligt"; with a duration added it reads as a task's time: "2 gange ugentligt 1 min" = 2)."""
    words = re.findall(r"[a-zæøåéü]+", text.casefold())
    if not words or not set(words) <= _FREQUENCY_VOCABULARY or not _FREQUENCY_WORD.search(text):
        return False
    return parse_time.task_minutes(f"{text} 1 min") is not None


def _frequency_share(text: pd.Series, n: int) -> float:
    """The share of cells that are a frequency."""
    reads = {t: _is_frequency(t) for t in text.unique()}
    return sum(reads[t] for t in text) / n if n else 0.0


def profile(header: str, column: pd.Series) -> Profile:
    """Profile a column from a sample of its filled cells."""
    column = column.astype(object)
    filled = column[column.notna() & column.astype("string").str.strip().ne("").fillna(False)]
    cells = filled.head(SAMPLE).reset_index(drop=True)
    if not len(cells):
        return Profile(header, 0)
    text = cells[cells.map(lambda v: isinstance(v, str))].astype(str).str.strip()
    is_text = len(text) / len(cells)
    nums = _numbers(cells)
    share = {
        "text": is_text,
        "letters": float(text.str.contains(_LETTERS).sum() / len(cells)),
        "cpr": float(cells.map(_cpr_like).mean()),
        "date": _date_share(cells, header),
        "hm": float(cells.map(lambda v: (isinstance(v, str) and bool(_HM.match(v.strip()))) or hasattr(v, "hour")).mean()),
        "kr": float(text.str.contains(_KR).sum() / len(cells)),
        "int04": float(nums.isin([0, 1, 2, 3, 4]).mean()),
        "need": _ok(parse_codes.parse_need_level(cells), cells),
        "year": float((nums.between(1990, 2100) & (nums % 1 == 0)).mean()),
        "bool": float(text.str.casefold().isin(["ja", "nej", "x", "j", "n"]).sum() / len(cells)),
        "law": float(text.str.contains(_LAW_TEXT).sum() / len(cells)),
        "paragraph": _ok(parse_codes.parse_paragraph(cells), cells),
        "unit": _ok(parse_codes.parse_unit(cells), cells),
        "duration": max(_ok(parse_time.parse_duration(cells), cells), _ok(parse_time.parse_duration(cells, decimal="."), cells)),
        "task_time": _ok(parse_time.parse_task_time(cells), cells),
        "frequency": _frequency_share(text, len(cells)),
        "theme": float(text.str.casefold().str.contains("|".join(FFB_THEMES)).sum() / len(cells)),
        "id": float(cells.map(lambda v: not isinstance(v, str) or (len(v.strip()) <= 24 and " " not in v.strip())).mean()),
        "short": float(cells.map(lambda v: len(str(v).strip()) <= 40).mean()),
        "small": float((nums.abs() < 5).mean()),
        "fraction": float((nums % 1 != 0).mean()),
        **_number_shares(cells, text),
    }
    return Profile(header, len(filled), share, float(text.str.len().mean()) if len(text) else 0.0, int(cells.astype(str).nunique()))


#: Words of a header that says a date ("Startdato", "Ophørsdato", "Takst gældende fra"), and weaker ones ("Bevilget fra";
#: "fra" and "til" as whole words only) that an amount's or a count's word overrules ("Takst fra", "Bevilget beløb").
_DATE_WORDS = ("dato", "start", "slut", "ophør", "udløb", "ikraft", "gyldig", "gældende")
_WEAK_DATE_WORDS = ("fra", "til", "bevilget")
_NOT_DATE_WORDS = ("beløb", "takst", "pris", "kr", "timer", "antal", "minutter", "id", "nr", "nummer")
#: Excel's serial day numbers of 1990-01-01 and 2100-12-31: a whole number between them, under a date header, is a date.
SERIAL_DAYS = (32_874, 73_415)


def names_a_date(header: str) -> bool:
    """A header that says its column holds dates: fra, til, dato, start, slut, ophør, bevilget … (not an amount's)."""
    words = norm_header(header).split()
    if any(d in w for w in words for d in _DATE_WORDS):
        return True
    weak = any(w in ("fra", "til") or w.startswith("bevilget") for w in words)
    return weak and not any(w.startswith(n) for w in words for n in _NOT_DATE_WORDS)


def _date_share(cells: pd.Series, header: str = "") -> float:
    """The share of cells that are dates: date cells, text dates, and, under a header that says a date, Excel serial
    numbers between 1990 and 2100 (elsewhere numbers are not counted: amounts look like serials)."""
    dated = cells.map(lambda v: hasattr(v, "year") and hasattr(v, "month"))
    text = cells[cells.map(lambda v: isinstance(v, str) and not _PLAIN_NUMBER.match(v.strip()))]
    ok = parse_time.parse_date(text) if len(text) else None
    text_dates = int((~ok.bad & ok.values.notna()).sum()) if ok is not None else 0
    serials = 0
    if names_a_date(header):
        nums = _numbers(cells[~dated & ~cells.map(lambda v: isinstance(v, str) and not _PLAIN_NUMBER.match(v.strip()))])
        serials = int(nums.between(*SERIAL_DAYS).sum())
    return (int(dated.sum()) + text_dates + serials) / len(cells)


def profiles_of(frames: list[pd.DataFrame]) -> dict[str, Profile]:
    """Column profiles of sheets that share one header, from a sample of each sheet's rows."""
    each = max(20, SAMPLE // len(frames))
    rows = pd.concat([f.head(each) for f in frames], ignore_index=True)
    return {c: profile(c, rows[c]) for c in rows.columns if not c.startswith("_kolonne")}
