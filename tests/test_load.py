"""Loading a data folder: canonical tables, the load report, Danish error lines, privacy and the cache."""

import hashlib
import importlib
import os
from pathlib import Path

import pandas as pd
import pytest

from bitanalysis import ValidationError, load
from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.core.privacy import pseudonymise
from bitanalysis.core.schema import DTYPES, compact, concat, conform
from bitanalysis.io.validate import remove_duplicates
from bitanalysis.workspace.cache import CACHE_DIR, file_hashes
from bitanalysis.workspace.sensitive import sensitive_texts

from .conftest import TEST_KEY, copy_sample

MAPPING = """
[formats]
date_format = "auto"
[orders]
files = "bevillinger.csv"
[rates]
files = "takster.csv"
[deliveries]
files = "dokumentation_*.csv"
[assessments]
files = "udredninger.csv"
[budget]
files = "budget.csv"
"""

FILES = {
    "bevillinger.csv": "Bevillinger fra Sensum\n\nBevillingsID;CPR;LeverandørID;Paragraf;Ydelse;Temaer;IndsatsStartDato;"
    "IndsatsSlutDato;Timer pr. uge;Takstniveau;Tillæg;Sagsbehandler\n"
    "BEV-1;010190-1234;004512;§ 85;Socialpædagogisk støtte;Egenomsorg, Samfundsliv;01-01-2026;;7,5;Timetakst;Nej;Hanne Hansen\n"
    "BEV-2;020285-4321;004512;SEL-108-1;Ophold;Egenomsorg;15.01.2026;31-03-2026;;Niveau 2;Ja;Hanne Hansen\n"
    "BEV-3;020285-4321;004512;§ 85;Socialpædagogisk støtte;Egenomsorg;01-04-2026;31-12-9999;2;Timetakst;Nej;Hanne Hansen\n",
    "takster.csv": "TilbudsID;Takstniveau;Beskrivelse;Takst;Enhed;Gyldig fra;Gyldig til;Timer pr. uge fra;Timer pr. uge til;Indeholder\n"
    "004512;Timetakst;Timetakst §85;kr. 600,00;pr. time;01-01-2026;31-12-2026;0;40;\n"
    "004512;Niveau 2;Døgntakst niveau 2;2.347,79;pr. døgn;01-01-2026;31-12-2026;5,5;10;Socialpædagogisk støtte\n",
    "dokumentation_2026-01.csv": "CPR;Dato;Varighed;TilbudsID;Ydelse;Medarbejder;Notat\n"
    "010190-1234;05-01-2026;1:30;004512;Socialpædagogisk støtte;Søren Ærø;Hjælp til indkøb\n"
    "010190-1234;05-01-2026;1:30;004512;Socialpædagogisk støtte;Søren Ærø;Hjælp til indkøb\n"
    "010190-1234;31-01-2026;45;004512;;Søren Ærø;Samtale\n",
    "dokumentation_2026-02.csv": "CPR;Dato;Varighed;TilbudsID;Ydelse;Medarbejder;Notat\n"
    "010190-1234;31-01-2026;45;004512;;Søren Ærø;Samtale\n"
    "010190-1234;02-02-2026;60;004512;Socialpædagogisk støtte;Søren Ærø;Tøjvask\n",
    "udredninger.csv": "CPR;Udredningsdato;Tema;Funktionsevneniveau;Støttebehovsniveau\n"
    "010190-1234;10-12-2025;Egenomsorg;Moderat;Moderat\n010190-1234;10-12-2025;Samfundsliv;Ikke vurderet;Moderat\n",
    "budget.csv": "År;Område;Budget (kr.)\n2026;SEL §85;1.000.000\n2026;SEL §108;2.500.000\n2026;I alt;3.500.000\n",
}


def folder(tmp_path: Path, changes: dict[str, str] | None = None, encoding: str = "cp1252") -> Path:
    """A tiny data folder written as the case systems write it; `changes` replaces whole files."""
    (tmp_path / "bitanalysis.toml").write_text(MAPPING, encoding="utf-8")
    for name, text in {**FILES, **(changes or {})}.items():
        (tmp_path / name).write_bytes(text.encode(encoding))
    return tmp_path


