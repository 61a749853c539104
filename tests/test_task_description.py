"""The task description (bitanalysis opgave): B, I and T of an order or a citizen, figures computed by hand, and the
published HTML and PDF of a planted order in the sample."""

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from bitanalysis import Workspace
from bitanalysis.cli import main
from bitanalysis.core.danish import kr, number
from bitanalysis.reports.notebook import chromium
from bitanalysis.reports.task_description import TaskDescriptionError, resolve, task_description

from .conftest import SAMPLE, T, assessment, copy_sample, delivery, order, rate

# --- the pure module, on a workspace small enough to compute by hand -------------------------------------------------


def small() -> Workspace:
    """October 2026 has 31 days. Order o1 (citizen c1, provider p): 3 hours a week since 1 January 2026 on level L,
    a day rate of 300 kr. with the band 0-10 hours. Its task list: Egenomsorg 60 + 30 minutes, Praktiske opgaver 90
    minutes (180 minutes = 3 hours). Documentation: 2 hours for "Bad og påklædning" (once written in another case and
    spacing), 3.5 hours for "Indkøb og madlavning" (in March and October), half an hour naming no task.

    c1 has a second order o2 (add-on, Ledsagelse, 2 hours, level H: 450 kr. an hour, band 0-2) from 1 October; q and
    r have levels for 3 hours and serve other citizens: q on Praktiske opgaver, r on Samfundsliv."""
    orders = [
        order("o1", start="2026-01-01", hours=3.0, level="L", themes=["Egenomsorg"]),
        order("o2", start="2026-10-01", hours=2.0, level="H", service="Ledsagelse", themes=["Mentale funktioner"], addon=True),
        order("q1", citizen_id="c2", provider_id="q", start="2026-01-01", level="Q", themes=["Praktiske opgaver"]),
        order("r1", citizen_id="c3", provider_id="r", start="2026-01-01", level="R", themes=["Samfundsliv"]),
    ]
    rates = [
        rate(300, "day", level="L", lo=0, hi=10, includes=["Socialpædagogisk støtte"]),
        rate(1000, "day", level="X", lo=10.5, hi=40),  # another level of p: its band does not hold 3 hours
        rate(450, "hour", level="H", lo=0, hi=2),  # holds o2's 2 hours, not o1's 3
        rate(350, "day", level="Q", provider_id="q", lo=0, hi=10),
        rate(320, "day", level="R", provider_id="r", lo=0, hi=10),
    ]
    service = "Socialpædagogisk støtte"  # o1's service: the rows are o1's, not o2's
    deliveries = [
        {**delivery("2026-10-05", 60, service=service), "task": "Bad og påklædning"},
        {**delivery("2026-10-12", 60, service=service), "task": "bad og  PÅKLÆDNING"},
        {**delivery("2026-10-06", 90, service=service), "task": "Indkøb og madlavning"},
        {**delivery("2026-03-03", 120, service=service), "task": "Indkøb og madlavning"},
        delivery("2026-10-07", 30, service=service),
    ]
    assessments = [
        assessment("2025-05-01", "Egenomsorg", 2),
        assessment("2026-03-01", "Egenomsorg", 3),
        assessment("2026-03-01", "praktiske opgaver", 2),
        assessment("2026-03-01", "Samfundsliv", 0),
        assessment("2026-11-15", "Egenomsorg", 4),  # after the period: not the latest for 2026-10
    ]
    tasks = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o1"],
            "theme": ["Egenomsorg", "Egenomsorg", "Praktiske opgaver"],
            "task": ["Bad og påklædning", "Medicin", "Indkøb og madlavning"],
            "minutes_per_week": [60.0, 30.0, 90.0],
            "goal": ["Klarer selv morgenrutinen", None, "Laver selv aftensmad tre dage om ugen"],
        }
    )
    frames = {"orders": orders, "rates": rates, "deliveries": deliveries, "assessments": assessments}
    return Workspace.from_frames(**{k: pd.DataFrame(v) for k, v in frames.items()}, tasks=tasks)


@pytest.fixture(scope="module")
def described():
    return task_description(small(), "o1", "2026-10")


def test_needs_are_the_latest_assessment_per_theme_before_the_period_ends(described):
    needs = described.needs.set_index("theme")
    assert needs["level"].to_dict() == {"Egenomsorg": 3, "praktiske opgaver": 2, "Samfundsliv": 0}  # not the 4 of November
    assert needs.at["Egenomsorg", "assessed_on"] == T("2026-03-01") and needs.at["Egenomsorg", "level_name"] == "Svært"
    assert described.kind == "order" and described.citizen_id == "c1" and described.orders["order_id"].tolist() == ["o1"]


