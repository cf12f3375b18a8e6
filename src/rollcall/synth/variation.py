"""The small ways real lists differ from the truth: typing slips, dates written loosely,
numbers written with and without separators.

Every function takes the run's random generator, so the noise is part of the seed.
"""

from __future__ import annotations

import datetime as dt
import random


def _neighbour_map(rows: tuple[str, ...]) -> dict[str, str]:
    """Letters next to each key on the same keyboard row."""
    out: dict[str, str] = {}
    for row in rows:
        for i, ch in enumerate(row):
            out[ch] = row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
    return out


#: ЙЦУКЕН layouts and QWERTY: a slip lands on a key next to the intended one.
UK_KEYS = _neighbour_map(("йцукенгшщзхї", "фівапролджє", "ячсмитьбю"))
RU_KEYS = _neighbour_map(("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"))
LATIN_KEYS = _neighbour_map(("qwertyuiop", "asdfghjkl", "zxcvbnm"))

#: Share of name fields with a typing slip.
TYPO_RATE = 0.03


def typo(text: str, rng: random.Random, keys: dict[str, str]) -> str:
    """One slip: a doubled, dropped, swapped or neighbouring letter. The first letter is
    kept, as people rarely get it wrong and blocking by initial would be hopeless otherwise.
    """
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i] + text[i:]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        i = max(i, 2)
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    ch = text[i]
    near = keys.get(ch.lower())
    if not near:
        return text[:i] + ch + text[i:]
    new = rng.choice(near)
    return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]


def maybe_typo(text: str, rng: random.Random, keys: dict[str, str]) -> str:
    return typo(text, rng, keys) if text and rng.random() < TYPO_RATE else text


def dmy(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def noisy_dmy(
    day: dt.date | None,
    rng: random.Random,
    *,
    missing: float = 0.0,
    partial: float = 0.0,
    swap: float = 0.0,
    two_digit: float = 0.0,
) -> str:
    """dd.mm.yyyy, sometimes empty, only `yyyy` or `mm.yyyy`, day and month swapped (when
    that still reads as a date), or a two-digit year.
    """
    if day is None:
        return ""
    r = rng.random()
    if r < missing:
        return ""
    r -= missing
    if r < partial:
        return str(day.year) if r < partial / 2 else f"{day.month:02d}.{day.year:04d}"
    r -= partial
    d, m = day.day, day.month
    if r < swap and d <= 12 and d != m:
        d, m = m, d
    year = f"{day.year:04d}"
    if two_digit and rng.random() < two_digit:
        year = year[2:]
    return f"{d:02d}.{m:02d}.{year}"


def noisy_iso(
    day: dt.date | None, rng: random.Random, *, missing: float = 0.0, partial: float = 0.0
) -> str:
    """yyyy-mm-dd, sometimes empty or only `yyyy` / `yyyy-mm`."""
    if day is None:
        return ""
    r = rng.random()
    if r < missing:
        return ""
    r -= missing
    if r < partial:
        return f"{day.year:04d}" if r < partial / 2 else f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def shifted(day: dt.date, rng: random.Random, rate: float) -> dt.date:
    """The same day as the other side wrote it: with probability `rate`, a day or two off."""
    if rng.random() >= rate:
        return day
    return day + dt.timedelta(days=rng.choice((-2, -1, 1, 2)))


_LOOKALIKE = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")


def service_cyrillic(number: str, rng: random.Random, styles: tuple[float, float, float]) -> str:
    """АА-123456, АА123456 or АА 123456, with the given weights."""
    letters, digits = number[:2], number[2:]
    r = rng.random() * sum(styles)
    sep = "-" if r < styles[0] else "" if r < styles[0] + styles[1] else " "
    return f"{letters}{sep}{digits}"


def service_latin(number: str, rng: random.Random) -> str:
    """The number copied by eye into Latin letters: AA 123456 or AA123456."""
    letters = number[:2].translate(_LOOKALIKE)
    return f"{letters}{' ' if rng.random() < 0.6 else ''}{number[2:]}"
