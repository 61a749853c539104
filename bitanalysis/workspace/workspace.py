"""The Workspace: the canonical tables of one data folder, its load report, and the results computed from them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pandas as pd

from bitanalysis.core.danish import number
from bitanalysis.core.errors import NO_FILE, error_frame
from bitanalysis.core.schema import COUNTS, REPORT_COLUMNS, TABLES, conform, empty
from bitanalysis.workspace.figures import figure_path, keep_figure, read_figure

if TYPE_CHECKING:
    from bitanalysis.io.mapping import Mapping

#: What a table's rows are called in a sentence ("11.166 dokumentationsrækker afvist").
ROWS_OF = {
    "orders": "bevillingsrækker",
    "rates": "takstrækker",
    "deliveries": "dokumentationsrækker",
    "assessments": "udredningsrækker",
    "citizens": "borgerrækker",
    "budget": "budgetrækker",
    "price_index": "P/L-rækker",
    "tasks": "opgaverækker",
    "providers": "tilbudsrækker",
}
#: What a row whose provider could not be found expected (see _providers): a provider known from the orders or a table.
KNOWN_PROVIDER = "et kendt tilbudsnavn eller alias"
EXAMPLES = 3  # example lines shown under each cause

T = TypeVar("T")


@dataclass
class LoadReport:
    """What happened to every input row: per file and table, and one line per rejected row or problem."""

    files: pd.DataFrame
    errors: pd.DataFrame

    def summary(self) -> str:
        """A short Danish summary: rows per table, rejections with reasons, duplicates removed."""
        out = ["Indlæste rækker pr. tabel:"]
        per_table = self.files.groupby("table", sort=False)[COUNTS].sum()
        for table, r in per_table.iterrows():
            out.append(
                f"  {table:<12} {r.rows_accepted:>8} godkendt af {r.rows_read} læst"
                f" ({r.rows_rejected} afvist, {r.duplicates_removed} dubletter fjernet, {r.totals_skipped} sumrækker sprunget over)"
            )
        if len(self.errors):
            out.append(f"Fejl og afviste rækker ({len(self.errors)}), efter årsag:")
            out += self.cause_lines()
        else:
            out.append("Ingen fejl.")
        return "\n".join(out)

    def causes(self) -> pd.DataFrame:
        """The problems grouped by root cause (table, column and what was expected), largest first: the cause in one
        Danish line, the number of problems, and the first example messages."""
        e = self.errors.reindex(columns=["table", "row", "column", "expected", "message"]).fillna({"column": "", "expected": ""})
        orders = self.files.loc[self.files["table"].eq("orders"), "rows_accepted"].sum() if len(self.files) else 0
        groups = e.groupby(["table", "column", "expected"], sort=False, dropna=False)
        rows = []
        for (table, column, expected), g in groups:
            n = len(g)
            if n == 1:
                cause = g["message"].iloc[0]
            elif expected == KNOWN_PROVIDER and not orders:
                cause = f"{number(n)} {ROWS_OF.get(table, 'rækker')} afvist, fordi ingen bevillinger er indlæst (tilbuddene kendes derfra)"
            else:
                where = f" i kolonnen '{column}'" if column else ""
                cause = f"{number(n)} {ROWS_OF.get(table, 'rækker')} afvist{where}: forventet {expected or 'en brugbar værdi'}"
            whole = bool(g["row"].isna().all())  # a file or table that could not be used at all: a cause of the rest
            rows.append({"cause": cause, "problems": n, "examples": g["message"].head(EXAMPLES).tolist(), "whole": whole})
        frame = pd.DataFrame(rows, columns=["cause", "problems", "examples", "whole"])
        frame = frame.sort_values(["whole", "problems"], ascending=False, kind="stable").reset_index(drop=True)
        return frame.drop(columns="whole")

    def cause_lines(self, limit: int = 20) -> list[str]:
        """The causes, one line each with its first examples indented below (at most `limit` causes)."""
        causes, out = self.causes(), []
        for c in causes.head(limit).itertuples(index=False):
            out.append(f"  {c.cause}")
            if c.problems > 1:
                out += [f"      fx {m}" for m in c.examples]
        if len(causes) > limit:
            out.append(f"  … og {len(causes) - limit} årsager mere (se load_report.errors)")
        return out

    def unusable(self, tables: Iterable[str]) -> list[str]:
        """Why the given tables could not be loaded whole: each source none of whose rows could be used, and each
        required table that no file feeds (one Danish line each; empty when all loaded)."""
        wanted = set(tables)
        files = self.files.reindex(columns=REPORT_COLUMNS)
        lines = files.loc[files["table"].isin(wanted) & files["problem"].notna(), "problem"].tolist()
        missing = self.errors[self.errors["table"].isin(wanted) & self.errors["expected"].eq(NO_FILE)]
        return lines + missing["message"].tolist()


class Workspace:
    """The canonical tables of one data folder, with the load report and the mapping's settings.

    The delivery rows may stay in a Parquet file (a loaded folder's snapshot) until `deliveries` is first read;
    the match aggregates them with DuckDB straight from that file.
    """

    def __init__(
        self,
        orders: pd.DataFrame,
        rates: pd.DataFrame,
        deliveries: pd.DataFrame | Path,
        assessments: pd.DataFrame,
        citizens: pd.DataFrame,
        budget: pd.DataFrame,
        price_index: pd.DataFrame,
        load_report: LoadReport,
        folder: Path | None = None,
        settings: dict | None = None,
        providers: pd.DataFrame | None = None,
        tasks: pd.DataFrame | None = None,
    ):
        self.orders, self.rates, self.assessments, self.citizens = orders, rates, assessments, citizens
        self.providers = empty("providers") if providers is None else providers  # optional: names, aliases, portal ids
        self.tasks = empty("tasks") if tasks is None else tasks  # optional: the indsatsliste, tasks per order
        self.budget, self.price_index, self.load_report = budget, price_index, load_report
        self.folder, self.settings = folder, settings if settings is not None else {}
        self.mapping: Mapping | None = None  # the Mapping the folder was loaded with (the privacy guard reads its note columns)
        self._deliveries: pd.DataFrame | None = None
        self.deliveries_file: Path | None = None
        self._read_as: tuple | None = None  # the fingerprint of the delivery rows as read from deliveries_file
        self.deliveries = deliveries
        self.file_hashes: dict[Path, str] = {}  # the SHA-256 of each export the tables were loaded from
        self.memo: dict = {}  # results computed from these tables (the match of a period), keyed with the tables' identities
        self.figures: Path | None = None  # where figures are kept between runs (beside the snapshot), see `keep_figures`
        self._as_loaded: tuple | None = None  # the tables' state when loaded: figures are kept and read only while unchanged

    @property
    def deliveries(self) -> pd.DataFrame:
        """The delivery rows (read from the snapshot's Parquet file on first use)."""
        if self._deliveries is None:
            self._deliveries = pd.read_parquet(self.deliveries_file)
            self._read_as = fingerprint(self._deliveries)
        return self._deliveries

    @deliveries.setter
    def deliveries(self, value: pd.DataFrame | Path) -> None:
        if isinstance(value, (str, Path)):
            self._deliveries, self.deliveries_file = None, Path(value)
        else:
            self._deliveries, self.deliveries_file = value, None
        self._read_as = None

    def unread_deliveries(self) -> Path | None:
        """The Parquet file of the delivery rows while they have not been read into memory, else None."""
        return self.deliveries_file if self._deliveries is None else None

    def delivery_rows(self) -> int:
        """The number of delivery rows, without reading them."""
        if self._deliveries is not None:
            return len(self._deliveries)
        import pyarrow.parquet as pq

        return pq.ParquetFile(self.deliveries_file).metadata.num_rows

    def newest_delivery(self) -> pd.Timestamp:
        """The newest delivery date (NaT without deliveries), read from the snapshot's date column alone where the rows
        are still there."""
        if self._deliveries is not None or self.deliveries_file is None:
            return pd.Timestamp(self.deliveries["date"].max()) if len(self.deliveries) else pd.NaT
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        newest = pc.max(pq.read_table(self.deliveries_file, columns=["date"])["date"]).as_py()
        return pd.Timestamp(newest) if newest is not None else pd.NaT

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A result computed from the current tables, computed once: again when orders, rates or deliveries are replaced
        or changed in place (`ws.rates.loc[0, "amount"] = 200` in a notebook). A frame comes as its own (copy-on-write)
        copy, so a caller that adds a column changes nothing remembered."""
        state = self._state()
        hit = self.memo.get(key)
        if hit is None or hit[0] != state:
            hit = self.memo[key] = (state, self._kept(key, compute, state))
        return hit[1].copy(deep=False) if isinstance(hit[1], pd.DataFrame) else hit[1]

    def keep_figures(self, folder: Path) -> None:
        """Keep computed frames in `folder` between runs, and read them back, while the tables are as they are now."""
        self.figures, self._as_loaded = folder, self._tables_state(self._state())

    def _kept(self, key: Hashable, compute: Callable[[], T], state: tuple[Any, ...]) -> T:
        """The result as kept between runs where the tables are as loaded, else computed (and kept when a frame); keyed
        with the whole mapping (settings, cost model, [activities]) and the settings in force."""
        if self.figures is None or self._tables_state(state) != self._as_loaded:
            return compute()
        path = figure_path(self.figures, (repr(self.mapping), sorted(self.settings.items())), key)
        found = read_figure(path)
        if found is not None:
            return cast(T, found)
        result = compute()
        if isinstance(result, pd.DataFrame):
            keep_figure(path, result)
        return result

    def _tables_state(self, state: tuple[Any, ...]) -> tuple[Any, ...]:
        """What a kept figure may depend on: `_state` (orders, rates, delivery rows) and the other tables' content."""
        return state + tuple(fingerprint(getattr(self, t)) for t in TABLES if t not in ("orders", "rates", "deliveries"))

    def copy(self) -> Workspace:
        """A Workspace of the same tables (copy-on-write: a change to one changes not the other) sharing the computed
        results, which are keyed by the tables' content."""
        tables = {t: getattr(self, t).copy(deep=False) for t in TABLES if t != "deliveries"}
        deliveries = self.deliveries_file if self._deliveries is None else self._deliveries.copy(deep=False)
        out = Workspace(**tables, deliveries=deliveries, load_report=self.load_report, folder=self.folder, settings=dict(self.settings))
        out.mapping, out.memo, out.file_hashes = self.mapping, self.memo, self.file_hashes
        out.figures, out._as_loaded = self.figures, self._as_loaded
        if self._deliveries is not None:  # rows read from a file stay the file's rows while unchanged
            out.deliveries_file, out._read_as = self.deliveries_file, self._read_as
        return out

    def _state(self) -> tuple[Any, ...]:
        """What the remembered results depend on: the content of orders and rates, and the delivery rows' file while
        the rows in memory are as read from it (reading them changes no result), else their content."""
        deliveries: Any = self.deliveries_file
        if self._deliveries is not None:
            content = fingerprint(self._deliveries)
            deliveries = self.deliveries_file if content == self._read_as else content
        return fingerprint(self.orders), fingerprint(self.rates), deliveries

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> Workspace:
        """A Workspace from canonical frames (tests, notebooks): missing tables and columns are added empty."""
        unknown = set(frames) - set(TABLES)
        if unknown:
            raise TypeError(f"unknown tables {sorted(unknown)}")
        tables = {t: conform(pd.DataFrame(frames[t]) if t in frames else empty(t), t) for t in TABLES}
        if "citizens" not in frames:
            tables["citizens"] = derive_citizens(tables)
        report = LoadReport(pd.DataFrame(columns=REPORT_COLUMNS), error_frame([]))
        return cls(**tables, load_report=report)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The canonical tables by name."""
        return {t: getattr(self, t) for t in TABLES}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}={self.delivery_rows() if t == 'deliveries' else len(getattr(self, t))}" for t in TABLES)
        return f"Workspace({self.folder or 'i hukommelsen'}: {sizes})"


def derive_citizens(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The citizens table: the loaded one, completed from the orders (target group, team) and CPR birth years."""
    orders = tables["orders"].sort_values("start_date")
    from_orders = orders.groupby("citizen_id").agg(target_group=("target_group", "last"), team=("team", "last"))
    tables_with_ids = ("citizens", "orders", "assessments", "deliveries")
    ids = pd.concat([pd.Series(tables[t]["citizen_id"].dropna().unique(), dtype="string") for t in tables_with_ids]).unique()
    out = pd.DataFrame(index=pd.Index(ids, name="citizen_id"))
    loaded = tables["citizens"].drop_duplicates("citizen_id", keep="last").set_index("citizen_id")
    for col in ("target_group", "team"):
        derived = from_orders[col].reindex(out.index)
        out[col] = loaded[col].reindex(out.index).fillna(derived) if len(loaded) else derived
    with_year = [tables[t][["citizen_id", "birth_year"]] for t in ("citizens", "orders", "assessments") if "birth_year" in tables[t]]
    out["birth_year"] = pd.concat(with_year).dropna().drop_duplicates("citizen_id").set_index("citizen_id")["birth_year"].reindex(out.index)
    out = out.reset_index()
    out["source"], out["source_row"] = pd.NA, pd.NA
    return conform(out, "citizens").sort_values("citizen_id", ignore_index=True)


def _cell_text(value: object) -> str:
    """A list cell (themes, includes) as text, to hash it."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return str(value)
    return "\x1f".join(map(str, value))


def _feed(h: Any, values: pd.Series | pd.Index) -> None:
    """Hash a column's values as Arrow holds them (its buffers; list and other object cells as text)."""
    import pyarrow as pa

    try:
        arrow = pa.array(values, from_pandas=True)  # a column of lists of text is a list array
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        arrow = pa.array([_cell_text(v) for v in values], type=pa.string())
    for chunk in arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]:
        h.update(f"{chunk.type}|{chunk.offset}|{len(chunk)}".encode())
        for buf in chunk.buffers():
            if buf is not None:
                h.update(buf)


def fingerprint(frame: pd.DataFrame) -> tuple[int, tuple[str, ...], str]:
    """A hash of a frame's content (columns, values and index), to notice a change made in place."""
    h = hashlib.blake2b(digest_size=16)
    index = frame.index
    h.update(repr((index.start, index.stop, index.step)).encode() if isinstance(index, pd.RangeIndex) else b"index")
    if not isinstance(index, pd.RangeIndex):
        _feed(h, index)
    for column in frame.columns:
        _feed(h, frame[column])
    return len(frame), tuple(map(str, frame.columns)), h.hexdigest()
