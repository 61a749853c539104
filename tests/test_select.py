"""select, selection and Selection: filter values compared as the loader normalises the exports, unknown ones named."""

import pandas as pd
import pytest

import bitanalysis
from bitanalysis import Selection, Workspace, select, selection

from .conftest import delivery, order, rate

A, B = "004512", "000777"
NAMES = {A: "Solgården", B: "Bakken"}


def named(row: dict) -> dict:
    return dict(row, provider_name=NAMES[row["provider_id"]])


def ws() -> Workspace:
    """Three orders at two providers under three paragraphs; the citizens' teams come from the citizens table."""
    orders = [
        named(order("o1", "c1", A, paragraph="SEL §85", service="Socialpædagogisk støtte")),
        named(order("o2", "c2", B, paragraph="SEL §107", service="Ophold")),
        named(order("o3", "c3", A, paragraph="ABL §105", service="Beskyttet beskæftigelse")),
    ]
    citizens = [
        {"citizen_id": "c1", "team": "Team Nord"},
        {"citizen_id": "c2", "team": "Team Syd"},
        {"citizen_id": "c3", "team": "Team Syd"},
    ]
    rates = [rate(600, "hour", provider_id=A), rate(2000, "day", provider_id=B)]
    deliveries = [delivery("2026-10-02", 60, "c1", A)]
    return Workspace.from_frames(
        orders=pd.DataFrame(orders), citizens=pd.DataFrame(citizens), rates=pd.DataFrame(rates), deliveries=pd.DataFrame(deliveries)
    )


def ids(frame: pd.DataFrame, column: str = "order_id") -> list:
    return sorted(frame[column].tolist())


# --- select --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["§ 85", "SEL-85", "85", 85, "sel §85", "SEL §85"])
def test_paragraph_however_written(written):
    assert ids(select(ws().orders, paragraph=written)) == ["o1"]


def test_bare_paragraph_105_is_the_act_on_adults():
    assert ids(select(ws().orders, paragraph="§105")) == ["o3"]  # ABL §105, not SEL §105


@pytest.mark.parametrize("written", ["4512", "004512", 4512, " 004512 "])
def test_provider_id_with_or_without_leading_zeros(written):
    assert ids(select(ws().orders, provider_id=written)) == ["o1", "o3"]


def test_ids_stored_without_leading_zeros_match_ids_given_with_them():
    frame = pd.DataFrame({"provider_id": ["4512", "777"], "n": [1, 2]})
    assert select(frame, provider_id="004512")["n"].tolist() == [1]
    assert select(frame, provider_id=777)["n"].tolist() == [2]


def test_text_columns_ignore_case_and_spacing():
    w = ws()
    assert ids(select(w.citizens, team="  team   NORD "), "citizen_id") == ["c1"]
    assert ids(select(w.orders, service="socialpædagogisk  STØTTE")) == ["o1"]


def test_a_list_is_any_of_its_values():
    w = ws()
    assert ids(select(w.orders, paragraph=["§ 85", "§105"])) == ["o1", "o3"]
    assert ids(select(w.orders, provider_id=[4512, "777"])) == ["o1", "o2", "o3"]
    assert ids(select(w.citizens, team=("team syd",)), "citizen_id") == ["c2", "c3"]


def test_none_selects_everything():
    w = ws()
    pd.testing.assert_frame_equal(select(w.orders, paragraph=None, provider_id=None), w.orders)
    pd.testing.assert_frame_equal(select(w.orders), w.orders)


def test_several_filters_all_hold():
    assert ids(select(ws().orders, provider_id="4512", paragraph="§ 85")) == ["o1"]


def test_a_findings_paragraph_is_looked_up_through_its_order():
    w = ws()
    found = pd.DataFrame(
        {
            "type": ["under_delivery", "rate_missing", "need_not_covered"],
            "citizen_id": ["c1", "c2", "c3"],
            "order_id": ["o1", "o2", None],  # a need no order covers has no order, hence no paragraph
        }
    )
    assert select(found, w, paragraph="§ 107")["type"].tolist() == ["rate_missing"]
    assert select(found, w, paragraph=["85", "SEL-107"])["type"].tolist() == ["under_delivery", "rate_missing"]
    assert "paragraph" not in select(found, w, paragraph="§ 85")  # the frame is filtered, not widened


def test_a_team_is_looked_up_through_the_citizen():
    w = ws()
    per_citizen = pd.DataFrame({"citizen_id": ["c1", "c2", "c3"], "minutes": [10, 20, 30]})
    assert select(per_citizen, w, team="TEAM syd")["minutes"].tolist() == [20, 30]
    # a findings-like frame: the orders carry no team, so it is the citizen's (also where there is no order)
    found = pd.DataFrame({"citizen_id": ["c1", "c2", "c3"], "order_id": ["o1", "o2", None]})
    assert select(found, w, team="team syd")["citizen_id"].tolist() == ["c2", "c3"]


