"""plotly.js once per report, compressed: an HTML that still renders offline as one file, and a notebook without it.

A report's HTML carried the 4.8 MB plotly.js library as text, and its executed notebook a second copy. The HTML now
carries it gzip-compressed (1.5 MB, base64 2 MB), unpacked by the browser (`DecompressionStream`: Chrome and Edge 80+,
Firefox 113+, Safari 16.4+) before the charts are drawn; the notebook keeps the charts' data (JupyterLab draws them
with its plotly extension) and leaves the library out.
"""

from __future__ import annotations

import base64
import functools
import gzip
import re
from pathlib import Path

#: What stands in a notebook where the library was.
LEFT_OUT = "/* plotly.js er udeladt af den gemte notebook (se rapportens HTML); JupyterLab tegner diagrammerne selv */"

_LOADER = """<script>
(function () {
  var queue = window.__bitCharts = window.__bitCharts || [];
  function fail(why) {
    document.querySelectorAll('.plotly-graph-div').forEach(function (d) {
      d.textContent = 'Diagrammet kan ikke vises i denne browser (' + why + '); brug en nyere Edge, Chrome, Firefox eller Safari.';
    });
  }
  if (typeof DecompressionStream === 'undefined') {
    window.addEventListener('load', function () { fail('ingen DecompressionStream'); });
    return;
  }
  var bytes = Uint8Array.from(atob('%s'), function (c) { return c.charCodeAt(0); });
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  window.__bitPlotlyReady = new Response(stream).text().then(function (code) {
    var s = document.createElement('script');
    s.textContent = code;
    document.head.appendChild(s);
    queue.forEach(function (draw) { draw(); });
    queue.length = 0;
    window.__bitCharts = {push: function (draw) { draw(); }};
  }).catch(function (e) { fail(String(e)); });
})();
</script>"""
_DEFERRED = "<script>(window.__bitCharts = window.__bitCharts || []).push(function () {%s});</script>"
_FIGURE = re.compile(r"<script>(\s*window\.PLOTLYENV=.*?)</script>", re.S)
#: Scripts nbconvert's template and plotly's figures link from a CDN (require.js, MathJax): never used by a report, and
#: a request to the network from a file that must render offline.
_CDN = re.compile(r'<script[^>]*\ssrc="https://cdnjs\.cloudflare\.com/[^"]*"[^>]*>\s*</script>')


@functools.cache
def plotlyjs() -> str:
    """The plotly.js library the charts are drawn with."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@functools.cache
def packed() -> str:
    """plotly.js gzip-compressed and base64-encoded (the same text every run)."""
    return base64.b64encode(gzip.compress(plotlyjs().encode("utf-8"), 9, mtime=0)).decode("ascii")


def compact(html: str) -> str:
    """The report HTML with plotly.js compressed once, every chart drawn when it is unpacked, and no CDN script.

    A notebook whose charts left the library out (`charts.use_offline_renderer`) gets it before its first chart's
    script; one that embedded it as text has that copy replaced."""
    html = _CDN.sub("", html)
    library = f"<script>{plotlyjs()}</script>"
    if library in html:
        html = html.replace(library, _LOADER % packed(), 1).replace(library, "")
    elif (first := _FIGURE.search(html)) is not None:
        html = html[: first.start()] + _LOADER % packed() + html[first.start() :]
    else:
        return html
    return _FIGURE.sub(lambda m: _DEFERRED % m.group(1), html)


def without_library(nb_path: Path) -> None:
    """Rewrite an executed notebook without the plotly.js library in its outputs (their charts' data stays)."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    library, changed = plotlyjs(), False
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if isinstance(html, str) and library in html:
                output["data"]["text/html"] = html.replace(library, LEFT_OUT)
                changed = True
    if changed:
        nbformat.write(nb, nb_path)
