import tempfile
from pathlib import Path

from bitanalysis.bit.deliveries import delivery_query
from bitanalysis.core.period import period
from bitanalysis.workspace.cache import CACHE_DIR
from bitanalysis.workspace.duck import connect, connection

from .conftest import delivery, order, rate, workspace


def spill_of(con) -> Path:
    """The folder a connection spills to."""
    return Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])


def test_spill_folder_private_in_the_data_folders_cache_and_removed_after(tmp_path):
    with connection(tmp_path, memory_limit="1GB", threads=1) as con:
        spill = spill_of(con)
        assert spill.parent == tmp_path / CACHE_DIR and spill.name.startswith("duckdb-")
        assert spill.is_dir() and spill.stat().st_mode & 0o777 == 0o700
        assert con.execute("SELECT 1").fetchone() == (1,)
    assert not spill.exists()
    assert (tmp_path / CACHE_DIR).is_dir()


def test_workspace_in_memory_spills_to_a_private_temp_folder_removed_after():
    with connection(None) as con:
        spill = spill_of(con)
        assert spill.parent == Path(tempfile.gettempdir()) and spill.name.startswith("bitanalysis-duckdb-")
        assert spill.stat().st_mode & 0o777 == 0o700
    assert not spill.exists()


def test_unusable_data_folder_spills_to_the_temp_folder(tmp_path):
    (tmp_path / CACHE_DIR).write_text("not a folder")  # as unwritable as a read-only folder, also when run as root
    for folder in (tmp_path, tmp_path / "gone"):
        with connection(folder) as con:
            spill = spill_of(con)
            assert spill.parent == Path(tempfile.gettempdir()) and spill.stat().st_mode & 0o777 == 0o700
        assert not spill.exists()
    assert not (tmp_path / "gone").exists()


def test_removed_even_when_the_query_fails(tmp_path):
    try:
        with connection(tmp_path) as con:
            spill = spill_of(con)
            con.execute("SELECT * FROM no_such_table")
    except Exception:
        pass
    assert not spill.exists()


def test_connect_with_a_folder_still_spills_there(tmp_path):
    con = connect(memory_limit="1GB", temp_directory=tmp_path / "duck's")
    try:
        assert spill_of(con) == tmp_path / "duck's"
    finally:
        con.close()


def test_delivery_query_leaves_no_spill_folder(tmp_path):
    ws = workspace([order("o1", start="2026-01-01")], [rate(100)], [delivery("2026-02-01", 60)])
    ws.folder = tmp_path
    rows = delivery_query(ws, period("2026"), "SELECT delivery_row, order_id FROM g")
    assert rows["order_id"].tolist() == ["o1"]
    assert list((tmp_path / CACHE_DIR).iterdir()) == []