def cache_text(path: Path) -> str:
    """Everything a cache file holds, as text: the cells of a Parquet file (its bytes are compressed), else the file."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return frame.to_csv() + " ".join(map(str, frame.columns))
    return path.read_text(encoding="utf-8")


def pseudonym(cpr: str) -> str:
    return pseudonymise(pd.Series([cpr]), TEST_KEY)[0][0]


def test_tables_have_contract_columns_and_values(tmp_path):
    ws = load(folder(tmp_path))
    for table, dtypes in DTYPES.items():
        frame = getattr(ws, table)
        assert list(frame.columns)[: len(dtypes)] == list(dtypes), table
    o = ws.orders.set_index("order_id")
    assert o.at["BEV-1", "citizen_id"] == pseudonym("0101901234")
    assert o.at["BEV-1", "provider_id"] == "004512"  # leading zeros kept
    assert o.at["BEV-1", "paragraph"] == "SEL §85"
    assert o.at["BEV-2", "paragraph"] == "SEL §108"
    assert o.at["BEV-1", "hours_per_week"] == 7.5
    assert list(o.at["BEV-1", "themes"]) == ["Egenomsorg", "Samfundsliv"]  # a list cell, as Parquet gives it back
    assert o.at["BEV-2", "start_date"] == pd.Timestamp("2026-01-15")
    assert pd.isna(o.at["BEV-1", "end_date"])
    assert pd.isna(o.at["BEV-3", "end_date"])  # 31-12-9999 means open-ended
    assert bool(o.at["BEV-2", "is_addon"]) and not bool(o.at["BEV-1", "is_addon"])
    r = ws.rates.set_index("rate_level")
    assert r.at["Niveau 2", "amount"] == 2347.79 and r.at["Niveau 2", "unit"] == "day"
    assert r.at["Timetakst", "amount"] == 600 and r.at["Timetakst", "unit"] == "hour"
    assert list(r.at["Niveau 2", "includes"]) == ["Socialpædagogisk støtte"]
    assert ws.assessments["level"].tolist()[0] == 2 and pd.isna(ws.assessments["level"].tolist()[1])
    assert ws.citizens.set_index("citizen_id").at[pseudonym("0101901234"), "birth_year"] == 1990


def test_duplicates_across_exports_removed_and_counted(tmp_path):
    ws = load(folder(tmp_path))
    # 5 rows read; the row of 31-01 repeated in the February export is removed; the two identical
    # visits inside the January file are both kept (they are two visits, not an overlap of exports).
    assert ws.deliveries["minutes"].sum() == 90 + 90 + 45 + 60
    rep = ws.load_report.files.set_index("file")
    assert rep.at["dokumentation_2026-02.csv", "duplicates_removed"] == 1
    assert rep.at["dokumentation_2026-01.csv", "duplicates_removed"] == 0


def test_totals_row_skipped_and_counted(tmp_path):
    ws = load(folder(tmp_path))
    assert ws.budget["amount"].sum() == 3_500_000
    assert ws.load_report.files.set_index("file").at["budget.csv", "totals_skipped"] == 1


def test_every_row_accounted_for(tmp_path):
    ws = load(folder(tmp_path, {"udredninger.csv": FILES["udredninger.csv"] + "010190-1234;31-02-2026;Egenomsorg;Let;Let\n"}))
    f = ws.load_report.files
    assert (f.rows_read == f.totals_skipped + f.rows_rejected + f.duplicates_removed + f.rows_accepted).all()
    for table in ("orders", "rates", "deliveries", "assessments", "budget"):
        assert f.loc[f.table == table, "rows_accepted"].sum() == len(getattr(ws, table)), table


def test_staff_names_and_notes_are_not_loaded(tmp_path):
    ws = load(folder(tmp_path))
    text = " ".join(str(v) for t in ws.tables().values() for v in t.astype(str).to_numpy().ravel())
    assert "Søren" not in text and "Hanne" not in text and "indkøb" not in text


BROKEN = {
    "bevillinger.csv": FILES["bevillinger.csv"].replace("01-01-2026;;7,5", "31-02-2026;;syv"),
    "udredninger.csv": "CPR;Udredningsdato;Funktionsevneniveau\n010190-1234;10-12-2025;Moderat\n",
    "takster.csv": FILES["takster.csv"]
    + "004512;Niveau 2;Døgntakst niveau 2;2.400,00;pr. døgn;01-06-2026;31-12-2026;5,5;10;\n"
    + "004512;Kørsel;Kørsel;3,73;kr. pr. km;01-01-2026;31-12-2026;;;\n"
    + "004512;Niveau 3;Døgntakst niveau 3;2.262;kr. pr. md.;01-01-2026;31-12-2026;10,5;20;\n",
}


def test_broken_copy_gives_one_precise_danish_line_per_problem(tmp_path):
    ws = load(folder(tmp_path, BROKEN))
    errors = ws.load_report.errors
    msgs = errors["message"].tolist()

    def line(**where) -> str:
        hit = errors
        for k, v in where.items():
            hit = hit[hit[k] == v]
        assert len(hit) == 1, (where, msgs)
        return hit["message"].iloc[0]

    assert "række 4, kolonne 'IndsatsStartDato': '31-02-2026' er ikke en gyldig dato" in line(
        file="bevillinger.csv", column="IndsatsStartDato"
    )
    assert "dd-mm-åååå)" in line(file="bevillinger.csv", column="IndsatsStartDato")
    assert "række 4, kolonne 'Timer pr. uge': 'syv' er ikke et gyldigt tal" in line(file="bevillinger.csv", column="Timer pr. uge")
    assert "kolonnen 'Tema' mangler" in line(file="udredninger.csv")
    conflict = line(file="takster.csv", row=3)
    assert "række 3" in conflict and "række 4" in conflict and "2.347,79 kr." in conflict and "2.400,00 kr." in conflict
    assert "'kr. pr. km' er ikke en takstenhed" in line(file="takster.csv", row=5)
    assert "angiver enheden 'pr. døgn/dag', men enhedskolonnen siger 'pr. måned'" in line(file="takster.csv", row=6)
    assert len(errors) == 6
    # lenient: the bad rows are left out, and counted
    assert "BEV-1" not in ws.orders["order_id"].tolist()
    assert set(ws.rates["rate_level"]) == {"Timetakst"}
    assert ws.assessments.empty


def test_strict_raises_with_the_error_table(tmp_path):
    with pytest.raises(ValidationError) as info:
        load(folder(tmp_path, BROKEN), strict=True)
    assert len(info.value.errors) == 6
    assert "31-02-2026" in str(info.value)


def test_no_cpr_in_tables_errors_or_cache(tmp_path):
    bad_cpr = (
        FILES["dokumentation_2026-01.csv"]
        + "010190-1234;xx-01-2026;45;004512;;Søren;Samtale\n"
        + "0101901234x;05-01-2026;45;004512;;Søren;\n"
    )
    ws = load(folder(tmp_path, {"dokumentation_2026-01.csv": bad_cpr}))
    assert len(ws.load_report.errors) == 2
    blobs = [t.astype(str).to_csv() for t in ws.tables().values()] + [ws.load_report.errors.to_csv(), ws.load_report.files.to_csv()]
    blobs += [cache_text(p) for p in (tmp_path / CACHE_DIR).rglob("*") if p.is_file()]
    for blob in blobs:
        assert not CPR_PATTERN.search(blob), blob[:200]
    errors = ws.load_report.errors.set_index("column")
    assert pseudonym("0101901234") in errors.at["Dato", "message"]  # errors name the pseudonym, never the CPR
    assert "række 6, kolonne 'CPR': cellen er ikke et CPR-nummer" in errors.at["CPR", "message"]


def test_cache_reused_when_unchanged_and_refreshed_when_changed(tmp_path, monkeypatch):
    data = folder(tmp_path)
    first = load(data)
    loader = importlib.import_module("bitanalysis.workspace.load")

    calls = []
    original = loader.read_source
    monkeypatch.setattr(loader, "read_source", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    second = load(data)
    assert calls == []
    pd.testing.assert_frame_equal(first.deliveries, second.deliveries)
    (data / "budget.csv").write_bytes(FILES["budget.csv"].replace("1.000.000", "1.100.000").encode("cp1252"))
    third = load(data)
    assert calls == ["budget.csv"]
    assert third.budget["amount"].sum() == 3_600_000


def test_snapshot_gives_the_same_tables_with_delivery_rows_read_only_when_used(tmp_path):
    data = folder(tmp_path)
    first, second = load(data), load(data)
    assert second.deliveries_file is not None and second._deliveries is None  # still in Parquet
    assert second.delivery_rows() == len(first.deliveries) == 4
    for table in first.tables():
        pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table), check_dtype=True, obj=table)
    pd.testing.assert_frame_equal(first.load_report.files, second.load_report.files, check_dtype=False)
    pd.testing.assert_frame_equal(first.load_report.errors, second.load_report.errors, check_dtype=False)
    assert second._deliveries is not None  # read on first use


def test_snapshot_not_used_after_a_file_or_the_key_changes(tmp_path):
    data = folder(tmp_path)
    load(data)
    changed = FILES["dokumentation_2026-02.csv"].replace("02-02-2026;60", "02-02-2026;90")
    (data / "dokumentation_2026-02.csv").write_bytes(changed.encode("cp1252"))
    assert load(data).deliveries["minutes"].sum() == 90 + 90 + 45 + 90
    other_key = load(data, key=b"another key")
    assert not set(other_key.orders["citizen_id"]) & set(load(data).orders["citizen_id"])
    assert len(list((data / CACHE_DIR).glob("workspace-*"))) <= 3  # old snapshots are pruned


def test_sensitive_texts_are_cached_per_file_without_cpr_numbers(tmp_path):
    note = "Besøg hos 010190-1234 sammen med kontaktpersonen"
    data = folder(
        tmp_path,
        {
            "dokumentation_2026-01.csv": "CPR;Dato;Varighed;TilbudsID;Ydelse;Medarbejder;Notat\n"
            f"010190-1234;05-01-2026;1:30;004512;S;Søren Ærø;{note}\n"
        },
    )
    found = sensitive_texts(data)
    assert "Søren Ærø" in found and "Besøg hos" in found and "sammen med kontaktpersonen" in found
    stored = list((data / CACHE_DIR).glob("*.sensitive.json"))
    assert stored and not any(CPR_PATTERN.search(p.read_text(encoding="utf-8")) for p in stored)
    (data / "dokumentation_2026-02.csv").write_bytes(FILES["dokumentation_2026-02.csv"].replace("Søren Ærø", "Ib Olsen").encode("cp1252"))
    assert "Ib Olsen" in sensitive_texts(data)


def test_file_hashes_follow_changed_files(tmp_path):
    data = folder(tmp_path)
    load(data)
    before = file_hashes(data)
    assert set(before) == set(FILES) | {"bitanalysis.toml"}  # the cache left out
    assert before["budget.csv"] == hashlib.sha256(FILES["budget.csv"].encode("cp1252")).hexdigest()
    (data / "budget.csv").write_bytes(b"changed")
    assert file_hashes(data)["budget.csv"] == hashlib.sha256(b"changed").hexdigest()


def test_a_file_is_read_for_its_hash_once_while_its_size_and_time_stay_as_recorded(tmp_path, monkeypatch):
    import os
    import time

    from bitanalysis.workspace import cache as _cache

    data = folder(tmp_path)
    files = [p for p in data.iterdir() if p.is_file()]
    past = time.time() - 60
    for p in files:
        os.utime(p, (past, past))  # changed a minute ago: safe to record
    first = load(data)
    read: list[str] = []
    real = _cache.file_hash
    monkeypatch.setattr(_cache, "file_hash", lambda p: read.append(p.name) or real(p))
    again = load(data)
    assert read == [] and again.file_hashes == first.file_hashes  # nothing read again: the recorded hashes
    budget = data / "budget.csv"
    budget.write_bytes(budget.read_bytes().replace(b"\n", b"\r\n", 1))  # another size and time: read again
    changed = load(data)
    assert read == ["budget.csv"] and changed.file_hashes[budget] == hashlib.sha256(budget.read_bytes()).hexdigest()
    assert load(data).file_hashes[budget] == changed.file_hashes[budget] and read == ["budget.csv", "budget.csv"]  # too new to record
    os.utime(budget, (past, past))
    load(data)
    load(data)
    assert read == ["budget.csv"] * 3  # recorded once old enough, then read no more
    stored = (data / CACHE_DIR / _cache.HASHES).read_text(encoding="utf-8")
    assert not any(p.name in stored or p.stem in stored for p in files)  # recorded by a keyed hash of the path, never its name


def test_without_the_cache_every_file_is_read_for_its_hash(tmp_path, monkeypatch):
    from bitanalysis.workspace import cache as _cache

    data = folder(tmp_path)
    load(data)
    read: list[str] = []
    real = _cache.file_hash
    monkeypatch.setattr(_cache, "file_hash", lambda p: read.append(p.name) or real(p))
    load(data, cache=False)
    assert sorted(read) == sorted(p.name for p in data.iterdir() if p.is_file() and p.name != "bitanalysis.toml")


def realdata_load(tmp_path: Path, folder_: Path, mapping: str):
    (tmp_path / "m.toml").write_text(mapping, encoding="utf-8")
    return load(folder_, mapping=tmp_path / "m.toml", cache=False)


RATES_MAPPING = """
[rates]
files = "{file}"
[rates.columns]
provider_id = "provider"
rate_level = "{level}"
label = "{label}"
amount = "{amount}"
unit = "rate_unit"
[rates.constants]
valid_from = "01-01-2024"
valid_to = "31-12-2024"
"""


def test_real_rate_sheet_selma(tmp_path, realdata):
    ws = realdata_load(
        tmp_path,
        realdata / "rates",
        RATES_MAPPING.format(
            file="selma_mariehjem_takster_2024.csv", level="level_as_published", label="offer_label_as_published", amount="amount_raw"
        ),
    )
    r = ws.rates.set_index("rate_level")
    assert (r.at["Døgntakst 1", "amount"], r.at["Døgntakst 1", "unit"]) == (3234, "day")
    assert (r.at["Timepris", "amount"], r.at["Timepris", "unit"]) == (600, "hour")
    errors = ws.load_report.errors[ws.load_report.errors["table"] == "rates"]
    assert len(errors) == 1  # the driving rate per km: reported, not guessed
    assert "række 13, kolonne 'rate_unit': 'kr. pr. km' er ikke en takstenhed" in errors["message"].iloc[0]


def test_real_rate_sheet_team_golaa_two_amounts_in_one_cell(tmp_path, realdata):
    ws = realdata_load(
        tmp_path,
        realdata / "rates",
        RATES_MAPPING.format(
            file="team_golaa_takstniveauer_2024.csv",
            level="level_as_published",
            label="level_description_as_published",
            amount="amount_excl_incl_6pct_moms_raw",
        ),
    )
    assert ws.rates.set_index("rate_level").at["Grundtakst 1", "amount"] == 2038  # "Kr. 2.038/2160": excl. VAT
    # Adults and children share a level name with different amounts: a conflict naming both rows, never "last one wins".
    conflicts = ws.load_report.errors[ws.load_report.errors["message"].str.contains("to forskellige takster")]
    grund = conflicts[conflicts["message"].str.contains("'Grundtakst'")]["message"].iloc[0]
    assert "2.527,00 kr." in grund and "2.557,00 kr." in grund and "række 2" in grund and "række 3" in grund


def test_real_rate_sheet_lundebo_label_contradicts_unit(tmp_path, realdata):
    ws = realdata_load(
        tmp_path,
        realdata / "rates",
        RATES_MAPPING.format(
            file="lundebo_soroe_2024.csv", level="offer_label_as_published", label="offer_label_as_published", amount="amount_raw"
        ),
    )
    errors = ws.load_report.errors[ws.load_report.errors["table"] == "rates"]["message"].tolist()
    assert len(errors) == 1 and "række 2" in errors[0] and "'pr. døgn/dag'" in errors[0] and "'pr. måned'" in errors[0]
    assert sorted(ws.rates["amount"]) == [250, 393.76]


def test_real_statistics_denmark_file_header_and_totals_row(tmp_path, realdata):
    ws = realdata_load(
        tmp_path,
        realdata / "messy",
        """
