"""What every benchmark step measures with: the sizes of a run (`Scale`, `SCALES`), the benchmark year, pseudonym key
and sample folder, a call's seconds (the best of several), and the process's peak memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    """The sizes of one benchmark run."""

    citizens: int  # citizens of the generated municipality
    rows: int  # documentation rows in its benchmark year (2026)
    xlsx_rows: int  # rows of the documentation export read from xlsx
    national_rows: int  # delivery rows of the national aggregation


SCALES = {
    "small": Scale(1_000, 1_000_000, 50_000, 5_000_000),
    "large": Scale(10_000, 10_000_000, 200_000, 10_000_000),  # the large municipality (Copenhagen)
    "national": Scale(10_000, 10_000_000, 200_000, 100_000_000),  # and the 98 municipalities' 100 million rows
}
YEAR = "2026"
KEY = b"bench"  # the pseudonym key of the benchmark loads (and of the plain-pandas reference)
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _timed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    """Seconds one call takes, and its result."""
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def _best(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The fastest of `repeat` timed calls, and the last result."""
    runs = [_timed(fn) for _ in range(repeat)]
    return min(t for t, _ in runs), runs[-1][1]


def _peak_mb() -> float:
    """This process's peak resident memory so far (each step runs in its own process)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
