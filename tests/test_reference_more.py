"""The second half of the default run's generated workspaces (see tests/test_reference.py): a test of its own name
draws other examples, and a file of its own lets the second test process take it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from .test_reference import HYPOTHESIS, MONTHS_CHECKED, PERIODS, compare, workspaces


@settings(max_examples=60, **HYPOTHESIS)
@given(workspaces(), st.sampled_from(PERIODS), MONTHS_CHECKED)
def test_package_agrees_with_the_reference_on_more_workspaces(tables, period, months):
    compare(tables, [period], months)
