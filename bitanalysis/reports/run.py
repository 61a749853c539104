"""Running the report templates as one publication: the lock, the worker processes, the staging folder, the reports
printed to PDF as they are made, the refusals (a failed report, personal data in an output), run.json, and the
period's folder published all at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.reports.guard import privacy_hits
from bitanalysis.reports.jobs import EXIT_LOCKED, EXIT_PRIVACY, NEEDS, ON_REQUEST, REPORTS, Job, ReportError, jobs_for, preflight
from bitanalysis.reports.notebook import chromium, execute, failing_cell, kernel, to_html, to_pdf, warm
from bitanalysis.workspace.bundle import without_library
from bitanalysis.workspace.lock import LockedError, release_lock, take_lock

if TYPE_CHECKING:
    from bitanalysis.workspace.workspace import Workspace

STAGING = ".staging"
FAILED = ".failed"


@dataclass
class Run:
    """The outcome of a report run."""

    period: str
    folder: Path
    jobs: list[Job] = field(default_factory=list)
    pdf: str = ""


def run_id(now: dt.datetime, pid: int) -> str:
    """The staging folder's name for a run: its time and process, written so no part looks like a CPR number."""
    # "-HHMMSS-pid" read as DDMMYY-XXXX at 01:05:09 with a four-digit pid, and the guard refused the whole run
    return f"{now:%Y%m%dT%H%M%S}p{pid}"


