"""Write a synthetic world to disk: five source lists, their ground truth, sites, events.

Persons are drawn in chunks; each chunk's rows are shuffled within their list and streamed
out, so memory stays bounded at any size. All randomness comes from one `random.Random(seed)`
consumed in a fixed order, so the same (persons, seed) gives the same bytes.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rollcall.synth.lists import LISTS, ListSpec, choose_lists
from rollcall.synth.persons import EVENTS_HEADER, event_rows, make_person
from rollcall.synth.sites import SITES_HEADER
from rollcall.synth.world import build_world

#: Persons per chunk: rows are shuffled within a chunk.
CHUNK = 20_000
#: How often `progress` is told.
PROGRESS_EVERY = 10_000

TRUTH_HEADER = ["list", "row_number", "source_key", "person_id"]
SOURCES_HEADER = ["file", "title", "origin", "received"]


@dataclass(frozen=True)
class SynthSummary:
    """What a run wrote: persons, data rows per list file, sites and events."""

    persons: int
    lists: dict[str, int]
    sites: int
    events: int


class _ListOut:
    """One list file being written, with its part of the truth written alongside."""

    def __init__(self, spec: ListSpec, lists_dir: Path, truth_part: Path, stack: ExitStack) -> None:
        self.spec = spec
        self.rows = 0
        handle = stack.enter_context(
            (lists_dir / spec.file).open("w", encoding=spec.encoding, newline="")
        )
        self.writer = csv.writer(handle, delimiter=spec.delimiter)
        self.writer.writerow(spec.header)
        self.truth_path = truth_part
        truth: IO[str] = stack.enter_context(truth_part.open("w", encoding="utf-8", newline=""))
        self.truth = csv.writer(truth)
        self.buffer: list[tuple[str, list[str], str]] = []

    def flush(self, rng: random.Random) -> None:
        """Shuffle the chunk's rows and write them, each with its truth row."""
        rng.shuffle(self.buffer)
        keyed = bool(self.spec.key)
        running = self.spec.key == "running"
        for key, row, pid in self.buffer:
            self.rows += 1
            if running:
                key = str(self.rows)
            self.writer.writerow([key, *row] if keyed else row)
            self.truth.writerow([self.spec.file, self.rows + 1, key, pid])
        self.buffer.clear()


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def generate(
    persons: int,
    seed: int,
    out: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> SynthSummary:
    """Generate `persons` synthetic persons and write the lists and truth under `out`.

    `progress(n)` is called with the number of persons drawn so far, every 10,000 and at
    the end.
    """
    if persons < 0:
        raise ValueError("persons must not be negative")
    out = Path(out)
    lists_dir = out / "lists"
    lists_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = build_world(rng, persons)
    _write_csv(out / "sites.csv", SITES_HEADER, [s.csv_row() for s in world.sites])
    _write_csv(
        out / "sources.csv",
        SOURCES_HEADER,
        [[s.file, s.title, s.origin, s.received.isoformat()] for s in LISTS],
    )
    card = 0
    ref = rng.randint(10_000, 20_000)
    events = 0
    with ExitStack() as stack:
        outs = [_ListOut(s, lists_dir, out / f".truth-{s.file}.part", stack) for s in LISTS]
        events_file = stack.enter_context(
            (out / "events.csv").open("w", encoding="utf-8", newline="")
        )
        event_writer = csv.writer(events_file)
        event_writer.writerow(EVENTS_HEADER)
        for start in range(0, persons, CHUNK):
            for index in range(start, min(start + CHUNK, persons)):
                person = make_person(index, rng, world)
                rows = event_rows(person, world)
                event_writer.writerows(rows)
                events += len(rows)
                for target, chosen in zip(outs, choose_lists(person, rng), strict=True):
                    if not chosen:
                        continue
                    key = ""
                    if target.spec.key == "card":
                        card += 1
                        key = f"ОБ-{card:06d}"
                    elif target.spec.key == "ref":
                        ref += rng.randint(1, 4)
                        key = f"UA-ICRC-{ref:07d}"
                    target.buffer.append((key, target.spec.build(person, rng, world), person.pid))
                done = index + 1
                if progress and (done % PROGRESS_EVERY == 0 or done == persons):
                    progress(done)
            for target in outs:
                target.flush(rng)
    _join_truth(out / "truth.csv", [o.truth_path for o in outs])
    return SynthSummary(
        persons=persons,
        lists={o.spec.file: o.rows for o in outs},
        sites=len(world.sites),
        events=events,
    )


def _join_truth(path: Path, parts: list[Path]) -> None:
    """truth.csv list by list, in file order, from the parts written alongside each list."""
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(TRUTH_HEADER)
        for part in parts:
            with part.open("r", encoding="utf-8", newline="") as src:
                shutil.copyfileobj(src, f)
            part.unlink()


__all__ = ["SynthSummary", "generate"]
