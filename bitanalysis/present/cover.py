"""The cover's key figures and data date: the tags a report template writes into its output, and their reading back
(the printer puts them on the printed report's cover).

A template may put key figures in its HTML with `figures_meta`, e.g. in a cell
``display(HTML(figures_meta([("Forventet regnskab", "12.345.678 kr."), ("Afvigelse", "2,1 %")])))``; that writes
``<meta name="bit-figures" content='[["Forventet regnskab", "12.345.678 kr."], ...]'>``, which `figures_in` reads back
(at most three are shown). It may likewise give the date its data is from with ``data_as_of_meta("31-10-2026")``
(``<meta name="bit-data-as-of" content="31-10-2026">``); `cover` writes both for a workspace.
"""

from __future__ import annotations

import html as html_lib
import json
import re

import pandas as pd

from bitanalysis.core.danish import day

MAX_FIGURES = 3


def data_as_of(ws) -> pd.Timestamp:
    """What the data is as of: the newest delivery date, else the newest order start (NaT: neither)."""
    newest = ws.newest_delivery()
    return newest if pd.notna(newest) else pd.Timestamp(ws.orders["start_date"].max())


def cover(ws, figures: list[tuple[str, str]]):
    """The printed report's cover: up to three key figures (label, text) and the date the data is from (the newest
    documented day, else the newest order start), as tags that show nothing on screen."""
    from IPython.display import HTML

    newest = data_as_of(ws)
    return HTML(figures_meta(figures[:MAX_FIGURES]) + (data_as_of_meta(day(newest)) if pd.notna(newest) else ""))


def figures_meta(figures: list[tuple[str, str]]) -> str:
    """The `<meta name="bit-figures">` tag a template puts in its output to give the cover its key figures."""
    content = json.dumps([[str(label), str(value)] for label, value in figures], ensure_ascii=False)
    return f'<meta name="bit-figures" content="{html_lib.escape(content, quote=True)}">'


def data_as_of_meta(date: str) -> str:
    """The `<meta name="bit-data-as-of">` tag a template puts in its output to give the cover its data date."""
    return f'<meta name="bit-data-as-of" content="{html_lib.escape(date, quote=True)}">'


def figures_in(html: str) -> list[tuple[str, str]]:
    """The key figures a report's HTML gives in a `<meta name="bit-figures">` tag (the last one), or none."""
    content = _meta(html, "bit-figures")
    if content is None:
        return []
    try:
        pairs = json.loads(content)
    except ValueError:
        return []
    return [(str(p[0]), str(p[1])) for p in pairs if isinstance(p, list) and len(p) == 2][:MAX_FIGURES]


def data_as_of_in(html: str) -> str | None:
    """The data date a report's HTML gives in a `<meta name="bit-data-as-of">` tag, or None."""
    return _meta(html, "bit-data-as-of")


def _meta(html: str, name: str) -> str | None:
    found = None
    for tag in re.findall(r"<meta\b[^>]*>", html, flags=re.I):
        if re.search(rf'name\s*=\s*["\']{re.escape(name)}["\']', tag):
            m = re.search(r'content\s*=\s*"([^"]*)"', tag) or re.search(r"content\s*=\s*'([^']*)'", tag)
            if m:
                found = html_lib.unescape(m.group(1))
    return found
