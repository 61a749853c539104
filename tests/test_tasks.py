"""The indsatsliste (tasks): frequency × duration at load, every row accounted for, and delivered time per task."""

import pandas as pd
import pytest

import bitanalysis as bit
from bitanalysis.core.parse_time import parse_task_time, task_minutes
from bitanalysis.io.mapping import Mapping, MappingError, read_mapping

from .conftest import TEST_KEY
from .test_load import MAPPING, folder


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2 gange ugentligt à 45 min", 90),
        ("dagligt 30 min", 210),
        ("1 time hver anden uge", 30),
        ("3 timer ugentligt", 180),
        ("to gange om ugen à 1 time", 120),
        ("45 min 2 gange om ugen", 90),
        ("1 time og 30 min dagligt", 630),
        ("hver 14. dag 2 timer", 60),
        ("på hverdage 1 t", 300),
        ("2 x 30 min ugentligt", 60),
        ("1:30 ugentligt", 90),
        ("ugentligt 1,5 time", 90),
        ("3 gange dagligt à 10 min", 210),
        ("1 gang om måneden à 2 timer", 120 * 12 / 52),  # a month is 52/12 weeks
        ("hver tredje uge 90 min", 30),
        ("45 min", None),  # no frequency: cannot be per week
        ("dagligt", None),  # no duration
        ("2 mindre opgaver", None),  # "min" inside a word is no duration
        ("Pædagogisk støtte 1 time", None),  # "dag" inside a word is no frequency
    ],
)
def test_task_time_is_frequency_times_duration(text, minutes):
    got = task_minutes(text)
    assert got == pytest.approx(minutes) if minutes is not None else got is None


def test_a_per_week_time_column_in_hours_reads_plain_numbers_as_hours():
    p = parse_task_time(pd.Series(["1,5", 2, "45 min"], dtype=object), unit="hours")
    assert p.values.tolist() == [90.0, 120.0, 45.0]  # a written unit wins


def test_a_per_week_time_column_needs_no_frequency():
    p = parse_task_time(pd.Series(["3 timer", "90", 45, "2 timer pr. uge", "", "en del", None], dtype=object))
    assert p.values.tolist()[:4] == [180.0, 90.0, 45.0, 120.0]
    assert p.values.isna().tolist()[4:] == [True, True, True] and p.bad.tolist() == [False] * 5 + [True, False]


TASKS = (
    "Indsatsliste\n\n"  # a title block above the header
    "BevillingsID;Tema;Delindsats;Hyppighed;Varighed;Indsatsmål\n"
    "BEV-1;Egenomsorg;Støtte til personlig hygiejne;2 gange ugentligt;45 min;Klarer bad selv\n"
    "BEV-1;samfundsliv ;Ledsagelse til aktiviteter;hver anden uge;1 time;\n"
    "BEV-1;Praktiske opgaver;Indkøb og madlavning;dagligt 30 min;;\n"  # both in one cell
    "BEV-1;Egenomsorg;Medicinhåndtering;;;\n"  # no time: kept, its time missing
    "BEV-3;Egenomsorg;Struktur på dagen;3;1:30;\n"  # 3 times a week × 1:30
    "BEV-9;Egenomsorg;Ukendt bevilling;dagligt;10 min;\n"  # an order no export has
    "BEV-1;Egenomsorg;Uklar tid;efter behov;20 min;\n"  # a frequency no one can count
    "I alt;;;;;\n"
)


def _tasks_folder(tmp_path, extra: str = "", tasks: str = TASKS):
    path = folder(tmp_path, {"indsatsliste.csv": tasks})
    (path / "bitanalysis.toml").write_text(MAPPING + '[tasks]\nfiles = "indsatsliste.csv"\n' + extra, encoding="utf-8")
    return path


