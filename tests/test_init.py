"""`bitanalysis init`: what it recognises in headers, values and names, the mapping it writes, and the sample reproduced."""

from __future__ import annotations

import csv
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from bitanalysis import load
from bitanalysis.cli import main
from bitanalysis.core.schema import TABLES
from bitanalysis.io import detect, profile
from bitanalysis.workspace import init_providers, init_render

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
    # the last part of a Danish compound, and underscores for spaces
    assert detect.header_score(_column("orders", "start_date"), "Bevillingsstart") >= 0.7
    assert detect.header_score(_column("orders", "end_date"), "Bevillingsslut") >= 0.7
    assert detect.header_score(_column("deliveries", "date"), "Udførelsesdato") >= 0.7
    assert detect.header_score(_column("rates", "valid_to"), "Gældende_til") >= 0.7
    assert detect.header_score(_column("orders", "start_date"), "Tilbud") == 0.0


def test_values_identify_a_column_without_a_known_header():
    """CPR-shaped cells feed cpr, paragraph text feeds paragraph, even under headers the product has never seen."""
    cpr = profile.profile("Personident", pd.Series(["010190-1234", "0202851234", 1503921234]))
    law = profile.profile("Hjemmel xyz", pd.Series(["SEL § 85", "Serviceloven § 107", "§ 108"]))
    assert detect.score(_column("orders", "cpr"), cpr, "orders") > 0.4
    assert detect.score(_column("orders", "paragraph"), law, "orders") > 0.4
    assert detect.score(_column("orders", "start_date"), cpr, "orders") == 0.0


def test_wide_blocks_are_levels_or_years():
    """Number columns that differ only in a trailing key are one wide block: levels, or years."""
    frame = pd.DataFrame({"Tilbud": ["A", "B"], "Takst 1": [100, 110], "Takst 2": ["1.200,50", "1.300"], "Takst 3": [3, 4]})
    profiles = {c: profile.profile(c, frame[c]) for c in frame}
    assert detect.wide_block(profiles) == (["Takst 1", "Takst 2", "Takst 3"], False)
    years = pd.DataFrame({"Område": ["SEL §85"], "2024": [1_250_000], "2025": [1_300_000]})
    assert detect.wide_block({c: profile.profile(c, years[c]) for c in years}) == (["2024", "2025"], True)


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
    assert init_providers.closest(short, known) == expected


def test_toml_values_round_trip():
    """Names with quotes, backslash patterns and lists are written so TOML reads back exactly what was meant."""
    values = {"a": 'Tilbud "Nord"', "b": r"(\w+)\s*$", "c": ["Takst 1", "Takst 2"], "d": "Bemærkning"}
    text = "\n".join(f"{k} = {init_render._value(v)}" for k, v in values.items())
    assert tomllib.loads(text) == values


def _sheet(wb: Workbook, title: str, rows: list[list]) -> None:
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(row)


def _serial(day: str) -> int:
    """A dd-mm-yyyy date as the Excel serial number a case system writes into a General cell."""
    return (pd.to_datetime(day, dayfirst=True) - pd.Timestamp("1899-12-30")).days


def _small_folder(folder: Path, ids: tuple[str, str] = ("A1", "A2"), serial: bool = False) -> None:
    """Orders by id (Nexus-like, title rows), a wide rate sheet by name with the year in the sheet name, documentation
    by a shortened provider name, VUM in cp1252; with `serial`, the orders' dates as Excel serial numbers."""
    day = _serial if serial else str
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
                ids[0],
                "010190-1234",
                "Anna Andersen",
                "SEL § 85",
                "Socialpædagogisk støtte",
                4,
                day("01-01-2025"),
                "",
                "12",
                "Caroline (Marie Hjem)",
                1,
            ],
            [ids[1], "020285-2345", "Bo Berg", "SEL § 85", "Socialpædagogisk støtte", 8.5, day("15-01-2025"), day("31-12-2025"), "12"]
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


