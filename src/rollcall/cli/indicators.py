"""`rollcall indicators`: every indicator (rollcall.stats.indicators) under filters, as text
or as the JSON `/api/indicators` answers (issue 6 part 1)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from rollcall.api.indicators import IndicatorsOut
from rollcall.cli.context import database, operator
from rollcall.security.permissions import Permission
from rollcall.services.validation import partial_date
from rollcall.stats.indicators import WHY, Cell, Filters, Indicators, Kind, compute_indicators
from rollcall.vocabulary import Category, Origin

out = Console(highlight=False, soft_wrap=True)


def _figure(cell: Cell, kind: Kind, threshold: int | None) -> str:
    if cell.suppressed is not None:
        return "withheld (" + WHY[cell.suppressed] % {"threshold": threshold} + ")"
    if kind is Kind.PROPORTION:
        if cell.value is None or cell.lower is None or cell.upper is None:
            return f"{cell.numerator} of {cell.denominator}"
        return (f"{cell.numerator} of {cell.denominator} ({cell.value:.0%}; 95% CI "
                f"{100 * cell.lower:.0f}-{100 * cell.upper:.0f}%)")
    return str(cell.numerator)


def print_indicators(found: Indicators) -> None:
    shown = ", ".join(f"{k}={v}" for k, v in vars(found.filters).items() if v is not None)
    out.print(f"Indicators, computed {found.computed_at:%Y-%m-%d %H:%M} UTC"
              + (f"; filters: {shown}" if shown else "")
              + (f"; for publication (threshold {found.threshold})" if found.publication
                 else ""), markup=False)
    for item in found:
        d = item.definition
        out.print(f"\n{d.title}", markup=False)
        for name, why in item.not_applied.items():
            out.print(f"  filter {name} not applied: {why}", markup=False)
        for note in item.notes:
            out.print(f"  {note}", markup=False)
        for cell in item.cells:
            if cell.numerator == 0 and cell.suppressed is None and "all" not in cell.key:
                continue  # zeros, but for the totals, are left out of the text
            out.print(f"  {' / '.join(cell.key)}: {_figure(cell, d.kind, found.threshold)}",
                      markup=False)


def register(app: typer.Typer) -> None:
    @app.command("indicators")
    def indicators_command(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document, the shape "
                                              "of GET /api/indicators.")] = False,
        date_from: Annotated[str | None, typer.Option(
            "--from", help="Period start, yyyy[-mm[-dd]] (its first day).")] = None,
        date_to: Annotated[str | None, typer.Option(
            "--to", help="Period end, yyyy[-mm[-dd]] (its last day).")] = None,
        site: Annotated[int | None, typer.Option(help="A site's id.")] = None,
        category: Annotated[Category | None, typer.Option(help="The persons' category.")]
        = None,
        source: Annotated[int | None, typer.Option(help="A source's id.")] = None,
        origin: Annotated[Origin | None, typer.Option(help="Every source of an origin.")]
        = None,
        publication: Annotated[bool, typer.Option(
            help="Withhold small cells (setting small_cell_threshold).")] = False,
    ) -> None:
        """Every indicator with its numerator, denominator and 95% interval, under the
        filters; zero figures other than totals are left out of the text.

        Example: rollcall indicators --from 2023 --to 2023 --category pow --publication
        """
        operator().require(Permission.STATS_READ)
        start, end = partial_date(date_from, "--from"), partial_date(date_to, "--to")
        filters = Filters(period_from=start.earliest() if start else None,
                          period_to=end.latest() if end else None, site_id=site,
                          category=category, source_id=source, origin=origin)
        with database().session() as session:
            found = compute_indicators(session, filters, publication=publication)
        if as_json:
            out.print_json(IndicatorsOut.of(found).model_dump_json())
        else:
            print_indicators(found)
