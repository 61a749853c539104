"""The small-cell rule: groups of fewer than five citizens are shown as "<5", their amounts and shares hidden (and the
next smallest group's too where one alone is small), so no one citizen's figures can be read off or worked out; and
the rule in words for a report's appendix."""

from __future__ import annotations

import pandas as pd

from bitanalysis.core.privacy import SMALL

SMALL_CELLS = (
    f'En gruppe på 1–{SMALL - 1} borgere (eller pladser) vises som "<{SMALL}", og dens beløb og andele er udeladt; er kun én '
    "gruppe så lille, udelades også den næstmindste gruppes beløb og andele, så den lille ikke kan regnes ud af en total. "
    "Rækker for den enkelte borger står med pseudonym."
)


def hidden_rows(frame: pd.DataFrame, count: str = "citizens", within: str | None = None) -> pd.Series:
    """The rows whose amounts and shares may not be shown: counts of 1 to 4, and where only one row (of each `within`
    group, e.g. a month) is that small, the next smallest as well, so the small one cannot be worked out from a total."""
    n = pd.to_numeric(frame[count], errors="coerce")
    hidden = n.between(1, SMALL - 1)
    groups = [frame[within]] if within else [pd.Series(0, index=frame.index)]
    for _, rows in n.groupby(groups, dropna=False):
        small, others = hidden[rows.index], rows[~hidden[rows.index] & (rows > 0)]
        if small.sum() == 1 and len(others):
            hidden[others.idxmin()] = True
    return hidden


def suppress_small(frame: pd.DataFrame, count: str = "citizens", hide: tuple[str, ...] = (), within: str | None = None) -> pd.DataFrame:
    """Counts of 1 to 4 shown as '<5', and in the hidden rows (see `hidden_rows`) the listed columns and every share
    column blanked, so no one citizen's figures can be read off or worked out."""
    hidden = hidden_rows(frame, count, within)
    n = pd.to_numeric(frame[count], errors="coerce")
    out = frame.astype({count: object})
    out.loc[n.between(1, SMALL - 1), count] = f"<{SMALL}"
    shares = [c for c in frame.columns if c == "share" or str(c).endswith("_share")]
    for c in dict.fromkeys([*hide, *shares]):
        out[c] = out[c].astype(object)
        out.loc[hidden, c] = None
    return out


def _count(citizens: int) -> str:
    """A number of citizens, or '<5' for fewer than 5 (so no one citizen can be read off)."""
    return f"<{SMALL}" if citizens < SMALL else str(citizens)
