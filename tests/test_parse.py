import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bitanalysis.core import parse as p
from bitanalysis.core import parse_codes, parse_time

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


def obj(*values):
    return pd.Series(list(values), dtype=object)


def text(*values):
    return pd.Series(list(values), dtype="str")


def check(parsed, expected, bad):
    values, is_bad = parsed
    assert list(is_bad) == bad
    for got, want in zip(values, expected):
        assert (pd.isna(got) and want is None) or got == (pytest.approx(want) if isinstance(want, float) else want), (got, want)


def real(name, sep=";"):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} absent")
    return pd.read_csv(path, sep=sep, dtype=str)


# --- inline cases ---------------------------------------------------------------------------------------------


def test_number():
    s = obj(
        "1.234,56",
        "kr. 2.347,79",
        " -1 362 250 ",
        "3.234 kr.",
        "600 kr.",
        "Kr. 2.527/2679",
        "3,73 kr./km.",
        "73,7",
        "95,4%",
        "1\u00a0234,5",
        "−12",
        "Kr. 223,00 pr. døgn",
        "500,-",
        7,
        2.5,
        "abc",
        "1.2.3,4,5",
        "1.23",
        "",
        "  ",
        None,
        np.nan,
        True,
        dt.date(2026, 1, 1),
    )
    check(
        p.parse_number(s),
        [1234.56, 2347.79, -1362250, 3234, 600, 2527, 3.73, 73.7, 95.4, 1234.5, -12, 223, 500, 7, 2.5] + [None] * 9,
        [False] * 15 + [True] * 3 + [False] * 4 + [True] * 2,
    )
    check(p.parse_number(text("1,234.56", "1.5"), decimal=".", thousands=","), [1234.56, 1.5], [False, False])
    values, bad = p.parse_number(text("1", None))
    assert values.dtype == "float64" and bad.dtype == bool


def test_number_keeps_index_and_name():
    s = pd.Series(["1", "x"], index=[10, 20], name="amount", dtype=object)
    values, bad = p.parse_number(s)
    assert list(values.index) == [10, 20] and values.name == "amount" and list(bad) == [False, True]


def test_date():
    d = pd.Timestamp
    s = obj(
        "05-01-2026",
        "5-1-2026",
        "05.01.2026",
        "05/01/2026",
        "2026-01-05",
        "2026-01-05T00:00:00",
        "2026-01-05 13:45:00",
        dt.datetime(2026, 1, 5, 13, 45),
        dt.date(2026, 1, 5),
        45658,
        45658.75,
        "45658",
        "31-02-2026",
        "2026-13-01",
        "i morgen",
        12,
        dt.time(1, 30),
        "",
        None,
    )
    values, bad = parse_time.parse_date(s)
    assert values.dtype == "datetime64[ns]"
    check((values, bad), [d("2026-01-05")] * 9 + [d("2025-01-01")] * 3 + [None] * 7, [False] * 12 + [True] * 5 + [False] * 2)


def test_date_formats():
    s = text("05-01-2026", "05.01.2026", "01/05/2026", "2026-01-05", "45658")
    jan5, ny = pd.Timestamp("2026-01-05"), pd.Timestamp("2025-01-01")
    check(parse_time.parse_date(s, "dd-mm-yyyy"), [jan5, None, None, None, ny], [False, True, True, True, False])
    check(parse_time.parse_date(s, "dd.mm.yyyy"), [None, jan5, None, None, ny], [True, False, True, True, False])
    check(parse_time.parse_date(s, "iso"), [None, None, None, jan5, ny], [True, True, True, False, False])
    check(parse_time.parse_date(s, "mm/dd/yyyy"), [None, None, jan5, None, ny], [True, True, False, True, False])
    assert parse_time.parse_date(text("07/16/2018")).bad.all()  # auto never reads month first
    # auto also reads a two-digit year (dd.mm.åå, as exports from some case systems write it): 00-68 is 20åå
    short = parse_time.parse_date(text("05.01.26", "05-01-26", "05/01/26", "31.12.99", "5.1.26x"))
    check(short, [jan5, jan5, jan5, pd.Timestamp("1999-12-31"), None], [False, False, False, False, True])
    assert parse_time.parse_date(text("05.01.26"), "dd.mm.yyyy").bad.all()  # a stated four-digit format stays strict
    assert "dd-mm-åååå" in parse_time.expected_date("auto") and "åååå-mm-dd" in parse_time.expected_date("iso")
    with pytest.raises(ValueError):
        parse_time.parse_date(s, "yyyy")


def test_date_edge_cells():
    dates = pd.Series(pd.to_datetime(["2026-01-05 10:00", None]))
    check(parse_time.parse_date(dates), [pd.Timestamp("2026-01-05"), None], [False, False])
    check(parse_time.parse_date(obj(dt.date(9999, 12, 31), "31-12-9999")), [None, None], [True, True])  # beyond datetime64[ns]


