"""Thresholds of the findings (contract §3) and the billing basis of hourly rates, with the contract's defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


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

    def __post_init__(self) -> None:
        if self.hourly_billing not in ("ordered", "delivered"):
            raise ValueError(f"hourly_billing skal være 'ordered' eller 'delivered', ikke {self.hourly_billing!r}")

    @classmethod
    def from_dict(cls, values: dict) -> Settings:
        """Settings from a mapping file's [settings] section; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"Ukendte indstillinger {sorted(unknown)}; kendte er {sorted(known)}")
        return replace(cls(), **values)
