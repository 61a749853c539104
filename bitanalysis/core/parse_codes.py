"""Parsing the codes a rate or an order is known by: paragraphs ("SEL §107"), rate units (day, week, month, year, hour;
also as a rate's label states them) and levels (a rate level, a need level 0-4), with the Danish words for what each
expects. Built on the shared cell helpers of `parse`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.core.parse import Parsed, _by_unique, _cells, _combine, _done, _integral, _numbers

EXPECTED_PARAGRAPH = "en paragraf, fx SEL §107, § 85 eller ABL-105"
EXPECTED_UNIT = "en enhed: pr. døgn, pr. dag, pr. uge, pr. måned, pr. år eller pr. time"
EXPECTED_LEVEL = "et takstniveau, fx Niveau 2"
EXPECTED_NEED_LEVEL = "et funktionsevneniveau 0-4: Ingen, Let, Moderat, Svært eller Fuldstændigt"

UNITS = ("day", "week", "month", "year", "hour")


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