def test_duration():
    s = obj("1:30", "0:45", "12:05", "90", "37,5", dt.time(1, 30), dt.timedelta(minutes=90), 90, "-5", "1:75", "x", "")
    check(parse_time.parse_duration(s), [90, 45, 725, 90, 37.5, 90, 90, 90] + [None] * 4, [False] * 8 + [True] * 3 + [False])
    check(parse_time.parse_duration(obj("1,5", 1.5, "1:30"), unit="hours"), [90, 90, 90], [False] * 3)
    check(parse_time.parse_duration(text("1.5"), unit="hours", decimal="."), [90], [False])


def test_paragraph():
    cases = {
        "§ 107": "SEL §107",
        "SEL §107": "SEL §107",
        "SEL-107-2.1": "SEL §107",
        "Botilbud X §107 - 108": "SEL §107",
        "§ 85": "SEL §85",
        "SEL-85": "SEL §85",
        "SEL-104-1": "SEL §104",
        "ABL §105": "ABL §105",
        "ABL-105-2": "ABL §105",
        "§105, stk. 2 og §56": "ABL §105",
        "§115": "ABL §115",
        "105": "ABL §105",
        "Barnets lov §46": "BL §46",
        "BL §46": "BL §46",
        "BL-32-1": "BL §32",
        "BL §32, stk. 1": "BL §32",
        "Serviceloven § 108": "SEL §108",
        "SEL-52-3.7": "SEL §52",
        "SEL-44-jfr. §84": "SEL §44",
        "SEL-83-a": "SEL §83a",
        "§ 83 a": "SEL §83a",
        "SEL 108": "SEL §108",
        "§ 108 i serviceloven": "SEL §108",
    }
    check(parse_codes.parse_paragraph(obj(*cases)), list(cases.values()), [False] * len(cases))
    check(
        parse_codes.parse_paragraph(obj(85.0, 107, 107.5, "Botilbud", "", None)),
        ["SEL §85", "SEL §107", None, None, None, None],
        [False, False, True, True, False, False],
    )


def test_unit():
    cases = {
        "pr. døgn": "day",
        "kr. pr. døgn": "day",
        "døgn": "day",
        "dag": "day",
        "pr. dag": "day",
        "kr. pr. dag": "day",
        "uge": "week",
        "pr. uge": "week",
        "md.": "month",
        "pr. md.": "month",
        "kr. pr. md.": "month",
        "måned": "month",
        "pr. måned": "month",
        "kr. pr. måned": "month",
        "år": "year",
        "pr. år": "year",
        "time": "hour",
        "pr. time": "hour",
        "kr. pr. time": "hour",
        "Timepris": "hour",
        "KR. PR. DØGN": "day",
        "Day": "day",
        "week": "week",
        "month": "month",
        "year": "year",
        "hour": "hour",
        "kr. pr. md. (note in brackets)": "month",
    }
    check(parse_codes.parse_unit(obj(*cases)), list(cases.values()), [False] * len(cases))
    check(parse_codes.parse_unit(obj("kr. pr. km", "pr. km", "stk", "døgntakst", 1, "")), [None] * 6, [True] * 5 + [False])


def test_unit_in_label():
    cases = {
        "Døgntakst 1": "day",
        "Døgntaksten for 2024 ...": "day",
        "Dagtakst": "day",
        "Månedstakst": "month",
        "Månedstaksten for døgnophold efter §107": "month",
        "Timetakst": "hour",
        "timepris": "hour",
        "tillægstakst hvor timeprisen er": "hour",
        "Ugetakst": "week",
        "Årstakst": "year",
        "Vederlag pr. døgn": "day",
        "Lommepenge, 3-10 år pr. uge": "week",
        "Niveau 2": None,
        "": None,
    }
    got = parse_codes.unit_in_label(obj(*cases, None))
    assert list(got) == [*cases.values(), None] and got.dtype == object


def test_level():
    check(
        parse_codes.parse_level(obj(" Niveau 2 ", 2, 2.0, "C", 2.5, "", None)), ["Niveau 2", "2", "2", "C", "2.5", None, None], [False] * 7
    )
    assert parse_codes.parse_level(obj("x")).values.dtype == "str"


def test_need_level():
    cases = {
        "Ingen": 0,
        "Intet": 0,
        "Let": 1,
        "Moderat": 2,
        "Svært": 3,
        "Svær": 3,
        "Højt": 3,
        "Fuldstændigt": 4,
        "Fuldstændig": 4,
        "Fuldstændig nedsat funktionsevne": 4,
        "2": 2,
        "2 - Moderat": 2,
        "Let nedsat": 1,
        "ingen/ubetydelige problemer": 0,
    }
    values, bad = parse_codes.parse_need_level(obj(*cases, 2, 3.0))
    assert values.dtype == "Int64" and list(values) == [*cases.values(), 2, 3] and not bad.any()
    check(
        parse_codes.parse_need_level(obj("Ikke vurderet", "5", "Meget", "2,5", 5, "", None)),
        [None] * 7,
        [False, True, True, True, True, False, False],
    )


