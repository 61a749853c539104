"""The analyst notebooks: they run on the sample, stay thin, and JupyterLab serves them with the project's kernel."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

from .conftest import ROOT, SAMPLE

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def test_there_are_five_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["01_load_and_quality", "02_portfolio", "03_bit_match", "04_provider", "05_rates_and_fit"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_sample(path, tmp_path):
    source = tmp_path / f"{path.stem}.ipynb"
    nbformat.write(jupytext.read(path), source)
    papermill.execute_notebook(
        str(source),
        str(tmp_path / "out.ipynb"),
        parameters={"data_dir": str(SAMPLE)},
        kernel_name="python3",
        language="python",
        cwd=str(path.parent),
        progress_bar=False,
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_has_parameters(path):
    nb = jupytext.read(path)
    assert nb.cells[0].cell_type == "markdown" and "Spørgsmål" in nb.cells[0].source
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "data_dir" in params[0].source and "period" in params[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_hold_only_a_few_lines_of_analysis(path):
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        lines = [
            line
            for line in cell.source.splitlines()
            if line.strip() and not line.strip().startswith("#") and not line.startswith(("import ", "from "))
        ]
        assert len(lines) <= 6, cell.source


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_jupyterlab_serves_the_notebooks_with_the_project_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).parent / "jupyter"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
            "--ServerApp.open_browser=False",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                _get(f"{base}/api", token)
                break
            except OSError:
                time.sleep(0.5)
        listing = _get(f"{base}/api/contents", token)
        names = {item["name"] for item in listing["content"]}
        assert {p.name for p in NOTEBOOKS} <= names
        specs = _get(f"{base}/api/kernelspecs", token)
        argv0 = specs["kernelspecs"]["python3"]["spec"]["argv"][0]
        project = Path(sys.executable)
        assert Path(argv0).parent.resolve() == project.parent.resolve() or Path(argv0).resolve() == project.resolve()
    finally:
        server.terminate()
        server.wait(timeout=30)
