"""The texts the reports' privacy guard searches for: staff names and free-text notes of the exports (never loaded)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bitanalysis.core import __version__
from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.core.schema import SENSITIVE
from bitanalysis.io.mapping import Mapping, TableSource, expected_headers, resolve_mapping, source_files
from bitanalysis.io.read import ReadError, read_source, repeated_name
from bitanalysis.workspace.cache import CACHE_DIR, drop_entry, file_hash, write_atomic


def sensitive_texts(
    path: str | Path, mapping: str | Path | Mapping | None = None, *, cache: bool = True, hashes: dict[Path, str] | None = None
) -> set[str]:
    """Staff names and free-text notes in a folder's exports (never loaded; read only for the reports' privacy guard).

    Values of one word are left out: a single word ("Samtale") is no identifying text and would be found in any report.
    With the cache on, the texts of an unchanged file are kept in the data folder's cache, beside the exports they
    come from, so a large folder is not read again for every report run. `hashes`: the files' content hashes where the
    caller has them (a loaded Workspace's), so the files are not read to hash them again.
    """
    hashes = hashes or {}
    folder = Path(path)
    m = resolve_mapping(folder, mapping)
    found: set[str] = set()
    for src in m.tables.values():
        names = searched_columns(src)
        for p in source_files(folder, src):
            content = hashes.get(p) or file_hash(p)
            stored = folder / CACHE_DIR / sensitive_entry(p.relative_to(folder).as_posix(), content, src)
            kept = _read_entry(stored) if cache else None
            if kept is not None:
                found.update(kept)
                continue
            texts = _sensitive_in_file(p, src, names)
            found.update(texts)
            if cache:
                write_atomic(stored, json.dumps(sorted(texts), ensure_ascii=False))
    return found


def _read_entry(stored: Path) -> list[str] | None:
    """A file's texts from the cache, or None when not there (a damaged entry is dropped, to be read again)."""
    if not stored.exists():
        return None
    try:
        texts = json.loads(stored.read_text(encoding="utf-8"))
        if not isinstance(texts, list):
            raise ValueError("ikke en liste")
        return texts
    except (OSError, ValueError) as exc:
        drop_entry([stored], exc)
        return None


def searched_columns(src: TableSource) -> set[str]:
    """The column names whose values the guard searches for (staff names, notes), spacing and case ignored."""
    return {" ".join(n.split()).casefold() for n in (*SENSITIVE, *src.sensitive)}


def sensitive_entry(name: str, content: str, src: TableSource) -> str:
    """The cache entry of a file's texts: by its name and content hash, mapping section, the columns searched and the version."""
    content = f"{name}|{content}|{src.fingerprint()}|{sorted(searched_columns(src))}|{__version__}"
    return f"{hashlib.sha256(content.encode()).hexdigest()[:24]}.sensitive.json"


def _sensitive_in_file(p: Path, src: TableSource, names: set[str]) -> set[str]:
    """The values of two words or more in a file's sensitive columns."""
    try:
        raws = read_source(
            p,
            p.name,
            sheet=src.sheet,
            header=src.header,
            encoding=src.formats.encoding,
            delimiter=src.formats.delimiter,
            expected=expected_headers(src),
        )
    except ReadError:
        return set()
    found: set[str] = set()
    for raw in raws:
        for col in (c for c in raw.frame.columns if " ".join(repeated_name(c).split()).casefold() in names):
            values = raw.frame[col].dropna().astype("string").str.strip().unique()
            parts = (part.strip() for v in values for part in CPR_PATTERN.split(v))  # a CPR in a note is the guard's own catch
            found.update(part for part in parts if len(part) >= 6 and " " in part)
    return found
