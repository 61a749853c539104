"""plotly.js once per report, compressed: the HTML still draws every chart offline; the notebook leaves it out."""

import base64
import gzip

import nbformat

from bitanalysis.workspace.bundle import LEFT_OUT, compact, packed, plotlyjs, without_library

FIGURE = (
    '<script>                window.PLOTLYENV=window.PLOTLYENV || {}; if (document.getElementById("a")) { Plotly.newPlot("a", []) }'
    "</script>"
)


def test_the_packed_library_is_plotly_js_gzip_compressed_and_the_same_every_time():
    assert gzip.decompress(base64.b64decode(packed())).decode("utf-8") == plotlyjs()
    assert len(packed()) < 0.45 * len(plotlyjs())
    assert packed() == packed()


def test_compact_keeps_one_compressed_library_and_defers_every_chart_until_it_is_unpacked():
    html = f"<html><head></head><body><script>{plotlyjs()}</script><div>{FIGURE}</div><script>{plotlyjs()}</script>{FIGURE}</body></html>"
    out = compact(html)
    assert plotlyjs() not in out and out.count(packed()) == 1
    assert out.count("__bitCharts = window.__bitCharts || []).push(function () {") == 2
    assert "DecompressionStream('gzip')" in out and "Diagrammet kan ikke vises" in out
    assert len(out) < 0.45 * len(html) / 2 + 10_000


def test_charts_without_the_library_get_it_once_before_the_first_and_a_page_without_charts_is_left_as_it_is():
    html = f"<html><body><p>Tekst</p><div>{FIGURE}</div>{FIGURE}</body></html>"  # as `charts.use_offline_renderer` writes
    out = compact(html)
    assert out.count(packed()) == 1 and out.index(packed()) > out.index("Tekst") and out.index(packed()) < out.index("Plotly.newPlot")
    assert out.count("__bitCharts = window.__bitCharts || []).push(function () {") == 2
    plain = "<html><body><p>Ingen diagrammer</p></body></html>"
    assert compact(plain) == plain
    cdn = '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>'
    assert compact(f"<head>{cdn}</head>{plain}") == f"<head></head>{plain}"


def test_the_notebook_keeps_its_charts_data_and_leaves_the_library_out(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("fig")
    data = {"data": [{"type": "bar", "y": [1, 2]}], "layout": {}}
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/html": f"<script>{plotlyjs()}</script>"}),
        nbformat.v4.new_output("display_data", {"application/vnd.plotly.v1+json": data, "text/html": FIGURE}),
    ]
    nb.cells = [cell]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    without_library(path)
    kept = nbformat.read(path, as_version=4).cells[0].outputs
    assert kept[0]["data"]["text/html"] == f"<script>{LEFT_OUT}</script>"
    assert kept[1]["data"]["application/vnd.plotly.v1+json"] == data and kept[1]["data"]["text/html"] == FIGURE
    assert path.stat().st_size < 10_000