[budget]
files = "statbank_OFF29_2012_titlerows_crlf.csv"
constants = { year = 2012 }
columns = { area = "_kolonne1", amount = "2012" }
""",
    )
    b = ws.budget.set_index("area")
    assert b.at["1. Generelle offentlige tjenester", "amount"] == 166042
    assert "1-10 I alt" not in b.index
    assert ws.load_report.files.set_index("table").at["budget", "totals_skipped"] == 1


def test_real_latin1_finance_act_file(tmp_path, realdata):
    ws = realdata_load(
        tmp_path,
        realdata / "messy",
        """
[budget]
files = "oes_cs_finanslov_2012_latin1.csv"
constants = { year = 2010 }
columns = { area = "Paragraf, Hovedområde", amount = "2010" }
""",
    )
    b = ws.budget.set_index("area")
    assert b.at["01 Dronningen", "amount"] == 73.7
    assert "021 Årpenge mv." in b.index


# --- the sample municipality ------------------------------------------------------------------------------------

import shutil  # noqa: E402

import openpyxl  # noqa: E402

from bitanalysis.cli import main  # noqa: E402

from .conftest import SAMPLE  # noqa: E402


def test_sample_loads_every_table_with_the_contract_columns(sample_ws):
    for table, dtypes in DTYPES.items():
        frame = getattr(sample_ws, table)
        assert len(frame) > 0 or table == "providers", table  # the sample names its providers by id: no providers table
        assert list(frame.columns)[: len(dtypes)] == list(dtypes), table
        for column, dtype in dtypes.items():
            assert str(frame[column].dtype) == str(pd.Series(dtype=dtype).dtype), (table, column)
    assert len(sample_ws.load_report.errors) == 0
    assert sample_ws.load_report.files["duplicates_removed"].sum() > 0  # the overlapping September/October exports
    assert sample_ws.load_report.files["totals_skipped"].sum() == 2  # the budget's "I alt" rows


def test_no_cpr_anywhere_in_the_loaded_sample_its_cache_or_errors(sample_ws):
    for table, frame in sample_ws.tables().items():
        for column in frame.columns:
            text = frame[column].astype(str)
            assert not text.str.contains(CPR_PATTERN).any(), (table, column)
    for path in (p for p in (SAMPLE / CACHE_DIR).rglob("*") if p.is_file()):
        assert not CPR_PATTERN.search(cache_text(path)), path
    assert not sample_ws.load_report.errors["message"].str.contains(CPR_PATTERN).any()


def _header_columns(ws) -> dict[str, int]:
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value in ("BevillingsID", "TilbudsID", "CPR"))
    return header, {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}


def test_broken_copy_of_the_sample(tmp_path, sample_ws):
    data = copy_sample(tmp_path / "broken")  # with the sample's cache (sample_ws made it): only the damaged files are parsed
    wb = openpyxl.load_workbook(data / "bevillinger.xlsx")
    ws = wb["Bevillinger"]
    header, cols = _header_columns(ws)
    ws.cell(header + 3, cols["IndsatsStartDato"], "31-02-2026")  # Excel row 7: an impossible date
    ws.cell(header + 5, cols["Timer pr. uge"], "syv")  # Excel row 9: text in a number column
    wb.save(data / "bevillinger.xlsx")
    wb = openpyxl.load_workbook(data / "udredninger.xlsx")
    wb["VUM"].cell(1, 3, "Emne")  # the required column 'Tema' is gone
    wb.save(data / "udredninger.xlsx")
    rate_file = sorted((data / "takster").glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(rate_file)
    ws = wb["2026"]
    header, cols = _header_columns(ws)
    first = [ws.cell(header + 1, c).value for c in range(1, ws.max_column + 1)]
    second = list(first)
    second[cols["Takst"] - 1] = 99999  # a second rate for the same level and year with another amount
    km = list(first)
    km[cols["Takstniveau"] - 1], km[cols["Enhed"] - 1], km[cols["Beskrivelse"] - 1] = "Kørsel", "kr. pr. km", "Kørsel"
    ws.append(second)
    ws.append(km)
    conflict_row, km_row = ws.max_row - 1, ws.max_row
    wb.save(rate_file)

    errors = load(data, key=TEST_KEY).load_report.errors
    where = {(e.file, e.sheet, e.column): e.message for e in errors.itertuples()}
    # 5, and the 6 indsatsliste rows of the two rejected orders (BEV-000003: 2 tasks, BEV-000005: 4), now without an order
    assert len(errors) == 11, errors["message"].tolist()
    assert (
        "række 7, kolonne 'IndsatsStartDato': '31-02-2026' er ikke en gyldig dato"
        in where[("bevillinger.xlsx", "Bevillinger", "IndsatsStartDato")]
    )
    assert "række 9, kolonne 'Timer pr. uge': 'syv' er ikke et gyldigt tal" in where[("bevillinger.xlsx", "Bevillinger", "Timer pr. uge")]
    assert "kolonnen 'Tema' mangler" in where[("udredninger.xlsx", "VUM", "Tema")]
    rel = rate_file.relative_to(data).as_posix()
    conflict = where[(rel, "2026", "Takst")]
    assert f"række {header + 1}" in conflict and f"række {conflict_row}" in conflict and "99.999,00 kr." in conflict
    assert f"række {km_row}, kolonne 'Enhed': 'kr. pr. km' er ikke en takstenhed" in where[(rel, "2026", "Enhed")]
    assert main(["validate", str(data)]) == 1
    assert main(["validate", str(data), "--lenient"]) == 0


# --- the edges real exports have (issue 12) -------------------------------------------------------------------


def test_names_that_start_like_a_total_are_real_rows_and_a_total_in_the_cpr_column_is_skipped(tmp_path):
    changes = {
        "takster.csv": FILES["takster.csv"]
        + "004512;Niveau 3;Samlet døgntakst;3.000,00;pr. døgn;01-01-2026;31-12-2026;10,5;20;\n;;I alt;5.947,79;;;;;;\n",
        "bevillinger.csv": FILES["bevillinger.csv"]
        + "BEV-4;020285-4321;004512;§ 85;Samlet bostøtte;Egenomsorg;01-05-2026;;2;Timetakst;Nej;Total Care ApS\n",
        "dokumentation_2026-02.csv": FILES["dokumentation_2026-02.csv"] + "I alt;;165;;;;\n",
    }
    ws = load(folder(tmp_path, changes))
    assert "Niveau 3" in set(ws.rates["rate_level"]) and "BEV-4" in set(ws.orders["order_id"])
    assert ws.orders.set_index("order_id").at["BEV-4", "service"] == "Samlet bostøtte"
    rep = ws.load_report.files.set_index("file")
    assert rep.at["takster.csv", "totals_skipped"] == 1 and rep.at["takster.csv", "rows_accepted"] == 3
    assert rep.at["dokumentation_2026-02.csv", "totals_skipped"] == 1
    assert rep.at["dokumentation_2026-02.csv", "rows_rejected"] == 0  # the label in the CPR column is no bad CPR
    assert not ws.load_report.errors["message"].str.contains("CPR").any()


def test_a_provider_id_written_as_a_number_joins_its_zero_padded_spelling(tmp_path):
    changes = {"dokumentation_2026-02.csv": FILES["dokumentation_2026-02.csv"].replace(";004512;", ";4512;")}
    ws = load(folder(tmp_path, changes))
    assert set(ws.deliveries["provider_id"]) == {"004512"}  # one provider, not a silent new one
    assert len(ws.load_report.errors) == 0


def test_two_paddings_of_one_id_are_an_error_naming_both_files(tmp_path):
    changes = {"dokumentation_2026-02.csv": FILES["dokumentation_2026-02.csv"].replace(";004512;", ";0004512;")}
    ws = load(folder(tmp_path, changes))
    message = ws.load_report.errors["message"].str.cat(sep="\n")
    assert "'004512'" in message and "'0004512'" in message and "dokumentation_2026-02.csv" in message


def test_a_rate_corrected_in_place_is_read_again_whatever_its_size_and_time(tmp_path):
    data = folder(tmp_path)
    assert load(data).rates.set_index("rate_level").at["Niveau 2", "amount"] == 2347.79
    path = data / "takster.csv"
    st = path.stat()
    path.write_bytes(path.read_bytes().replace(b"2.347,79", b"2.437,79"))  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p or rsync -t leave it
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert load(data).rates.set_index("rate_level").at["Niveau 2", "amount"] == 2437.79


def test_repeated_identical_rate_rows_load_as_one_price_and_a_differing_band_is_a_conflict(tmp_path):
    repeated = "004512;Niveau 2;Døgntakst niveau 2;2.347,79;pr. døgn;01-03-2026;30-04-2026;5,5;10;Socialpædagogisk støtte\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ws = load(folder(tmp_path / "a", {"takster.csv": FILES["takster.csv"] + repeated}))
    assert len(ws.load_report.errors) == 0
    other_band = repeated.replace(";5,5;10;", ";5;10;")
    ws = load(folder(tmp_path / "b", {"takster.csv": FILES["takster.csv"] + other_band}))
    assert ws.load_report.errors["message"].str.contains("to forskellige takster i overlappende perioder").sum() == 1
    assert "(5,5–10,0 timer/uge)" in ws.load_report.errors["message"].iloc[0]  # the rows differ only in their band
    assert ws.load_report.files.set_index("file").at["takster.csv", "rows_rejected"] == 2  # both rows, never "last one wins"


def test_a_cpr_number_in_a_text_column_is_refused_and_never_loaded(tmp_path):
    changes = {
        "dokumentation_2026-02.csv": FILES["dokumentation_2026-02.csv"].replace(";Socialpædagogisk støtte;", ";Støtte til 020285 4321;")
    }
    ws = load(folder(tmp_path, changes))
    errors = ws.load_report.errors
    hit = errors[errors["message"].str.contains("ser ud til at indeholde et CPR-nummer")]
    assert len(hit) == 1 and hit["value"].iloc[0] == "(skjult)" and "020285" not in hit["message"].iloc[0]
    blobs = [t.astype(str).to_csv() for t in ws.tables().values()] + [errors.to_csv()]
    blobs += [cache_text(p) for p in (tmp_path / CACHE_DIR).rglob("*") if p.is_file()]
    assert not any(CPR_PATTERN.search(b) for b in blobs)


def test_a_needed_column_named_twice_is_an_error_naming_both_unless_the_mapping_chooses(tmp_path):
    twice = (
        FILES["bevillinger.csv"]
        .replace("Timer pr. uge;Takstniveau", "Timer pr. uge;Timer pr. uge")
        .replace(";7,5;Timetakst;", ";7,5;8;")
        .replace(";;Niveau 2;", ";;3;")
        .replace(";2;Timetakst;", ";2;4;")
    )
    (tmp_path / "a").mkdir()
    ws = load(folder(tmp_path / "a", {"bevillinger.csv": twice}))
    message = ws.load_report.errors["message"].str.cat(sep="\n")
    assert "'Timer pr. uge' står to gange" in message and "'Timer pr. uge (2)'" in message
    chosen = MAPPING.replace('files = "bevillinger.csv"', 'files = "bevillinger.csv"\ncolumns = { hours_per_week = "Timer pr. uge (2)" }')
    (tmp_path / "b").mkdir()
    data = folder(tmp_path / "b", {"bevillinger.csv": twice})
    (data / "bitanalysis.toml").write_text(chosen, encoding="utf-8")
    hours = load(data).orders.set_index("order_id")["hours_per_week"]
    assert hours.to_dict() == {"BEV-1": 8.0, "BEV-2": 3.0, "BEV-3": 4.0}


def test_two_note_columns_load_and_both_reach_the_guard(tmp_path):
    notes = FILES["dokumentation_2026-01.csv"].replace("Medarbejder;Notat", "Notat;Notat").replace("Søren Ærø;", "Aftalt med lægen;")
    data = folder(tmp_path, {"dokumentation_2026-01.csv": notes})
    assert len(load(data).load_report.errors) == 0
    texts = sensitive_texts(data)
    assert {"Aftalt med lægen", "Hjælp til indkøb"} <= texts


def test_an_empty_data_folder_says_which_tables_have_no_files(tmp_path):
    ws = load(tmp_path)
    assert set(ws.load_report.errors["table"]) >= {"orders", "rates", "deliveries", "assessments"}
    assert ws.load_report.errors["message"].str.contains("ingen fil fundet").all()


def test_a_damaged_cache_file_is_dropped_rebuilt_and_noted(tmp_path, capsys):
    data = folder(tmp_path)
    first = load(data)
    for p in (data / CACHE_DIR).rglob("*.parquet"):  # every cached table cut in half, as a full disk leaves it
        p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
    again = load(data)
    assert "beskadiget cachefil" in capsys.readouterr().err
    pd.testing.assert_frame_equal(first.orders, again.orders)
    assert again.delivery_rows() == first.delivery_rows()
    load(data)  # and the rebuilt cache reads back without a note
    assert "beskadiget" not in capsys.readouterr().err


def test_a_row_repeated_across_exports_with_its_id_as_a_number_or_its_service_in_other_case_is_removed_once(tmp_path):
    jan = FILES["dokumentation_2026-01.csv"].replace("31-01-2026;45;004512;;", "31-01-2026;45;004512;Samtale;")
    feb = FILES["dokumentation_2026-02.csv"].replace("31-01-2026;45;004512;;", "31-01-2026;45;4512;  SAMTALE;")
    ws = load(folder(tmp_path, {"dokumentation_2026-01.csv": jan, "dokumentation_2026-02.csv": feb}))
    assert ws.deliveries["minutes"].sum() == 90 + 90 + 45 + 60  # the repeated 45 minutes counted once
    assert ws.load_report.files.set_index("file").at["dokumentation_2026-02.csv", "duplicates_removed"] == 1


def test_a_file_that_cannot_be_opened_is_an_input_error_naming_it(tmp_path, monkeypatch):
    import bitanalysis.workspace.cache as cache
    from bitanalysis import InputError

    shutil.copytree(SAMPLE, tmp_path / "data", ignore=shutil.ignore_patterns(".bitanalysis-cache"))

    def no_access(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(cache, "file_hash", no_access)
    with pytest.raises(InputError, match=r"bevillinger\.xlsx: filen kan ikke læses"):
        load(tmp_path / "data")
    with pytest.raises(InputError, match="findes ikke"):
        load(tmp_path / "findes-ikke")


def test_a_source_that_loses_rows_is_unusable_but_an_empty_one_of_another_layout_only_reported(tmp_path):
    stray = {"dokumentation_gammel.csv": "Dato;Tekst\n"}  # a header only, no documentation columns: nothing to lose
    ws = load(folder(tmp_path, stray), cache=False)
    assert ws.load_report.unusable(["deliveries"]) == []
    assert ws.load_report.errors["file"].eq("dokumentation_gammel.csv").any()  # still said, in the error table
    missing = {"udredninger.csv": "CPR;Udredningsdato;Funktionsevneniveau\n010190-1234;10-12-2025;Moderat\n"}
    (tmp_path / "b").mkdir()
    lines = load(folder(tmp_path / "b", missing), cache=False).load_report.unusable(["assessments", "orders"])
    assert len(lines) == 1 and "udredninger.csv" in lines[0] and "kolonnen 'Tema' mangler" in lines[0]


# --- wide layouts, sheet lists and values from the sheet's or file's name ---------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with the given sheets, rows written as given (None: an empty cell)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


WIDE_RATES = """
[rates]
files = "takster.xlsx"
sheet = ["Takster 2024", "takster 2025 ", "Takster 2026"]   # case and spacing ignored; 2026 is not in the workbook
[rates.wide]
columns = "Takst *"
value = "amount"
key = "rate_level"
key_pattern = 'Takst\\s*(\\d+)'
[rates.from_name]
year = '(\\d{4})'
"""

WIDE_SHEET = [
    ["Takster for 2024"],
    ["TilbudsID", "Enhed", "År", "Takst 1", "Takst 2", "Takst 3"],
    ["004512", "pr. døgn", 2024, 1000, "1.200,50", None],  # row 3: one blank wide cell
    ["004513", "pr. døgn", 2024, 900, "abc", 1100],  # row 4: an unreadable amount under 'Takst 2'
    ["004514", "pr. døgn", 2024, None, " ", None],  # row 5: no rate at all
    ["I alt", None, None, 1900, 1200, 1100],  # row 6: a totals row
]
LONG_SHEET = [["TilbudsID", "Takstniveau", "Takst", "Enhed"], ["004512", "1", 1050, "pr. døgn"]]


def rate_errors(ws) -> list[str]:
    """The error lines of the rates table (a folder of rates only also misses the other required tables)."""
    errors = ws.load_report.errors
    return errors.loc[errors["table"] == "rates", "message"].tolist()


def wide_folder(tmp_path: Path, mapping: str = WIDE_RATES) -> Path:
    """A rate workbook with a wide sheet (levels in the headers, the year in a column), a long sheet whose year is in
    its name, and a sheet of notes the mapping does not list."""
    (tmp_path / "bitanalysis.toml").write_text(mapping, encoding="utf-8")
    notes = [["Bemærkning"], ["Skrevet af Hanne Hansen"]]
    workbook(tmp_path / "takster.xlsx", {"Takster 2024": WIDE_SHEET, "Takster 2025": LONG_SHEET, "Noter": notes})
    return tmp_path


def test_a_wide_rate_sheet_loads_one_rate_per_level_with_the_year_as_validity(tmp_path):
    ws = load(wide_folder(tmp_path), cache=False)
    got = ws.rates[["provider_id", "rate_level", "amount", "valid_from", "valid_to", "source_row"]]
    assert [tuple(r) for r in got.astype(str).itertuples(index=False)] == [
        ("004512", "1", "1000.0", "2024-01-01", "2024-12-31", "3"),
        ("004512", "2", "1200.5", "2024-01-01", "2024-12-31", "3"),
        ("004513", "1", "900.0", "2024-01-01", "2024-12-31", "4"),
        ("004513", "3", "1100.0", "2024-01-01", "2024-12-31", "4"),
        ("004512", "1", "1050.0", "2025-01-01", "2025-12-31", "2"),  # the long sheet: year from the name 'Takster 2025'
    ]
    assert set(ws.rates["source"].str.split("'").str[1]) == {"Takster 2024", "Takster 2025"}  # 'Noter' not listed
    assert "year" not in ws.rates.columns


def test_a_wide_sheet_accounts_for_every_cell_and_names_the_wide_header_in_its_errors(tmp_path):
    ws = load(wide_folder(tmp_path), cache=False)
    rep = ws.load_report.files.set_index("sheet")
    # 8 filled wide cells are 8 long rows: 4 loaded, the 'abc' rejected, the 3 of the totals row skipped; the blank cell
    # of row 3 and the row without any rate (row 5) are blank rows.
    assert rep.loc["Takster 2024", ["rows_read", "blank_rows", "totals_skipped", "rows_rejected", "rows_accepted"]].tolist() == [
        8,
        2,
        3,
        1,
        4,
    ]
    f = ws.load_report.files
    assert (f.rows_read == f.totals_skipped + f.rows_rejected + f.duplicates_removed + f.rows_accepted).all()
    (line,) = rate_errors(ws)
    assert line.startswith("takster.xlsx, ark 'Takster 2024', række 4, kolonne 'Takst 2': 'abc' er ikke et gyldigt tal")


def test_a_wide_sheet_without_a_needed_column_is_one_error_for_all_its_rows(tmp_path):
    sheet = [["Enhed", "År", "Takst 1", "Takst 2"], ["pr. døgn", 2024, 1000, 1200], ["pr. døgn", 2024, 900, None]]
    (tmp_path / "bitanalysis.toml").write_text(WIDE_RATES.replace('sheet = ["Takster 2024"', 'sheet = ["Ark"'), encoding="utf-8")
    workbook(tmp_path / "takster.xlsx", {"Ark": sheet})
    ws = load(tmp_path, cache=False)
    (line,) = rate_errors(ws)
    assert "kolonnen 'Tilbud' mangler" in line and "arkets 3 rækker er afvist" in line
    assert ws.load_report.files.loc[0, ["rows_read", "blank_rows", "rows_rejected"]].tolist() == [3, 1, 3]


def test_a_sheet_list_none_of_whose_sheets_exist_names_the_workbooks_sheets(tmp_path):
    ws = load(wide_folder(tmp_path, WIDE_RATES.replace('"Takster 2024", "takster 2025 ", ', "")), cache=False)
    (line,) = rate_errors(ws)
    assert "ingen af arkene 'Takster 2026' findes i filen; arkene hedder 'Takster 2024', 'Takster 2025', 'Noter'" in line


def test_the_cache_keeps_a_wide_mapping_apart_from_a_changed_one(tmp_path):
    first = load(wide_folder(tmp_path))
    pd.testing.assert_frame_equal(load(tmp_path).rates, first.rates)  # from the snapshot
    (tmp_path / "bitanalysis.toml").write_text(WIDE_RATES.replace("'Takst\\s*(\\d+)'", "'(Takst\\s*\\d+)'"), encoding="utf-8")
    assert set(load(tmp_path).rates["rate_level"]) == {"Takst 1", "Takst 2", "Takst 3", "1"}


def test_a_wide_budget_takes_its_years_from_the_headers(tmp_path):
    mapping = '[budget]\nfiles = "budget.csv"\n[budget.wide]\ncolumns = ["2025", "2026"]\nvalue = "amount"\nkey = "year"\n'
    (tmp_path / "bitanalysis.toml").write_text(mapping, encoding="utf-8")
    (tmp_path / "budget.csv").write_text(
        "Budget pr. paragraf\n\nOmråde;2025;2026\nSEL §85;1.000.000;1.100.000\nSEL §108;2.500.000;\nI alt;3.500.000;1.100.000\n",
        encoding="utf-8",
    )
    ws = load(tmp_path, cache=False)
    got = sorted(zip(ws.budget["year"], ws.budget["area"], ws.budget["amount"]))
    assert got == [(2025, "SEL §108", 2_500_000), (2025, "SEL §85", 1_000_000), (2026, "SEL §85", 1_100_000)]
    rep = ws.load_report.files.iloc[0]
    assert (rep.rows_read, rep.blank_rows, rep.totals_skipped, rep.rows_accepted) == (5, 1, 2, 3)


def test_a_year_in_the_file_name_dates_rates_and_a_sheets_own_column_wins(tmp_path):
    mapping = "[rates]\nfiles = \"takster_*.csv\"\n[rates.from_name]\nyear = '_(\\d{4})'\n"
    (tmp_path / "bitanalysis.toml").write_text(mapping, encoding="utf-8")
    head = "TilbudsID;Takstniveau;Takst;Enhed"
    (tmp_path / "takster_2023.csv").write_text(f"{head};Gyldig til\n004512;A;100;pr. døgn;\n004512;B;200;pr. døgn;30-06-2023\n")
    (tmp_path / "takster_2024.csv").write_text(f"{head};År\n004512;A;110;pr. døgn;2025\n004512;B;210;pr. døgn;\n")
    ws = load(tmp_path, cache=False)
    got = {(r.rate_level, r.amount): (str(r.valid_from.date()), str(r.valid_to.date())) for r in ws.rates.itertuples()}
    assert got == {
        ("A", 100): ("2023-01-01", "2023-12-31"),
        ("B", 200): ("2023-01-01", "2023-06-30"),
        ("A", 110): ("2025-01-01", "2025-12-31"),
    }
    (line,) = rate_errors(ws)  # the file's own År column wins over its name, and its empty cell is an error
    assert line == "takster_2024.csv, række 3, kolonne 'År': cellen er tom, men skal udfyldes"


def test_rates_without_validity_dates_or_a_year_still_miss_valid_from_and_an_empty_valid_to_stays_open(tmp_path):
    (tmp_path / "bitanalysis.toml").write_text('[rates]\nfiles = "t*.csv"\n', encoding="utf-8")
    (tmp_path / "t1.csv").write_text("TilbudsID;Takstniveau;Takst;Enhed\n004512;A;100;pr. døgn\n")
    (tmp_path / "t2.csv").write_text("TilbudsID;Takstniveau;Takst;Enhed;Gyldig fra;Gyldig til\n004512;B;100;pr. døgn;01-01-2024;\n")
    ws = load(tmp_path, cache=False)
    (line,) = rate_errors(ws)
    assert "t1.csv, række 1, kolonne 'Gyldig fra': kolonnen 'Gyldig fra' mangler" in line
    assert ws.rates["valid_to"].isna().all() and len(ws.rates) == 1


def test_real_rate_sheet_bogense_dated_by_its_year_column(tmp_path, realdata):
    mapping = RATES_MAPPING.format(
        file="opholdsstedet_bogense_2024.csv", level="offer_label_as_published", label="offer_label_as_published", amount="amount_raw"
    )
    mapping = mapping.split("[rates.constants]")[0] + 'year = "rate_year"\n'
    ws = realdata_load(tmp_path, realdata / "rates", mapping)
    assert len(ws.rates) == 3 and rate_errors(ws) == []
    assert (ws.rates["valid_from"] == "2024-01-01").all() and (ws.rates["valid_to"] == "2024-12-31").all()


# --- a large municipality's first load: CSV by pyarrow, compact delivery rows, duplicates by sorting ---------------------

DOC_HEADER = "CPR;Dato;Varighed;TilbudsID;Ydelse;Medarbejder;Notat\n"


@pytest.mark.parametrize(
    ("lines", "newline", "row", "blank"),
    [
        pytest.param(["ok", "ok", "bad"], "\n", 4, 0, id="no_blank_line"),
        pytest.param(["ok", "", "ok", "bad"], "\n", 5, 1, id="blank_line"),
        pytest.param(["ok", "", "", "ok", "bad", ""], "\r\n", 6, 3, id="blank_lines_crlf"),
        pytest.param(["", "ok", "bad"], "\n", 4, 1, id="blank_line_below_the_header"),
    ],
)
def test_error_lines_name_the_files_row_after_blank_lines(tmp_path, lines, newline, row, blank):
    cells = {
        "ok": "010190-1234;02-02-2026;60;004512;Tøjvask;Ib;x",
        "bad": "010190-1234;xx-02-2026;45;004512;Tøjvask;Ib;x",
        "": "",
    }
    feb = newline.join([DOC_HEADER.rstrip("\n"), *(cells[c] for c in lines)]) + newline
    ws = load(folder(tmp_path, {"dokumentation_2026-02.csv": feb}), cache=False)
    errors = ws.load_report.errors
    (message,) = errors.loc[errors["file"] == "dokumentation_2026-02.csv", "message"]
    assert f"dokumentation_2026-02.csv, række {row}, kolonne 'Dato': 'xx-02-2026' er ikke en gyldig dato" in message
    assert errors.loc[errors["file"] == "dokumentation_2026-02.csv", "row"].tolist() == [row]
    rep = ws.load_report.files.set_index("file")
    assert rep.at["dokumentation_2026-02.csv", "blank_rows"] == blank
    assert rep.at["dokumentation_2026-02.csv", "rows_rejected"] == 1
    # the good rows keep their own line numbers too
    rows = ws.deliveries.loc[ws.deliveries["source"] == "dokumentation_2026-02.csv", "source_row"].tolist()
    assert rows == [i + 2 for i, c in enumerate(lines) if c == "ok"]


def _deliveries(rows: list[tuple]) -> pd.DataFrame:
    """A canonical deliveries frame from (source, citizen, provider, date, minutes, service) rows, Excel rows from 2."""
    frame = pd.DataFrame(rows, columns=["source", "citizen_id", "provider_id", "date", "minutes", "service"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source_row"] = range(2, 2 + len(frame))
    return conform(frame, "deliveries")


DUPLICATE_ROWS = [
    ("jan.csv", "c1", "p1", "2026-01-05", 90.0, "Støtte"),  # 0 A
    ("jan.csv", "c1", "p1", "2026-01-05", 90.0, "Støtte"),  # 1 A again in its file: a second visit, kept
    ("jan.csv", "c1", "p1", "2026-01-31", 45.0, None),  # 2 B
    ("feb.csv", "c1", "p1", "2026-01-05", 90.0, "  støtte "),  # 3 A's first copy in a later file: removed
    ("feb.csv", "c1", "p1", "2026-01-05", 90.0, "STØTTE"),  # 4 A's second copy: removed
    ("feb.csv", "c1", "p1", "2026-01-05", 90.0, "Støtte"),  # 5 a third A: jan has two only, kept
    ("feb.csv", "c1", "p1", "2026-01-31", 45.0, None),  # 6 B's copy (a missing service is the same): removed
    ("feb.csv", "c1", "p1", "2026-01-31", 46.0, None),  # 7 B with other minutes: kept
    ("feb.csv", "c1", "p1", "2026-02-02", 60.0, "Tøj  vask"),  # 8 C
    ("mar.xlsx, ark 'Ark1'", "c1", "p1", "2026-02-02", 60.0, "tøj vask"),  # 9 C's copy: removed
    ("mar.xlsx, ark 'Ark2'", "c1", "p1", "2026-02-02", 60.0, "TØJ VASK"),  # 10 C again in mar.xlsx (other sheet): kept
    ("mar.xlsx, ark 'Ark1'", "c2", "p1", "2026-02-02", 60.0, "Tøj vask"),  # 11 another citizen: kept
    ("mar.xlsx, ark 'Ark1'", "c1", "p2", "2026-02-02", 60.0, "Tøj vask"),  # 12 another provider: kept
    ("mar.xlsx, ark 'Ark1'", "c1", "p1", "2026-01-05", 90.0, "Støtte"),  # 13 mar.xlsx's first A: jan has one, removed
]


def test_remove_duplicates_by_hand():
    frame = _deliveries(DUPLICATE_ROWS)
    kept, counts = remove_duplicates(frame, "deliveries")
    assert kept["source_row"].tolist() == [r + 2 for r in (0, 1, 2, 5, 7, 8, 10, 11, 12)]
    assert kept.index.tolist() == list(range(9))
    assert counts.to_dict() == {"feb.csv": 3, "mar.xlsx, ark 'Ark1'": 2}
    assert kept["service"].tolist()[3] == "Støtte"  # rows are kept as they were written, not as compared
    pd.testing.assert_frame_equal(kept, frame.iloc[[0, 1, 2, 5, 7, 8, 10, 11, 12]].reset_index(drop=True))


def test_remove_duplicates_of_a_compact_frame_is_that_of_the_plain_frame():
    frame = _deliveries(DUPLICATE_ROWS)
    plain, plain_counts = remove_duplicates(frame, "deliveries")
    small, small_counts = remove_duplicates(compact(frame), "deliveries")
    assert isinstance(small["service"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(conform(small, "deliveries"), plain)
    assert small_counts.to_dict() == plain_counts.to_dict()
    assert list(small_counts.index) == list(plain_counts.index)
    # the compact table is built file by file: the same from the files' compact frames put together
    parts = [compact(frame.iloc[i:j]) for i, j in ((0, 3), (3, 9), (9, 14))]
    joined, joined_counts = remove_duplicates(concat(parts, "deliveries"), "deliveries")
    pd.testing.assert_frame_equal(conform(joined, "deliveries"), plain)
    assert joined_counts.to_dict() == plain_counts.to_dict()


def test_remove_duplicates_without_any_and_of_an_empty_frame():
    frame = _deliveries(DUPLICATE_ROWS[:3])
    kept, counts = remove_duplicates(frame, "deliveries")
    pd.testing.assert_frame_equal(kept, frame)
    assert counts.empty
    kept, counts = remove_duplicates(compact(frame), "deliveries")
    assert counts.empty and len(kept) == 3
    kept, counts = remove_duplicates(frame.iloc[:0], "deliveries")
    assert kept.empty and counts.empty


def test_occurrence_and_repeated_by_hand():
    import numpy as np

    from bitanalysis.io.validate import _occurrence, _repeated

    files = np.array([0, 0, 0, 1, 1, 1, 1, 0, 2])
    keys = np.array([7, 7, 9, 7, 7, 7, 9, 7, 7], dtype=np.uint64)
    occurrence = _occurrence(files, keys)
    # each row's count of earlier rows of its file with its key
    assert occurrence.tolist() == [0, 1, 0, 0, 1, 2, 0, 2, 0]
    # a row is repeated when an earlier row has its key and occurrence, in any file
    assert _repeated(keys, occurrence).tolist() == [False, False, False, True, True, False, True, True, True]
    assert _occurrence(np.array([], dtype=int), np.array([], dtype=np.uint64)).tolist() == []
    assert _repeated(np.array([], dtype=np.uint64), np.array([], dtype=int)).tolist() == []
    assert _occurrence(np.array([3]), np.array([1], dtype=np.uint64)).tolist() == [0]
    assert _repeated(np.array([1], dtype=np.uint64), np.array([0])).tolist() == [False]


def _compact_deliveries(n: int = 8) -> pd.DataFrame:
    """A compact deliveries frame as the loader builds it: text columns as categories, one all missing."""
    frame = pd.DataFrame(
        {
            "citizen_id": pd.Series(["B-1", "B-2", None, "B-1", "B-3", "B-2", "B-1", "B-4"][:n], dtype="string"),
            "provider_id": pd.Series((["015466"] * 4 + ["004512"] * 4)[:n], dtype="string"),
            "date": pd.date_range("2026-01-01", periods=n).astype("datetime64[us]"),
            "minutes": [15.0 * i for i in range(n)],
            "service": pd.Series(["Støtte", None, "Tøjvask", "Støtte", None, None, "Æble", "Støtte"][:n], dtype="string"),
            "task": pd.Series([None] * n, dtype="string"),
            "source": pd.Series((["jan.csv"] * 5 + ["feb.csv"] * 3)[:n], dtype="string"),
            "source_row": pd.array(range(2, 2 + n), dtype="Int64"),
        }
    )
    return compact(frame)


@pytest.mark.parametrize("drop", [None, "task", "service"])
def test_write_rows_a_compact_table_in_row_groups_reads_back_as_its_canonical_table(tmp_path, monkeypatch, drop):
    import pyarrow.parquet as pq

    from bitanalysis.workspace import cache as _cache

    monkeypatch.setattr(_cache, "ROW_GROUP", 3)
    frame = _compact_deliveries()
    frame = frame.drop(columns=[drop]) if drop else frame
    assert isinstance(frame["citizen_id"].dtype, pd.CategoricalDtype)
    _cache.write_rows(frame, "deliveries", tmp_path / "d.parquet")
    assert pq.ParquetFile(tmp_path / "d.parquet").num_row_groups == 3  # 8 rows, 3 at a time
    back = pd.read_parquet(tmp_path / "d.parquet")
    pd.testing.assert_frame_equal(back, conform(frame, "deliveries"), check_dtype=True)
    assert back.index.equals(pd.RangeIndex(8))
    assert list(back.columns) == [*DTYPES["deliveries"], "source", "source_row"]
    # rows taken from a larger table (an index with gaps) are written as 0..n-1
    _cache.write_rows(frame.iloc[[0, 2, 5, 7]], "deliveries", tmp_path / "e.parquet")
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "e.parquet"), conform(frame.iloc[[0, 2, 5, 7]], "deliveries").reset_index(drop=True)
    )


def test_write_rows_of_a_plain_table_and_of_no_rows(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from bitanalysis.workspace import cache as _cache

    monkeypatch.setattr(_cache, "ROW_GROUP", 3)
    plain = conform(_compact_deliveries(), "deliveries")
    _cache.write_rows(plain, "deliveries", tmp_path / "p.parquet")
    assert pq.ParquetFile(tmp_path / "p.parquet").num_row_groups == 3
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "p.parquet"), plain)
    _cache.write_rows(_compact_deliveries().iloc[:0], "deliveries", tmp_path / "n.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "n.parquet"), conform(_compact_deliveries().iloc[:0], "deliveries"))


def test_write_snapshot_of_compact_deliveries_reads_back_canonical(tmp_path, monkeypatch):
    from bitanalysis import Workspace
    from bitanalysis.workspace import cache as _cache

    monkeypatch.setattr(_cache, "ROW_GROUP", 3)
    ws = Workspace.from_frames()
    ws.deliveries = _compact_deliveries()
    snapshot = tmp_path / CACHE_DIR / "workspace-test"
    assert _cache.write_snapshot(snapshot, ws) == snapshot
    back = _cache.read_snapshot(snapshot, tmp_path, {})
    assert back is not None and back.unread_deliveries() == snapshot / "deliveries.parquet"
    pd.testing.assert_frame_equal(back.deliveries, conform(_compact_deliveries(), "deliveries"))
    for table in ("orders", "rates", "assessments", "citizens", "budget"):
        pd.testing.assert_frame_equal(getattr(back, table), getattr(ws, table), obj=table)


OVERLAP = {
    "dokumentation_2026-01.csv": DOC_HEADER
    + "010190-1234;05-01-2026;1:30;015466;Socialpædagogisk støtte;Søren Ærø;Hjælp til indkøb\n"  # A
    + "010190-1234;05-01-2026;1:30;015466;Socialpædagogisk støtte;Søren Ærø;Hjælp til indkøb\n"  # A again: a second visit
    + "010190-1234;31-01-2026;45;015466;Samtale;Søren Ærø;Samtale\n",  # B
    "dokumentation_2026-02.csv": DOC_HEADER
    + "010190-1234;05-01-2026;1:30;15466;SOCIALPÆDAGOGISK  STØTTE;Ib;Kopi 1\n"  # A's copy, id as a number: removed
    + "010190-1234;05-01-2026;1:30;015466;socialpædagogisk støtte;Ib;Kopi 2\n"  # A's second copy: removed
    + "010190-1234;05-01-2026;1:30;015466; Socialpædagogisk støtte ;Ib;Kopi 3\n"  # a third A: kept
    + "010190-1234;31-01-2026;45;15466;samtale;Ib;Kopi\n"  # B's copy: removed
    + "020285-4321;02-02-2026;60;015466;Tøjvask;Ib;Tøjvask\n"  # C
    + "020285-4321;02-02-2026;60;015466;Tøjvask;Ib;Tøjvask\n",  # C again: a second visit
}


def test_first_load_leaves_the_delivery_rows_in_the_snapshot_and_equal_to_an_uncached_and_a_second_load(tmp_path, monkeypatch):
    import bitanalysis.workspace.load as loader

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    data = folder(tmp_path / "a", OVERLAP)
    seen, remove = [], loader.remove_duplicates
    monkeypatch.setattr(
        loader, "remove_duplicates", lambda frame, table: seen.append((table, frame.dtypes.to_dict())) or remove(frame, table)
    )
    first = load(data)
    delivery_dtypes = [d for t, d in seen if t == "deliveries"]
    assert len(delivery_dtypes) == 1 and all(
        isinstance(delivery_dtypes[0][c], pd.CategoricalDtype) for c in ("citizen_id", "provider_id", "service")
    )
    assert first.unread_deliveries() is not None and first.unread_deliveries().parent.parent == data / CACHE_DIR
    uncached = load(data, cache=False)
    second = load(data)
    monkeypatch.setattr(loader, "COMPACT", ())  # the rows never kept as categories: as before
    never_compact = load(folder(tmp_path / "b", OVERLAP), cache=False)
    expected = never_compact.deliveries
    assert list(expected.dtypes) == [
        pd.StringDtype(),
        pd.StringDtype(),
        "datetime64[us]",
        "float64",
        pd.StringDtype(),
        pd.StringDtype(),
        pd.StringDtype(),
        "Int64",
    ]
    # by hand: jan's three rows; feb's third A and its two C visits; the copies of A (twice) and B removed
    assert expected["source_row"].tolist() == [2, 3, 4, 4, 6, 7]
    assert expected["minutes"].tolist() == [90.0, 90.0, 45.0, 90.0, 60.0, 60.0]
    assert set(expected["provider_id"]) == {"015466"}
    assert expected["service"].tolist()[3] == "Socialpædagogisk støtte"  # stripped as parsed; the first-seen spelling is not forced
    for ws in (first, uncached, second):
        pd.testing.assert_frame_equal(ws.deliveries, expected, check_dtype=True)
        files = ws.load_report.files.set_index("file")
        assert files.at["dokumentation_2026-01.csv", "rows_read"] == 3 and files.at["dokumentation_2026-01.csv", "rows_accepted"] == 3
        assert files.at["dokumentation_2026-01.csv", "duplicates_removed"] == 0
        assert files.at["dokumentation_2026-02.csv", "rows_read"] == 6 and files.at["dokumentation_2026-02.csv", "rows_accepted"] == 3
        assert files.at["dokumentation_2026-02.csv", "duplicates_removed"] == 3
        counts = ["rows_read", "blank_rows", "totals_skipped", "rows_rejected", "duplicates_removed", "rows_accepted"]
        pd.testing.assert_frame_equal(
            ws.load_report.files[["table", "file", *counts]].reset_index(drop=True),
            never_compact.load_report.files[["table", "file", *counts]].reset_index(drop=True),
            check_dtype=False,
        )
        assert len(ws.load_report.errors) == 0
    for table in ("orders", "rates", "assessments", "citizens", "budget"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(never_compact, table), obj=table)


def test_a_second_load_in_one_process_shares_tables_and_results_only_with_the_same_mapping(tmp_path):
    import dataclasses

    from .conftest import copy_sample

    data = copy_sample(tmp_path / "data")
    first = load(data, key=TEST_KEY)
    second = load(data, key=TEST_KEY)
    assert second is not first and second.memo is first.memo  # the figures computed by one are found by the other
    pd.testing.assert_frame_equal(second.orders, first.orders)
    second.orders.loc[0, "hours_per_week"] = 99.0  # copy-on-write: the first workspace keeps its own value
    assert first.orders.loc[0, "hours_per_week"] != 99.0
    other = dataclasses.replace(first.mapping, settings={**first.mapping.settings, "price_peer_ratio": 1.5})
    third = load(data, other, key=TEST_KEY)  # another mapping (settings, cost model): nothing computed is shared
    assert third.memo is not first.memo and third.settings["price_peer_ratio"] == 1.5
