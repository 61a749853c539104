"""The layout checker: a page laid out offline in headless Chromium, its cut text found, a full-page screenshot saved."""

from __future__ import annotations

import struct
import tempfile
import zlib
from pathlib import Path

import pytest

from bitanalysis.reports.notebook import chromium
from bitanalysis_dev import browser
from bitanalysis_dev.browser import BrowserError, Layout, render

needs_chromium = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed (.ci/run installs it)")

WIDE_TABLE = (  # 40 columns of 120 px in a horizontal scroller: wider than the page, but nothing is cut
    '<div style="overflow-x:auto;width:100%"><table id="wide"><tr>'
    + "".join(f'<td style="min-width:120px">Kolonne {i}</td>' for i in range(40))
    + "</tr></table></div>"
)

CRAFTED = f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Fejlside</title>
<script src="https://cdn.example.com/lib.js"></script>
</head><body>
<h1>Side med afskåret tekst</h1>
<svg id="chart" width="200" height="100">
  <text x="10" y="40">Passer fint</text>
  <text x="120" y="80">Etiket der stikker ud af grafen</text>
  <clipPath id="plotarea"><rect width="100" height="40"></rect></clipPath>
  <g clip-path="url(#plotarea)" transform="translate(10,50)"><text x="60" y="20">Søjletal skåret af</text></g>
