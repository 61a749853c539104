"""Run the analyst notebooks for periods and keep them executed, as .ipynb and HTML: `make notebooks`.

    python -m bitanalysis_dev.notebooks --period 2026-10 --period 2026-Q3 --period 2025 [--data DIR] [--out DIR]

Each notebook is run with papermill in notebooks/ (so its relative default data folder works) and written to
OUT/<period>/<name>.ipynb and .html (the code shown; JavaScript for tables and charts embedded, so the HTML reads
offline), with a screenshot at 1400 px (.png) where Chromium is installed. The folder is under reports/, which git
ignores: executed notebooks carry outputs and never go into git.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ("01_load_and_quality", "02_portfolio", "03_bit_match", "04_provider", "05_rates_and_fit")


def execute(name: str, out: Path, parameters: dict) -> Path:
    """Run notebooks/<name>.py with the parameters; the executed notebook is out/<name>.ipynb (raises on a failing cell).

    The notebooks of one process share a kernel, as a report worker's reports do (emptied of the last notebook's names
    before each), so the sample is loaded and each period's figures are computed once."""
    from bitanalysis.reports.notebook import execute as run_template
    from bitanalysis.reports.notebook import kernel

    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.ipynb"
    run_template(NOTEBOOKS / f"{name}.py", target, parameters, NOTEBOOKS, kernel(NOTEBOOKS))
    return target


def to_html(notebook: Path, data: Path) -> Path:
    """The executed notebook as one HTML file beside it, with its code and outputs (through the product's writer)."""
    import nbformat
    from nbconvert import HTMLExporter

    from bitanalysis.workspace.bundle import compact
    from bitanalysis.workspace.sensitive import sensitive_texts
    from bitanalysis.workspace.write import write_text

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(notebook, as_version=4))
    page = compact(body.replace("<html>", '<html lang="da">', 1))  # plotly.js once, compressed
    return write_text(page, notebook.with_suffix(".html"), sensitive_texts(data))


def guarded(files: list[Path], data: Path) -> list[Path]:
    """The files, unless one holds a CPR number or a staff name or note of the exports: then all are deleted (SystemExit 4)."""
    from bitanalysis.reports.guard import privacy_hits
    from bitanalysis.workspace.sensitive import sensitive_texts

    hits = privacy_hits(files, sensitive_texts(data))
    if hits:
        for f in files:
            f.unlink(missing_ok=True)
        raise SystemExit("Privatlivsværnet afviste de kørte notebooks:\n" + "\n".join(hits))
    return files


def screenshot(html: Path) -> str:
    """A PNG of the page at 1400 px beside it, where Chromium is installed; what it found, in words."""
    from bitanalysis.reports.notebook import chromium

    from .browser import render

    if chromium() is None:
        return " (ingen Chromium: intet skærmbillede)"
    layout = render(html, html.with_suffix(".png"), width=1400)
    problems = len(layout.clipped) + len(layout.scrolled) + len(layout.errors)
    return f", {html.with_suffix('.png').name} ({problems} afskårne eller skjulte tekster, JavaScript-fejl)"


def main(argv: list[str] | None = None) -> int:
    """Run every analyst notebook for each period asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", action="append", required=True, help="a period; repeat for several")
    parser.add_argument("--data", default=str(ROOT / "data" / "sample"))
    parser.add_argument("--out", default=str(ROOT / "reports" / "notebooks"))
    args = parser.parse_args(argv)
    for period in args.period:
        folder = Path(args.out) / period
        for name in NAMES:
            nb = execute(name, folder, {"data_dir": str(Path(args.data).resolve()), "period": period})
            html = to_html(nb, Path(args.data))
            guarded([nb, html], Path(args.data))
            print(f"{period}: {html.relative_to(Path(args.out))}{screenshot(html)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
