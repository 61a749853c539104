"""Figures kept between runs: a result computed from a loaded folder (a month's match, a period's findings, the budget
follow-up, the price benchmark) stored beside the folder's snapshot, under a key made of everything it depends on.

The snapshot is keyed by the exports' content, each table's mapping, the pseudonym key and the package version; a
figure's key adds the settings, the cost model, a hash of the package's own source files and the question asked. A
change to any of them makes a new key, so a kept figure is never stale: at worst it is not found and is computed
again. Only a workspace still as loaded keeps or reads figures (a notebook that changed a table computes its own).
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import pandas as pd

#: The package whose source a figure's key includes.
SOURCE = Path(__file__).resolve().parents[1]
FIGURES = "figures"


def source_hash() -> str:
    """A hash of every Python file of the package (names and content): a changed line of code makes new figure keys."""
    return _hash_of(SOURCE)


@functools.cache
def _hash_of(root: Path) -> str:
    """The source hash of a package folder, computed once per process (the running code does not change under it)."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def figure_path(folder: Path, context: object, key: object) -> Path:
    """Where the figure asked for by `key` is kept, for the settings and cost model in `context`: in a folder of the
    package's source hash, so `cache prune` can remove the figures of earlier code as a whole."""
    text = repr((context, key)).encode()
    return folder / source_hash() / f"{hashlib.sha256(text).hexdigest()[:32]}.parquet"


def old_figures(snapshot: Path) -> list[Path]:
    """A snapshot's figure folders made by other versions of the package's code (never read again)."""
    folder = snapshot / FIGURES
    return [p for p in folder.iterdir() if p.name != source_hash()] if folder.is_dir() else []


def read_figure(path: Path) -> pd.DataFrame | None:
    """A kept figure, or None (not kept, or unreadable: then it is removed and computed again)."""
    if not path.exists():
        return None
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError):
        path.unlink(missing_ok=True)
        return None


def keep_figure(path: Path, frame: pd.DataFrame) -> None:
    """Keep a figure whole or not at all, and only when it reads back as it went in (object cells with lists, odd
    dtypes); a read-only folder keeps nothing."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp)
        pd.testing.assert_frame_equal(pd.read_parquet(tmp), frame)
        os.replace(tmp, path)
    except (AssertionError, OSError, ValueError, TypeError):
        tmp.unlink(missing_ok=True)
