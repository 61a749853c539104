import re
import subprocess
import sys

import pandas as pd

from bitanalysis.cli import main

from .conftest import SAMPLE, copy_sample


def test_help_explains_every_command():
    out = subprocess.run([sys.executable, "-m", "bitanalysis", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("validate", "sample", "match", "findings"):
        assert command in out


def test_validate_the_sample_exits_zero_and_prints_the_summary(capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "deliveries" in out and "dubletter fjernet" in out and "Ingen fejl." in out


def test_bad_period_and_missing_folder_exit_two(tmp_path, capsys):
    assert main(["findings", "--data", str(SAMPLE), "--period", "oktober"]) == 2
    assert "2026-Q3" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "nope")]) == 2


def test_match_and_findings_write_files_by_suffix(tmp_path):
    assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(tmp_path / "m.parquet")]) == 0
    m = pd.read_parquet(tmp_path / "m.parquet")
    assert {"order_id", "cost", "delivery_ratio"} <= set(m.columns) and (m["month"] == "2026-10").all()
    assert main(["findings", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(tmp_path / "f.csv")]) == 0
    f = pd.read_csv(tmp_path / "f.csv", sep=";", decimal=",")
    assert set(f["direction"]) <= {"over", "under", "unknown"}


def test_budget_prints_the_forecast_per_area(capsys):
    assert main(["budget", "--data", str(SAMPLE), "--year", "2026", "--as-of", "2026-10-31"]) == 0
    out = capsys.readouterr().out
    assert "Forventet regnskab" in out and "I alt" in out and "SEL §108" in out
    assert main(["budget", "--data", str(SAMPLE), "--year", "2026", "--as-of", "2025-10-31"]) == 2


def test_budget_as_of_is_day_first_or_iso_never_month_first(capsys):
    assert main(["budget", "--data", str(SAMPLE), "--year", "2026", "--as-of", "01-10-2026"]) == 0
    assert "Budgetopfølgning 2026 pr. 01-10-2026" in capsys.readouterr().out  # 1 October, not 10 January
    for text in ("31.10.2026", "2026-10-31"):
        assert main(["budget", "--data", str(SAMPLE), "--year", "2026", "--as-of", text]) == 0
        assert "pr. 31-10-2026" in capsys.readouterr().out
    assert main(["budget", "--data", str(SAMPLE), "--year", "2026", "--as-of", "10/01/2026"]) == 2
    err = capsys.readouterr().err
    assert "Datoen '10/01/2026' forstås ikke" in err and "dagen først" in err


def test_budget_states_the_order_days_without_a_cost_and_never_zero_for_a_missing_amount(capsys):
    assert main(["budget", "--data", str(SAMPLE), "--year", "2026", "--as-of", "31-10-2026"]) == 0
    out = capsys.readouterr().out
    # the sample's rate_missing case: 730 order-days of 2026 have no cost (608 to date, 122 after 31 October)
    assert "Bemærk: 730 bevillingsdage har ingen udgift og er ikke medregnet i beløbene (608 i forbruget til dato, 122 i det" in out
    assert main(["budget", "--data", str(SAMPLE), "--year", "2019", "--as-of", "31-01-2019"]) == 0  # no rates in 2019
    out = capsys.readouterr().out
    assert " 0 " not in out.splitlines()[2] and "–" in out.splitlines()[2] and "11.520 bevillingsdage har ingen udgift" in out


def test_match_prints_its_total_with_the_order_days_left_out(tmp_path, capsys):
    assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(tmp_path / "m.csv")]) == 0
    out = capsys.readouterr().out
    # the sample's two planted order-months without a rate in October 2026: 2 × 31 order-days
    assert re.search(r"; samlet udgift [\d.]+ kr\.; 62 af 15\.933 bevillingsdage har ingen udgift \(takst eller timetal mangler\)", out)
    assert main(["match", "--data", str(SAMPLE), "--period", "2019-01", "--out", str(tmp_path / "m.csv")]) == 0
    out = capsys.readouterr().out
    assert "samlet udgift kan ikke opgøres: ingen af de 54 bevillingsdage har en udgift" in out and "0 kr." not in out


def test_no_traceback_for_a_missing_data_folder_or_an_unusable_out(tmp_path, capsys):
    missing = str(tmp_path / "findes-ikke")
    for command in (["match", "--out", str(tmp_path / "m.csv")], ["findings"], ["budget", "--year", "2026", "--as-of", "31-10-2026"]):
        period = [] if command[0] == "budget" else ["--period", "2026-10"]
        assert main([*command, "--data", missing, *period]) == 2
        err = capsys.readouterr().err
        assert "findes ikke" in err and "Traceback" not in err
    (tmp_path / "a-folder").mkdir()
    assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(tmp_path / "a-folder")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_without_cpr(monkeypatch, capsys):
    import bitanalysis.cli as cli

    def broken(args):
        raise RuntimeError("borger 010190-1234 gik galt")

    monkeypatch.setattr(cli, "_findings", broken)
    monkeypatch.delenv("BITANALYSIS_DEBUG", raising=False)
    assert main(["findings", "--data", str(SAMPLE), "--period", "2026-10"]) == 9
    err = capsys.readouterr().err
    assert "uventet fejl (RuntimeError" in err and "010190" not in err and "Traceback" not in err


