import pandas as pd

from bitanalysis import present as pr
from bitanalysis._period import period


def test_period_names_in_danish():
    assert pr.period_name(period("2026-10")) == "oktober 2026"
    assert pr.period_name(period("2026-Q3")) == "3. kvartal 2026"
    assert pr.period_name(period("2026")) == "året 2026"
    assert pr.period_name(period("2026-01..2026-06")) == "januar 2026 – juni 2026"


def test_small_groups_are_shown_as_less_than_five():
    f = pd.DataFrame({"paragraph": ["SEL §85", "SEL §108"], "citizens": [12, 3], "cost": [1000.0, 900.0]})
    out = pr.suppress_small(f, hide=("cost",))
    assert out["citizens"].tolist() == [12, "<5"]
    assert out["cost"].tolist()[0] == 1000.0 and out["cost"].tolist()[1] is None
    assert f["citizens"].tolist() == [12, 3]  # the input is not changed


def test_table_formats_money_and_shares_the_danish_way():
    html = pr.table(
        pd.DataFrame({"a": ["x"], "dkk": [1234567.4], "s": [0.123]}),
        {"a": "Navn", "dkk": "Udgift", "s": "Andel"},
        money=("dkk",),
        percent_=("s",),
    ).data
    assert "1.234.567 kr." in html and "12,3 %" in html and "<th>Udgift</th>" in html


def test_drivers_name_the_main_effect_and_the_largest_moves():
    pq = pd.DataFrame({"component": ["base", "quantity", "price", "mix", "current"], "dkk": [100.0, 30.0, -5.0, 2.0, 127.0]})
    now = pd.DataFrame({"paragraph": ["A", "B"], "cost": [90.0, 37.0]})
    before = pd.DataFrame({"paragraph": ["A", "B"], "cost": [50.0, 50.0]})
    first, second, third = pr.drivers(pq, now, before)
    assert first == "Udgiften er steget med 27 kr.; den største del skyldes flere eller færre helårspersoner (mængde): +30 kr."
    assert second == "Størst stigning: A (+40 kr.)." and third == "Størst fald: B (−13 kr.)."


def test_budget_sentence():
    f = pd.DataFrame(
        {
            "area": ["total"],
            "budget": [100.0],
            "actual": [80.0],
            "committed": [30.0],
            "forecast": [110.0],
            "variance": [10.0],
            "variance_pct": [0.1],
        }
    )
    text = pr.budget_sentence(f, 2026, pd.Timestamp("2026-10-31"))
    assert "**110 kr.**" in text and "merforbrug på **10 kr.** (10,0 %)" in text and "31-10-2026" in text
