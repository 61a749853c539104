"""Reading raw exports: spreadsheets with calamine, CSV with encoding and delimiter detection, header rows found."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.errors import InputError
from bitanalysis.core.parse import is_blank

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
DELIMITERS = (";", ",", "\t", "|")
SCAN_ROWS = 50


class ReadError(InputError):
    """A file could not be read at all; the message names the file and says why, in Danish."""


@dataclass
class RawSheet:
    """One sheet (or CSV file) below its header: text cells as read, and the Excel row number of each row."""

    frame: pd.DataFrame
    file: str
    sheet: str | None
    header_row: int  # 1-based, as the user sees it
    rows: pd.Series  # 1-based row number of each data row
    blank_rows: int
    from_header: tuple[str, ...] = ()  # canonical columns filled from a wide column's header, not from the row

    @property
    def where(self) -> str:
        """The file and sheet, as shown to the analyst."""
        return f"{self.file}, ark '{self.sheet}'" if self.sheet else self.file


def encoding_of(data: bytes, encoding: str = "auto") -> str:
    """The encoding to read bytes with: the given one, else UTF-16 or UTF-8 by their byte-order mark, else utf-8 where
    the bytes are valid UTF-8, else cp1252."""
    if encoding != "auto":
        return encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return "utf-16"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def decode(data: bytes, encoding: str = "auto", label: str = "") -> str:
    """Bytes to text: UTF-16 or UTF-8 by their byte-order mark, else utf-8, else cp1252, unless an encoding is given."""
    encoding = encoding_of(data, encoding)
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(
            f"{label}: filen kan ikke læses med tegnkodningen '{encoding}' ({exc.__class__.__name__}); "
            "angiv den rigtige under [formats] encoding i mappingen"
        ) from None


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number of fields (more than one)."""
    best, best_score = ";", -1
    for delim in DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = widths.count(modal) * (modal - 1)
        if score > best_score:
            best, best_score = delim, score
    return best


def find_header(widths: list[int], rows: list[list[str]], expected: tuple[str, ...] = ()) -> int:
    """0-based index of the header row: the row naming most expected columns, else the first nearly full row."""
    if expected:
        wanted = {_norm(e) for e in expected}
        hits = [sum(_norm(c) in wanted for c in row) for row in rows]
        if hits and max(hits) > 0:
            return hits.index(max(hits))
    widest = max(widths, default=0)
    for i, w in enumerate(widths):
        if w > 0 and w >= 0.75 * widest:
            return i
    return 0


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None and not pd.isna(value) else ""


def _cells(row: list) -> list[str]:
    return [_norm(c) for c in row]


def head_lines(text: str, n: int = SCAN_ROWS) -> list[str]:
    """The first n lines of a text, without splitting the rest of it."""
    end = 0
    for _ in range(n):
        end = text.find("\n", end) + 1
        if end == 0:
            return text.splitlines()[:n]
    return text[:end].splitlines()[:n]


def _head_bytes(data: bytes, n: int = SCAN_ROWS) -> bytes:
    """The bytes of the first n lines (of an encoding whose line break is the byte b"\\n")."""
    end = 0
    for _ in range(n):
        end = data.find(b"\n", end) + 1
        if end == 0:
            return data
    return data[:end]


def read_csv(path: Path, label: str, header: int | None, encoding: str, delimiter: str, expected: tuple[str, ...]) -> RawSheet:
    """A CSV export below its header row, all cells as text."""
    data = path.read_bytes()
    encoding = encoding_of(data, encoding)
    head_rows = head_lines(decode(_head_bytes(data) if encoding in FAST_ENCODINGS else data, encoding, label))
    delim = sniff_delimiter(head_rows) if delimiter == "auto" else delimiter
    scanned = list(csv.reader(head_rows, delimiter=delim))
    if header is None:
        header_idx = find_header([len(r) if any(c.strip() for c in r) else 0 for r in scanned], [_cells(r) for r in scanned], expected)
    else:
        header_idx = header - 1
    fast = _arrow_rows(data, encoding, delim, header_idx, scanned) if header_idx < len(scanned) - 1 else None
    frame = fast if fast is not None else _pandas_rows(decode(data, encoding, label), label, delim, header_idx)
    # Row numbers as in a spreadsheet: header line + 1 + position (blank lines are kept, so positions match lines).
    rows = pd.Series(range(header_idx + 2, header_idx + 2 + len(frame)), index=frame.index)
    return _drop_blank(RawSheet(frame, label, None, header_idx + 1, rows, 0))


