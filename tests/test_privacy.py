import hashlib
import hmac

import pandas as pd

from bitanalysis._privacy import CPR_PATTERN, birth_year, contains_cpr, cpr_digits, pseudonym_key, pseudonymise

KEY = b"k"


def test_pseudonym_is_hmac_sha256_of_the_ten_digits():
    ids, bad = pseudonymise(pd.Series(["010190-1234", "0101901234", " 010190-1234 "]), KEY)
    expected = "B-" + hmac.new(KEY, b"0101901234", hashlib.sha256).hexdigest()[:12]
    assert ids.tolist() == [expected] * 3
    assert not bad.any()


def test_other_key_other_pseudonym_and_bad_values_flagged():
    a, _ = pseudonymise(pd.Series(["0101901234"]), b"a")
    b, _ = pseudonymise(pd.Series(["0101901234"]), b"b")
    assert a[0] != b[0]
    ids, bad = pseudonymise(pd.Series(["12345", None, "abc"]), KEY)
    assert bad.tolist() == [True, False, True]
    assert ids.isna().all()


def test_excel_number_lost_its_leading_zero():
    digits, bad = cpr_digits(pd.Series([101901234, "101901234.0"]))
    assert digits.tolist() == ["0101901234", "0101901234"]
    assert not bad.any()


def test_birth_year_century_from_seventh_digit():
    digits = pd.Series(["0101901234", "0101054234", "0101504234", "0101105234", "0101655234", "0101059234"])
    assert birth_year(digits).tolist() == [1990, 2005, 1950, 2010, 1865, 2005]


def test_cpr_pattern():
    assert contains_cpr("borger 010190-1234 fik")
    assert contains_cpr("0101901234")
    assert not contains_cpr("B-1a2b3c4d5e6f")
    assert not contains_cpr("B-0101901234ab") and not contains_cpr("B-ab0101901234")  # hex pseudonyms are not CPRs
    assert contains_cpr("CPR:010190-1234.") and contains_cpr('"0101901234"')
    assert not contains_cpr("203671.0101901234") and not contains_cpr("0101901234.5")  # decimals of a number
    assert not contains_cpr("0000000015 00000 n") and not contains_cpr("3201901234")  # no day 00 or 32
    assert not contains_cpr("12345678901")  # 11 digits: not a CPR
    assert CPR_PATTERN.search("tlf 2025-01-31") is None


def test_key_file_created_once_with_a_message(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BITANALYSIS_KEY")
    monkeypatch.setenv("BITANALYSIS_KEY_FILE", str(tmp_path / "sub" / "key"))
    first = pseudonym_key()
    assert "pseudonymnøgle oprettet" in capsys.readouterr().err
    assert pseudonym_key() == first
    assert (tmp_path / "sub" / "key").stat().st_mode & 0o077 == 0


def test_cpr_pattern_between_commas_and_with_a_space_but_not_decimals():
    assert contains_cpr("a,0101901234,b") and contains_cpr("010190 1234") and contains_cpr("x.0101901234.")
    assert not contains_cpr("3,0101901234") and not contains_cpr("1.234,0101901234") and not contains_cpr("010190 12345")
    assert cpr_digits(pd.Series(["010190 1234"]))[0].tolist() == ["0101901234"]
