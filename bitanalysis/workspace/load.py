"""Loading a data folder of exports into the canonical BIT tables (contract §1), with a load report."""

from __future__ import annotations

import hmac
import sys
from pathlib import Path

import pandas as pd

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.errors import NO_FILE, InputError, ValidationError, error_frame, error_line, where_column
from bitanalysis.core.privacy import pseudonym_key
from bitanalysis.core.schema import REPORT_COLUMNS, TABLES, compact, concat, conform
from bitanalysis.io.canonical import Piece, canonical, empty_piece
from bitanalysis.io.mapping import Mapping, TableSource, expected_headers, resolve_mapping, source_files
from bitanalysis.io.providers import resolve_providers
from bitanalysis.io.read import ReadError, read_source
from bitanalysis.io.validate import rate_conflicts, remove_duplicates, tasks_without_order, unify_ids
from bitanalysis.workspace.cache import (
    CACHE_DIR,
    HASHES,
    Sources,
    content_hash,
    piece_stem,
    read_hashes,
    read_piece,
    read_snapshot,
    snapshot_path,
    write_hashes,
    write_piece,
    write_snapshot,
)
from bitanalysis.workspace.figures import FIGURES
from bitanalysis.workspace.workspace import LoadReport, Workspace, derive_citizens

REQUIRED_TABLES = ("orders", "rates", "deliveries", "assessments")
#: The tables whose rows may be millions: built with their text columns as categories (see `compact`), and written to
#: the snapshot a million rows at a time, so a large municipality's first load fits in a laptop's memory.
COMPACT = ("deliveries",)


def load(
    path: str | Path,
    mapping: str | Path | Mapping | None = None,
    *,
    strict: bool = False,
    cache: bool = True,
    key: bytes | None = None,
    progress: bool = False,
) -> Workspace:
    """Load a data folder into a Workspace; strict=True raises ValidationError on any problem; progress=True shows a bar.

    Input that cannot be used at all (a missing folder, a broken mapping file) raises InputError, with a Danish
    message; ValidationError is one of those.

    With the cache on, a folder whose files, mapping and key are unchanged is read back from a snapshot of the
    loaded tables; a changed file is parsed again (the other files come from their per-file cache).
    """
    folder = data_folder(path)
    m = resolve_mapping(folder, mapping)
    key = pseudonym_key() if key is None else key
    sources: Sources = {t: (m.tables.get(t), source_files(folder, m.tables[t]) if t in m.tables else []) for t in TABLES}
    hashes = _hashes(folder, [p for _, files in sources.values() for p in files], key if cache else None)
    snapshot = snapshot_path(folder, sources, key, hashes) if cache else None
    ws, kept = _loaded(snapshot, m), None
    if ws is None and snapshot is not None:
        ws, kept = read_snapshot(snapshot, folder, m.settings), snapshot
    if ws is None:
        ws = _build(folder, sources, key, folder / CACHE_DIR if cache else None, progress, hashes)
        ws.settings = m.settings
        kept = write_snapshot(snapshot, ws) if snapshot is not None else None
        # as every later load reads it, so the figures this run keeps carry the keys later runs look for
        ws = (read_snapshot(kept, folder, m.settings) if kept is not None else None) or ws
        # the delivery rows: from the snapshot's file where it was written, else in memory with their canonical dtypes
        ws.deliveries = kept / "deliveries.parquet" if kept is not None else conform(ws.deliveries, "deliveries")
    ws.mapping, ws.file_hashes = m, hashes
    if kept is not None:
        if ws.figures is None:  # a copy of this process's earlier load keeps its figures already
            ws.keep_figures(kept / FIGURES)
        _remember(kept, ws)
    if strict and len(ws.load_report.errors):
        raise ValidationError(ws.load_report.errors)
    return ws


#: Snapshots loaded in this process (a report kernel's, a notebook's), newest last: another `load` of the same
#: unchanged folder gets a copy of the Workspace whose computed results (the match of a period) it shares.
_LOADED: dict[Path, tuple[dict, Workspace]] = {}
LOADED_KEPT = 2


