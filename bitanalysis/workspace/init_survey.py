"""What `bitanalysis init` sees in a data folder: every sheet (or CSV file) of its exports read once below its header
row, its columns profiled (once per layout), and the tables each sheet can be read as; with the files init leaves out
(hidden and lock files, the mapping file, the providers tables init wrote itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bitanalysis.io import detect
from bitanalysis.io.detect import Reading
from bitanalysis.io.mapping import MAPPING_FILE
from bitanalysis.io.profile import Profile, profiles_of
from bitanalysis.io.read import EXCEL_SUFFIXES, RawSheet, ReadError, read_source
from bitanalysis.workspace.load import label_of

SUFFIXES = EXCEL_SUFFIXES | {".csv", ".txt", ".tsv"}
PROVIDERS_FILE = "tilbud.csv"
PROVIDERS_EXTRA = "tilbud_andre_navne.csv"  # beside a providers table of the folder's own


@dataclass(eq=False)
class Seen:
    """One sheet (or CSV file) of the data folder, its columns' profiles and the tables it can be read as."""

    path: Path
    label: str
    raw: RawSheet
    profiles: dict[str, Profile]
    readings: list[Reading]

    @property
    def reading(self) -> Reading | None:
        """The table this sheet is read as (the best fit), if any."""
        return self.readings[0] if self.readings else None

    @property
    def where(self) -> str:
        """The file and sheet, as in messages."""
        return self.raw.where


@dataclass
class Survey:
    """Everything init saw in a data folder."""

    folder: Path
    seen: list[Seen]
    unreadable: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _ours(path: Path) -> bool:
    """A providers table init wrote itself (proposed again on a re-run, never read as the folder's own)."""
    if path.name == PROVIDERS_EXTRA:
        return True
    if path.name != PROVIDERS_FILE:
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        return fh.readline().strip() == "TilbudsID;Tilbudsnavn;Andre navne"


def _export_files(folder: Path) -> list[Path]:
    """The spreadsheets and CSV files of a data folder (hidden files, lock files and the mapping file left out)."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        hidden = any(part.startswith((".", "~$")) for part in rel.parts)
        if p.is_file() and not hidden and p.suffix.lower() in SUFFIXES and p.name != MAPPING_FILE and not _ours(p):
            out.append(p)
    return out


def survey(folder: Path) -> Survey:
    """Read every sheet of every export once, below its header row, and profile its columns (once per layout)."""
    found = Survey(folder, [])
    raws: list[tuple[Path, RawSheet]] = []
    for path in _export_files(folder):
        label = label_of(folder, path)
        found.files.append(label)
        try:
            raws += [(path, raw) for raw in read_source(path, label, sheet="*", expected=detect.all_headers())]
        except ReadError as exc:
            found.unreadable.append(str(exc))
    layouts: dict[tuple[str, ...], list[RawSheet]] = {}
    for _, raw in raws:
        layouts.setdefault(tuple(raw.frame.columns), []).append(raw)
    profiles = {cols: profiles_of([r.frame for r in group]) for cols, group in layouts.items()}
    for path, raw in raws:
        shared = profiles[tuple(raw.frame.columns)]
        found.seen.append(Seen(path, raw.file, raw, shared, detect.readings(shared, (raw.sheet or "", path.stem))))
    return found
