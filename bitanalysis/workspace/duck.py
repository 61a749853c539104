"""The one place DuckDB connections are made: a memory limit, a private spill folder and a thread count.

DuckDB spills pseudonymised rows to disk when a query outgrows its memory limit; they go to a folder only this user
can read (mode 0700): a new one in the data folder's cache, else in the temp folder, removed with the connection.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


# Its return type stays unannotated (Any) until bitanalysis_dev/bench_duckdb.py checks fetchone() for None.
def connect(memory_limit: str = "2GB", temp_directory: str | Path | None = None, threads: int | None = None):
    """A DuckDB connection under a memory limit, spilling to temp_directory (else a private temp folder), with set threads."""
    import duckdb

    temp = Path(temp_directory) if temp_directory else _private_temp()
    temp.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET temp_directory = '{}'".format(temp.as_posix().replace("'", "''")))
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = false")
    return con


@contextlib.contextmanager
def connection(folder: Path | None, memory_limit: str = "2GB", threads: int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection spilling to a private folder in the data folder's cache; closed and the folder removed after."""
    spill = spill_folder(folder)
    try:
        con = connect(memory_limit, spill, threads)
        try:
            yield con
        finally:
            con.close()
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def spill_folder(folder: Path | None) -> Path:
    """A new mode-0700 folder to spill to: <folder>/.bitanalysis-cache/duckdb-<pid>-…, else one in the temp folder."""
    from bitanalysis.workspace.cache import CACHE_DIR  # here, not at the top: _cache imports much of the package

    if folder is not None:
        cache = Path(folder) / CACHE_DIR
        try:
            cache.mkdir(exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=f"duckdb-{os.getpid()}-", dir=cache))
        except OSError:
            pass  # a read-only or vanished data folder: the temp folder instead
    return Path(tempfile.mkdtemp(prefix="bitanalysis-duckdb-"))


def _private_temp() -> Path:
    """A new mode-0700 temp folder for a connection made without one, removed when the process ends."""
    temp = Path(tempfile.mkdtemp(prefix="bitanalysis-duckdb-"))
    atexit.register(shutil.rmtree, temp, ignore_errors=True)
    return temp
