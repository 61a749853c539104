"""delivery_findings: the findings of delivery against the order — under_delivery, over_delivery, missing_evidence,
addon_unsupported, and documentation_without_order (delivery rows that match no order)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.finding_types import _hours, _rows
from bitanalysis.core.danish import kr, number
from bitanalysis.core.settings import Settings


def delivery_findings(o: pd.DataFrame, s: Settings, with_delivery: set) -> list[pd.DataFrame]:
    """under_delivery, over_delivery, missing_evidence and addon_unsupported."""
    under = o[o["delivery_ratio"] < s.under_delivery_ratio]
    over = o[o["delivery_ratio"] > s.over_delivery_ratio]
    missing = o[(o["active_days"] > 0) & ~o["order_id"].isin(with_delivery)]
    addon = o[o["is_addon"].fillna(False).astype(bool) & ((o["delivery_ratio"] < s.addon_min_ratio) | o["end_date"].isna())]

    def sizes(f: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [
                f"bestilt {_hours(a)} timer, leveret {_hours(b)} timer ({number(100 * r, 0)} %)"
                for a, b, r in zip(f["ordered_hours"], f["delivered_hours"], f["delivery_ratio"])
            ],
            index=f.index,
            dtype=object,
        )

    addon_why = pd.Series(
        np.where(addon["end_date"].isna(), "tillægget har ingen slutdato", "tillægget er kun leveret delvist"), index=addon.index
    )
    return [
        _rows(
            "under_delivery",
            under,
            (under["ordered_hours"] - under["delivered_hours"]) * under["implied_hourly_price"],
            "Leveret mindre end bestilt: " + sizes(under) + ".",
        ),
        _rows(
            "over_delivery",
            over,
            (over["delivered_hours"] - over["ordered_hours"]) * over["implied_hourly_price"],
            "Leveret mere end bestilt: " + sizes(over) + "; borgeren kan have brug for mere, end der er bevilget.",
        ),
        _rows(
            "missing_evidence",
            missing,
            missing["cost"],
            pd.Series(
                [
                    f"Ingen dokumentation af levering i perioden for en aktiv bevilling ({d} dage, {kr(c)})."
                    for d, c in zip(missing["active_days"], missing["cost"])
                ],
                index=missing.index,
                dtype=object,
            ),
        ),
        _rows("addon_unsupported", addon, addon["cost"], "Tillægsydelse: " + addon_why + "; " + sizes(addon) + "."),
    ]


def documentation_without_order(status: pd.DataFrame) -> pd.DataFrame:
    """One finding per citizen and provider with delivery rows that match no order (from `delivery_status`)."""
    g = status[status["status"] == "unmatched"].reset_index(drop=True)
    text = pd.Series(
        [
            f"{n} dokumentationsrækker ({_hours(m / 60)} timer) uden en aktiv bevilling hos tilbuddet."
            for n, m in zip(g["rows"], g["minutes"])
        ],
        index=g.index,
        dtype=object,
    )
    return _rows("documentation_without_order", g, np.nan, text)