def test_tasks_per_theme_with_their_time_beside_the_need(described):
    themes = described.themes.set_index("theme")
    assert themes.loc["Egenomsorg", ["level", "tasks", "minutes_per_week", "in_order"]].tolist() == [3, 2, 90.0, True]
    assert themes.loc["praktiske opgaver", ["level", "tasks", "minutes_per_week", "in_order"]].tolist() == [2, 1, 90.0, False]
    assert themes.at["Samfundsliv", "tasks"] == 0 and pd.isna(themes.at["Samfundsliv", "minutes_per_week"])
    o = described.orders.iloc[0]
    assert (o.tasks, o.task_minutes, o.task_hours_per_week, o.fit_hours_per_week, o.fit_hours_source) == (3, 180.0, 3.0, 3.0, "tasks")
    assert described.tasks["goal"].tolist()[0] == "Klarer selv morgenrutinen"
    assert described.tasks["hours_per_week"].tolist() == [1.0, 0.5, 1.5]


def test_price_per_ordered_hour_level_and_band(described):
    r = described.rates.iloc[0]
    # October: 31 days × 300 kr. = 9,300 kr. for 3 × 31 / 7 = 13.29 ordered hours: 700 kr. per ordered hour (300 × 7 / 3)
    assert r.cost == pytest.approx(9300) and r.ordered_hours == pytest.approx(3 * 31 / 7)
    assert r.implied_hourly_price == pytest.approx(700)
    assert (r.rate_level, r.unit, r.amount, r.min_hours_per_week, r.max_hours_per_week) == ("L", "day", 300, 0, 10)
    assert bool(r.in_band) and r.fitting_levels == ["L"] and r.includes == ["Socialpædagogisk støtte"]
    assert r.annual_cost == pytest.approx(300 * 365) and r.rate_on == T("2026-10-31")
    overview = described.overview.set_index("aspect")
    assert "pris pr. bestilt time 700 kr." in overview.at["Størrelse", "T"]
    assert "Niveau 'L': 300 kr. pr. døgn; 0,0–10,0 timer pr. uge (rummer 3,0)" in overview.at["Størrelse", "T"]
    assert "3 opgaver: 180 min. = 3,0 timer pr. uge" in overview.at["Størrelse", "I"]
    assert overview.at["Indhold", "T"] == "Taksten indeholder: Socialpædagogisk støtte"
    assert overview.at["Indhold", "B"] == "Temaer med niveau 2 eller mere: Egenomsorg (3), praktiske opgaver (2)"


def test_delivered_per_task_over_12_months_adds_up_to_the_order(described):
    d = described.delivered
    assert d["task"].tolist()[:3] == ["Bad og påklædning", "Medicin", "Indkøb og madlavning"]  # the list's order
    assert d["row"].tolist() == ["task", "task", "task", "other", "order"]
    tasks = d[d["row"] == "task"].set_index("task")
    # 12 months to October 2026; the order runs from 1 January: 304 active days in 10 months
    assert described.window.label == "2025-11..2026-10"
    assert tasks["expected_hours"].to_dict() == pytest.approx(
        {"Bad og påklædning": 60 * 304 / 7 / 60, "Medicin": 30 * 304 / 7 / 60, "Indkøb og madlavning": 90 * 304 / 7 / 60}
    )
    assert tasks["delivered_hours"].to_dict() == pytest.approx({"Bad og påklædning": 2.0, "Medicin": 0.0, "Indkøb og madlavning": 3.5})
    other = d[d["row"] == "other"].iloc[0]
    assert other.delivered_hours == pytest.approx(0.5) and pd.isna(other.expected_hours)
    total = d[d["row"] == "order"].iloc[0]
    assert total.expected_hours == pytest.approx(3 * 304 / 7) and total.delivered_hours == pytest.approx(6.0)
    assert total.months == 10 and total.delivery_ratio == pytest.approx(6 / (3 * 304 / 7))
    assert d.loc[d["row"] != "order", "delivered_hours"].sum() == pytest.approx(total.delivered_hours)


def test_findings_and_the_providers_that_fit_the_task(described):
    # the order delivered 6 of 130 hours over the year and 3.5 of 13.3 in October: under_delivery on o1
    assert "under_delivery" in described.findings.loc[described.findings["order_id"] == "o1", "type"].tolist()
    fit = described.providers
    assert fit["provider_id"].tolist() == ["p", "q", "r"]  # all fit 3 hours; p serves both task themes, q one, r none
    assert fit["current"].tolist() == [True, False, False]
    assert "Niveau 'L' dækker 3,0 timer/uge" in fit.at[0, "reason"] and "2 af 2 temaer" in fit.at[0, "reason"]
    assert "1 af 2 temaer de seneste 12 måneder (Praktiske opgaver)" in fit.at[1, "reason"]