def test_init_reads_dates_written_as_excel_serial_numbers_under_a_date_header(tmp_path, capsys):
    """45672 in a General cell under "Bevilget fra" is 15-01-2025 (issue 29); the same number under "Takst" stays an amount."""
    _small_folder(tmp_path, serial=True)
    assert main(["init", str(tmp_path)]) == 0, capsys.readouterr().out
    ws = load(tmp_path, key=TEST_KEY, cache=False)
    assert ws.load_report.errors.empty
    assert list(ws.orders["start_date"]) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-15")]
    assert list(ws.orders["end_date"].isna()) == [True, False] and ws.orders["end_date"].iloc[1] == pd.Timestamp("2025-12-31")
    serials = pd.Series([45658, 45672, 46022])
    assert profile.profile("Bevilget fra", serials)["date"] == 1.0 and profile.profile("Ophørsdato", serials)["date"] == 1.0
    assert profile.profile("Takst", serials)["date"] == 0.0 and profile.profile("Bevilget timer", serials)["date"] == 0.0
    assert profile.profile("Tilbud", serials)["date"] == 0.0  # "til" only as a word of its own
    assert profile.profile("Startdato", pd.Series([12, 7, 1989]))["date"] == 0.0  # no day between 1990 and 2100


def test_orders_init_cannot_find_give_one_root_cause_line_not_one_per_row(tmp_path, capsys):
    """Orders whose dates are unrecognisable: init names the closest sheet and what it lacked, first, and validation
    counts the documentation rows that fail because of it in one line, with a few examples (issue 29)."""
    _small_folder(tmp_path, serial=True)
    book = tmp_path / "Nexus udtræk.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(book)
    sheet = wb["Indsatser"]
    for cell in sheet[3]:
        if cell.value in ("Bevilget fra", "Bevilget til", "Leverandørnavn"):
            cell.value = f"Felt {cell.column}"  # serial numbers under a header that says nothing: no dates
    wb.save(book)
    with (tmp_path / "dokumentation.csv").open("a", encoding="utf-8-sig", newline="") as fh:
        rows = [["0101901234", f"{d:02d}-02-2025", "1:00", "Marie Hjem", "Karen Hansen"] for d in range(1, 29)]
        csv.writer(fh, delimiter=";").writerows(rows)
    assert main(["init", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("Bevillinger blev ikke fundet. Nærmest kom Nexus udtræk.xlsx") and "'Indsatser'" in first, out
    assert "som mangler Startdato" in first
    assert "30 dokumentationsrækker afvist, fordi ingen bevillinger er indlæst" in out, out
    assert sum("kendes ikke" in line for line in out.splitlines()) <= 2 * 3, out  # examples, not a line per row


def test_orders_are_known_by_a_citizen_a_provider_and_two_dates_whatever_else_they_hold(tmp_path, capsys):
    """A sheet with CPR, a provider and two dates is read as orders even when paragraph and service are not found;
    the mapping's comment and init's first lines say which columns to fill in."""
    wb = Workbook()
    _sheet(wb, "Ark", [["CPR-nr.", "Leverandør ID", "Bevilget fra", "Bevilget til", "Xyz", "Qwe"]])
    wb["Ark"].append(["010190-1234", "12", 45658, 46022, "abc", "def"])
    wb.remove(wb["Sheet"])
    wb.save(tmp_path / "udtræk.xlsx")
    main(["init", str(tmp_path)])
    out = capsys.readouterr().out
    assert "Bevillinger er genkendt på CPR, tilbud og to datoer i udtræk.xlsx" in out and "Paragraf og Ydelse" in out, out
    mapping = (tmp_path / "bitanalysis.toml").read_text(encoding="utf-8")
    assert "[orders]" in mapping and "Kontrollér: Bevillinger er genkendt på CPR, tilbud og to datoer" in mapping


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


@pytest.mark.long  # CI's run (make test-long): 20 s of detection and a first parse of the whole sample
def test_init_on_the_sample_reproduces_its_tables(tmp_path, sample_ws):
    """With its mapping file removed, the sample gets a mapping that loads the same tables, row for row."""
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".bitanalysis-cache", "bitanalysis.toml"))
    assert main(["init", str(folder)]) == 0
    ws = load(folder, key=TEST_KEY)  # the snapshot init's own validation parsed with the mapping it wrote
    for table in ("orders", "rates", "deliveries", "assessments", "citizens", "budget", "price_index", "tasks"):
        pd.testing.assert_frame_equal(getattr(ws, table), getattr(sample_ws, table), obj=table)
    mapping = tomllib.loads((folder / "bitanalysis.toml").read_text(encoding="utf-8"))
    assert "planted_cases" not in str(mapping)