#: Encodings whose line breaks are the bytes b"\n" and b"\r", which the fast CSV reader may take.
FAST_ENCODINGS = {"utf-8-sig", "utf-8", "utf8", "cp1252", "latin-1", "latin1", "iso-8859-1", "iso-8859-15"}


def _pandas_rows(text: str, label: str, delim: str, header_idx: int) -> pd.DataFrame:
    """The rows below the header row read by pandas, blank lines kept (the careful reader: ragged rows, blank lines)."""
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            skiprows=header_idx,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise ReadError(f"{label}: filen har ingen række {header_idx + 1} at læse overskrifter fra (den er tom eller kortere)") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(f"{label}: filen kunne ikke læses som CSV med skilletegn '{delim}' ({exc})") from exc
    frame = grid.iloc[1:].set_axis(column_names(list(grid.iloc[0])), axis=1).reset_index(drop=True)
    return frame.replace("", None)


def _arrow_rows(data: bytes, encoding: str, delim: str, header_idx: int, scanned: list[list[str]]) -> pd.DataFrame | None:
    """The rows below the header row read by pyarrow (columns at once, no Python objects), or None where the file
    needs the careful reader: another encoding, a blank line, a row wider or narrower than the header, a quoted line break."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if encoding not in FAST_ENCODINGS or b"\n\n" in data or b"\n\r\n" in data or data.count(b"\r") != data.count(b"\r\n"):
        return None  # a blank line (pyarrow would skip it, and the row numbers after it) or a line break of one \r
    start = 0
    for _ in range(header_idx + 1):  # the data rows begin after the header's line
        start = data.find(b"\n", start) + 1
        if start == 0:
            return None
    if b'"' in data[:start]:
        return None  # a quoted cell above the data may hold a line break: the lines are not the rows there
    body = data[start:]  # a byte-order mark stands before the header, which is not read here
    names = column_names(scanned[header_idx])
    odd = []

    def invalid(row) -> str:  # a row of another width: the careful reader decides (pads it, or refuses the file)
        odd.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names, encoding="utf8" if encoding.startswith("utf") else encoding),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=False, invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True, quoted_strings_can_be_null=True, null_values=[""]
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    if odd:
        return None
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype(na_value=float("nan"))}.get)


def read_excel(
    path: Path, label: str, sheet: str | tuple[str, ...] | None, header: int | None, expected: tuple[str, ...]
) -> list[RawSheet]:
    """The chosen sheets of a workbook below their header rows, cells as calamine reads them."""
    if _password_protected(path):
        raise ReadError(f"{label}: filen er beskyttet med adgangskode; gem den uden adgangskode og prøv igen")
    chosen = _chosen_sheets(path, label, sheet)
    try:
        book = pd.read_excel(path, sheet_name=chosen, header=None, engine="calamine", dtype=object)
    except ValueError as exc:
        raise ReadError(f"{label}: filen kunne ikke læses som regneark ({exc})") from exc
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise ReadError(
            f"{label}: filen kunne ikke læses som regneark; den er beskadiget, afkortet eller ikke et regneark "
            f"(teknisk årsag: {exc}). Eksportér filen igen"
        ) from exc
    if not isinstance(book, dict):
        book = {_first_sheet(path): book}
    out = []
    for name, grid in book.items():
        if grid.dropna(how="all").empty:
            continue
        head = grid.head(SCAN_ROWS)
        widths = head.notna().sum(axis=1).tolist()
        idx = find_header(widths, [_cells(r) for r in head.itertuples(index=False)], expected) if header is None else header - 1
        if idx >= len(grid):
            raise ReadError(f"{label}, ark '{name}': overskriftsrækken {idx + 1} findes ikke; arket har {len(grid)} rækker")
        columns = column_names(list(grid.iloc[idx]))
        frame = grid.iloc[idx + 1 :].set_axis(columns, axis=1).reset_index(drop=True)
        frame = frame.loc[:, [not c.startswith("_kolonne") or frame[c].notna().any() for c in frame.columns]]
        rows = pd.Series(range(idx + 2, idx + 2 + len(frame)), index=frame.index)
        out.append(_drop_blank(RawSheet(frame, label, hide_cpr(str(name)), idx + 1, rows, 0)))
    return out


def _chosen_sheets(path: Path, label: str, sheet: str | tuple[str, ...] | None) -> int | list[str] | None:
    """What calamine is asked for: 0 (the first sheet), None (every sheet) or the named sheets as the workbook spells
    them (surrounding whitespace and case ignored); listed sheets the workbook lacks are skipped, but not all of them."""
    if sheet is None or sheet == "*":
        return 0 if sheet is None else None
    wanted = (sheet,) if isinstance(sheet, str) else sheet
    names = _sheet_names(path)
    if names is None:  # not a workbook: calamine says why
        return list(wanted)
    loose = {n.strip().casefold(): n for n in reversed(names)}
    chosen = [n if n in names else loose.get(n.strip().casefold()) for n in wanted]
    found = list(dict.fromkeys(n for n in chosen if n is not None))
    if not found:
        what = f"arket '{sheet}' findes ikke" if isinstance(sheet, str) else f"ingen af arkene {', '.join(map(repr, wanted))} findes"
        raise ReadError(f"{label}: {what} i filen; arkene hedder {', '.join(map(repr, names))}")
    return found


def _first_sheet(path: Path) -> str:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).sheet_names[0]


def _sheet_names(path: Path) -> list[str] | None:
    """The names of a workbook's sheets, or None when the file cannot be read as a workbook."""
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # calamine's own error types for a damaged file
        return None


