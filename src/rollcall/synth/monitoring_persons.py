"""The synthetic persons of a generated folder, drawn again from the seed.

The monitoring data need what events.csv does not say (who was listed as a "detained
person"), so the persons are redrawn by replaying the generator's one random stream in the
same order (`rollcall.synth.generator.generate`). Every redrawn timeline is then compared
with the events.csv that was written: if the generator ever changes its order of draws, the
replay refuses instead of silently describing other people.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from rollcall.synth.generator import CHUNK
from rollcall.synth.lists import LISTS, choose_lists
from rollcall.synth.persons import Person, event_rows, make_person
from rollcall.synth.world import World, build_world


class ReplayMismatch(RuntimeError):
    """The folder was not written by this generator with this seed."""


def _written_events(folder: Path) -> dict[str, list[list[str]]]:
    by_person: dict[str, list[list[str]]] = {}
    with (folder / "events.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            by_person.setdefault(row[0], []).append(row)
    return by_person


def replay_persons(folder: Path, seed: int) -> tuple[World, list[Person]]:
    """The world and every person of the synthetic folder `folder`, generated with `seed`.

    Raises ReplayMismatch when a redrawn timeline differs from the folder's events.csv.
    """
    written = _written_events(Path(folder))
    count = len(written)
    rng = random.Random(seed)
    world = build_world(rng, count)
    rng.randint(10_000, 20_000)  # the first ICRC reference number
    persons: list[Person] = []
    for start in range(0, count, CHUNK):
        rows_per_list = [0] * len(LISTS)
        for index in range(start, min(start + CHUNK, count)):
            person = make_person(index, rng, world)
            if event_rows(person, world) != written.get(person.pid):
                raise ReplayMismatch(
                    f"person {person.pid} redrawn with seed {seed} differs from events.csv: "
                    "the folder was generated with another seed or generator version"
                )
            persons.append(person)
            for i, (spec, chosen) in enumerate(zip(LISTS, choose_lists(person, rng),
                                                   strict=True)):
                if not chosen:
                    continue
                if spec.key == "ref":
                    rng.randint(1, 4)
                spec.build(person, rng, world)
                rows_per_list[i] += 1
        for rows in rows_per_list:
            rng.shuffle([None] * rows)  # a shuffle draws according to the length only
    return world, persons


__all__ = ["ReplayMismatch", "replay_persons"]
