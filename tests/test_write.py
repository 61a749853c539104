"""The one safe writer: formulas never live, CPR numbers never written, unusable paths refused before any work."""

import pandas as pd
import pytest

from bitanalysis._write import OutputError, write_table


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
