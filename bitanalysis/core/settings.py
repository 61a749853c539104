"""Thresholds of the findings (contract §3), the billing basis of hourly rates, and the economics' tolerance of missing
costs, with the contract's defaults."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, fields, replace

#: Each setting's kind and allowed range (inclusive), checked when Settings is made.
_RANGES: dict[str, tuple[type, float, float]] = {
    "under_delivery_ratio": (float, 0.0, 10.0),
    "over_delivery_ratio": (float, 0.0, 10.0),
    "addon_min_ratio": (float, 0.0, 10.0),
    "uncovered_need_level": (int, 0, 4),
    "supporting_need_level": (int, 0, 4),
    "stale_after_days": (int, 0, 36_500),
    "max_missing_cost_share": (float, 0.0, 1.0),
    "task_sum_share": (float, 0.0, 10.0),
    "task_sum_hours": (float, 0.0, 168.0),
    "price_peer_ratio": (float, 1.0, 100.0),
    "price_model_tolerance": (float, 0.0, 1.0),
    "price_peer_min_providers": (int, 2, 1000),
}


@dataclass(frozen=True)
class Settings:
    """The match's settings; a data folder may override them in the [settings] section of bitanalysis.toml."""

    under_delivery_ratio: float = 0.90  # under_delivery when delivered / ordered is below this
    over_delivery_ratio: float = 1.10  # over_delivery when delivered / ordered is above this
    addon_min_ratio: float = 0.50  # an add-on delivered below this share is unsupported
    uncovered_need_level: int = 2  # a theme at this level or above must be covered by an order
    supporting_need_level: int = 1  # an order needs a theme at this level or above
    stale_after_days: int = 365  # an assessment older than this (at the period's end) is stale
    hourly_billing: str = "ordered"  # "ordered" (hours_per_week) or "delivered" (documented hours)
    max_missing_cost_share: float = 0.02  # price × quantity refuses a period with a larger share of order-days without a cost
    task_sum_share: float = 0.10  # tasks_not_summing when the tasks' hours differ from the order's by more than this share
    task_sum_hours: float = 0.5  # ... and by more than this many hours per week
    price_peer_ratio: float = 1.25  # price_above_peers when the price per ordered hour is above this × the peers' median
    price_model_tolerance: float = 0.15  # price_above/below_model when the cost is this share above/below the model's
    price_peer_min_providers: int = 5  # a peer group of fewer providers is shown, not ranked, and gives no finding

    def __post_init__(self) -> None:
        for name, (kind, low, high) in _RANGES.items():
            _check(name, getattr(self, name), kind, low, high)
        if self.hourly_billing not in ("ordered", "delivered"):
            raise ValueError(f"hourly_billing skal være 'ordered' eller 'delivered', ikke {self.hourly_billing!r}")
        if self.under_delivery_ratio > self.over_delivery_ratio:
            raise ValueError(
                f"under_delivery_ratio ({self.under_delivery_ratio}) må ikke være større end "
                f"over_delivery_ratio ({self.over_delivery_ratio})"
            )

    @classmethod
    def from_dict(cls, values: dict) -> Settings:
        """Settings from a mapping file's [settings] section; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"Ukendte indstillinger {sorted(unknown)}; kendte er {sorted(known)}")
        return replace(cls(), **values)


def _check(name: str, value: object, kind: type, low: float, high: float) -> None:
    """Refuse a setting of the wrong kind (a whole number where one is expected) or outside its range, in Danish."""
    what = "et helt tal" if kind is int else "et tal"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Indstillingen {name} skal være {what}, ikke {value!r}")
    if kind is int and not float(value).is_integer():
        raise ValueError(f"Indstillingen {name} skal være {what}, ikke {value!r}")
    if not low <= float(value) <= high:
        raise ValueError(f"Indstillingen {name} skal ligge mellem {low:g} og {high:g}, ikke {value!r}")
