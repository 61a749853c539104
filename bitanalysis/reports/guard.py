"""The privacy guard: the text a reader of an output file can find (workbook XML, a notebook's decoded strings, HTML
without the plotly.js library), and where output files hold a CPR number or a staff name or note text of the input."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.core.privacy import any_found, blanked, texts_pattern
from bitanalysis.workspace.write import without_libraries


def readable_text(path: Path) -> str:
    """The text inside an output file, without the embedded plotly.js library (code, not data: 5 MB less to search).

    A workbook's XML parts; a notebook's decoded strings (so text escaped in its JSON is found); else the bytes.
    """
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    text = path.read_bytes().decode("utf-8", "replace")
    if path.suffix == ".ipynb":
        text = "\n".join(_strings(json.loads(text)))
    return without_libraries(text)


def _strings(value: object) -> list[str]:
    """Every string in a notebook's JSON; a list of strings (a multi-line text) is joined back into one."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ["".join(value)]
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for child in children for s in _strings(child)]


def privacy_hits(files: list[Path], sensitive: set[str], allowed: Collection[str] = ()) -> list[str]:
    """Where output files contain a CPR number or a staff name or note text of the input; the `allowed` texts (the
    authority's own task list) are taken out of the output before the names and notes are looked for, so a note that
    says part of a task is not a hit, while the same note anywhere else still is."""
    words, own = texts_pattern(sensitive), texts_pattern(set(allowed) - {""})
    hits = []
    for f in files:
        text = readable_text(f)
        if CPR_PATTERN.search(text):
            hits.append(f"{f.name}: indeholder et CPR-nummer")
        if own is not None:
            text = str(blanked(pd.Series([text]), own).iloc[0])
        if words is not None and any_found(pd.Series([text]), words) and (m := words.search(text)):
            hits.append(f"{f.name}: indeholder et navn eller en notattekst fra inddata ({len(m.group())} tegn)")
    return hits
