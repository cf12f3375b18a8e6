"""Service numbers and birth-date agreement."""

import pytest

from rollcall.dates import PartialDate
from rollcall.names import DateAgreement, birth_date_agreement, service_number_key

A = DateAgreement


@pytest.mark.parametrize(
    "written",
    ["АА-123 456", "AA123456", "aa 123456", "АА123456", "аа-123-456", " AA–123456 ",
     "А А 1 2 3 4 5 6"],
)
def test_service_number_spellings_share_a_key(written):
    assert service_number_key(written) == "AA123456"


def test_every_lookalike_letter_is_folded():
    assert service_number_key("АВЕКМНОРСТХ-1") == "ABEKMHOPCTX1"


def test_letters_without_a_lookalike_are_kept():
    assert service_number_key("ЖД-1") == "ЖД1"
    assert service_number_key("ЖД-1") != service_number_key("ZD-1")


def test_different_numbers_differ():
    assert service_number_key("AA123456") != service_number_key("AA123465")
    assert service_number_key("AB123456") != service_number_key("AA123456")


@pytest.mark.parametrize("empty", [None, "", " - "])
def test_no_number_no_key(empty):
    assert service_number_key(empty) == ""


def d(text):
    return PartialDate.fromisoformat(text)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1994-03-12", "1994-03-12", A.EXACT),
        ("1994-03", "1994-03", A.EXACT),
        ("1994", "1994", A.EXACT),
        ("1994-03-12", "1994-12-03", A.DAY_MONTH_SWAPPED),
        ("1994-03-12", "1994-03-13", A.SAME_YEAR_MONTH),
        ("1994-03", "1994-03-12", A.SAME_YEAR_MONTH),
        ("1994-12", "1994-03-12", A.DAY_MONTH_SWAPPED),  # 12.03 read as 03.12, then cut
        ("1994-03-12", "1994-07-20", A.SAME_YEAR),
        ("1994-03", "1994-07", A.SAME_YEAR),
        ("1994", "1994-03-12", A.SAME_YEAR),
        ("1994", "1994-03", A.SAME_YEAR),
        ("1905-03-12", "2005-03-12", A.TWO_DIGIT_YEAR),
        ("1905", "2005", A.TWO_DIGIT_YEAR),
        ("1905-03-12", "2005-03-13", A.DISAGREE),
        ("1994-03-12", "1995-03-12", A.NEAR_YEAR),
        ("1993", "1994-03-12", A.NEAR_YEAR),
        ("1994-03-12", "1996-03-12", A.DISAGREE),
    ],
)
def test_birth_date_agreement(a, b, expected):
    assert birth_date_agreement(d(a), d(b)) == expected
    assert birth_date_agreement(d(b), d(a)) == expected  # symmetric


def test_a_missing_date_is_unknown():
    assert birth_date_agreement(None, d("1994")) == A.UNKNOWN
    assert birth_date_agreement(None, None) == A.UNKNOWN


def test_a_day_that_cannot_be_a_month_is_not_a_swap():
    assert birth_date_agreement(d("1994-03-25"), d("1994-12-03")) == A.SAME_YEAR


def test_agreements_are_ordered_best_first():
    assert next(iter(A)) is A.EXACT and list(A)[-2:] == [A.DISAGREE, A.UNKNOWN]
