import hashlib
import hmac
import os
import threading
import time
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbclient import NotebookClient

from bitanalysis.core import privacy as _privacy
from bitanalysis.core.cpr import CPR_PATTERN, contains_cpr
from bitanalysis.core.privacy import KeyFileError, birth_year, cpr_digits, pseudonym_key, pseudonymise
from bitanalysis.reports.notebook import execute

KEY = b"k"


def test_pseudonym_is_hmac_sha256_of_the_ten_digits():
    ids, bad = pseudonymise(pd.Series(["010190-1234", "0101901234", " 010190-1234 "]), KEY)
    expected = "B-" + hmac.new(KEY, b"0101901234", hashlib.sha256).hexdigest()[:12]
    assert ids.tolist() == [expected] * 3
    assert not bad.any()


def test_other_key_other_pseudonym_and_bad_values_flagged():
    a, _ = pseudonymise(pd.Series(["0101901234"]), b"a")
    b, _ = pseudonymise(pd.Series(["0101901234"]), b"b")
    assert a[0] != b[0]
    ids, bad = pseudonymise(pd.Series(["12345", None, "abc"]), KEY)
    assert bad.tolist() == [True, False, True]
    assert ids.isna().all()


def test_excel_number_lost_its_leading_zero():
    digits, bad = cpr_digits(pd.Series([101901234, "101901234.0"]))
    assert digits.tolist() == ["0101901234", "0101901234"]
    assert not bad.any()


def test_birth_year_century_from_seventh_digit():
    digits = pd.Series(["0101901234", "0101054234", "0101504234", "0101105234", "0101655234", "0101059234"])
    assert birth_year(digits).tolist() == [1990, 2005, 1950, 2010, 1865, 2005]


def test_cpr_pattern():
    assert contains_cpr("borger 010190-1234 fik")
    assert contains_cpr("0101901234")
    assert not contains_cpr("B-1a2b3c4d5e6f")
    assert not contains_cpr("B-0101901234ab") and not contains_cpr("B-ab0101901234")  # hex pseudonyms are not CPRs
    assert contains_cpr("CPR:010190-1234.") and contains_cpr('"0101901234"')
    assert not contains_cpr("203671.0101901234") and not contains_cpr("0101901234.5")  # decimals of a number
    assert not contains_cpr("0000000015 00000 n") and not contains_cpr("3201901234")  # no day 00 or 32
    assert not contains_cpr("12345678901")  # 11 digits: not a CPR
    assert CPR_PATTERN.search("tlf 2025-01-31") is None