def test_bool():
    values, bad = p.parse_bool(obj("Ja", "J", "X", "x", "1", 1, True, "Sand", "true", "Nej", "N", "0", 0, False, "", None, "måske", 2))
    assert values.dtype == "boolean"
    assert list(values[:14]) == [True] * 9 + [False] * 5 and values[14:17].isna().all()
    assert list(bad) == [False] * 16 + [True, True]


def test_list():
    values, bad = p.parse_list(obj("Egenomsorg, Samfundsliv", "a;b", "a | b", "a\nb", "a,", "", None, 5))
    assert list(values) == [["Egenomsorg", "Samfundsliv"], ["a", "b"], ["a", "b"], ["a", "b"], ["a"], [], [], ["5"]]
    assert not bad.any()


def test_id_and_text():
    check(p.parse_id(obj("004512", 4512, 4512.0, " 004512 ", "", None)), ["004512", "4512", "4512", "004512", None, None], [False] * 6)
    values, _ = p.parse_text(obj("  a b ", "", None, 3.0, dt.date(2026, 1, 5)))
    assert values.dtype == "str" and list(values.fillna("-")) == ["a b", "-", "-", "3", "2026-01-05"]


def test_totals():
    s = obj(
        "I alt", "i alt", "1-10 I alt", "Total", "Totalt", "Sum", "Hovedtotal", "Samlet", "Totalentreprise", "Summer", "Niveau 1", None, 5
    )
    assert list(p.is_totals_label(s)) == [True] * 8 + [False] * 5


def test_string_dtype_input_and_large():
    s = pd.Series(["1.234,5", "12:05", None] * 100_000, dtype="str")
    assert p.parse_number(s).bad.sum() == 100_000 and parse_time.parse_duration(s).values.iloc[1] == 725


# --- real files -----------------------------------------------------------------------------------------------


def test_real_selma():
    df = real("rates/selma_mariehjem_takster_2024.csv")
    amount, unit = p.parse_number(df.amount_raw).values, parse_codes.parse_unit(df.rate_unit)
    assert amount[df.level_as_published == "Døgntakst 1"].item() == 3234
    assert (unit.values[df.rate_unit == "kr. pr. døgn"] == "day").all()
    hourly = df.rate_unit == "kr. pr. time"
    assert amount[hourly].item() == 600 and unit.values[hourly].item() == "hour"
    km = df.rate_unit == "kr. pr. km"
    assert unit.bad[km].item() and amount[km].item() == 3.73 and unit.bad.sum() == 1
    assert (parse_codes.unit_in_label(df.offer_label_as_published)[:10] == "day").all()
    assert parse_codes.parse_paragraph(df.paragraph_in_label).values.dropna().eq("SEL §85").all()


def test_real_rates_pages():
    golaa = real("rates/team_golaa_takstniveauer_2024.csv")
    assert p.parse_number(golaa.amount_excl_incl_6pct_moms_raw).values[0] == 2527
    lundebo = real("rates/lundebo_soroe_2024.csv")
    assert parse_codes.unit_in_label(lundebo.offer_label_as_published)[0] == "day"
    assert parse_codes.parse_unit(lundebo.rate_unit).values[0] == "month"
    assert parse_codes.parse_paragraph(lundebo.paragraph_in_label).values[0] == "ABL §105"
    assert p.parse_number(lundebo.amount_raw).values.tolist() == [2262, 250, 393.76]
    bogense = real("rates/opholdsstedet_bogense_2024.csv")
    sel107 = parse_codes.parse_paragraph(bogense.paragraph_in_label).values == "SEL §107"
    assert p.parse_number(bogense.amount_raw).values[sel107].item() == 53594
    assert parse_codes.unit_in_label(bogense.offer_label_as_published).tolist() == ["month", "month", "day"]
    roskilde = real("rates/roskilde_itc_takster.csv")
    row = (parse_codes.parse_paragraph(roskilde.paragraph).values == "SEL §104") & (roskilde.level_as_published == "Niveau 1")
    assert p.parse_number(roskilde.amount_raw).values[row].item() == 773
    oest = real("rates/oesterskoven_rn_takster.csv")
    assert p.parse_number(oest.basistakst_raw).values[0] == 3187
    assert p.parse_number(oest.ydelsestakst_raw).values[0] == 402
    assert p.parse_number(oest.basistakst_raw).values.iloc[-1] == 223  # "Kr. 223,00 pr. døgn"
    assert parse_codes.parse_unit(oest.ydelsestakst_unit_as_published).values[0] == "hour"


