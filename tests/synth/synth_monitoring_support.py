"""A small demo-like registry built as `rollcall demo` builds it (synthetic lists imported
and linked, then the monitoring data loaded through the services), for the synth tests."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.services.actor import Actor
from rollcall.services.imports import import_list
from rollcall.services.linkage_run import link
from rollcall.services.sites import import_sites
from rollcall.synth import generate
from rollcall.synth.monitoring import generate_monitoring
from rollcall.synth.monitoring_load import LoadSummary, load_monitoring

#: Small enough for a test on both databases, big enough for every kind of record.
PERSONS = 900
SEED = 11


@dataclass
class Built:
    folder: Path
    data: dict[str, Any]
    truth: dict[str, Any]
    loaded: LoadSummary


def build_demo_registry(db: Database, actor: Actor, folder: Path, persons: int = PERSONS,
                        seed: int = SEED) -> Built:
    generate(persons, seed, folder)
    with db.session() as session:
        import_sites(session, actor, folder / "sites.csv")
    with (folder / "sources.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            import_list(db, actor, folder / "lists" / row["file"], title=row["title"],
                        origin=row["origin"], received=PartialDate.fromisoformat(row["received"]))
    with db.session() as session:
        link(session, actor)
    truth = generate_monitoring(folder, seed)
    loaded = load_monitoring(db, actor, folder)
    data = json.loads((folder / "monitoring.json").read_text(encoding="utf-8"))
    return Built(folder, data, truth, loaded)