def test_orders_without_an_id_get_one_from_their_content():
    """Contract §1: an export without order ids gets ids derived from the order's content, the same in every run."""
    from bitanalysis.io.canonical import derived_order_ids

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


# --- the indsatsliste (tasks) ------------------------------------------------------------------------------------

#: The task list of the two orders of `_small_folder`: (order, theme, task, frequency, duration, minutes per week by hand).
TASKS = [
    (0, "Praktiske opgaver", "Støtte til indkøb og madlavning", "2 gange ugentligt", "45 min", 90.0),  # 2 × 45
    (0, "Egenomsorg", "Støtte til personlig hygiejne", "dagligt", "30 min", 210.0),  # 7 × 30
    (1, "Samfundsliv", "Ledsagelse til jobcenter", "hver anden uge", "1 time", 30.0),  # ½ × 60
]
PADDED = ("000123", "000124")  # order ids written as zero-padded text in the orders, as numbers in a task list


def _workbook(path: Path, sheet: str, rows: list[list]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, sheet, rows)
    wb.save(path)


def _task_list(folder: Path, layout: str, ids: tuple[str, str]) -> dict[str, str]:
    """An indsatsliste in one of the layouts case systems export; returns the headers init must map (canonical column ->
    source header)."""
    if layout == "title":  # a title block above the header, frequency and duration in two columns
        header = ["BevillingsID", "Tema", "Delindsats", "Hyppighed", "Varighed", "Indsatsmål"]
        rows = [[ids[o], theme, task, f, d, "Borger klarer mere selv" if o == 0 else None] for o, theme, task, f, d, _ in TASKS]
        title = [["Indsatsliste – delindsatser pr. bevilling"], ["Udtræk 01-02-2025"], []]
        _workbook(folder / "indsatsliste.xlsx", "Indsatsliste", [*title, header, *rows])
        return {"order_id": "BevillingsID", "theme": "Tema", "task": "Delindsats", "frequency": "Hyppighed", "duration": "Varighed"}
    if layout == "csv":  # cp1252 with ';', Danish letters in the headers
        with (folder / "indsatsliste.csv").open("w", encoding="cp1252", newline="") as fh:
            w = csv.writer(fh, delimiter=";")
            w.writerow(["Bevillingsnr.", "Indsatsområde", "Opgavebeskrivelse", "Hyppighed", "Varighed", "Delmål"])
            w.writerows([ids[o], theme, task, f, d, "Øget selvstændighed"] for o, theme, task, f, d, _ in TASKS)
        return {"order_id": "Bevillingsnr.", "theme": "Indsatsområde", "task": "Opgavebeskrivelse", "frequency": "Hyppighed"}
    if layout == "numbers":  # the order ids as numbers (the orders write them zero-padded)
        rows = [[int(ids[o]), theme, task, f, d] for o, theme, task, f, d, _ in TASKS]
        _workbook(folder / "opgaver.xlsx", "Opgaver", [["Indsats-ID", "Tema", "Opgave", "Hyppighed", "Varighed"], *rows])
        return {"order_id": "Indsats-ID", "task": "Opgave", "frequency": "Hyppighed", "duration": "Varighed"}
    if layout == "omfang":  # frequency and duration in one column
        combined = {"45 min": "à 45 min", "30 min": "30 min", "1 time": "à 1 time"}
        rows = [[ids[o], theme, task, f"{f} {combined[d]}"] for o, theme, task, f, d, _ in TASKS]
        _workbook(folder / "indsatsliste.xlsx", "Ark1", [["Indsats-ID", "Tema", "Aktivitet", "Omfang"], *rows])
        return {"order_id": "Indsats-ID", "task": "Aktivitet", "minutes_per_week": "Omfang"}
    if layout == "opgaveliste":  # named unlike the default patterns; the duration in decimal hours
        hours = {"45 min": 0.75, "30 min": 0.5, "1 time": 1}
        rows = [[ids[o], theme, task, f, hours[d]] for o, theme, task, f, d, _ in TASKS]
        header = ["Bevilling ID", "FFB-tema", "Opgave", "Frekvens", "Tid pr. gang (timer)"]
        _workbook(folder / "Opgaveliste 2026.xlsx", "Ark1", [header, *rows])
        return {"order_id": "Bevilling ID", "theme": "FFB-tema", "frequency": "Frekvens", "duration": "Tid pr. gang (timer)"}
    assert layout == "nexus"  # named unlike the default patterns; title rows, the citizen's CPR and name beside the tasks
    header = ["CPR-nummer", "Borgernavn", "Indsats-ID", "Tema", "Delindsats", "Hyppighed", "Varighed", "Leverandør"]
    people = [("010190-1234", "Anna Andersen"), ("020285-2345", "Bo Berg")]
    rows = [[*people[o], ids[o], theme, task, f, d, "Marie Hjem"] for o, theme, task, f, d, _ in TASKS]
    _workbook(folder / "Nexus indsatser.xlsx", "Indsatser", [["Indsatser og delindsatser"], [], header, *rows])
    return {"order_id": "Indsats-ID", "task": "Delindsats", "frequency": "Hyppighed", "duration": "Varighed"}


