"""Providers known by name: a name, alias or Tilbudsportalen id in one export and an id in another are one provider.

The known providers are the rows of the providers table (id, name, aliases, portal id) and every provider id written
beside a name in the orders or the rates. Names are compared as contract §2.1 compares text (case and spacing
ignored). Resolution runs once per distinct value, never per row: the delivery rows may be millions.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pandas as pd

from bitanalysis.core.errors import error_line, safe_value, source_counts
from bitanalysis.core.parse import text_key
from bitanalysis.core.schema import INPUT_ONLY, TABLES, recode

#: The tables whose rows name a provider by id or by name, in the order they are resolved (orders first: without a
#: providers table, a name only the orders give becomes its own id, which the rates and deliveries then find).
NAMED = ("orders", "rates", "deliveries")


@dataclass
class Directory:
    """The known providers: their ids, and the ids each name, alias or portal id stands for (by its text key)."""

    ids: set[str] = field(default_factory=set)
    by_key: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # text key -> a name or alias as first written (for suggestions)
    listed: bool = False  # whether a providers table gave rows

    def add(self, frame: pd.DataFrame, shown: bool) -> None:
        """Add (provider_id, name) rows; `shown`: the names may be suggested in messages (portal ids are not)."""
        frame = frame.dropna().drop_duplicates()
        for pid, name, key in zip(frame["provider_id"], frame["name"], keys(frame["name"])):
            self.ids.add(pid)
            self.by_key.setdefault(key, set()).add(pid)
            if shown:
                self.names.setdefault(key, " ".join(str(name).split()))

    def lookup(self, key: str) -> set[str]:
        """The ids a name's text key stands for (none, one, or several: ambiguous)."""
        return self.by_key.get(key, set())


def keys(values: pd.Series) -> list[str]:
    """The text keys (contract §2.1) of values: lower case, runs of whitespace as one space."""
    return text_key(values.astype("string")).tolist()


def directory(tables: dict[str, pd.DataFrame]) -> Directory:
    """The known providers: the providers table's ids, names, aliases and portal ids, and the orders' and rates'
    rows that give both a provider id and a name."""
    d = Directory()
    p = tables.get("providers")
    if p is not None and len(p):
        d.listed = True
        d.ids |= set(p["provider_id"].dropna())
        aliases = p[["provider_id", "aliases"]].explode("aliases").rename(columns={"aliases": "name"})
        d.add(pd.concat([p[["provider_id", "name"]], aliases], ignore_index=True).astype(object), shown=True)
        d.add(p[["provider_id", "portal_id"]].rename(columns={"portal_id": "name"}).astype(object), shown=False)
    for t in ("orders", "rates"):
        frame = tables.get(t)
        if frame is not None and "provider_name" in frame and len(frame):
            d.add(frame[["provider_id", "provider_name"]].rename(columns={"provider_name": "name"}).astype(object), shown=True)
    return d


def _renamed_ids(ids: pd.Series, d: Directory) -> pd.Series:
    """Ids that are no known id but one known provider's name, alias or portal id, as that provider's id."""
    unknown = pd.Series([v for v in ids.dropna().unique() if v not in d.ids], dtype="string")
    rename = {v: next(iter(hits)) for v, k in zip(unknown, keys(unknown)) if len(hits := d.lookup(k)) == 1}
    return recode(ids, lambda v: v.map(rename).fillna(v).astype("string")) if rename else ids


def _adopt(names: pd.Series, d: Directory) -> None:
    """Names no known provider has, taken as their own ids (whitespace normalised; one id per text key): the rule for
    a municipality whose exports know providers by name only (no providers table)."""
    new = pd.DataFrame({"name": names, "key": keys(names)})
    new = new[pd.Series([not d.lookup(k) for k in new["key"]], index=new.index, dtype=bool)].drop_duplicates("key")
    d.add(pd.DataFrame({"provider_id": [" ".join(n.split()) for n in new["name"]], "name": new["name"]}), shown=True)


def _suggestions(key: str, d: Directory) -> list[str]:
    """Up to three known names nearest a name: those that hold it or it holds, then the most alike."""
    inside = [k for k in d.names if key and (key in k or k in key)]
    alike = difflib.get_close_matches(key, list(d.names), n=3, cutoff=0.5)
    return [d.names[k] for k in dict.fromkeys(inside + alike)][:3]


def _problem(name: str, hits: set[str], d: Directory) -> tuple[str, str]:
    """What was expected and the Danish message for a name that is no known provider or fits several."""
    shown = safe_value(name)
    if hits:
        count = "to" if len(hits) == 2 else str(len(hits))
        ids = ", ".join(sorted(hits))
        return "et navn, der kun passer på ét tilbud", (
            f"'{shown}' passer på {count} tilbud ({ids}); skriv tilbuddets id eller gør navnet entydigt i tilbudstabellen"
        )
    near = _suggestions(keys(pd.Series([name]))[0], d)
    if near:
        listed = ", ".join(f"'{n}'" for n in near)
        hint = f"nærmeste kendte navne: {listed}; tilføj navnet som alias i tilbudstabellen"
    elif d.names:
        hint = "intet kendt navn ligner det; tilføj tilbuddet (id og navn) i tilbudstabellen"
    else:
        hint = "ingen tilbudstabel eller bevilling nævner tilbuddet med id; tilføj en tilbudstabel med id og navn"
    return "et kendt tilbudsnavn eller alias", f"tilbuddet '{shown}' kendes ikke; {hint}"


