"""The synthetic sample municipality: deterministic, the promised layouts, every finding type planted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from bitanalysis_dev.sample import (
    ACTIVITY_NAMES,
    COST_MODEL,
    FINDING_TYPES,
    PLANTED_TYPES,
    PRICE_PROVIDERS,
    THEMES,
    cost_model_toml,
    generate_sample,
    model_hour_price,
)

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SMALL = {"citizens": 120, "providers": 10}

ORDER_HEADER = [
    "BevillingsID",
    "CPR",
    "Målgruppe",
    "Myndighedsteam",
    "Paragraf",
    "Ydelse",
    "Temaer",
    "LeverandørID",
    "LeverandørNavn",
    "IndsatsStartDato",
    "IndsatsSlutDato",
    "Timer pr. uge",
    "Takstniveau",
    "Tillæg",
    "PrimærAnsvarlig",
    "Bemærkning",
]
RATE_HEADER = [
    "TilbudsID",
    "Tilbudsnavn",
    "Takstniveau",
    "Beskrivelse",
    "Paragraf",
    "Takst",
    "Enhed",
    "Gyldig fra",
    "Gyldig til",
    "Timer pr. uge fra",
    "Timer pr. uge til",
    "Indeholder",
]
VUM_HEADER = ["CPR", "Udredningsdato", "Tema", "Funktionsevneniveau", "Støttebehovsniveau", "Udreder"]
DOC_HEADER = "CPR;Dato;Starttid;Varighed;TilbudsID;Ydelse;Aktivitet;Medarbejder;Notat"
TASK_HEADER = ["BevillingsID", "Tema", "Delindsats", "Hyppighed", "Varighed", "Indsatsmål"]
TASK_TYPES = ["tasks_not_summing", "task_without_need", "need_without_task"]
PRICE_TYPES = ["price_above_peers", "price_above_model", "price_below_model"]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    out = tmp_path_factory.mktemp("sample_a")
    return out, generate_sample(out, seed=11, **SMALL)


@pytest.fixture(scope="module")
def small_ws(small, tmp_path_factory):
    """The small sample loaded from a copy without a mapping file (found by the default file patterns), once."""
    import shutil

    from bitanalysis import load

    from .conftest import TEST_KEY

    return load(shutil.copytree(small[0], tmp_path_factory.mktemp("small_copy") / "small"), key=TEST_KEY)


def _files(folder: Path, pattern: str) -> list[Path]:
    """Generated files only: not the loader's cache or other hidden folders."""
    return [p for p in sorted(folder.rglob(pattern)) if not any(s.startswith(".") for s in p.relative_to(folder).parts)]


def _csv_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in _files(folder, "*.csv")}


def _xlsx_cells(folder: Path) -> dict[str, dict[str, list[tuple]]]:
    out = {}
    for p in _files(folder, "*.xlsx"):
        wb = load_workbook(p)
        out[p.relative_to(folder).as_posix()] = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    return out


def _row(path: Path, sheet: str, row: int) -> list:
    ws = load_workbook(path)[sheet]
    return [c.value for c in ws[row]]


def test_same_seed_same_files_other_seed_other_data(small, tmp_path):
    first, planted = small
    again = tmp_path / "again"
    planted2 = generate_sample(again, seed=11, **SMALL)
    assert _csv_files(first) == _csv_files(again)
    assert _xlsx_cells(first) == _xlsx_cells(again)
    for p in first.rglob("*.xlsx"):  # fixed properties and zip times: the bytes too
        assert p.read_bytes() == (again / p.relative_to(first)).read_bytes(), p.name
    pd.testing.assert_frame_equal(planted, planted2)

    other = tmp_path / "other"
    generate_sample(other, seed=12, **SMALL)
    a, b = _csv_files(first), _csv_files(other)
    assert a["dokumentation/dokumentation_2026-10.csv"] != b["dokumentation/dokumentation_2026-10.csv"]
    assert _xlsx_cells(first)["bevillinger.xlsx"] != _xlsx_cells(other)["bevillinger.xlsx"]


