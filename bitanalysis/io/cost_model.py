"""The municipality's cost model: what an hour of support and a day of housing cost by its own assumptions, in dated
versions (a `[[cost_model]]` section of the mapping file). The product never invents a wage: without a model there
is no model price, only the peer view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

SHIFTS = ("day", "evening_night", "weekend")
KEYS = ("valid_from", "label", "staff_cost_per_hour", "hour_shares", "on_cost", "overhead", "occupancy", "daily_non_staff")
EXAMPLE = (
    '[[cost_model]]\nvalid_from = 2026-01-01\nlabel = "Kommunens model 2026"\n'
    "staff_cost_per_hour = { day = 400, evening_night = 460, weekend = 500 }\n"
    "hour_shares = { day = 0.7, evening_night = 0.2, weekend = 0.1 }\non_cost = 0.25\noverhead = 0.10\noccupancy = 0.95\n"
    '[cost_model.daily_non_staff]\n"SEL §85" = 0\n"SEL §107" = 450'
)


@dataclass(frozen=True)
class CostModel:
    """One dated version: staff cost per hour by shift and the shifts' shares of the hours, on-cost and overhead as
    shares, the occupancy a place's price is spread over, and a daily non-staff amount per paragraph."""

    valid_from: pd.Timestamp
    label: str
    staff_cost_per_hour: dict[str, float]
    hour_shares: dict[str, float]
    on_cost: float
    overhead: float
    occupancy: float
    daily_non_staff: dict[str, float]  # by paragraph in the contract's form ("SEL §107")

    @property
    def hourly(self) -> float:
        """The staff cost of one ordered hour: the shifts' costs weighed by their shares, with on-costs."""
        return sum(self.staff_cost_per_hour[k] * self.hour_shares[k] for k in SHIFTS) * (1 + self.on_cost)

    @property
    def name(self) -> str:
        """The version as the evidence names it: its label and the day it applies from."""
        return f"'{self.label}' fra {self.valid_from:%d-%m-%Y}"


def _number(value: object, what: str, low: float = 0.0, high: float = float("inf")) -> float:
    """A number within [low, high]; a ValueError in Danish otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= float(value) <= high:
        raise ValueError(f"{what} skal være et tal mellem {low:g} og {high:g}, ikke {value!r}")
    return float(value)


def _shifts(raw: object, what: str, high: float) -> dict[str, float]:
    """A value for each shift (day, evening_night, weekend)."""
    if not isinstance(raw, dict) or set(raw) != set(SHIFTS):
        raise ValueError(f"{what} skal give day, evening_night og weekend, fx {{ day = 400, evening_night = 460, weekend = 500 }}")
    return {k: _number(raw[k], f"{what} {k}", 0.0, high) for k in SHIFTS}


def _non_staff(raw: object) -> dict[str, float]:
    """The daily non-staff amount per paragraph, the paragraphs in the contract's form."""
    from bitanalysis.core.parse_codes import parse_paragraph

    if not isinstance(raw, dict) or not raw:
        raise ValueError('daily_non_staff skal være et afsnit med et beløb pr. dag for hver paragraf, fx "SEL §107" = 450')
    names = parse_paragraph(pd.Series(list(raw), dtype=object))
    if names.bad.any() or names.values.isna().any():
        raise ValueError(f"daily_non_staff: '{list(raw)[int(names.values.isna().to_numpy().argmax())]}' er ikke en paragraf (fx SEL §107)")
    return {str(p): _number(v, f"daily_non_staff '{k}'") for p, (k, v) in zip(names.values, raw.items())}


def _version(raw: object, n: int) -> CostModel:
    """One [[cost_model]] table, every key checked."""
    if not isinstance(raw, dict):
        raise ValueError(f"version {n} skal være et afsnit [[cost_model]]")
    unknown, missing = set(raw) - set(KEYS), [k for k in KEYS if k not in raw]
    if unknown or missing:
        raise ValueError(f"version {n}: " + ("ukendt " + ", ".join(sorted(unknown)) if unknown else "mangler " + ", ".join(missing)))
    if not isinstance(raw["valid_from"], dt.date) or not isinstance(raw["label"], str):
        raise ValueError(f"version {n}: valid_from skal være en dato (2026-01-01, uden anførselstegn) og label en tekst")
    shares = _shifts(raw["hour_shares"], f"version {n}: hour_shares", 1.0)
    if abs(sum(shares.values()) - 1) > 1e-9:
        raise ValueError(f"version {n}: hour_shares skal summe til 1, ikke {sum(shares.values()):g}")
    return CostModel(
        valid_from=pd.Timestamp(raw["valid_from"]),
        label=raw["label"],
        staff_cost_per_hour=_shifts(raw["staff_cost_per_hour"], f"version {n}: staff_cost_per_hour", 100_000.0),
        hour_shares=shares,
        on_cost=_number(raw["on_cost"], f"version {n}: on_cost", 0.0, 5.0),
        overhead=_number(raw["overhead"], f"version {n}: overhead", 0.0, 5.0),
        occupancy=_number(raw["occupancy"], f"version {n}: occupancy", 0.01, 1.0),
        daily_non_staff=_non_staff(raw["daily_non_staff"]),
    )


def cost_models(raw: object) -> tuple[CostModel, ...]:
    """The [[cost_model]] versions of a mapping file, by valid_from; a ValueError in Danish naming what is wrong."""
    versions = raw if isinstance(raw, list) else [raw]
    out = sorted((_version(v, n) for n, v in enumerate(versions, 1)), key=lambda m: m.valid_from)
    days = [m.valid_from for m in out]
    if len(set(days)) != len(days):
        raise ValueError("to versioner har samme valid_from")
    return tuple(out)


def version_on(models: tuple[CostModel, ...], day: pd.Timestamp) -> CostModel | None:
    """The version in force on a day: the latest that applies from that day or earlier (None before the first)."""
    return next((m for m in reversed(models) if m.valid_from <= day), None)


def fair_cost(months: pd.DataFrame, models: tuple[CostModel, ...]) -> pd.DataFrame:
    """Per order-month row (ordered_hours, active_days, paragraph, month): the model's cost of the month, `fair_cost` =
    (ordered hours × the staff cost of an hour + the paragraph's daily non-staff amount × active days) × (1 + overhead)
    / occupancy, by the version in force on the month's last day, and that version's name in `model`; an add-on
    (`is_addon`) is support on top of a place, so its daily amount is not added. Missing where there is no version
    yet, the order has no hours per week, or the version has no amount for its paragraph (a model that does not cover
    a paragraph prices none of its orders, add-ons included)."""
    if months.empty:
        return pd.DataFrame({"fair_cost": pd.Series(dtype="float64"), "model": pd.Series(dtype=object)}, index=months.index)
    ends = pd.PeriodIndex([str(m) for m in months["month"]], freq="M").to_timestamp(how="end").normalize()
    chosen = [version_on(models, e) for e in ends]
    addon = months["is_addon"].fillna(False).astype(bool) if "is_addon" in months else pd.Series(False, index=months.index)
    fair = [
        (h * m.hourly + m.daily_non_staff.get(str(par), float("nan")) * (0.0 if extra else d)) * (1 + m.overhead) / m.occupancy
        if m
        else float("nan")
        for m, h, d, par, extra in zip(chosen, months["ordered_hours"], months["active_days"], months["paragraph"], addon)
    ]
    return pd.DataFrame(
        {"fair_cost": pd.Series(fair, index=months.index, dtype="float64"), "model": [m.name if m else None for m in chosen]},
        index=months.index,
    )