@pytest.mark.parametrize(
    ("layout", "ids"),
    [
        ("title", ("A1", "A2")),
        ("csv", PADDED),
        pytest.param("numbers", PADDED, marks=pytest.mark.long),  # the other layouts in CI's run (make test-long)
        pytest.param("omfang", ("A1", "A2"), marks=pytest.mark.long),
        pytest.param("opgaveliste", ("A1", "A2"), marks=pytest.mark.long),
        pytest.param("nexus", ("A1", "A2"), marks=pytest.mark.long),
    ],
)
def test_init_proposes_the_task_list_and_its_tasks_load(tmp_path, capsys, layout, ids):
    """An indsatsliste in the layouts case systems export is proposed as the tasks table, by its headers whatever the
    file is called; its tasks load with the minutes per week counted by hand and tie up with the orders' ids."""
    _small_folder(tmp_path, ids)
    headers = _task_list(tmp_path, layout, ids)
    assert main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Indsatsliste" in out and "Validering: ingen problemer" in out, out
    text = (tmp_path / "bitanalysis.toml").read_text(encoding="utf-8")
    mapping = tomllib.loads(text)
    assert "# Indsatsliste" in text
    columns = mapping["tasks"]["columns"]
    assert {k: columns.get(k) for k in headers} == headers, columns
    task_file = next(p.name for p in tmp_path.iterdir() if p.stem.casefold().startswith(("indsats", "opgave", "nexus indsatser")))
    assert [t for t, sec in mapping.items() if isinstance(sec, dict) and task_file in str(sec.get("files"))] == ["tasks"]
    ws = load(tmp_path, key=TEST_KEY, cache=False)
    assert ws.load_report.errors.empty, ws.load_report.errors["message"].tolist()
    got = sorted(ws.tasks[["order_id", "theme", "task", "minutes_per_week"]].itertuples(index=False, name=None))
    assert got == sorted((ids[o], theme, task, minutes) for o, theme, task, _, _, minutes in TASKS)
    assert set(ws.tasks["order_id"]) <= set(ws.orders["order_id"]) == set(ids)
    assert len(ws.orders) == 2 and ws.deliveries["minutes"].sum() == 210  # the other tables are read as before
    assert "Anna Andersen" not in text and "010190" not in text