def test_files_sheets_and_headers(small):
    out, _ = small
    orders = out / "bevillinger.xlsx"
    assert load_workbook(orders).sheetnames == ["Bevillinger"]
    assert _row(orders, "Bevillinger", 1)[0] == "Bevillinger – Handicap og psykiatri, voksne"
    assert _row(orders, "Bevillinger", 2)[0] == "Udtræk fra Sensum 05-11-2026"
    assert all(v is None for v in _row(orders, "Bevillinger", 3))
    assert _row(orders, "Bevillinger", 4) == ORDER_HEADER

    rate_files = sorted((out / "takster").glob("takster_*.xlsx"))
    assert len(rate_files) == SMALL["providers"] + len(PRICE_PROVIDERS)  # the price cases' providers come on top
    for p in rate_files:
        wb = load_workbook(p)
        assert wb.sheetnames == ["2025", "2026"]
        for year in ("2025", "2026"):
            assert _row(p, year, 1)[0].startswith(f"Takstblad {year} – ")
            assert _row(p, year, 2)[0] == "Takster ekskl. moms"
            assert _row(p, year, 4) == RATE_HEADER
            assert wb[year].max_row >= 5

    assert load_workbook(out / "udredninger.xlsx").sheetnames == ["VUM"]
    assert _row(out / "udredninger.xlsx", "VUM", 1) == VUM_HEADER

    budget = out / "budget.xlsx"
    assert load_workbook(budget).sheetnames == ["Budget"]
    assert _row(budget, "Budget", 1)[0] == "Budget 2025–2026, specialiserede voksenområde"
    assert _row(budget, "Budget", 3) == ["År", "Område", "Budget (kr.)"]
    areas = [r[1] for r in load_workbook(budget)["Budget"].iter_rows(min_row=4, values_only=True)]
    assert areas.count("I alt") == 2

    assert (out / "pl_indeks.csv").read_text(encoding="utf-8") == "År;P/L-faktor\n2024;0,972\n2025;1,000\n2026;1,032\n"

    docs = sorted((out / "dokumentation").glob("dokumentation_*.csv"))
    assert docs[0].name == "dokumentation_2025-01.csv"
    assert [p.name for p in docs][-1] == "dokumentation_2026-10.csv"
    assert len(docs) == 22
    for p in docs:
        text = p.read_bytes().decode("cp1252")
        assert text.split("\r\n", 1)[0] == DOC_HEADER
    tasks = out / "indsatsliste.xlsx"
    assert load_workbook(tasks).sheetnames == ["Indsatsliste"]
    assert _row(tasks, "Indsatsliste", 1)[0] == "Indsatsliste – delindsatser pr. bevilling"
    assert _row(tasks, "Indsatsliste", 2)[0] == "Udtræk fra Sensum 05-11-2026"
    assert _row(tasks, "Indsatsliste", 4) == TASK_HEADER
    assert (out / "planted_cases.csv").read_text(encoding="utf-8").startswith("type;direction;cpr;order_id;period;dkk_at_stake\n")


def test_duration_formats_and_overlapping_export(small):
    out, _ = small

    def read(name):
        return pd.read_csv(
            out / "dokumentation" / name,
            sep=";",
            encoding="cp1252",
            dtype=str,
            keep_default_na=False,
        )

    y25, y26 = read("dokumentation_2025-06.csv"), read("dokumentation_2026-06.csv")
    assert y25["Varighed"].str.fullmatch(r"\d+:\d\d").all()
    assert y26["Varighed"].str.fullmatch(r"\d+(,5)?").all()
    sep, oct_ = read("dokumentation_2026-09.csv"), read("dokumentation_2026-10.csv")
    first_days = {f"0{d}-10-2026" for d in range(1, 6)}
    in_sep = sep[sep["Dato"].str.endswith("-10-2026")]
    assert len(in_sep) > 0 and set(in_sep["Dato"]) <= first_days
    pd.testing.assert_frame_equal(in_sep.reset_index(drop=True), oct_[oct_["Dato"].isin(first_days)].reset_index(drop=True))


