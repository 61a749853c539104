import pandas as pd

from bitanalysis import present as pr
from bitanalysis._period import period


def test_period_names_in_danish():
    assert pr.period_name(period("2026-10")) == "oktober 2026"
    assert pr.period_name(period("2026-Q3")) == "3. kvartal 2026"
    assert pr.period_name(period("2026")) == "året 2026"
    assert pr.period_name(period("2026-01..2026-06")) == "januar 2026 – juni 2026"


def test_small_groups_are_shown_as_less_than_five_with_their_amounts_and_shares_hidden():
    f = pd.DataFrame(
        {
            "paragraph": ["SEL §85", "SEL §108", "SEL §107", "SEL §103"],
            "citizens": [12, 3, 30, 0],
            "cost": [1000.0, 900.0, 5000.0, 0.0],
            "citizen_share": [12 / 45, 3 / 45, 30 / 45, 0.0],
        }
    )
    out = pr.suppress_small(f, hide=("cost",))
    assert out["citizens"].tolist() == [12, "<5", 30, 0]  # no citizen is in a group of 0
    # the small group's cost and share, and those of the next smallest group: the total does not give the small one away
    assert out["cost"].tolist() == [None, None, 5000.0, 0.0] and out["citizen_share"].tolist() == [None, None, 30 / 45, 0.0]
    assert f["citizens"].tolist() == [12, 3, 30, 0]  # the input is not changed
    two_small = pr.suppress_small(f.assign(citizens=[12, 3, 30, 2]), hide=("cost",))
    assert two_small["cost"].tolist() == [1000.0, None, 5000.0, None]  # two small groups hide each other
    months = pd.DataFrame({"month": ["2026-09", "2026-09", "2026-10", "2026-10"], "citizens": [3, 40, 3, 2], "cost": [1.0, 2.0, 3.0, 4.0]})
    assert pr.suppress_small(months, hide=("cost",), within="month")["cost"].tolist() == [None, None, None, None]


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


def _gaps(order_days, without, rate_days=None, hours_days=0, citizens=1):
    from bitanalysis.economics import CostGaps

    rate_days = without - hours_days if rate_days is None else rate_days
    return CostGaps(order_days, without, rate_days, hours_days, 10, 1, citizens)


def test_the_order_days_without_a_cost_in_one_sentence():
    text = pr.missing_costs_sentence(_gaps(15_600, 312))
    assert text.startswith("**312 af 15.600 bevillingsdage i perioden (2,0 %) har ingen udgift**, fordi taksten mangler")
    assert "de indgår ikke i beløbene" in text and "'Takst mangler'" in text and "'Timetal mangler'" not in text
    both = pr.missing_costs_sentence(_gaps(1000, 40, rate_days=30, hours_days=10))
    assert "(30 dage), eller fordi bevillingen har en timetakst men intet timetal (10 dage)" in both
    assert pr.missing_costs_sentence(_gaps(1000, 0)) == "Alle 1.000 bevillingsdage i perioden har en udgift; beløbene er komplette."
    assert pr.missing_costs_sentence(_gaps(0, 0)) == "Der er ingen aktive bevillinger i perioden."


def test_nothing_to_report_for_a_period_without_orders_or_costs():
    assert pr.nothing_to_report(period("2019-01"), _gaps(0, 0)) == (
        "**Der er intet at rapportere for januar 2019:** ingen aktive bevillinger i perioden."
    )
    assert "ingen af periodens 54 bevillingsdage har en udgift" in pr.nothing_to_report(period("2019-01"), _gaps(54, 54))
    assert pr.nothing_to_report(period("2026-10"), _gaps(100, 99)) is None


def test_budget_sentence_never_shows_a_missing_forecast_as_zero():
    f = pd.DataFrame(
        {
            "area": ["total"],
            "budget": [100.0],
            "actual": [80.0],
            "committed": [30.0],
            "forecast": [110.0],
            "variance": [10.0],
            "variance_pct": [0.1],
            "days_without_cost": [62],
        }
    )
    assert "Beløbene omfatter ikke 62 bevillingsdage i året uden udgift" in pr.budget_sentence(f, 2026, pd.Timestamp("2026-10-31"))
    missing = f.assign(actual=float("nan"), committed=float("nan"), forecast=float("nan"), variance=float("nan"))
    text = pr.budget_sentence(missing, 2026, pd.Timestamp("2026-10-31"))
    assert text.startswith("Forventet regnskab for 2026 kan ikke opgøres") and "0 kr." not in text


def test_traffic_light_caveat_and_concentration_hide_small_counts():
    from bitanalysis.economics import Concentration

    assert "omfatter ikke 62 bevillingsdage uden udgift (0,4 % af periodens bevillingsdage, hos <5 borgere)" in (
        pr.traffic_light_caveat(_gaps(15_763, 62, citizens=2))
    )
    above = pd.DataFrame({"threshold": [1e6, 2e6], "citizens": [58, 1], "cost": [1.0, 1.0]})
    conc = Concentration(pd.DataFrame(), above, 0.287, days_without_cost=62, citizens_without_cost=2)
    text = pr.concentration_sentence(conc, "2025-priser")
    assert "**28,7 %**" in text and "Over 1.000.000 kr. om året (2025-priser): 58 borgere." in text
    assert "Over 2.000.000 kr. om året (2025-priser): <5 borgere." in text
    assert text.endswith("62 bevillingsdage uden udgift er ikke medregnet; <5 borgere helt uden udgift indgår ikke.")


def test_price_note_says_which_prices_and_what_the_index_lacks():
    assert pr.price_note(None, []) == "Beløb i løbende priser."
    assert pr.price_note(2026, []).startswith("Beløb i 2026-priser, omregnet med P/L-indekset")
    assert "P/L-indekset mangler år 2019, 2030" in pr.price_note(2030, [2019, 2030]) and "løbende priser" in pr.price_note(2030, [2030])
    assert pr.money(float("nan")) == "kan ikke opgøres" and pr.money(1234.0) == "1.234 kr."


def test_drivers_leave_out_a_group_without_a_cost():
    pq = pd.DataFrame({"component": ["base", "quantity", "price", "mix", "current"], "dkk": [100.0, 30.0, -5.0, 2.0, 127.0]})
    now = pd.DataFrame({"paragraph": ["A", "B", "C"], "cost": [90.0, 37.0, float("nan")]})
    before = pd.DataFrame({"paragraph": ["A", "B", "C"], "cost": [50.0, 50.0, 10.0]})
    _, second, third = pr.drivers(pq, now, before)
    assert second == "Størst stigning: A (+40 kr.)." and third == "Størst fald: B (−13 kr.)."  # not C (−10 kr.)
