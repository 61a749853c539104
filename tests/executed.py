"""Reading executed analyst notebooks: the tables, charts and text a reader sees (for tests of what they promise)."""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import plotly.graph_objects as go

from bitanalysis_dev.notebooks import execute


@dataclass
class Table:
    """One interactive table of a notebook's output: its Danish headers and every row of its data."""

    headers: list[str]
    rows: list[list]

    def column(self, header: str) -> list:
        """The values of one column, in the table's order."""
        i = self.headers.index(header)
        return [r[i] for r in self.rows]


@dataclass
class Executed:
    """An executed notebook: its cells' outputs by kind."""

    nb: nbformat.NotebookNode
    path: Path

    def outputs(self) -> list[dict]:
        """Every output of every code cell, in order."""
        return [o for c in self.nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]

    def errors(self) -> list[str]:
        """The errors the notebook ran into."""
        return [f"{o['ename']}: {o['evalue']}" for o in self.outputs() if o.get("output_type") == "error"]

    def stderr(self) -> str:
        """What the cells wrote to stderr (the red boxes in JupyterLab)."""
        return "".join(o.get("text", "") for o in self.outputs() if o.get("output_type") == "stream" and o.get("name") == "stderr")

    def tables(self) -> list[Table]:
        """The interactive tables (`present.show`), in order."""
        return [_table(html) for html in self._html() if "dt_args" in html]

    def table(self, first_header: str, *also: str) -> Table:
        """The one table whose first header is the given one (and that has the other headers)."""
        hits = [t for t in self.tables() if t.headers[:1] == [first_header] and set(also) <= set(t.headers)]
        assert len(hits) == 1, f"{len(hits)} tables start with {first_header!r}: {[t.headers for t in self.tables()]}"
        return hits[0]

    def charts(self) -> list[go.Figure]:
        """The plotly figures (their arrays decoded)."""
        mime = "application/vnd.plotly.v1+json"
        return [go.Figure(_decoded(o["data"][mime])) for o in self.outputs() if mime in o.get("data", {})]

    def chart(self, title_start: str) -> go.Figure:
        """The one chart whose title starts with the given text."""
        titles = [c.layout.title.text or "" for c in self.charts()]
        hits = [c for c, t in zip(self.charts(), titles) if t.startswith(title_start)]
        assert len(hits) == 1, f"{len(hits)} charts titled {title_start!r}: {titles}"
        return hits[0]

    def text(self) -> str:
        """The markdown and plain text outputs a reader sees."""
        parts = []
        for o in self.outputs():
            data = o.get("data", {})
            parts.append(data.get("text/markdown", "") if "text/markdown" in data else "")
            parts.append(o.get("text", "") if o.get("output_type") == "stream" else "")
        return "\n".join(parts)

    def _html(self) -> list[str]:
        return [o["data"]["text/html"] for o in self.outputs() if "text/html" in o.get("data", {})]


def _decoded(value):
    """Plotly's JSON with its typed arrays ({"bdata": base64, "dtype": "f8"}) as plain lists."""
    if isinstance(value, dict) and set(value) >= {"bdata", "dtype"}:
        shape = value.get("shape")
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return (array.reshape([int(n) for n in str(shape).split(",")]) if shape else array).tolist()
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def _number(value):
    """A cell of the table's data: itables writes missing floats as a marker string."""
    if isinstance(value, str) and value.strip("_").lower() in ("nan", "none"):
        return math.nan
    return value


def _table(html: str) -> Table:
    """Headers and rows of an itables output."""
    start = html.index("let dt_args = ") + len("let dt_args = ")
    args, _ = json.JSONDecoder().raw_decode(html[start:])
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", args["table_html"], flags=re.S)]
    rows = [[_number(v) for v in row] for row in json.loads(args["data_json"])]
    return Table(headers, rows)


def run(name: str, out: Path, **parameters) -> Executed:
    """Run an analyst notebook with the parameters; its outputs to read."""
    path = execute(name, out, parameters)
    return Executed(nbformat.read(path, as_version=4), path)
