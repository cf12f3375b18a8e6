"""`rollcall access-report` and `rollcall visit add`: monitoring visits and the places of
detention no independent monitor has seen (issue 4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

import typer
from rich.console import Console

from rollcall.cli import custody, selective
from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.monitoring.access_gap import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    AccessReport,
    Capped,
    PersonGap,
    SiteGap,
    WitnessShare,
    access_report,
)
from rollcall.security.permissions import Permission
from rollcall.services.changes import json_value
from rollcall.services.visits import record_visit
from rollcall.vocabulary import Monitor

out = Console(highlight=False, soft_wrap=True)
visit_app = typer.Typer(help="Monitoring visits to places of detention.", no_args_is_help=True)


def report_json(report: AccessReport) -> dict[str, Any]:
    """The report as plain JSON values (dates ISO, vocabulary codes as text)."""
    return dict(json_value(dataclasses.asdict(report)))


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"{option} must be a full date, YYYY-MM-DD") from None


def _print_sites(title: str, capped: Capped[SiteGap]) -> None:
    out.print(f"{title} ({capped.total}):", markup=False)
    for g in capped.items:
        where = ", ".join(x for x in (g.type.value, g.region, g.country) if x)
        last = g.last_visit.isoformat() if g.last_visit else "-"
        out.print(f"  site {g.id}: {g.name} ({where}): {g.persons_held} held, "
                  f"{g.visits} visits, last {last}", markup=False)
    if capped.total > len(capped.items):
        out.print(f"  ... and {capped.total - len(capped.items)} more", markup=False)


def _print_persons(title: str, capped: Capped[PersonGap]) -> None:
    out.print(f"{title} ({capped.total}):", markup=False)
    for p in capped.items:
        site = f"site {p.site_id}: {p.site_name}" if p.site_id else "no known site"
        out.print(f"  person {p.id}: {p.display_name} ({site})", markup=False)
    if capped.total > len(capped.items):
        out.print(f"  ... and {capped.total - len(capped.items)} more", markup=False)


def share_sentence(t: WitnessShare) -> str:
    """'34 of 40 (85%; 95% CI 71-93%) ...', or why there is no share."""
    if t.share is None or t.low is None or t.high is None:
        return ("released persons who gave testimony: none answered whether they saw a "
                "monitor")
    return (f"{t.never_saw} of {t.answered} ({t.share:.0%}; 95% CI {100 * t.low:.0f}-"
            f"{100 * t.high:.0f}%) of released persons who answered say they never saw a "
            "monitor")


def print_share(t: WitnessShare) -> None:
    out.print(f"testimonies: {share_sentence(t)}", markup=False)
    out.print(f"  released witnesses {t.witnesses}, unanswered {t.unanswered}; not counted: "
              f"{t.without_consent} without consent to statistics, {t.not_released} not "
              f"released, {t.unlinked_testimonies} testimonies with no registry person",
              markup=False)


def print_report(r: AccessReport) -> None:
    out.print(f"Access of independent monitors as of {r.as_of.isoformat()}", markup=False)
    out.print(f"sites: {r.sites_total}; never visited {r.sites_never_visited.total}, "
              f"partial access only {r.sites_partial_only.total}, "
              f"full access {r.sites_full_access}", markup=False)
    out.print(f"persons held: {r.persons_held} ({r.persons_held_without_site} with no known "
              "site)", markup=False)
    out.print(f"  at sites never visited: {r.persons_at_never_visited.total}", markup=False)
    out.print(f"  at sites with partial access only: {r.persons_at_partial_only.total}",
              markup=False)
    out.print(f"  never seen by a monitor: {r.persons_never_seen.total}", markup=False)
    print_share(r.testimony_share)
    _print_sites("Sites never visited", r.sites_never_visited)
    _print_sites("Sites with partial access only", r.sites_partial_only)
    _print_persons("Held persons never seen by a monitor", r.persons_never_seen)
    for item in r.not_computed:
        out.print(f"not computed: {item}", markup=False)


@visit_app.command("add")
def add_visit(
    site: Annotated[str, typer.Option(help="The site's key, or its id.")],
    monitor: Annotated[Monitor, typer.Option(help="Who visited.")],
    date: Annotated[str, typer.Option(help="The day of the visit, YYYY-MM-DD.")],
    person: Annotated[list[int] | None, typer.Option(
        help="A registry person presented (repeat the option).")] = None,
    private_interviews: Annotated[bool, typer.Option(
        help="Interviews without witnesses were allowed.")] = False,
    premises_refused: Annotated[str | None, typer.Option(
        help="Premises the monitor was refused.")] = None,
    source: Annotated[int | None, typer.Option(help="The source reporting the visit.")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a monitor's visit to a place of detention.

    Example: rollcall visit add --site sizo-2-taganrog --monitor icrc --date 2023-05-04
    --person 17 --person 18 --private-interviews
    """
    day = _day(date, "--date")
    with database().session() as session:
        visit = record_visit(
            session, operator(), site=int(site) if site.isdigit() else site, monitor=monitor,
            date=day, person_ids=person or [], private_interviews=private_interviews,
            premises_refused=premises_refused, source_id=source, notes=notes)
        out.print(f"visit {visit.id} recorded", markup=False)


def register(app: typer.Typer) -> None:
    @app.command("access-report")
    def access_report_command(
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
        as_of: Annotated[str | None, typer.Option(
            help="Report as of this day, YYYY-MM-DD (default today).")] = None,
        limit: Annotated[int, typer.Option(min=0, max=MAX_LIMIT,
                                           help="Entries per list.")] = DEFAULT_LIMIT,
    ) -> None:
        """Places of detention no independent monitor has seen, or seen only in part, how
        many people the registry places there, and who was never seen.

        Example: rollcall access-report --json
        """
        operator().require(Permission.REGISTRY_READ)
        with database().session() as session:
            report = access_report(session, _day(as_of, "--as-of") if as_of else None,
                                   limit=limit)
        if as_json:
            out.print_json(json.dumps(report_json(report), ensure_ascii=False))
        else:
            print_report(report)

    selective.register(app, visit_app)
    app.add_typer(visit_app, name="visit")
    app.add_typer(custody.custody_app, name="custody")
