import subprocess
import sys

import pandas as pd

from bitanalysis.cli import main

from .conftest import SAMPLE


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