def _files_of(snapshot: Path) -> dict[str, tuple[int, int]]:
    """The snapshot's files with their sizes and change times (empty when it is gone)."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in snapshot.glob("*.parquet")} if snapshot.is_dir() else {}


def _loaded(snapshot: Path | None, m: Mapping) -> Workspace | None:
    """A copy of the Workspace this process loaded from the snapshot, if it did, with the same mapping (its settings
    and cost model are in no result's key), and the snapshot's files are as then."""
    files, ws = _LOADED.get(snapshot, ({}, None)) if snapshot is not None else ({}, None)
    if ws is None or ws.mapping != m or _files_of(snapshot) != files:  # type: ignore[arg-type]
        return None
    out = ws.copy()
    out.settings = dict(m.settings)
    return out


def _remember(snapshot: Path, ws: Workspace | None) -> None:
    """Keep a loaded snapshot's Workspace for the next `load` in this process (the newest few only)."""
    if ws is None:
        return
    _LOADED.pop(snapshot, None)
    _LOADED[snapshot] = (_files_of(snapshot), ws.copy())
    while len(_LOADED) > LOADED_KEPT:
        _LOADED.pop(next(iter(_LOADED)))


def data_folder(path: str | Path) -> Path:
    """The data folder as a Path; an InputError when it does not exist or is not a folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(f"Datamappen {folder} findes ikke (eller er ikke en mappe)")
    return folder


def _hashes(folder: Path, paths: list[Path], key: bytes | None) -> dict[Path, str]:
    """The source files' content hashes, each file read once for as long as its size and time stay as recorded in the
    cache (see `content_hash`; recorded by a keyed hash of the file's path, which may hold a CPR number; no key: no
    record); a file that cannot be opened (no access, gone) is an InputError naming it."""
    recorded = read_hashes(folder / CACHE_DIR) if key is not None else {}
    before = dict(recorded)
    hashes = {}
    for path in paths:
        name = hmac.new(key or b"", path.relative_to(folder).as_posix().encode("utf-8"), "sha256").hexdigest()[:32]
        try:
            hashes[path] = content_hash(path, name, recorded)
        except OSError as exc:
            raise InputError(f"{label_of(folder, path)}: filen kan ikke læses ({exc.strerror or type(exc).__name__})") from None
    if key is not None and recorded != before:
        write_hashes(folder / CACHE_DIR, recorded)
    return hashes


def label_of(folder: Path, path: Path) -> str:
    """A file's name in messages, the load report and the cache: its path in the data folder, CPR numbers hidden."""
    return hide_cpr(path.relative_to(folder).as_posix())


def _load_file(path: Path, label: str, table: str, src: TableSource, key: bytes, cache: Path | None, content: str) -> Piece:
    """One source file's canonical rows, from the cache when the file's content, mapping and version are unchanged."""
    stem = piece_stem(content, label, src, key)
    hit = read_piece(cache, stem) if cache is not None else None
    if hit is not None:
        return hit
    try:
        raws = read_source(
            path,
            label,
            sheet=src.sheet,
            header=src.header,
            encoding=src.formats.encoding,
            delimiter=src.formats.delimiter,
            expected=expected_headers(src),
        )
    except ReadError as exc:
        return empty_piece(
            table, label, error_frame([error_line(table, label, None, None, "", "", "en læsbar fil", str(exc).split(": ", 1)[-1])])
        )
    pieces = [canonical(r, table, src, key) for r in raws] or [empty_piece(table, label)]
    piece = Piece(
        concat([p.frame for p in pieces], table),
        pd.concat([p.errors for p in pieces], ignore_index=True),
        pd.concat([p.report for p in pieces], ignore_index=True),
    )
    if cache is not None:
        write_piece(cache, stem, piece)
    return piece


def _no_files(table: str, src: TableSource | None, folder: Path) -> pd.DataFrame:
    """The error line of a required table that no file feeds."""
    pattern = ", ".join(src.files) if src else "(ingen i mappingen)"
    return error_frame(
        [
            error_line(
                table,
                pattern,
                None,
                None,
                "",
                "",
                NO_FILE,
                f"ingen fil fundet til tabellen '{table}' (søgte efter {pattern} i {folder})"
                if src
                else f"ingen fil fundet til tabellen '{table}': mappingfilen har intet [{table}]-afsnit med de filer, den læses fra",
            )
        ]
    )


def _move_counts(report: pd.DataFrame, counts: pd.Series, column: str) -> None:
    """Count rows by source as `column` (duplicates removed, rows rejected) instead of accepted, in the load report."""
    moved = where_column(report).map(counts).fillna(0).astype(int)
    report[column] = moved if column == "duplicates_removed" else report[column] + moved
    report["rows_accepted"] -= moved


def _table(frame: pd.DataFrame, report: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """One table from its files' rows (ids already joined): rows repeated across exports removed, rate conflicts
    rejected, all counted in the load report."""
    errors = []
    frame, dups = remove_duplicates(frame, table)
    if len(dups):
        _move_counts(report, dups, "duplicates_removed")
    if table == "rates":
        frame, conflict_errors, lost = rate_conflicts(frame)
        if conflict_errors:
            errors.append(error_frame(conflict_errors))
            _move_counts(report, lost, "rows_rejected")
    return frame.reset_index(drop=True), errors


def _build(folder: Path, sources: Sources, key: bytes, cache_dir: Path | None, progress: bool, hashes: dict[Path, str]) -> Workspace:
    """Parse every source file (or take it from its per-file cache) into the canonical tables."""

    from tqdm.std import tqdm  # text, not tqdm.auto: that warns "IProgress not found" in a notebook without ipywidgets

    tables, errors, reports = {}, [], {}
    out = sys.stdout if "ipykernel" in sys.modules else sys.stderr  # a notebook shows stderr on a red background
    total = sum(len(files) for _, files in sources.values())
    bar = tqdm(total=total, desc="indlæser", unit="fil", disable=not progress, leave=False, file=out)
    for table, (src, files) in sources.items():
        if not files and table in REQUIRED_TABLES:
            errors.append(_no_files(table, src, folder))
        pieces = []
        for p in files:
            bar.set_postfix_str(p.name)
            piece = _load_file(p, label_of(folder, p), table, src, key, cache_dir, hashes[p])  # type: ignore[arg-type]
            if table in COMPACT:
                piece.frame = compact(piece.frame)
                release_memory()
            pieces.append(piece)
            bar.update()
        tables[table] = concat([p.frame for p in pieces], table)
        reports[table] = pd.concat([p.report for p in pieces], ignore_index=True) if pieces else pd.DataFrame(columns=REPORT_COLUMNS)
        errors += [p.errors for p in pieces]
    bar.close()
    tables, id_errors = unify_ids(tables)  # before duplicates: a row repeated with 15466 and 015466 is one row
    errors.append(error_frame(id_errors))
    tables, name_errors, lost = resolve_providers(tables)  # likewise: a provider by name and by id is one provider
    errors.append(error_frame(name_errors))
    for table, counts in lost.items():
        if len(counts):
            _move_counts(reports[table], counts, "rows_rejected")
    for table in list(tables):
        tables[table], table_errors = _table(tables[table], reports[table], table)
        errors += table_errors
    tables["tasks"], task_errors, lost_tasks = tasks_without_order(tables["tasks"], tables["orders"])
    errors.append(error_frame(task_errors))
    if len(lost_tasks):
        _move_counts(reports["tasks"], lost_tasks, "rows_rejected")
    tables["citizens"] = derive_citizens(tables)
    for t in ("orders", "assessments"):
        tables[t] = tables[t].drop(columns=["birth_year"], errors="ignore")
    found = [e for e in errors if len(e)]
    all_errors = pd.concat(found, ignore_index=True) if found else error_frame([])
    counted = [r for r in reports.values() if len(r)]
    files = pd.concat(counted, ignore_index=True) if counted else pd.DataFrame(columns=REPORT_COLUMNS)
    files = files.reindex(columns=REPORT_COLUMNS).astype({"sheet": "string", "problem": "string"})
    load_report = LoadReport(files, all_errors.astype({"sheet": "string"}))
    return Workspace(**{t: tables[t] for t in TABLES}, load_report=load_report, folder=folder)


def release_memory() -> None:
    """Give the memory a parsed file used back to the system (Arrow's pool and the C heap keep it otherwise), so the
    peak of a first load is its tables', not the sum of every file's parse."""
    import ctypes
    import ctypes.util

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    libc = ctypes.util.find_library("c")
    if libc and sys.platform.startswith("linux"):
        ctypes.CDLL(libc).malloc_trim(0)


def cache_entries(path: str | Path, mapping: str | Path | Mapping | None = None, key: bytes | None = None) -> set[str]:
    """The names of the cache entries a folder's current exports use: each file's parsed table and its guard texts, and
    the record of the files' hashes."""
    from bitanalysis.workspace.sensitive import sensitive_entry

    folder = data_folder(path)
    m = resolve_mapping(folder, mapping)
    key = pseudonym_key() if key is None else key
    names = {HASHES}
    files = [(src, p) for src in m.tables.values() for p in source_files(folder, src)]
    hashes = _hashes(folder, [p for _, p in files], key)
    for src, p in files:
        stem = piece_stem(hashes[p], label_of(folder, p), src, key)
        guard = sensitive_entry(p.relative_to(folder).as_posix(), hashes[p], src)
        names |= {f"{stem}.frame.parquet", f"{stem}.errors.parquet", f"{stem}.json", guard}
    return names
