"""Executing and converting one report notebook: the Jupyter kernel a worker process keeps for its reports (started
and warmed once, emptied between reports), papermill's run of a template, the failing cell, the HTML without code, and
the PDF printed with headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import nbformat
from jupyter_client import KernelManager as _KernelManager

from bitanalysis.core.privacy import pseudonym_key
from bitanalysis.workspace.bundle import compact


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
