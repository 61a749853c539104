"""The report benchmarks (4 and 7): the leader report and `report all` against a one-cell papermill + nbconvert run,
and where their time goes (the slowest notebook cells, the parts of a run)."""

from __future__ import annotations

import re
from pathlib import Path

from bitanalysis_dev.bench_data import sample_copy
from bitanalysis_dev.bench_measure import Scale, _best, _timed


def cell_label(source: str) -> str:
    """What a cell does, in one line: the heading it shows ("## Budget og forventet regnskab"), else its first line
    that is not a condition, an import or a comment."""
    lines = [line.strip() for line in source.strip().splitlines() if line.strip()]
    heading = next((m.group(1) for line in lines if (m := re.search(r'md\(\s*f?"(#+ [^"\\]+)', line))), None)
    plain = next((line for line in lines if not re.match(r"(if |elif |else:|for |#|from |import )", line)), None)
    return (heading or plain or (lines[0] if lines else "(empty)"))[:70]


def cell_profile(notebook: Path, top: int = 8) -> list[tuple[str, float]]:
    """The slowest code cells of an executed notebook (papermill's durations): what each does and seconds."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    cells = [(cell_label(c.source), c.metadata.get("papermill", {}).get("duration") or 0.0) for c in nb.cells if c.cell_type == "code"]
    return sorted(cells, key=lambda c: -c[1])[:top] + [("all cells", sum(d for _, d in cells))]


def one_cell_seconds(work: Path) -> float:
    """The best of two one-cell papermill + nbconvert runs: the reference of the report benchmarks."""
    from bitanalysis.reports.notebook import execute, to_html

    one = work / "one.py"
    one.write_text('# %% tags=["parameters"]\nx = 1\n\n# %%\nprint(x)\n', encoding="utf-8")

    def one_cell() -> None:
        execute(one, work / "one.ipynb", {"x": 2}, work)
        to_html(work / "one.ipynb", work / "one.html")

    return _best(one_cell, 2)[0]


def bench_report(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """4: the leader report for one month on the large municipality against a one-cell papermill + nbconvert run."""
    from bitanalysis.reports.run import run

    t_one = one_cell_seconds(work)
    data, out = work / "municipality", work / "reports"
    t_cold, _ = _timed(run, ["leader"], period, data, out, pdf=False, workers=1)  # builds the privacy guard's cache
    t_leader, _ = _best(lambda: run(["leader"], period, data, out, pdf=False, workers=1), 2)
    profile = cell_profile(out / period / "leader.ipynb")
    return [
        {
            "benchmark": f"4. leader report for {period}, {scale.citizens:,} citizens (first run {t_cold:.1f} s)",
            "measured": t_leader,
            "reference": t_one,
            "reference_name": "one-cell papermill + nbconvert run",
            "target": "≤ 3×",
            "ok": t_leader / t_one <= 3,
            "profile": profile,
        }
    ]


def report_all_row(reports: int, seconds: float, one_cell: float, cold: float, period: str) -> dict:
    """The results row of `report all`: at most half a one-cell run per report."""
    return {
        "benchmark": f"7. report all for {period} on the sample: {reports} reports, the leader report printed to PDF as "
        f"`make report` does (first run {cold:.1f} s)",
        "measured": seconds,
        "reference": one_cell,
        "reference_name": "one-cell papermill + nbconvert run",
        "target": f"≤ {reports}/2 × one-cell run",
        "ok": seconds <= reports / 2 * one_cell,
    }


def bench_report_all(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """7: `report all` on the sample (its default: two workers, the leader report printed) against one-cell runs."""
    from bitanalysis.reports.run import run

    data, out = sample_copy(work), work / "sample-reports"
    t_one = one_cell_seconds(work)
    t_cold, _ = _timed(run, ["all"], period, data, out)  # the first load of the sample and the privacy guard's cache
    t_all, result = _timed(run, ["all"], period, data, out)
    return [report_all_row(len(result.jobs), t_all, t_one, t_cold, period) | {"parts": report_parts(result.jobs, result.folder, t_all)}]


def report_parts(jobs: list, folder: Path, seconds: float, workers: int = 2) -> list[tuple[str, float]]:
    """Where a run's time goes: each kind of report (its jobs' seconds, and the part spent in the notebooks' cells),
    and what the runner does outside the workers."""
    parts = []
    for kind in dict.fromkeys(j.name for j in jobs):
        mine = [j for j in jobs if j.name == kind]
        cells = sum(cell_profile(folder / f"{j.output}.ipynb", top=0)[-1][1] for j in mine)
        total = sum(j.seconds for j in mine)
        parts.append((f"{len(mine)} × {kind} report: in the worker (of which in the cells {cells:.2f} s)", total))
    busy = sum(j.seconds for j in jobs) / workers
    parts.append((f"the reports' seconds shared by {workers} workers", busy))
    parts.append(("outside the reports: checking the data, printing the PDF, the privacy guard, publishing", seconds - busy))
    return parts
