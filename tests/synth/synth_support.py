"""Readers for what the generator wrote, shared by the synth tests."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rollcall.synth import SynthSummary

PERSONS = 4000
SEED = 20240224

#: file -> (encoding, delimiter)
FORMATS = {
    "own_bureau.csv": ("utf-8", ","),
    "adversary_bureau.csv": ("cp1251", ";"),
    "icrc.csv": ("utf-8", ","),
    "family_reports.csv": ("utf-8-sig", ","),
    "media_monitoring.csv": ("utf-8", ","),
}


@dataclass
class Generated:
    out: Path
    summary: SynthSummary

    def rows(self, file: str) -> list[dict[str, str]]:
        encoding, delimiter = FORMATS[file]
        with (self.out / "lists" / file).open(encoding=encoding, newline="") as f:
            return list(csv.DictReader(f, delimiter=delimiter))

    def table(self, name: str) -> list[dict[str, str]]:
        with (self.out / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))


class Timeline:
    """State of each person on a day, read back from events.csv (independent of the code
    that wrote the lists)."""

    TERMINAL = ("exchanged", "released", "died")
    CUSTODY = ("held", "transferred", "hospitalised")

    def __init__(self, events: list[dict[str, str]]) -> None:
        self.by_person: dict[str, list[dict[str, str]]] = defaultdict(list)
        for e in events:
            self.by_person[e["person_id"]].append(e)

    def state(self, pid: str, day: dt.date) -> tuple[str, str]:
        """(held|exchanged|released|died|missing, site_key or '')."""
        events = self.by_person[pid]
        if all(e["event"] == "captured" for e in events):
            return "missing", ""
        site = ""
        for e in events:
            if dt.date.fromisoformat(e["date"]) > day:
                continue
            if e["event"] in self.TERMINAL:
                return e["event"], e["site_key"] if e["event"] == "died" else ""
            if e["event"] in self.CUSTODY:
                site = e["site_key"]
        return "held", site
