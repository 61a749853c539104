from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from bitanalysis import match
from bitanalysis.workspace.duck import connect
from bitanalysis_dev.bench import results_markdown
from bitanalysis_dev.bench_checks import (
    CHECK_TARGET,
    check_row,
    first_line,
    notebook_outputs,
    notebook_problems,
    outputs_text,
    published_problems,
)
from bitanalysis_dev.bench_data import documentation_files, municipality
from bitanalysis_dev.bench_duckdb import DUCK_MATCH, bench_national
from bitanalysis_dev.bench_load import duration_minutes, load_row, pandas_reference
from bitanalysis_dev.bench_measure import SCALES
from bitanalysis_dev.bench_reports import cell_profile, report_all_row

from .conftest import TEST_KEY, delivery, order, rate, workspace


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """A small generated municipality, loaded once (with the tests' key, as `load` without a key uses here)."""
    from bitanalysis import load

    folder = tmp_path_factory.mktemp("town")
    rows = municipality(folder, citizens=60, rows=20_000)
    return folder, rows, load(folder, key=TEST_KEY)


def test_duckdb_reference_query_agrees_with_the_match(tmp_path):
    ws = workspace(
        [
            order("o1", start="2026-01-01", service="S"),
            order("o2", start="2026-03-01", service="T"),
            order("o3", citizen_id="c2", start="2026-01-01"),
        ],
        [rate(100)],
        [
            delivery("2026-02-01", 60),
            delivery("2026-03-05", 30, service="T"),
            delivery("2026-03-06", 45),
            delivery("2026-04-01", 90, citizen_id="c2"),
            delivery("2026-04-02", 15, provider_id="x"),
        ],
    )
    con = connect(memory_limit="1GB", temp_directory=tmp_path)
    con.register("deliveries", ws.deliveries)
    con.register("orders", ws.orders.drop(columns=["themes"]))
    duck = con.execute(DUCK_MATCH).df().set_index(["order_id", "month"])["delivered_hours"]
    m = match(ws, "2026").set_index(["order_id", "month"])["delivered_hours"]
    assert duck.to_dict() == m[m > 0].to_dict()  # o1 Feb 1 h; o2 Mar 0.5 h (by service); 6 March ambiguous; o3 Apr 1.5 h


def test_national_step_writes_every_order_month_and_the_results_table(tmp_path):
    scale = SCALES["small"].__class__(citizens=0, rows=0, xlsx_rows=0, national_rows=10_000)
    (row,) = bench_national(tmp_path, scale)
    assert row["ok"] and row["measured"] > 0 and row["peak_mb"] > 0
    months = pd.read_parquet(tmp_path / "national-months.parquet")
    rows = pd.read_parquet(tmp_path / "national.parquet")
    assert months["minutes"].sum() == rows["minutes"].sum()
    assert len(months) == len(rows.assign(m=rows["date"].astype(str).str[:7])[["order_id", "m"]].drop_duplicates())
    text = results_markdown(
        [
            row,
            {
                **row,
                "benchmark": "x",
                "reference": 2.0,
                "reference_name": "r",
                "measured": 1.0,
                "profile": [("ws = bit.load(data_dir)", 0.5)],
            },
        ],
        "small",
    )
    assert "| x | 1.00 (peak" in text and "2.0× faster" in text and "Benchmark results (small)" in text
    assert "| `ws = bit.load(data_dir)` | 0.50 |" in text and "Missed" not in text
    slow = {**row, "benchmark": "y", "reference": 1.0, "measured": 4.0, "target": "≤ 3×", "ok": False}
    assert "Missed targets:\n\n- y: 4.00× against ≤ 3×, peak" in results_markdown([slow], "small")


@pytest.mark.long  # the generated town: 55 files to parse (CI's run)
def test_generated_municipality_has_the_asked_documentation_rows_and_loads_them_all(town):
    _, rows, ws = town
    assert 20_000 <= rows < 40_000  # the generator's own rows repeated a whole number of times
    files = ws.load_report.files[ws.load_report.files["file"].str.contains("dokumentation_2026")]
    assert files["rows_read"].sum() == rows  # every written row is read ...
    assert files["rows_accepted"].sum() == (ws.deliveries["date"].dt.year == 2026).sum()  # ... and accepted or accounted for