def test_key_file_created_once_with_a_message(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BITANALYSIS_KEY")
    monkeypatch.setenv("BITANALYSIS_KEY_FILE", str(tmp_path / "sub" / "key"))
    first = pseudonym_key()
    assert "pseudonymnøgle oprettet" in capsys.readouterr().err
    assert pseudonym_key() == first
    assert (tmp_path / "sub" / "key").stat().st_mode & 0o077 == 0


def test_cpr_pattern_between_commas_and_with_a_space_but_not_decimals():
    assert contains_cpr("a,0101901234,b") and contains_cpr("010190 1234") and contains_cpr("x.0101901234.")
    assert not contains_cpr("3,0101901234") and not contains_cpr("1.234,0101901234") and not contains_cpr("010190 12345")
    assert cpr_digits(pd.Series(["010190 1234"]))[0].tolist() == ["0101901234"]


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    """No key in the environment: the key comes from a file in tmp_path (not created yet)."""
    monkeypatch.delenv("BITANALYSIS_KEY")
    path = tmp_path / "cfg" / "pseudonym.key"
    monkeypatch.setenv("BITANALYSIS_KEY_FILE", str(path))
    return path


def test_new_key_file_is_64_hex_mode_0600_in_a_0700_folder_and_no_temp_file_left(key_file):
    key = pseudonym_key()
    assert len(key) == 64 and int(key, 16) >= 0
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    assert os.listdir(key_file.parent) == ["pseudonym.key"]


def test_concurrent_creators_get_the_same_key_and_one_message(key_file, capsys):
    start, keys = threading.Barrier(8), []

    def create():
        start.wait()
        keys.append(pseudonym_key())

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1 and len(keys[0]) == 64
    assert capsys.readouterr().err.count("pseudonymnøgle oprettet") == 1


def test_empty_key_file_refused_with_a_danish_message(key_file, monkeypatch):
    monkeypatch.setattr(_privacy, "KEY_READ_WAIT", 0.001)
    key_file.parent.mkdir()
    key_file.touch(mode=0o600)
    with pytest.raises(KeyFileError, match=r"Nøglefilen .*pseudonym.key er tom.*mindst 32 tegn.*64 hex-tegn"):
        pseudonym_key()
    key_file.write_text("kort")
    with pytest.raises(KeyFileError, match=r"for kort \(4 tegn\)"):
        pseudonym_key()


def test_short_or_empty_environment_key_refused(monkeypatch):
    monkeypatch.setenv("BITANALYSIS_KEY", "hemmelig")
    with pytest.raises(KeyFileError, match=r"BITANALYSIS_KEY er for kort \(8 tegn\).*mindst 32 tegn") as exc:
        pseudonym_key()
    assert "hemmelig" not in str(exc.value)  # the key itself is never shown
    monkeypatch.setenv("BITANALYSIS_KEY", "")
    with pytest.raises(KeyFileError, match="BITANALYSIS_KEY er tom"):
        pseudonym_key()
    monkeypatch.setenv("BITANALYSIS_KEY", "x" * 32)
    assert pseudonym_key() == b"x" * 32


def test_key_file_open_to_others_warns_once(key_file, capsys):
    key_file.parent.mkdir()
    key_file.write_text("a" * 64)
    key_file.chmod(0o640)
    assert pseudonym_key() == b"a" * 64
    assert pseudonym_key() == b"a" * 64
    err = capsys.readouterr().err
    assert err.count("advarsel") == 1 and f"chmod 600 {key_file}" in err


def test_key_file_empty_at_first_is_read_once_its_writer_has_written(key_file, capsys):
    key_file.parent.mkdir()
    key_file.touch(mode=0o600)  # an old-style writer: created, not yet written
    writer = threading.Timer(0.25, lambda: key_file.write_text("b" * 64))
    writer.start()
    started = time.monotonic()
    try:
        assert pseudonym_key() == b"b" * 64
    finally:
        writer.join()
    assert time.monotonic() - started >= 0.2
    assert "oprettet" not in capsys.readouterr().err


# --- CPR checks computed once per distinct cell ---------------------------------------------------------------------

CELLS = ["010190-1234", " 0101901234 ", None, "010190-1234", "020285 4321", "12345", "", np.nan, "Besøg hos 0101901234", "abc", "12345"]


def _cell_series(kind: str) -> pd.Series:
    """The cells as a column of the given kind, with an index of its own (not 0..n-1) and a name."""
    index = pd.Index([30 - 3 * i for i in range(len(CELLS))], name="row")
    if kind == "category":
        return pd.Series(CELLS, dtype="string", index=index, name="CPR").astype("category")
    return pd.Series(CELLS, dtype=kind, index=index, name="CPR")


def _parts(result) -> tuple:
    return tuple(result) if isinstance(result, tuple) else (result,)


@pytest.mark.parametrize("kind", ["object", "string", "str", "category"])
@pytest.mark.parametrize("name", ["pseudonymise", "cpr_digits", "has_cpr"])
def test_cpr_checks_once_per_distinct_cell_are_the_cell_by_cell_results(kind, name):
    import inspect

    fn = getattr(_privacy, name)
    args = (KEY,) if name == "pseudonymise" else ()
    s = _cell_series(kind)
    got = _parts(fn(s, *args))
    raw = inspect.unwrap(fn)
    one_by_one = [_parts(raw(pd.Series([v], dtype=object), *args)) for v in s.astype(object)]
    for i, part in enumerate(got):
        assert part.index.equals(s.index) and part.name == "CPR"
        want = [r[i].iloc[0] for r in one_by_one]
        for g, w in zip(part.tolist(), want):
            assert (pd.isna(g) and pd.isna(w)) or g == w, (part.tolist(), want)
        pd.testing.assert_series_equal(part, _parts(raw(s, *args))[i], check_names=False)  # the whole column at once


def test_cpr_checks_by_hand():
    s = _cell_series("category")
    pseudonym = "B-" + hmac.new(KEY, b"0101901234", hashlib.sha256).hexdigest()[:12]
    other = "B-" + hmac.new(KEY, b"0202854321", hashlib.sha256).hexdigest()[:12]
    ids, bad = pseudonymise(s, KEY)
    assert ids.tolist()[:2] == [pseudonym, pseudonym] and ids.iloc[3] == pseudonym and ids.iloc[4] == other
    assert ids.iloc[[2, 5, 6, 7, 8, 9, 10]].isna().all()
    assert bad.tolist() == [False, False, False, False, False, True, False, False, True, True, True]
    digits, _ = cpr_digits(s)
    assert digits.tolist()[:2] == ["0101901234", "0101901234"] and digits.iloc[4] == "0202854321"
    assert _privacy.has_cpr(s).tolist() == [True, True, False, True, True, False, False, False, True, False, False]


def test_the_suite_runs_in_a_home_of_its_own_with_the_test_key():
    """conftest points HOME and the config folders away from the user's before anything is imported."""
    from .conftest import REAL_HOME, TEST_HOME, TEST_KEY

    assert Path.home() == TEST_HOME != REAL_HOME
    assert os.environ["XDG_CONFIG_HOME"].startswith(str(TEST_HOME)) and os.environ["IPYTHONDIR"].startswith(str(TEST_HOME))
    assert pseudonym_key() == TEST_KEY
    assert str(_privacy.key_path()).startswith(str(TEST_HOME))


def test_a_key_made_in_a_kernel_is_said_in_the_kernels_log_not_in_the_notebook(key_file, capfd):
    """A notebook that makes the key (a first run in JupyterLab or a scheduled run) shows no red box: the notice goes
    to the kernel process's stderr, which is the log of whoever started it."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("from bitanalysis.core.privacy import pseudonym_key\nk = pseudonym_key()")]
    )
    NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    outputs = nb.cells[0].outputs
    assert key_file.exists() and [o for o in outputs if o.get("name") == "stderr" or o["output_type"] == "error"] == []
    assert capfd.readouterr().err.count("pseudonymnøgle oprettet") == 1


def test_a_report_template_run_makes_the_key_before_its_kernel_and_says_so_once(key_file, tmp_path, capfd):
    """The runner makes a missing key in its own process, so the notebook's kernel finds it and prints nothing."""
    template = tmp_path / "t.py"
    template.write_text(
        "# %% tags=['parameters']\nx = 1\n\n# %%\nfrom bitanalysis.core.privacy import pseudonym_key\nk = pseudonym_key()\n"
    )
    execute(template, tmp_path / "t.ipynb", {"x": 2}, tmp_path)
    nb = nbformat.read(tmp_path / "t.ipynb", as_version=4)
    assert [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"] == []
    assert key_file.exists() and capfd.readouterr().err.count("pseudonymnøgle oprettet") == 1
