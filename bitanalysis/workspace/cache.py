"""The data folder's cache: parsed files by content hash, loaded folders as snapshots, input hashes for run.json.

Everything lives in `<data>/.bitanalysis-cache/`; every entry holds pseudonyms only and may be deleted at will.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from bitanalysis.core import __version__
from bitanalysis.core.schema import TABLES, conform
from bitanalysis.io.canonical import Piece
from bitanalysis.io.mapping import TableSource
from bitanalysis.workspace.figures import old_figures
from bitanalysis.workspace.lock import alive
from bitanalysis.workspace.workspace import LoadReport, Workspace

CACHE_DIR = ".bitanalysis-cache"
SNAPSHOTS_KEPT = 3
#: The canonical tables' columns, kinds and aliases, in every cache key: a parsed file or snapshot made with other
#: columns (a table or an alias added) is made again, whatever the version number says.
SCHEMA = hashlib.sha256(repr(TABLES).encode()).hexdigest()[:12]

Sources = dict[str, tuple[TableSource | None, list[Path]]]


def key_id(key: bytes) -> str:
    """A short id of the pseudonym key for cache keys (the key itself is never stored)."""
    return hashlib.sha256(b"bitanalysis-key-id" + key).hexdigest()[:12]


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's content."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_atomic(path: Path, text: str) -> None:
    """Write a cache file whole or not at all (a read-only folder just means no cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


#: The content hash of each data file with the size and modification time (ns) it had when hashed (see `content_hash`).
HASHES = "file-hashes.json"
#: A file changed this close (ns) before it was hashed is not recorded: its next change may keep the same time stamp.
RACY_NS = 2_000_000_000


def read_hashes(cache: Path) -> dict[str, list]:
    """The recorded hashes of a data folder's files, by their path in the folder; none when unreadable."""
    try:
        recorded = json.loads((cache / HASHES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def content_hash(path: Path, name: str, recorded: dict[str, list]) -> str:
    """A file's SHA-256: the recorded one while its size and modification time are those recorded with it, else read
    anew (and recorded in `recorded`, unless the file changed within RACY_NS of now)."""
    stat = path.stat()
    entry = recorded.get(name)
    if isinstance(entry, list) and len(entry) == 3 and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
        return str(entry[2])
    digest = file_hash(path)
    if time.time_ns() - stat.st_mtime_ns > RACY_NS:
        recorded[name] = [stat.st_size, stat.st_mtime_ns, digest]
    else:
        recorded.pop(name, None)
    return digest


def write_hashes(cache: Path, recorded: dict[str, list]) -> None:
    """Record the hashes (whole or not at all; a read-only folder just means they are read again next time)."""
    write_atomic(cache / HASHES, json.dumps(recorded, sort_keys=True))


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a data folder (its cache left out), each read anew (a load uses the recorded hashes
    instead, see `content_hash`)."""
    return {
        p.relative_to(folder).as_posix(): file_hash(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.relative_to(folder).parts
    }


def piece_stem(content: str, label: str, src: TableSource, key: bytes) -> str:
    """What a parsed file depends on: its content hash, its mapping section, the version, the key and its name."""
    return hashlib.sha256(f"{content}|{src.fingerprint()}|{__version__}|{SCHEMA}|{key_id(key)}|{label}".encode()).hexdigest()[:24]


def read_piece(cache: Path, stem: str) -> Piece | None:
    """A parsed file from the cache, or None when it is not there."""
    parts = [cache / f"{stem}.{name}" for name in ("frame.parquet", "errors.parquet", "json")]
    if not parts[-1].exists():
        return None
    try:
        return Piece(pd.read_parquet(parts[0]), pd.read_parquet(parts[1]), pd.read_json(parts[2], orient="records"))
    except (OSError, ValueError) as exc:  # a truncated or damaged entry: dropped, and the file is parsed again
        drop_entry(parts, exc)
        return None


def write_piece(cache: Path, stem: str, piece: Piece) -> None:
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


def drop_entry(paths: list[Path], exc: Exception) -> None:
    """Remove a damaged cache entry, with a one-line note (the cache is rebuilt from the exports)."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    print(f"Bemærk: en beskadiget cachefil ({paths[0].name}: {type(exc).__name__}) er slettet og bygges igen.", file=sys.stderr)


def snapshot_path(folder: Path, sources: Sources, key: bytes, hashes: dict[Path, str]) -> Path:
    """Where the snapshot of a folder's load lives: keyed by the version, the key, each table's mapping and its files'
    names and content hashes."""
    parts: list = [__version__, SCHEMA, key_id(key)]
    for table, (src, files) in sources.items():
        parts.append((table, src.fingerprint() if src else None, [(p.relative_to(folder).as_posix(), hashes[p]) for p in files]))
    return folder / CACHE_DIR / f"workspace-{hashlib.sha256(repr(parts).encode()).hexdigest()[:24]}"


def read_snapshot(snapshot: Path, folder: Path, settings: dict) -> Workspace | None:
    """A Workspace from its snapshot (the delivery rows stay in their Parquet file until first used), or None."""
    if not (snapshot / "files.parquet").exists():
        return None
    try:
        tables = {t: pd.read_parquet(snapshot / f"{t}.parquet") for t in TABLES if t != "deliveries"}
        report = LoadReport(pd.read_parquet(snapshot / "files.parquet"), pd.read_parquet(snapshot / "errors.parquet"))
        pq.ParquetFile(snapshot / "deliveries.parquet")  # its footer: a truncated file is found now, not in the match
    except (OSError, ValueError) as exc:
        drop_entry([snapshot], exc)
        return None
    return Workspace(**tables, deliveries=snapshot / "deliveries.parquet", load_report=report, folder=folder, settings=settings)


def write_snapshot(snapshot: Path, ws: Workspace, keep: int = SNAPSHOTS_KEPT) -> Path | None:
    """Store the loaded tables (pseudonyms only) in one folder, made complete before it gets its name; the folder, or
    None where none could be written."""
    tmp = snapshot.with_name(f".{snapshot.name}.{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for table, frame in ws.tables().items():
            write_rows(frame, table, tmp / f"{table}.parquet")
        ws.load_report.errors.to_parquet(tmp / "errors.parquet")
        ws.load_report.files.to_parquet(tmp / "files.parquet")
        os.replace(tmp, snapshot)
    except (OSError, ValueError, TypeError):
        shutil.rmtree(tmp, ignore_errors=True)  # a read-only data folder, or another process was first
        return snapshot if (snapshot / "files.parquet").exists() else None
    older = sorted((p for p in snapshot.parent.glob("workspace-*") if p != snapshot), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in older[keep - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    return snapshot


ROW_GROUP = 1_000_000


def write_rows(frame: pd.DataFrame, table: str, path: Path) -> None:
    """A table to Parquet with its canonical dtypes, a million rows at a time (a compact table is never made whole)."""
    import pyarrow as pa

    if not any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes):
        frame.to_parquet(path, row_group_size=ROW_GROUP if table == "deliveries" else None)
        return
    schema = pa.Schema.from_pandas(conform(frame.iloc[:0], table), preserve_index=False)
    with pq.ParquetWriter(path, schema) as out:
        for start in range(0, len(frame), ROW_GROUP):
            chunk = frame.iloc[start : start + ROW_GROUP]
            if not set(schema.names) <= set(chunk.columns):
                chunk = conform(chunk, table)
            out.write_table(pa.Table.from_pandas(chunk[schema.names], preserve_index=False).cast(schema))


def _size(path: Path) -> int:
    """The bytes a cache entry takes (a snapshot folder: all its files)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _remove(path: Path) -> None:
    """Remove a cache entry, a file or a folder."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clear_cache(folder: Path) -> tuple[int, int]:
    """Remove a data folder's whole cache (everything in it is made again from the exports): entries and bytes removed."""
    cache = folder / CACHE_DIR
    entries = list(cache.iterdir()) if cache.is_dir() else []
    freed = sum(_size(p) for p in entries)
    shutil.rmtree(cache, ignore_errors=True)
    return len(entries), freed


def prune_cache(folder: Path, needed: set[str], snapshots: int = SNAPSHOTS_KEPT) -> tuple[int, int]:
    """Remove the cache entries the current exports no longer need: every entry not in `needed` (per-file tables and
    the guard's texts of files that changed or went), snapshots beyond the newest, and leftovers of interrupted writes.
    In the snapshots kept, the figures of earlier versions of the package's code go too. A DuckDB spill folder of a
    running process is left alone. Entries and bytes removed."""
    cache = folder / CACHE_DIR
    if not cache.is_dir():
        return 0, 0
    kept = sorted(cache.glob("workspace-*"), key=lambda p: p.stat().st_mtime, reverse=True)[:snapshots]
    removed, freed = 0, 0
    for entry in [*cache.iterdir(), *(old for snapshot in kept for old in old_figures(snapshot))]:
        if entry in kept or entry.name in needed or _spilling(entry):
            continue
        freed += _size(entry)
        _remove(entry)
        removed += 1
    return removed, freed


def _spilling(entry: Path) -> bool:
    """A DuckDB spill folder (duckdb-<pid>…) of a process that is still running."""
    pid = entry.name.removeprefix("duckdb-").split("-")[0]
    return entry.name.startswith("duckdb-") and pid.isdigit() and alive(int(pid))
