"""The noise functions: each changes what it should and nothing else."""

from __future__ import annotations

import datetime as dt
import random
import re

from rollcall.synth.variation import (
    RU_KEYS,
    UK_KEYS,
    noisy_dmy,
    noisy_iso,
    service_cyrillic,
    service_latin,
    shifted,
    typo,
)


def test_typo_changes_one_slip_and_keeps_the_first_letter() -> None:
    rng = random.Random(1)
    for _ in range(500):
        word = "Коваленко"
        slip = typo(word, rng, UK_KEYS)
        assert slip != word  # no two equal letters side by side, so every slip shows
        assert slip[0] == "К"
        assert abs(len(slip) - len(word)) <= 1


def test_russian_typos_stay_in_russian_letters() -> None:
    rng = random.Random(2)
    slips = {typo("Николаевич", rng, RU_KEYS) for _ in range(300)}
    for slip in slips:
        slip.encode("cp1251")
        assert not set(slip) & set("іїєґ")


def test_noisy_dates_take_only_the_documented_shapes() -> None:
    rng = random.Random(3)
    day = dt.date(1994, 3, 12)
    shapes = set()
    for _ in range(4000):
        text = noisy_dmy(day, rng, missing=0.05, partial=0.05, swap=0.05, two_digit=0.1)
        shapes.add(re.sub(r"\d", "9", text))
        assert text in {"", "1994", "03.1994", "12.03.1994", "03.12.1994", "12.03.94", "03.12.94"}
    assert shapes == {"", "9999", "99.9999", "99.99.9999", "99.99.99"}
    assert noisy_dmy(dt.date(1994, 3, 25), rng, swap=1.0) == "25.03.1994"  # 25 is no month
    isos = {noisy_iso(day, rng, missing=0.1, partial=0.1) for _ in range(1000)}
    assert isos == {"", "1994", "1994-03", "1994-03-12"}


def test_shifted_dates_are_at_most_two_days_off() -> None:
    rng = random.Random(4)
    day = dt.date(2022, 5, 20)
    offsets = {(shifted(day, rng, 0.5) - day).days for _ in range(1000)}
    assert offsets == {-2, -1, 0, 1, 2}


def test_service_numbers_with_and_without_separators() -> None:
    rng = random.Random(5)
    forms = {service_cyrillic("АВ123456", rng, (1, 1, 1)) for _ in range(200)}
    assert forms == {"АВ-123456", "АВ123456", "АВ 123456"}
    latin = {service_latin("АВ123456", rng) for _ in range(200)}
    assert latin == {"AB 123456", "AB123456"}
    assert all(ch.isascii() for form in latin for ch in form)
