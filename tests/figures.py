"""The findings and leader-report figures for one period, through the public surface only.

`tests/data/figures_2026-10.json` holds them as computed before the package was split into subpackages
(`python -m tests.figures` writes it anew); test_layout compares today's figures with it, so a move that changes a
number fails.
"""

import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

import bitanalysis as bit
from bitanalysis import economics as eco

FIGURES = Path(__file__).parent / "data" / "figures_2026-10.json"
PERIOD = "2026-10"
PRIVATE = ("pseudonym", "citizen", "cpr", "name_of", "note")  # keyed by the test key or personal: left out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as plain values in a fixed order, money rounded to the øre."""
    frame = frame.reset_index(drop=frame.index.name is None and not isinstance(frame.index, pd.MultiIndex))
    keep = [c for c in frame.columns if not any(p in str(c).lower() for p in PRIVATE)]
    frame = frame[keep]
    rows = [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def _plain(value: Any) -> Any:
    """A JSON value: floats rounded, missing as None, dates as ISO text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, pd.Period)):
        return str(value)
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, (int, bool, str)):
        return value
    return str(value)


def figures(ws: bit.Workspace) -> dict[str, Any]:
    """What the leader report and the findings list show for the period, as JSON values."""
    p = bit.period(PERIOD)
    base = bit.year_before(p)
    year = p.last.year
    gaps = eco.cost_gaps(ws, p)
    return {
        "findings": _records(bit.findings(ws, p)),
        "summary": _records(bit.summarise(bit.findings(ws, p))),
        "traffic_light": _records(bit.traffic_light(ws, p)),
        "days_without_cost": int(gaps.days_without_cost),
        "budget": _records(eco.budget_followup(ws, year, p.end)),
        "spend_now": _records(eco.spend(ws, p, "paragraph")),
        "spend_before": _records(eco.spend(ws, base, "paragraph")),
        "full_year_persons_provider": _records(eco.full_year_persons(ws, p, "provider_name")),
        "full_year_persons_paragraph": _records(eco.full_year_persons(ws, p, "paragraph")),
        "price_benchmark": _records(eco.price_benchmark(ws, p)),
    }


if __name__ == "__main__":
    from tests.conftest import SAMPLE, TEST_KEY

    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps(figures(bit.load(SAMPLE, key=TEST_KEY)), indent=1, ensure_ascii=False) + "\n")
    sys.stdout.write(f"wrote {FIGURES}\n")
