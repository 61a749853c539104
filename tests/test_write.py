"""The one safe writer: formulas never live, CPR numbers never written, unusable paths refused before any work."""

import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from bitanalysis.workspace.write import OutputError, write_table


def test_csv_cells_that_look_like_formulas_are_text(tmp_path):
    frame = pd.DataFrame({"evidence": ['=HYPERLINK("x")', "+1+2", "@A1", "-3", "ok"], "dkk": [1.5, -2.0, 3.0, 4.0, 5.0]})
    text = write_table(frame, tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1+2" in text and "'@A1" in text and "'-3" in text
    assert ";-2,0" in text  # numbers stay numbers


def test_xlsx_formulas_are_stored_as_text(tmp_path):
    import openpyxl

    path = write_table(pd.DataFrame({"evidence": ["=1+1", "ok"]}), tmp_path / "f.xlsx")
    cell = openpyxl.load_workbook(path)["Data"]["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_a_cpr_number_is_never_written_and_nothing_is_left_behind(tmp_path):
    with pytest.raises(OutputError, match="ligner et CPR-nummer"):
        write_table(pd.DataFrame({"note": ["borger a,0101901234,b"]}), tmp_path / "f.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, message", [("f.txt", "ukendt filtype"), ("folder", "ukendt filtype")])
def test_unusable_paths_are_refused(tmp_path, name, message):
    with pytest.raises(OutputError, match=message):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / name)
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(OutputError, match="er en mappe"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "d.csv")


def test_appendix_text_that_looks_like_a_formula_stays_text(tmp_path):
    note = '=HYPERLINK("http://x")'
    path = write_table(
        {
            "Fund": pd.DataFrame(
                {"evidence": [note, "+45 12", "@sum", "ok"], "dkk": [1234567.5, 2.0, 3.0, 4.0], "share": [0.123, 0.5, 1.0, 0.0]}
            )
        },
        tmp_path / "a.xlsx",
        percent=("share",),
    )
    ws = openpyxl.load_workbook(path)["Fund"]
    assert ws["A2"].value == note and ws["A2"].data_type == "s"
    assert ws["A3"].value == "+45 12" and ws["A4"].value == "@sum"
    assert ws["B2"].number_format == "#,##0" and ws["C2"].number_format == "0.0%"
    (table,) = ws.tables.values()  # an Excel table with its filter buttons
    assert ws.freeze_panes == "A2" and table.ref == "A1:C5" and table.autoFilter.ref == "A1:C5"
    with open(path, "rb") as fh:
        assert b"<f>" not in fh.read()  # no formula anywhere in the file
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            check=True,
            timeout=180,
            capture_output=True,
        )
        assert (tmp_path / "a.pdf").exists()


def test_a_staff_name_or_note_of_the_exports_is_never_written(tmp_path):
    frame = pd.DataFrame({"evidence": ["ok", "ringede til Mette Hansen"], "dkk": [1.0, 2.0]})
    with pytest.raises(OutputError, match="kolonnen 'evidence' indeholder et navn eller en notattekst"):
        write_table(frame, tmp_path / "f.xlsx", sensitive={"Mette Hansen"})
    with pytest.raises(OutputError, match="arknavnet"):
        write_table({"Mette Hansen": frame[["dkk"]]}, tmp_path / "f.xlsx", sensitive={"Mette Hansen"})
    with pytest.raises(OutputError, match="kolonnenavnene"):
        write_table(pd.DataFrame({"0101901234": [1]}), tmp_path / "f.parquet")
    assert list(tmp_path.iterdir()) == []


def test_the_guard_reads_the_texts_of_the_folder_a_workspace_was_loaded_from(tmp_path, sample_ws):
    from bitanalysis.workspace.sensitive import sensitive_texts

    name = sorted(sensitive_texts(sample_ws.folder))[0]
    with pytest.raises(OutputError, match="navn eller en notattekst"):
        write_table(pd.DataFrame({"x": [f"om {name}."]}), tmp_path / "f.csv", ws=sample_ws)
    assert write_table(pd.DataFrame({"x": ["ok"]}), tmp_path / "f.csv", ws=sample_ws).exists()


def test_several_tables_go_only_to_a_workbook(tmp_path):
    with pytest.raises(OutputError, match=r"kun skrives til én \.xlsx-fil"):
        write_table({"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"x": [2]})}, tmp_path / "f.csv")
    path = write_table({"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"x": [2]})}, tmp_path / "f.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["a", "b"]


def test_control_characters_of_a_damaged_export_do_not_stop_a_workbook(tmp_path):
    path = write_table(pd.DataFrame({"værdi\x01": ["23-09-\x02026", "ok"]}), tmp_path / "f.xlsx")
    sheet = openpyxl.load_workbook(path)["Data"]
    assert sheet["A1"].value == "værdi\ufffd" and sheet["A2"].value == "23-09-\ufffd026"


def test_the_authoritys_own_task_text_passes_the_guard_but_a_note_elsewhere_does_not(tmp_path):
    import pandas as pd

    from bitanalysis.workspace.write import OutputError, guard

    task, note = "Støtte til at komme op og i gang om morgenen", "Støtte til at komme op og i gang"
    guard(
        {"Fund": pd.DataFrame({"evidence": [f"Opgaven '{task}' hører under temaet 'Egenomsorg'."]})},
        tmp_path / "a.xlsx",
        {note},
        allowed={task},
    )
    with pytest.raises(OutputError, match="notattekst"):
        guard({"Fund": pd.DataFrame({"evidence": [f"Notat: {note}"]})}, tmp_path / "b.xlsx", {note}, allowed={task})
