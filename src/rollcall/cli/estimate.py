"""`rollcall estimate`: how many persons no list documents (multiple systems estimation,
rollcall.stats.mse), from a CSV table of capture patterns or from the registry."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.security.permissions import Permission
from rollcall.stats.mse import CapturePatterns, Estimate, estimate, registry_estimate

out = Console(highlight=False, soft_wrap=True)
SHOWN_MODELS = 5


class Method(StrEnum):
    AUTO = "auto"
    CHAPMAN = "chapman"
    LINCOLN_PETERSEN = "lincoln_petersen"
    LOGLINEAR = "loglinear"
    LCMCR = "lcmcr"


class Population(StrEnum):
    HELD = "held"
    DEAD = "dead"


class Stratum(StrEnum):
    REGION = "region"
    YEAR = "year"


class ListKind(StrEnum):
    ORIGIN = "origin"
    SOURCE = "source"


class Criterion(StrEnum):
    BIC = "bic"
    AIC = "aic"


def _figure(value: float) -> str:
    return "infinite" if math.isinf(value) else f"{value:,.0f}"


def _print(result: Estimate, indent: str = "") -> None:
    lists = ", ".join(result.lists)
    if result.refused:
        out.print(f"{indent}documented {result.documented} (lists: {lists}); not estimated: "
                  f"{result.refused}", markup=False)
        return
    out.print(f"{indent}{result.method} on {len(result.lists)} lists ({lists})", markup=False)
    out.print(f"{indent}documented {result.documented:,}; estimated {_figure(result.estimate)}"
              f" (95% {result.interval} interval {_figure(result.lower)} to "
              f"{_figure(result.upper)}); undocumented {_figure(result.undocumented)}",
              markup=False)
    details = result.details
    if result.method == "loglinear":
        out.print(f"{indent}model {details['chosen']['model']} chosen by "
                  f"{details['criterion'].upper()} ({details['search']} search, "
                  f"{details['models_fitted']} models fitted)", markup=False)
        out.print(f"{indent}competing models:", markup=False)
        for row in details["competing_models"][:SHOWN_MODELS]:
            shown = "infinite" if row["estimate"] is None else f"{row['estimate']:,.0f}"
            out.print(f"{indent}  {row['model']}: estimate {shown}, AIC {row['aic']:.2f}, "
                      f"BIC {row['bic']:.2f}, deviance {row['deviance']:.2f} on "
                      f"{row['df']} df ({row['status']})", markup=False)
    elif result.method == "lcmcr":
        diag = details["diagnostics"]
        out.print(f"{indent}posterior median; seed {details['seed']}; {diag['chains']} "
                  f"chains x {diag['draws_per_chain']} draws, split R-hat "
                  f"{diag['rhat']:.3f}, bulk ESS {diag['ess_bulk']:.0f}", markup=False)
    elif "standard_error" in details:
        out.print(f"{indent}standard error {details['standard_error']:,.1f}; on both lists "
                  f"{details['both']}", markup=False)
    for warning in result.warnings:
        out.print(f"{indent}warning: {warning}", markup=False)


def _options(criterion: Criterion | None, max_order: int | None, chains: int | None,
             burnin: int | None, samples: int | None, thin: int | None,
             method: Method) -> dict[str, Any]:
    given = {"criterion": criterion.value if criterion else None, "max_order": max_order,
             "chains": chains, "burnin": burnin, "samples": samples, "thin": thin}
    wanted = {"loglinear": ("criterion", "max_order"),
              "lcmcr": ("chains", "burnin", "samples", "thin")}
    options = {k: v for k, v in given.items() if v is not None}
    allowed = wanted.get(method.value, ()) if method != Method.AUTO else wanted["loglinear"]
    stray = sorted(set(options) - set(allowed))
    if stray:
        raise InvalidValue(f"--{stray[0].replace('_', '-')} does not apply to the method "
                           f"{method.value}")
    return options


def register(app: typer.Typer) -> None:
    @app.command("estimate")
    def estimate_command(
        patterns: Annotated[Path | None, typer.Option(
            "--patterns", help="CSV: one 0/1 column per list and a 'count' column.")] = None,
        population: Annotated[Population | None, typer.Option(
            help="Estimate from the registry: persons held, or dead.")] = None,
        by: Annotated[Stratum | None, typer.Option(
            help="Registry: one estimate per region (where held or died) or year.")] = None,
        lists: Annotated[ListKind, typer.Option(
            help="Registry: a list is an origin (default; the releases of one bureau are "
                 "one system) or each source.")] = ListKind.ORIGIN,
        method: Annotated[Method, typer.Option(
            help="auto: log-linear from 3 lists, Chapman for 2.")] = Method.AUTO,
        seed: Annotated[int | None, typer.Option(
            help="Seed of the latent-class sampler (reproducible runs).")] = None,
        criterion: Annotated[Criterion | None, typer.Option(
            help="Log-linear model choice (default bic).")] = None,
        max_order: Annotated[int | None, typer.Option(
            min=1, help="Log-linear: the highest interaction (lists joined).")] = None,
        chains: Annotated[int | None, typer.Option(min=1, help="lcmcr: chains.")] = None,
        burnin: Annotated[int | None, typer.Option(min=0, help="lcmcr: burn-in.")] = None,
        samples: Annotated[int | None, typer.Option(
            min=4, help="lcmcr: draws kept per chain.")] = None,
        thin: Annotated[int | None, typer.Option(min=1, help="lcmcr: thinning.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    ) -> None:
        """Estimate how many persons no list documents (multiple systems estimation),
        from a table of capture patterns or from the registry's linked persons.

        Example: rollcall estimate --patterns lists.csv --method lcmcr --seed 1

        Example: rollcall estimate --population dead --by region --json
        """
        if (patterns is None) == (population is None):
            raise InvalidValue("give either --patterns FILE or --population held|dead")
        options = _options(criterion, max_order, chains, burnin, samples, thin, method)
        if patterns is not None:
            if by is not None:
                raise InvalidValue("--by applies to the registry (--population) only")
            result = estimate(CapturePatterns.from_csv(patterns), method.value, seed=seed,
                              **options)
            if as_json:
                out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
            else:
                _print(result)
            return
        assert population is not None
        operator().require(Permission.REGISTRY_READ)
        with database().session() as session:
            results = registry_estimate(
                session, population.value, by=by.value if by else None,
                method=method.value, seed=seed, lists=lists.value, **options)
        if as_json:
            document = {"population": population.value, "by": by.value if by else None,
                        "lists": lists.value,
                        "strata": [{"stratum": key, **value.to_dict()}
                                   for key, value in results.items()]}
            out.print_json(json.dumps(document, ensure_ascii=False))
            return
        out.print(f"{population.value} persons, lists by {lists.value}"
                  + (f", by {by.value}" if by else ""), markup=False)
        for key, value in results.items():
            if by is not None:
                out.print(f"{by.value} {key if key is not None else '(unknown)'}:",
                          markup=False)
            _print(value, indent="  " if by is not None else "")
