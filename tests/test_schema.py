"""The canonical tables' helpers: concat (compact tables kept compact), compact and recode."""

import numpy as np
import pandas as pd
import pytest

from bitanalysis.core.parse import text_key
from bitanalysis.core.schema import compact, concat, conform, empty, recode


def text(*values) -> pd.Series:
    return pd.Series(list(values), dtype="string")


def jan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "citizen_id": text("B-1", "B-2", None),
            "provider_id": text("015466", "015466", "004512"),
            "minutes": [90.0, 45.0, 60.0],
            "service": text("Støtte", "Tøjvask", "Støtte"),
            "task": text(None, None, None),  # all missing: a category without categories
            "source": text("jan.csv", "jan.csv", "jan.csv"),
            "source_row": pd.array([2, 3, 4], dtype="Int64"),
        }
    )


def feb() -> pd.DataFrame:
    # another column order, no task column, a citizen jan has and one it has not, a service of its own
    return pd.DataFrame(
        {
            "source": text("feb.csv", "feb.csv"),
            "citizen_id": text("B-3", "B-1"),
            "provider_id": text("004512", None),
            "minutes": [30.0, 15.0],
            "service": text("Æble", None),
            "source_row": pd.array([2, 3], dtype="Int64"),
        }
    )


TEXT_COLUMNS = ("citizen_id", "provider_id", "service", "task", "source")


def test_compact_makes_text_columns_categories_and_nothing_else():
    frame = jan().assign(
        note=pd.Series(["a", None, "a"], dtype="str"),  # the other string dtype
        date=pd.to_datetime(["2026-01-05", "2026-01-06", None]),
        themes=pd.Series([["x"], [], ["x", "y"]], dtype=object),
    )
    small = compact(frame)
    for c in (*TEXT_COLUMNS, "note"):
        assert isinstance(small[c].dtype, pd.CategoricalDtype), c
    for c in ("minutes", "source_row", "date", "themes"):
        assert small[c].dtype == frame[c].dtype, c
    assert small["citizen_id"].cat.categories.tolist() == ["B-1", "B-2"] and small["citizen_id"].isna().tolist() == [False, False, True]
    assert small["task"].cat.categories.tolist() == [] and small["task"].isna().all()
    assert small.index.equals(frame.index) and list(small.columns) == list(frame.columns)
    back = small.astype({c: frame[c].dtype for c in (*TEXT_COLUMNS, "note")})
    pd.testing.assert_frame_equal(back, frame)
    assert compact(frame.iloc[:0]).shape == (0, len(frame.columns))


def test_concat_of_compact_frames_unites_their_categories():
    out = concat([compact(jan()), compact(feb())], "deliveries")
    assert list(out.columns) == ["citizen_id", "provider_id", "minutes", "service", "task", "source", "source_row"]
    assert out.index.equals(pd.RangeIndex(5))
    for c in TEXT_COLUMNS:
        assert isinstance(out[c].dtype, pd.CategoricalDtype), c
    assert sorted(out["citizen_id"].cat.categories) == ["B-1", "B-2", "B-3"]  # united: B-1 once
    assert sorted(out["service"].cat.categories) == ["Støtte", "Tøjvask", "Æble"]
    assert out["citizen_id"].tolist()[:2] == ["B-1", "B-2"] and out["citizen_id"].tolist()[3:] == ["B-3", "B-1"]
    assert out["citizen_id"].isna().tolist() == [False, False, True, False, False]
    assert out["provider_id"].isna().tolist() == [False, False, False, False, True]
    assert out["task"].isna().all()  # all missing in jan, lacking in feb
    assert out["minutes"].tolist() == [90.0, 45.0, 60.0, 30.0, 15.0] and out["minutes"].dtype == "float64"
    assert out["source_row"].tolist() == [2, 3, 4, 2, 3] and out["source_row"].dtype == "Int64"


