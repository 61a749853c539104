import pandas as pd

from bitanalysis import match
from bitanalysis._duck import connect
from bitanalysis_dev.bench import DUCK_MATCH, SCALES, bench_national, cell_profile, municipality, results_markdown

from .conftest import delivery, order, rate, workspace


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


def test_generated_municipality_has_the_asked_documentation_rows_and_loads_them_all(tmp_path):
    from bitanalysis import load

    rows = municipality(tmp_path, citizens=60, rows=20_000)
    assert 20_000 <= rows < 40_000  # the generator's own rows repeated a whole number of times
    ws = load(tmp_path, key=b"t")
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
