import pandas as pd
import pytest

from bitanalysis.bench import DUCK_MATCH, bench_national, results_markdown
from bitanalysis.duck import connect
from bitanalysis.match import match

from .conftest import delivery, order, rate, workspace


def test_duckdb_reference_query_agrees_with_the_match(tmp_path):
    ws = workspace([order("o1", start="2026-01-01", service="S"), order("o2", start="2026-03-01", service="T"),
                    order("o3", citizen_id="c2", start="2026-01-01")], [rate(100)],
                   [delivery("2026-02-01", 60), delivery("2026-03-05", 30, service="T"), delivery("2026-03-06", 45),
                    delivery("2026-04-01", 90, citizen_id="c2"), delivery("2026-04-02", 15, provider_id="x")])
    con = connect(memory_limit="1GB", temp_directory=tmp_path)
    con.register("deliveries", ws.deliveries)
    con.register("orders", ws.orders.drop(columns=["themes"]))
    duck = con.execute(DUCK_MATCH).df().set_index(["order_id", "month"])["delivered_hours"]
    m = match(ws, "2026").set_index(["order_id", "month"])["delivered_hours"]
    assert duck.to_dict() == m[m > 0].to_dict()  # o1 Feb 1 h; o2 Mar 0.5 h (by service); 6 March ambiguous; o3 Apr 1.5 h


def test_national_step_and_results_table(tmp_path):
    (row,) = bench_national(tmp_path, 10_000)
    assert row["ok"] and row["measured"] > 0
    text = results_markdown([row, {**row, "benchmark": "x", "reference": 2.0, "reference_name": "r", "measured": 1.0}], "small")
    assert "| x | 1.00 (peak" in text and "2.0× faster" in text and "Benchmark results (small)" in text
