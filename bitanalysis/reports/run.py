"""Running the papermill report templates: staged, checked for personal data, and published all at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import platform
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import nbformat
import pandas as pd
from jupyter_client import KernelManager as _KernelManager

from bitanalysis.workspace.bundle import compact, without_library
from bitanalysis.workspace.lock import LockedError, release_lock, take_lock
from bitanalysis.core.privacy import any_found, blanked, pseudonym_key, texts_pattern
from bitanalysis.core.cpr import CPR_PATTERN, hide_cpr
from bitanalysis.workspace.write import without_libraries

if TYPE_CHECKING:
    from bitanalysis.workspace.workspace import Workspace

TEMPLATES = Path(os.environ.get("BITANALYSIS_TEMPLATES", Path(__file__).resolve().parents[2] / "notebooks" / "reports"))
REPORTS = ("leader", "findings", "quality", "provider")
ON_REQUEST = ("opgave",)  # made only when asked for by name (with `who`), never by "all"
STAGING = ".staging"
FAILED = ".failed"

EXIT_OK, EXIT_FAILED, EXIT_PRIVACY, EXIT_LOCKED = 0, 3, 4, 5


class KernelManager(_KernelManager):
    """A Jupyter kernel kept for several reports: the clients papermill opens on it are closed after each one."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.clients: list = []
        self.shell = None  # the worker's own client (shell channel only), for the lines `run` sends

    def client(self, **kwargs):
        """A new client of the kernel, remembered to be closed by `close_clients`."""
        kc = super().client(**kwargs)
        self.clients.append(kc)
        return kc

    def close_clients(self) -> None:
        """Stop the channels of every client opened since the last call."""
        for kc in self.clients:
            kc.stop_channels()
        self.clients.clear()

    def run(self, code: str, timeout: float = 60) -> None:
        """Run a line of code in the kernel and wait for its reply (no output is received: no IOPub channel, so the
        reports' outputs never queue up here)."""
        if self.shell is None:
            session = self.session.clone()
            session.session = uuid.uuid4().hex  # an identity of its own: papermill's clients share the manager's
            self.shell = super().client(session=session)
            self.shell.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        msg_id = self.shell.execute(code, silent=True, store_history=False)
        waited = 0.0
        while waited < timeout:
            try:
                if self.shell.get_shell_msg(timeout=0.5)["parent_header"].get("msg_id") == msg_id:
                    return
            except queue.Empty:
                waited += 0.5
                if not self.is_alive():
                    raise RuntimeError("kernen stoppede uventet") from None
        raise TimeoutError(f"kernen svarede ikke inden for {timeout:.0f} sekunder")


_KERNEL: KernelManager | None = None  # a worker process's kernel (see `kernel`)
_INHERITED: list[KernelManager] = []  # a forked worker's copy of its parent's kernel, kept so that it is never closed here


class ReportError(RuntimeError):
    """A report run failed; `exit_code` says how (3 a template failed, 4 the privacy guard, 5 another run is going)."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Job:
    """One report to make: its template, output name and parameters."""

    name: str
    template: Path
    parameters: dict
    output: str  # file stem: leader, findings, quality, provider-<id>
    seconds: float = 0.0
    finished: str = ""
    status: str = "pending"
    error: str = ""


@dataclass
class Run:
    """The outcome of a report run."""

    period: str
    folder: Path
    jobs: list[Job] = field(default_factory=list)
    pdf: str = ""


# --- executing and converting one notebook ---------------------------------------------------------------------


def execute(template: Path, out: Path, parameters: dict, cwd: Path, km: KernelManager | None = None) -> None:
    """Execute a jupytext template with papermill into `out` (an .ipynb), with real Python parameter values; in the
    given running kernel (emptied first, see `kernel`), else in a new one."""
    import jupytext
    import papermill

    pseudonym_key()  # a first run makes the key file here, saying so on this process's stderr, not in a notebook
    source = out.with_suffix(".input.ipynb")
    nbformat.write(jupytext.read(template), source)
    try:
        papermill.execute_notebook(
            str(source),
            str(out),
            parameters=parameters,
            kernel_name="python3",
            language="python",
            progress_bar=False,
            cwd=str(cwd),
            log_output=False,
            request_save_on_cell_execute=False,
            **({"km": km} if km is not None else {}),
        )  # one write at the end, not a 5 MB write per cell
    finally:
        source.unlink(missing_ok=True)
        if km is not None:
            km.close_clients()


def kernel(cwd: Path) -> KernelManager:
    """This worker process's kernel: started on first use (or when it died), else emptied of the last report's names.

    A worker's reports share its kernel, so each pays for importing pandas, plotly and bitanalysis once, and finds
    the workspace and the figures an earlier report computed (see `load`)."""
    global _KERNEL
    if _KERNEL is not None and _KERNEL.is_alive():
        _KERNEL.run("get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1")
        return _KERNEL
    from multiprocessing.util import Finalize

    # over IPC sockets named by a fresh file, not TCP ports: two kernels started at once can be handed the same free
    # port, and a client then talks to the other process's kernel and waits for a reply that never comes
    connection = Path(tempfile.gettempdir()) / f"bitanalysis-kernel-{uuid.uuid4().hex[:12]}.json"
    _KERNEL = KernelManager(kernel_name="python3", transport="ipc", connection_file=str(connection))
    _KERNEL.start_kernel(cwd=str(cwd))
    Finalize(_KERNEL, _KERNEL.shutdown_kernel, kwargs={"now": True}, exitpriority=10)  # when the worker ends
    return _KERNEL


def failing_cell(nb_path: Path) -> str:
    """The first cell of an executed notebook that ended in an error, and the error, in one line."""
    nb = nbformat.read(nb_path, as_version=4)
    added = {"injected-parameters", "papermill-error-cell-tag"}  # cells papermill put in; the number is the template's
    cells = [c for c in nb.cells if not added & set(c.get("metadata", {}).get("tags", []))]
    for i, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return f"celle {i + 1} ({first_line[:60]!r}): {output['ename']}: {output['evalue']}"
    return "ukendt celle"


@functools.cache
def _exporter():
    """nbconvert's HTML exporter without code and prompts (made once per process: its templates take time to load)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