def test_the_indsatsliste_loads_with_minutes_per_week_and_every_row_accounted_for(tmp_path):
    ws = bit.load(_tasks_folder(tmp_path), cache=False, key=TEST_KEY)
    t = ws.tasks.set_index("task")
    assert t.loc["Støtte til personlig hygiejne", "minutes_per_week"] == 90  # 2 × 45
    assert t.loc["Ledsagelse til aktiviteter", "minutes_per_week"] == 30  # ½ × 60
    assert t.loc["Indkøb og madlavning", "minutes_per_week"] == 210  # 7 × 30
    assert pd.isna(t.loc["Medicinhåndtering", "minutes_per_week"])
    assert t.loc["Struktur på dagen", "minutes_per_week"] == 270  # 3 × 90
    assert t.loc["Støtte til personlig hygiejne", "goal"] == "Klarer bad selv"
    assert list(ws.tasks.columns[:5]) == ["order_id", "theme", "task", "minutes_per_week", "goal"]
    report = ws.load_report.files.set_index("table").loc["tasks"]
    assert (report["rows_read"], report["totals_skipped"], report["rows_rejected"], report["rows_accepted"]) == (8, 1, 2, 5)
    errors = ws.load_report.errors[ws.load_report.errors["table"] == "tasks"].set_index("row")
    assert "BEV-9" in errors.loc[9, "message"] and "som ikke er indlæst fra bevillingerne" in errors.loc[9, "message"]
    assert errors.loc[10, "column"] == "Hyppighed" and "efter behov 20 min" in errors.loc[10, "value"]
    assert "2 gange ugentligt à 45 min" in errors.loc[10, "expected"]


def test_tasks_feed_the_findings_of_the_order(tmp_path):
    ws = bit.load(_tasks_folder(tmp_path), cache=False, key=TEST_KEY)
    found = bit.findings(ws, "2026-01")
    mine = found[found["type"] == "tasks_not_summing"]
    assert mine["order_id"].tolist() == ["BEV-1"] and "1 af 4 opgaver har ingen tid" in mine["evidence"].iloc[0]


def test_delivered_per_task_names_the_task_or_an_activity_the_mapping_ties_to_it():
    d = pd.Timestamp
    orders = pd.DataFrame(
        {
            "order_id": ["A", "B"],
            "citizen_id": ["B-1", "B-1"],
            "provider_id": ["P", "Q"],
            "paragraph": ["SEL §85"] * 2,
            "service": ["Socialpædagogisk støtte"] * 2,
            "start_date": [d("2026-10-15")] * 2,
            "hours_per_week": [3.5, 2.0],
            "rate_level": ["L1"] * 2,
        }
    )
    tasks = pd.DataFrame(
        {
            "order_id": ["A", "A"],
            "theme": ["Egenomsorg", "Praktiske opgaver"],
            "task": ["Madlavning", "Rengøring"],
            "minutes_per_week": [120.0, 90.0],
        }
    )
    deliveries = pd.DataFrame(
        {
            "citizen_id": ["B-1"] * 5,
            "provider_id": ["P", "P", "P", "P", "Q"],
            "date": [d("2026-10-16"), d("2026-10-20"), d("2026-10-21"), d("2026-11-02"), d("2026-10-20")],
            "minutes": [60.0, 30.0, 45.0, 60.0, 90.0],
            "service": ["Socialpædagogisk støtte"] * 5,
            "task": ["madlavning ", "Oprydning", None, "Rengøring", "Samtale"],
        }
    )
    ws = bit.Workspace.from_frames(orders=orders, tasks=tasks, deliveries=deliveries)
    ws.mapping = Mapping(tables={}, activities={"Oprydning": "rengøring"})
    frame = bit.task_delivery(ws, "2026-10..2026-11")
    out = frame.set_index(["order_id", "month", "task"])
    # October: 17 active days (15th-31st). Madlavning 120 min × 17 / 7 = 4,857 h expected, 1 h delivered ("madlavning ").
    assert out.loc[("A", "2026-10", "Madlavning"), ["expected_hours", "delivered_hours"]].tolist() == pytest.approx(
        [120 * 17 / 7 / 60, 1.0]
    )
    # Rengøring: 90 × 17 / 7 = 3,643 h; 30 min of "Oprydning", which the mapping ties to it.
    assert out.loc[("A", "2026-10", "Rengøring"), ["expected_hours", "delivered_hours"]].tolist() == pytest.approx([90 * 17 / 7 / 60, 0.5])
    loose = frame[frame["task"].isna()].set_index(["order_id", "month"])
    assert pd.isna(loose.loc[("A", "2026-10"), "expected_hours"]) and loose.loc[("A", "2026-10"), "delivered_hours"] == 0.75
    assert loose.loc[("A", "2026-11"), "delivered_hours"] == 0  # November's hour was Rengøring
    # B has no task list: per order, as the match (2 h × 17 / 7 ordered; 1,5 h delivered).
    assert loose.loc[("B", "2026-10"), ["expected_hours", "delivered_hours"]].tolist() == pytest.approx([2 * 17 / 7, 1.5])
    total = frame.groupby("order_id")["delivered_hours"].sum()
    assert total.to_dict() == pytest.approx({"A": 3.25, "B": 1.5})  # every matched minute counted once


