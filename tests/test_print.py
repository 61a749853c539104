"""Printing a report to an A4 PDF a person would hand out: a cover block, a running footer with page numbers, headings
kept with what follows them, tables that break between rows with the header repeated, no chart toolbar."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bitanalysis.present.cover import figures_in, figures_meta
from bitanalysis.reports.notebook import chromium, to_pdf
from bitanalysis.reports.printing import first_heading, printable

from .conftest import copy_sample

needs_printing = pytest.mark.skipif(
    chromium() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="Chromium or poppler-utils (pdftotext, pdfinfo) is not installed (.ci/run installs them)",
)

TEXT = "Forbruget i perioden er opgjort pr. bevilling og måned ud fra taksten og timetallet; beløbene er i løbende priser. "
HEADINGS = ("Udgift pr. kategori", "Baggrund", "Alle bevillinger", "Afslutning")
TABLE_HEADER = "Bevillingsnummer"
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug"]  # short axis labels: plotly does not turn them
TOOLBAR = ("Download plot as a png", "Zoom", "Autoscale", "Produced with Plotly", "Reset axes")


def pages(pdf: Path) -> list[list[str]]:
    """The non-empty lines of each page of a PDF, as `pdftotext -layout` reads them."""
    found = re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf)))
    assert found is not None
    count = int(found.group(1))
    return [
        [line for line in _run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-").splitlines() if line.strip()]
        for n in range(1, count + 1)
    ]


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def sample_report() -> str:
    """A small report like nbconvert's: each heading alone in its cell, a plotly chart with its toolbar, long text, and
    a heading at the foot of a page followed by a table of 120 rows that runs over several pages."""
    import plotly.graph_objects as go
    import plotly.io as pio

    fig = go.Figure(go.Bar(x=MONTHS, y=[3, 5, 2, 8, 6, 4, 7, 1], name="Forbrug i perioden"))
    fig.update_layout(title="Udgift pr. kategori", height=420, showlegend=True)
    chart = pio.to_html(fig, include_plotlyjs=True, full_html=False)  # with its toolbar (the modebar)
    rows = "".join(f"<tr><td>B-{i:04d}</td><td>{i * 1234} kr.</td><td>{i % 9} timer</td></tr>" for i in range(1, 121))

    def cell(inner: str, style: str = "") -> str:
        return f'<div class="jp-Cell" style="{style}"><div class="jp-RenderedHTMLCommon">{inner}</div></div>'

    return "\n".join(
        [
            '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Prøverapport</title></head><body><main>',
            cell(f"<h1>Prøverapport – oktober 2026</h1><p>{TEXT}</p>"),
            cell(f"<h2>{HEADINGS[0]}</h2>"),
            cell(chart),
            cell(f"<h2>{HEADINGS[1]}</h2>"),
            cell("".join(f"<p>{TEXT * 5}</p>" for _ in range(4))),
            cell("<p>Mellemrum, så næste overskrift står nederst på en side.</p>", "break-before: page; height: 248mm"),
            cell(f"<h2>{HEADINGS[2]}</h2>"),
            cell(f"<table><thead><tr><th>{TABLE_HEADER}</th><th>Udgift</th><th>Leveret</th></tr></thead><tbody>{rows}</tbody></table>"),
            cell(f"<h2>{HEADINGS[3]}</h2>"),
            cell(f"<p>{TEXT * 3}</p>"),
            "</main></body></html>",
        ]
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, list[list[str]]]:
    if chromium() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("Chromium or poppler-utils is not installed (.ci/run installs them)")
    folder = tmp_path_factory.mktemp("print")
    html = folder / "rapport.html"
    figures = [("Forventet regnskab", "12.345.678 kr."), ("Afvigelse", "2,1 %"), ("Borgere", "1.234"), ("Ekstra", "ikke vist")]
    html.write_text(printable(sample_report(), "Prøverapport", "oktober 2026", "27-11-2026", "31-10-2026", figures), encoding="utf-8")
    pdf = folder / "rapport.pdf"
    assert to_pdf(html, pdf)
    return pdf, pages(pdf)


@needs_printing
def test_the_pdf_is_a4_with_a_cover_block_and_a_footer_on_every_page(printed):
    pdf, text = printed
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", _run("pdfinfo", str(pdf)))
    assert size is not None
    assert abs(float(size.group(1)) - 595.28) < 1 and abs(float(size.group(2)) - 841.89) < 1  # A4 (Chromium rounds to ±0.4 pt)
    assert len(text) >= 4
    cover = "\n".join(text[0][:8])
    for shown in (
        "Prøverapport",
        "oktober 2026",
        "Kørt 27-11-2026",
        "Data pr. 31-10-2026",
        "Forventet regnskab",
        "12.345.678 kr.",
        "1.234",
    ):
        assert shown in cover, shown
    assert "ikke vist" not in "\n".join(text[0])  # three key figures at most
    assert "Prøverapport – oktober 2026" not in "\n".join(text[0][:8])  # the report's own title line is not printed twice
    for n, lines in enumerate(text, start=1):
        footer = lines[-1]
        assert re.search(rf"Side {n} af {len(text)}\s*$", footer), (n, footer)
        assert footer.lstrip().startswith("Prøverapport – oktober 2026"), (n, footer)


@needs_printing
def test_no_page_ends_with_a_heading(printed):
    _, text = printed
    for n, lines in enumerate(text, start=1):
        body = lines[:-1]  # the footer is the last line
        assert body and body[-1].strip() not in HEADINGS, f"side {n} slutter med overskriften {body[-1].strip()!r}"
    table_heading = next(n for n, lines in enumerate(text) if any(line.strip() == HEADINGS[2] for line in lines))
    lines = text[table_heading]
    after = lines[[line.strip() for line in lines].index(HEADINGS[2]) + 1 :]
    assert any(TABLE_HEADER in line for line in after) and any("B-0001" in line for line in after)  # kept with the table's start


@needs_printing
def test_a_long_table_repeats_its_header_on_every_page_it_spans(printed):
    _, text = printed
    spans = [n for n, lines in enumerate(text) if any(re.search(r"\bB-0\d{3}\b", line) for line in lines)]
    assert len(spans) >= 3 and spans == list(range(spans[0], spans[-1] + 1))
    for n in spans:
        assert any(TABLE_HEADER in line for line in text[n]), f"side {n + 1} mangler tabellens kolonneoverskrifter"
    rows = [m for n in spans for line in text[n] for m in re.findall(r"\bB-(\d{4})\b", line)]
    assert rows == [f"{i:04d}" for i in range(1, 121)]  # every row once, none cut in two across pages


@needs_printing
def test_no_chart_toolbar_and_the_chart_fits_the_page(printed):
    pdf, text = printed
    everything = "\n".join(line for lines in text for line in lines)
    for word in TOOLBAR:
        assert word not in everything, word
    assert "plotly.com" not in _run("pdfinfo", "-url", str(pdf))  # the toolbar's logo link, printed without the CSS
    for label in MONTHS:  # every axis label drawn: the chart is not cut at the right edge
        assert re.search(rf"\b{label}\b", everything), label
    assert "Forbrug i perioden" in everything  # the legend, right of the plot


def test_the_cover_takes_its_key_figures_from_the_reports_meta_tag():
    html = (
        f"<html><head></head><body><main>{figures_meta([('Kroner på spil', '1.234 kr.'), ('Fund', '12')])}<h1>BIT-fund – oktober 2026</h1>"
    )
    assert figures_in(html) == [("Kroner på spil", "1.234 kr."), ("Fund", "12")]
    assert figures_in("<p>ingen</p>") == [] and first_heading(html) == "BIT-fund – oktober 2026"
    page = printable(html, "BIT-fund", "oktober 2026", "27-11-2026", "31-10-2026", [])
    assert '<style media="print">' in page and "@page" in page and 'counter(page) " af " counter(pages)' in page
    assert page.index('class="bit-cover"') < page.index("<h1") and 'class="bit-cover-figure"' not in page  # none given: none shown
    assert 'class="bit-title-h1"' in page  # the report's own title line is hidden in print: the cover says it
    quality = printable(html, "Datakvalitet – bilag til oktober 2026", "oktober 2026", "27-11-2026", "", [])
    assert 'content: "Datakvalitet – bilag til oktober 2026";' in quality and "Data pr." not in quality  # the period once


@needs_printing
@pytest.mark.parametrize("publication", ["2026-10"], indirect=True)
def test_report_with_pdf_publishes_each_pdf_and_leaves_the_html_as_it_was(publication):
    folder = publication  # `bitanalysis report all --provider 000361 --pdf`, through the command line
    assert all((folder / f"{kind}.pdf").exists() and (folder / f"{kind}.html").exists() for kind in KINDS)
    assert not list(folder.glob(".*")) and not list(folder.glob("*.print*"))  # no printable copy or browser profile published
    text = pages(folder / "findings.pdf")
    assert "BIT-fund" in text[0][0] and "oktober 2026" in "\n".join(text[0][:3])
    assert all(re.search(rf"Side {n} af {len(text)}", lines[-1]) for n, lines in enumerate(text, start=1))
    assert all(lines[-1].lstrip().startswith("BIT-fund – oktober 2026") for lines in text)
    assert "Forslag til" in "\n".join(line for lines in text for line in lines)  # the wide table's last column is on the page
    assert "bit-cover" not in (folder / "findings.html").read_text(encoding="utf-8")  # the published HTML is as it was


def test_no_pdf_prints_none_and_keeps_the_earlier_ones(tmp_path):
    from bitanalysis.cli import main

    data = copy_sample(tmp_path / "data")
    out, folder = tmp_path / "reports", tmp_path / "reports" / "2026-10"
    folder.mkdir(parents=True)
    (folder / "findings.pdf").write_bytes(b"%PDF-1.4 an earlier run's")
    assert main(["report", "quality", "--period", "2026-10", "--data", str(data), "--out", str(out), "--no-pdf"]) == 0
    assert not (folder / "quality.pdf").exists() and (folder / "findings.pdf").exists()  # --no-pdf: none made, earlier kept


def test_by_default_only_the_leader_report_is_printed(tmp_path):
    from bitanalysis.reports.jobs import jobs_for
    from bitanalysis.reports.run import to_print

    jobs = jobs_for(["leader", "findings", "quality", "provider"], "2026-10", tmp_path, tmp_path, ["000361", "003715"], {})
    assert [j.output for j in to_print(jobs, True)] == ["leader"]
    assert [j.output for j in to_print(jobs, "all")] == ["leader", "findings", "quality", "provider-000361", "provider-003715"]
    assert to_print(jobs, False) == []


KINDS = ("leader", "findings", "quality", "provider-000361")
COVER = {"leader": "Afvigelse fra budget", "findings": "Kr. på spil: over", "quality": "Rækker brugt", "provider-000361": "Leveringsgrad"}


#: The quarter's publication is CI's (`make test-long`): the same templates as the month's, printed for another period.
QUARTER = pytest.param("2026-Q3", marks=pytest.mark.long)


@pytest.fixture(scope="module", params=["2026-10", QUARTER])
def publication(request, tmp_path_factory) -> Path:
    """The sample's four report kinds for a month and a quarter, each printed, with page images of every PDF; the
    month's is the publication test_report reads too (conftest's `month_publication`)."""
    if chromium() is None or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("Chromium or poppler-utils is not installed (.ci/run installs them)")
    from bitanalysis.cli import main

    from .conftest import PUBLISHED_PROVIDER, SAMPLE

    if request.param == "2026-10":
        folder = request.getfixturevalue("month_publication")
    else:
        out = tmp_path_factory.mktemp("publication")
        command = ["report", "all", "--provider", PUBLISHED_PROVIDER, "--period", request.param, "--data", str(SAMPLE), "--out", str(out)]
        assert main([*command, "--pdf"]) == 0
        folder = out / request.param
    pages_folder = folder.parent / "pages"
    if not pages_folder.exists():
        pages_folder.mkdir()
        for kind in KINDS:
            _run("pdftoppm", "-r", "30", "-png", str(folder / f"{kind}.pdf"), str(pages_folder / kind))  # for a person to look at
    return folder


def _headings(html: str) -> list[str]:
    """The texts of a report's h1-h3 headings, as a PDF's text has them."""
    found = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>|¶", " ", h).split()) for h in found]


@pytest.mark.parametrize("kind", KINDS)
def test_every_report_kind_prints_to_pdf_with_its_cover_footer_and_no_heading_at_a_page_foot(publication, kind):
    pdf = publication / f"{kind}.pdf"
    text = pages(pdf)
    assert len(list((publication.parent / "pages").glob(f"{kind}-*.png"))) == len(text)  # a page image per page
    assert COVER[kind] in "\n".join(text[0][:12])  # the cover's key figures
    assert all(re.search(rf"Side {n} af {len(text)}", lines[-1]) for n, lines in enumerate(text, start=1))
    headings = {h for h in _headings((publication / f"{kind}.html").read_text(encoding="utf-8")) if len(h) > 3}
    for n, lines in enumerate(text, start=1):
        body = [line.strip() for line in lines[:-1]]  # without the footer
        assert body and not any(body[-1].startswith(h[:40]) for h in headings), f"page {n} ends with a heading: {body[-1]}"
    everything = "\n".join(line for lines in text for line in lines)
    assert not any(t in everything for t in TOOLBAR)


@pytest.mark.parametrize("publication", ["2026-10", QUARTER], indirect=True)
@pytest.mark.parametrize("kind", KINDS)
def test_every_report_kind_fits_the_printed_page_with_no_clipped_text(publication, kind, tmp_path):
    from bitanalysis_dev.browser import TALL, render

    page = tmp_path / f"{kind}.html"
    page.write_text(printable((publication / f"{kind}.html").read_text(encoding="utf-8"), "T", "P", "-", "-", []), encoding="utf-8")
    # A4's width at 96 dpi: the window the PDF is printed in; a tall first window, as the page is long
    layout = render(page, tmp_path / f"{kind}.png", width=794, window=TALL)
    assert layout.clipped == [], "\n".join(layout.clipped)
    assert layout.errors == []
