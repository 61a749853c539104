"""Figures kept between runs: read back while every input is unchanged, computed again when any one changes."""

import importlib
import shutil

import pandas as pd
import pytest

from bitanalysis import economics as eco
from bitanalysis import findings, load
from bitanalysis.workspace import figures
from bitanalysis.workspace.cache import prune_cache
from tests.conftest import TEST_KEY, copy_sample

MONTH = "2026-10"
findings_module = importlib.import_module("bitanalysis.bit.findings")
load_module = importlib.import_module("bitanalysis.workspace.load")


@pytest.fixture
def data(tmp_path):
    return copy_sample(tmp_path / "data")


@pytest.fixture
def fresh_process(monkeypatch):
    """A `load` that finds nothing this process loaded before (as a new report kernel would)."""

    def forget():
        monkeypatch.setattr(load_module, "_LOADED", {})

    return forget


@pytest.fixture
def evaluations(monkeypatch):
    """The months whose findings were computed (not read back)."""
    seen = []
    original = findings_module._evaluate
    monkeypatch.setattr(findings_module, "_evaluate", lambda ws, p, s: seen.append(str(p.first)) or original(ws, p, s))
    return seen


def _figures(data):
    return sorted(p.name for p in (data / ".bitanalysis-cache").glob("workspace-*/figures/*/*.parquet"))


def test_figures_are_kept_beside_the_snapshot_and_read_back_the_same(data, fresh_process, evaluations):
    ws = load(data, key=TEST_KEY)
    found, budget, bench = findings(ws, MONTH), eco.budget_followup(ws, 2026, "31-10-2026"), eco.price_benchmark(ws, MONTH)
    assert evaluations == [MONTH] and len(_figures(data)) >= 3
    fresh_process()
    again = load(data, key=TEST_KEY)
    pd.testing.assert_frame_equal(findings(again, MONTH), found)
    pd.testing.assert_frame_equal(eco.budget_followup(again, 2026, "31-10-2026"), budget)
    pd.testing.assert_frame_equal(eco.price_benchmark(again, MONTH), bench)
    assert evaluations == [MONTH]  # read back, not computed


def _change_export(data):
    path = data / "dokumentation" / f"dokumentation_{MONTH}.csv"
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b";229,5;", b";230;")
    path.write_bytes(b"\n".join(lines))


def _change_mapping(data):
    path = data / "bitanalysis.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Madlavning" = "Støtte til indkøb og madlavning"\n', ""), encoding="utf-8")


def _add_setting(data):
    path = data / "bitanalysis.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[settings]\nunder_delivery_ratio = 0.99\n", encoding="utf-8")


def _change_cost_model(data):
    path = data / "bitanalysis.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("on_cost = 0.25", "on_cost = 0.26"), encoding="utf-8")


def _change_source(data, monkeypatch, tmp_path):
    copy = tmp_path / "package"
    shutil.copytree(figures.SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "core" / "settings.py").write_text((copy / "core" / "settings.py").read_text() + "\n# a changed line\n")
    monkeypatch.setattr(figures, "SOURCE", copy)


@pytest.mark.parametrize("change", ["export", "mapping", "setting", "cost model", "package source"])
def test_a_kept_figure_is_computed_again_when_any_input_changes(data, fresh_process, evaluations, change, monkeypatch, tmp_path):
    before = findings(load(data, key=TEST_KEY), MONTH)
    fresh_process()
    findings(load(data, key=TEST_KEY), MONTH)
    assert evaluations == [MONTH]  # unchanged: read back
    if change == "export":
        _change_export(data)
    elif change == "mapping":
        _change_mapping(data)
    elif change == "setting":
        _add_setting(data)
    elif change == "cost model":
        _change_cost_model(data)
    else:
        _change_source(data, monkeypatch, tmp_path)
    fresh_process()
    ws = load(data, key=TEST_KEY)
    now = findings(ws, MONTH)
    assert evaluations == [MONTH, MONTH], f"a changed {change} must make the findings be computed again"
    fresh_process()
    pd.testing.assert_frame_equal(findings(load(data, key=TEST_KEY, cache=False), MONTH), now)  # as computed from scratch
    if change == "setting":  # a higher threshold for under-delivery: more findings of that type
        assert (now["type"] == "under_delivery").sum() > (before["type"] == "under_delivery").sum()


def test_a_workspace_changed_in_a_notebook_neither_reads_nor_keeps_figures(data, fresh_process, evaluations):
    ws = load(data, key=TEST_KEY)
    findings(ws, MONTH)
    kept = _figures(data)
    fresh_process()
    changed = load(data, key=TEST_KEY)
    changed.assessments = changed.assessments.iloc[1:]
    findings(changed, MONTH)
    assert evaluations == [MONTH, MONTH] and _figures(data) == kept


def test_prune_removes_the_figures_of_earlier_code_only(data, monkeypatch, tmp_path):
    findings(load(data, key=TEST_KEY), MONTH)
    snapshot_figures = next((data / ".bitanalysis-cache").glob("workspace-*/figures"))
    old = snapshot_figures / "0123456789abcdef"
    old.mkdir()
    (old / "x.parquet").write_bytes(b"old")
    cache = data / ".bitanalysis-cache"
    needed = {p.name for p in cache.iterdir()}
    earlier = [p for p in cache.glob("workspace-*/figures/*") if p.name != figures.source_hash()]  # with the copy's
    removed, _ = prune_cache(data, needed)
    assert removed == len(earlier) and old in earlier and not any(p.exists() for p in earlier)
    assert [p.name for p in snapshot_figures.iterdir()] == [figures.source_hash()]
    assert {p.name for p in cache.iterdir()} == needed  # nothing else is removed
