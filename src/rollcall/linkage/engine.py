"""Train, predict, cluster: `resolve` turns records into persons with Splink on DuckDB.

Full run: every record against every other within the blocking rules. Incremental run: only
pairs with a new record on one side, scored with a model trained earlier (its JSON travels in
`Resolution.model_json` and comes back as `LinkageSettings.trained_model`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa

from rollcall.linkage.clustering import cluster_records
from rollcall.linkage.evidence import ScoredPair, review_pairs
from rollcall.linkage.preparation import (
    connect,
    load_tables,
    narrow_to_new,
    register_term_frequencies,
)
from rollcall.linkage.records import LinkRecord, feature_table
from rollcall.linkage.settings import PREDICTION_BLOCKS, LinkageSettings, block_sql
from rollcall.linkage.training import linker_for, train

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Resolution:
    clusters: dict[int, int]  # record_id -> cluster id (the smallest record_id in it)
    review: list[ScoredPair]  # uncertain pairs in the review band that were NOT merged
    matched_pairs: int
    records: int
    seconds: float
    #: The trained Splink model (settings JSON with m/u and the prior). Store it and pass it
    #: back as `LinkageSettings(trained_model=...)` to score an incremental run.
    model_json: str = ""
    #: Pairs Splink scored at or above the review threshold, pairs above the match threshold
    #: cut to honour a rejection, and accepted pairs a rejection overrode.
    scored_pairs: int = 0
    cut_pairs: int = 0
    conflicts: list[tuple[int, int]] = field(default_factory=list)


def load_trained_model(model_json: str | dict[str, Any], base: LinkageSettings | None = None
                       ) -> LinkageSettings:
    """Settings that reuse a stored model (as saved from `Resolution.model_json`)."""
    return replace(base or LinkageSettings(), trained_model=model_json)


def _model_dict(model: str | dict[str, Any]) -> dict[str, Any]:
    return json.loads(model) if isinstance(model, str) else dict(model)


def _with_blocks(model: dict[str, Any], *, new_only: bool) -> dict[str, Any]:
    """The stored model with our current blocking rules (optionally new-record-only)."""
    out = dict(model)
    out["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": block_sql(b, new_only=new_only), "sql_dialect": out.get("sql_dialect")}
        for b in PREDICTION_BLOCKS.values()
    ]
    out.pop("linker_uid", None)
    return out


def resolve(
    records: Iterable[LinkRecord] | pa.Table,
    *,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    new_record_ids: set[int] | None = None,
    existing_clusters: dict[int, int] | None = None,
    progress: Progress | None = None,
    settings: LinkageSettings | None = None,
) -> Resolution:
    """Cluster records into persons (docs/linkage.md).

    `records`: every record of the registry (LinkRecords or an Arrow table with their
    columns). `must_link` / `cannot_link`: human accept / reject (or split) decisions, always
    honoured (a rejection wins over contradicting acceptances, see `Resolution.conflicts`).
    `new_record_ids`: None for a full run (all pairs; `existing_clusters` is then ignored and
    persons are re-derived from scores and decisions); a set for an incremental run (only pairs
    touching a new record; the records of each existing person stay together and new records
    join or bridge them). `progress(stage, fraction)`: stages features, training, predicting,
    clustering, done. `settings.trained_model`: a stored `Resolution.model_json` to reuse.
    """
    from splink import DuckDBAPI

    started = time.perf_counter()
    settings = settings or LinkageSettings()
    tell = progress or (lambda stage, fraction: None)
    tell("features", 0.0)
    incremental = new_record_ids is not None
    features, raw = feature_table(records, new_record_ids=new_record_ids)
    n_records = features.num_rows
    ids = raw.column("record_id").to_pylist()
    tell("features", 0.15)

    spill = tempfile.mkdtemp(prefix="rollcall-linkage-")
    con = connect(settings, spill)
    try:
        load_tables(con, features, raw)
        del features, raw
        db_api = DuckDBAPI(connection=con)
        if settings.trained_model is not None:
            model = _model_dict(settings.trained_model)
        else:
            tell("training", 0.2)
            model = train(db_api, db_api.register("link_input"), settings)
        tell("predicting", 0.45)
        if incremental:
            narrow_to_new(con)
            table = db_api.register("scope")
        else:
            table = db_api.register("link_input")
        linker = linker_for(db_api, table, _with_blocks(model, new_only=incremental))
        register_term_frequencies(con, db_api, linker)
        predictions = linker.inference.predict(
            threshold_match_probability=settings.review_probability, warning_mode="never"
        )
        pred = predictions.physical_name
        tell("clustering", 0.8)
        edges_tbl = con.sql(
            f"SELECT unique_id_l, unique_id_r, match_probability FROM {pred} "
            f"ORDER BY match_probability DESC"
        ).to_arrow_table()
        lefts = edges_tbl.column(0).to_pylist()
        rights = edges_tbl.column(1).to_pylist()
        probs = edges_tbl.column(2).to_pylist()
        edges = list(zip(lefts, rights, probs, strict=True))
        del lefts, rights, probs, edges_tbl
        result = cluster_records(
            ids, edges, must_link=must_link, cannot_link=cannot_link,
            existing_clusters=existing_clusters if incremental else None,
            threshold=settings.match_probability,
        )
        clusters = result.clusters
        matched = sum(1 for _, _, p in edges if p >= settings.match_probability)
        band = [
            (abs(p - 0.5), a, b) for a, b, p in edges
            if p < settings.match_probability and clusters[a] != clusters[b]
        ]
        band.sort()
        review_keys = [(a, b) for _, a, b in band]
        review = review_pairs(con, pred, model, review_keys[: settings.review_limit])
        tell("done", 1.0)
        return Resolution(
            clusters=clusters,
            review=review,
            matched_pairs=matched,
            records=n_records,
            seconds=time.perf_counter() - started,
            model_json=json.dumps(model),
            scored_pairs=len(edges),
            cut_pairs=len(result.cut),
            conflicts=result.conflicts,
        )
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
