"""The one place DuckDB connections are made: a memory limit, a spill folder and a thread count."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def connect(memory_limit: str = "2GB", temp_directory: str | Path | None = None, threads: int | None = None):
    """A DuckDB connection that stays under a memory limit, spilling to a temp folder, with a set number of threads."""
    import duckdb

    temp = Path(temp_directory) if temp_directory else Path(tempfile.gettempdir()) / "bitanalysis-duckdb"
    temp.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{temp.as_posix()}'")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = false")
    return con
