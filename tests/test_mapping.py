import pytest

from bitanalysis._mapping import MappingError, default_mapping, read_mapping, resolve_mapping

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