def _password_protected(path: Path) -> bool:
    """An encrypted Office file: an OLE container with an EncryptedPackage stream where a zip was expected."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    ole = head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    return ole and ("EncryptedPackage".encode("utf-16-le") in head or path.suffix.lower() in {".xlsx", ".xlsm"})


def column_names(header: list) -> list[str]:
    """Column names from a header row: blank cells become _kolonne<n>, a repeated name gets " (2)", " (3)", …"""
    names: list[str] = []
    seen: dict[str, int] = {}
    taken: set[str] = set()
    for i, value in enumerate(header):
        name = _column_name(value, i)
        seen[name.casefold()] = n = seen.get(name.casefold(), 0) + 1
        unique = name if n == 1 else f"{name} ({n})"
        while unique.casefold() in taken:  # "A", "A (2)", "A": the third is "A (3)"
            seen[name.casefold()] = n = n + 1
            unique = f"{name} ({n})"
        taken.add(unique.casefold())
        names.append(unique)
    return names


def repeated_name(name: str) -> str:
    """The header text of a column renamed because its name was repeated ("Bemærkning (2)" → "Bemærkning")."""
    return re.sub(r" \(\d+\)$", "", name)


def _column_name(value: object, i: int) -> str:
    """A header cell as a column name; a blank one becomes _kolonne<n> (n counted from 1)."""
    text = "" if value is None or pd.isna(value) else str(value)
    if not text.strip() or text.startswith("Unnamed: "):
        return f"_kolonne{i + 1}"
    return " ".join(text.split())


def _drop_blank(raw: RawSheet) -> RawSheet:
    """Drop rows with no cell filled in, counting them."""
    filled = pd.DataFrame({c: ~is_blank(raw.frame[c]) for c in raw.frame.columns}, index=raw.frame.index)
    keep = filled.any(axis=1) if len(filled.columns) else pd.Series(False, index=raw.frame.index)
    raw.blank_rows = int((~keep).sum())
    raw.frame = raw.frame.loc[keep].reset_index(drop=True)
    raw.rows = raw.rows.loc[keep].reset_index(drop=True)
    return raw


def read_source(
    path: Path,
    label: str,
    *,
    sheet: str | tuple[str, ...] | None = None,
    header: int | None = None,
    encoding: str = "auto",
    delimiter: str = "auto",
    expected: tuple[str, ...] = (),
) -> list[RawSheet]:
    """Read one export file into raw sheets, whatever its format."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel(path, label, sheet, header, expected)
    if suffix in {".csv", ".txt", ".tsv"}:
        return [read_csv(path, label, header, encoding, delimiter, expected)]
    raise ReadError(f"{label}: filtypen '{suffix}' kan ikke læses (forventet .xlsx, .xlsm, .xls, .ods eller .csv)")