def _name_errors(frame: pd.DataFrame, table: str, rejected: pd.Series, d: Directory) -> list[dict]:
    """One error line per row whose provider name is unknown or ambiguous."""
    column = next(c.label for c in TABLES[table] if c.name == "provider_name")
    problems = {n: _problem(n, d.lookup(k), d) for n, k in zip(*_distinct(frame.loc[rejected, "provider_name"]))}
    lines = []
    for r in frame.loc[rejected].itertuples(index=False):
        file, _, sheet = str(r.source).partition(", ark ")
        expected, message = problems[r.provider_name]
        row = None if pd.isna(r.source_row) else int(r.source_row)
        shown, citizen = safe_value(r.provider_name), getattr(r, "citizen_id", None)
        lines.append(error_line(table, file, sheet.strip("'") or None, row, column, shown, expected, message, citizen))
    return lines


def _distinct(values: pd.Series) -> tuple[list[str], list[str]]:
    """The distinct present values and their text keys."""
    distinct = pd.Series(values.dropna().unique(), dtype="string")
    return distinct.tolist(), keys(distinct)


def _without_inputs(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table without the columns only read to resolve providers (a delivery's provider name)."""
    read_only = [c for c in INPUT_ONLY.get(table, {}) if c in frame]
    return frame.drop(columns=read_only) if read_only else frame


def _by_name(ids: pd.Series, names: pd.Series, table: str, d: Directory) -> tuple[pd.Series, pd.Series]:
    """Empty ids filled from the rows' names (once per distinct name), and the rows whose name resolves to no one id."""
    wanted = ids.isna() & names.notna()
    if not wanted.any():
        return ids, wanted
    if table == "orders" and not d.listed:
        _adopt(pd.Series(names[wanted].unique(), dtype="string"), d)
    ids = ids.astype("string")  # a compact (categorical) column takes no new ids
    distinct, ks = _distinct(names[wanted])
    found = {n: next(iter(hits)) for n, k in zip(distinct, ks) if len(hits := d.lookup(k)) == 1}
    ids = ids.where(~wanted, names[wanted].map(found).astype("string"))
    return ids, wanted & ids.isna()


def _resolve(frame: pd.DataFrame, table: str, d: Directory) -> tuple[pd.DataFrame, list[dict], pd.Series]:
    """One table's provider ids from their names: the frame without the rows no name resolves, their error lines, and
    how many rows each source lost."""
    none = pd.Series(dtype=int)
    if frame.empty:
        return _without_inputs(frame, table), [], none
    given = frame["provider_id"] if isinstance(frame["provider_id"].dtype, pd.CategoricalDtype) else frame["provider_id"].astype("string")
    ids, rejected = _renamed_ids(given, d), pd.Series(False, index=frame.index)
    if "provider_name" in frame:
        ids, rejected = _by_name(ids, frame["provider_name"].astype("string"), table, d)
    if ids is not given:  # the frame changed only where an id did (the delivery rows may be millions)
        frame = frame.assign(provider_id=ids)
    if not rejected.any():
        return _without_inputs(frame, table), [], none
    errors = _name_errors(frame, table, rejected, d)
    return _without_inputs(frame.loc[~rejected], table), errors, source_counts(frame.loc[rejected, "source"])


def _named_as_listed(frame: pd.DataFrame, providers: pd.DataFrame) -> pd.DataFrame:
    """Empty provider names filled with the providers table's name for the row's id (a given name is kept)."""
    if frame.empty or providers.empty or "provider_name" not in frame:
        return frame
    listed = providers.dropna(subset=["provider_id", "name"]).drop_duplicates("provider_id").set_index("provider_id")["name"]
    return frame.assign(provider_name=frame["provider_name"].fillna(frame["provider_id"].map(listed)).astype("string"))


def resolve_providers(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[dict], dict[str, pd.Series]]:
    """Every provider written by name (or by a name in the id column) as its provider id, in the orders, rates and
    deliveries: the tables, one Danish error line per row whose name is unknown or ambiguous (the row is left out),
    and per table how many rows each source lost."""
    out, errors, lost = dict(tables), [], {}
    d = directory(tables)
    for table in NAMED:
        if table not in out:
            continue
        out[table], table_errors, lost[table] = _resolve(out[table], table, d)
        errors += table_errors
        if table != "deliveries" and "providers" in out:
            out[table] = _named_as_listed(out[table], out["providers"])
    return out, errors, lost
