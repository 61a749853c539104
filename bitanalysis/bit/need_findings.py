"""need_findings: the findings of the assessed need (B) against the orders — the latest level per citizen and theme,
need_not_covered, order_without_need and stale_assessment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.finding_types import _rows
from bitanalysis.core.parse import text_key
from bitanalysis.core.period import Period
from bitanalysis.core.settings import Settings
from bitanalysis.workspace.workspace import Workspace


def latest_levels(assessments: pd.DataFrame, p: Period) -> pd.DataFrame:
    """Per citizen and theme (case and spacing ignored), the latest assessment row on or before the period's last day."""
    a = assessments[assessments["assessed_on"] <= p.end].assign(theme_key=lambda f: text_key(f["theme"]))
    a = a.sort_values(["citizen_id", "theme_key", "assessed_on", "source_row"], na_position="first")
    return a.drop_duplicates(["citizen_id", "theme_key"], keep="last")[["citizen_id", "theme", "theme_key", "level", "assessed_on"]]


def need_findings(o: pd.DataFrame, ws: Workspace, p: Period, s: Settings) -> list[pd.DataFrame]:
    """need_not_covered, order_without_need and stale_assessment."""
    latest = latest_levels(ws.assessments, p)
    citizens = o["citizen_id"].unique()
    themes = o[["order_id", "citizen_id", "themes"]].explode("themes").dropna(subset=["themes"])
    themes = themes.assign(theme_key=text_key(themes["themes"])).drop(columns=["themes"])
    needs = latest[latest["citizen_id"].isin(citizens) & (latest["level"] >= s.uncovered_need_level).fillna(False)]
    gap = needs.merge(themes[["citizen_id", "theme_key"]].drop_duplicates(), how="left", indicator=True)
    gap = gap[gap["_merge"] == "left_only"]
    gap_text = pd.Series(
        [
            f"Temaet '{t}' er vurderet til niveau {lvl} ({d:%d-%m-%Y}), men ingen aktiv bevilling dækker det."
            for t, lvl, d in zip(gap["theme"], gap["level"], gap["assessed_on"])
        ],
        index=gap.index,
        dtype=object,
    )
    supported = latest[(latest["level"] >= s.supporting_need_level).fillna(False)][["citizen_id", "theme_key"]]
    with_need = themes.merge(supported, on=["citizen_id", "theme_key"])["order_id"]
    unneeded = o[o["citizen_id"].isin(latest["citizen_id"].unique()) & ~o["order_id"].isin(with_need.unique())]
    unneeded_text = pd.Series(
        [
            f"Ingen af bevillingens temaer ({', '.join(t) or 'ingen angivet'}) har et vurderet behov "
            f"på niveau {s.supporting_need_level} eller mere."
            for t in unneeded["themes"]
        ],
        index=unneeded.index,
        dtype=object,
    )
    last = latest.groupby("citizen_id")["assessed_on"].max().reindex(citizens).reset_index(drop=True)
    age = (p.end - last).dt.days
    stale = pd.DataFrame({"citizen_id": citizens, "last": last})[(age > s.stale_after_days) | age.isna()]
    stale_text = pd.Series(
        [
            f"Seneste udredning er fra {d:%d-%m-%Y}, mere end {s.stale_after_days} dage før periodens slutning."
            if pd.notna(d)
            else "Borgeren har en aktiv bevilling, men ingen udredning."
            for d in stale["last"]
        ],
        index=stale.index,
        dtype=object,
    )
    return [
        _rows("need_not_covered", gap, np.nan, gap_text, detail=gap["theme_key"]),
        _rows("order_without_need", unneeded, unneeded["cost"], unneeded_text),
        _rows("stale_assessment", stale, np.nan, stale_text),
    ]
