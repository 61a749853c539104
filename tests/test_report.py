"""The report runner: publishing, failure, the lock, the privacy guard, the Excel appendix, and offline HTML."""

import datetime as dt
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bitanalysis import economics
from bitanalysis import match as bit_match
from bitanalysis import present as pr
from bitanalysis.core.cpr import CPR_PATTERN
from bitanalysis.reports import jobs
from bitanalysis.reports.guard import privacy_hits, readable_text
from bitanalysis.reports.jobs import EXIT_FAILED, EXIT_LOCKED, EXIT_PRIVACY, ReportError
from bitanalysis.reports.notebook import CHROMIUM_FLAGS, chromium
from bitanalysis.reports.run import run, run_id

from .conftest import PUBLISHED_PROVIDER, SAMPLE, copy_sample
from .test_excel import KRONER, PERSONS, SHARE, assert_danish_appendix, formats_of

L = pr.LABELS  # the appendices' Danish headers

HEADER = "# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3\n#     language: python\n#     name: python3\n# ---\n\n"


def template(folder: Path, name: str, body: str) -> Path:
    """A tiny report template: a parameters cell and the given cells."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(HEADER + '# %% tags=["parameters"]\ndata_dir = ""\nperiod = ""\nappendix_path = None\n\n' + body)
    return path


def test_privacy_guard_finds_cpr_and_input_names(tmp_path):
    clean, cpr, name = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    clean.write_text("Borger B-0101901234ab: 1.234 kr.")
    cpr.write_text("borger 010190-1234")
    name.write_text("udført af Søren Ærø Hansen")
    hits = privacy_hits([clean, cpr, name], {"Søren Ærø Hansen"})
    assert hits == ["b.html: indeholder et CPR-nummer", "c.html: indeholder et navn eller en notattekst fra inddata (16 tegn)"]


def test_guard_reads_a_notebooks_escaped_text_and_skips_the_plotly_library(tmp_path):
    from plotly.offline import get_plotlyjs

    nb = tmp_path / "r.ipynb"
    nb.write_text(json.dumps({"cells": [{"outputs": [{"text": ["udført af S\u00f8ren ", "\u00c6r\u00f8 Hansen\n"]}]}]}, ensure_ascii=True))
    assert "Søren Ærø Hansen" not in nb.read_text()  # escaped in the file ...
    assert privacy_hits([nb], {"Søren Ærø Hansen"}) == [
        "r.ipynb: indeholder et navn eller en notattekst fra inddata (16 tegn)"
    ]  # ... found
    page = tmp_path / "p.html"
    page.write_text(f"<script>{get_plotlyjs()}</script><p>Udgift 1.234 kr.</p>", encoding="utf-8")
    assert readable_text(page) == "<script></script><p>Udgift 1.234 kr.</p>"


def test_a_run_id_never_looks_like_a_cpr_number():
    # the staging path reaches the notebooks' parameters; at 01:05:09 with process 1234 the old name held "-010509-1234"
    assert not CPR_PATTERN.search(f"/reports/.staging/2026-10-{run_id(dt.datetime(2026, 11, 23, 1, 5, 9), 1234)}/leader.xlsx")


@pytest.fixture
def templates(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    monkeypatch.setattr(jobs, "TEMPLATES", folder)
    return folder


@pytest.fixture
def small_data(tmp_path):
    """A copy of the sample that the tests may change (with its cache: entries are keyed by content, so a changed file
    is read again and the others are not)."""
    data = tmp_path / "data"
    copy_sample(data)
    return data


def test_a_failing_template_publishes_nothing_and_names_the_cell(tmp_path, templates, capsys):
    template(templates, "quality", "# %%\nx = 1\n\n# %%\nshare = 1 / 0\n")
    out = tmp_path / "reports"
    with pytest.raises(ReportError) as info:
        run(["quality"], "2026-10", SAMPLE, out)
    assert info.value.exit_code == EXIT_FAILED
    assert "celle 3" in str(info.value) and "ZeroDivisionError" in str(info.value) and "share = 1 / 0" in str(info.value)
    assert not (out / "2026-10").exists()
    assert not (out / ".staging").exists() and "Den midlertidige mappe er slettet" in str(info.value)
    assert not (out / ".lock").exists()


def test_a_failed_run_keeps_its_files_only_when_asked_and_says_where(tmp_path, templates):
    template(templates, "quality", "# %%\nshare = 1 / 0\n")
    out = tmp_path / "reports"
    with pytest.raises(ReportError) as info:
        run(["quality"], "2026-10", SAMPLE, out, keep_failed=True)
    kept = list((out / ".failed").glob("2026-10-*/quality.ipynb"))
    assert len(kept) == 1 and str(kept[0].parent) in str(info.value)
    assert not (out / ".staging").exists()


def test_a_staging_folder_left_by_a_run_that_died_is_removed_by_the_next(tmp_path, templates, capsys):
    template(templates, "quality", "# %%\nprint('ok')\n")
    out = tmp_path / "reports"
    (out / ".staging" / "2026-10-20261101T010101p99").mkdir(parents=True)
    (out / ".staging" / "2026-10-20261101T010101p99" / "leader.ipynb").write_text("{}")
    run(["quality"], "2026-10", SAMPLE, out)
    assert not (out / ".staging").exists() and "efterladt midlertidig mappe" in capsys.readouterr().err


def test_a_run_from_a_process_that_ran_a_notebook_in_a_kept_kernel_finishes(tmp_path):
    """A process that ran a notebook in a kept kernel (tests, `make notebooks`) has Jupyter's background event-loop
    thread; its forked report workers must not hand their coroutines to the copy of it (they waited forever)."""
    script = f"""