def test_cache_prune_keeps_what_the_current_files_use_and_clear_removes_everything(tmp_path, capsys):
    import os

    import openpyxl

    from bitanalysis import load
    from bitanalysis.workspace.cache import CACHE_DIR
    from bitanalysis.workspace.load import cache_entries
    from bitanalysis.workspace.sensitive import sensitive_texts

    data = tmp_path / "data"
    copy_sample(data, "workspace-*")  # the parsed files, if the tests made them
    load(data)  # without a snapshot: every file's parsed table is in the cache after this
    sensitive_texts(data)
    old = cache_entries(data)
    book = openpyxl.load_workbook(data / "bevillinger.xlsx")
    book.active.cell(row=1, column=1).value = "Bevillinger (rettet)"  # a file changed: its old entries are not needed
    book.save(data / "bevillinger.xlsx")
    load(data)
    sensitive_texts(data)
    new = cache_entries(data)
    assert len(old - new) == 4  # bevillinger.xlsx's frame, errors, report and guard texts
    (data / CACHE_DIR / ".abc.123.frame").write_bytes(b"left by a process that died")
    (data / CACHE_DIR / f"duckdb-{os.getpid()}-running").mkdir()  # a query of this process is spilling: kept
    (data / CACHE_DIR / "duckdb-999999999-died").mkdir()
    assert {p.name for p in (data / CACHE_DIR).iterdir()} >= old | new
    assert main(["cache", "prune", str(data)]) == 0
    after = {p.name for p in (data / CACHE_DIR).iterdir()}
    assert new <= after and not (old - new) & after and ".abc.123.frame" not in after and "duckdb-999999999-died" not in after
    assert f"duckdb-{os.getpid()}-running" in after
    after.discard(f"duckdb-{os.getpid()}-running")
    assert 1 <= len([n for n in after if n.startswith("workspace-")]) <= 3 and after <= new | {
        n for n in after if n.startswith("workspace-")
    }
    assert "cacheposter fjernet" in capsys.readouterr().out
    assert main(["cache", "clear", str(data)]) == 0 and not (data / CACHE_DIR).exists()
    assert main(["cache", "clear", str(tmp_path / "findes-ikke")]) == 2


def test_a_report_on_a_missing_folder_and_an_out_that_cannot_be_written_exit_two(tmp_path, capsys):
    import os

    missing = str(tmp_path / "findes-ikke")
    assert main(["report", "provider", "--data", missing, "--period", "2026-10", "--out", str(tmp_path / "r")]) == 2
    assert "findes ikke" in capsys.readouterr().err
    locked = tmp_path / "skrivebeskyttet"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root writes anywhere: nothing to test
            return
        assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(locked / "m.csv")]) == 2
        err = capsys.readouterr().err
        assert "kan ikke bruges" in err and "Traceback" not in err
    finally:
        locked.chmod(0o700)


def test_an_existing_out_file_is_replaced_whole(tmp_path, capsys):
    out = tmp_path / "m.csv"
    out.write_text("gammelt indhold")
    assert main(["match", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(out)]) == 0
    assert "gammelt" not in out.read_text(encoding="utf-8-sig") and len(out.read_text(encoding="utf-8-sig").splitlines()) > 100
    assert [p.name for p in tmp_path.iterdir()] == ["m.csv"]  # no temporary file left beside it


def test_cpr_numbers_in_file_and_sheet_names_and_mapping_values_are_hidden_in_every_message(tmp_path, capsys):

    import openpyxl

    from bitanalysis.core.cpr import CPR_PATTERN

    data = tmp_path / "data"
    copy_sample(data)  # with the sample's cache: only the new files are parsed
    (data / "dokumentation" / "dokumentation_borger 010190-1234.csv").write_text("noget;andet\n1;2\n", encoding="utf-8")
    book = openpyxl.load_workbook(data / "takster" / sorted(p.name for p in (data / "takster").iterdir())[0])
    book.create_sheet("Borger 010190-1234").append(["Tilbud", "Takst"])
    book.save(data / "takster" / "takster_ekstra.xlsx")
    assert main(["validate", str(data), "--errors-out", str(tmp_path / "fejl.csv")]) == 1
    captured = capsys.readouterr()
    assert "<CPR skjult>" in captured.out and not CPR_PATTERN.search(captured.out + captured.err)
    assert not CPR_PATTERN.search((tmp_path / "fejl.csv").read_text(encoding="utf-8-sig"))
    mapping = data / "bitanalysis.toml"
    mapping.write_text(mapping.read_text().replace('duration_unit = "minutes"', 'duration_unit = "010190-1234"'))
    assert main(["validate", str(data)]) == 2
    err = capsys.readouterr().err
    assert "duration_unit" in err and not CPR_PATTERN.search(err)