def test_planted_cases_cover_every_finding_type(small):
    out, planted = small
    assert list(planted.columns) == ["type", "direction", "cpr", "order_id", "period", "dkk_at_stake"]
    counts = planted["type"].value_counts()
    for t in PLANTED_TYPES:
        assert counts.get(t, 0) >= 2, t
    assert set(FINDING_TYPES) | {"ambiguous_delivery"} == set(planted["type"])
    assert (planted["direction"] == planted["type"].map(PLANTED_TYPES)).all()
    assert (planted["period"] == "2026-10").all()
    priced = planted["dkk_at_stake"] != ""  # the DKK at stake is fixed by the plant for task_without_need and prices
    fixed = ["task_without_need", *PRICE_TYPES]
    assert planted.loc[priced, "type"].isin(fixed).all() and priced.sum() == sum(counts[t] for t in fixed)
    assert (planted.loc[priced, "dkk_at_stake"].astype(float) > 0).all()
    on_file = pd.read_csv(out / "planted_cases.csv", sep=";", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(on_file, planted.astype(str))
    # the planted orders exist in the orders export
    ids = {r[0] for r in load_workbook(out / "bevillinger.xlsx")["Bevillinger"].iter_rows(min_row=5, values_only=True)}
    assert set(planted.loc[planted["order_id"] != "", "order_id"]) <= ids


def test_the_indsatsliste_covers_most_orders_in_a_case_systems_words(small):
    out, _ = small
    rows = list(load_workbook(out / "indsatsliste.xlsx")["Indsatsliste"].iter_rows(min_row=5, values_only=True))
    tasks = pd.DataFrame(rows, columns=TASK_HEADER)
    orders = [r[0] for r in load_workbook(out / "bevillinger.xlsx")["Bevillinger"].iter_rows(min_row=5, values_only=True)]
    with_tasks = set(tasks["BevillingsID"])
    assert with_tasks <= set(orders)
    assert 0.6 * len(orders) < len(with_tasks) < len(orders)  # most orders, not all
    assert tasks["Tema"].isin(THEMES).all() and tasks["Delindsats"].notna().all() and tasks["Indsatsmål"].notna().all()
    timed = tasks["Hyppighed"].notna()
    assert (timed == tasks["Varighed"].notna()).all() and (~timed).sum() == 1  # the planted task without a time
    assert {"2 gange ugentligt", "dagligt", "hver anden uge", "på hverdage"} <= set(tasks["Hyppighed"].dropna())
    assert {"45 min", "1 time", "1,5 time"} <= set(tasks["Varighed"].dropna())


def test_the_planted_task_cases_are_the_only_task_findings_with_their_dkk(small, small_ws):
    from bitanalysis import findings
    from bitanalysis.core.privacy import pseudonymise

    from .conftest import TEST_KEY

    out, planted = small
    ws = small_ws
    assert len(ws.load_report.errors) == 0
    assert len(ws.tasks) == len(load_workbook(out / "indsatsliste.xlsx")["Indsatsliste"]["A"]) - 4
    want = planted[planted["type"].isin(TASK_TYPES)].assign(citizen_id=lambda f: pseudonymise(f["cpr"], TEST_KEY)[0])
    got = findings(ws, "2026-10")
    got = got[got["type"].isin(TASK_TYPES)]
    key = ["type", "direction", "citizen_id", "order_id"]
    both = want.merge(got, on=key, how="outer", indicator=True, suffixes=("_planted", ""))
    assert (both["_merge"] == "both").all(), both[key + ["_merge"]]
    priced = both[both["type"] == "task_without_need"]
    assert priced["dkk_at_stake"].to_numpy() == pytest.approx(priced["dkk_at_stake_planted"].astype(float).to_numpy(), abs=0.01)


def _found(ws, planted: pd.DataFrame, types: list[str], period: str = "2026-10") -> pd.DataFrame:
    """The planted cases of `types` merged with the findings of those types in the period (`_merge` says where)."""
    from bitanalysis import findings
    from bitanalysis.core.privacy import pseudonymise

    from .conftest import TEST_KEY

    want = planted[planted["type"].isin(types)].assign(citizen_id=lambda f: pseudonymise(f["cpr"], TEST_KEY)[0])
    got = findings(ws, period)
    got = got[got["type"].isin(types)]
    key = ["type", "direction", "citizen_id", "order_id"]
    return want.merge(got, on=key, how="outer", indicator=True, suffixes=("_planted", ""))


def test_the_small_samples_price_cases_above_their_peers_are_found_without_a_cost_model(small, small_ws):
    """Without a mapping file there is no cost model: the planted peer cases are found (a §85 group of at least five
    providers, the price cases' three among them), and no model finding."""
    _, planted = small
    ws = small_ws
    both = _found(ws, planted, PRICE_TYPES)
    peers = both[both["type"] == "price_above_peers"]
    assert len(peers) >= 2 and (peers["_merge"] == "both").all(), peers
    assert peers["dkk_at_stake"].to_numpy() == pytest.approx(peers["dkk_at_stake_planted"].astype(float).to_numpy(), abs=0.5)
    assert (both.loc[both["type"] != "price_above_peers", "_merge"] == "left_only").all()


def test_the_sample_mapping_holds_the_generators_illustrative_cost_model(sample_ws):
    from bitanalysis.io.cost_model import cost_models

    text = (SAMPLE / "bitanalysis.toml").read_text(encoding="utf-8")
    assert cost_model_toml() in text and "made-up example assumptions" in text and "not real wages" in text
    assert sample_ws.mapping.cost_model == cost_models(list(COST_MODEL))
    assert [m.label for m in sample_ws.mapping.cost_model] == [
        "Illustrativ model (eksempeldata) 2025",
        "Illustrativ model (eksempeldata) 2026",
    ]
    assert [str(m.valid_from.date()) for m in sample_ws.mapping.cost_model] == ["2025-01-01", "2026-01-01"]
    # an hour of §85 support: 2025 (350 × 0,7 + 400 × 0,2 + 425 × 0,1) × 1,25 × 1,1 / 0,95 = 531,91 kr.;
    # 2026 (360 × 0,7 + 415 × 0,2 + 440 × 0,1) × 1,25 × 1,1 / 0,95 = 548,55 kr.
    assert [model_hour_price(v) for v in COST_MODEL] == pytest.approx([531.9079, 548.5526], abs=1e-4)


def test_every_planted_price_case_is_found_with_its_dkk_and_no_other(sample_ws):
    """2026-10 on the sample: the price cases' findings are the planted ones, with their type, direction and DKK to
    the krone; the ordinary §85 hourly rates lie within the model's tolerance and no §85 provider is above its peers
    in any month, so no other month has a price finding."""
    from bitanalysis import monthly_findings

    planted = pd.read_csv(SAMPLE / "planted_cases.csv", sep=";", dtype=str, keep_default_na=False)
    both = _found(sample_ws, planted, PRICE_TYPES)
    assert (both["_merge"] == "both").all(), both[["type", "order_id", "_merge"]]
    assert both["type"].value_counts().to_dict() == {"price_above_model": 4, "price_above_peers": 2, "price_below_model": 2}
    assert both["dkk_at_stake"].to_numpy() == pytest.approx(both["dkk_at_stake_planted"].astype(float).to_numpy(), abs=0.5)
    assert (both["direction"] == both["type"].map(FINDING_TYPES)).all()
    monthly = monthly_findings(sample_ws, "2025-01..2026-10")
    assert set(monthly.loc[monthly["type"].isin(PRICE_TYPES), "month"]) == {"2026-10"}


def test_without_the_cost_model_only_the_peer_view(tmp_path):
    """The sample with its [[cost_model]] section removed: no model finding, no model price per hour, the peer view
    and its findings as with the model."""
    from bitanalysis import findings, load
    from bitanalysis.economics import price_benchmark

    from .conftest import TEST_KEY, copy_sample

    data = copy_sample(tmp_path / "sample")
    toml = data / "bitanalysis.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace(cost_model_toml(), ""), encoding="utf-8")
    assert "cost_model" not in toml.read_text(encoding="utf-8")
    ws = load(data, key=TEST_KEY)
    assert len(ws.load_report.errors) == 0 and ws.mapping.cost_model == ()

    found = findings(ws, "2026-10")
    assert not found["type"].isin(["price_above_model", "price_below_model"]).any()
    planted = pd.read_csv(SAMPLE / "planted_cases.csv", sep=";", dtype=str, keep_default_na=False)
    peers = _found(ws, planted, ["price_above_peers"])
    assert len(peers) == 2 and (peers["_merge"] == "both").all()

    bench = price_benchmark(ws, "2026-10")
    assert bench["model_price_per_hour"].isna().all()
    hourly = bench[(bench["paragraph"] == "SEL §85") & (bench["rate_level"] == "Timetakst")].set_index("provider_name")
    assert set(hourly["providers"]) == {9} and hourly["ranked"].all() and set(hourly["median"]) == {557.0}
    dear, pricey, cheap = (name for name, _ in PRICE_PROVIDERS)
    assert hourly.loc[dear, "rank"] == 1 and hourly.loc[dear, "ratio"] > 1.25 > hourly.loc[pricey, "ratio"]
    assert hourly.loc[cheap, "rank"] == 9


def test_the_sample_benchmark_shows_the_models_price_for_the_hourly_paragraph_only(sample_ws):
    from bitanalysis.economics import price_benchmark

    bench = price_benchmark(sample_ws, "2026-10")
    hourly = bench["paragraph"] == "SEL §85"
    assert bench.loc[hourly, "model_price_per_hour"].to_numpy() == pytest.approx(model_hour_price(COST_MODEL[1]))
    assert bench.loc[~hourly, "model_price_per_hour"].isna().all()  # no daily non-staff amount for the other paragraphs


def test_some_providers_name_the_task_of_a_visit_as_staff_write_it(small):
    """About half the providers record an activity: the task of the order's list a row was for, mostly as the list
    writes it, sometimes in other case or spacing or by a short name of [activities]; some rows name none."""
    out, _ = small
    docs = pd.concat(
        [
            pd.read_csv(p, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
            for p in sorted((out / "dokumentation").glob("*.csv"))
        ]
    )
    rows = list(load_workbook(out / "indsatsliste.xlsx")["Indsatsliste"].iter_rows(min_row=5, values_only=True))
    tasks = set(pd.DataFrame(rows, columns=TASK_HEADER)["Delindsats"])
    named = docs[docs["Aktivitet"] != ""]
    recording = set(named["TilbudsID"])
    assert 0.3 * SMALL["providers"] <= len(recording) <= 0.6 * SMALL["providers"]
    at_recording = docs[docs["TilbudsID"].isin(recording)]
    assert 0.5 * len(at_recording) < len(named) < len(at_recording)  # orders without a list, and rows left blank

    def key(s: str) -> str:
        return " ".join(s.split()).lower()

    keys = {key(t) for t in tasks}
    exact = named["Aktivitet"].isin(tasks)
    other_spelling = ~exact & named["Aktivitet"].map(key).isin(keys)
    short = named["Aktivitet"].isin(ACTIVITY_NAMES)
    assert (exact | other_spelling | short).all()
    assert exact.mean() > 0.6 and other_spelling.any() and short.any()
    assert set(ACTIVITY_NAMES.values()) & tasks and not set(ACTIVITY_NAMES) & tasks  # a short name is no task's name


def test_the_sample_mapping_declares_the_generators_activities():
    import tomllib

    mapping = tomllib.loads((SAMPLE / "bitanalysis.toml").read_text(encoding="utf-8"))
    assert mapping["activities"] == ACTIVITY_NAMES
    assert mapping["deliveries"]["columns"]["task"] == "Aktivitet"


def test_the_sample_documents_time_per_task(sample_ws):
    """2026-10 on the sample: orders delivered on every task of their list, a short activity name counted for its task
    (BEV-000190: 12-10-2026 "Madlavning", 271 minutes, by hand), and every matched minute counted once."""
    from bitanalysis import match, task_delivery

    td = task_delivery(sample_ws, "2026-10")
    listed = td[td["task"].notna()]
    every_task = listed.groupby("order_id")["delivered_hours"].apply(lambda h: bool((h > 0).all()))
    assert every_task.sum() >= 50

    october = (SAMPLE / "dokumentation" / "dokumentation_2026-10.csv").read_bytes().decode("cp1252")
    assert "010257-0405;12-10-2026;09:00;271;064351;Socialpædagogisk støtte;Madlavning;" in october
    assert ACTIVITY_NAMES["Madlavning"] == "Støtte til indkøb og madlavning"
    order = td[td["order_id"] == "BEV-000190"]  # the planted tasks_not_summing order: its tasks hold 10 of its 8 hours
    hours = dict(zip(order["task"].fillna("(none)"), order["delivered_hours"]))
    assert hours == pytest.approx(
        {
            "Støtte til indkøb og madlavning": 271 / 60,  # "Madlavning", its only row in October
            "Støtte til personlig hygiejne": (198 + 259 + 216 + 208) / 60,  # the task, with a double space, "Hygiejne"
            "Støtte til økonomi og post": (229.5 + 200.5 + 263 + 187) / 60,  # the task, in upper case
            "(none)": 0.0,
        }
    )

    matched = match(sample_ws, "2026-10").groupby("order_id")["delivered_hours"].sum()
    per_order = td.groupby("order_id")["delivered_hours"].sum()
    pd.testing.assert_series_equal(per_order.sort_index(), matched.sort_index(), check_names=False, check_index_type=False)
    assert td["delivered_hours"].sum() == pytest.approx(matched.sum())


def test_provider_ids_and_cprs_stay_text(small):
    out, _ = small
    ws = load_workbook(out / "bevillinger.xlsx")["Bevillinger"]
    cprs, pids = [], []
    for row in ws.iter_rows(min_row=5):
        cprs.append(row[1])
        pids.append(row[7])
    assert all(c.data_type == "s" and len(c.value) == 10 and c.value.isdigit() for c in cprs)
    assert all(c.data_type == "s" and len(c.value) == 6 and c.value.isdigit() for c in pids)
    assert any(c.value.startswith("0") for c in pids)
    rate_ids = []
    for p in (out / "takster").glob("*.xlsx"):
        for ws in load_workbook(p).worksheets:
            rate_ids += [row[0] for row in ws.iter_rows(min_row=5)]
    assert all(c.data_type == "s" and len(c.value) == 6 for c in rate_ids)
    zero = sorted({c.value for c in rate_ids if c.value.startswith("0")})
    assert len(zero) >= 2
    assert {p.stem.removeprefix("takster_") for p in (out / "takster").glob("*.xlsx")} >= set(zero)
    doc = (out / "dokumentation" / "dokumentation_2026-10.csv").read_bytes().decode("cp1252")
    assert any(f";{z};" in doc for z in zero)
    assert all(
        c.data_type == "s" and len(c.value) == 10
        for c in (row[0] for row in load_workbook(out / "udredninger.xlsx")["VUM"].iter_rows(min_row=2))
    )


def test_committed_sample_is_the_default_generation(tmp_path):
    if not (SAMPLE / "planted_cases.csv").exists():
        pytest.skip("data/sample has not been generated")
    fresh = tmp_path / "fresh"
    planted = generate_sample(fresh)
    assert _csv_files(SAMPLE) == _csv_files(fresh)
    assert _xlsx_cells(SAMPLE) == _xlsx_cells(fresh)
    on_file = pd.read_csv(SAMPLE / "planted_cases.csv", sep=";", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(on_file, planted.astype(str))
