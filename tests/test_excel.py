"""The Danish Excel appendix: Danish headers and value labels, a number format per column kind, Excel tables with
filters and frozen panes, and a first sheet "Om rapporten" that says what the numbers are."""

import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

import bitanalysis as bit
from bitanalysis import present as pr

from .conftest import SAMPLE

SNAKE = re.compile(r"[a-z]+(_[a-z]+)+")
ENGLISH_UNITS = re.compile(r"\b(hour|day|month|week|year)s?\b", re.IGNORECASE)
KRONER, SHARE, PERSONS, HOURS, COUNT, CODE, DATE = '#,##0 "kr."', "0.0%", "#,##0.00", "#,##0.0", "#,##0", "0", "dd-mm-yyyy"


def formats_of(sheet) -> dict[str, set[str]]:
    """Each header's number formats in the data rows that hold a number or a date."""
    out: dict[str, set[str]] = {}
    for col in sheet.iter_cols(min_row=1):
        header, cells = col[0].value, col[1:]
        out[header] = {c.number_format for c in cells if c.value is not None and not isinstance(c.value, str)}
    return out


def assert_danish_appendix(path, period: str = "oktober 2026") -> openpyxl.Workbook:
    """An appendix a Danish reader can use: "Om rapporten" first (period, caveats, version), and in every data sheet
    Danish headers, no English unit word, an Excel table with filters and the header row frozen."""
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == pr.ABOUT, book.sheetnames
    about = "\n".join(" ".join(str(v) for v in row if v is not None) for row in book[pr.ABOUT].iter_rows(values_only=True))
    assert f"Periode {period}" in about and f"Version bitanalysis {bit.__version__}" in about
    assert pr.CAVEAT_HEADING in about and "bevillingsdage" in about and "<5" in about and "Data pr." in about
    assert str(SAMPLE) not in about  # the folder's name, never its path
    for sheet in book.worksheets[1:]:
        headers = [c.value for c in sheet[1]]
        for h in headers:
            assert isinstance(h, str) and not SNAKE.fullmatch(h) and h not in pr.LABELS, (sheet.title, h)
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and ENGLISH_UNITS.search(v)), (sheet.title, v)
        (table,) = sheet.tables.values()
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref and table.ref.startswith("A1:")
        assert sheet.freeze_panes == "A2", sheet.title
    for sheet in book.worksheets:  # printed at the page's width, the header row on every page
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1" and int(sheet.page_setup.paperSize) == 9  # A4
    notes = book[pr.ABOUT]
    for row in notes.iter_rows(min_row=2):  # wrapped text gets the height of its lines
        assert row[1].alignment.wrap_text and notes.row_dimensions[row[0].row].height >= 15 * (len(str(row[1].value or "")) // 100), row
    return book


def _sheets(ws) -> dict[str, pd.DataFrame]:
    """Tables as the report templates make them: the match, findings, a suppressed traffic light, full-year persons."""
    m = bit.match(ws, "2026-10").head(40)
    found = bit.findings(ws, "2026-10").head(20)
    lights = pr.suppress_small(
        pd.DataFrame(
            {
                "status": ["match", "over", "under"],
                "citizens": [40, 30, 3],
                "dkk": [1_234_567.4, 5.0, 9.0],
                "citizen_share": [0.55, 0.41, 0.04],
            }
        ),
        hide=("dkk",),
    )
    fyp = pd.DataFrame({"paragraph": ["SEL §107"], "full_year_persons": [6.15], "year": [2026], "source_row": [1234]})
    rates = pd.DataFrame({"unit": ["hour", "day", "month"], "amount": [505.0, 2100.0, 71_507.0], "is_addon": [True, False, True]})
    return {"Bestilt og leveret": m, "Fund": found, "Trafiklys": lights, "Helårspersoner": fyp, "Takster": rates}


def test_number_formats_follow_the_column_kind():
    assert pr.number_format("cost", pd.Series([1.5])) == KRONER
    assert pr.number_format("delivery_ratio", pd.Series([0.5])) == SHARE
    assert pr.number_format("variance_pct", pd.Series([0.5])) == SHARE
    assert pr.number_format("full_year_persons", pd.Series([6.15])) == PERSONS
    assert pr.number_format("ordered_hours", pd.Series([6.5])) == HOURS
    assert pr.number_format("days_without_cost", pd.Series([62.0, None])) == COUNT
    assert pr.number_format("citizens", pd.Series(["<5", 12], dtype=object)) == COUNT  # a suppressed count
    assert pr.number_format("dkk", pd.Series([None, 1.0], dtype=object)) == KRONER  # a blanked amount
    assert pr.number_format("year", pd.Series([2026])) == CODE and pr.number_format("source_row", pd.Series([7])) == CODE
    assert pr.number_format("date", pd.Series(pd.to_datetime(["2026-10-01"]))) == DATE
    assert pr.number_format("evidence", pd.Series(["x"])) is None and pr.number_format("is_addon", pd.Series([True])) is None


def test_the_appendix_is_danish_with_formats_tables_and_a_sheet_about_the_report(tmp_path, sample_ws):
    path = pr.write_appendix(_sheets(sample_ws), tmp_path / "bilag.xlsx", ws=sample_ws, report="Prøve", period="2026-10", compare="2025-10")
    book = assert_danish_appendix(path)
    assert book.sheetnames == [pr.ABOUT, "Bestilt og leveret", "Fund", "Trafiklys", "Helårspersoner", "Takster"]
    about = dict(book[pr.ABOUT].iter_rows(min_row=2, max_col=2, values_only=True))
    assert about["Rapport"] == "Prøve" and about["Sammenligningsperiode"] == "oktober 2025" and about["Datamappe"] == "sample"
    assert re.fullmatch(r"\d\d-\d\d-\d{4}", about["Data pr."]) and re.fullmatch(r"\d\d-\d\d-\d{4} kl\. \d\d:\d\d", about["Kørt"])
    matched = formats_of(book["Bestilt og leveret"])
    assert matched["Udgift"] == {KRONER} and matched["Leveringsgrad"] == {SHARE} and matched["Bestilt (timer)"] == {HOURS}
    assert matched["Aktive dage"] == {COUNT}
    assert formats_of(book["Fund"])["Kroner på spil"] == {KRONER} and formats_of(book["Fund"])["Seneste udredning"] <= {DATE}
    lights = book["Trafiklys"]
    assert [c.value for c in lights[1]] == ["Status", "Borgere", "Kroner", "Andel af borgerne"]
    assert [c.value for c in lights["A"][1:]] == ["I overensstemmelse", "Overbetaling/overforsyning", "Underforsyning"]
    assert lights["B4"].value == "<5" and lights["C4"].value is None  # suppressed; the shown rows keep their formats
    assert formats_of(lights) == {"Status": set(), "Borgere": {COUNT}, "Kroner": {KRONER}, "Andel af borgerne": {SHARE}}
    assert formats_of(book["Helårspersoner"]) == {"Paragraf": set(), "Helårspersoner": {PERSONS}, "År": {CODE}, "Række i kilden": {CODE}}
    assert book["Helårspersoner"]["B2"].value == pytest.approx(6.15)  # 6.15 shows as 6,15, not 6
    rates = book["Takster"]
    assert [c.value for c in rates["A"][1:]] == ["time", "døgn", "måned"] and [c.value for c in rates["C"][1:]] == ["Ja", "Nej", "Ja"]
    widths = {rates.column_dimensions[c].width for c in "ABC"}
    assert all(8 <= w <= 60 for w in widths)


def test_the_cli_writes_a_danish_workbook_and_keeps_csv_english(tmp_path):
    from bitanalysis.cli import main

    assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(tmp_path / "m.xlsx")]) == 0
    book = assert_danish_appendix(tmp_path / "m.xlsx")
    assert book.sheetnames == [pr.ABOUT, "Bevillingsmåneder"]
    assert formats_of(book["Bevillingsmåneder"])["Udgift"] == {KRONER}
    assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(tmp_path / "m.csv")]) == 0
    header = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("month;order_id;citizen_id")  # analysts' tools keep the canonical names


def test_an_appendix_prints_to_pdf_with_libreoffice(tmp_path, sample_ws):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    path = pr.write_appendix(_sheets(sample_ws), tmp_path / "bilag.xlsx", ws=sample_ws, report="Prøve", period="2026-10")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], check=True, timeout=180, capture_output=True
    )
    text = subprocess.run(["pdftotext", str(tmp_path / "bilag.pdf"), "-"], check=True, capture_output=True, text=True).stdout
    assert "oktober 2026" in text and "Helårspersoner" in text and "Kroner på spil" in text and "kr." in text
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "bilag.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Emne" in first and "Indhold" in first and f"bitanalysis {bit.__version__}" in first  # "Om rapporten" on one page
