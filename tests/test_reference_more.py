"""The second half of the generated workspaces (see tests/test_reference.py): a test of its own name draws other
examples, and a file of its own lets the second test process take it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .test_reference import HYPOTHESIS, LONG, MONTHS_CHECKED, PERIODS, QUICK, compare, workspaces


@settings(max_examples=QUICK, **HYPOTHESIS)
@given(workspaces(), st.sampled_from(PERIODS), MONTHS_CHECKED)
def test_package_agrees_with_the_reference_on_more_workspaces(tables, period, months):
    compare(tables, [period], months)


@pytest.mark.long
@settings(max_examples=LONG, **HYPOTHESIS)
@given(workspaces(), st.sampled_from(PERIODS))
def test_package_agrees_with_the_reference_on_more_workspaces_in_ci(tables, period):
    compare(tables, [period])  # months on every workspace
