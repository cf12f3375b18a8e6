"""Identity resolution: which source records are the same person.

Public API (B2's services and the CLI call these):

- `LinkRecord` - one source record as linkage sees it.
- `resolve(records, *, must_link, cannot_link, new_record_ids, existing_clusters, progress,
  settings) -> Resolution` - score pairs with Splink (DuckDB), cluster under human decisions.
- `ScoredPair`, `Resolution` - its results; `Resolution.model_json` is the trained model to
  store and pass back as `LinkageSettings(trained_model=...)` (or `load_trained_model(json)`)
  for incremental runs.
- `LinkageSettings` - thresholds and training choices.
- `cluster_records` - the constrained clustering on its own.
- `evaluate`, `pairwise_scores`, `cross_script_scores` - pairwise precision/recall/F1.
- `prepared_features(records)` and `splink_settings(dialect, trained_model)` - the table and
  the settings dict to run the same model on Spark (docs/linkage.md).
"""

from rollcall.linkage.clustering import cluster_records
from rollcall.linkage.engine import Resolution, load_trained_model, resolve
from rollcall.linkage.evaluate import PairwiseScores, cross_script_scores, evaluate, pairwise_scores
from rollcall.linkage.evidence import ScoredPair
from rollcall.linkage.preparation import prepared_features
from rollcall.linkage.records import LinkRecord, feature_table
from rollcall.linkage.settings import LinkageSettings, splink_settings

__all__ = [
    "LinkRecord",
    "LinkageSettings",
    "PairwiseScores",
    "Resolution",
    "ScoredPair",
    "cluster_records",
    "cross_script_scores",
    "evaluate",
    "feature_table",
    "load_trained_model",
    "pairwise_scores",
    "prepared_features",
    "resolve",
    "splink_settings",
]
