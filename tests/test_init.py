"""`bitanalysis init`: what it recognises in headers, values and names, the mapping it writes, and the sample reproduced."""

from __future__ import annotations

import csv
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from bitanalysis import _detect as detect
from bitanalysis import _init as init
from bitanalysis import load
from bitanalysis._schema import TABLES
from bitanalysis.cli import main

from .conftest import SAMPLE, TEST_KEY


def _column(table: str, name: str):
    return next(c for c in TABLES[table] if c.name == name)


def test_header_scores_rank_alias_then_near_names_then_nothing():
    """A known alias scores 1, a header that only resembles the name less, an unrelated header nothing."""
    hours = _column("orders", "hours_per_week")
    assert detect.header_score(_column("orders", "cpr"), "CPR-nummer") == 1.0
    assert 0.6 < detect.header_score(hours, "Omfang (timer/uge)") < 1.0
    assert detect.header_score(_column("orders", "paragraph"), "Lovgrundlag") >= 0.7
    assert detect.header_score(hours, "Borgernavn") == 0.0


def test_values_identify_a_column_without_a_known_header():
    """CPR-shaped cells feed cpr, paragraph text feeds paragraph, even under headers the product has never seen."""
    cpr = detect.profile("Personident", pd.Series(["010190-1234", "0202851234", 1503921234]))
    law = detect.profile("Hjemmel xyz", pd.Series(["SEL § 85", "Serviceloven § 107", "§ 108"]))
    assert detect.score(_column("orders", "cpr"), cpr, "orders") > 0.4
    assert detect.score(_column("orders", "paragraph"), law, "orders") > 0.4
    assert detect.score(_column("orders", "start_date"), cpr, "orders") == 0.0


def test_wide_blocks_are_levels_or_years():
    """Number columns that differ only in a trailing key are one wide block: levels, or years."""
    frame = pd.DataFrame({"Tilbud": ["A", "B"], "Takst 1": [100, 110], "Takst 2": ["1.200,50", "1.300"], "Takst 3": [3, 4]})
    profiles = {c: detect.profile(c, frame[c]) for c in frame}
    assert detect.wide_block(profiles) == (["Takst 1", "Takst 2", "Takst 3"], False)
    years = pd.DataFrame({"Område": ["SEL §85"], "2024": [1_250_000], "2025": [1_300_000]})
    assert detect.wide_block({c: detect.profile(c, years[c]) for c in years}) == (["2024", "2025"], True)


@pytest.mark.parametrize(
    ("short", "known", "expected"),
    [
        ("Marie Hjem", {"12": "Caroline (Marie Hjem)", "14": "Solhuset ApS"}, "12"),
        ("solhuset", {"12": "Caroline (Marie Hjem)", "14": "Solhuset ApS"}, "14"),
        ("Bo  Lund", {"1": "Bo Lund A/S"}, "1"),
        ("Lunden", {"1": "Lunden Nord", "2": "Lunden Syd"}, None),  # two fit as well: no guess
        ("Havblik", {"1": "Solhuset"}, None),
    ],
)
def test_a_shortened_provider_name_finds_the_one_provider_it_means(short, known, expected):
    """Parts in parentheses, legal forms, case and spacing are seen through; an ambiguous or unknown name is not guessed."""
    assert init.closest(short, known) == expected


def test_toml_values_round_trip():
    """Names with quotes, backslash patterns and lists are written so TOML reads back exactly what was meant."""
    values = {"a": 'Tilbud "Nord"', "b": r"(\w+)\s*$", "c": ["Takst 1", "Takst 2"], "d": "Bemærkning"}
    text = "\n".join(f"{k} = {init._value(v)}" for k, v in values.items())
    assert tomllib.loads(text) == values


def _sheet(wb: Workbook, title: str, rows: list[list]) -> None:
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(row)