</svg>
<div id="narrow" style="white-space:nowrap;overflow:hidden;width:50px">En alt for lang tekst i en smal kasse</div>
<div id="dots" style="white-space:nowrap;overflow:hidden;text-overflow:ellipsis;width:80px">Afkortet med prikker til sidst</div>
<div id="wide-box" style="width:1800px">Bred boks: <span style="margin-left:1450px">Tekst uden for skærmen</span></div>
{WIDE_TABLE}
<div style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)">Kun for skærmlæsere, skjult</div>
<div style="display:none">Slet ikke vist og heller ikke afskåret</div>
<div style="height:1500px">Lang side</div>
<p>Sidste linje</p>
<script>setTimeout(function () {{ findesIkke(); }}, 10);</script>
</body></html>
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    """A page that fits (a plotly chart, a wide plain table and, where itables is here, a DataTable, each in a
    horizontal scroller) and a page with each kind of cut text."""
    import plotly.graph_objects as go
    import plotly.io as pio

    folder = tmp_path_factory.mktemp("browser")
    fig = go.Figure(
        [
            go.Bar(x=["Januar", "Februar", "Marts"], y=[310_000, 480_000, 205_000], name="Udgift i kr."),
            go.Scatter(x=["Januar", "Februar", "Marts"], y=[400_000] * 3, name="Budget pr. måned"),
        ]
    )
    fig.update_layout(title="Udgift pr. måned", xaxis_title="Måned", yaxis_title="Kroner", width=900, height=380)
    good = folder / "good.html"
    pio.write_html(fig, good, include_plotlyjs=True, full_html=True)  # offline: plotly.js inline
    extra = WIDE_TABLE
    try:
        import itables
        import pandas as pd
        from itables.javascript import generate_init_offline_itables_html
    except ImportError:
        pass
    else:
        frame = pd.DataFrame({f"Kolonne med et langt navn {i}": [f"Værdi {i}.{r}" for r in range(3)] for i in range(20)})
        extra += generate_init_offline_itables_html(itables.options.dt_bundle) + itables.to_html_datatable(
            frame, connected=False, scrollX=True, display_logo_when_loading=False
        )
    good.write_text(good.read_text(encoding="utf-8").replace("</body>", extra + "</body>"), encoding="utf-8")
    (folder / "crafted.html").write_text(CRAFTED, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def good(pages) -> Layout:
    if chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    return render(pages / "good.html", pages / "good.png")


@pytest.fixture(scope="module")
def crafted(pages) -> Layout:
    if chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    return render(pages / "crafted.html", pages / "out" / "crafted.png")


def _png(path: Path) -> tuple[int, int, bytes]:
    """A PNG's width, height and decompressed image data (a filter byte, then the pixels, row by row)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    idat, at = b"", 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            idat += data[at + 8 : at + 8 + size]
        at += 12 + size
    return width, height, zlib.decompress(idat)


def test_a_plotly_chart_that_fits_and_wide_tables_in_scrollers_have_nothing_clipped(good):
    assert good.clipped == [] and good.clip_count == 0
    assert good.svg_charts == 1
    assert good.plain_tables == 1  # the wide table in its scroller
    assert good.errors == [] and good.failed_loads == [] and good.loaded
    assert "Udgift pr. måned" in good.text and "Budget pr. måned" in good.text and "Kolonne 39" in good.text
    # not cut, but a reader has to scroll sideways to see all of it: the wide plain table (and the DataTable)
    assert any("its content" in s and "Kolonne" in s for s in good.scrolled)


def test_a_wide_datatable_with_scroll_x_is_drawn_and_not_clipped(good):
    pytest.importorskip("itables")
    assert good.tables == 1  # drawn by DataTables offline; its header scrolls with the body, so it is not "cut"
    assert "Kolonne med et langt navn 19" in good.text


def test_the_screenshot_is_the_whole_page_at_the_width(good):
    width, height, pixels = _png(good.png)
    assert width == 1400 == good.width
    assert height == good.png_height == good.height < browser.WINDOW_HEIGHT  # a short page: cut to its content
    assert len(pixels) == height * (1 + width * 4) or len(pixels) == height * (1 + width * 3)  # the crop is a valid PNG


def test_each_kind_of_cut_text_is_found_and_nothing_else(crafted):
    found = "\n".join(crafted.clipped)
    assert 'svg text "Etiket der stikker ud af grafen" sticks out of its <svg#chart> (200×100 px) by' in found
    assert 'svg text "Søjletal skåret af" is cut by the clip path of <g>' in found
    assert 'text "En alt for lang tekst i en smal kasse" is cut by <div#narrow> (overflow: hidden; 50×' in found
    assert 'text "Afkortet med prikker til sidst" is cut by <div#dots> (overflow: hidden, text-overflow: ellipsis;' in found
    assert 'text "Tekst uden for skærmen" in <span> runs ' in found and "past the right edge of the 1400 px page" in found
    assert len(crafted.clipped) == crafted.clip_count == 5, found
    for fine in ("Passer fint", "Kolonne", "Bred boks", "skærmlæsere", "Slet ikke vist", "Side med"):
        assert fine not in found


def test_errors_and_offline_loads_are_reported_and_a_tall_page_is_shot_whole(crafted):
    line = next(i for i, text in enumerate(CRAFTED.splitlines(), 1) if "findesIkke" in text)
    assert crafted.errors == [f"Uncaught ReferenceError: findesIkke is not defined (crafted.html:{line})"]  # the page's line
    assert crafted.failed_loads == ["<script> https://cdn.example.com/lib.js"]  # no network
    assert crafted.plain_tables == 1 and crafted.tables == 0 and crafted.svg_charts == 0
    assert crafted.height > browser.WINDOW_HEIGHT  # measured again in a window as tall as the page
    width, height, _ = _png(crafted.png)
    assert (width, height) == (1400, crafted.height) and crafted.png_height == crafted.height
    assert "Sidste linje" in crafted.text and "Slet ikke vist" not in crafted.text


def test_a_first_window_taller_than_the_page_measures_it_the_same_in_one_run(crafted, pages, tmp_path):
    one = render(pages / "crafted.html", tmp_path / "one.png", window=browser.TALL)
    assert crafted.height < browser.TALL
    assert (one.height, one.png_height, one.clipped, one.text) == (crafted.height, crafted.png_height, crafted.clipped, crafted.text)
    assert _png(one.png)[:2] == (1400, crafted.height)  # cut to the page, not the window
    assert (one.runs, crafted.runs) == (1, 2)  # one Chromium run instead of two


@needs_chromium
def test_a_run_over_its_time_is_stopped_and_leaves_nothing_behind(pages, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(BrowserError, match=r"Chromium took more than 0\.2 s on crafted\.html"):
        render(pages / "crafted.html", tmp_path / "slow.png", timeout=0.2)
    assert list(tmp_path.iterdir()) == []


def test_without_chromium_or_the_file_the_error_says_so(pages, tmp_path, monkeypatch):
    with pytest.raises(BrowserError, match="no such HTML file"):
        render(tmp_path / "missing.html", tmp_path / "x.png")
    monkeypatch.setattr(browser, "chromium", lambda: None)
    with pytest.raises(BrowserError, match="Chromium is not installed"):
        render(pages / "crafted.html", tmp_path / "x.png")
