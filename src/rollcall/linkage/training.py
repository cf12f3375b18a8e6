"""Estimating the model from the data: the prior by deterministic rules, u by random
sampling, m by expectation maximisation over several training blocks, then smoothing. No m or
u is ever typed in."""

from __future__ import annotations

import copy
import logging
from typing import Any

from rollcall.errors import LinkageError
from rollcall.linkage.settings import (
    DETERMINISTIC_RULES,
    TRAINED_IN_BLOCK,
    TRAINING_BLOCKS,
    LinkageSettings,
    settings_creator,
)

# Splink logs every step at INFO; a run is reported through `progress` instead.
logging.getLogger("splink").setLevel(logging.ERROR)
log = logging.getLogger(__name__)


def _clamp_em_underflow() -> None:
    """Work around Splink 5.0.0: EM can drive an m below 1e-300 (a level never seen among the
    matches of a training block), and Splink's own setter then refuses the value and aborts
    the session half-way. Clamp to Splink's own minimum before the value is set; our
    smoothing (`smooth_model`) lifts it to the floor afterwards anyway."""
    from splink.internals import expectation_maximisation as em
    from splink.internals.comparison_level import M_U_CLAMP_MIN

    original = em.populate_m_u_from_lookup
    if getattr(original, "_rollcall_clamped", False):
        return

    def clamped(fixed: Any, level: Any, name: str, lookup: dict[str, dict[int, Any]]) -> None:
        for values in lookup.get(name, {}).values():
            for key in ("m_probability", "u_probability"):
                value = values.get(key)
                if isinstance(value, float) and value < M_U_CLAMP_MIN:
                    values[key] = M_U_CLAMP_MIN
        original(fixed, level, name, lookup)

    clamped._rollcall_clamped = True  # type: ignore[attr-defined]
    em.populate_m_u_from_lookup = clamped


_clamp_em_underflow()

def linker_for(db_api: Any, table: Any, settings: Any) -> Any:
    from splink import Linker

    return Linker(table, settings, log_level=None)


def train(db_api: Any, features: Any, settings: LinkageSettings) -> dict[str, Any]:
    from splink.internals.exceptions import EMTrainingException

    """Estimate the model from the data: prior by deterministic rules, u by random sampling,
    m by EM over several training blocks. Returns Splink's model dict."""
    linker = linker_for(db_api, features, settings_creator())
    linker.training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=settings.deterministic_recall
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.u_max_pairs, seed=settings.seed
    )
    trained = 0
    own_estimates: dict[str, list[dict[str, Any]]] = {}
    for name in settings.training_blocks:
        snapshot = copy.deepcopy(linker.misc.save_model_to_json())
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                TRAINING_BLOCKS[name], estimate_without_term_frequencies=True,
                max_pairs=settings.em_max_pairs,
            )
        except (ValueError, EMTrainingException) as exc:
            # No pairs in this block (small or foreign data), or another refusal that leaves
            # the model half-updated: go back to the model as it was before this session;
            # the other sessions train the same comparisons.
            log.warning("EM on training block %s gave up: %s", name, str(exc)[:100])
            linker = linker_for(db_api, features, snapshot)
            continue
        trained += 1
        for comparison, block in TRAINED_IN_BLOCK.items():
            if block == name:
                own_estimates[comparison] = _levels_of(linker.misc.save_model_to_json(),
                                                       comparison)
    if not trained:
        raise LinkageError("no EM training session succeeded; too few records to train on")
    model = linker.misc.save_model_to_json()
    for comp in model["comparisons"]:
        if comp["output_column_name"] in own_estimates:
            comp["comparison_levels"] = own_estimates[comp["output_column_name"]]
    return smooth_model(model, settings)


def _levels_of(model: dict[str, Any], comparison: str) -> list[dict[str, Any]]:
    for comp in model["comparisons"]:
        if comp["output_column_name"] == comparison:
            return copy.deepcopy(comp["comparison_levels"])
    raise LinkageError(f"no comparison {comparison} in the model")


def smooth_model(model: dict[str, Any], settings: LinkageSettings) -> dict[str, Any]:
    """Keep estimates away from 0 without inventing evidence.

    * A level rare among matches (m below `m_floor`, or EM never saw it) gets
      m = min(m_floor, u): it can count against a match, never for one. Without the floor one
      disagreement (m = 1e-40) would outweigh everything else.
    * A level random sampling never saw gets u = 1 / `u_max_pairs`.
    * A level seen neither among matches nor among random pairs (a kind of value absent from
      the training data, e.g. a list type that arrived later) weighs nothing: m = u.

    Each comparison's m and u are then renormalised.
    """
    m_floor = settings.m_floor
    u_floor = 1.0 / settings.u_max_pairs
    for comp in model["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        ms, us = [], []
        for lv in levels:
            m, u = lv.get("m_probability") or 0.0, lv.get("u_probability") or 0.0
            u_seen = u >= u_floor
            if not u_seen:
                u = u_floor
            if m < m_floor:
                m = min(m_floor, u) if (u_seen or m > 0) else u
            ms.append(m)
            us.append(u)
        m_total, u_total = sum(ms), sum(us)
        for lv, m, u in zip(levels, ms, us, strict=True):
            lv["m_probability"] = m / m_total
            lv["u_probability"] = u / u_total
    return model
