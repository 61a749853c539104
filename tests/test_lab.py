"""JupyterLab from the project's environment: it serves the jupytext .py notebooks as notebooks with the project's
kernel, opens them as notebooks on a double click (the override `make setup` installs into .venv), and a load in a
notebook shows no "IProgress not found" warning."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from jupyter_client import BlockingKernelClient
from nbclient import NotebookClient

from .conftest import ROOT, SAMPLE

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
OVERRIDES = ROOT / "notebooks" / ".jupyter" / "overrides.json"
INSTALLED = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "bitanalysis.json"
DOCMANAGER = "@jupyterlab/docmanager-extension:plugin"
JUPYTEXT_LABEXTENSION = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "jupyterlab-jupytext"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    base: str
    token: str
    runtime: Path

    def request(self, path: str, method: str = "GET", body: dict | None = None) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()

    def get(self, path: str) -> dict:
        return json.loads(self.request(path)[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """`jupyter lab` from this environment on notebooks/, with its own runtime, config, settings and workspaces folders,
    so only what the environment holds counts (not the user's ~/.jupyter)."""
    tmp = tmp_path_factory.mktemp("lab")
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).parent / "jupyter"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
    }
    log = (tmp / "server.log").open("wb")
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
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    server_lab = Lab(f"http://127.0.0.1:{port}", token, tmp / "runtime")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server_lab.get("/api")
                break
            except (OSError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"jupyter lab did not come up:\n{(tmp / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield server_lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


def test_jupyterlab_serves_the_notebooks_with_the_project_kernel(lab):
    listing = lab.get("/api/contents")
    names = {item["name"] for item in listing["content"]}
    assert {p.name for p in NOTEBOOKS} <= names
    specs = lab.get("/api/kernelspecs")
    argv0 = specs["kernelspecs"]["python3"]["spec"]["argv"][0]
    project = Path(sys.executable)
    assert Path(argv0).parent.resolve() == project.parent.resolve() or Path(argv0).resolve() == project.resolve()
    assert specs["kernelspecs"]["python3"]["spec"]["display_name"] == "Python 3 (bitanalysis)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_py_notebook_opens_as_a_notebook_with_the_project_kernel(lab, path):
    """The jupytext contents manager is active: the server hands the py:percent file to the lab as a notebook."""
    model = lab.get(f"/api/contents/{path.name}?type=notebook&content=1")
    assert model["type"] == "notebook" and model["format"] == "json"
    nb = model["content"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["cells"][0]["cell_type"] == "markdown" and "Spørgsmål" in nb["cells"][0]["source"]
    assert any(c["cell_type"] == "code" for c in nb["cells"])


def _jupytext_factory() -> str:
    """The name of the document widget factory the installed jupytext lab extension registers."""
    names = {m for js in JUPYTEXT_LABEXTENSION.glob("static/*.js") for m in re.findall(r'\.FACTORY="([^"]+)"', js.read_text())}
    assert len(names) == 1, names
    return names.pop()


def test_the_override_opens_python_files_with_the_jupytext_notebook_factory(lab):
    factory = _jupytext_factory()
    assert factory == "Jupytext Notebook"
    settings = lab.get(f"/lab/api/settings/{DOCMANAGER}")
    assert settings["schema"]["properties"]["defaultViewers"]["default"]["python"] == factory
    assert "defaultViewers" not in settings["settings"]  # from the environment's override, not a user setting
    html = lab.request("/lab")[1].decode()
    page = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert page is not None, html[:2000]
    config = json.loads(page[1])
    assert "jupyterlab-jupytext" in {e["name"] for e in config["federated_extensions"]}
    assert not any(d.startswith("jupyterlab-jupytext") for d in config.get("disabledExtensions", []))


def test_the_override_is_installed_in_the_environment_as_in_the_repository():
    assert INSTALLED.is_file(), f"{INSTALLED} is missing: run make setup"
    assert json.loads(INSTALLED.read_text()) == json.loads(OVERRIDES.read_text()), "the installed override is stale: run make setup"
    assert json.loads(OVERRIDES.read_text()) == {DOCMANAGER: {"defaultViewers": {"python": _jupytext_factory()}}}


def test_a_kernel_started_through_the_lab_runs(lab):
    status, body = lab.request("/api/kernels", "POST", {"name": "python3"})
    kernel = json.loads(body)
    assert status == 201 and kernel["name"] == "python3"
    try:
        client = BlockingKernelClient(connection_file=str(lab.runtime / f"kernel-{kernel['id']}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)  # a kernel_info reply: it runs, nothing executed
        finally:
            client.stop_channels()
    finally:
        assert lab.request(f"/api/kernels/{kernel['id']}", "DELETE")[0] == 204


@pytest.mark.parametrize("progress", [False, True])
def test_loading_in_a_notebook_shows_no_iprogress_warning(tmp_path, progress):
    data = _small_municipality(tmp_path / "small")  # parsed without the cache: a few files, not the sample's hundreds
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"import bitanalysis\nws = bitanalysis.load({str(data)!r}, cache=False, progress={progress})")]
    NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    text = json.dumps(outputs)
    assert "IProgress" not in text and "TqdmWarning" not in text, text
    assert not [o for o in outputs if o.get("name") == "stderr" and "indlæser" in o.get("text", "")], text  # not on red
    shown = any(o.get("name") == "stdout" and "indlæser" in o.get("text", "") for o in outputs)  # text bar, no widget
    assert shown == progress, text


def _small_municipality(folder: Path) -> Path:
    """A generated municipality of 60 citizens and 8 providers with the sample's mapping file, two documentation months and one rate
    file: enough files for a progress bar, few enough to parse in seconds."""
    import shutil

    from bitanalysis_dev.sample import generate_sample

    generate_sample(folder, seed=3, citizens=60, providers=8)
    shutil.copy(SAMPLE / "bitanalysis.toml", folder / "bitanalysis.toml")
    for extra in [*sorted((folder / "dokumentation").glob("*.csv"))[:-2], *sorted((folder / "takster").glob("*.xlsx"))[1:]]:
        extra.unlink()
    return folder
