"""Benchmark: multiple systems estimation on 8 lists (issue 6, part 2), each figure next
to a baseline measured in the same run.

The data: a synthetic population (`--persons`, default 5,000, seed `--seed`) in two latent
classes, on 8 lists, two of which copy each other often (a dependence the models must
find); about four in five are documented, spread over most of the 255 capture patterns.

1. Log-linear model selection (`rollcall.stats.mse.loglinear`: stepwise BIC search over
   hierarchical models, existence checks, the chosen model's profile likelihood
   interval), against the baseline: a plain statsmodels Poisson GLM fit of the
   independence model on the same 255-cell table. A second line fits with statsmodels
   every model the search fitted (no existence checks, no interval): the search as it
   would cost with statsmodels' fitter, next to ours.
2. The latent-class sampler (`rollcall.stats.mse.lcmcr.sample_population`, 4 chains
   vectorised): sweeps per second (one sweep updates all chains), with the time of one
   sweep as a ratio to the same statsmodels fit.

    .venv/bin/python bench/mse_bench.py [--persons 5000] [--iterations 3000] [--write]

Prints a Markdown table; `--write` appends it to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import statsmodels.api as sm

from rollcall.stats.mse import CapturePatterns, loglinear
from rollcall.stats.mse import models as m
from rollcall.stats.mse.lcmcr import SamplerSettings, sample_population

ROOT = Path(__file__).resolve().parent.parent


def population(persons: int, seed: int) -> CapturePatterns:
    rng = np.random.default_rng(seed)
    low = np.array([0.15, 0.0, 0.2, 0.1, 0.25, 0.1, 0.15, 0.2])
    high = np.array([0.5, 0.0, 0.4, 0.45, 0.35, 0.5, 0.4, 0.3])
    profile = np.where((rng.random(persons) < 0.3)[:, None], high, low)
    on = rng.random((persons, 8)) < profile
    on[:, 1] = np.where(on[:, 0], rng.random(persons) < 0.6, rng.random(persons) < 0.05)
    seen = on[on.any(axis=1)].astype(int)
    return CapturePatterns.from_pairs([f"list{j + 1}" for j in range(8)],
                                      Counter(map(tuple, seen)).items())


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def statsmodels_fit(cells: np.ndarray, y: np.ndarray, model: m.Model) -> float:
    x = m.design(cells, model)
    return float(sm.GLM(y, x, family=sm.families.Poisson()).fit().params[0])


def statsmodels_search(data: CapturePatterns) -> int:
    """The same stepwise BIC search, each model fitted by statsmodels' GLM (no existence
    check, no interval): the baseline for the search itself. Returns the fits made."""
    cells, y = data.table()
    seen: dict[m.Model, float] = {}

    def score(model: m.Model) -> float:
        if model not in seen:
            x = m.design(cells, model)
            fit = sm.GLM(y, x, family=sm.families.Poisson()).fit()
            seen[model] = -2 * fit.llf + x.shape[1] * np.log(y.sum())
        return seen[model]

    m.stepwise(data.k, m.default_max_order(data.k), score)
    return len(seen)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {platform.machine()}, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=3000,
                        help="sampler sweeps (burn-in 500 of them)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()

    data = population(args.persons, args.seed)
    cells, y = data.table()
    independence = frozenset()
    base, _ = timed(lambda: statsmodels_fit(cells, y, independence), args.repeat * 5)
    selection, result = timed(lambda: loglinear(data), args.repeat)
    assert result is not None
    fitted = result.details["models_fitted"]  # type: ignore[attr-defined]
    sm_search, sm_fits = timed(lambda: statsmodels_search(data), 1)

    burnin = min(500, args.iterations // 2)
    settings = SamplerSettings(chains=4, burnin=burnin, samples=args.iterations - burnin,
                               thin=1)
    sampling, draws = timed(
        lambda: sample_population(data, settings, np.random.default_rng(args.seed)), 1)
    sweeps = args.iterations / sampling
    assert draws is not None

    today = dt.date.today().isoformat()
    chosen = result.details["chosen"]  # type: ignore[attr-defined]
    lines = [
        f"### 8 lists, {args.persons:,} persons — {today}",
        "",
        f"Command: `.venv/bin/python bench/mse_bench.py --persons {args.persons} "
        f"--seed {args.seed} --iterations {args.iterations} --repeat {args.repeat}`  ",
        f"Machine: {machine()}; load average at the end {load()}",
        "",
        f"Data: {data.documented:,} documented on 8 lists, {len(data.cells)} of 255 "
        f"patterns seen. Log-linear: {fitted} models fitted (stepwise BIC), chosen "
        f"{chosen['model']}, estimate {result.estimate:,.0f} "  # type: ignore[attr-defined]
        f"({result.lower:,.0f} to {result.upper:,.0f}; "  # type: ignore[attr-defined]
        f"true N {args.persons:,}).",
        "",
        "| what | Rollcall | baseline (same run) | ratio |",
        "|---|---|---|---|",
        f"| log-linear selection + interval, 8 lists | {selection:.2f} s (median of "
        f"{args.repeat}) | statsmodels GLM, independence model: {base * 1000:.1f} ms | "
        f"{selection / base:.0f} |",
        f"| the stepwise search | {selection:.2f} s, {fitted} fits (with existence "
        f"checks and the interval) | the same search fitted by statsmodels: "
        f"{sm_search:.2f} s, {sm_fits} fits | {selection / sm_search:.2f} |",
        f"| latent-class sampler, 4 chains, {args.iterations} sweeps | {sweeps:,.0f} "
        f"sweeps/s ({sampling:.2f} s; {1000 / sweeps:.2f} ms per sweep) | statsmodels "
        f"GLM, independence model: {base * 1000:.1f} ms | {1 / sweeps / base:.2f} |",
        "",
    ]
    table = "\n".join(lines)
    print(table)
    if args.write:
        path = ROOT / "docs" / "benchmarks.md"
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n" + table)
        print(f"appended to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