def test_cell_profile_reads_papermills_durations(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("a = 1\nb = 2"), nbformat.v4.new_markdown_cell("x"), nbformat.v4.new_code_cell("slow()")]
    )
    nb.cells[0].metadata["papermill"] = {"duration": 0.25}
    nb.cells[2].metadata["papermill"] = {"duration": 2.0}
    nbformat.write(nb, tmp_path / "n.ipynb")
    assert cell_profile(tmp_path / "n.ipynb") == [("slow()", 2.0), ("a = 1", 0.25), ("all cells", 2.25)]


@pytest.mark.long  # the generated town: 55 files to parse (CI's run)
def test_plain_pandas_reference_reads_the_rows_minutes_and_pseudonyms_the_load_reads(town):
    folder, _, ws = town
    files = ws.load_report.files[ws.load_report.files["table"] == "deliveries"]
    assert len(pandas_reference(documentation_files(folder), TEST_KEY)) == files["rows_read"].sum()
    clean = files[files["duplicates_removed"] == 0]  # the load drops the rows a later, overlapping export repeats; plain pandas not
    assert len(clean) < len(files) and clean["file"].str.contains("_2026-").sum() >= 9
    ref = pandas_reference([folder / f for f in clean["file"]], TEST_KEY)
    loaded = ws.deliveries[ws.deliveries["source"].isin(clean["file"])]
    assert len(ref) == len(loaded) == clean["rows_read"].sum()
    assert ref["Varighed"].sum() == pytest.approx(loaded["minutes"].sum(), abs=1e-6)
    year = ref["Dato"].dt.year == 2026
    assert set(ref.loc[year, "CPR"]) == set(loaded.loc[loaded["date"].dt.year == 2026, "citizen_id"])
    cols = ["citizen_id", "date", "minutes"]  # row by row, in a common order
    mine = ref[["CPR", "Dato", "Varighed"]].set_axis(cols, axis=1).sort_values(cols, ignore_index=True)
    theirs = loaded[cols].sort_values(cols, ignore_index=True)
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)


def test_durations_are_minutes_written_plain_with_a_decimal_comma_or_as_h_mm():
    got = duration_minutes(pd.Series(["224", "4:06", "22,5", "10:30", "0:05", "45"], dtype="str"))
    assert got.tolist() == [224, 246, 22.5, 630, 5, 45]


def test_the_first_load_meets_its_target_only_within_3x_the_reference_and_2_gb():
    reference = {"seconds": 10.0, "peak_mb": 3000.0}
    row = load_row(10_000, 10_600_000, 10_300_000, 29.0, 1900.0, reference)
    assert row["ok"] and row["reference"] == 10.0 and row["peak_mb"] == 1900.0
    assert "10,000 citizens, 10,600,000 delivery rows from CSV (10,300,000 in 2026)" in row["benchmark"]
    assert "(peak 3,000 MB)" in row["reference_name"]
    assert not load_row(10_000, 1, 1, 31.0, 1900.0, reference)["ok"]  # too slow
    assert not load_row(10_000, 1, 1, 5.0, 2100.0, reference)["ok"]  # too much memory
    assert "| 2.90× | ≤ 3× and ≤ 2 GB peak | yes |" in results_markdown([row], "small")


def test_report_all_may_take_half_a_one_cell_run_per_report():
    row = report_all_row(31, 24.0, 1.6, 60.0, "2026-10")
    assert row["ok"] and row["target"] == "≤ 31/2 × one-cell run" and "31 reports" in row["benchmark"]
    assert not report_all_row(31, 25.0, 1.6, 60.0, "2026-10")["ok"]


def test_a_check_row_shows_yes_or_no_and_what_went_wrong():
    ok = check_row("quarter run: leader report for 2026-Q3 (CLI)", 12.5, [])
    bad = check_row("year run: leader report for 2025 (CLI)", 3.0, ["stderr: a | b", "exit code 3"])
    assert ok["ok"] and not bad["ok"] and ok["reference"] is None and ok["target"] == CHECK_TARGET
    text = results_markdown([ok, bad], "small")
    assert f"| quarter run: leader report for 2026-Q3 (CLI) | 12.50 | {CHECK_TARGET} | yes |  |" in text
    assert f"| year run: leader report for 2025 (CLI) | 3.00 | {CHECK_TARGET} | NO | stderr: a \\| b |" in text
    assert f"Missed targets:\n\n- year run: leader report for 2025 (CLI): stderr: a | b (target: {CHECK_TARGET})." in text
    assert text.index("| benchmark |") < text.index("Checks on") < text.index("| check |")
    info = {"benchmark": "n", "measured": 2.0, "reference": None, "reference_name": "", "target": "≤ 1 s", "ok": False}
    assert "| n | 2.00 |  |  |  | ≤ 1 s | NO |" in results_markdown([info], "small")


