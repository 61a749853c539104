from pathlib import Path

import openpyxl
import pytest

from bitanalysis._read import ReadError, decode, read_source, sniff_delimiter


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
    from bitanalysis._mapping import TableSource, Wide, expected_headers

    # the title rows are as wide as the header, and only the wide names say which row is the header
    rows = [["Takstblad", "2024", "side 1", "x"], ["Noget", "Takst A", "Takst B", "Takst C"], ["a", 1, 2, 3]]
    path = _book(tmp_path / "t.xlsx", {"Ark": rows})
    src = TableSource("rates", ("t.xlsx",), wide=Wide(("Takst A", "Takst B", "Takst C"), "amount", "rate_level"))
    (raw,) = read_source(path, "t.xlsx", expected=expected_headers(src))
    assert raw.header_row == 2 and list(raw.frame.columns) == ["Noget", "Takst A", "Takst B", "Takst C"]
