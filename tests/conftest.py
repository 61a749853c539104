"""Shared test fixtures: a fixed pseudonym key, and the real files in ../shared/realdata when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
SAMPLE = ROOT / "data" / "sample"
TEST_KEY = b"test-key-not-secret"


@pytest.fixture(autouse=True)
def _fixed_key(monkeypatch, tmp_path_factory):
    """Every test pseudonymises with the same key, and never touches the user's key file."""
    monkeypatch.setenv("BITANALYSIS_KEY", TEST_KEY.decode())
    monkeypatch.setenv("BITANALYSIS_KEY_FILE", str(tmp_path_factory.getbasetemp() / "no-key-file"))


@pytest.fixture
def realdata() -> Path:
    """The folder of real public files; the test is skipped where ../shared is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not here")
    return REALDATA