def test_the_activities_section_must_tie_names_to_tasks(tmp_path):
    path = tmp_path / "bitanalysis.toml"
    path.write_text('[activities]\n"Oprydning" = "Rengøring"\n', encoding="utf-8")
    assert read_mapping(path).activities == {"Oprydning": "Rengøring"}
    path.write_text('[activities]\n"Oprydning" = 3\n', encoding="utf-8")
    with pytest.raises(MappingError, match=r"\[activities\] skal være et afsnit med aktivitet = opgave"):
        read_mapping(path)


def test_task_lists_count_the_listed_orders_and_the_task_findings_and_hide_small_groups():
    from bitanalysis import present as pr

    d = pd.Timestamp
    n = 6
    orders = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in range(n)] + ["OLD"],
            "citizen_id": [f"B-{i}" for i in range(n)] + ["B-0"],
            "provider_id": ["P"] * (n + 1),
            "paragraph": ["SEL §85"] * (n + 1),
            "service": ["Socialpædagogisk støtte"] * (n + 1),
            "start_date": [d("2026-01-01")] * n + [d("2024-01-01")],
            "end_date": [pd.NaT] * n + [d("2024-12-31")],  # not active in 2026-10
            "hours_per_week": [2.0] * (n + 1),
            "rate_level": ["L1"] * (n + 1),
        }
    )
    rates = pd.DataFrame({"provider_id": ["P"], "rate_level": ["L1"], "unit": ["day"], "amount": [70.0], "valid_from": [d("2020-01-01")]})
    # O0-O4 list one task of 120 min under a level-0 theme (task_without_need: all of the order's cost, 31 × 70 = 2.170 kr.);
    # O5 and OLD have no task list (OLD is not active).
    tasks = pd.DataFrame(
        {"order_id": [f"O{i}" for i in range(5)], "theme": ["Samfundsliv"] * 5, "task": ["Ledsagelse"] * 5, "minutes_per_week": [120.0] * 5}
    )
    assessments = pd.DataFrame(
        {"citizen_id": [f"B-{i}" for i in range(n)], "assessed_on": [d("2026-06-01")] * n, "theme": ["samfundsliv"] * n, "level": [0] * n}
    )
    ws = bit.Workspace.from_frames(orders=orders, rates=rates, tasks=tasks, assessments=assessments)
    t = bit.task_lists(ws, "2026-10")
    assert (t.active_orders, t.listed_orders) == (6, 5) and t.share == pytest.approx(5 / 6)
    f = t.findings.set_index("type")
    assert f.loc["task_without_need", ["findings", "orders", "citizens"]].tolist() == [5, 5, 5]
    assert f.at["task_without_need", "dkk_at_stake"] == pytest.approx(5 * 31 * 70)
    assert f.at["tasks_not_summing", "findings"] == 0 and pd.isna(f.at["need_without_task", "dkk_at_stake"])
    text = pr.task_lists_text(t, bit.period("2026-10"))
    assert "5 af 6 aktive bevillinger (83,3 %) har en indsatsliste" in text and "opgave uden behov: 5, 10.850 kr. på spil" in text
    small = bit.task_lists(ws.__class__.from_frames(orders=orders, rates=rates, tasks=tasks.head(2), assessments=assessments), "2026-10")
    assert "opgave uden behov: fund for færre end 5 borgere" in pr.task_lists_text(small, bit.period("2026-10"))
    none = bit.task_lists(ws.__class__.from_frames(orders=orders, rates=rates, assessments=assessments), "2026-10")
    assert "Ingen af de 6 aktive bevillinger i oktober 2026 har en indsatsliste" in pr.task_lists_text(none, bit.period("2026-10"))