def test_a_citizen_gets_a_section_per_active_order():
    d = task_description(small(), "c1", "2026-10")
    assert d.kind == "citizen" and d.orders["order_id"].tolist() == ["o1", "o2"]  # by start date
    o2 = d.section("o2")
    assert o2.orders["order_id"].tolist() == ["o2"] and o2.tasks.empty
    assert o2.delivered["row"].tolist() == ["order"]  # no task list: the order as a whole
    r = o2.rates.iloc[0]
    assert r.implied_hourly_price == pytest.approx(450) and r.cost == pytest.approx(450 * 2 * 31 / 7)  # an hourly rate
    assert o2.orders.iloc[0].fit_hours_source == "order" and not o2.providers.empty
    assert set(o2.themes["theme"]) == {"Mentale funktioner", "Egenomsorg", "praktiske opgaver", "Samfundsliv"}
    assert set(o2.findings["order_id"].dropna()) <= {"o2"}


def test_unknown_ids_say_how_to_find_valid_ones():
    ws = small()
    with pytest.raises(TaskDescriptionError, match="er hverken et bevillings-id eller en borgers pseudonym") as e:
        resolve(ws, "q11", "2026-10")
    assert "Mente du q1" in str(e.value) and "bitanalysis match --period 2026-10" in str(e.value)
    with pytest.raises(TaskDescriptionError, match="har ingen aktive bevillinger i januar 2025"):
        resolve(ws, "c1", "2025-01")
    with pytest.raises(TaskDescriptionError, match="pseudonym") as e:
        resolve(ws, "010190-1234", "2026-10")
    assert "010190" not in str(e.value)