def to_html(nb_path: Path, html: Path) -> None:
    """The executed notebook as HTML without code, prompts or warnings."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    body, _ = _exporter().from_notebook_node(nb)
    body = re.sub(r'<html( lang="[a-z]+")?>', '<html lang="da">', body, count=1)
    html.write_text(compact(body), encoding="utf-8")  # plotly.js once, compressed


def chromium() -> str | None:
    """The headless Chromium on this machine, if any."""
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def to_pdf(html: Path, pdf: Path) -> bool:
    """Print the HTML to PDF with headless Chromium; False (and nothing written) where Chromium is not installed.

    The page size, margins and running footer come from the HTML's own `@page` rule (see `printing.printable`), so
    Chromium's header and footer are off. The window is A4's width in CSS px, so the charts draw for the page."""
    browser = chromium()
    if browser is None:
        return False
    profile = pdf.parent / f".chromium-profile-{pdf.stem}"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--window-size=794,1123",  # A4 at 96 px per inch; the printable copy is laid out at the printed width
            "--virtual-time-budget=30000",  # plotly.js unpacked and every chart drawn before the page is printed
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return pdf.exists()


# --- the privacy guard ------------------------------------------------------------------------------------------


def readable_text(path: Path) -> str:
    """The text inside an output file, without the embedded plotly.js library (code, not data: 5 MB less to search).

    A workbook's XML parts; a notebook's decoded strings (so text escaped in its JSON is found); else the bytes.
    """
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    text = path.read_bytes().decode("utf-8", "replace")
    if path.suffix == ".ipynb":
        text = "\n".join(_strings(json.loads(text)))
    return without_libraries(text)


def _strings(value: object) -> list[str]:
    """Every string in a notebook's JSON; a list of strings (a multi-line text) is joined back into one."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ["".join(value)]
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for child in children for s in _strings(child)]


def privacy_hits(files: list[Path], sensitive: set[str], allowed: Collection[str] = ()) -> list[str]:
    """Where output files contain a CPR number or a staff name or note text of the input; the `allowed` texts (the
    authority's own task list) are taken out of the output before the names and notes are looked for, so a note that
    says part of a task is not a hit, while the same note anywhere else still is."""
    words, own = texts_pattern(sensitive), texts_pattern(set(allowed) - {""})
    hits = []
    for f in files:
        text = readable_text(f)
        if CPR_PATTERN.search(text):
            hits.append(f"{f.name}: indeholder et CPR-nummer")
        if own is not None:
            text = str(blanked(pd.Series([text]), own).iloc[0])
        if words is not None and any_found(pd.Series([text]), words) and (m := words.search(text)):
            hits.append(f"{f.name}: indeholder et navn eller en notattekst fra inddata ({len(m.group())} tegn)")
    return hits


# --- the run ----------------------------------------------------------------------------------------------------


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


def jobs_for(names: list[str], period: str, data_dir: Path, stage: Path, providers: list[str], extra: dict) -> list[Job]:
    """The notebooks to run for the requested report names."""
    jobs = []
    for name in names:
        base = {"data_dir": str(data_dir), "period": period, **extra}
        if name == "opgave":  # the task description of one order or citizen (`bitanalysis opgave`): no appendix
            jobs.append(Job(name, TEMPLATES / "opgave.py", {**base, "who": extra["who"]}, f"opgave-{safe_name(extra['who'])}"))
        elif name == "provider":
            for pid in providers:
                out = f"provider-{pid}"
                jobs.append(
                    Job(name, TEMPLATES / "provider.py", {**base, "provider_id": pid, "appendix_path": str(stage / f"{out}.xlsx")}, out)
                )
        else:
            jobs.append(Job(name, TEMPLATES / f"{name}.py", {**base, "appendix_path": str(stage / f"{name}.xlsx")}, name))
    return jobs


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


