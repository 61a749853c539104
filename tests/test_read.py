from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bitanalysis.io.read import ReadError, decode, read_source, sniff_delimiter


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    wb.save(path)
    return path


def test_header_below_title_rows_and_excel_row_numbers(tmp_path):
    path = _xlsx(
        tmp_path / "b.xlsx",
        [
            ["Bevillinger"],
            ["Udtræk 05-11-2026"],
            [],
            ["ID", "CPR", "Tilbud"],
            ["1", "0101901234", "004512"],
            [],
            ["2", "0202901234", "012088"],
        ],
    )
    (raw,) = read_source(path, "b.xlsx")
    assert raw.header_row == 4
    assert list(raw.frame.columns) == ["ID", "CPR", "Tilbud"]
    assert raw.rows.tolist() == [5, 7]  # the blank row 6 is skipped and counted
    assert raw.blank_rows == 1
    assert raw.frame["Tilbud"].tolist() == ["004512", "012088"]


def test_expected_column_names_pick_the_header(tmp_path):
    # the title row is as wide as the header, but only the header names the expected columns
    path = _xlsx(tmp_path / "b.xlsx", [["Rapport", "uge 42", "side 1"], ["Dato", "CPR", "Varighed"], ["01-01-2026", "x", "1:30"]])
    (raw,) = read_source(path, "b.xlsx", expected=("Dato", "Varighed"))
    assert raw.header_row == 2


