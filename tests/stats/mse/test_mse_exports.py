"""The public interface of rollcall.stats.mse that reports and the dashboard call."""

from __future__ import annotations

import dataclasses
import inspect

import rollcall.stats.mse as mse


def test_every_public_name_is_exported_and_importable():
    assert sorted(mse.__all__) == sorted(
        name for name in vars(mse) if not name.startswith("_")
        and not inspect.ismodule(getattr(mse, name)))
    for name in ("CapturePatterns", "Estimate", "estimate", "lincoln_petersen", "chapman",
                 "loglinear", "lcmcr", "registry_patterns", "registry_estimate"):
        assert name in mse.__all__


def test_estimate_fields_and_signatures():
    fields = [f.name for f in dataclasses.fields(mse.Estimate)]
    assert fields[:9] == ["method", "lists", "documented", "estimate", "lower", "upper",
                          "interval", "warnings", "details"]
    assert mse.Estimate.__dataclass_params__.frozen  # type: ignore[attr-defined]
    signature = inspect.signature(mse.registry_estimate)
    assert list(signature.parameters)[:6] == ["session", "population", "by", "method",
                                              "seed", "lists"]
    assert signature.parameters["method"].default == "auto"
    assert inspect.signature(mse.registry_patterns).parameters["lists"].default == "origin"
    assert list(inspect.signature(mse.estimate).parameters)[:3] == ["patterns", "method",
                                                                     "seed"]
