from datetime import date

import pandas as pd
import pytest

from bitanalysis._period import PeriodError, period


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
