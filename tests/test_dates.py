import datetime as dt

import pytest

from rollcall.dates import PartialDate, Precision


@pytest.mark.parametrize("text,precision", [("1994", "year"), ("1994-03", "month"),
                                            ("1994-03-12", "day")])
def test_partial_dates_keep_their_precision(text, precision):
    date = PartialDate.fromisoformat(text)
    assert date.isoformat() == text
    assert date.precision == Precision(precision)


@pytest.mark.parametrize("text", ["1994-02-30", "1994-13", "94", "1994-3-1", "", "0000"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.fromisoformat(text)


def test_bounds_of_a_partial_date():
    assert PartialDate(2024, 2).latest() == dt.date(2024, 2, 29)
    assert PartialDate(2023).earliest() == dt.date(2023, 1, 1)
    assert PartialDate(2023, 12).latest() == dt.date(2023, 12, 31)


def test_ordering_puts_the_vaguer_date_first_on_a_tie():
    dates = [PartialDate(1994, 3, 2), PartialDate(1994, 3), PartialDate(1994),
             PartialDate(1993, 12)]
    assert sorted(dates) == [PartialDate(1993, 12), PartialDate(1994), PartialDate(1994, 3),
                             PartialDate(1994, 3, 2)]
