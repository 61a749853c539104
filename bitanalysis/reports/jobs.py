"""Which reports a run makes and whether it may start: the report names and templates, a run's error and exit codes,
the tables each report needs, the check of the data folder before any report runs (preflight), the providers to make
provider reports for, and the jobs (template, output name, parameters) of a run."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bitanalysis.workspace.workspace import Workspace

TEMPLATES = Path(os.environ.get("BITANALYSIS_TEMPLATES", Path(__file__).resolve().parents[2] / "notebooks" / "reports"))
REPORTS = ("leader", "findings", "quality", "provider")
ON_REQUEST = ("opgave",)  # made only when asked for by name (with `who`), never by "all"

EXIT_OK, EXIT_FAILED, EXIT_PRIVACY, EXIT_LOCKED = 0, 3, 4, 5


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
