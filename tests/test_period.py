from datetime import date

import pandas as pd
import pytest

from bitanalysis import present, trailing, year_before
from bitanalysis.core.period import PeriodError, parse_day, period


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2026-10", "2026-10-01", "2026-10-31", "2026-10"),
        ("2026-Q3", "2026-07-01", "2026-09-30", "2026-Q3"),
        ("2026", "2026-01-01", "2026-12-31", "2026"),
        ("2026-01..2026-06", "2026-01-01", "2026-06-30", "2026-01..2026-06"),
        ("2028-02", "2028-02-01", "2028-02-29", "2028-02"),
        # ranges of quarters and years, and mixed: from the first month of the left side to the last of the right
        ("2026-Q1..2026-Q3", "2026-01-01", "2026-09-30", "2026-Q1..2026-Q3"),
        ("2025..2026", "2025-01-01", "2026-12-31", "2025..2026"),
        ("2026-Q2..2026-11", "2026-04-01", "2026-11-30", "2026-Q2..2026-11"),
        ("2025-11..2026-Q1", "2025-11-01", "2026-03-31", "2025-11..2026-Q1"),
        ("2025-Q4..2026", "2025-10-01", "2026-12-31", "2025-Q4..2026"),
        ("2026-Q2..2026-Q2", "2026-04-01", "2026-06-30", "2026-Q2..2026-Q2"),
        # the same separators as ranges of months, sides written as the single periods may be
        ("2026q1 til 2026Q3", "2026-01-01", "2026-09-30", "2026-Q1..2026-Q3"),
        ("2026-Q1 – 2026-Q3", "2026-01-01", "2026-09-30", "2026-Q1..2026-Q3"),
        ("2025/2026", "2025-01-01", "2026-12-31", "2025..2026"),
        ("2026-1:2026-Q1", "2026-01-01", "2026-03-31", "2026-01..2026-Q1"),
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


@pytest.mark.parametrize("text", ["2026-Q3..2026-Q1", "2026..2025", "2026-Q3..2026-06", "2026-07..2026-Q2", "2027..2026-Q4"])
def test_a_range_that_ends_before_it_begins_is_refused(text):
    with pytest.raises(PeriodError, match="slutter før den begynder"):
        period(text)


def test_the_message_names_quarter_and_year_ranges():
    with pytest.raises(PeriodError, match=r"2026-Q1\.\.2026-Q3.*2025\.\.2026") as error:
        period("2026-Q5..2026-Q6")
    assert "kvartaler" in str(error.value)
    with pytest.raises(PeriodError, match="1–12"):
        period("2026-13..2026-Q4")


@pytest.mark.parametrize(
    "text, label, start, end",
    [
        ("2026-10", "2025-10", "2025-10-01", "2025-10-31"),
        ("2026-Q3", "2025-Q3", "2025-07-01", "2025-09-30"),
        ("2026", "2025", "2025-01-01", "2025-12-31"),
        ("2026-01..2026-06", "2025-01..2025-06", "2025-01-01", "2025-06-30"),
        ("2026-Q1..2026-Q3", "2025-Q1..2025-Q3", "2025-01-01", "2025-09-30"),
        ("2025..2026", "2024..2025", "2024-01-01", "2025-12-31"),
        ("2025-11..2026-Q1", "2024-11..2025-Q1", "2024-11-01", "2025-03-31"),
        ("2028-02", "2027-02", "2027-02-01", "2027-02-28"),
    ],
)
def test_year_before_keeps_the_form_of_the_label(text, label, start, end):
    p = year_before(text)
    assert (p.label, p.start, p.end) == (label, pd.Timestamp(start), pd.Timestamp(end))


def test_trailing_months_end_with_the_periods_last_month():
    p = trailing(period("2026-10"))
    assert (p.label, p.start, p.end, len(p.months)) == ("2025-10..2026-10", pd.Timestamp("2025-10-01"), pd.Timestamp("2026-10-31"), 13)
    assert trailing("2026-Q3").label == "2025-09..2026-09"  # 13 months to September
    assert trailing("2026-Q1..2026-Q3", 3).label == "2026-07..2026-09"
    assert trailing("2026", n=1).label == "2026-12..2026-12"
    assert trailing("2026-03", 4).label == "2025-12..2026-03"  # across the year end
    with pytest.raises(ValueError):
        trailing("2026-10", 0)


@pytest.mark.parametrize(
    "text, name",
    [
        ("2026-10", "oktober 2026"),
        ("2026-Q3", "3. kvartal 2026"),
        ("2026", "året 2026"),
        ("2026-01..2026-06", "januar 2026 – juni 2026"),
        ("2026-Q1..2026-Q3", "1. kvartal 2026 – 3. kvartal 2026"),
        ("2025..2026", "årene 2025 – 2026"),
        ("2026-Q2..2026-11", "2. kvartal 2026 – november 2026"),
        ("2025-11..2026-Q1", "november 2025 – 1. kvartal 2026"),
        ("2025-Q4..2026", "4. kvartal 2025 – året 2026"),
        ("2026-10..2026-10", "oktober 2026"),
    ],
)
def test_period_names_in_danish_for_ranges(text, name):
    assert present.period_name(period(text)) == name


def test_period_names_of_derived_periods():
    assert present.period_name(year_before("2026-Q1..2026-Q3")) == "1. kvartal 2025 – 3. kvartal 2025"
    assert present.period_name(trailing("2026-10")) == "oktober 2025 – oktober 2026"


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


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2026-H1", "2026-01-01", "2026-06-30", "2026-H1"),
        ("2026-H2", "2026-07-01", "2026-12-31", "2026-H2"),
        ("2026h2", "2026-07-01", "2026-12-31", "2026-H2"),
        ("2025-H2..2026-H1", "2025-07-01", "2026-06-30", "2025-H2..2026-H1"),
        ("2026-H1..2026-Q3", "2026-01-01", "2026-09-30", "2026-H1..2026-Q3"),
        ("2026-03..2026-H2", "2026-03-01", "2026-12-31", "2026-03..2026-H2"),
    ],
)
def test_half_years(text, start, end, label):
    p = period(text)
    assert (p.start, p.end, p.label) == (pd.Timestamp(start), pd.Timestamp(end), label)
    assert len(period("2026-H2").months) == 6


def test_half_years_a_year_before_and_by_name():
    assert year_before("2026-H1").label == "2025-H1"
    assert year_before("2025-H2..2026-H1").label == "2024-H2..2025-H1"
    assert (year_before("2026-H2").start, year_before("2026-H2").end) == (pd.Timestamp("2025-07-01"), pd.Timestamp("2025-12-31"))
    assert present.period_name(period("2026-H1")) == "1. halvår 2026"
    assert present.period_name(period("2026-H2")) == "2. halvår 2026"
    assert present.period_name(period("2025-H2..2026-H1")) == "2. halvår 2025 – 1. halvår 2026"
    assert trailing("2026-H1", 12).label == "2025-07..2026-06"


def test_bad_half_years_are_refused_and_the_message_names_them():
    for text in ("2026-H3", "2026-H0", "2026-H2..2026-H1"):
        with pytest.raises(PeriodError):
            period(text)
    with pytest.raises(PeriodError, match="2026-H1") as error:
        period("halvår")
    assert "halvår" in str(error.value)
    from bitanalysis.cli import PERIOD_HELP

    assert "2026-H1" in PERIOD_HELP
