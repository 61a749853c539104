"""The tables of the notebooks and reports: the interactive Danish table (`show`, sortable and searchable, offline,
with a static preview), the plain HTML table, a frame with Danish headers and labels (`danish`), the columns a
notebook shows of each kind of table, and the notebook's offline set-up for tables and charts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.bit.summary import SUMMARY_COLUMNS
from bitanalysis.core.danish import day, kr, number, percent
from bitanalysis.present.labels import LABELS, VALUES, _kind

#: DataTables' texts in Danish.
LANGUAGE = {
    "search": "Søg:",
    "lengthMenu": "Vis _MENU_ rækker",
    "info": "Række _START_ til _END_ af _TOTAL_",
    "infoEmpty": "Ingen rækker",
    "infoFiltered": "(søgt i _MAX_ rækker)",
    "zeroRecords": "Ingen rækker passer til søgningen",
    "emptyTable": "Ingen rækker",
    "decimal": ",",
    "thousands": ".",
}
_NUMBER_JS = """
function (data, type) {
  if (data === null || data === undefined || (typeof data === 'number' && isNaN(data))) {
    return type === 'display' || type === 'filter' ? '–' : -Infinity;
  }
  if (type !== 'display' && type !== 'filter') { return data; }
  var parts = Math.abs(data).toFixed(%(decimals)d).split('.');
  if (%(group)s) { parts[0] = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.'); }
  return (data < 0 && Number(parts.join('.')) !== 0 ? '-' : '') + parts.join(',') + '%(suffix)s';
}"""
_DATE_JS = """
function (data, type) {
  if (!data) { return type === 'display' || type === 'filter' ? '–' : ''; }
  if (type !== 'display' && type !== 'filter') { return data; }
  var d = String(data).slice(0, 10).split('-');
  return d.length === 3 ? d[2] + '-' + d[1] + '-' + d[0] : data;
}"""
_CSS = (
    ".dt-container { font-size: 12.5px; } .dt-container td.dt-text { white-space: normal; min-width: 10em; max-width: 30em; } "
    ".dt-container td, .dt-container th { text-align: left !important; } .dt-container th { white-space: normal !important; } "
    ".dt-container td.dt-number { white-space: nowrap; } "
    ".dt-container td.dt-number, .dt-container th.dt-number { text-align: right !important; }"
)
_LONG_TEXT = ("evidence", "reason", "includes", "themes", "source", "label")
#: The columns a notebook shows of each kind of table (the analysis keeps every column).
FINDING_VIEW = ["type", "direction", "dkk_at_stake", "citizen_id", "order_id", "provider_id", "months", "evidence"]
MATCH_VIEW = ["month", "citizen_id", "order_id", "service", "rate_level", "ordered_hours", "delivered_hours", "delivery_ratio", "cost"]
MONTH_VIEW = ["month", "active_days", "ordered_hours", "delivered_hours", "delivery_ratio", "cost", "days_without_rate"]
ORDER_VIEW = [
    "order_id",
    "citizen_id",
    "provider_id",
    "paragraph",
    "service",
    "themes",
    "start_date",
    "end_date",
    "hours_per_week",
    "rate_level",
]
DELIVERY_VIEW = ["date", "status", "minutes", "service", "order_id", "source", "source_row"]
RATE_VIEW = ["provider_id", "provider_name", "rate_level", "paragraph", "unit", "amount", "valid_from", "valid_to"]
RATE_VIEW += ["min_hours_per_week", "max_hours_per_week", "includes"]
ASSESSMENT_VIEW = ["assessed_on", "theme", "level"]
#: The figures of `provider_summary` a notebook shows (after the group columns).
SUMMARY = [c for c in SUMMARY_COLUMNS if c not in ("orders", "findings_without_dkk")]


def md(text: str):
    """Markdown for a notebook cell's output."""
    from IPython.display import Markdown

    return Markdown(text)


def table(
    frame: pd.DataFrame,
    columns: dict[str, str],
    money: tuple[str, ...] = (),
    percent_: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
    dates: tuple[str, ...] = (),
):
    """A Danish HTML table: chosen columns with Danish headers, amounts as 1.234.567 kr., shares as 12,3 %."""
    from IPython.display import HTML

    out = pd.DataFrame(index=frame.index)
    for col, label in columns.items():
        values = frame[col]
        if col in money:
            values = values.map(lambda v: kr(v) if isinstance(v, (int, float)) and pd.notna(v) else ("–" if v is None or pd.isna(v) else v))
        elif col in percent_:
            values = values.map(lambda v: percent(v) if pd.notna(v) else "–")
        elif decimals and col in decimals:
            values = values.map(lambda v, d=decimals[col]: number(v, d) if isinstance(v, (int, float)) and pd.notna(v) else v)
        elif col in dates:
            values = values.map(lambda v: f"{v:%d-%m-%Y}" if pd.notna(v) else "–")
        out[label] = values.map(lambda v: "–" if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
    return HTML(out.to_html(index=False, escape=True, border=0, classes="bit-table"))


def _shown(values: pd.Series, column: str, labels: dict | None) -> pd.Series:
    """A text column's values as a reader reads them: Danish labels for codes, Ja/Nej, lists joined, missing as –."""
    if labels:
        return values.map(lambda v: labels.get(v, v) if isinstance(v, str) else v).astype(object)
    if pd.api.types.is_bool_dtype(values) or (
        len(values.dropna()) and values.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all()
    ):
        return values.map({True: "Ja", False: "Nej"}).astype(object)
    return values.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v).astype(object)


def _table_columns(
    frame: pd.DataFrame, chosen: dict[str, str], coded: dict[str, dict], page: int
) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """The table's data (numbers kept for sorting), its Danish static preview of the first page, and its column renderers."""
    import itables

    out, shown, defs = pd.DataFrame(index=range(len(frame))), pd.DataFrame(index=range(min(page, len(frame)))), []
    for i, (col, label) in enumerate(chosen.items()):
        v = frame[col].reset_index(drop=True)
        kind, decimals, suffix = _kind(col, v)
        if kind in ("number", "plain"):
            out[label] = v.astype("float64") * (100 if suffix == " %" else 1)
            js = _NUMBER_JS % {"decimals": decimals, "suffix": suffix, "group": "true" if kind == "number" else "false"}
            defs.append({"targets": i, "className": "dt-number", "render": itables.JavascriptFunction(js)})
            shown[label] = [
                (f"{number(x, decimals)}{suffix}" if kind == "number" else f"{x:.0f}") if pd.notna(x) else "–"
                for x in out[label].head(page)
            ]
        elif kind == "date":
            out[label] = v.dt.strftime("%Y-%m-%d").astype(object).where(v.notna(), "")  # "": the renderer shows –
            defs.append({"targets": i, "render": itables.JavascriptFunction(_DATE_JS)})
            shown[label] = [day(x) or "–" for x in v.head(page)]
        else:
            out[label] = _shown(v, col, coded.get(col)).where(v.notna(), "–")
            defs.append({"targets": i, "className": "dt-text"} if col in _LONG_TEXT else {"targets": i})
            shown[label] = out[label].head(page)
    return out, shown, defs


def show(
    frame: pd.DataFrame,
    columns: list[str] | dict[str, str] | None = None,
    *,
    caption: str | None = None,
    empty: str = "Ingen rækker.",
    values: dict[str, dict] | None = None,
    page: int = 15,
):
    """An interactive Danish table for a notebook, offline: every row, sortable and searchable, 1.234 kr., 12,3 %.

    `columns` picks and orders the columns (canonical names, or {name: Danish header}); headers and the codes of
    finding types, directions and units get their Danish labels. An empty frame gives the sentence `empty` instead.
    """
    import itables
    from IPython.display import HTML

    if frame.empty:
        return md(f"*{empty}*")
    chosen = columns if isinstance(columns, dict) else {c: LABELS.get(c, c) for c in (columns or list(frame.columns))}
    out, shown, defs = _table_columns(frame, chosen, VALUES | (values or {}), page)
    lengths: list[int | str | dict[str, object]] = [page, 50, 100, {"label": "Alle", "value": -1}]
    html = itables.to_html_datatable(
        out,
        caption=caption,
        columnDefs=defs,
        language=LANGUAGE,
        pageLength=page,
        lengthMenu=lengths,
        maxBytes=0,
        scrollX=True,
        classes="display compact",
        style="table-layout:auto;width:100%;margin:0",
        css=_CSS,
        showIndex=False,
        order=[],
        display_logo_when_loading=False,
    )
    return HTML(_with_static_preview(html, shown, len(frame)))


def _with_static_preview(html: str, shown: pd.DataFrame, rows: int) -> str:
    """The table's HTML with a Danish static preview where JavaScript does not run (a viewer, an untrusted notebook)."""
    start = html.find('_fallback">')
    end = html.find("</div><script>", start)
    if start < 0 or end < 0:
        return html
    more = (
        f"<p><em>Viser {len(shown)} af {rows} rækker; åbn notebooken i JupyterLab for hele tabellen.</em></p>" if rows > len(shown) else ""
    )
    static = shown.to_html(index=False, escape=True, border=0, classes="bit-table") + more
    return html[: start + len('_fallback">')] + static + html[end:]


def table_sizes(ws) -> pd.DataFrame:
    """The rows of each canonical table of a workspace."""
    return pd.DataFrame({"table": list(ws.tables()), "rows": [len(t) for t in ws.tables().values()]})


def use_offline_renderer() -> None:
    """Charts with no network and without plotly.js in the notebook (the one place this is set): JupyterLab draws them
    from their data, a report's HTML from a div and the script that draws it, and `bundle.compact` puts the library in
    that HTML once. (Plotly's renderers need nbformat; `bitanalysis/__init__.py` keeps jsonschema's slow IRI parsers
    out of it.)"""
    import plotly.io as pio
    from plotly.io.base_renderers import HtmlRenderer

    pio.renderers["bitanalysis"] = HtmlRenderer(include_plotlyjs=False)
    pio.renderers.default = "plotly_mimetype+bitanalysis"


def notebook_mode() -> None:
    """Set up a notebook for offline output: plotly.js and the tables' JavaScript embedded once, so it reads with no network."""
    import itables

    use_offline_renderer()
    itables.init_notebook_mode(all_interactive=False, connected=False)


def danish(frame: pd.DataFrame, columns: list[str] | dict[str, str] | None = None, values: dict[str, dict] | None = None) -> pd.DataFrame:
    """The frame with Danish headers and Danish labels for coded values; numbers and dates stay numbers and dates."""
    chosen = columns if isinstance(columns, dict) else {c: LABELS.get(c, c) for c in (columns or list(frame.columns))}
    coded = VALUES | (values or {})
    out = pd.DataFrame(index=frame.index)
    for col, label in chosen.items():
        kind = _kind(col, frame[col])[0]
        out[label] = frame[col] if kind in ("number", "plain", "date") else _shown(frame[col], col, coded.get(col))
    return out.reset_index(drop=True)
