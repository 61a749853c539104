from bitanalysis.core.danish import kr, number, percent


def test_danish_number_formats():
    assert number(1234567.891, 2) == "1.234.567,89"
    assert kr(1234567) == "1.234.567 kr."
    assert percent(0.123) == "12,3 %"
    assert number(float("nan")) == "–"
