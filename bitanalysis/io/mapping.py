"""The mapping file: which export holds which canonical table, and how its cells are written."""

from __future__ import annotations

import codecs
import difflib
import fnmatch
import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bitanalysis.core.errors import InputError
from bitanalysis.core.schema import TABLES
from bitanalysis.io.cost_model import EXAMPLE, CostModel, cost_models

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
    "providers": ("tilbud*.xlsx", "tilbud*.csv", "providers*.csv"),
    "tasks": ("indsatsliste*.xlsx", "indsatsliste*.csv", "opgaver*.xlsx", "opgaver*.csv", "tasks*.csv"),
}


class MappingError(InputError):
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
class Wide:
    """A wide layout: several columns each holding one value of `value`, for the key their header gives `key`."""

    columns: tuple[str, ...]  # header names or glob patterns ("Takst *"), case and spacing ignored
    value: str
    key: str
    key_pattern: str | None = None  # its first group (else the whole match) in the header is the key; None: the header

    def matches(self, header: str) -> bool:
        """Whether a header is one of the wide columns."""
        text = _spaced(header)
        return any(fnmatch.fnmatchcase(text, _spaced(p)) for p in self.columns)

    def key_of(self, header: str) -> str:
        """The key a wide column's header gives: key_pattern's first group, else its whole match, else the header."""
        found = first_group(self.key_pattern, header) if self.key_pattern else None
        return found.strip() if found and found.strip() else header


def first_group(pattern: str, text: str) -> str | None:
    """The pattern's first group found in the text (else its whole match); None when it is not found."""
    m = re.search(pattern, text)
    if m is None:
        return None
    return m.group(1) if m.re.groups and m.group(1) is not None else m.group(0)


def _spaced(text: str) -> str:
    """Text compared without case and with runs of whitespace as one space."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class TableSource:
    """Where one canonical table comes from."""

    table: str
    files: tuple[str, ...]
    sheet: str | tuple[str, ...] | None = None  # None: the first sheet; "*": every sheet; a tuple: these sheets
    header: int | None = None  # None: found automatically; else the Excel row number of the header
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)  # canonical column = one value for every row
    sensitive: tuple[str, ...] = ()  # more columns with staff names or notes, for the reports' privacy guard
    optional: tuple[str, ...] = ()  # mapped columns some sheets lack (sheets in several layouts): not an error there
    formats: Formats = Formats()
    wide: Wide | None = None  # [<table>.wide]: columns unpivoted into long rows
    from_name: dict[str, str] = field(default_factory=dict)  # canonical column = a regex on the sheet's or file's name

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
    activities: dict[str, str] = field(default_factory=dict)  # a documented activity's name -> the task it is for
    cost_model: tuple[CostModel, ...] = ()  # the municipality's own cost model, in dated versions (none: no model)


SECTION_KEYS = ("files", "sheet", "header", "columns", "constants", "sensitive", "optional", "formats", "wide", "from_name")
WIDE_KEYS = ("columns", "value", "key", "key_pattern")
TOP_KEYS = ("formats", "settings", "version", "activities", "cost_model")
#: The values each format key allows (encoding: "auto" or any codec Python knows; delimiter: "auto" or one character).
FORMAT_VALUES = {
    "decimal": (",", "."),
    "thousands": (".", ",", " ", "", "'"),
    "date_format": ("auto", "dd-mm-yyyy", "dd.mm.yyyy", "iso", "mm/dd/yyyy"),
    "duration_unit": ("minutes", "hours"),
}


def _unknown(keys: set[str], known: tuple[str, ...] | list[str] | set[str], where: str, what: str) -> None:
    """Refuse keys the mapping does not know, naming the nearest known one."""
    for key in sorted(keys - set(known)):
        near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        hint = f"; mente du '{near[0]}'?" if near else f"; kendte er {', '.join(sorted(known))}"
        raise MappingError(f"{where}: {what} '{key}' kendes ikke{hint}")


def _texts(value: object, where: str, key: str) -> tuple[str, ...]:
    """A text or a list of texts, as a tuple; anything else is an error."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MappingError(f'{where}: {key} skal være en tekst eller en liste af tekster, fx "bevillinger.xlsx", ikke {value!r}')


