from dataclasses import replace

import pytest

from bitanalysis.io.mapping import MappingError, TableSource, Wide, default_mapping, expected_headers, read_mapping, resolve_mapping

from .conftest import SAMPLE


def test_sample_mapping_reads(tmp_path):
    m = read_mapping(SAMPLE / "bitanalysis.toml")
    assert m.tables["rates"].sheet == "*"
    assert m.tables["deliveries"].formats.duration_unit == "minutes"
    assert m.tables["orders"].sources_for("provider_id")[0] == "LeverandørID"  # the mapping's name before the aliases
    assert "TilbudsID" in m.tables["orders"].sources_for("provider_id")


def test_table_formats_override_the_defaults(tmp_path):
    (tmp_path / "m.toml").write_text('[formats]\ndecimal = ","\n[deliveries]\nfiles = "d.csv"\nformats = { duration_unit = "hours" }\n')
    m = read_mapping(tmp_path / "m.toml")
    assert (m.tables["deliveries"].formats.duration_unit, m.tables["deliveries"].formats.decimal) == ("hours", ",")


WIDE = "[rates]\nfiles = 'x'\n[rates.wide]\ncolumns = ['Takst 1', 'Takst 2']\nvalue = 'amount'\nkey = 'rate_level'\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[ordrer]\nfiles = 'x'\n", "afsnittet 'ordrer' kendes ikke; mente du 'orders'"),
        ("[orders]\nfiles = 'x'\nheader = 0\n", "rækkenummer"),
        ("[orders]\nsheet = 'x'\n", "mangler files"),
        ("[orders]\nfiles = 'x'\n[orders.columns]\nstart = 'Startdato'\n", r"kolonnen i \[orders.columns\] 'start' kendes ikke"),
        ("[formats]\ndecimals = ','\n", "formatnøglen 'decimals' kendes ikke; mente du 'decimal'"),
        ("[orders\n", "ikke gyldig TOML"),
        # issue 13: a misspelt subsection is no longer ignored, and every value is checked
        ("[orders]\nfiles = 'x'\n[orders.colums]\nhours_per_week = 'Timer'\n", "'colums' kendes ikke; mente du 'columns'"),
        ("[formats]\nduration_unit = 'timer'\n", "duration_unit = 'timer' kendes ikke"),
        ("[orders]\nfiles = 5\n", "files skal være en tekst"),
        ("[formats]\nencoding = 'latin-9'\n", "ikke en tegnkodning"),
        ("[formats]\ndelimiter = ';;'\n", "ét tegn"),
        ("[orders]\nfiles = 'x'\nheader = 'tre'\n", "rækkenummer"),
        ("[orders]\nfiles = 'x'\ncolumns = 'CPR'\n", "skal være et afsnit"),
        ("settings = 3\n", r"\[settings\] skal være et afsnit"),
        # sheet lists, wide layouts and values from the sheet's or file's name
        ("[rates]\nfiles = 'x'\nsheet = 3\n", "sheet skal være arkets navn, .* eller en liste af navne"),
        ("[rates]\nfiles = 'x'\nsheet = []\n", "liste af navne"),
        ("[rates]\nfiles = 'x'\n[rates.wid]\nvalue = 'amount'\n", r"nøglen i \[rates\] 'wid' kendes ikke; mente du 'wide'"),
        ("[rates]\nfiles = 'x'\n[rates.fromname]\nyear = '(\\d{4})'\n", "'fromname' kendes ikke; mente du 'from_name'"),
        (WIDE + "kolumns = 'x'\n", r"nøglen i \[rates.wide\] 'kolumns' kendes ikke; mente du 'columns'"),
        (WIDE.replace("value = 'amount'", "value = 'amout'"), r"kolonnen i \[rates.wide\] value 'amout' kendes ikke; mente du 'amount'"),
        (
            WIDE.replace("key = 'rate_level'", "key = 'rate_levl'"),
            r"kolonnen i \[rates.wide\] key 'rate_levl' kendes ikke; mente du 'rate_level'",
        ),
        (WIDE.replace("key = 'rate_level'", "key = 'amount'"), "to forskellige kolonner"),
        (WIDE.replace("value = 'amount'\n", ""), r"\[rates.wide\] mangler value"),
        (WIDE.replace("columns = ['Takst 1', 'Takst 2']", "columns = 7"), r"\[rates.wide\] columns skal være en tekst"),
        (WIDE + "key_pattern = 'Takst (\\d+'\n", "key_pattern = .* er ikke et gyldigt regulært udtryk"),
        ("[rates]\nfiles = 'x'\nwide = 'Takst'\n", r"\[rates.wide\] skal være et afsnit"),
        ("[rates]\nfiles = 'x'\n[rates.from_name]\nyaer = '(\\d{4})'\n", r"from_name\] 'yaer' kendes ikke; mente du 'year'"),
        ("[rates]\nfiles = 'x'\n[rates.from_name]\nyear = '(\\d{4}'\n", "year = .* er ikke et gyldigt regulært udtryk"),
        ("[rates]\nfiles = 'x'\n[rates.from_name]\nyear = 2024\n", "skal være et regulært udtryk"),
    ],
)
def test_bad_mapping_files_say_what_is_wrong(tmp_path, text, message):
    (tmp_path / "m.toml").write_text(text)
    with pytest.raises(MappingError, match=message):
        read_mapping(tmp_path / "m.toml")


