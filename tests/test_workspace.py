"""The Workspace: results remembered while the tables they were computed from are unchanged."""

import pandas as pd

from bitanalysis.core.schema import conform

from .conftest import delivery, order, rate, workspace


def test_reading_the_delivery_rows_from_their_file_keeps_the_results_until_they_change(tmp_path):
    file = tmp_path / "deliveries.parquet"
    conform(pd.DataFrame([delivery("2026-10-01", 60), delivery("2026-10-02", 30)]), "deliveries").to_parquet(file)
    ws = workspace(orders=[order()], rates=[rate(100)])
    ws.deliveries = file
    computed = []
    figure = lambda: computed.append(1) or len(computed)  # noqa: E731
    ws.remember("figure", figure)
    assert len(ws.deliveries) == 2  # read into memory: the same rows as the file's
    ws.remember("figure", figure)
    ws.copy().remember("figure", figure)  # a copy (another load of the folder) shares them
    assert computed == [1]
    ws.deliveries.loc[0, "minutes"] = 90  # changed in place: computed again
    ws.remember("figure", figure)
    assert computed == [1, 1]


def test_delivery_rows_given_as_a_frame_are_watched_by_their_content():
    ws = workspace(orders=[order()], rates=[rate(100)], deliveries=[delivery("2026-10-01", 60)])
    computed = []
    figure = lambda: computed.append(1) or len(computed)  # noqa: E731
    ws.remember("figure", figure)
    ws.remember("figure", figure)
    ws.deliveries = ws.deliveries.assign(minutes=30.0)
    ws.remember("figure", figure)
    assert computed == [1, 1]