def test_real_os2bos():
    providers = real("os2bos/serviceproviders.csv", sep=",")
    ids = p.parse_id(providers.CVR).values
    assert ids.dropna().str.fullmatch(r"\d{8}").all() and ids.isna().sum() == 22  # 22 providers have no CVR
    assert (p.parse_id(providers.Afdeling).values.dropna() == providers.Afdeling.dropna()).all()
    assert p.parse_id(providers.Afdeling).values.dropna().str.startswith("0").any()
    assert parse_time.parse_date(providers.Akiv, "mm/dd/yyyy").values[0] == pd.Timestamp("2018-07-16")

    paragraphs = real("os2bos/paragraphs.csv", sep=",")
    parsed = parse_codes.parse_paragraph(paragraphs["Nøgle"])
    assert not parsed.bad.any() and parsed.values.notna().all()
    assert set(parsed.values.str.split(" ").str[0]) == {"SEL"}

    rates = real("os2bos/rates_joined_from_fixtures.csv")
    amount = p.parse_number(rates.rate_amount, decimal=".", thousands=",").values
    unit = parse_codes.unit_in_label(rates.rate_name)
    assert amount[0] == 145 and unit[0] == "day" and amount[1] == 4423 and unit[1] == "month"
    assert p.parse_number(rates.rate_amount).bad.all()  # "145.00" is not a Danish number: no silent 14500
    assert (parse_time.parse_date(rates.start_date, "iso").values == pd.Timestamp("2020-01-01")).all()


# --- text checks computed once per distinct cell ----------------------------------------------------------------------

CELLS = ["I alt", "  Hjælp  til\tINDKØB ", None, "hjælp til indkøb", "I alt", "   ", "", np.nan, "Total Care ApS", "1-10 I alt", "I alt"]


def _cell_series(kind: str) -> pd.Series:
    """The cells as a column of the given kind, with an index of its own (not 0..n-1) and a name."""
    index = pd.Index([30 - 3 * i for i in range(len(CELLS))], name="row")
    if kind == "category":
        return pd.Series(CELLS, dtype="string", index=index, name="Ydelse").astype("category")
    return pd.Series(CELLS, dtype=kind, index=index, name="Ydelse")


def _one_by_one(fn, s: pd.Series) -> list:
    """fn run on each cell alone, as it ran before it was run once per distinct cell."""
    import inspect

    raw = inspect.unwrap(fn)
    return [raw(pd.Series([v], dtype=object)).iloc[0] for v in s.astype(object)]


def _same_values(got: list, want: list) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert (pd.isna(g) and pd.isna(w)) or g == w, (got, want)


@pytest.mark.parametrize("kind", ["object", "string", "str", "category"])
@pytest.mark.parametrize("name", ["text_key", "is_blank", "is_totals_label"])
def test_text_checks_once_per_distinct_cell_are_the_cell_by_cell_results(kind, name):
    import inspect

    fn = getattr(p, name)
    s = _cell_series(kind)
    got = fn(s)
    assert got.index.equals(s.index) and got.name == "Ydelse"
    _same_values(got.tolist(), _one_by_one(fn, s))
    pd.testing.assert_series_equal(got, inspect.unwrap(fn)(s), check_names=False)  # the whole column at once, as before


def test_text_checks_by_hand():
    s = _cell_series("category")
    assert p.text_key(s).tolist()[:2] == ["i alt", "hjælp til indkøb"] and p.text_key(s).iloc[3] == "hjælp til indkøb"
    assert p.text_key(s).isna().tolist() == [False, False, True, False, False, False, False, True, False, False, False]
    assert p.is_blank(s).tolist() == [False, False, True, False, False, True, True, True, False, False, False]
    assert p.is_totals_label(s).tolist() == [True, False, False, False, True, False, False, False, False, True, True]
    assert p.is_blank(s).dtype == bool and p.is_totals_label(s).dtype == bool


def test_by_unique_runs_the_parser_once_on_the_distinct_cells():
    seen = []

    @p._by_unique
    def parser(s: pd.Series) -> pd.Series:
        seen.append(s.tolist())
        return s.astype("string").str.upper()

    s = pd.Series(["a", "b", "a", None, "a", "b"], dtype="string", index=[9, 7, 5, 3, 1, -1], name="n")
    out = parser(s)
    assert len(seen) == 1 and len(seen[0]) == 3 and pd.isna(seen[0][-1])  # "a", "b" and one missing cell
    pd.testing.assert_series_equal(out, pd.Series(["A", "B", "A", None, "A", "B"], dtype="string", index=s.index, name="n"))