def _check_format(key: str, value: object, where: str) -> str:
    """One format value checked against what it allows."""
    if not isinstance(value, str):
        raise MappingError(f"{where}: {key} skal være en tekst i anførselstegn, ikke {value!r}")
    if key in FORMAT_VALUES and value not in FORMAT_VALUES[key]:
        allowed = ", ".join(f'"{v}"' for v in FORMAT_VALUES[key])
        raise MappingError(f"{where}: {key} = {value!r} kendes ikke; tilladt er {allowed}")
    if key == "encoding" and value != "auto":
        try:
            return codecs.lookup(str(value)).name
        except LookupError:
            raise MappingError(
                f'{where}: encoding = {value!r} er ikke en tegnkodning, Python kender (fx "utf-8", "cp1252", "auto")'
            ) from None
    if key == "delimiter" and value != "auto" and not (isinstance(value, str) and len(value) == 1):
        raise MappingError(f'{where}: delimiter skal være "auto" eller ét tegn (";", ",", "\\t" eller "|"), ikke {value!r}')
    return value


def _formats(raw: object, base: Formats, where: str) -> Formats:
    """The formats of a section, on top of the defaults, each value checked."""
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: [formats] skal være et afsnit med nøgler som decimal og date_format, ikke {raw!r}")
    _unknown(set(raw), list(asdict(base)), where, "formatnøglen")
    return replace(base, **{k: _check_format(k, v, where) for k, v in raw.items()})


def _header(value: object, where: str, table: str) -> int | None:
    """The header row: None for "auto", else an Excel row number."""
    if value == "auto":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_048_576:
        return value
    raise MappingError(f'{where}: [{table}] header skal være "auto" eller et rækkenummer fra Excel (1, 2, …), ikke {value!r}')


def _subsection(raw: dict, name: str, where: str, table: str) -> dict:
    """A sub-table such as [orders.columns]; anything but a table of keys is an error."""
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise MappingError(f"{where}: [{table}.{name}] skal være et afsnit (kolonne = værdi), ikke {value!r}")
    return value


def _table_source(table: str, raw: object, base: Formats, where: str) -> TableSource:
    """One table's section of the mapping, every key and value checked."""
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: [{table}] skal være et afsnit med files = …, ikke {raw!r}")
    _unknown(set(raw), SECTION_KEYS, where, f"nøglen i [{table}]")
    known = [c.name for c in TABLES[table]]
    columns = {k: _texts(v, where, f"[{table}.columns] {k}") for k, v in _subsection(raw, "columns", where, table).items()}
    constants = dict(_subsection(raw, "constants", where, table))
    _unknown(set(columns), known, where, f"kolonnen i [{table}.columns]")
    _unknown(set(constants), known, where, f"kolonnen i [{table}.constants]")
    if "files" not in raw:
        raise MappingError(f'{where}: [{table}] mangler files = "…" (filnavn eller mønster, fx "dokumentation_*.csv")')
    return TableSource(
        table=table,
        files=_file_patterns(raw["files"], where, table),
        sheet=_sheet(raw.get("sheet"), where, table),
        header=_header(raw.get("header", "auto"), where, table),
        columns=columns,
        constants=constants,
        sensitive=_texts(raw["sensitive"], where, f"[{table}] sensitive") if "sensitive" in raw else (),
        optional=_optional(raw, where, table),
        formats=_formats(raw.get("formats", {}), base, where),
        wide=_wide(raw["wide"], where, table) if "wide" in raw else None,
        from_name=_from_name(_subsection(raw, "from_name", where, table), where, table),
    )


def _file_patterns(value: object, where: str, table: str) -> tuple[str, ...]:
    """The file names or patterns of a section; one that names no file ("." or "./", the folder itself) is refused."""
    patterns = _texts(value, where, f"[{table}] files")
    for pattern in patterns:
        if not Path(pattern).parts:
            raise MappingError(
                f'{where}: [{table}] files = "{pattern}" er selve datamappen, ikke filer i den; skriv filnavne eller et mønster, '
                'fx "dokumentation/*.csv"'
            )
    return patterns


def _optional(raw: dict, where: str, table: str) -> tuple[str, ...]:
    """The canonical columns that some of the section's sheets may lack (each a column of the table)."""
    if "optional" not in raw:
        return ()
    names = _texts(raw["optional"], where, f"[{table}] optional")
    _unknown(set(names), [c.name for c in TABLES[table]], where, f"kolonnen i [{table}] optional")
    return names