@pytest.mark.parametrize("order", ["jan_feb", "feb_jan", "jan_only", "feb_jan_feb"])
def test_concat_of_compact_frames_is_the_plain_concat(order):
    parts = {"jan_feb": [jan(), feb()], "feb_jan": [feb(), jan()], "jan_only": [jan()], "feb_jan_feb": [feb(), jan(), feb()]}[order]
    plain = concat(parts, "deliveries")
    out = concat([compact(p) for p in parts], "deliveries")
    pd.testing.assert_frame_equal(out.astype({c: "string" for c in TEXT_COLUMNS if c in out}), plain, check_dtype=True)
    pd.testing.assert_frame_equal(conform(out, "deliveries"), conform(plain, "deliveries"))


def test_concat_leaves_out_empty_frames_and_gives_the_empty_table_for_none():
    pd.testing.assert_frame_equal(concat([], "deliveries"), empty("deliveries"))
    pd.testing.assert_frame_equal(concat([compact(jan()).iloc[:0]], "deliveries"), empty("deliveries"))
    out = concat([compact(jan()).iloc[:0], compact(feb())], "deliveries")
    assert list(out.columns) == list(feb().columns) and len(out) == 2
    # a compact frame beside a frame whose column is all missing and has no categories
    none = compact(feb().assign(service=text(None, None)))
    out = concat([compact(jan()), none], "deliveries")
    assert isinstance(out["service"].dtype, pd.CategoricalDtype)
    assert out["service"].tolist()[:3] == ["Støtte", "Tøjvask", "Støtte"] and out["service"].iloc[3:].isna().all()


def test_concat_of_plain_frames_is_pandas_concat():
    pd.testing.assert_frame_equal(concat([jan(), feb()], "deliveries"), pd.concat([jan(), feb()], ignore_index=True))


def test_recode_a_categorical_column_by_its_categories():
    s = pd.Series(
        ["Støtte", "  støtte ", None, "STØTTE", "Tøj  vask", "Støtte"], dtype="string", index=[10, 12, 14, 16, 18, 20], name="service"
    )
    small = s.astype("category")
    calls = []

    def counted(v: pd.Series) -> pd.Series:
        calls.append(len(v))
        return text_key(v)

    out = recode(small, counted)
    assert calls == [4]  # once per category, not per row
    assert isinstance(out.dtype, pd.CategoricalDtype)
    assert out.index.equals(s.index) and out.name == "service"
    assert out.tolist()[:2] == ["støtte", "støtte"] and out.tolist()[3:] == ["støtte", "tøj vask", "støtte"]
    assert pd.isna(out.iloc[2])  # missing stays missing
    assert sorted(out.cat.categories) == ["støtte", "tøj vask"]  # three categories became one
    assert (out.cat.codes.to_numpy() >= -1).all() and out.cat.codes.iloc[2] == -1
    pd.testing.assert_series_equal(out.astype("string"), text_key(s).astype("string"))


def test_recode_a_category_to_missing_and_to_a_new_value():
    s = pd.Series(["015466", "15466", "004512", None], dtype="string", index=list("abcd"), name="provider_id").astype("category")
    out = recode(s, lambda v: v.replace({"15466": "015466", "004512": None}))
    assert isinstance(out.dtype, pd.CategoricalDtype) and out.index.tolist() == list("abcd") and out.name == "provider_id"
    assert out.tolist()[:2] == ["015466", "015466"] and out.iloc[2:].isna().all()
    assert out.cat.categories.tolist() == ["015466"]


def test_recode_a_plain_column_is_just_the_function():
    s = pd.Series(["Støtte", "  STØTTE", None], dtype="string", index=[5, 3, 1], name="service")
    pd.testing.assert_series_equal(recode(s, text_key), text_key(s))
    numbers = pd.Series([1.0, np.nan, 3.0], index=[2, 4, 6], name="minutes")
    pd.testing.assert_series_equal(recode(numbers, lambda v: v * 2), numbers * 2)
    empty_small = pd.Series([], dtype="string", name="service").astype("category")
    out = recode(empty_small, text_key)
    assert len(out) == 0 and isinstance(out.dtype, pd.CategoricalDtype)
