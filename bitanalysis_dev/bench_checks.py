"""The checks on a copy of the sample municipality: the leader report through the CLI for a quarter and a year, and
analyst notebook 03 with filters, each run to the end with nothing on stderr and no personal data in what it shows."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bitanalysis_dev.bench_data import sample_copy
from bitanalysis_dev.bench_measure import Scale, _timed

CHECK_TARGET = "runs to the end, no stderr, no personal data"


def check_row(benchmark: str, seconds: float, problems: list[str]) -> dict:
    """The results row of a check: met when nothing went wrong, else the first problem as its note."""
    return {
        "benchmark": benchmark,
        "measured": seconds,
        "reference": None,
        "reference_name": problems[0] if problems else "",
        "target": CHECK_TARGET,
        "ok": not problems,
        "check": True,
    }


def first_line(text: str) -> str:
    """The first non-empty line of a text, shortened to 120 characters."""
    return next((line.strip()[:120] for line in text.splitlines() if line.strip()), "")


def published_problems(folder: Path, data: Path) -> list[str]:
    """Personal data in the files published to a folder: CPR numbers, staff names and notes of the input."""
    from bitanalysis import load
    from bitanalysis.reports.guard import privacy_hits
    from bitanalysis.workspace.write import own_texts, sensitive_of

    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if not files:
        return [f"nothing published in {folder.name}"]
    ws = load(data)
    return privacy_hits(files, sensitive_of(ws), allowed=own_texts(ws))


def cli_check(data: Path, out: Path, period: str, what: str) -> dict:
    """The leader report for a period through the CLI: exit code 0, nothing on stderr, no personal data published."""
    from bitanalysis.core.period import period as as_period

    command = [sys.executable, "-m", "bitanalysis", "report", "leader", "--period", period, "--data", str(data), "--out", str(out)]
    t, done = _timed(subprocess.run, command, capture_output=True, text=True)
    problems = [f"exit code {done.returncode}"] if done.returncode else []
    problems += [f"stderr: {first_line(done.stderr) or repr(done.stderr[:60])}"] if done.stderr else []
    problems += published_problems(out / as_period(period).label, data) if not done.returncode else []
    return check_row(f"{what}: leader report for {period} (CLI)", t, problems)


def notebook_outputs(notebook: Path) -> list[dict]:
    """Every output of every code cell of an executed notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def outputs_text(outputs: list[dict]) -> str:
    """The text a reader sees in the outputs: streams, markdown, plain text and HTML (the tables)."""
    kinds = ("text/markdown", "text/plain", "text/html")
    return "\n".join([o.get("text", "") for o in outputs] + [o.get("data", {}).get(k, "") for o in outputs for k in kinds])


def notebook_problems(outputs: list[dict], notebook: Path, data: Path) -> list[str]:
    """What is wrong with an executed analyst notebook: an error cell, stderr output, personal data."""
    from bitanalysis.reports.guard import privacy_hits
    from bitanalysis.workspace.sensitive import sensitive_texts

    errors = [f"error cell: {o['ename']}: {first_line(o['evalue'])}" for o in outputs if o.get("output_type") == "error"]
    stderr = [f"stderr: {first_line(o.get('text', ''))}" for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    return errors[:1] + stderr[:1] + privacy_hits([notebook], sensitive_texts(data))


def notebook_check(data: Path, out: Path, period: str, **filters: str) -> tuple[float, list[dict], list[str]]:
    """Run analyst notebook 03 with filters: its seconds, outputs and problems (a failing cell stops it: a problem)."""
    from bitanalysis_dev.notebooks import execute

    parameters = {"data_dir": str(data.resolve()), "period": period, **filters}
    start = time.perf_counter()
    try:
        notebook = execute("03_bit_match", out, parameters)
    except Exception as exc:  # papermill's error for a failing cell, or a kernel that died
        return time.perf_counter() - start, [], [f"stopped: {type(exc).__name__}: {first_line(str(exc))}"]
    seconds, outputs = time.perf_counter() - start, notebook_outputs(notebook)
    return seconds, outputs, notebook_problems(outputs, notebook, data)


def bench_checks(work: Path, scale: Scale, period: str = "2026-10") -> list[dict]:
    """On the sample: the leader report for a quarter and a year (CLI), and notebook 03 with a filter that selects
    nothing (it says so) and with "§ 85" and provider "361" (it shows the provider's row)."""
    from bitanalysis import load, provider_summary

    data, out = sample_copy(work), work / "check-reports"
    rows = [cli_check(data, out, "2026-Q3", "quarter run"), cli_check(data, out, "2025", "year run")]
    t, outputs, problems = notebook_check(data, work / "check-nothing", period, provider_id="999999", paragraph="§ 999")
    if outputs and "findes ikke i data" not in outputs_text(outputs):
        problems.append("the notebook does not say that the filter selects nothing")
    rows.append(check_row('a filter that selects nothing: notebook 03 with provider "999999" and "§ 999"', t, problems))
    t, outputs, problems = notebook_check(data, work / "check-row", period, provider_id="361", paragraph="§ 85")
    want = provider_summary(load(data), period, paragraph="SEL §85", provider_id="000361")
    text = outputs_text(outputs)
    if outputs and (len(want) != 1 or want["provider_name"].iloc[0] not in text or "findes ikke i data" in text):
        problems.append(f"the row of provider 000361 under SEL §85 is not shown ({len(want)} row(s) in provider_summary)")
    rows.append(check_row('"§ 85" with provider "361": notebook 03 finds its row', t, problems))
    return rows
