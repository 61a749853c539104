"""Periods of calendar months: "2026-10", "2026-Q3", "2026-H1", "2026", ranges of them ("2026-01..2026-06",
"2026-Q1..2026-Q3", "2025-H2..2026-H1", "2025..2026", "2026-Q2..2026-11"), "last-month", "last-quarter"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from bitanalysis.core.danish import MONTHS
from bitanalysis.core.errors import InputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-?[Hh]([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_SIDE = r"(\d{4}(?:-\d{1,2}|-?[Qq][1-4]|-?[Hh][12])?)"  # a month, a quarter, a half-year or a year
_RANGE = re.compile(rf"^{_SIDE}\s*(?:\.\.|:|–|—|/| til )\s*{_SIDE}$")
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
    """Parse a period: a month, quarter, half-year (2026-H1 = January–June, 2026-H2 = July–December), year, a from..to
    range of them, or last-month/last-quarter (relative to today).

    A range runs from the first month of its left side to the last month of its right side: "2026-Q1..2026-Q3" is
    2026-01..2026-09, "2025-11..2026-Q1" is 2025-11..2026-03, "2025-H2..2026-H1" is 2025-07..2026-06.
    """
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
    if (single := _single(text, text)) is not None:
        return single
    if m := _RANGE.match(text):
        a, b = (_single(side, text) for side in (m[1], m[2]))
        assert a is not None and b is not None  # each side matched one of the single forms
        if b.last < a.first:
            raise PeriodError(f"Perioden '{text}' slutter før den begynder")
        return Period(a.first, b.last, f"{a.label}..{b.label}")
    raise PeriodError(
        f"Perioden '{text}' forstås ikke. Brug en måned (2026-10), et kvartal (2026-Q3), et halvår (2026-H1 eller "
        "2026-H2), et år (2026), et interval af måneder, kvartaler, halvår eller år (2026-01..2026-06, 2026-Q1..2026-Q3, "
        "2025-H2..2026-H1, 2025..2026, 2026-Q2..2026-11), last-month eller last-quarter."
    )


def _single(text: str, spec: str) -> Period | None:
    """A month, quarter, half-year or year (labelled in its normal form: 2026-01, 2026-Q1, 2026-H1, 2026), or None;
    `spec` is the whole
    period text, for the message when the month is out of range."""
    if m := _MONTH.match(text):
        p = _month(int(m[1]), int(m[2]), spec)
        return Period(p, p, str(p))
    if m := _QUARTER.match(text):
        q = pd.Period(year=int(m[1]), quarter=int(m[2]), freq="Q")
        return Period(q.asfreq("M", "start"), q.asfreq("M", "end"), f"{m[1]}-Q{m[2]}")
    if m := _HALF.match(text):
        first = pd.Period(year=int(m[1]), month=6 * int(m[2]) - 5, freq="M")
        return Period(first, first + 5, f"{m[1]}-H{m[2]}")
    if m := _YEAR.match(text):
        return Period(pd.Period(f"{m[1]}-01", "M"), pd.Period(f"{m[1]}-12", "M"), m[1])
    return None


def _month(year: int, month: int, text: str) -> pd.Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"Perioden '{text}' har en måned uden for 1–12")
    return pd.Period(year=year, month=month, freq="M")


def year_before(p: str | Period) -> Period:
    """The same months one year earlier (the usual comparison in a budget meeting), labelled as the period was:
    2026-Q3 → 2025-Q3, 2026-H1 → 2025-H1, 2026-Q1..2026-Q3 → 2025-Q1..2025-Q3."""
    p = period(p)
    first, last = p.first - 12, p.last - 12
    sides = [_label_before(side) for side in p.label.split("..")]
    if len(sides) <= 2 and all(sides):
        label = "..".join(s for s in sides if s)
    elif first == last:
        label = str(first)
    else:
        label = f"{first}..{last}"
    return Period(first, last, label)


def _label_before(label: str) -> str | None:
    """A month, quarter, half-year or year label one year earlier; None for any other text."""
    if _YEAR.match(label):
        return str(int(label) - 1)
    if m := _QUARTER.match(label):
        return f"{int(m[1]) - 1}-Q{m[2]}"
    if m := _HALF.match(label):
        return f"{int(m[1]) - 1}-H{m[2]}"
    if m := _MONTH.match(label):
        return f"{int(m[1]) - 1}-{int(m[2]):02d}"
    return None


def trailing(p: str | Period, n: int = 13) -> Period:
    """The n calendar months ending with the period's last month (13 for a trend that shows the same month a year
    earlier), labelled "2025-10..2026-10"."""
    if n < 1:
        raise ValueError(f"trailing needs at least one month, not {n}")
    last = period(p).last
    first = last - (n - 1)
    return Period(first, last, f"{first}..{last}")


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


def month_name(month: str) -> str:
    """'2026-10' → 'oktober 2026'."""
    year, m = month.split("-")
    return f"{MONTHS[int(m) - 1]} {year}"


def period_name(p: Period) -> str:
    """A period in Danish words: 'oktober 2026', '3. kvartal 2026', '1. halvår 2026', 'året 2026', 'januar 2026 – juni 2026',
    and ranges by their sides: '1. kvartal 2026 – 3. kvartal 2026', 'årene 2025 – 2026', 'november 2025 – 1. kvartal 2026'."""
    if p.first == p.last:
        return month_name(str(p.first))
    try:  # the label's sides (one for a quarter or a year), where they are the period's own months
        sides = [period(side) for side in p.label.split("..")]
    except PeriodError:
        sides = []
    if len(sides) == 1 and (sides[0].first, sides[0].last) == (p.first, p.last):
        label = sides[0].label
        if label.isdigit():
            return f"året {label}"
        if "-Q" in label:
            return f"{label[-1]}. kvartal {label[:4]}"
        if "-H" in label:
            return f"{label[-1]}. halvår {label[:4]}"
    if len(sides) == 2 and (sides[0].first, sides[1].last) == (p.first, p.last):
        if sides[0].label.isdigit() and sides[1].label.isdigit():
            return f"årene {sides[0].label} – {sides[1].label}"
        return f"{period_name(sides[0])} – {period_name(sides[1])}"
    return f"{month_name(str(p.first))} – {month_name(str(p.last))}"