def test_a_column_that_cannot_be_found_is_a_key_error_naming_it():
    found = pd.DataFrame({"citizen_id": ["c1"], "order_id": ["o1"]})
    with pytest.raises(KeyError, match="paragraph"):
        select(found, paragraph="§ 85")  # without ws there is nothing to look it up in
    with pytest.raises(KeyError, match="colour"):
        select(found, ws(), colour="blå")  # neither the orders nor the citizens have it
    with pytest.raises(KeyError, match="team"):
        select(pd.DataFrame({"x": [1]}), ws(), team="Team Nord")  # no order or citizen to look it up through


@pytest.mark.parametrize("name", ["Solgården", "  solgården ", "SOLGÅRDEN"])
def test_a_provider_may_be_given_by_its_name(name):
    w = ws()
    assert ids(select(w.orders, w, provider_id=name)) == ["o1", "o3"]
    assert ids(select(w.deliveries, w, provider_id=name), "citizen_id") == ["c1"]


def test_a_provider_name_needs_the_workspace():
    assert select(ws().orders, provider_id="Solgården").empty  # without ws a name is only compared as an id


def test_select_does_not_change_the_frame():
    w = ws()
    before = w.orders.copy(deep=True)
    select(w.orders, w, paragraph="§ 85", provider_id="Solgården", team="team nord")
    pd.testing.assert_frame_equal(w.orders, before)


# --- selection ------------------------------------------------------------------------------------------------------


def test_selection_is_exported():
    assert bitanalysis.Selection is Selection
    assert isinstance(selection(ws()), Selection)


def test_selection_of_known_values_has_no_problems_and_a_danish_label():
    w = ws()
    chosen = selection(w, provider_id="4512", paragraph="§ 85")
    assert chosen.problems == ()
    assert chosen.label == "tilbud 004512 (Solgården), paragraf SEL §85"
    assert ids(chosen(w.orders)) == ["o1"]


def test_selection_of_a_provider_by_name():
    w = ws()
    chosen = selection(w, provider_id="bakken")
    assert chosen.problems == ()
    assert chosen.label == "tilbud 000777 (Bakken)"
    assert ids(chosen(w.orders)) == ["o2"]


def test_selection_without_filters_is_all():
    w = ws()
    assert selection(w).label == "alle"
    assert selection(w, provider_id=None, paragraph="  ").label == "alle"  # None and blank text filter nothing
    pd.testing.assert_frame_equal(selection(w, provider_id=None)(w.orders), w.orders)


def test_an_unknown_provider_is_named_with_the_known_ones_and_selects_nothing():
    w = ws()
    chosen = selection(w, provider_id="9999")
    assert len(chosen.problems) == 1
    line = chosen.problems[0]
    assert "'9999'" in line and "findes ikke" in line
    assert "000777 (Bakken)" in line and "004512 (Solgården)" in line
    assert chosen(w.orders).empty  # no exception: the notebook goes on with an empty selection
    assert list(chosen(w.orders).columns) == list(w.orders.columns)
    found = pd.DataFrame({"citizen_id": ["c1"], "order_id": ["o1"], "provider_id": [A]})
    assert chosen(found).empty


def test_an_unknown_paragraph_lists_the_known_paragraphs():
    w = ws()
    chosen = selection(w, paragraph="§ 999")
    assert len(chosen.problems) == 1
    line = chosen.problems[0]
    assert "'§ 999'" in line and "findes ikke" in line
    for known in ("SEL §85", "SEL §107", "ABL §105"):
        assert known in line
    assert chosen(w.orders).empty


def test_a_list_with_one_unknown_value_keeps_the_known_one():
    w = ws()
    chosen = selection(w, paragraph=["§ 85", "§ 999"])
    assert len(chosen.problems) == 1 and "'§ 999'" in chosen.problems[0]
    assert ids(chosen(w.orders)) == ["o1"]


def test_label_of_a_list_of_providers():
    chosen = selection(ws(), provider_id=[4512, "777"])
    assert chosen.problems == ()
    assert chosen.label == "tilbud 004512 (Solgården) eller 000777 (Bakken)"


def test_markdown_shows_the_label_and_the_problems():
    chosen = selection(ws(), provider_id="9999", team="Team Nord")
    md = chosen._repr_markdown_()
    assert "team Team Nord" in md
    assert len(chosen.problems) == 1 and chosen.problems[0] in md
    assert "⚠" in md


def test_an_orders_team_missing_in_the_orders_comes_from_the_citizens_table():
    orders = pd.DataFrame([order("o1", "c1", "p"), order("o2", "c2", "p")]).assign(team=[None, "Team Syd"])
    citizens = pd.DataFrame([{"citizen_id": "c1", "team": "Team Nord"}, {"citizen_id": "c2", "team": "Team Nord"}])
    w = Workspace.from_frames(orders=orders, rates=pd.DataFrame([rate(600, "hour")]), citizens=citizens)
    assert ids(select(w.orders, w, team="team nord")) == ["o1"]  # o2's own team wins over its citizen's
    assert ids(selection(w, team="Team Syd")(w.orders)) == ["o2"]


def test_a_filter_on_a_column_no_table_has_is_refused_at_once():
    with pytest.raises(ValueError, match="colour"):
        selection(ws(), colour="rød")
