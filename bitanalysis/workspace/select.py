"""Filters for notebooks and reports: values normalised as the loader normalises the exports, unknown ones named."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from bitanalysis.core.parse import text_key
from bitanalysis.core.parse_codes import parse_paragraph
from bitanalysis.io.providers import directory
from bitanalysis.workspace.workspace import Workspace

#: Columns compared as the loader compares text (contract §2.1): case and spacing ignored.
TEXT_COLUMNS = ("team", "target_group", "service", "theme", "area")
#: Id columns: 4512 and "004512" are one id (the loader keeps the padded form).
ID_COLUMNS = ("provider_id", "order_id", "citizen_id")
#: What each filter is called in Danish, singular.
NOUN = {
    "provider_id": "tilbud",
    "paragraph": "paragraf",
    "team": "team",
    "target_group": "målgruppe",
    "service": "ydelse",
    "rate_level": "takstniveau",
    "citizen_id": "borger",
    "order_id": "bevilling",
}


def _values(value: object) -> list:
    """A filter value as a list of values (a list, tuple or set is 'any of these')."""
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _id_key(values: pd.Series) -> pd.Series:
    """Ids compared without leading zeros where they are all digits."""
    text = values.astype("string").str.strip()
    return text.where(~text.str.fullmatch(r"\d+").fillna(False), text.str.lstrip("0").replace("", "0"))


def normalise(column: str, value: object) -> object:
    """A filter value as the loader writes it: "§ 85" → "SEL §85", 4512 → "4512", " Team  Nord" → "team nord"."""
    if column == "paragraph":
        parsed = parse_paragraph(pd.Series([value], dtype=object)).values.iloc[0]
        return parsed if isinstance(parsed, str) else value
    if column in ID_COLUMNS:
        return _id_key(pd.Series([value], dtype=object).map(lambda v: f"{v:.0f}" if isinstance(v, float) and v.is_integer() else v)).iloc[0]
    if column in TEXT_COLUMNS:
        return text_key(pd.Series([value])).iloc[0]
    return value


def _key(column: str, values: pd.Series) -> pd.Series:
    """A column's values in the form `normalise` gives a filter value."""
    if column in ID_COLUMNS:
        return _id_key(values)
    if column in TEXT_COLUMNS:
        return text_key(values)
    return values


def _through(frame: pd.DataFrame, column: str, ws: Workspace | None) -> pd.Series | None:
    """A column the frame lacks, looked up through its order (or its citizen): a finding's paragraph or team."""
    if ws is None:
        return None
    if "order_id" in frame and column in ws.orders:
        by_order = ws.orders.drop_duplicates("order_id").set_index("order_id")[column]
        values = frame["order_id"].map(by_order)
        if column in ws.citizens and "citizen_id" in frame:
            values = values.fillna(frame["citizen_id"].map(ws.citizens.drop_duplicates("citizen_id").set_index("citizen_id")[column]))
        return values
    if "citizen_id" in frame and column in ws.citizens:
        return frame["citizen_id"].map(ws.citizens.drop_duplicates("citizen_id").set_index("citizen_id")[column])
    return None


def values_of(frame: pd.DataFrame, column: str, ws: Workspace | None = None) -> pd.Series | None:
    """A column of the frame with its gaps filled through each row's order or citizen (an order's team from the
    citizens table); a column the frame lacks, looked up that way (a finding's paragraph); None where neither can."""
    through = _through(frame, column, ws)
    if column not in frame:
        return through
    return frame[column] if through is None or not frame[column].isna().any() else frame[column].fillna(through)


def select(frame: pd.DataFrame, ws: Workspace | None = None, **equals: object) -> pd.DataFrame:
    """The rows whose columns equal the given values (a list: any of them); None selects everything.

    Values compare as the loader normalises the exports: a paragraph as "SEL §85" however written, ids with or without
    leading zeros, team, target group and service without case or spacing. With `ws`, a column the frame lacks is
    looked up through each row's order or citizen (a finding's paragraph), and a provider may be given by name.
    """
    keep = pd.Series(True, index=frame.index)
    for column, value in equals.items():
        if value is None:
            continue
        values = values_of(frame, column, ws)
        if values is None:
            raise KeyError(f"Tabellen har ingen kolonne '{column}' at vælge efter")
        wanted = [normalise(column, v) for v in _values(value)]
        if column == "provider_id" and ws is not None:
            wanted = [normalise(column, v) for v in _provider_ids(ws, _values(value))]
        keep &= _key(column, values).isin(wanted).fillna(False).astype(bool)
    return frame[keep]