def _small_folder(folder: Path) -> None:
    """Orders by id (Nexus-like, title rows), a wide rate sheet by name with the year in the sheet name, documentation
    by a shortened provider name, VUM in cp1252."""
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Info", [["Udtræk fra Nexus"], ["Kørt 01-02-2025"]])
    _sheet(
        wb,
        "Indsatser",
        [
            ["Bevillinger, voksne"],
            [],
            ["Indsats-ID", "CPR-nummer", "Borgernavn", "Lovgrundlag", "Indsats", "Omfang (timer/uge)", "Bevilget fra", "Bevilget til"]
            + ["Leverandør-ID", "Leverandørnavn", "Takstniveau"],
            [
                "A1",
                "010190-1234",
                "Anna Andersen",
                "SEL § 85",
                "Socialpædagogisk støtte",
                4,
                "01-01-2025",
                "",
                "12",
                "Caroline (Marie Hjem)",
                1,
            ],
            ["A2", "020285-2345", "Bo Berg", "SEL § 85", "Socialpædagogisk støtte", 8.5, "15-01-2025", "31-12-2025", "12"]
            + ["Caroline (Marie Hjem)", 2],
        ],
    )
    wb.save(folder / "Nexus udtræk.xlsx")
    rates = Workbook()
    rates.remove(rates.active)
    _sheet(
        rates,
        "Takster 2025",
        [["Takstblad"], [], ["Tilbud", "Enhed", "Takst 1", "Takst 2"], ["Caroline (Marie Hjem)", "pr. time", 500, 550]],
    )
    rates.save(folder / "takster.xlsx")
    with (folder / "dokumentation.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["CPR", "Udført dato", "Tid", "Udfører", "Medarbejder"])
        w.writerow(["0101901234", "06-01-2025", "1:30", "Marie Hjem", "Karen Hansen"])
        w.writerow(["0202852345", "20-01-2025", "2:00", "marie  hjem", "Karen Hansen"])
    with (folder / "vum.csv").open("w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["CPR", "Udredningsdato", "Tema", "Funktionsevneniveau"])
        w.writerow(["0101901234", "02-12-2024", "Egenomsorg", "Moderat"])
        w.writerow(["0202852345", "03-12-2024", "Praktiske opgaver", "Svært"])


def test_init_maps_a_folder_unlike_the_sample_with_no_hand_edits(tmp_path, capsys):
    """Title rows, Nexus headers, a wide rate sheet by name, a shortened name and cp1252: every row loads, figures right."""
    _small_folder(tmp_path)
    assert main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Validering: ingen problemer" in out
    ws = load(tmp_path, key=TEST_KEY, cache=False)
    assert ws.load_report.errors.empty
    assert sorted(ws.rates["rate_level"]) == ["1", "2"]
    assert sorted(ws.rates["amount"]) == [500.0, 550.0]
    assert set(ws.rates["provider_id"]) == set(ws.deliveries["provider_id"]) == {"12"}
    assert (ws.rates["valid_from"] == pd.Timestamp("2025-01-01")).all()
    assert (ws.rates["valid_to"] == pd.Timestamp("2025-12-31")).all()
    assert ws.deliveries["minutes"].sum() == 210
    assert list(ws.orders["hours_per_week"]) == [4.0, 8.5]
    providers = pd.read_csv(tmp_path / "tilbud.csv", sep=";", dtype=str)
    assert providers.to_dict("records") == [{"TilbudsID": "12", "Tilbudsnavn": "Caroline (Marie Hjem)", "Andre navne": "Marie Hjem"}]
    mapping = (tmp_path / "bitanalysis.toml").read_text(encoding="utf-8")
    assert "Borgernavn" in mapping and "Anna Andersen" not in mapping and "010190" not in mapping


def test_init_never_overwrites_without_force(tmp_path, capsys):
    """An existing mapping is kept (exit 2, unchanged) unless --force is given."""
    _small_folder(tmp_path)
    (tmp_path / "bitanalysis.toml").write_text("# mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "bitanalysis.toml").read_text(encoding="utf-8") == "# mine\n"
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert "[orders]" in (tmp_path / "bitanalysis.toml").read_text(encoding="utf-8")


def test_init_on_a_folder_without_exports_says_so(tmp_path, capsys):
    """A folder with nothing that looks like an export, or no folder at all: exit 2 with a Danish sentence."""
    (tmp_path / "README.txt").write_text("Her ligger eksporterne\n", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "ligner bevillinger" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "findes-ikke")]) == 2
    assert "findes ikke" in capsys.readouterr().err
    assert not (tmp_path / "bitanalysis.toml").exists()


def test_init_on_the_sample_reproduces_its_tables(tmp_path, sample_ws):
    """With its mapping file removed, the sample gets a mapping that loads the same tables, row for row."""
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".bitanalysis-cache", "bitanalysis.toml"))
    assert main(["init", str(folder)]) == 0
    ws = load(folder, key=TEST_KEY, cache=False)
    for table in ("orders", "rates", "deliveries", "assessments", "citizens", "budget", "price_index"):
        pd.testing.assert_frame_equal(getattr(ws, table), getattr(sample_ws, table), obj=table)
    mapping = tomllib.loads((folder / "bitanalysis.toml").read_text(encoding="utf-8"))
    assert "planted_cases" not in str(mapping)


def test_orders_without_an_id_get_one_from_their_content():
    """Contract §1: an export without order ids gets ids derived from the order's content, the same in every run."""
    from bitanalysis._canonical import derived_order_ids

    frame = pd.DataFrame(
        {
            "order_id": pd.array([None, "A7", None], dtype="string"),
            "citizen_id": ["B-1", "B-1", "B-2"],
            "provider_id": ["12", "12", "12"],
            "start_date": pd.to_datetime(["2025-01-01"] * 3),
        }
    )
    ids = derived_order_ids(frame)
    assert ids[1] == "A7" and ids[0].startswith("BEV-") and ids[0] != ids[2]
    assert derived_order_ids(frame.iloc[[2, 0]])[0] == ids[0]  # the same content, the same id, wherever the row stands