def test_csv_cp1252_semicolon_and_header(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("Dokumentation\n\nCPR;Dato;Varighed;Notat\n010190-1234;01-01-2026;1:30;Hjælp til indkøb\n".encode("cp1252"))
    raw = read_source(path, "d.csv")[0]
    assert raw.header_row == 3
    assert raw.rows.tolist() == [4]
    assert raw.frame.at[0, "Notat"] == "Hjælp til indkøb"


def test_decode_and_sniff():
    assert decode("æ".encode("utf-8-sig")) == "æ"
    assert decode("æ".encode("cp1252")) == "æ"
    assert sniff_delimiter(["a;b;c", "1;2,5;3"]) == ";"
    assert sniff_delimiter(["a,b,c", "1,2,3"]) == ","


def test_unknown_file_type(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(ReadError, match=r"x\.pdf"):
        read_source(tmp_path / "x.pdf", "x.pdf")


def test_statbank_title_lines_crlf(realdata):
    raw = read_source(realdata / "messy" / "statbank_OFF29_2012_titlerows_crlf.csv", "statbank.csv")[0]
    assert raw.header_row == 4  # two title lines and a blank line above the header
    assert raw.frame.iloc[0, 0] == "1-10 I alt"
    assert raw.frame.iloc[0, 1] == "1080795"


def test_finance_act_latin1(realdata):
    raw = read_source(realdata / "messy" / "oes_cs_finanslov_2012_latin1.csv", "fl.csv")[0]
    assert raw.header_row == 1
    assert raw.frame.columns[0] == "Paragraf, Hovedområde"
    assert raw.frame.iloc[0, 1].strip() == "73,7"
    assert raw.frame.iloc[3, 0].strip() == "021 Årpenge mv."


def test_uniq_workbook_header_in_row_four(realdata):
    sheets = read_source(realdata / "messy" / "UniqAnalyticsSpecifikation.xlsx", "uniq.xlsx", sheet="*")
    assert len(sheets) == 1  # the two empty sheets give nothing
    assert sheets[0].header_row == 4
    assert sheets[0].frame.columns[1] == "Antal besøg"


# --- inputs that used to end in a traceback (issue 13) ----------------------------------------------------------


def test_utf16_csv_from_excels_unicode_text_export_is_read(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("CPR\tDato\tVarighed\n0101901234\t05-01-2026\t1:30\n".encode("utf-16"))  # with its BOM
    raw = read_source(path, "d.csv")[0]
    assert list(raw.frame.columns) == ["CPR", "Dato", "Varighed"] and len(raw.frame) == 1


def test_a_wrong_encoding_is_a_danish_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("CPR;Navn\n0101901234;Søren\n".encode("cp1252"))
    with pytest.raises(ReadError, match="tegnkodningen 'utf-8'"):
        read_source(path, "d.csv", encoding="utf-8")


def test_repeated_header_names_are_kept_apart(tmp_path):
    path = _xlsx(tmp_path / "b.xlsx", [["CPR", "Bemærkning", "Timer pr. uge", "Bemærkning"], ["0101901234", "a", 2, "b"]])
    raw = read_source(path, "b.xlsx")[0]
    assert list(raw.frame.columns) == ["CPR", "Bemærkning", "Timer pr. uge", "Bemærkning (2)"]
    csv_path = tmp_path / "b.csv"
    csv_path.write_text("CPR;Timer pr. uge;Timer pr. uge\n0101901234;2;3\n", encoding="utf-8")
    assert list(read_source(csv_path, "b.csv")[0].frame.columns) == ["CPR", "Timer pr. uge", "Timer pr. uge (2)"]


def test_password_protected_workbook_says_so(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(ReadError, match="beskyttet med adgangskode"):
        read_source(path, "b.xlsx")


def test_a_header_row_below_the_sheet_is_a_danish_error(tmp_path):
    path = _xlsx(tmp_path / "b.xlsx", [["CPR", "Tilbud"], ["0101901234", "004512"]])
    with pytest.raises(ReadError, match="overskriftsrækken 9000 findes ikke; arket har 2 rækker"):
        read_source(path, "b.xlsx", header=9000)
    csv_path = tmp_path / "b.csv"
    csv_path.write_text("CPR;Tilbud\n0101901234;004512\n", encoding="utf-8")
    with pytest.raises(ReadError, match="ingen række 9000"):
        read_source(csv_path, "b.csv", header=9000)


# --- sheet lists and wide headers ------------------------------------------------------------------------------------


def _book(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_a_sheet_list_reads_the_listed_sheets_the_workbook_has_case_and_spacing_ignored(tmp_path):
    rows = [["TilbudsID", "Takst"], ["004512", 100]]
    path = _book(tmp_path / "t.xlsx", {"Noter": [["x"]], "Takster 2024": rows, "Takster 2025 ": rows})
    sheets = read_source(path, "t.xlsx", sheet=(" takster 2024", "Takster 2025", "Takster 2026"))
    assert [s.sheet for s in sheets] == ["Takster 2024", "Takster 2025 "]  # as the workbook spells them; 2026 is skipped
    assert [s.sheet for s in read_source(path, "t.xlsx", sheet="TAKSTER 2024")] == ["Takster 2024"]
    with pytest.raises(ReadError, match="ingen af arkene 'A', 'B' findes i filen; arkene hedder 'Noter', 'Takster 2024', 'Takster 2025 '"):
        read_source(path, "t.xlsx", sheet=("A", "B"))
    with pytest.raises(ReadError, match="arket 'A' findes ikke i filen"):
        read_source(path, "t.xlsx", sheet="A")


def test_wide_header_names_pick_the_header_row(tmp_path):
    from bitanalysis.io.mapping import TableSource, Wide, expected_headers

    # the title rows are as wide as the header, and only the wide names say which row is the header
    rows = [["Takstblad", "2024", "side 1", "x"], ["Noget", "Takst A", "Takst B", "Takst C"], ["a", 1, 2, 3]]
    path = _book(tmp_path / "t.xlsx", {"Ark": rows})
    src = TableSource("rates", ("t.xlsx",), wide=Wide(("Takst A", "Takst B", "Takst C"), "amount", "rate_level"))
    (raw,) = read_source(path, "t.xlsx", expected=expected_headers(src))
    assert raw.header_row == 2 and list(raw.frame.columns) == ["Noget", "Takst A", "Takst B", "Takst C"]


# --- CSV cells read by pyarrow where the file allows it, else by pandas (the careful reader) -------------------------


def _csv_both_ways(tmp_path: Path, monkeypatch, data: bytes, **options) -> tuple[object, object, list[bool]]:
    """read_csv as it reads the bytes and as the careful (pandas) reader alone reads them, each a RawSheet or the
    ReadError it raised; and whether pyarrow gave the rows."""
    from bitanalysis.io import read as _read

    path = tmp_path / "d.csv"
    path.write_bytes(data)
    args = {"header": None, "encoding": "auto", "delimiter": "auto", "expected": ()} | options
    arrow, used = _read._arrow_rows, []

    def spy(*a):
        rows = arrow(*a)
        used.append(rows is not None)
        return rows

    out = []
    for fast in (spy, lambda *a: None):
        monkeypatch.setattr(_read, "_arrow_rows", fast)
        try:
            out.append(_read.read_csv(path, "d.csv", **args))
        except ReadError as exc:
            out.append(exc)
    monkeypatch.setattr(_read, "_arrow_rows", arrow)
    return out[0], out[1], used


def _same_sheet(got, want) -> None:
    assert not isinstance(got, Exception), got
    assert not isinstance(want, Exception), want
    pd.testing.assert_frame_equal(got.frame, want.frame, check_dtype=True, check_column_type=True)
    assert (got.file, got.sheet, got.header_row, got.blank_rows) == (want.file, want.sheet, want.header_row, want.blank_rows)
    pd.testing.assert_series_equal(got.rows, want.rows, check_dtype=True)


#: (bytes, read_csv options, whether pyarrow reads the rows: True, False (the careful reader), None (either)).
CSV_CASES = {
    "cp1252_aeoeaa": ("CPR;Ydelse;Sted\n010190-1234;Hjælp til indkøb;Ærø\n020285-4321;Støtte;Åbenrå\n".encode("cp1252"), {}, True),
    "cp1252_euro_and_dash": ("Takst;Note\n€ 2.347,79;pr. døgn – niveau 2\n".encode("cp1252"), {}, True),
    "latin1_given": ("Takst;Note\n100;Åbenrå\n".encode("latin-1"), {"encoding": "latin-1"}, True),
    "utf8_bom": ("\ufeffCPR;Ydelse\n010190-1234;Hjælp\n".encode(), {}, True),
    "utf8_no_bom": ("CPR;Ydelse\n010190-1234;Hjælp\n020285-4321;Ærø\n".encode(), {}, True),
    "utf8_given": ("CPR;Ydelse\n010190-1234;Hjælp\n".encode(), {"encoding": "utf-8"}, True),
    "utf8_bom_and_title_lines": (
        "\ufeffDokumentation\nUdtræk 05-11-2026\nCPR;Dato;Varighed\n0101901234;05-01-2026;1:30\n".encode(),
        {},
        True,
    ),
    "title_lines_header_at_row_3": (
        b"Dokumentation\nUdtraek 05-11-2026\nCPR;Dato;Varighed\n0101901234;05-01-2026;1:30\n0202854321;06-01-2026;45\n",
        {},
        True,
    ),
    "header_row_given": (b"Rapport;x\nCPR;Dato;Varighed\n0101901234;05-01-2026;1:30\n", {"header": 2}, True),
    "quoted_delimiter": (b'Ydelse;Notat\n"Hjaelp; indkoeb";"a;b;c"\nx;y\n', {}, True),
    "escaped_quotes": (b'Ydelse;Notat\n"a ""b"" c";5" skrue\n', {}, True),
    "quoted_empty_cells": (b'A;B;C\n"";x;""\n1;"";3\n', {}, True),
    "cell_of_only_spaces": (b"A;B\n   ;x\n1;  \n", {}, True),
    "empty_cells_are_missing": (b"A;B;C\n1;;3\n;;x\n", {}, True),
    "row_of_only_delimiters": (b"A;B;C\n1;2;3\n;;\n4;5;6\n", {}, True),
    "trailing_delimiter": (b"A;B;\n1;2;\n3;4;\n", {}, True),
    "no_final_line_break": (b"A;B\n1;2\n3;4", {}, True),
    "row_shorter_than_header": (b"A;B;C\n1;2;3\n4;5\n6;7;8\n", {}, False),
    "blank_line_in_the_middle": (b"A;B\n1;2\n\n3;4\n5;6\n", {}, False),
    "blank_line_above_the_header": (b"Rapport\n\nA;B;C\n1;2;3\n", {}, False),
    "line_of_spaces_in_the_middle": (b"A;B\n1;2\n   \n3;4\n", {}, False),
    "trailing_blank_line": (b"A;B\n1;2\n3;4\n\n", {}, False),
    "crlf": (b"A;B\r\n1;2\r\n3;4\r\n", {}, True),
    "crlf_with_a_blank_line": (b"A;B\r\n1;2\r\n\r\n3;4\r\n", {}, False),
    "lf": (b"A;B\n1;2\n3;4\n", {}, True),
    "mixed_crlf_and_lf": (b"A;B\r\n1;2\n3;4\r\n", {}, True),
    "lone_cr": (b"A;B\r1;2\r3;4\r", {}, False),
    "quoted_line_break_in_a_cell": (b'A;B\n"linje 1\nlinje 2";2\n3;4\n', {}, None),
    "quoted_line_break_that_splits_into_rows_of_the_header_width": (b'A;B\n1;"x\ny;z"\n3;4\n', {}, None),
    "quoted_crlf_in_a_cell": (b'A;B\r\n"linje 1\r\nlinje 2";2\r\n3;4\r\n', {}, None),
    "header_only": (b"CPR;Dato\n", {}, None),
    "header_only_no_line_break": (b"CPR;Dato", {}, None),
    "title_and_header_only": (b"Rapport\nCPR;Dato;Varighed\n", {}, None),
    "duplicate_header_names": (b"Notat;Notat;notat;CPR\n1;2;3;4\n", {}, True),
    "blank_header_cell": (b"A;;C\n1;2;3\n", {}, True),
    "header_cell_of_spaces": (b"A;  ;C\n1;2;3\n", {}, True),
    "leading_zeros_kept": (b"TilbudsID;CPR;Minutter\n015466;0101901234;007\n004512;0202854321;0\n", {}, True),
    "comma_delimiter": (b'A,B,C\n"1,5",2,3\n4,5,6\n', {}, True),
    "comma_delimiter_given": (b"A,B\n1,2\n", {"delimiter": ","}, True),
    "tab_delimiter": (b"A\tB\tC\n1\t2\t3\n4\t\t6\n", {}, True),
    "NA_texts_stay_text": (b"A;B\nNA;null\nN/A;#N/A\n", {}, True),
    "expected_names_pick_the_header": (
        b"Rapport;uge 42;side 1\nDato;CPR;Varighed\n01-01-2026;x;1:30\n",
        {"expected": ("Dato", "Varighed")},
        True,
    ),
}
#: A quoted line break at or above the header: the lines are not the rows there, so the careful reader reads it.
CSV_QUOTED_HEAD = {
    "quoted_line_break_in_a_header_cell": (b'"Bevillings\nID";CPR\n1;2\n3;4\n', {}, False),
    "quoted_line_break_in_a_title_line": (b'"Rapport\nfor 2026"\nA;B;C\n1;2;3\n4;5;6\n', {}, False),
}


@pytest.mark.parametrize(
    ("data", "options", "arrow"),
    [pytest.param(*case, id=name) for name, case in CSV_CASES.items()]
    + [pytest.param(*case, id=name) for name, case in CSV_QUOTED_HEAD.items()],
)
def test_csv_read_by_pyarrow_gives_the_careful_readers_sheet(tmp_path, monkeypatch, data, options, arrow):
    got, want, used = _csv_both_ways(tmp_path, monkeypatch, data, **options)
    _same_sheet(got, want)
    if arrow is not None:
        assert used == [arrow]  # the case is read the way it is meant to be, so the comparison tests that reader


@pytest.mark.parametrize(
    ("data", "options", "said"),
    [
        pytest.param(b"A;B\n1;2\n3;4;5\n6;7\n", {"header": 1}, "Expected 2 fields in line 3, saw 3", id="header_given"),
        pytest.param(b"A;B;C\n1;2;3\n1;2;3\n1;2;3\n4;5;6;7\n8;9;0\n", {}, "Expected 3 fields in line 5, saw 4", id="header_found"),
        pytest.param(b"A;B;C\r\n1;2;3\r\n1;2;3\r\n1;2;3\r\n4;5;6;7\r\n", {}, "Expected 3 fields in line 5, saw 4", id="crlf"),
    ],
)
def test_a_csv_row_longer_than_the_header_is_the_same_read_error_as_before(tmp_path, monkeypatch, data, options, said):
    got, want, used = _csv_both_ways(tmp_path, monkeypatch, data, **options)
    assert used == [False]  # pyarrow leaves it to the careful reader
    assert isinstance(got, ReadError) and isinstance(want, ReadError)
    assert str(got) == str(want)
    assert str(got).startswith("d.csv: filen kunne ikke læses som CSV med skilletegn ';'") and said in str(got)


def test_csv_cells_by_hand_through_pyarrow(tmp_path, monkeypatch):
    data = (
        "Udtræk fra Sensum\nDato 05-11-2026\n"
        "TilbudsID;CPR;Ydelse;;Notat;Notat\n"
        '015466;0101901234;"Hjælp; indkøb";;"";   \n'
        "4512;;Støtte;x;Ærø;\n"
    ).encode("cp1252")
    got, _, used = _csv_both_ways(tmp_path, monkeypatch, data)
    assert used == [True]
    assert got.header_row == 3 and got.rows.tolist() == [4, 5] and got.blank_rows == 0
    assert list(got.frame.columns) == ["TilbudsID", "CPR", "Ydelse", "_kolonne4", "Notat", "Notat (2)"]
    assert got.frame["TilbudsID"].tolist() == ["015466", "4512"]
    assert got.frame.at[0, "Ydelse"] == "Hjælp; indkøb" and got.frame.at[1, "Notat"] == "Ærø"
    assert got.frame.at[0, "Notat (2)"] == "   "  # a cell of spaces is read as it is (a blank row is found later)
    assert got.frame[["_kolonne4", "Notat"]].iloc[0].isna().all() and pd.isna(got.frame.at[1, "CPR"])  # never ""
    assert pd.isna(got.frame.at[1, "Notat (2)"])
    assert all(t == pd.StringDtype(na_value=float("nan")) for t in got.frame.dtypes)


def test_csv_row_numbers_after_a_blank_line_by_hand(tmp_path, monkeypatch):
    got, _, used = _csv_both_ways(tmp_path, monkeypatch, b"Rapport\nA;B\n1;2\n\n3;4\n;\n5;6\n\n")
    assert used == [False]  # blank lines: the careful reader
    assert got.header_row == 2 and got.rows.tolist() == [3, 5, 7] and got.blank_rows == 3
    got, _, used = _csv_both_ways(tmp_path, monkeypatch, b"A;B\r\n1;2\r\n\r\n3;4\r\n")
    assert used == [False] and got.rows.tolist() == [2, 4] and got.blank_rows == 1
    got, _, used = _csv_both_ways(tmp_path, monkeypatch, b"A;B\r1;2\r3;4\r")
    assert used == [False] and got.rows.tolist() == [2, 3] and got.frame["B"].tolist() == ["2", "4"]
