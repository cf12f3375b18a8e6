"""`rollcall visit presentation VISIT_ID` and `rollcall selective-presentation`: were the
persons presented to a monitor those the registry places at the site? Registered by
`rollcall.cli.monitoring`; definitions in `rollcall.monitoring.selective`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.monitoring.selective import (
    SelectiveReport,
    VisitFilter,
    VisitPresentation,
    selective_presentation,
    verdict_words,
    visit_detail,
)
from rollcall.security.permissions import Permission
from rollcall.services.changes import json_value
from rollcall.vocabulary import Monitor

out = Console(highlight=False, soft_wrap=True)


def _day(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"{option} must be a full date, YYYY-MM-DD") from None


def _plain(value: Any) -> Any:
    return json_value(dataclasses.asdict(value))


def _print_item(item: VisitPresentation, alpha: float) -> None:
    (a, b), (c, d) = item.table
    out.print(f"visit {item.visit_id}, {item.date.isoformat()}, {item.monitor.value} at site "
              f"{item.site_id}: {item.site_name}", markup=False)
    out.print(f"  roster {item.roster} ({item.roster_with_reports} with a report); presented "
              f"{item.presented}, of whom {item.presented_not_on_roster} not on the roster",
              markup=False)
    out.print(f"  presented: {a} with a report, {b} without; not presented: {c} with, "
              f"{d} without", markup=False)
    out.print(f"  {verdict_words(item, alpha)}", markup=False)


def _print_report(report: SelectiveReport) -> None:
    quiet = report.testable - report.flagged
    out.print(f"visits {report.visits}: {report.flagged} flagged, {quiet} not flagged, "
              f"{report.too_few} too few to tell (alpha {report.alpha:g}, "
              "Benjamini-Hochberg over the testable visits)", markup=False)
    for item in report.items:
        _print_item(item, report.alpha)


def register(app: typer.Typer, visit_app: typer.Typer) -> None:
    @visit_app.command("presentation")
    def presentation(
        visit: Annotated[int, typer.Argument(help="The visit's id.")],
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
        limit: Annotated[int, typer.Option(min=0, help="Persons per list.")] = 50,
    ) -> None:
        """Were the persons presented in this visit those the registry places at the site
        that day? The 2x2 table, the test (this visit alone) and the persons.

        Example: rollcall visit presentation 12
        """
        operator().require(Permission.REGISTRY_READ)
        with database().session() as session:
            detail = visit_detail(session, visit, limit=limit)
        if as_json:
            out.print_json(json.dumps(_plain(detail), ensure_ascii=False))
            return
        _print_item(detail.presentation, detail.alpha)
        for title, people in (("not presented", detail.not_presented),
                              ("presented, not on the roster",
                               detail.presented_not_on_roster)):
            out.print(f"  {title}: " + (", ".join(f"{p.id} {p.display_name}" for p in people)
                                        or "none"), markup=False)

    @app.command("selective-presentation")
    def selective(
        site: Annotated[int | None, typer.Option(help="Only visits to this site id.")] = None,
        monitor: Annotated[Monitor | None, typer.Option(help="Only this monitor.")] = None,
        date_from: Annotated[str | None, typer.Option(
            "--from", help="Visits from this day, YYYY-MM-DD.")] = None,
        date_to: Annotated[str | None, typer.Option(
            "--to", help="Visits up to this day, YYYY-MM-DD.")] = None,
        flagged: Annotated[bool, typer.Option(
            "--flagged", help="List only flagged visits (all are still tested).")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    ) -> None:
        """For each visit, compare the persons presented with those the registry places at
        the site that day, and flag visits where those with reports of ill-health or
        ill-treatment were kept away more than chance explains.

        Example: rollcall selective-presentation --flagged
        """
        operator().require(Permission.REGISTRY_READ)
        where = VisitFilter(site_id=site, monitor=monitor,
                            date_from=_day(date_from, "--from"), date_to=_day(date_to, "--to"))
        with database().session() as session:
            report = selective_presentation(session, where, flagged_only=flagged)
        if as_json:
            out.print_json(json.dumps(_plain(report), ensure_ascii=False))
        else:
            _print_report(report)
