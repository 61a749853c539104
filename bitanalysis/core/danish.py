"""Danish text at the edges: number and money formats, month names, unit names."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december")
#: The canonical tables by their Danish names (reports, the quality annex, init's summary and the mapping's comments).
TABLE_NAMES = {
    "orders": "Bevillinger",
    "rates": "Takster",
    "deliveries": "Dokumentation",
    "assessments": "Udredninger",
    "citizens": "Borgere",
    "budget": "Budget",
    "price_index": "P/L-indeks",
    "providers": "Tilbud",
    "tasks": "Indsatsliste",
}
UNITS = {"day": "pr. døgn/dag", "week": "pr. uge", "month": "pr. måned", "year": "pr. år", "hour": "pr. time"}


def number(value: float, decimals: int = 0) -> str:
    """1234567.891 → '1.234.567,89' (Danish thousands point and decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):  # -0.4 rounds to 0: no minus on a zero
        text = text[1:]
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def kr(value: float, decimals: int = 0) -> str:
    """1234567 → '1.234.567 kr.'"""
    return f"{number(value, decimals)} kr."


def percent(share: float, decimals: int = 1) -> str:
    """0.123 → '12,3 %'"""
    return f"{number(share * 100, decimals)} %"


def day(value: object) -> str:
    """A date as Danes write it: 10-03-2024 (with ' kl. 14:30' where it has a time of day); missing gives ''."""
    if isinstance(value, np.datetime64):
        value = None if np.isnat(value) else value.astype("datetime64[us]").item()  # a datetime
    if value is None or value != value:  # missing, or NaT (not equal to itself)
        return ""
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return f"{value:%d-%m-%Y} kl. {value:%H:%M}"
    return f"{value:%d-%m-%Y}"
