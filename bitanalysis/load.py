"""Loading a data folder of exports into the canonical BIT tables (contract §1), with a load report."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, parse
from .danish import UNITS, kr
from .mapping import Mapping, TableSource, resolve_mapping
from .privacy import CPR_PATTERN, birth_year, cpr_digits, pseudonym_key, pseudonymise
from .read import RawSheet, ReadError, read_source
from .schema import CHECK_TEXT, CITIZEN_TABLES, DTYPES, PROVENANCE, SENSITIVE, TABLES, checks, empty

CACHE_DIR = ".bitanalysis-cache"
REQUIRED_TABLES = ("orders", "rates", "deliveries", "assessments")
ERROR_COLUMNS = ["table", "file", "sheet", "row", "column", "value", "citizen_id", "expected", "message"]
REPORT_COLUMNS = ["table", "file", "sheet", "rows_read", "blank_rows", "totals_skipped", "rows_rejected", "duplicates_removed", "rows_accepted"]

#: For each kind of column: what a bad cell is not, and the parser that reads it.
KINDS = {
    "id": ("en gyldig id", parse.parse_id),
    "text": ("en gyldig tekst", parse.parse_text),
    "date": ("en gyldig dato", None),
    "end": ("en gyldig dato", None),
    "number": ("et gyldigt tal", None),
    "duration": ("en gyldig varighed", None),
    "paragraph": ("en kendt paragraf", parse.parse_paragraph),
    "area": ("et gyldigt område", None),
    "unit": ("en takstenhed, kontrakten kender", parse.parse_unit),
    "level": ("et gyldigt niveau", parse.parse_level),
    "need_level": ("et gyldigt funktionsevneniveau", parse.parse_need_level),
    "bool": ("ja eller nej", parse.parse_bool),
    "list": ("en gyldig liste", parse.parse_list),
    "year": ("et gyldigt årstal", None),
    "cpr": ("et CPR-nummer", None),
}


class ValidationError(ValueError):
    """Strict loading found problems; `errors` holds one Danish line per problem."""

    def __init__(self, errors: pd.DataFrame):
        self.errors = errors
        lines = "\n".join(errors["message"].head(50))
        more = f"\n… og {len(errors) - 50} fejl mere" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} fejl i data:\n{lines}{more}")


@dataclass
class LoadReport:
    """What happened to every input row: per file and table, and one line per rejected row or problem."""

    files: pd.DataFrame
    errors: pd.DataFrame

    def summary(self) -> str:
        """A short Danish summary: rows per table, rejections with reasons, duplicates removed."""
        out = ["Indlæste rækker pr. tabel:"]
        per_table = self.files.groupby("table", sort=False)[REPORT_COLUMNS[3:]].sum()
        for table, r in per_table.iterrows():
            out.append(
                f"  {table:<12} {r.rows_accepted:>8} godkendt af {r.rows_read} læst"
                f" ({r.rows_rejected} afvist, {r.duplicates_removed} dubletter fjernet, {r.totals_skipped} sumrækker sprunget over)"
            )
        if len(self.errors):
            out.append(f"Fejl og afviste rækker ({len(self.errors)}):")
            out += [f"  {m}" for m in self.errors["message"].head(20)]
            if len(self.errors) > 20:
                out.append(f"  … og {len(self.errors) - 20} mere (se load_report.errors)")
        else:
            out.append("Ingen fejl.")
        return "\n".join(out)


class Workspace:
    """The canonical tables of one data folder, with the load report and the mapping's settings.

    The delivery rows may stay in a Parquet file (a loaded folder's snapshot) until `deliveries` is first read;
    the match aggregates them with DuckDB straight from that file.
    """

    def __init__(self, orders: pd.DataFrame, rates: pd.DataFrame, deliveries: pd.DataFrame | Path, assessments: pd.DataFrame,
                 citizens: pd.DataFrame, budget: pd.DataFrame, price_index: pd.DataFrame, load_report: LoadReport,
                 folder: Path | None = None, settings: dict | None = None):
        self.orders, self.rates, self.assessments, self.citizens = orders, rates, assessments, citizens
        self.budget, self.price_index, self.load_report = budget, price_index, load_report
        self.folder, self.settings = folder, settings if settings is not None else {}
        self.deliveries = deliveries
        self.memo: dict = {}  # results computed from these tables (the match of a period), keyed with the tables' identities

    @property
    def deliveries(self) -> pd.DataFrame:
        """The delivery rows (read from the snapshot's Parquet file on first use)."""
        if self._deliveries is None:
            self._deliveries = pd.read_parquet(self.deliveries_file)
        return self._deliveries

    @deliveries.setter
    def deliveries(self, value: pd.DataFrame | Path) -> None:
        is_file = isinstance(value, (str, Path))
        self._deliveries = None if is_file else value
        self.deliveries_file = Path(value) if is_file else None

    def delivery_rows(self) -> int:
        """The number of delivery rows, without reading them."""
        if self._deliveries is not None:
            return len(self._deliveries)
        import pyarrow.parquet as pq

        return pq.ParquetFile(self.deliveries_file).metadata.num_rows

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> Workspace:
        """A Workspace from canonical frames (tests, notebooks): missing tables and columns are added empty."""
        unknown = set(frames) - set(TABLES)
        if unknown:
            raise TypeError(f"unknown tables {sorted(unknown)}")
        tables = {t: _conform(pd.DataFrame(frames[t]) if t in frames else empty(t), t) for t in TABLES}
        if "citizens" not in frames:
            tables["citizens"] = _citizens(tables)
        report = LoadReport(pd.DataFrame(columns=REPORT_COLUMNS), error_frame([]))
        return cls(**tables, load_report=report)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The canonical tables by name."""
        return {t: getattr(self, t) for t in TABLES}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}={self.delivery_rows() if t == 'deliveries' else len(getattr(self, t))}" for t in TABLES)
        return f"Workspace({self.folder or 'i hukommelsen'}: {sizes})"


@dataclass
class Piece:
    """One source file's contribution to a table: accepted rows, problems and row counts."""

    frame: pd.DataFrame
    errors: pd.DataFrame
    report: pd.DataFrame


def safe_value(value: object) -> str:
    """A cell value fit for an error message: CPR numbers hidden, long text cut."""
    text = "" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)
    text = CPR_PATTERN.sub("<CPR skjult>", text)
    return text if len(text) <= 60 else text[:57] + "…"


def _where(file: str, sheet: str | None) -> str:
    return f"{file}, ark '{sheet}'" if sheet else file


def error_frame(rows: list[dict]) -> pd.DataFrame:
    """A table of error lines with the standard columns."""
    return pd.DataFrame(rows, columns=ERROR_COLUMNS).astype({"row": "Int64"})


def _error(table: str, raw_file: str, sheet: str | None, row: int | None, column: str, value: str, expected: str, problem: str, citizen_id: object = None) -> dict:
    place = f"{_where(raw_file, sheet)}, række {row}" if row is not None else _where(raw_file, sheet)
    col = f", kolonne '{column}'" if column else ""
    who = f" (borger {citizen_id})" if isinstance(citizen_id, str) else ""
    return {
        "table": table, "file": raw_file, "sheet": sheet, "row": row, "column": column, "value": value,
        "citizen_id": citizen_id if isinstance(citizen_id, str) else None, "expected": expected,
        "message": f"{place}{col}: {problem}{who}",
    }


def _match_column(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    norm = {" ".join(c.split()).casefold(): c for c in columns}
    return next((norm[k] for k in (" ".join(c.split()).casefold() for c in candidates) if k in norm), None)


def _parse(kind: str, values: pd.Series, src: TableSource, key: bytes) -> tuple[pd.Series, pd.Series, str]:
    """Parse one column by kind: values, the mask of unreadable cells, and the Danish text of what was expected."""
    f = src.formats
    if kind in ("date", "end"):
        p = parse.parse_date(values, f.date_format)
        bad = p.bad
        if kind == "end":  # an end date in the year 9999 is how many systems write "open-ended"
            bad = bad & ~values.astype("string").str.contains("9999", regex=False).fillna(False)
        return p.values, bad, parse.expected_date(f.date_format)
    if kind == "number":
        p = parse.parse_number(values, decimal=f.decimal, thousands=f.thousands)
        return p.values, p.bad, parse.EXPECTED_NUMBER
    if kind == "duration":
        p = parse.parse_duration(values, unit=f.duration_unit, decimal=f.decimal)
        return p.values, p.bad, parse.EXPECTED_DURATION
    if kind == "year":
        p = parse.parse_number(values, decimal=f.decimal, thousands="")
        ok = p.values.isna() | ((p.values % 1 == 0) & p.values.between(1900, 2100))
        return p.values.where(ok).astype("Int64"), p.bad | ~ok, "et årstal, fx 2026"
    if kind == "area":  # a paragraph where the text names one ("SEL-107", "§ 85"), else the text as written
        text = parse.parse_text(values).values
        legal = text.str.contains(r"§|^\s*(?:SEL|ABL|BL)\b", regex=True).fillna(False)
        area = parse.parse_paragraph(values).values.where(legal).fillna(text)
        return area.mask(text.str.casefold().isin(["total", "hele området"]), "total"), pd.Series(False, index=values.index), ""
    if kind == "cpr":
        ids, bad = pseudonymise(values, key)
        return ids, bad, "et CPR-nummer med 10 cifre (DDMMÅÅ-XXXX)"
    parser = KINDS[kind][1]
    p = parser(values)
    expected = getattr(parse, f"EXPECTED_{kind.upper()}", KINDS[kind][0])
    return p.values, p.bad, expected


def _canonical(raw: RawSheet, table: str, src: TableSource, key: bytes) -> Piece:
    """Map and parse one raw sheet into canonical rows; unreadable rows become error lines."""
    frame, errors = raw.frame, []
    specs = TABLES[table]
    found = {c.name: _match_column(list(frame.columns), src.sources_for(c.name)) for c in specs}
    missing = [c for c in specs if found[c.name] is None and c.name not in src.constants and (c.required or c.name in src.columns)]
    if table in CITIZEN_TABLES and found.get("cpr") is None and found.get("citizen_id") is None:
        missing.append(next(c for c in specs if c.name == "cpr"))
    stats = {"table": table, "file": raw.file, "sheet": raw.sheet, "rows_read": len(frame), "blank_rows": raw.blank_rows}
    if missing:
        for c in missing:
            wanted = " / ".join(dict.fromkeys(src.sources_for(c.name)[:4]))
            errors.append(_error(table, raw.file, raw.sheet, raw.header_row, c.label, "",
                                 f"en kolonne med navnet {wanted}",
                                 f"kolonnen '{c.label}' mangler i overskriftsrækken (forventet en af: {wanted}); arkets {len(frame)} rækker er afvist"))
        stats |= {"totals_skipped": 0, "rows_rejected": len(frame), "duplicates_removed": 0, "rows_accepted": 0}
        return Piece(empty(table), error_frame(errors), pd.DataFrame([stats]))

    used = {name: frame[col] for name, col in found.items() if col is not None}
    for name, value in src.constants.items():
        used[name], found[name] = pd.Series(value, index=frame.index, dtype=object), f"{name} (fast værdi i mappingen)"
    totals = pd.Series(False, index=frame.index)
    for name, cells in used.items():
        if next(c for c in specs if c.name == name).kind not in ("cpr", "number", "date", "duration", "year"):
            totals |= parse.is_totals_label(cells)
    out = pd.DataFrame(index=frame.index)
    bad_any = totals.copy()
    cpr_values = None
    for c in specs:
        if c.name not in used:
            continue
        values, bad, expected = _parse(c.kind, used[c.name], src, key)
        if c.kind == "cpr":
            cpr_values = used[c.name]
            out["citizen_id"] = values
        else:
            out[c.name] = values
        bad &= ~totals
        for i in bad[bad].index:
            shown = "(skjult)" if c.kind == "cpr" else safe_value(used[c.name].at[i])
            problem = (f"cellen er ikke {KINDS[c.kind][0]} (forventet {expected}; værdien vises ikke af hensyn til persondata)"
                       if c.kind == "cpr" else f"'{shown}' er ikke {KINDS[c.kind][0]} (forventet {expected})")
            errors.append(_error(table, raw.file, raw.sheet, int(raw.rows.at[i]), found[c.name], shown, expected, problem,
                                 out.get("citizen_id", pd.Series()).get(i)))
        bad_any |= bad
    # Required values that are simply empty.
    for c in specs:
        if c.required and c.name in out:
            empty_cells = out[c.name].isna() & ~bad_any & ~totals
            for i in empty_cells[empty_cells].index:
                errors.append(_error(table, raw.file, raw.sheet, int(raw.rows.at[i]), found[c.name], "", "en værdi",
                                     "cellen er tom, men skal udfyldes", out.get("citizen_id", pd.Series()).get(i)))
            bad_any |= empty_cells
    if table in CITIZEN_TABLES:
        no_id = out["citizen_id"].isna() & ~bad_any & ~totals
        col = found.get("cpr") or found.get("citizen_id")
        for i in no_id[no_id].index:
            errors.append(_error(table, raw.file, raw.sheet, int(raw.rows.at[i]), col, "", "et CPR-nummer", "rækken har intet CPR-nummer og kan ikke knyttes til en borger"))
        bad_any |= no_id
        if cpr_values is not None and table != "deliveries":
            out["birth_year"] = birth_year(cpr_digits(cpr_values)[0])
    out["source"] = pd.Series(_where(raw.file, raw.sheet), index=out.index, dtype="string")
    out["source_row"] = raw.rows.astype("Int64")
    if table == "rates":
        errors += _label_unit_errors(out, used.get("label"), raw, found)
        bad_any |= out.index.isin([e["_index"] for e in errors if "_index" in e])
    accepted = _conform(out.loc[~bad_any], table)
    checked, check_errors = _check(accepted, table, raw, found)
    errors += check_errors
    stats |= {
        "totals_skipped": int(totals.sum()),
        "rows_rejected": int((bad_any & ~totals).sum()) + len(accepted) - len(checked),
        "duplicates_removed": 0,
        "rows_accepted": len(checked),
    }
    for e in errors:
        e.pop("_index", None)
    return Piece(checked, error_frame(errors), pd.DataFrame([stats]))


def _label_unit_errors(out: pd.DataFrame, labels: pd.Series | None, raw: RawSheet, found: dict) -> list[dict]:
    """Rate rows whose label names another unit than the unit column (e.g. 'Døgntakst' billed 'pr. md.')."""
    if labels is None or "unit" not in out:
        return []
    stated = parse.unit_in_label(labels)
    clash = stated.notna() & out["unit"].notna() & (stated.astype("string") != out["unit"])
    rows = []
    for i in clash[clash].index:
        e = _error("rates", raw.file, raw.sheet, int(raw.rows.at[i]), found["unit"], safe_value(out.at[i, "unit"]),
                   f"enheden '{stated[i]}', som beskrivelsen angiver",
                   f"beskrivelsen '{safe_value(labels[i])}' angiver enheden '{UNITS[stated[i]]}', men enhedskolonnen siger "
                   f"'{UNITS[out.at[i, 'unit']]}'; ret den ene")
        e["_index"] = i
        rows.append(e)
    return rows


def _conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's canonical columns and dtypes (missing optional columns added empty)."""
    cols = {**DTYPES[table], **PROVENANCE}
    if "birth_year" in frame and table != "citizens":
        cols["birth_year"] = "Int64"
    out = pd.DataFrame(index=frame.index)
    for name, dtype in cols.items():
        if name in frame:
            out[name] = frame[name].astype(dtype) if dtype != "object" else frame[name]
        elif dtype == "object":
            out[name] = pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype=object)
        else:
            out[name] = pd.Series(None, index=frame.index, dtype=dtype)
    if table == "orders":
        out["is_addon"] = out["is_addon"].fillna(False)
    return out


def _check(frame: pd.DataFrame, table: str, raw: RawSheet, found: dict) -> tuple[pd.DataFrame, list[dict]]:
    """Run the table's pandera checks lazily; failing rows are left out, each with a Danish error line."""
    import pandera.errors

    schema = checks().get(table)
    errors: list[dict] = []
    extra = _cross_field_failures(frame, table)
    failed = pd.DataFrame(extra, columns=["column", "index", "value", "expected"])
    if schema is not None and len(frame):
        try:
            schema.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            fc = exc.failure_cases.dropna(subset=["index"])
            fc = pd.DataFrame({"column": fc["column"], "index": fc["index"].astype(int), "value": fc["failure_case"],
                               "expected": [CHECK_TEXT.get((table, c), "en gyldig værdi") for c in fc["column"]]})
            failed = pd.concat([failed, fc], ignore_index=True) if len(failed) else fc
    for r in failed.itertuples(index=False):
        col = found.get(r.column) or r.column
        shown = safe_value(r.value)
        errors.append(_error(table, raw.file, raw.sheet, int(frame.at[r.index, "source_row"]), col, shown, r.expected,
                             f"'{shown}' er ikke {r.expected}", frame.at[r.index, "citizen_id"] if "citizen_id" in frame else None))
    return frame.drop(index=failed["index"].unique()), errors


def _cross_field_failures(frame: pd.DataFrame, table: str) -> list[tuple]:
    """Rows whose dates or hour bands run backwards."""
    pairs = {"orders": [("start_date", "end_date", "en slutdato på eller efter startdatoen")],
             "rates": [("valid_from", "valid_to", "en 'gyldig til'-dato på eller efter 'gyldig fra'"),
                       ("min_hours_per_week", "max_hours_per_week", "et maksimum på mindst minimum")]}
    out = []
    for lo, hi, expected in pairs.get(table, []):
        wrong = frame[hi].notna() & frame[lo].notna() & (frame[hi] < frame[lo])
        out += [(hi, i, frame.at[i, hi], expected) for i in wrong[wrong].index]
    return out


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _key_id(key: bytes) -> str:
    """A short id of the pseudonym key for cache keys (the key itself is never stored)."""
    return hashlib.sha256(b"bitanalysis-key-id" + key).hexdigest()[:12]


def _stat(folder: Path, path: Path) -> tuple[str, int, int]:
    """A file's name in the folder, size and modification time: what the stat-keyed caches compare."""
    st = path.stat()
    return path.relative_to(folder).as_posix(), st.st_size, st.st_mtime_ns


def file_hashes(folder: Path, cache: bool = True) -> dict[str, str]:
    """SHA-256 of every file in a data folder (its cache left out); a file of unchanged size and time is not read again."""
    stored = folder / CACHE_DIR / "file-hashes.json"
    try:
        known = json.loads(stored.read_text(encoding="utf-8")) if cache and stored.exists() else {}
    except (OSError, ValueError):
        known = {}
    out, now = {}, {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and CACHE_DIR not in p.relative_to(folder).parts:
            rel, size, mtime = _stat(folder, p)
            hit = known.get(rel)
            out[rel] = hit[2] if hit and hit[:2] == [size, mtime] else _file_hash(p)
            now[rel] = [size, mtime, out[rel]]
    if cache and now != known:
        _write_atomic(stored, json.dumps(now))
    return out


def _load_file(path: Path, label: str, table: str, src: TableSource, key: bytes, cache: Path | None) -> Piece:
    """One source file's canonical rows, from the cache when the file, mapping and version are unchanged."""
    stem = hashlib.sha256(f"{_file_hash(path)}|{src.fingerprint()}|{__version__}|{_key_id(key)}|{label}".encode()).hexdigest()[:24]
    if cache is not None and (cache / f"{stem}.json").exists():
        return Piece(pd.read_parquet(cache / f"{stem}.frame.parquet"), pd.read_parquet(cache / f"{stem}.errors.parquet"),
                     pd.read_json(cache / f"{stem}.json", orient="records"))
    try:
        raws = read_source(path, label, sheet=src.sheet, header=src.header, encoding=src.formats.encoding,
                           delimiter=src.formats.delimiter, expected=_expected_headers(src))
    except ReadError as exc:
        errs = error_frame([_error(table, label, None, None, "", "", "en læsbar fil", str(exc).split(": ", 1)[-1])])
        return Piece(empty(table), errs, pd.DataFrame([{"table": table, "file": label, "sheet": None, **dict.fromkeys(REPORT_COLUMNS[3:], 0)}]))
    pieces = [_canonical(r, table, src, key) for r in raws]
    if not pieces:
        pieces = [Piece(empty(table), error_frame([]), pd.DataFrame([{"table": table, "file": label, "sheet": None, **dict.fromkeys(REPORT_COLUMNS[3:], 0)}]))]
    piece = Piece(_concat([p.frame for p in pieces], table), pd.concat([p.errors for p in pieces], ignore_index=True),
                  pd.concat([p.report for p in pieces], ignore_index=True))
    if cache is not None:
        _write_cache(cache, stem, piece)
    return piece


def _write_cache(cache: Path, stem: str, piece: Piece) -> None:
    """Store a parsed file (pseudonyms only) so an unchanged file is not parsed again."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{stem}.{os.getpid()}"
        piece.frame.to_parquet(f"{tmp}.frame")
        piece.errors.to_parquet(f"{tmp}.errors")
        Path(f"{tmp}.json").write_text(piece.report.to_json(orient="records"))
        # the .json is moved last: it marks the entry complete, so a reader never sees half an entry
        for part, name in (("frame", "frame.parquet"), ("errors", "errors.parquet"), ("json", "json")):
            os.replace(f"{tmp}.{part}", cache / f"{stem}.{name}")
    except OSError:
        pass  # a read-only data folder just means no cache


def _expected_headers(src: TableSource) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for c in TABLES[src.table] for n in src.sources_for(c.name)))


def _concat(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else empty(table)


def _files(folder: Path, src: TableSource) -> list[Path]:
    seen: dict[Path, None] = {}
    for pattern in src.files:
        for p in sorted(folder.glob(pattern)):
            hidden = any(part.startswith(".") for part in p.relative_to(folder).parts)  # the cache, editors' lock files
            if p.is_file() and not hidden and not p.name.startswith("~$"):
                seen[p] = None
    return list(seen)


def _remove_duplicates(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, pd.Series]:
    """Drop rows repeated across overlapping exports (same content in an earlier file); count them per source."""
    if frame.empty:
        return frame, pd.Series(dtype=int)
    content = [c for c in DTYPES[table] if c in frame and frame[c].dtype != object]
    listy = [c for c in DTYPES[table] if c in frame and frame[c].dtype == object]
    keyed = frame[content].copy()
    for c in listy:
        keyed[c] = frame[c].map(lambda v: "|".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else "")
    file = frame["source"].str.split(", ark ", regex=False).str[0]
    row_key = pd.util.hash_pandas_object(keyed, index=False)
    occurrence = row_key.groupby([file, row_key]).cumcount()
    dup = pd.DataFrame({"k": row_key, "n": occurrence}).duplicated()
    return frame.loc[~dup].reset_index(drop=True), frame.loc[dup, "source"].value_counts()


def _rate_conflicts(rates: pd.DataFrame) -> tuple[pd.DataFrame, list[dict], pd.Series]:
    """Rate rows for the same provider and level with overlapping validity and different amounts: all rejected."""
    if rates.empty:
        return rates, [], pd.Series(dtype=int)
    r = rates.reset_index(names="i")
    pairs = r.merge(r, on=["provider_id", "rate_level"], suffixes=("", "_b"))
    far = pd.Timestamp("2262-01-01")
    overlap = (pairs["i"] < pairs["i_b"]) & (pairs["valid_from"] <= pairs["valid_to_b"].fillna(far)) & (
        pairs["valid_from_b"] <= pairs["valid_to"].fillna(far))
    clash = pairs[overlap & ((pairs["amount"] != pairs["amount_b"]) | (pairs["unit"] != pairs["unit_b"]))]
    errors = []
    for p in clash.itertuples(index=False):
        file, _, sheet = p.source.partition(", ark ")
        errors.append(_error(
            "rates", file, sheet.strip("'") or None, int(p.source_row), "Takst", safe_value(p.amount), "én takst pr. tilbud, niveau og periode",
            f"tilbud {p.provider_id}, niveau '{p.rate_level}' har to forskellige takster i overlappende perioder: "
            f"{kr(p.amount, 2)} {UNITS[p.unit]} her og {kr(p.amount_b, 2)} {UNITS[p.unit_b]} i {p.source_b}, række {p.source_row_b}; "
            "begge rækker er afvist, ret den forkerte"))
    drop = list(set(clash["i"]) | set(clash["i_b"]))
    return rates.drop(index=drop), errors, rates.loc[drop, "source"].value_counts()


def _where_column(report: pd.DataFrame) -> pd.Series:
    """The 'source' text of each report row, to match rows counted by source."""
    return pd.Series([_where(f, s if isinstance(s, str) else None) for f, s in zip(report["file"], report["sheet"])], index=report.index)


def _citizens(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The citizens table: the loaded one, completed from the orders (target group, team) and CPR birth years."""
    orders = tables["orders"].sort_values("start_date")
    from_orders = orders.groupby("citizen_id").agg(target_group=("target_group", "last"), team=("team", "last"))
    ids = pd.concat([tables[t]["citizen_id"] for t in ("citizens", "orders", "assessments", "deliveries")]).dropna().unique()
    out = pd.DataFrame(index=pd.Index(ids, name="citizen_id"))
    loaded = tables["citizens"].drop_duplicates("citizen_id", keep="last").set_index("citizen_id")
    for col in ("target_group", "team"):
        out[col] = loaded[col].reindex(out.index).fillna(from_orders[col].reindex(out.index)) if len(loaded) else from_orders[col].reindex(out.index)
    years = pd.concat([tables[t][["citizen_id", "birth_year"]] for t in ("citizens", "orders", "assessments") if "birth_year" in tables[t]])
    out["birth_year"] = years.dropna().drop_duplicates("citizen_id").set_index("citizen_id")["birth_year"].reindex(out.index)
    out = out.reset_index()
    out["source"], out["source_row"] = pd.NA, pd.NA
    return _conform(out, "citizens").sort_values("citizen_id", ignore_index=True)


def load(path: str | Path, mapping: str | Path | Mapping | None = None, *, strict: bool = False, cache: bool = True,
         key: bytes | None = None, progress: bool = False) -> Workspace:
    """Load a data folder into a Workspace; strict=True raises ValidationError on any problem; progress=True shows a bar.

    With the cache on, a folder whose files, mapping and key are unchanged is read back from a snapshot of the
    loaded tables; a changed file is parsed again (the other files come from their per-file cache).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"Datamappen {folder} findes ikke")
    m = resolve_mapping(folder, mapping)
    key = pseudonym_key() if key is None else key
    sources = {t: (m.tables.get(t), _files(folder, m.tables[t]) if t in m.tables else []) for t in TABLES}
    snapshot = folder / CACHE_DIR / f"workspace-{_snapshot_stem(folder, sources, key)}" if cache else None
    if snapshot is not None and (snapshot / "files.parquet").exists():
        ws = _read_snapshot(snapshot, folder, m.settings)
    else:
        ws = _build(folder, sources, key, folder / CACHE_DIR if cache else None, progress)
        ws.settings = m.settings
        if snapshot is not None:
            _write_snapshot(snapshot, ws)
    if strict and len(ws.load_report.errors):
        raise ValidationError(ws.load_report.errors)
    return ws


def _build(folder: Path, sources: dict[str, tuple[TableSource | None, list[Path]]], key: bytes, cache_dir: Path | None,
           progress: bool = False) -> Workspace:
    """Parse every source file (or take it from its per-file cache) into the canonical tables."""
    from tqdm.auto import tqdm

    tables, errors, reports = {}, [], []
    bar = tqdm(total=sum(len(files) for _, files in sources.values()), desc="indlæser", unit="fil", disable=not progress, leave=False)
    for table, (src, files) in sources.items():
        if not files and table in REQUIRED_TABLES:
            pattern = ", ".join(src.files) if src else "(ingen i mappingen)"
            errors.append(error_frame([_error(table, pattern, None, None, "", "", "mindst én fil",
                                              f"ingen fil fundet til tabellen '{table}' (søgte efter {pattern} i {folder})")]))
        pieces = []
        for p in files:
            bar.set_postfix_str(p.name)
            pieces.append(_load_file(p, p.relative_to(folder).as_posix(), table, src, key, cache_dir))
            bar.update()
        frame = _concat([p.frame for p in pieces], table)
        report = pd.concat([p.report for p in pieces], ignore_index=True) if pieces else pd.DataFrame(columns=REPORT_COLUMNS)
        errors += [p.errors for p in pieces]
        frame, dups = _remove_duplicates(frame, table)
        if len(dups):
            report["duplicates_removed"] = _where_column(report).map(dups).fillna(0).astype(int)
            report["rows_accepted"] -= report["duplicates_removed"]
        if table == "rates":
            frame, conflict_errors, lost = _rate_conflicts(frame)
            if conflict_errors:
                errors.append(error_frame(conflict_errors))
                lost = _where_column(report).map(lost).fillna(0).astype(int)
                report["rows_rejected"] += lost
                report["rows_accepted"] -= lost
        tables[table] = frame.reset_index(drop=True)
        reports.append(report)
    bar.close()
    tables["citizens"] = _citizens(tables)
    for t in ("orders", "assessments"):
        tables[t] = tables[t].drop(columns=["birth_year"], errors="ignore")
    all_errors = pd.concat([e for e in errors if len(e)], ignore_index=True) if any(len(e) for e in errors) else error_frame([])
    files = pd.concat([r for r in reports if len(r)], ignore_index=True)[REPORT_COLUMNS].astype({"sheet": "string"})
    load_report = LoadReport(files, all_errors.astype({"sheet": "string"}))
    return Workspace(**{t: tables[t] for t in TABLES}, load_report=load_report, folder=folder)


def _snapshot_stem(folder: Path, sources: dict[str, tuple[TableSource | None, list[Path]]], key: bytes) -> str:
    """What a snapshot depends on: the version, the key, each table's mapping and its files' names, sizes and times."""
    parts: list = [__version__, _key_id(key)]
    for table, (src, files) in sources.items():
        parts.append((table, src.fingerprint() if src else None, [_stat(folder, p) for p in files]))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _read_snapshot(snapshot: Path, folder: Path, settings: dict) -> Workspace:
    """A Workspace from its snapshot; the delivery rows stay in their Parquet file until first used."""
    tables = {t: pd.read_parquet(snapshot / f"{t}.parquet") for t in TABLES if t != "deliveries"}
    report = LoadReport(pd.read_parquet(snapshot / "files.parquet"), pd.read_parquet(snapshot / "errors.parquet"))
    return Workspace(**tables, deliveries=snapshot / "deliveries.parquet", load_report=report, folder=folder, settings=settings)


def _write_snapshot(snapshot: Path, ws: Workspace, keep: int = 3) -> None:
    """Store the loaded tables (pseudonyms only) in one folder, made complete before it gets its name."""
    tmp = snapshot.with_name(f".{snapshot.name}.{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for table, frame in ws.tables().items():
            frame.to_parquet(tmp / f"{table}.parquet", row_group_size=1_000_000 if table == "deliveries" else None)
        ws.load_report.errors.to_parquet(tmp / "errors.parquet")
        ws.load_report.files.to_parquet(tmp / "files.parquet")
        os.replace(tmp, snapshot)
    except (OSError, ValueError, TypeError):
        shutil.rmtree(tmp, ignore_errors=True)  # a read-only data folder, or another process was first
        return
    older = sorted((p for p in snapshot.parent.glob("workspace-*") if p != snapshot), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in older[keep - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def sensitive_texts(path: str | Path, mapping: str | Path | Mapping | None = None, *, cache: bool = True) -> set[str]:
    """Staff names and free-text notes in a folder's exports (never loaded; read only for the reports' privacy guard).

    Values of one word are left out: a single word ("Samtale") is no identifying text and would be found in any report.
    With the cache on, the texts of an unchanged file are kept in the data folder's cache, beside the exports they
    come from, so a large folder is not read again for every report run.
    """
    folder = Path(path)
    m = resolve_mapping(folder, mapping)
    found: set[str] = set()
    for src in m.tables.values():
        names = {" ".join(n.split()).casefold() for n in (*SENSITIVE, *src.sensitive)}
        for p in _files(folder, src):
            stem = hashlib.sha256(f"{_stat(folder, p)}|{src.fingerprint()}|{sorted(names)}|{__version__}".encode()).hexdigest()[:24]
            stored = folder / CACHE_DIR / f"{stem}.sensitive.json"
            if cache and stored.exists():
                found.update(json.loads(stored.read_text(encoding="utf-8")))
                continue
            texts = _sensitive_in_file(p, src, names)
            found.update(texts)
            if cache:
                _write_atomic(stored, json.dumps(sorted(texts), ensure_ascii=False))
    return found


def _sensitive_in_file(p: Path, src: TableSource, names: set[str]) -> set[str]:
    """The values of two words or more in a file's sensitive columns."""
    try:
        raws = read_source(p, p.name, sheet=src.sheet, header=src.header, encoding=src.formats.encoding,
                           delimiter=src.formats.delimiter, expected=_expected_headers(src))
    except ReadError:
        return set()
    found: set[str] = set()
    for raw in raws:
        for col in (c for c in raw.frame.columns if " ".join(c.split()).casefold() in names):
            values = raw.frame[col].dropna().astype("string").str.strip().unique()
            parts = (part.strip() for v in values for part in CPR_PATTERN.split(v))  # a CPR in a note is the guard's own catch
            found.update(part for part in parts if len(part) >= 6 and " " in part)
    return found


def _write_atomic(path: Path, text: str) -> None:
    """Write a cache file whole or not at all (a read-only folder just means no cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