def _provider_ids(ws: Workspace, values: list) -> list:
    """Provider ids for filter values that are ids, names or aliases (a value no provider has stays as given)."""
    d = directory(ws.tables())
    ids = {normalise("provider_id", i): i for i in d.ids | set(ws.orders["provider_id"].dropna())}
    out = []
    for v in values:
        key = normalise("provider_id", v)
        hits = d.lookup(text_key(pd.Series([str(v)])).iloc[0]) if key not in ids else set()
        out.extend(sorted(hits) if hits else [v])
    return out


def _known(ws: Workspace, column: str) -> pd.Series:
    """The values a filter on the column can select in this workspace."""
    tables = [t for t in (ws.orders, ws.citizens, ws.rates, ws.deliveries) if column in t]
    return pd.concat([t[column] for t in tables], ignore_index=True).dropna().drop_duplicates() if tables else pd.Series([], dtype=object)


def provider_names(ws: Workspace) -> pd.Series:
    """Each provider id's name: the providers table's, else the one the orders (then rates) give most often."""
    named = [ws.providers.rename(columns={"name": "provider_name"})] if len(ws.providers) else []
    named += [t[["provider_id", "provider_name"]] for t in (ws.orders, ws.rates) if "provider_name" in t]
    pairs = pd.concat(named, ignore_index=True)[["provider_id", "provider_name"]].dropna()
    if pairs.empty:
        return pd.Series([], dtype="string", name="provider_name")
    top = pairs.groupby(["provider_id", "provider_name"], sort=False).size().reset_index(name="n")
    return top.sort_values("n", ascending=False, kind="stable").drop_duplicates("provider_id").set_index("provider_id")["provider_name"]


def _listing(column: str, known: pd.Series, ws: Workspace, limit: int = 40) -> str:
    """The known values of a filter, as a Danish list (providers with their names)."""
    values = sorted(map(str, known))
    if column == "provider_id":
        names = provider_names(ws)
        values = [f"{v} ({names[v]})" if v in names.index else v for v in values]
    more = f" og {len(values) - limit} flere" if len(values) > limit else ""
    return ", ".join(values[:limit]) + more if values else "ingen"


@dataclass(frozen=True)
class Selection:
    """Filters checked against a workspace: apply it to a frame with `selection(frame)`; `problems` names unknown values."""

    ws: Workspace = field(repr=False)
    equals: dict[str, object]
    problems: tuple[str, ...] = ()

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of the frame in the selection."""
        return select(frame, self.ws, **self.equals)

    @property
    def label(self) -> str:
        """The selection in Danish words: 'tilbud 004512 (Solgården), paragraf SEL §85', or 'alle'."""
        names = provider_names(self.ws)
        parts = []
        for column, value in self.equals.items():
            shown = [f"{v} ({names[v]})" if column == "provider_id" and v in names.index else str(v) for v in _values(value)]
            parts.append(f"{NOUN.get(column, column)} {' eller '.join(shown)}")
        return ", ".join(parts) or "alle"

    def _repr_markdown_(self) -> str:
        lines = [f"**Udvalg:** {self.label}."] + [f"- ⚠ {p}" for p in self.problems]
        return "\n".join(lines)


def selection(ws: Workspace, **filters: object) -> Selection:
    """Filters for a notebook, normalised like the loader; a value the data does not hold is named with the known ones.

    A provider may be given by id (with or without leading zeros) or by a name or alias the exports use.
    """
    equals: dict[str, object] = {}
    problems = []
    for column, value in filters.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not any(column in t for t in (ws.orders, ws.citizens, ws.rates, ws.deliveries)):
            raise ValueError(f"Der kan ikke vælges efter '{column}'; vælg blandt {sorted(NOUN)}")
        known = _known(ws, column)
        given = _provider_ids(ws, _values(value)) if column == "provider_id" else _values(value)
        wanted = [normalise(column, v) for v in given]
        keys = pd.Series(_key(column, known).to_numpy(), index=known.to_numpy())
        found = [known_value for known_value, k in keys.items() if k in wanted]
        missing = [v for v, w in zip(_values(value), wanted) if w not in set(keys)] if column != "provider_id" else []
        if column == "provider_id":
            missing = [v for v, g in zip(_values(value), given) if normalise(column, g) not in set(keys)]
        for v in missing:
            problems.append(
                f"{NOUN.get(column, column).capitalize()} '{v}' findes ikke i data; de kendte er: {_listing(column, known, ws)}."
            )
        equals[column] = found[0] if len(found) == 1 and not isinstance(value, (list, tuple, set)) else (found or wanted)
    return Selection(ws, equals, tuple(problems))