def test_first_line_skips_blank_lines_and_is_short():
    assert first_line("\n  \nFejl: noget\nmere") == "Fejl: noget" and first_line("") == "" and len(first_line("x" * 300)) == 120


@pytest.mark.long  # the generated town: 55 files to parse (CI's run)
def test_published_files_with_a_cpr_number_or_a_staff_name_are_problems(town, tmp_path):
    folder, _, _ = town
    staff = pd.read_csv(documentation_files(folder)[0], sep=";", encoding="cp1252", dtype=str)["Medarbejder"].iloc[0]
    assert published_problems(tmp_path / "none", folder) == ["nothing published in none"]
    (tmp_path / "a.html").write_text("<p>Leveringsgrad 93 %</p>", encoding="utf-8")
    assert published_problems(tmp_path, folder) == []
    (tmp_path / "b.html").write_text("<p>Borger 010190-1234</p>", encoding="utf-8")
    (tmp_path / "c.html").write_text(f"<p>{staff}</p>", encoding="utf-8")
    hits = published_problems(tmp_path, folder)
    assert len(hits) == 2 and "b.html: indeholder et CPR-nummer" in hits and hits[1].startswith("c.html")


@pytest.mark.long  # the generated town: 55 files to parse (CI's run)
def test_notebook_problems_are_an_error_cell_stderr_and_personal_data(town, tmp_path):
    folder, _, _ = town
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="Ingen fund for tilbud 999999"),
        nbformat.v4.new_output("display_data", data={"text/html": "<td>Tilbud A</td>", "text/plain": "T"}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nbformat.write(nb, tmp_path / "clean.ipynb")
    outputs = notebook_outputs(tmp_path / "clean.ipynb")
    assert notebook_problems(outputs, tmp_path / "clean.ipynb", folder) == []
    assert "Ingen fund for tilbud 999999" in outputs_text(outputs) and "<td>Tilbud A</td>" in outputs_text(outputs)
    cell.outputs += [
        nbformat.v4.new_output("stream", name="stderr", text="\nUserWarning: x\n"),
        nbformat.v4.new_output("error", ename="KeyError", evalue="'provider_id'", traceback=[]),
        nbformat.v4.new_output("stream", name="stdout", text="010190-1234"),
    ]
    nbformat.write(nb, tmp_path / "bad.ipynb")
    problems = notebook_problems(notebook_outputs(tmp_path / "bad.ipynb"), tmp_path / "bad.ipynb", folder)
    assert problems == ["error cell: KeyError: 'provider_id'", "stderr: UserWarning: x", "bad.ipynb: indeholder et CPR-nummer"]


def test_cell_label_names_what_a_cell_shows_or_does():
    from bitanalysis_dev.bench_reports import cell_label

    shown = 'if not empty:\n    display(pr.md("## Budget og forventet regnskab"))\n    followup = eco.budget_followup(ws, year)'
    assert cell_label(shown) == "## Budget og forventet regnskab"
    assert cell_label("from x import y\nimport z\n# a comment\nws = bit.load(data_dir)") == "ws = bit.load(data_dir)"
    assert cell_label("if appendix_path:\n    pass") == "pass"
    assert cell_label("") == "(empty)"


def test_report_parts_split_a_run_by_kind_and_workers(tmp_path):
    import nbformat

    from bitanalysis_dev.bench_reports import report_parts

    for name, cell in (("leader", 1.0), ("provider-1", 0.5), ("provider-2", 0.25)):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
        nb.cells[0].metadata["papermill"] = {"duration": cell}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    jobs = [SimpleNamespace(name="leader", output="leader", seconds=2.0)] + [
        SimpleNamespace(name="provider", output=f"provider-{i}", seconds=1.0) for i in (1, 2)
    ]
    parts = dict(report_parts(jobs, tmp_path, seconds=5.0))
    assert parts == {
        "1 × leader report: in the worker (of which in the cells 1.00 s)": 2.0,
        "2 × provider report: in the worker (of which in the cells 0.75 s)": 2.0,
        "the reports' seconds shared by 2 workers": 2.0,
        "outside the reports: checking the data, printing the PDF, the privacy guard, publishing": 3.0,
    }