NEEDS = {  # the tables each report is made from; a report is not published when one of them failed to load
    "leader": ("orders", "rates", "deliveries", "assessments", "budget", "price_index"),
    "findings": ("orders", "rates", "deliveries", "assessments"),
    "quality": (),  # the quality report is where a failed table is shown
    "provider": ("orders", "rates", "deliveries", "assessments"),
    "opgave": ("orders", "rates", "deliveries", "assessments", "tasks"),
}


def safe_name(text: str) -> str:
    """An id as part of a file name: letters, digits, '-', '_' and '.' kept, anything else as '_'."""
    return re.sub(r"[^\w.-]+", "_", str(text).strip()) or "_"


def providers_in(ws: Workspace, period: str) -> list[str]:
    """Providers with an order active in the period (one report each)."""
    from bitanalysis.core.intervals import order_months
    from bitanalysis.core.period import period as as_period

    p = as_period(period)
    return sorted(order_months(ws.orders, p.start, p.end)["provider_id"].dropna().unique().tolist())


def preflight(names: list[str], data_dir: Path, label: str, provider_id: str | None, who: str | None = None) -> tuple[list[str], Workspace]:
    """Load the data folder once before any report runs: refuse when a table a report needs failed to load, or an
    unknown provider, order or citizen is asked for; the providers to make provider reports for, and the Workspace."""
    from bitanalysis.workspace.load import load

    ws = load(data_dir)
    needed = [t for name in names for t in NEEDS[name]]
    if provider_id is not None:
        needed += NEEDS["provider"]
    problems = ws.load_report.unusable(dict.fromkeys(needed))
    if problems:
        shown = "; ".join(problems[:5]) + (f" … ({len(problems)} i alt)" if len(problems) > 5 else "")
        raise ReportError(
            f"Intet er offentliggjort: tabeller, som rapporterne bygger på, kunne ikke indlæses ({shown}). "
            f"Ret filerne (se 'bitanalysis validate {data_dir}') og kør igen.",
            2,
        )
    if "opgave" in names:
        from bitanalysis.reports.task_description import TaskDescriptionError, resolve

        try:
            resolve(ws, who or "", label)
        except TaskDescriptionError as exc:
            raise ReportError(str(exc), 2) from None
    return _providers(names, ws, label, provider_id), ws


def _providers(names: list[str], ws: Workspace, label: str, provider_id: str | None) -> list[str]:
    """The providers to make provider reports for: the one asked for (which must have orders in the period), or all."""
    if "provider" not in names and provider_id is None:
        return []
    known = providers_in(ws, label)
    if provider_id is None:
        return known
    if provider_id not in known:
        listed = ", ".join(known[:30]) + (f" … ({len(known)} i alt)" if len(known) > 30 else "")
        raise ReportError(f"Tilbud '{provider_id}' har ingen aktive bevillinger i {label}; kendte tilbud: {listed or 'ingen'}", 2)
    return [provider_id]


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
        release_lock(lock)


@contextlib.contextmanager
def _workers(stage: Path, workers: int) -> Iterator[ProcessPoolExecutor]:
    """The worker processes of a run, each starting its kernel at once (see `warm`); shut down with their kernels."""
    with ProcessPoolExecutor(max_workers=max(1, workers), initializer=warm, initargs=(stage,)) as pool:
        for _ in range(max(1, workers)):
            pool.submit(int)  # starts the workers now, not at the first report
        yield pool


#: What a report kernel imports before its first report (the templates' own imports then cost nothing).
WARM_IMPORTS = "import pandas, plotly.graph_objects, itables, bitanalysis, bitanalysis.charts, bitanalysis.economics, bitanalysis.present"


def warm(stage: Path) -> None:
    """Set up a worker process: its stderr silenced (the kernels' chatter would drown the progress lines; errors come
    back in the notebook), and its kernel started with the libraries the reports use imported."""
    _forget_parents_loops()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    with contextlib.suppress(Exception):  # a kernel that will not start: the first report says why
        kernel(stage).run(WARM_IMPORTS)


def _forget_parents_loops() -> None:
    """Drop what a forked worker inherited and cannot use: the background event-loop threads through which Jupyter runs
    its coroutines (a process that ran a notebook in a kept kernel has one; in the fork its thread is gone, and a
    coroutine handed to it waits forever), and the parent's kernel (kept, never used here)."""
    global _KERNEL
    from jupyter_core import utils

    utils._runner_map.clear()
    if _KERNEL is not None:
        _INHERITED.append(_KERNEL)
        _KERNEL = None


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
        from bitanalysis.reports.printing import first_heading, printable
        from bitanalysis.present.cover import data_as_of_in, figures_in

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
    from bitanalysis.workspace.cache import file_hash
    from bitanalysis.io.mapping import MAPPING_FILE, resolve_mapping, source_files

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
