"""Providers known by name (issue 14): the providers table, names and aliases resolved to one id, Danish dates."""

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from bitanalysis import ValidationError, accounting, load, match
from bitanalysis.core.errors import safe_value
from bitanalysis.core.schema import SENSITIVE, TABLES
from bitanalysis.io.mapping import read_mapping

ORDER_HEADER = [
    "BevillingsID",
    "CPR",
    "LeverandørID",
    "LeverandørNavn",
    "Paragraf",
    "Ydelse",
    "IndsatsStartDato",
    "Timer pr. uge",
    "Takstniveau",
]
ORDERS = [
    ["B1", "010190-1234", 1042, "Caroline (Marie Hjem)", "§ 85", "Socialpædagogisk støtte", "01-01-2026", 5, "Timetakst"],
    ["B2", "020285-4321", "12", "Solhuset", "§ 85", "Socialpædagogisk støtte", "01-01-2026", 3, "Timetakst"],
]
RATES = (
    "Tilbudsnavn;Takstniveau;Takst;Enhed;Gyldig fra;Gyldig til\n"
    "caroline  (MARIE hjem);Timetakst;600,00;pr. time;01-01-2026;31-12-2026\n"
    "Solhuset;Timetakst;500,00;pr. time;01-01-2026;31-12-2026\n"
)
DELIVERIES = (
    "CPR;Dato;Varighed;Udfører\n"
    "010190-1234;05-01-2026;60;Marie Hjem\n"
    "010190-1234;06-01-2026;30;  marie   HJEM \n"  # another case and spacing
    "020285-4321;07-01-2026;45;solhuset\n"
)
PROVIDERS = 'TilbudsID;Tilbudsnavn;Andre navne;Tilbudsportalen-ID\n1042;Caroline (Marie Hjem);"Marie Hjem; MH";5555\n12;Solhuset;;7777\n'
ASSESSMENTS = "CPR;Udredningsdato;Tema;Funktionsevneniveau\n010190-1234;10-12-2025;Egenomsorg;Moderat\n"


def folder(tmp_path: Path, orders: list[list] | None = None, header: list[str] | None = None, **files: str | None) -> Path:
    """A tiny data folder read with the default mapping: orders as xlsx, the rest as csv (None leaves a file out)."""
    wb = openpyxl.Workbook()
    wb.active.append(header or ORDER_HEADER)
    for row in ORDERS if orders is None else orders:
        wb.active.append(row)
    wb.save(tmp_path / "bevillinger.xlsx")
    texts = {"takster.csv": RATES, "dokumentation.csv": DELIVERIES, "tilbud.csv": PROVIDERS, "udredninger.csv": ASSESSMENTS}
    texts |= {f"{name}.csv": text for name, text in files.items()}
    for name, text in texts.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def files(ws) -> pd.DataFrame:
    """The load report per file."""
    return ws.load_report.files.set_index("file")


def test_a_provider_by_id_by_name_and_by_alias_is_one_provider_and_the_match_pairs_its_rows(tmp_path):
    ws = load(folder(tmp_path))
    assert len(ws.load_report.errors) == 0, ws.load_report.errors["message"].tolist()
    assert set(ws.rates["provider_id"]) == {"1042", "12"}  # by name only, in other case and spacing
    assert ws.deliveries["provider_id"].tolist() == ["1042", "1042", "12"]  # by a shortened name: an alias
    assert "provider_name" not in ws.deliveries.columns  # read to resolve the provider, not kept
    assert ws.rates.set_index("provider_id").at["1042", "provider_name"] == "caroline  (MARIE hjem)"  # as given
    m = match(ws, "2026-01").set_index("order_id")
    assert m.at["B1", "delivered_hours"] == pytest.approx(1.5) and m.at["B2", "delivered_hours"] == pytest.approx(0.75)
    assert m.at["B1", "cost"] > 0 and m.at["B2", "cost"] > 0
    acc = accounting(ws, "2026-01")
    assert acc.at["matched", "rows"] == 3 and acc.at["unmatched", "rows"] == 0


