"""finding_types: the finding types and the direction of each (contract §3), and the one shape every rule gives its
finding rows."""

from __future__ import annotations

import pandas as pd

from bitanalysis.core.danish import number

#: Finding type → its direction (contract §3).
DIRECTION = {
    "under_delivery": "over",
    "over_delivery": "under",
    "missing_evidence": "unknown",
    "rate_above_order": "over",
    "order_above_rate": "under",
    "addon_unsupported": "over",
    "double_payment": "over",
    "need_not_covered": "under",
    "order_without_need": "over",
    "stale_assessment": "unknown",
    "documentation_without_order": "unknown",
    "rate_missing": "unknown",
    "hours_missing": "unknown",
    "tasks_not_summing": "unknown",
    "task_without_need": "over",
    "need_without_task": "under",
    "price_above_peers": "over",
    "price_above_model": "over",
    "price_below_model": "under",
}


def _rows(kind: str, frame: pd.DataFrame, dkk: pd.Series | float, evidence: pd.Series, detail: pd.Series | None = None) -> pd.DataFrame:
    """Finding rows of one type from a frame with citizen_id (and order_id, provider_id where they apply); `detail` tells
    apart the rows of one type with the same citizen, order and provider (the theme, the other order of a pair)."""
    out = pd.DataFrame(
        {
            "type": kind,
            "citizen_id": frame["citizen_id"].to_numpy(),
            "order_id": frame["order_id"].to_numpy() if "order_id" in frame else None,
            "provider_id": frame["provider_id"].to_numpy() if "provider_id" in frame else None,
            "direction": DIRECTION[kind],
            "dkk_at_stake": pd.Series(dkk, index=frame.index, dtype="float64").to_numpy(),
            "evidence": pd.Series(evidence, index=frame.index).to_numpy(),
            "_detail": detail.to_numpy() if detail is not None else None,
        }
    )
    return out


def _hours(h: float) -> str:
    return number(h, 1)