def test_folder_without_mapping_uses_the_defaults(tmp_path):
    assert resolve_mapping(tmp_path, None) == default_mapping()
    assert resolve_mapping(SAMPLE, None).path == SAMPLE / "bitanalysis.toml"


def test_an_encoding_python_knows_by_another_name_is_accepted(tmp_path):
    (tmp_path / "m.toml").write_text("[formats]\nencoding = 'ISO-8859-15'\n[orders]\nfiles = 'x'\n")
    assert read_mapping(tmp_path / "m.toml").tables["orders"].formats.encoding == "iso8859-15"


def test_sheet_lists_wide_layouts_and_names_are_read_and_kept_apart_in_the_cache_key(tmp_path):
    text = WIDE + "key_pattern = 'Takst\\s*(\\d+)'\n[rates.from_name]\nyear = '(\\d{4})'\n"
    (tmp_path / "m.toml").write_text(text.replace("files = 'x'", "files = 'x'\nsheet = ['Takster 2024', 'Takster 2025']"))
    src = read_mapping(tmp_path / "m.toml").tables["rates"]
    assert src.sheet == ("Takster 2024", "Takster 2025")
    assert src.wide == Wide(("Takst 1", "Takst 2"), "amount", "rate_level", r"Takst\s*(\d+)")
    assert src.from_name == {"year": r"(\d{4})"}
    assert src.fingerprint() == replace(src).fingerprint()
    others = [replace(src, sheet="Takster 2024"), replace(src, wide=None), replace(src, from_name={})]
    assert len({s.fingerprint() for s in [src, *others]}) == 4


def test_wide_columns_match_names_or_patterns_and_give_their_key():
    wide = Wide(("Takst *", "Særtakst"), "amount", "rate_level", r"Takst\s*(\d+)")
    assert [wide.matches(h) for h in ("Takst 1", "takst  2", "Takst", "Særtakst", "SÆRTAKST ")] == [True, True, False, True, True]
    assert [wide.key_of(h) for h in ("Takst 1", "Takst 12b", "Særtakst")] == ["1", "12", "Særtakst"]  # no match: the header
    assert Wide(("*",), "amount", "year", r"\d{4}").key_of("Budget 2026") == "2026"  # no group: the whole match
    assert Wide(("*",), "amount", "rate_level").key_of("Niveau A") == "Niveau A"  # no pattern: the header


def test_expected_headers_include_the_wide_names_but_not_their_patterns():
    src = TableSource("rates", ("x",), wide=Wide(("Takst 1", "Takst 2", "Tillæg *"), "amount", "rate_level"))
    names = expected_headers(src)
    assert {"Takst 1", "Takst 2", "År", "Takstår"} <= set(names) and "Tillæg *" not in names


@pytest.mark.parametrize("pattern", [".", "./"])
def test_files_that_name_the_folder_itself_are_refused_in_danish(tmp_path, pattern):
    """The fuzz found it: files = "." made the folder's glob raise an IndexError (exit 9)."""
    (tmp_path / "m.toml").write_text(f'[orders]\nfiles = "{pattern}"\n')
    with pytest.raises(MappingError, match=r'\[orders\] files = "\./?" er selve datamappen.*fx "dokumentation/\*\.csv"'):
        read_mapping(tmp_path / "m.toml")