def test_the_providers_table_loads_with_aliases_split_never_at_a_comma_and_survives_the_snapshot(tmp_path):
    text = "TilbudsID;Tilbudsnavn;Andre navne;Tilbudsportalen-ID\n1042;Caroline (Marie Hjem);Caroline, Marie Hjem | MH;5555\n"
    text += "12;Solhuset;;\n"
    data = folder(tmp_path, tilbud=text)
    first = load(data)
    p = first.providers.set_index("provider_id")
    assert list(p.at["1042", "aliases"]) == ["Caroline, Marie Hjem", "MH"]
    assert p.at["1042", "portal_id"] == "5555" and pd.isna(p.at["12", "portal_id"])
    assert files(first).at["tilbud.csv", "rows_accepted"] == 2
    again = load(data)  # from the snapshot
    pd.testing.assert_frame_equal(again.providers.drop(columns="aliases"), first.providers.drop(columns="aliases"))
    assert [list(a) for a in again.providers["aliases"]] == [list(a) for a in first.providers["aliases"]]


def test_the_providers_columns_and_their_aliases():
    columns = {c.name: c for c in TABLES["providers"]}
    assert list(columns) == ["provider_id", "name", "aliases", "portal_id"]
    assert columns["provider_id"].required and columns["name"].required and not columns["portal_id"].required
    assert "Navn" in SENSITIVE and "Navn" not in columns["name"].aliases  # a provider's name is no personal name


def test_a_mapping_may_name_the_providers_file(tmp_path):
    (tmp_path / "m.toml").write_text('[providers]\nfiles = "leverandører.xlsx"\n[providers.columns]\nname = "Navn på leverandør"\n')
    src = read_mapping(tmp_path / "m.toml").tables["providers"]
    assert src.sources_for("name")[0] == "Navn på leverandør"


def test_an_id_written_as_a_name_or_a_portal_id_becomes_the_providers_id(tmp_path):
    deliveries = "CPR;Dato;Varighed;TilbudsID\n010190-1234;05-01-2026;60;Marie Hjem\n010190-1234;06-01-2026;30;5555\n"
    deliveries += "010190-1234;07-01-2026;15;999\n"  # an id nobody knows
    ws = load(folder(tmp_path, dokumentation=deliveries))
    assert ws.deliveries["provider_id"].tolist() == ["1042", "1042", "999"]  # an unknown id stays, as before
    assert len(ws.load_report.errors) == 0


def test_an_unknown_name_is_a_danish_error_naming_the_nearest_names_and_the_row_is_rejected_and_counted(tmp_path):
    ws = load(folder(tmp_path, dokumentation=DELIVERIES + "010190-1234;08-01-2026;20;Marie Hjemm\n"))
    errors = ws.load_report.errors
    assert len(errors) == 1
    e = errors.iloc[0]
    assert (e.file, e.row, e.column, e.value) == ("dokumentation.csv", 5, "Tilbudsnavn", "Marie Hjemm")
    assert "tilbuddet 'Marie Hjemm' kendes ikke; nærmeste kendte navne: 'Marie Hjem'" in e.message
    assert "'Caroline (Marie Hjem)'" in e.message and "tilføj navnet som alias i tilbudstabellen" in e.message
    f = files(ws).loc["dokumentation.csv"]
    assert (f.rows_read, f.rows_rejected, f.rows_accepted) == (4, 1, 3)
    assert len(ws.deliveries) == 3
    with pytest.raises(ValidationError, match="Marie Hjemm"):
        load(tmp_path, strict=True)


def test_a_name_that_fits_two_providers_is_an_error_naming_both_ids(tmp_path):
    providers = PROVIDERS + "14;Solhuset;;\n"
    ws = load(folder(tmp_path, tilbud=providers))
    lines = ws.load_report.errors["message"].tolist()
    assert len(lines) == 2, lines  # the rate and the delivery that name Solhuset without an id
    assert "takster.csv, række 3, kolonne 'Tilbudsnavn': 'Solhuset' passer på to tilbud (12, 14)" in lines[0]
    assert all("passer på to tilbud (12, 14); skriv tilbuddets id eller gør navnet entydigt i tilbudstabellen" in m for m in lines)
    assert files(ws).at["takster.csv", "rows_rejected"] == 1 and files(ws).at["dokumentation.csv", "rows_rejected"] == 1
    assert ws.orders.set_index("order_id").at["B2", "provider_id"] == "12"  # an order with its id is not ambiguous


