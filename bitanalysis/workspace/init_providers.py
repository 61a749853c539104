"""The providers table `bitanalysis init` proposes: every provider the exports name with an id and a name, and the
other names each goes by (a name surely meaning one known provider, by `similarity`), with the names it could not tie.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import pandas as pd

from bitanalysis.io.providers import keys
from bitanalysis.workspace.init_sections import Section
from bitanalysis.workspace.init_survey import Seen


@dataclass
class Providers:
    """The providers init saw: names to write as a providers table (with proposed aliases), and names it could not tie."""

    known: dict[str, str] = field(default_factory=dict)  # provider id -> name
    aliases: dict[str, list[str]] = field(default_factory=dict)  # provider id -> other names seen
    unresolved: list[str] = field(default_factory=list)
    has_table: bool = False

    def frame(self) -> pd.DataFrame:
        """The providers table to write: id, name and the other names it goes by."""
        ids = sorted(self.known, key=str)
        return pd.DataFrame(
            {
                "TilbudsID": ids,
                "Tilbudsnavn": [self.known[i] for i in ids],
                "Andre navne": ["; ".join(self.aliases.get(i, [])) for i in ids],
            }
        )


_LEGAL = re.compile(r"\b(?:aps|a/s|a s|i/s|i s|s/i|s i|k/s|k s|fond|foreningen|selvejende institution|den selvejende institution)\b")


def _core(name: str) -> str:
    """A name without case, punctuation and legal form ("Solhuset ApS" -> "solhuset")."""
    text = _LEGAL.sub(" ", " ".join(name.casefold().split()))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _parts(name: str) -> set[str]:
    """A name's part in brackets and the rest ("Caroline (Marie Hjem)" -> "marie hjem", "caroline")."""
    inside = {_core(m) for m in re.findall(r"\(([^)]*)\)", name)}
    return (inside | {_core(re.sub(r"\([^)]*\)", " ", name))}) - {""} if inside else set()


def similarity(short: str, known: str) -> float:
    """How surely a name written one way is a known provider's name: 1 for the same name, less for a part of it."""
    a, b = _core(short), _core(known)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in _parts(known) or b in _parts(short):
        return 0.9
    ta, tb = set(a.split()), set(b.split())
    if (ta <= tb or tb <= ta) and all(len(t) >= 3 for t in ta & tb) and ta & tb:
        return 0.8
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return ratio * 0.9 if ratio >= 0.85 else 0.0


def closest(name: str, known: dict[str, str]) -> str | None:
    """The one known provider (id) a name surely means, or None when none or two fit about as well."""
    ranked = sorted(((similarity(name, n), i) for i, n in known.items()), reverse=True)
    if not ranked or ranked[0][0] < 0.75:
        return None
    if len(ranked) > 1 and ranked[1][0] >= ranked[0][0] - 0.05 and ranked[1][1] != ranked[0][1]:
        return None
    return ranked[0][1]


def _provider_cells(s: Seen) -> tuple[pd.Series | None, pd.Series | None]:
    """A sheet's provider ids and names as the loader reads them (None where the sheet has no such column)."""
    from bitanalysis.core.parse import parse_id, parse_text

    r = s.reading
    assert r is not None
    ids = parse_id(s.raw.frame[r.choices["provider_id"].source]).values if "provider_id" in r.choices else None
    names = parse_text(s.raw.frame[r.choices["provider_name"].source]).values if "provider_name" in r.choices else None
    return ids, names


def _listed(sec: Section, found: Providers) -> None:
    """The providers a providers table in the folder already lists, by id and name."""
    from bitanalysis.core.parse import parse_id, parse_text

    for s in sec.seen:
        r = s.reading
        if r is not None and "provider_id" in r.choices and "name" in r.choices:
            ids = parse_id(s.raw.frame[r.choices["provider_id"].source]).values
            names = parse_text(s.raw.frame[r.choices["name"].source]).values
            both = ids.notna() & names.notna()
            for i, n in zip(ids[both], names[both]):
                found.known.setdefault(str(i), " ".join(str(n).split()))


def _name_refs(secs: list[Section], found: Providers) -> list[tuple[str, str]]:
    """Providers written by name without an id, as (table, name); every id written beside a name is learnt."""
    refs: list[tuple[str, str]] = []
    for sec in secs:
        if sec.table == "providers":
            found.has_table = True
            _listed(sec, found)
        if sec.table not in ("orders", "rates", "deliveries"):
            continue
        for s in sec.seen:
            ids, names = _provider_cells(s)
            if names is None:
                continue
            if ids is not None:
                both = ids.notna() & names.notna()
                for i, n in zip(ids[both], names[both]):
                    found.known.setdefault(str(i), " ".join(str(n).split()))
                names = names[ids.isna()]
            refs += [(sec.table, " ".join(str(n).split())) for n in names.dropna().unique()]
    return list(dict.fromkeys(refs))


def propose_providers(secs: list[Section]) -> Providers:
    """The providers table to propose: every provider seen with an id and a name, and the other names each goes by."""
    found = Providers()
    refs = _name_refs(secs, found)
    if not found.known:  # no export pairs an id with a name: the orders' names are the providers' ids
        found.known = {n: n for table, n in refs if table == "orders"}
    written = set(keys(pd.Series(list(found.known.values()), dtype="string")))
    taken: dict[str, set[str]] = {}
    for (_, name), key in zip(refs, keys(pd.Series([n for _, n in refs], dtype="string"))):
        if key in written or name in found.known:
            continue
        hit = closest(name, found.known)
        if hit is None:
            found.unresolved.append(name)
        elif key not in taken.setdefault(hit, set()):
            taken[hit].add(key)
            found.aliases.setdefault(hit, []).append(name)
    return found
