"""Synthetic lists for the engine tests: `rollcall synth` output imported into a throwaway
SQLite registry and read back as linkage input with its ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from rollcall.db import open_database
from rollcall.linkage.evaluate import synth_truth
from rollcall.linkage.records import is_latin
from rollcall.services.actor import local_operator
from rollcall.services.imports import import_list
from rollcall.synth import generate
from rollcall.synth.lists import LISTS


@dataclass(frozen=True)
class Synth:
    records: pa.Table
    truth: dict[int, str]
    latin: dict[int, bool]


def load_synth(folder: Path, persons: int, seed: int) -> Synth:
    """Generate lists, import them into a throwaway SQLite registry, read them back."""
    generate(persons, seed, folder)
    db = open_database(f"sqlite:///{folder / 'registry.db'}")
    try:
        actor = local_operator()
        for spec in LISTS:
            import_list(db, actor, folder / "lists" / spec.file, title=spec.title,
                        origin=spec.origin)
        with db.engine.connect() as conn:
            records, truth = synth_truth(conn, folder)
    finally:
        db.dispose()
    ids = records.column("record_id").to_pylist()
    surnames = records.column("surname").to_pylist()
    latin = {rid: is_latin(s) for rid, s in zip(ids, surnames, strict=True)}
    return Synth(records, truth, latin)