def versions() -> dict[str, str]:
    """The versions of Python and the packages a report depends on."""
    out = {"python": platform.python_version()}
    for name in ("bitanalysis", "pandas", "numpy", "plotly", "papermill", "nbconvert", "openpyxl", "pandera", "python-calamine"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def _run_job(job: Job, stage: Path) -> Job:
    """Execute one job into the staging folder and convert it to HTML (runs in a worker process)."""
    start = time.perf_counter()
    nb = stage / f"{job.output}.ipynb"
    try:
        execute(job.template, nb, job.parameters, stage, kernel(stage))
        to_html(nb, stage / f"{job.output}.html")
        without_library(nb)  # the notebook keeps its charts' data; the HTML carries the library
        job.status = "ok"
    except Exception as exc:  # papermill's error, or a conversion error: reported, never published
        job.status = "failed"
        job.error = failing_cell(nb) if nb.exists() else f"{type(exc).__name__}: {exc}"
    job.seconds = time.perf_counter() - start
    job.finished = dt.datetime.now().isoformat(timespec="seconds")
    return job


def _progress(i: int, n: int, job: Job) -> None:
    text = f"[{i}/{n}] {job.output}: {'ok' if job.status == 'ok' else 'FEJL'} ({job.seconds:.1f} s)"
    if sys.stdout.isatty():
        print(text, flush=True)
    else:
        print(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} bitanalysis report {text}", flush=True)


def run(
    names: list[str],
    period: str,
    data_dir: str | Path = "data/sample",
    out_dir: str | Path = "reports",
    *,
    provider_id: str | None = None,
    workers: int = 2,
    pdf: bool | Literal["all"] = True,
    keep_failed: bool = False,
    **extra,
) -> Run:
    """Run report templates for a period; publish them to out_dir/<period>/ only if every one succeeds and is clean.

    `pdf`: True prints the leader report to PDF (when it is run), "all" every report run, False none.
    A failed or refused run removes its staging folder, or moves it to out_dir/.failed/ when keep_failed is set.
    """
    from bitanalysis.core.period import period as as_period

    label = as_period(period).label
    data_dir, out_dir = Path(data_dir).resolve(), Path(out_dir).resolve()
    names = _report_names(names)
    try:
        lock = take_lock(out_dir)
    except LockedError as exc:
        raise ReportError(str(exc), EXIT_LOCKED) from None
    try:
        _clear_staging(out_dir)
        stage = out_dir / STAGING / f"{label}-{run_id(dt.datetime.now(), os.getpid())}"
        stage.mkdir(parents=True)
        many = "provider" in names or provider_id is not None  # one report per provider: as many as the data has
        workers = workers if many else min(workers, len(names))  # no kernel started for a report that is not there
        checked = False
        try:
            with _workers(stage, workers) as pool:  # their kernels start while the data is checked
                providers, ws = preflight(names, data_dir, label, provider_id, extra.get("who"))
                checked = True
                try:
                    return _run_staged(names, label, ws, stage, providers, (pool, workers), pdf, extra)
                except BaseException as exc:
                    raise _failed(exc, stage, out_dir, keep_failed) from None
        finally:
            if not checked:  # nothing was made: the data's own message is the error (removed once the kernels are gone)
                shutil.rmtree(stage, ignore_errors=True)
    finally:
        with contextlib.suppress(OSError):  # the staging folder itself, once no run's files are in it
            (out_dir / STAGING).rmdir()
        release_lock(lock)


@contextlib.contextmanager
def _workers(stage: Path, workers: int) -> Iterator[ProcessPoolExecutor]:
    """The worker processes of a run, each starting its kernel at once (see `warm`); shut down with their kernels."""
    with ProcessPoolExecutor(max_workers=max(1, workers), initializer=warm, initargs=(stage,)) as pool:
        for _ in range(max(1, workers)):
            pool.submit(int)  # starts the workers now, not at the first report
        yield pool


def _run_staged(
    names: list[str],
    label: str,
    ws: Workspace,
    stage: Path,
    providers: list[str],
    workers: tuple[ProcessPoolExecutor, int],
    pdf: bool | Literal["all"],
    extra: dict,
) -> Run:
    """Make the reports in the staging folder, check them, and publish them to the period's folder."""
    target, data_dir = stage.parent.parent / label, Path(ws.folder)  # type: ignore[arg-type]
    jobs = jobs_for(names, label, data_dir, stage, providers, extra)
    printed = to_print(jobs, pdf)
    with ThreadPoolExecutor(max_workers=max(1, workers[1])) as printers:  # a report is printed while the next ones run
        try:
            printing = _Printing(stage, label, data_dir, printers, {j.output for j in printed}) if printed else None
            done = _run_jobs(jobs, stage, workers[0], printing.start if printing else None)
            _refuse_failed(done)
            result = Run(label, target, done)
            result.pdf = printing.status() if printing else ""
        except BaseException:
            printers.shutdown(cancel_futures=True)  # a refused run prints nothing more
            raise
    _refuse_personal_data(stage, ws)
    _write_run_json(stage, done, label, ws, target)
    _publish(stage, target)
    return result


def _clear_staging(out_dir: Path) -> None:
    """Remove staging folders that runs which died left behind (the lock is held: no other run is using them)."""
    for old in sorted((out_dir / STAGING).glob("*")):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
        print(f"Bemærk: en efterladt midlertidig mappe fra en afbrudt kørsel er fjernet ({old.name}).", file=sys.stderr, flush=True)


def _failed(exc: BaseException, stage: Path, out_dir: Path, keep: bool) -> BaseException:
    """The error of a failed run, after its staging folder is removed (or kept in .failed/ and named, when asked)."""
    if keep and stage.exists():
        kept = out_dir / FAILED / stage.name
        kept.parent.mkdir(parents=True, exist_ok=True)
        stage.rename(kept)
        where = f" De fejlede filer er bevaret i {kept} (slet mappen, når du har set på dem; den kan indeholde persondata)."
    else:
        shutil.rmtree(stage, ignore_errors=True)
        where = " Den midlertidige mappe er slettet; kør med --keep-failed for at bevare de fejlede filer."
    if isinstance(exc, ReportError):
        return ReportError(f"{exc}{where}", exc.exit_code)
    return exc


def to_print(jobs: list[Job], pdf: bool | Literal["all"]) -> list[Job]:
    """The jobs whose reports are printed to PDF: every one for "all", the leader report for True, none for False."""
    return [j for j in jobs if pdf == "all" or (pdf is True and j.name == "leader")]


def _report_names(names: list[str]) -> list[str]:
    """The report names asked for, with 'all' spelled out; refuses unknown names."""
    names = list(REPORTS) if names == ["all"] else names
    unknown = set(names) - set(REPORTS) - set(ON_REQUEST)
    if unknown:
        raise ReportError(f"Ukendt rapport {sorted(unknown)}; vælg blandt {', '.join(REPORTS)} eller all", 2)
    return names


def _run_jobs(jobs: list[Job], stage: Path, pool: ProcessPoolExecutor, then: Callable[[Job], None] | None = None) -> list[Job]:
    """Run the jobs in the worker processes, printing progress as each finishes, in order; `then` is called with
    each finished job that ran ok."""
    futures = [pool.submit(_run_job, j, stage) for j in jobs]
    done = []
    for i, fut in enumerate(futures, start=1):
        done.append(fut.result())
        _progress(i, len(jobs), done[-1])
        if then is not None and done[-1].status == "ok":
            then(done[-1])
    return done


def _refuse_failed(done: list[Job]) -> None:
    """Refuse the run if any report failed, naming each failing cell."""
    failed = [j for j in done if j.status != "ok"]
    if failed:
        msg = "; ".join(f"rapporten '{j.output}' fejlede i {j.error}" for j in failed)
        raise ReportError(f"{msg}. Intet er offentliggjort.")


class _Printing:
    """The run's reports printed to PDF (<output>.pdf beside the HTML) in threads, each as soon as its report is made.

    Each is printed from a temporary copy of its HTML made printable (`printing.printable`: cover block, A4 page with
    running footer, ...); the published HTML is not changed. The cover's key figures are the ones the report's HTML
    gives in a `<meta name="bit-figures">` tag (see `figures_meta`; none: the cover shows title, period and
    dates), its data date the `<meta name="bit-data-as-of">` tag's, else the newest change of the input files read."""

    def __init__(self, stage: Path, label: str, data_dir: Path, printers: ThreadPoolExecutor, outputs: Collection[str]) -> None:
        from bitanalysis.core.period import period as as_period
        from bitanalysis.core.period import period_name

        self.stage, self.printers, self.outputs = stage, printers, outputs
        self.started: list[tuple[Job, Future[bool]]] = []
        self.browser = chromium() is not None
        self.period, self.data_date, self.run_date = period_name(as_period(label)), _data_date(data_dir), f"{dt.date.today():%d-%m-%Y}"

    def start(self, job: Job) -> None:
        """Print a finished report in a thread of the run's printers, if it is one of those to print."""
        if self.browser and job.output in self.outputs:
            self.started.append((job, self.printers.submit(self._one, job)))

    def _one(self, job: Job) -> bool:
        """Print one report; whether Chromium wrote its PDF."""
        from bitanalysis.present.cover import data_as_of_in, figures_in
        from bitanalysis.reports.printing import first_heading, printable

        html = (self.stage / f"{job.output}.html").read_text(encoding="utf-8")
        title = first_heading(html).removesuffix(f" – {self.period}") or job.output
        copy = self.stage / f".print-{job.output}.html"
        page = printable(html, title, self.period, self.run_date, data_as_of_in(html) or self.data_date, figures_in(html))
        copy.write_text(page, encoding="utf-8")
        try:
            return to_pdf(copy, self.stage / f"{job.output}.pdf")
        finally:
            copy.unlink(missing_ok=True)

    def status(self) -> str:
        """'ok' once every PDF is printed, or why not (also printed as a note)."""
        if not self.browser:
            status = "Chromium er ikke installeret; ingen PDF"
            print(f"Bemærk: {status}.", flush=True)
            return status
        failed = [job.output for job, fut in self.started if not fut.result()]
        return "ok" if not failed else "Chromium skrev ingen PDF for " + ", ".join(failed)


def _data_date(data_dir: Path) -> str:
    """The date of the newest input file the mapping reads: what the data is as of ('' when there is none)."""
    from bitanalysis.io.mapping import resolve_mapping, source_files

    mapping = resolve_mapping(data_dir, None)
    times = [f.stat().st_mtime for src in mapping.tables.values() for f in source_files(data_dir, src)]
    return f"{dt.datetime.fromtimestamp(max(times)):%d-%m-%Y}" if times else ""


def _refuse_personal_data(stage: Path, ws: Workspace) -> None:
    """Refuse the run if any staged output contains personal data from the input (the authority's own task list is
    not: the task description shows it, and a note may say the same words)."""
    from bitanalysis.workspace.write import own_texts, sensitive_of

    outputs = [p for p in stage.iterdir() if p.is_file()]
    hits = privacy_hits(outputs, sensitive_of(ws), allowed=own_texts(ws))
    if hits:
        raise ReportError("Persondata fundet i output, intet er offentliggjort: " + "; ".join(hits), EXIT_PRIVACY)


def _write_run_json(stage: Path, jobs: list[Job], label: str, ws: Workspace, target: Path) -> None:
    """run.json: per report in the period folder, its parameters, the inputs it was made from, versions, time and status."""
    previous = json.loads((target / "run.json").read_text()) if (target / "run.json").exists() else {}
    reports = previous.get("reports", {})
    data_dir = Path(ws.folder)  # type: ignore[arg-type]
    used, made_with = inputs_used(data_dir, ws.file_hashes), versions()
    for j in jobs:
        tables = NEEDS[j.name] or tuple(used)
        reports[j.output] = {
            "status": j.status,
            "finished": j.finished,
            "seconds": round(j.seconds, 2),
            "parameters": j.parameters | ({"appendix_path": f"{j.output}.xlsx"} if "appendix_path" in j.parameters else {}),
            "data_dir": str(data_dir),
            "inputs": {name: sha for t in tables for name, sha in used.get(t, {}).items()} | used.get("mapping", {}),
            "versions": made_with,
        }
    info = {"period": label, "status": "ok", "updated": dt.datetime.now().isoformat(timespec="seconds"), "reports": reports}
    text = json.dumps(info, indent=2, ensure_ascii=False)
    (stage / "run.json").write_text(hide_cpr(text), encoding="utf-8")  # a file named with a CPR number


def inputs_used(data_dir: Path, hashes: dict[Path, str] | None = None) -> dict[str, dict[str, str]]:
    """The SHA-256 of each input file the mapping uses, by table (and the mapping file itself, under 'mapping'); from
    `hashes` where given (a loaded Workspace's), else read."""
    from bitanalysis.io.mapping import MAPPING_FILE, resolve_mapping, source_files
    from bitanalysis.workspace.cache import file_hash

    mapping, known = resolve_mapping(data_dir, None), hashes or {}
    used = {
        t: {p.relative_to(data_dir).as_posix(): known.get(p) or file_hash(p) for p in source_files(data_dir, src)}
        for t, src in mapping.tables.items()
    }
    if (data_dir / MAPPING_FILE).exists():
        used["mapping"] = {MAPPING_FILE: file_hash(data_dir / MAPPING_FILE)}
    return used


def _publish(stage: Path, target: Path) -> None:
    """Swap the staged folder in for the period's folder (earlier reports of the period not re-run are kept)."""
    if target.exists():
        for old in target.iterdir():
            if old.is_file() and not (stage / old.name).exists():
                shutil.copy2(old, stage / old.name)
    retired = target.with_name(f".old-{target.name}-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    stage.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
