"""The mapping file: which export holds which canonical table, and how its cells are written."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ._schema import TABLES

MAPPING_FILE = "bitanalysis.toml"

#: Where the tables are looked for when a data folder has no mapping file.
DEFAULT_FILES: dict[str, tuple[str, ...]] = {
    "orders": ("bevillinger*.xlsx", "bevillinger*.csv", "orders*.xlsx", "orders*.csv"),
    "rates": ("takster*.xlsx", "takster/*.xlsx", "takster*.csv", "rates*.csv"),
    "deliveries": ("dokumentation*.csv", "dokumentation/*.csv", "dokumentation*.xlsx", "deliveries*.csv"),
    "assessments": ("udredninger*.xlsx", "udredninger*.csv", "assessments*.csv"),
    "citizens": ("borgere*.xlsx", "borgere*.csv", "citizens*.csv"),
    "budget": ("budget*.xlsx", "budget*.csv"),
    "price_index": ("pl_indeks*.csv", "pl_indeks*.xlsx", "price_index*.csv"),
}


class MappingError(ValueError):
    """The mapping file is not usable; the message says where and why, in Danish."""


@dataclass(frozen=True)
class Formats:
    """How numbers, dates, durations and text are written in a source."""

    decimal: str = ","
    thousands: str = "."
    date_format: str = "auto"
    duration_unit: str = "minutes"
    encoding: str = "auto"
    delimiter: str = "auto"


@dataclass(frozen=True)
class TableSource:
    """Where one canonical table comes from."""

    table: str
    files: tuple[str, ...]
    sheet: str | None = None  # None: the first sheet; "*": every sheet
    header: int | None = None  # None: found automatically; else the Excel row number of the header
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)  # canonical column = one value for every row
    sensitive: tuple[str, ...] = ()  # more columns with staff names or notes, for the reports' privacy guard
    formats: Formats = Formats()

    def sources_for(self, column: str) -> tuple[str, ...]:
        """The source column names that may feed a canonical column, the mapping's first."""
        spec = next(c for c in TABLES[self.table] if c.name == column)
        return self.columns.get(column, ()) + spec.aliases

    def fingerprint(self) -> str:
        """A stable hash of this source's settings (part of the cache key)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Mapping:
    """A data folder's mapping: one source per table, plus the settings section."""

    tables: dict[str, TableSource]
    settings: dict = field(default_factory=dict)
    path: Path | None = None


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _formats(raw: dict, base: Formats, where: str) -> Formats:
    unknown = set(raw) - set(asdict(base))
    if unknown:
        raise MappingError(f"{where}: ukendte formatnøgler {sorted(unknown)}; kendte er {sorted(asdict(base))}")
    return replace(base, **raw)


def _table_source(table: str, raw: dict, base: Formats, where: str) -> TableSource:
    known = {c.name for c in TABLES[table]}
    columns = {k: _as_tuple(v) for k, v in raw.get("columns", {}).items()}
    constants = dict(raw.get("constants", {}))
    unknown = (set(columns) | set(constants)) - known
    if unknown:
        raise MappingError(
            f"{where}: [{table}.columns]/[{table}.constants] kender ikke {sorted(unknown)}; kanoniske kolonner er {sorted(known)}"
        )
    header = raw.get("header", "auto")
    if header != "auto" and not (isinstance(header, int) and header >= 1):
        raise MappingError(f'{where}: [{table}] header skal være "auto" eller et rækkenummer fra Excel (1, 2, …), ikke {header!r}')
    if "files" not in raw:
        raise MappingError(f'{where}: [{table}] mangler files = "…" (filnavn eller mønster, fx "dokumentation_*.csv")')
    return TableSource(
        table=table,
        files=_as_tuple(raw["files"]),
        sheet=raw.get("sheet"),
        header=None if header == "auto" else header,
        columns=columns,
        constants=constants,
        sensitive=_as_tuple(raw.get("sensitive", ())),
        formats=_formats(raw.get("formats", {}), base, where),
    )


def read_mapping(path: str | Path) -> Mapping:
    """Read a mapping TOML file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: filen er ikke gyldig TOML ({exc})") from exc
    base = _formats(raw.get("formats", {}), Formats(), str(path))
    unknown = set(raw) - set(TABLES) - {"formats", "settings", "version"}
    if unknown:
        raise MappingError(f"{path}: ukendte afsnit {sorted(unknown)}; kendte tabeller er {sorted(TABLES)}")
    tables = {t: _table_source(t, raw[t], base, str(path)) for t in TABLES if t in raw}
    return Mapping(tables=tables, settings=raw.get("settings", {}), path=path)


def default_mapping() -> Mapping:
    """The mapping used when a data folder has none: standard file names and the Danish aliases."""
    sheets = {"rates": "*"}  # rate workbooks often hold one sheet per year
    return Mapping(tables={t: TableSource(table=t, files=f, sheet=sheets.get(t)) for t, f in DEFAULT_FILES.items()})


def resolve_mapping(folder: Path, mapping: str | Path | Mapping | None) -> Mapping:
    """The mapping to use for a data folder: the given one, the folder's bitanalysis.toml, or the default."""
    if isinstance(mapping, Mapping):
        return mapping
    if mapping is not None:
        return read_mapping(mapping)
    if (folder / MAPPING_FILE).exists():
        return read_mapping(folder / MAPPING_FILE)
    return default_mapping()


def source_files(folder: Path, src: TableSource) -> list[Path]:
    """The files in a data folder that a table's source names (hidden files and Office lock files left out)."""
    seen: dict[Path, None] = {}
    for pattern in src.files:
        for p in sorted(folder.glob(pattern)):
            hidden = any(part.startswith(".") for part in p.relative_to(folder).parts)  # the cache, editors' lock files
            if p.is_file() and not hidden and not p.name.startswith("~$"):
                seen[p] = None
    return list(seen)


def expected_headers(src: TableSource) -> tuple[str, ...]:
    """Every source column name that may feed the table: what a header row is recognised by."""
    return tuple(dict.fromkeys(n for c in TABLES[src.table] for n in src.sources_for(c.name)))