# --- the command line -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["BEV-999999", "010190-1234"])
def test_an_unknown_order_or_a_cpr_number_exits_two_with_a_danish_message(tmp_path, capsys, who):
    code = main(["opgave", who, "--period", "2026-10", "--data", str(SAMPLE), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("Fejl: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "Bevillings-id'er står i bevillingseksporten" in err and "bitanalysis match --period 2026-10" in err
    assert "010190" not in err and "1234" not in err
    assert not any(tmp_path.rglob("*.html")) and not list((tmp_path / ".staging").glob("*"))


# --- end to end on the sample ---------------------------------------------------------------------------------------

TASK_TYPES = ("tasks_not_summing", "task_without_need", "need_without_task")
#: A task list for an order, for a sample that has none yet: 60 + 45 + 45 minutes (2.5 hours, as BEV-000194 is ordered).
#: The tasks are written as the documentation's notes write some activities: the privacy guard searches the outputs for
#: the notes, but a note that says no more than the authority's own task list does is no personal data.
OWN_TASKS = [
    ("Relationer", "Støtte til kontakt med pårørende", "60", "Deltager i et fællesskab hver uge"),
    ("Mentale funktioner", "Planlægning af ugen", "45", ""),
    ("Praktiske opgaver", "Hjælp til indkøb og madlavning", "45", "Laver selv aftensmad tre dage om ugen"),
]


def planted_order(data: Path) -> str:
    """A planted task case's order (data/sample/planted_cases.csv) that has a task list; where the sample has no task
    list yet, BEV-000194 with the task list above (written into the copy, with a [tasks] section in its mapping)."""
    from bitanalysis import load

    ws = load(data)
    m = bit_match(ws, "2026-10")
    costed = m.loc[m["cost"].notna() & (m["ordered_hours"] > 0), "order_id"]  # a price per ordered hour to check
    listed = [o for o in dict.fromkeys(ws.tasks["order_id"]) if o in set(costed)]
    if listed:
        with (data / "planted_cases.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter=";"))
        planted = [r["order_id"] for r in rows if r["type"] in TASK_TYPES and r["order_id"] in listed]
        return planted[0] if planted else listed[0]
    if len(ws.tasks):
        pytest.skip("no order of the sample's task lists has a cost and hours in 2026-10")
    lines = ["BevillingsID;Tema;Opgave;Minutter pr. uge;Indsatsmål"] + [";".join(["BEV-000194", *t]) for t in OWN_TASKS]
    (data / "indsatsliste.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (data / "bitanalysis.toml").open("a", encoding="utf-8") as f:
        f.write('\n[tasks]\nfiles = "indsatsliste*.csv"\n')
    return "BEV-000194"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """`bitanalysis opgave` for one planted order (HTML and PDF), and for a citizen with two active orders (HTML only)."""
    from bitanalysis import load

    tmp = tmp_path_factory.mktemp("opgave")
    data = copy_sample(tmp / "data")
    who = planted_order(data)
    out = tmp / "reports"
    assert main(["opgave", who, "--period", "2026-10", "--data", str(data), "--out", str(out)]) == 0
    ws = load(data)
    active = bit_match(ws, "2026-10")
    two = active.groupby("citizen_id")["order_id"].nunique()
    citizen = str(two[two >= 2].index[0])
    assert main(["opgave", citizen, "--period", "2026-10", "--data", str(data), "--out", str(out), "--no-pdf"]) == 0
    return out / "2026-10", who, citizen, ws


def bit_match(ws, p):
    from bitanalysis import match

    return match(ws, p)


def _text(html: str) -> str:
    """The visible text of an HTML page, tags removed and spaces joined."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&amp;", "&").split())


def test_the_order_s_description_holds_the_figures_a_reader_checks(published):
    folder, who, _, ws = published
    html = (folder / f"opgave-{who}.html").read_text(encoding="utf-8")
    text = _text(html)
    o = ws.orders.set_index("order_id").loc[who]
    m = bit_match(ws, "2026-10").set_index("order_id").loc[who]
    assert f"Opgavebeskrivelse for bevilling {who} – oktober 2026" in text
    assert f"{number(o.hours_per_week, 1)} timer pr. uge" in text  # the ordered hours
    for minutes in ws.tasks.loc[ws.tasks["order_id"] == who, "minutes_per_week"]:
        assert f" {number(minutes)} " in text  # each task's minutes
    assert f"'{o.rate_level}'" in text and "timer pr. uge" in text
    assert f"Pris pr. bestilt time {kr(m.cost / m.ordered_hours)}" in text  # contract §2's implied hourly price, in Danish
    for heading in ("B – Behov", "I – Indsats", "T – Takst", "Fund i perioden", "Tilbud, der passer til opgaven"):
        assert heading in text
    assert f"Borger {o.citizen_id}" in text and "nuværende" in text and "Begrundelse" in text
    own = set(ws.tasks.loc[ws.tasks["order_id"] == who, "task"])
    assert all(task in text for task in own)  # shown, and published, also where a note says the same words
    assert '<script src="http' not in html and "cdn." not in html  # nothing fetched from the network


def test_a_citizen_has_one_section_per_active_order(published):
    folder, _, citizen, ws = published
    text = _text((folder / f"opgave-{citizen}.html").read_text(encoding="utf-8"))
    orders = bit_match(ws, "2026-10").query("citizen_id == @citizen")["order_id"].unique()
    assert f"Opgavebeskrivelse for borger {citizen}" in text
    assert sum(f"Bevilling {o}:" in text for o in orders) == len(orders) >= 2
    assert not (folder / f"opgave-{citizen}.pdf").exists()  # --no-pdf


needs_printing = pytest.mark.skipif(
    chromium() is None or shutil.which("pdftotext") is None, reason="Chromium or poppler-utils (pdftotext) is not installed"
)


@needs_printing
def test_the_order_s_description_prints_to_a4_with_the_bit_headings(published):
    folder, who, _, _ = published
    pdf = folder / f"opgave-{who}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:.*\(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("B – Behov", "I – Indsats", "T – Takst", "Tilbud, der passer til opgaven"):
        assert heading in text
    assert f"Opgavebeskrivelse for bevilling {who}" in text and "Pris pr. bestilt time" in text and "Side 1 af" in text
    assert not re.search(r"\b\d{6}-?\d{4}\b", text)  # no CPR number


@needs_printing
def test_the_printed_page_renders_offline_with_no_clipped_text(published, tmp_path):
    from bitanalysis.reports.printing import printable
    from bitanalysis_dev.browser import TALL, render

    folder, who, _, _ = published
    page = tmp_path / "opgave.html"
    page.write_text(printable((folder / f"opgave-{who}.html").read_text(encoding="utf-8"), "T", "P", "-", "-", []), encoding="utf-8")
    layout = render(page, tmp_path / "opgave.png", width=794, window=TALL)  # A4's width at 96 dpi, as the PDF is printed
    assert layout.clipped == [], "\n".join(layout.clipped)
    assert layout.errors == [] and layout.failed_loads == []