import os, pathlib, sys
from bitanalysis.reports import jobs as _jobs
from bitanalysis.reports import notebook as _notebook
from bitanalysis.reports import run as _report
tmp = pathlib.Path({str(tmp_path)!r})
(tmp / "t.py").write_text("# %% tags=['parameters']\\nx = 1\\n\\n# %%\\nprint(x)\\n")
_notebook.execute(tmp / "t.py", tmp / "t.ipynb", {{"x": 2}}, tmp, _notebook.kernel(tmp))
(tmp / "templates").mkdir()
(tmp / "templates" / "quality.py").write_text("# %%\\nprint('ok')\\n")
_jobs.TEMPLATES = tmp / "templates"
_report.run(["quality"], "2026-10", {str(SAMPLE)!r}, tmp / "r", pdf=False)
print("published", (tmp / "r" / "2026-10" / "quality.html").exists())
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "published True" in done.stdout, done.stderr[-2000:]


def test_cli_exit_code_and_message_for_a_failing_template(tmp_path, templates, capsys):
    from bitanalysis.cli import main

    template(templates, "quality", "# %%\nraise RuntimeError('skabelonen fejlede med vilje')\n")
    assert main(["report", "quality", "--period", "2026-10", "--data", str(SAMPLE), "--out", str(tmp_path / "r")]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "RuntimeError: skabelonen fejlede med vilje" in err and "celle 2" in err
    assert not (tmp_path / "r" / "2026-10").exists()


def test_a_second_run_is_refused_while_one_is_running(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / ".lock").write_text(str(__import__("os").getpid()))  # this process is alive: a run is going
    with pytest.raises(ReportError) as info:
        run(["quality"], "2026-10", SAMPLE, out)
    assert info.value.exit_code == EXIT_LOCKED and "er i gang" in str(info.value)
    (out / ".lock").write_text("999999999")  # a dead process's lock is taken over


def test_guard_fails_the_run_when_an_output_holds_a_cpr(tmp_path, templates):
    template(templates, "quality", "# %%\nprint('borger 010190-1234')\n")
    out = tmp_path / "reports"
    with pytest.raises(ReportError) as info:
        run(["quality"], "2026-10", SAMPLE, out)
    assert info.value.exit_code == EXIT_PRIVACY and "CPR" in str(info.value)
    assert not (out / "2026-10").exists() and not (out / ".staging").exists()  # the flagged output is deleted


def test_rerunning_a_period_replaces_its_reports_and_keeps_the_others(tmp_path, templates):
    template(templates, "quality", "# %%\nprint('første')\n")
    template(templates, "findings", "# %%\nprint('fund')\n")
    out = tmp_path / "reports"
    run(["quality", "findings"], "2026-10", SAMPLE, out)
    template(templates, "quality", "# %%\nprint('anden')\n")
    run(["quality"], "2026-10", SAMPLE, out)
    folder = out / "2026-10"
    assert "anden" in (folder / "quality.html").read_text() and "første" not in (folder / "quality.html").read_text()
    assert (folder / "findings.html").exists()
    info = json.loads((folder / "run.json").read_text())
    assert set(info["reports"]) == {"quality", "findings"} and info["status"] == "ok"
    quality, findings = info["reports"]["quality"], info["reports"]["findings"]
    assert quality["inputs"]["bevillinger.xlsx"] and quality["versions"]["pandas"] and quality["status"] == "ok"
    assert quality["parameters"]["period"] == "2026-10" and quality["finished"] >= findings["finished"]
    assert "budget.xlsx" in quality["inputs"] and "budget.xlsx" not in findings["inputs"]  # each report: the tables it reads
    assert not (out / ".staging").exists()


def test_run_json_names_only_the_files_the_mapping_uses(tmp_path, templates, small_data):
    template(templates, "quality", "# %%\nprint('ok')\n")
    (small_data / "noter til 010190-1234.txt").write_text("en løs fil")
    (small_data / "gammel_eksport.xlsx").write_bytes(b"")
    run(["quality"], "2026-10", small_data, tmp_path / "r")
    text = (tmp_path / "r" / "2026-10" / "run.json").read_text()
    inputs = json.loads(text)["reports"]["quality"]["inputs"]
    assert "bevillinger.xlsx" in inputs and "bitanalysis.toml" in inputs
    assert not any("noter" in name or "gammel" in name for name in inputs) and not CPR_PATTERN.search(text)


def test_a_report_is_not_published_when_a_table_it_needs_failed_to_load(tmp_path, templates, small_data, capsys):
    from bitanalysis.cli import main

    template(templates, "findings", "# %%\nprint('fund')\n")
    template(templates, "quality", "# %%\nprint('kvalitet')\n")
    (small_data / "bevillinger.xlsx").write_bytes((small_data / "bevillinger.xlsx").read_bytes()[:900])  # cut off
    code = main(["report", "findings", "--period", "2026-10", "--data", str(small_data), "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and "kunne ikke indlæses" in err and "bevillinger.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "r" / "2026-10").exists() and not list((tmp_path / "r").glob(".staging/*"))
    run(["quality"], "2026-10", small_data, tmp_path / "r")  # the quality report shows what failed, so it is made


# --- the real templates on the sample ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(month_publication):
    """The month's four report kinds as `report all --provider 000361 --pdf` published them (conftest)."""
    return month_publication


def test_a_published_run_leaves_no_staging_folder_behind(published):
    assert sorted(p.name for p in published.parent.iterdir()) == ["2026-10"]


def test_each_report_carries_plotly_js_once_compressed_and_its_notebook_none(published):
    from bitanalysis.workspace.bundle import LEFT_OUT, packed, plotlyjs

    folder = published
    for page in folder.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert plotlyjs() not in text and text.count(packed()) <= 1, page.name
        assert page.stat().st_size < 2_600_000, page.name  # was 5.2 MB with the library as text
    for nb in folder.glob("*.ipynb"):
        assert plotlyjs()[:2000] not in nb.read_text(encoding="utf-8"), nb.name
        assert LEFT_OUT not in nb.read_text(encoding="utf-8"), nb.name  # never written there, so nothing was cut out
        assert nb.stat().st_size < 600_000, nb.name  # was 5.3 MB


def test_report_all_plans_a_report_for_every_provider_with_orders_in_the_period(sample_ws, tmp_path):
    from bitanalysis.reports.jobs import _providers, jobs_for, providers_in
    from bitanalysis.reports.run import _report_names

    names = _report_names(["all"])
    providers = _providers(names, sample_ws, "2026-10", None)
    assert providers == providers_in(sample_ws, "2026-10") and len(providers) >= 20
    orders = sample_ws.orders
    ends = orders["end_date"]
    active = orders.loc[(orders["start_date"] <= "2026-10-31") & (ends.isna() | (ends >= "2026-10-01")), "provider_id"]
    assert set(providers) == set(active)  # by hand: every provider with an order active on a day of October 2026
    outputs = [j.output for j in jobs_for(names, "2026-10", SAMPLE, tmp_path, providers, {})]
    assert outputs == ["leader", "findings", "quality", *(f"provider-{p}" for p in providers)]


@pytest.fixture(scope="module")
def whole_month(tmp_path_factory):
    """Every report of 2026-10, all providers, as `make report` publishes them (CI: `make test-long`)."""
    out = tmp_path_factory.mktemp("reports")
    return run(["all"], "2026-10", SAMPLE, out), out / "2026-10"


@pytest.mark.long
def test_all_reports_are_published_for_the_period(whole_month):
    result, folder = whole_month
    providers = {j.parameters["provider_id"] for j in result.jobs if j.name == "provider"}
    assert len(providers) >= 20
    for name in ["leader", "findings", "quality", *(f"provider-{p}" for p in providers)]:
        assert (folder / f"{name}.html").exists(), name
        assert (folder / f"{name}.ipynb").exists() and (folder / f"{name}.xlsx").exists()
    assert (folder / "run.json").exists()
    # a month's publication: at most 40 % of the 268 MB the issue measured for the sample's 28 reports
    assert sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) < 0.40 * 268e6


def test_the_leader_appendix_suppresses_small_cells_in_every_sheet(published, sample_ws):
    folder = published
    book = pd.read_excel(folder / "leader.xlsx", sheet_name=None, engine="openpyxl", dtype=object)
    rates = book["Takstudvikling"]
    few = rates[L["placements"]].astype(str) == "<5"
    assert few.any() and rates.loc[few, [L["cost"], L["excess_dkk"]]].isna().all().all()  # 1-4 placements: no amounts
    assert not rates[L["placements"]].astype(str).isin(["1", "2", "3", "4"]).any()
    for sheet in ("Trafiklys", "Koncentration", "Udgift pr. paragraf"):
        shown = pd.to_numeric(book[sheet][L["citizens"]], errors="coerce")
        assert not shown.between(1, 4).any(), sheet
    lights = book["Trafiklys"]
    hidden = lights[L["citizens"]].astype(str) == "<5"
    assert lights.loc[hidden, [L["dkk"], L["citizen_share"], L["dkk_share"]]].isna().all().all()


def test_the_appendices_are_danish_with_formats_tables_and_a_sheet_about_the_report(published):
    folder = published
    leader = assert_danish_appendix(folder / "leader.xlsx")
    about = dict(leader[pr.ABOUT].iter_rows(min_row=2, max_col=2, values_only=True))
    assert about["Rapport"] == "Lederrapport" and about["Sammenligningsperiode"] == "oktober 2025" and about["Datamappe"] == "sample"
    assert about["Data pr."] == "31-10-2026"
    assert formats_of(leader["Budget"])["Budget"] == {KRONER} and formats_of(leader["Budget"])["Afvigelse i procent"] == {SHARE}
    assert formats_of(leader["Trafiklys"])["Andel af borgerne"] == {SHARE}
    persons = formats_of(leader["Helårspersoner"])["Helårspersoner"]
    assert persons == {PERSONS}  # 6.15 full-year persons show as 6,15
    for name in ("findings.xlsx", "quality.xlsx", *(p.name for p in sorted(folder.glob("provider-*.xlsx"))[:3])):
        book = assert_danish_appendix(folder / name)
        assert len(book.sheetnames) > 1, name
    provider = assert_danish_appendix(sorted(folder.glob("provider-*.xlsx"))[0])
    assert formats_of(provider["Bestilt og leveret"])["Leveringsgrad"] == {SHARE}
    assert formats_of(provider["Bestilt og leveret"])["Udgift"] == {KRONER}
    assert "hos tilbuddet" in " ".join(str(c.value) for c in provider[pr.ABOUT]["B"])


def test_html_has_no_code_and_danish_text(published):
    folder = published
    html = (folder / "leader.html").read_text()
    for code in (
        "jp-CodeMirrorEditor",
        'class="highlight',
        "jp-InputPrompt",
        "jp-OutputPrompt",
        "import bitanalysis",
        "charts.budget_chart",
    ):
        assert code not in html.split("</style>")[-1], code
    assert "Ledelsesrapport – oktober 2026" in html and "Forventet regnskab" in html
    assert 'lang="da"' in html


def test_leader_report_renders_its_charts_in_chromium_without_network(published):
    browser = chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    folder = published
    dom = subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={folder.parent / 'chrome-profile'}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            (folder / "leader.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
    assert dom.count('class="main-svg"') >= 6  # the plotly charts drew themselves as SVG, with no network
    for code in ("jp-CodeMirrorEditor", 'class="highlight', "jp-InputPrompt", "import bitanalysis"):
        assert code not in dom.split("</style>")[-1], code
    assert (folder / "leader.pdf").exists()


def test_no_cpr_or_staff_name_in_any_output_even_when_planted_in_the_input(small_data, tmp_path):
    doc = small_data / "dokumentation" / "dokumentation_2026-10.csv"
    lines = doc.read_bytes().decode("cp1252").splitlines()
    header, first = lines[0].split(";"), lines[1].split(";")
    row = dict(zip(header, first))
    row["CPR"], row["Medarbejder"], row["Notat"] = (
        "010190-1234",
        "Rigmor Testesen Plantet",
        "Besøg hos 010190-1234 med Rigmor Testesen Plantet",
    )
    doc.write_bytes(("\r\n".join(lines + [";".join(row[h] for h in header)]) + "\r\n").encode("cp1252"))
    out = tmp_path / "reports"
    run(["leader", "findings", "quality", "provider"], "2026-10", small_data, out, provider_id=row["TilbudsID"], pdf=False)
    files = [p for p in (out / "2026-10").iterdir() if p.is_file()]
    assert len(files) >= 9
    for f in files:
        text = readable_text(f)
        assert "010190-1234" not in text and "0101901234" not in text and "Rigmor Testesen" not in text, f.name


def _text(path: Path) -> str:
    """A report's visible text: no style, scripts or tags, spaces collapsed."""
    body = re.sub(r"<script.*?</script>", " ", readable_text(path).split("</style>")[-1], flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_every_report_states_the_order_days_without_a_cost(published, sample_ws):
    folder = published
    gaps = economics.cost_gaps(sample_ws, "2026-10")
    assert gaps.days_without_cost == 2 * 31  # the sample's two order-months without a rate in October 2026
    stated = f"62 af {gaps.order_days:,} bevillingsdage".replace(",", ".") + " i perioden (0,4 %) har ingen udgift"
    leader = _text(folder / "leader.html")
    assert stated in leader and "fordi taksten mangler" in leader and "de indgår ikke i beløbene" in leader
    assert leader.index(stated) < leader.index("Budget og forventet regnskab")  # at the top
    assert "Trafiklysets udgift omfatter ikke 62 bevillingsdage uden udgift" in leader  # beside the traffic light
    assert "Bevillingsdage uden udgift, som ikke er medregnet: 0 i oktober 2025 og 62 i oktober 2026." in leader  # the bridge
    for name in ("findings", "quality"):
        assert stated in _text(folder / f"{name}.html"), name
    provider = next(folder.glob("provider-*.html"))
    assert "bevillingsdage hos tilbuddet i perioden" in _text(provider)


@pytest.fixture(scope="module")
def leader_2019(tmp_path_factory):
    """The leader report for January 2019 (orders, but no rates yet) with a price year the P/L index lacks."""
    out = tmp_path_factory.mktemp("reports-2019")
    run(["leader"], "2019-01", SAMPLE, out, pdf=False, price_year=2030)
    return out / "2019-01"


def test_leader_report_for_a_period_without_costs_says_there_is_nothing_to_report(leader_2019):
    text = _text(leader_2019 / "leader.html")
    assert "Der er intet at rapportere for januar 2019: ingen af periodens 54 bevillingsdage har en udgift" in text
    assert "P/L-indekset mangler år 2018, 2019, 2030" in text and "vises i løbende priser" in text
    assert "plotly-graph-div" not in readable_text(leader_2019 / "leader.html")  # the charts are skipped ...
    assert " 0 kr." not in text and "Budget og forventet regnskab" not in text  # ... and no 0 kr. is shown
    assert json.loads((leader_2019 / "run.json").read_text())["status"] == "ok"


@pytest.fixture(scope="module")
def leader_fixed_prices(tmp_path_factory):
    """October 2026 in 2025 prices, against October 2024 (no rates then: the bridge must refuse), as of 31.10.2026."""
    out = tmp_path_factory.mktemp("reports-fixed")
    run(["leader"], "2026-10", SAMPLE, out, pdf=False, price_year=2025, compare_to="2024-10", as_of="31.10.2026")
    return out / "2026-10"


def test_leader_report_converts_to_the_price_year_and_shows_a_refused_bridge(leader_fixed_prices, sample_ws):
    # the sample's P/L index: 2025 = 1,000 and 2026 = 1,032, so a 2026 amount in 2025 prices is divided by 1.032
    assert {"2025;1,000", "2026;1,032"} <= set((SAMPLE / "pl_indeks.csv").read_text().splitlines())
    text = _text(leader_fixed_prices / "leader.html")
    assert "Beløb i 2025-priser, omregnet med P/L-indekset" in text and "opgjort pr. 31-10-2026" in text
    assert "Pris × mængde og de største drivere vises ikke." in text
    before = economics.cost_gaps(sample_ws, "2024-10")
    assert before.nothing_costed  # the sample has no rates for 2024
    days = f"{before.order_days:,}".replace(",", ".")
    assert f"I oktober 2024 har {days} af {days} bevillingsdage (100,0 %) ingen udgift" in text and "'pris'" in text
    assert "Udgift (2025-priser)" in text and "om året (2025-priser)" in text
    book = leader_fixed_prices / "leader.xlsx"
    budget = pd.read_excel(book, engine="openpyxl", sheet_name="Budget").set_index(L["area"])
    assert budget.at["I alt", L["budget"]] == pytest.approx(181_627_000 / 1.032)  # the sample's 2026 budget lines, by hand
    spend = pd.read_excel(book, engine="openpyxl", sheet_name="Udgift pr. paragraf")
    assert spend[L["cost"]].sum() == pytest.approx(bit_match(sample_ws, "2026-10")["cost"].sum() / 1.032)
    refused = pd.read_excel(book, engine="openpyxl", sheet_name="Pris og mængde")[L["message"]].iloc[0]
    assert refused.startswith("Pris- og mængdebroen kan ikke opgøres")


def test_an_unknown_provider_exits_two_listing_the_known_ones(tmp_path, capsys):
    from bitanalysis.cli import main

    code = main(["report", "provider", "--data", str(SAMPLE), "--period", "2026-10", "--provider", "999999", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "Tilbud '999999' har ingen aktive bevillinger i 2026-10; kendte tilbud:" in err
    assert not any(tmp_path.rglob("*.html")) and not list((tmp_path / ".staging").glob("*"))


# --- trends and caveats (issue 16) ----------------------------------------------------------------------------------


def test_the_caveat_names_the_order_days_without_a_cost_and_the_tables_that_failed_to_load(small_data):
    from bitanalysis import load, present

    (small_data / "budget.xlsx").write_bytes((small_data / "budget.xlsx").read_bytes()[:900])  # cut off: unreadable
    (small_data / "udredninger.xlsx").unlink()  # a required table with no file
    ws = load(small_data)
    text = present.caveats(ws, "2026-10")
    assert text.startswith(f"**{present.CAVEAT_HEADING}**")
    assert "62 af " in text and "har ingen udgift" in text and "regnes aldrig som nul" in text  # contract §2.1
    lines = present.failed_tables(ws)
    assert any(line.startswith("Budget:") and "budget.xlsx" in line for line in lines), lines
    assert "Udredninger: ingen fil fundet, så tabellen er tom" in lines
    assert "2 tabel(ler) eller fil(er) kunne ikke indlæses" in text
    assert "Alle filer og de nødvendige tabeller er indlæst." in present.caveats(load(SAMPLE), "2026-10")


def _escaped(text: str) -> str:
    """Text as plotly writes it into a page's figure JSON (non-ASCII letters as \\u escapes)."""
    return json.dumps(text)[1:-1]


def test_every_report_states_at_the_top_what_it_could_not_count(published):
    from bitanalysis import present

    folder = published
    first_section = {"leader": "Budget og forventet regnskab", "findings": "Overblik pr. fundtype", "quality": "Indlæste filer"}
    pages = [folder / f"{name}.html" for name in first_section] + sorted(folder.glob("provider-*.html"))
    for page in pages:
        text = _text(page)
        top = text.index(present.CAVEAT_HEADING)
        section = first_section.get(page.stem, "Bestilt og leveret")
        assert top < text.index(section), page.name  # at the top, before the first section
        block = text[top : text.index(section)]
        assert "bevillingsdage" in block or "ingen aktive bevillinger" in block, page.name
        assert "Alle filer og de nødvendige tabeller er indlæst." in block, page.name
    leader = _text(folder / "leader.html")
    assert "regnes aldrig som nul" in leader[: leader.index("Budget og forventet regnskab")]


def test_leader_shows_the_13_month_spend_trend_and_the_forecast_path(published):
    folder = published
    page = readable_text(folder / "leader.html")
    assert _escaped("Udgift pr. paragraf, seneste 13 måneder mod samme måned året før") in page
    assert "Forbrug til dato og prognose for 2026 mod budgettet" in page
    assert '"okt. 2025"' in page and '"okt. 2026"' in page  # the trend's 13 months run October to October
    text = _text(folder / "leader.html")
    assert "Udviklingen: udgift pr. paragraf de seneste 13 måneder" in text and "Prognoseforløbet for 2026" in text
    book = pd.read_excel(folder / "leader.xlsx", sheet_name=None, engine="openpyxl", dtype=object)
    trend = book["Udvikling pr. paragraf"]
    assert not pd.to_numeric(trend[L["citizens"]], errors="coerce").between(1, 4).any()  # small cells stay hidden
    assert set(trend[L["month"]].astype(str)) >= {"2025-10", "2026-10"}
    path = book["Prognoseforløb"]
    assert set(path[L["part"]]) == {"forbrug til dato", "disponeret"}


def test_provider_report_shows_the_12_month_trend_per_citizen_and_its_findings_with_evidence(published):
    folder = published
    page = next(iter(sorted(folder.glob("provider-*.html"))))
    text = _text(page)
    assert "Udviklingen de seneste 12 måneder" in text
    assert "Leveringsgrad pr. borger og måned, de seneste 12 måneder" in text
    assert "Leveringsgrad, 12 mdr." in text and "nov. 2025" in text and "okt. 2026" in text
    assert re.search(r"B-[0-9a-f]{12}", text)  # citizens by pseudonym
    raw = readable_text(page)
    assert _escaped("Bestilte og leverede timer pr. måned, november 2025 – oktober 2026") in raw
    assert "Belæg" in text and "Måneder" in text and "med deres belæg herunder" in text


def test_every_report_renders_offline_at_1400_px_with_no_clipped_text(published, tmp_path):
    if chromium() is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    from bitanalysis_dev.browser import TALL, render

    folder = published
    for name in ("leader", "findings", "quality", sorted(p.stem for p in folder.glob("provider-*.html"))[0]):
        layout = render(folder / f"{name}.html", tmp_path / f"{name}.png", width=1400, window=TALL)
        assert layout.clipped == [], f"{name}: " + "\n".join(layout.clipped)
        assert layout.errors == [] and layout.failed_loads == [], name  # no network: nothing fetched, nothing failed
        charts = readable_text(folder / f"{name}.html").count('class="plotly-graph-div"')
        assert layout.svg_charts == charts, name  # every chart drew itself from the compressed library


# --- price per ordered hour (issue 19) --------------------------------------------------------------------------------


def _squeezed(text: str) -> str:
    """Text without Markdown emphasis and without whitespace (an HTML page puts spaces where its tags were)."""
    return re.sub(r"\s+", "", text.replace("**", ""))


def test_provider_report_has_a_price_section_and_a_danish_price_sheet(published, sample_ws):
    from openpyxl import load_workbook

    import bitanalysis as bit

    folder = published
    p = bit.period("2026-10")
    prices = economics.price_benchmark(sample_ws, p)
    models = pr.cost_models_of(sample_ws)
    pid = PUBLISHED_PROVIDER
    assert prices.loc[prices["provider_id"] == pid, "ranked"].any()  # the published provider is in a ranked group
    mine = prices[prices["provider_id"] == pid]
    text = _text(folder / f"provider-{pid}.html")
    section = text[text.index("Prisen pr. bestilt time er periodens udgift delt med de bestilte timer") :]
    assert text.index("Dokumentation, tillæg og fund") < text.index("Prisen pr. bestilt time er periodens")
    assert (pr.NO_MODEL in section) if not models else ("kommunens egne antagelser" in section and pr.NO_MODEL not in section)
    for _, row in mine.iterrows():  # a sentence per level, over or under the median
        assert _squeezed(pr.price_level_text(row, bool(pr.models_in(models, p)))) in _squeezed(section)
    for header in ("Pris pr. bestilt time", "Median", "Nedre kvartil", "Øvre kvartil", "Tilbud i gruppen", "Placering"):
        assert header in section, header
    book = load_workbook(folder / f"provider-{pid}.xlsx")
    sheet = book["Pris"]
    headers = [c.value for c in sheet[1]]
    assert headers == [L[c] for c in pr.price_view(mine, models, pr.PRICE_SHEET).columns]
    assert ("Modellens pris pr. time" in headers) == bool(models)
    assert sheet.max_row - 1 == len(mine)
    shown = [r[headers.index("Pris pr. bestilt time")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert shown == pytest.approx([None if pd.isna(v) else v for v in mine["price_per_hour"]])
    formats = formats_of(sheet)
    assert formats["Pris pr. bestilt time"] == {KRONER} and formats["Median"] == {KRONER} and formats["Forhold til median"] == {SHARE}


def test_leader_report_has_the_price_line_without_small_groups(published, sample_ws):
    import bitanalysis as bit

    folder = published
    p = bit.period("2026-10")
    want = pr.price_text(
        economics.price_benchmark(sample_ws, p),
        bit.findings(sample_ws, p),
        pr.cost_models_of(sample_ws),
        p,
        economics.settings_of(sample_ws, None),
    )
    text = _text(folder / "leader.html")
    assert "Pris pr. bestilt time: er prisen rimelig for timerne?" in text
    assert _squeezed(want) in _squeezed(text)
    assert (pr.NO_MODEL in text) == (not pr.cost_models_of(sample_ws))


def test_the_guard_lets_the_authoritys_task_text_through_but_not_the_same_note_elsewhere(tmp_path):
    task = "Støtte til at komme op og i gang om morgenen"  # the indsatsliste's own text
    note = "Støtte til at komme op og i gang"  # a documentation note that says part of it
    shown = tmp_path / "a.html"
    shown.write_text(f"<td>{task}</td>", encoding="utf-8")
    assert privacy_hits([shown], {note}, allowed={task}) == []
    leaked = tmp_path / "b.html"
    leaked.write_text(f"<td>{task}</td><p>Notat: {note}.</p>", encoding="utf-8")
    assert privacy_hits([leaked], {note}, allowed={task}) == [
        f"b.html: indeholder et navn eller en notattekst fra inddata ({len(note)} tegn)"
    ]
