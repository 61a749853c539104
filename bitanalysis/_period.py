"""Periods of calendar months: "2026-10", "2026-Q3", "2026", "2026-01..2026-06", "last-month", "last-quarter"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ._errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{1,2})\s*(?:\.\.|:|–|—|/| til )\s*(\d{4}-\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([-.])(\d{1,2})\2(\d{4})$")  # 31-10-2026, 31.10.2026
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")  # 2026-10-31


@dataclass(frozen=True)
class Period:
    """A run of whole calendar months, with the label it was asked for by."""

    first: pd.Period  # first month
    last: pd.Period  # last month
    label: str

    @property
    def start(self) -> pd.Timestamp:
        """The period's first day."""
        return self.first.start_time.normalize()

    @property
    def end(self) -> pd.Timestamp:
        """The period's last day."""
        return self.last.end_time.normalize()

    @property
    def months(self) -> pd.PeriodIndex:
        """The calendar months of the period."""
        return pd.period_range(self.first, self.last, freq="M")

    def __str__(self) -> str:
        return self.label


class PeriodError(InputError):
    """The period text is not understood; the message says what is accepted."""


def period(spec: str | Period, today: date | None = None) -> Period:
    """Parse a period: a month, quarter, year, a from..to range of months, or last-month/last-quarter (relative to today)."""
    if isinstance(spec, Period):
        return spec
    text = str(spec).strip()
    if text in ("last-month", "last-quarter", "sidste-måned", "sidste-kvartal"):
        now = pd.Period(today or date.today(), freq="M")
        if text in ("last-month", "sidste-måned"):
            m = now - 1
            return Period(m, m, str(m))
        q = pd.Period(today or date.today(), freq="Q") - 1
        return Period(q.asfreq("M", "start"), q.asfreq("M", "end"), f"{q.year}-Q{q.quarter}")
    if m := _MONTH.match(text):
        p = _month(int(m[1]), int(m[2]), text)
        return Period(p, p, str(p))
    if m := _QUARTER.match(text):
        q = pd.Period(year=int(m[1]), quarter=int(m[2]), freq="Q")
        return Period(q.asfreq("M", "start"), q.asfreq("M", "end"), f"{m[1]}-Q{m[2]}")
    if m := _YEAR.match(text):
        return Period(pd.Period(f"{m[1]}-01", "M"), pd.Period(f"{m[1]}-12", "M"), m[1])
    if m := _RANGE.match(text):
        a, b = (_month(int(g.split("-")[0]), int(g.split("-")[1]), text) for g in (m[1], m[2]))
        if b < a:
            raise PeriodError(f"Perioden '{text}' slutter før den begynder")
        return Period(a, b, f"{a}..{b}")
    raise PeriodError(
        f"Perioden '{text}' forstås ikke. Brug en måned (2026-10), et kvartal (2026-Q3), et år (2026), "
        "et interval af måneder (2026-01..2026-06), last-month eller last-quarter."
    )


def _month(year: int, month: int, text: str) -> pd.Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"Perioden '{text}' har en måned uden for 1–12")
    return pd.Period(year=year, month=month, freq="M")


def year_before(p: str | Period) -> Period:
    """The same months one year earlier (the usual comparison in a budget meeting)."""
    p = period(p)
    first, last = p.first - 12, p.last - 12
    label = p.label
    if _YEAR.match(label):
        label = str(int(label) - 1)
    elif m := _QUARTER.match(label):
        label = f"{int(m[1]) - 1}-Q{m[2]}"
    elif first == last:
        label = str(first)
    else:
        label = f"{first}..{last}"
    return Period(first, last, label)


def parse_day(value: str | date | pd.Timestamp) -> pd.Timestamp:
    """A calendar day from dd-mm-yyyy, dd.mm.yyyy or ISO yyyy-mm-dd text (never month first); dates pass through.

    Anything else, such as 10/01/2026 (10 January or 1 October?), is refused with a PeriodError in Danish.
    """
    if isinstance(value, date):  # pd.Timestamp and datetime are dates too
        return pd.Timestamp(value).normalize()
    text = str(value).strip()
    if m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif m := _ISO_DAY.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        raise PeriodError(
            f"Datoen '{text}' forstås ikke. Skriv dagen først som 31-10-2026 eller 31.10.2026, eller som 2026-10-31; "
            "datoer med skråstreg (10/01/2026) afvises, fordi de kan læses både med dagen og med måneden først."
        )
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        raise PeriodError(f"Datoen '{text}' findes ikke i kalenderen") from None
