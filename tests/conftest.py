"""Shared test fixtures: a home of its own with the test key for every test process, kernel and worker, and the real
files in ../shared/realdata when present."""

from __future__ import annotations

import atexit
import collections
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
SAMPLE = ROOT / "data" / "sample"
TEST_KEY = b"test-key-not-secret-0123456789abcdef"  # at least 32 characters, as pseudonym_key() demands
#: The user's own home, before the tests replaced it (kept for the check that the suite never touches it).
REAL_HOME = Path(os.environ.setdefault("BITANALYSIS_TEST_REAL_HOME", os.path.expanduser("~")))
#: The folder of the user's that a run of the product writes to (the key file); it must be the same after the suite.
USER_FOLDERS = (".config/bitanalysis",)


def _own_home() -> Path:
    """Point HOME, the XDG and Jupyter folders and the key file at a new empty folder for this test process, and set
    the test key: the kernels, report workers and browsers the tests start inherit them, so nothing a test runs can
    read or write the user's home or config (a key made by a test would otherwise land in ~/.config)."""
    home = Path(tempfile.mkdtemp(prefix="bitanalysis-test-home-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        IPYTHONDIR=str(home / ".ipython"),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        MPLCONFIGDIR=str(home / ".matplotlib"),
        BITANALYSIS_KEY=TEST_KEY.decode(),
        BITANALYSIS_KEY_FILE=str(home / "no-key-file"),
    )
    return home


TEST_HOME = _own_home()  # before any test module imports bitanalysis
import bitanalysis  # noqa: E402,F401  (first: it keeps jsonschema's slow IRI parsers out of every test process)


def _user_files() -> dict[str, float]:
    """The bitanalysis files in the user's real home, with their modification times."""
    found: dict[str, float] = {}
    for name in USER_FOLDERS:
        top = REAL_HOME / name
        for path in [top, *top.rglob("*")] if top.is_dir() else [top] if top.exists() else []:
            found[str(path)] = path.stat().st_mtime
    return found


def pytest_configure(config):
    """Remember the user's bitanalysis files (in the main process; xdist workers report to it)."""
    if not hasattr(config, "workerinput"):
        config.stash[_USER_FILES] = _user_files()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a test created, changed or removed a bitanalysis file in the user's real home."""
    before = session.config.stash.get(_USER_FILES, None)
    if before is None:
        return
    after = _user_files()
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        print(f"\nFEJL: testene rørte brugerens egne filer: {[path for path, _ in changed]}", flush=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_USER_FILES = pytest.StashKey[dict]()


#: What the independent checks of this test process compared ("reference workspaces", "fuzz cases", ...): a test adds
#: to it, and the run prints the totals of every process at its end (see `pytest_terminal_summary`).
CHECKED: collections.Counter[str] = collections.Counter()


@pytest.fixture(autouse=True)
def _counted(request):
    """Hand what a test added to CHECKED to the report, which xdist carries to the main process."""
    before = CHECKED.copy()
    yield
    request.node.user_properties.extend((name, n) for name, n in (CHECKED - before).items())


def pytest_terminal_summary(terminalreporter):
    """Print how many generated workspaces and corruptions the independent checks compared in this run."""
    totals: collections.Counter[str] = collections.Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) == "teardown":
                totals.update(dict(report.user_properties))
    if totals:
        terminalreporter.write_sep("-", "independent checks")
        for name, n in sorted(totals.items()):
            terminalreporter.write_line(f"{name}: {n:,}")


@pytest.fixture(autouse=True)
def _fixed_key(monkeypatch):
    """Every test starts with the test key and no key file, whatever an earlier test of the process changed."""
    monkeypatch.setenv("BITANALYSIS_KEY", TEST_KEY.decode())
    monkeypatch.setenv("BITANALYSIS_KEY_FILE", str(TEST_HOME / "no-key-file"))


@pytest.fixture
def realdata() -> Path:
    """The folder of real public files; the test is skipped where ../shared is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not here")
    return REALDATA


def copy_sample(dest: Path, *also_ignore: str) -> Path:
    """A copy of the sample with its cache (only new files are parsed), leaving out what other test processes are
    writing right now (DuckDB spill folders, half-written entries: the cache's dot-names); copied again when another
    process removed a file while it was copied (an old snapshot pruned)."""
    patterns = shutil.ignore_patterns("duckdb-*", ".*.tmp*", "*.tmp", *also_ignore)

    def ignored(folder: str, names: list[str]) -> set[str]:
        writing = {n for n in names if n.startswith(".")} if ".bitanalysis-cache" in Path(folder).parts else set()
        return set(patterns(folder, names)) | writing

    for attempt in range(3):
        try:
            shutil.copytree(SAMPLE, dest, ignore=ignored, dirs_exist_ok=attempt > 0)
            return dest
        except shutil.Error:
            if attempt == 2:
                raise
    return dest


def T(text: str):
    """A date from ISO text."""
    import pandas as pd

    return pd.Timestamp(text)


def order(
    order_id="o1",
    citizen_id="c1",
    provider_id="p",
    start="2026-10-01",
    end=None,
    hours=7.0,
    level="L",
    service="Socialpædagogisk støtte",
    themes=("Egenomsorg",),
    paragraph="SEL §85",
    addon=False,
) -> dict:
    """One order row with sensible defaults."""
    return {
        "order_id": order_id,
        "citizen_id": citizen_id,
        "provider_id": provider_id,
        "paragraph": paragraph,
        "service": service,
        "themes": list(themes),
        "start_date": T(start),
        "end_date": T(end) if end else None,
        "hours_per_week": hours,
        "rate_level": level,
        "is_addon": addon,
    }


def rate(amount, unit="day", level="L", provider_id="p", start="2020-01-01", end=None, lo=None, hi=None, includes=()) -> dict:
    """One rate row with sensible defaults."""
    return {
        "provider_id": provider_id,
        "rate_level": level,
        "unit": unit,
        "amount": float(amount),
        "valid_from": T(start),
        "valid_to": T(end) if end else None,
        "min_hours_per_week": lo,
        "max_hours_per_week": hi,
        "includes": list(includes),
    }


def delivery(date, minutes, citizen_id="c1", provider_id="p", service=None) -> dict:
    """One delivery row."""
    return {"citizen_id": citizen_id, "provider_id": provider_id, "date": T(date), "minutes": float(minutes), "service": service}


def assessment(date, theme, level, citizen_id="c1") -> dict:
    """One assessment row."""
    return {"citizen_id": citizen_id, "assessed_on": T(date), "theme": theme, "level": level}


def workspace(orders=(), rates=(), deliveries=(), assessments=()):
    """A Workspace from lists of row dicts."""
    import pandas as pd

    from bitanalysis import Workspace

    frames = {"orders": orders, "rates": rates, "deliveries": deliveries, "assessments": assessments}
    return Workspace.from_frames(**{k: pd.DataFrame(list(v)) for k, v in frames.items() if len(v)})


#: The provider whose report the month's publication makes beside the leader, findings and quality reports.
PUBLISHED_PROVIDER = "000361"


@pytest.fixture(scope="session")
def month_publication(tmp_path_factory) -> Path:
    """`bitanalysis report all --provider 000361 --period 2026-10 --pdf` on the sample through the command line: the
    four report kinds, each printed where Chromium is installed; made once per test process for test_report and
    test_print (SAME_PROCESS). The folder the reports were published to."""
    from bitanalysis.cli import main

    out = tmp_path_factory.mktemp("publication")
    command = ["report", "all", "--provider", PUBLISHED_PROVIDER, "--period", "2026-10", "--data", str(SAMPLE), "--out", str(out)]
    assert main([*command, "--pdf"]) == 0
    return out / "2026-10"


@pytest.fixture(scope="session")
def sample_ws():
    """The sample municipality, loaded once per test process (through its cache)."""
    from bitanalysis import load

    return load(SAMPLE, key=TEST_KEY)


#: The longest test files, dealt to the two test processes first: xdist hands out work in the order it was collected,
#: so a long file that comes last alphabetically would otherwise run alone at the end.
LONG_FIRST = (
    "test_notebooks.py",
    "test_notebooks_periods.py",
    "test_report.py",
    "test_print.py",
    "test_reference.py",
    "test_reference_more.py",
    "test_init.py",
    "test_task_description.py",
)


#: Test files that run in the process of another file: the notebooks' files share one kernel, so the sample is loaded
#: and each month's figures are computed once; the report files share one publication of the month (`month_publication`).
SAME_PROCESS = {"tests/test_notebooks_periods.py": "tests/test_notebooks.py", "tests/test_print.py": "tests/test_report.py"}


def pytest_xdist_make_scheduler(config, log):
    """Deal whole files to the test processes (a file's module fixtures are set up once), the files of SAME_PROCESS
    to the same one. (xdist's own `loadgroup` marks are not honoured by the installed pytest and xdist.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return SAME_PROCESS.get(file, file)

    return ByFile(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """After pytest's own reordering (which may split a file to keep a session fixture's users together, and so set
    up a module's fixtures twice), run each file's tests together, the longest files first."""
    result = yield
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: (rank.get(item.path.name, len(rank)), str(item.path)))
    return result
