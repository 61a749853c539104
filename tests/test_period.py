from datetime import date

import pandas as pd
import pytest

from bitanalysis._period import PeriodError, parse_day, period


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2026-10", "2026-10-01", "2026-10-31", "2026-10"),
        ("2026-Q3", "2026-07-01", "2026-09-30", "2026-Q3"),
        ("2026", "2026-01-01", "2026-12-31", "2026"),
        ("2026-01..2026-06", "2026-01-01", "2026-06-30", "2026-01..2026-06"),
        ("2028-02", "2028-02-01", "2028-02-29", "2028-02"),
    ],
)
def test_periods(text, start, end, label):
    p = period(text)
    assert (p.start, p.end, p.label) == (pd.Timestamp(start), pd.Timestamp(end), label)


def test_relative_periods_for_schedulers():
    assert period("last-month", today=date(2026, 11, 5)).label == "2026-10"
    assert period("last-month", today=date(2026, 1, 5)).label == "2025-12"
    q = period("last-quarter", today=date(2026, 11, 5))
    assert (q.label, q.start, q.end) == ("2026-Q3", pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30"))
    assert len(period("2026-Q1").months) == 3


def test_bad_periods_say_what_is_accepted():
    with pytest.raises(PeriodError, match="2026-Q3"):
        period("oktober")
    with pytest.raises(PeriodError, match="1–12"):
        period("2026-13")
    with pytest.raises(PeriodError, match="før"):
        period("2026-06..2026-01")


@pytest.mark.parametrize(
    "text, day",
    [
        ("01-10-2026", "2026-10-01"),  # day first: 1 October (pd.Timestamp reads it as 10 January)
        ("31-10-2026", "2026-10-31"),
        ("31.10.2026", "2026-10-31"),
        ("1.2.2026", "2026-02-01"),
        ("2026-10-31", "2026-10-31"),
        (" 2026-10-01 ", "2026-10-01"),
    ],
)
def test_days_are_day_first_or_iso(text, day):
    assert parse_day(text) == pd.Timestamp(day)


def test_dates_pass_through_as_days():
    assert parse_day(pd.Timestamp("2026-10-01 13:45")) == pd.Timestamp("2026-10-01")
    assert parse_day(date(2026, 10, 1)) == pd.Timestamp("2026-10-01")


@pytest.mark.parametrize("text", ["10/01/2026", "01/10/2026", "10-01-26", "2026/10/01", "oktober 2026", "31-10.2026", ""])
def test_month_first_and_ambiguous_days_are_refused(text):
    with pytest.raises(PeriodError, match="dagen først"):
        parse_day(text)


def test_a_day_that_does_not_exist_is_refused():
    with pytest.raises(PeriodError, match="findes ikke"):
        parse_day("31-02-2026")
