"""The settings: the contract's defaults, and values checked for kind and range with Danish messages."""

import pytest

from bitanalysis import Settings


def test_defaults_include_the_share_of_order_days_without_a_cost():
    s = Settings()
    assert s.max_missing_cost_share == 0.02 and s.under_delivery_ratio == 0.90 and s.hourly_billing == "ordered"
    assert Settings.from_dict({"max_missing_cost_share": 0.1, "stale_after_days": 400}).max_missing_cost_share == 0.1
    assert Settings(max_missing_cost_share=0).max_missing_cost_share == 0  # a whole number is a number
    assert Settings(stale_after_days=400.0).stale_after_days == 400.0  # TOML may write a whole number with a point


@pytest.mark.parametrize(
    "values, message",
    [
        ({"max_missing_cost_share": 1.5}, "max_missing_cost_share skal ligge mellem 0 og 1"),
        ({"max_missing_cost_share": -0.01}, "mellem 0 og 1"),
        ({"max_missing_cost_share": "2 %"}, "max_missing_cost_share skal være et tal"),
        ({"under_delivery_ratio": True}, "skal være et tal"),
        ({"under_delivery_ratio": "0,9"}, "under_delivery_ratio skal være et tal"),
        ({"stale_after_days": 365.5}, "stale_after_days skal være et helt tal"),
        ({"uncovered_need_level": 5}, "uncovered_need_level skal ligge mellem 0 og 4"),
        ({"under_delivery_ratio": 1.2, "over_delivery_ratio": 1.1}, "må ikke være større end"),
        ({"hourly_billing": "leveret"}, "hourly_billing skal være 'ordered' eller 'delivered'"),
        ({"max_missing_share": 0.1}, "Ukendte indstillinger"),
    ],
)
def test_bad_values_are_refused_in_danish(values, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_dict(values)