def test_init_says_which_tasks_will_not_tie_up_with_an_order(tmp_path, capsys):
    """Tasks of an order id the orders do not have: init says so in its proposal, and the load rejects them by name."""
    _small_folder(tmp_path)
    _task_list(tmp_path, "title", ("A1", "A9"))
    assert main(["init", str(tmp_path)]) == 1  # the mapping is written; the validation finds the task without an order
    out = capsys.readouterr().out
    assert "1 af 2 bevillings-id'er i 'BevillingsID' findes ikke i bevillingernes 'Indsats-ID' (fx 'A9')" in out, out
    ws = load(tmp_path, key=TEST_KEY, cache=False, strict=False)
    assert list(ws.tasks["order_id"]) == ["A1", "A1"]
    assert ws.load_report.errors["message"].str.contains("bevilling 'A9', som ikke er indlæst").sum() == 1


def test_documentation_with_an_activity_and_a_theme_is_still_documentation(tmp_path, capsys):
    """A documentation export with 'Aktivitet', 'Varighed', an order id and a theme, but a date per row and no
    frequency, is read as deliveries, never as a task list."""
    _small_folder(tmp_path)
    with (tmp_path / "dokumentation.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["CPR", "Indsats-ID", "Udført dato", "Tema", "Aktivitet", "Varighed", "Udfører", "Medarbejder"])
        w.writerow(["0101901234", "A1", "06-01-2025", "Praktiske opgaver", "Indkøb", "1:30", "Marie Hjem", "Karen Hansen"])
        w.writerow(["0202852345", "A2", "20-01-2025", "Samfundsliv", "Ledsagelse", "2:00", "marie  hjem", "Karen Hansen"])
    assert main(["init", str(tmp_path)]) == 0
    mapping = tomllib.loads((tmp_path / "bitanalysis.toml").read_text(encoding="utf-8"))
    assert "tasks" not in mapping
    assert mapping["deliveries"]["files"] == "dokumentation.csv"
    assert mapping["deliveries"]["columns"]["service"] == "Aktivitet" and mapping["deliveries"]["columns"]["minutes"] == "Varighed"
    ws = load(tmp_path, key=TEST_KEY, cache=False)
    assert ws.load_report.errors.empty and ws.deliveries["minutes"].sum() == 210 and ws.tasks.empty


def test_a_task_list_with_a_date_and_durations_is_not_documentation():
    """An indsatsliste with a CPR number, a provider, a date and h:mm durations could pass for documentation; its
    frequencies say it is a task list. Words that merely contain a frequency ("Dagtilbud") are no frequency."""
    frame = pd.DataFrame(
        {
            "CPR": ["0101901234", "0101901234", "0202852345"],
            "TilbudsID": ["12"] * 3,
            "Dato": ["02-01-2025"] * 3,
            "BevillingsID": ["A1", "A1", "A2"],
            "Tema": ["Praktiske opgaver", "Egenomsorg", "Samfundsliv"],
            "Aktivitet": ["Indkøb", "Hygiejne", "Ledsagelse"],
            "Hyppighed": ["2 gange ugentligt", "dagligt", "hver anden uge"],
            "Varighed": ["0:45", "0:30", "1:00"],
        }
    )
    profiles = {c: profile.profile(c, frame[c]) for c in frame}
    assert [r.table for r in detect.readings(profiles, ("", "udtræk"))] == ["tasks"]
    assert profile.profile("Ydelse", pd.Series(["Dagtilbud", "Socialpædagogisk støtte", "Døgnophold"]))["frequency"] == 0
    documentation = frame.drop(columns=["Hyppighed"])
    profiles = {c: profile.profile(c, documentation[c]) for c in documentation}
    assert detect.readings(profiles, ("", "x"))[0].table == "deliveries"