def _sheet(value: object, where: str, table: str) -> str | tuple[str, ...] | None:
    """The sheet setting: None (the first sheet), "*" (every sheet), a sheet's name, or a list of names."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MappingError(
        f'{where}: [{table}] sheet skal være arkets navn, "*" (alle ark) eller en liste af navne, '
        f'fx ["Takster 2024", "Takster 2025"], ikke {value!r}'
    )


def _regex(value: object, where: str, key: str) -> str:
    """A regular expression that compiles; anything else is an error."""
    if not isinstance(value, str):
        raise MappingError(f"{where}: {key} skal være et regulært udtryk i anførselstegn, fx '(\\d{{4}})', ikke {value!r}")
    try:
        re.compile(value)
    except re.error as exc:
        raise MappingError(f"{where}: {key} = {value!r} er ikke et gyldigt regulært udtryk ({exc.msg})") from None
    return value


def _wide(raw: object, where: str, table: str) -> Wide:
    """The [<table>.wide] section: the wide columns, the canonical columns of their values and keys, the key pattern."""
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: [{table}.wide] skal være et afsnit med columns, value og key, ikke {raw!r}")
    _unknown(set(raw), WIDE_KEYS, where, f"nøglen i [{table}.wide]")
    for name in ("columns", "value", "key"):
        if name not in raw:
            raise MappingError(
                f'{where}: [{table}.wide] mangler {name} = …; fx columns = ["Takst 1", "Takst 2"], value = "amount", key = "rate_level"'
            )
    known = [c.name for c in TABLES[table]]
    for name in ("value", "key"):
        if not isinstance(raw[name], str):
            raise MappingError(f"{where}: [{table}.wide] {name} skal være navnet på en kolonne i tabellen, ikke {raw[name]!r}")
        _unknown({raw[name]}, known, where, f"kolonnen i [{table}.wide] {name}")
    if raw["value"] == raw["key"]:
        raise MappingError(f"{where}: [{table}.wide] value og key skal være to forskellige kolonner, ikke begge '{raw['key']}'")
    pattern = _regex(raw["key_pattern"], where, f"[{table}.wide] key_pattern") if "key_pattern" in raw else None
    return Wide(_texts(raw["columns"], where, f"[{table}.wide] columns"), raw["value"], raw["key"], pattern)


def _from_name(raw: dict, where: str, table: str) -> dict[str, str]:
    """The [<table>.from_name] section: canonical column = a regular expression on the sheet's or file's name."""
    _unknown(set(raw), [c.name for c in TABLES[table]], where, f"kolonnen i [{table}.from_name]")
    return {name: _regex(value, where, f"[{table}.from_name] {name}") for name, value in raw.items()}


def read_mapping(path: str | Path) -> Mapping:
    """Read a mapping TOML file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: filen er ikke gyldig TOML: {_toml_problem(str(exc))}") from None
    except UnicodeDecodeError as exc:
        raise MappingError(
            f"{path}: filen er ikke tekst i tegnkodningen UTF-8 (byte {exc.start + 1}); gem mappingfilen som UTF-8-tekst"
        ) from None
    _unknown(set(raw), [*TABLES, *TOP_KEYS], str(path), "afsnittet")
    base = _formats(raw.get("formats", {}), Formats(), str(path))
    tables = {t: _table_source(t, raw[t], base, str(path)) for t in TABLES if t in raw}
    settings = raw.get("settings", {})
    if not isinstance(settings, dict):
        raise MappingError(f"{path}: [settings] skal være et afsnit (navn = værdi), ikke {settings!r}")
    return Mapping(
        tables=tables,
        settings=settings,
        path=path,
        activities=_activities(raw.get("activities", {}), str(path)),
        cost_model=_cost_model(raw["cost_model"], str(path)) if "cost_model" in raw else (),
    )


def _cost_model(raw: object, where: str) -> tuple[CostModel, ...]:
    """The [[cost_model]] versions, every value checked (see `bitanalysis.io.cost_model`)."""
    try:
        return cost_models(raw)
    except ValueError as exc:
        raise MappingError(f"{where}: [[cost_model]] {exc}. Et eksempel:\n{EXAMPLE}") from None


def _activities(raw: object, where: str) -> dict[str, str]:
    """The [activities] section: a documented activity's name = the task of the indsatsliste it is for."""
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()):
        raise MappingError(
            f'{where}: [activities] skal være et afsnit med aktivitet = opgave, fx "Madlavning" = "Støtte til indkøb og madlavning", '
            f"ikke {raw!r}"
        )
    return dict(raw)


def _toml_problem(text: str) -> str:
    """A TOML parser's message in Danish where it says where: 'fejl i linje 3, kolonne 7 (Invalid value)'."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text).strip()
    where = f"fejl i linje {m.group(1)}, kolonne {m.group(2)}" if m else "fejl ved filens slutning"
    return f"{where} (teknisk årsag: {reason}); ret linjen, fx et manglende anførselstegn, = eller ]"


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
    names = (n for c in TABLES[src.table] for n in src.sources_for(c.name))
    wide = src.wide.columns if src.wide else ()
    return tuple(dict.fromkeys([*names, *(w for w in wide if not any(ch in w for ch in "*?["))]))