def test_exports_that_know_providers_by_name_only_load_without_a_providers_table(tmp_path):
    header = ["BevillingsID", "CPR", "Leverandør", "Paragraf", "Ydelse", "IndsatsStartDato", "Timer pr. uge", "Takstniveau"]
    orders = [[o[0], o[1], n, *o[4:]] for o, n in zip(ORDERS, ["Marie  Hjem", "Solhuset"])]
    rates = RATES.replace("caroline  (MARIE hjem)", "marie hjem")
    deliveries = DELIVERIES.replace("Udfører", "Tilbud")
    ws = load(folder(tmp_path, orders, header, takster=rates, dokumentation=deliveries, tilbud=None))
    assert len(ws.load_report.errors) == 0, ws.load_report.errors["message"].tolist()
    assert ws.orders["provider_id"].tolist() == ["Marie Hjem", "Solhuset"]  # the name, whitespace normalised, is the id
    assert set(ws.rates["provider_id"]) == {"Marie Hjem", "Solhuset"}
    assert ws.deliveries["provider_id"].tolist() == ["Marie Hjem", "Marie Hjem", "Solhuset"]
    m = match(ws, "2026-01")
    assert m["delivered_hours"].sum() == pytest.approx(1.5 + 0.75) and m["cost"].notna().all()


def test_an_order_given_by_id_gets_its_name_from_the_providers_table_and_a_given_name_is_kept(tmp_path):
    orders = [ORDERS[0][:3] + [None] + ORDERS[0][4:], ORDERS[1][:3] + ["Solhuset ApS"] + ORDERS[1][4:]]
    ws = load(folder(tmp_path, orders, takster=RATES.replace("Solhuset", "Solhuset ApS")))
    names = ws.orders.set_index("order_id")["provider_name"]
    assert names["B1"] == "Caroline (Marie Hjem)" and names["B2"] == "Solhuset ApS"
    assert len(ws.load_report.errors) == 0, ws.load_report.errors["message"].tolist()


def test_a_row_with_neither_provider_id_nor_name_is_an_empty_required_cell(tmp_path):
    ws = load(folder(tmp_path, dokumentation=DELIVERIES + "010190-1234;08-01-2026;20;\n"))
    assert ws.load_report.errors["message"].str.contains("række 5, kolonne 'Udfører': cellen er tom").sum() == 1


def test_the_sample_keeps_its_provider_ids_and_its_delivery_columns(sample_ws):
    assert sample_ws.providers.empty and len(sample_ws.load_report.errors) == 0
    assert "provider_name" not in sample_ws.deliveries.columns


# --- dates in messages ---------------------------------------------------------------------------------------------


def test_a_date_in_a_message_is_written_day_first():
    for value in (pd.Timestamp("2024-03-10"), dt.date(2024, 3, 10), dt.datetime(2024, 3, 10), np.datetime64("2024-03-10T00:00:00")):
        assert safe_value(value) == "10-03-2024"
    assert safe_value(pd.Timestamp("2024-03-10 14:30")) == "10-03-2024 kl. 14:30"
    assert safe_value(pd.NaT) == "" and safe_value(np.datetime64("NaT")) == ""


def test_a_backwards_end_date_and_a_rate_conflict_show_danish_dates(tmp_path):
    header = ORDER_HEADER + ["IndsatsSlutDato"]
    orders = [ORDERS[0] + [None], ORDERS[1][:6] + ["10-03-2024", 3, "Timetakst", "09-03-2024"]]
    rates = RATES + "Solhuset;Timetakst;550,00;pr. time;10-03-2026;\n"
    ws = load(folder(tmp_path, orders, header, takster=rates))
    messages = ws.load_report.errors["message"].str.cat(sep="\n")
    assert "'09-03-2024' er ikke en slutdato på eller efter startdatoen (10-03-2024)" in messages
    assert "(gyldig 01-01-2026–31-12-2026)" in messages and "(gyldig fra 10-03-2026)" in messages
    assert "00:00:00" not in messages and "2024-03" not in messages and "2026-03-10" not in messages
