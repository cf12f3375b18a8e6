"""`rollcall custody add` and `rollcall custody show`: where a person was held when
(issue 4 part 1). Registered by `rollcall.cli.monitoring`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.monitoring.custody import EVENTS, custody_of
from rollcall.security.permissions import Permission
from rollcall.services.changes import json_value
from rollcall.services.custody import record_custody

out = Console(highlight=False, soft_wrap=True)
custody_app = typer.Typer(help="Custody: which site held a person when.",
                          no_args_is_help=True)


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"{option} must be a full date, YYYY-MM-DD") from None


@custody_app.command("add")
def add(
    person: Annotated[int, typer.Argument(help="The person's id.")],
    site: Annotated[str, typer.Argument(help="The site's key, or its id.")],
    start: Annotated[str, typer.Option("--from", help="First day there, YYYY-MM-DD.")],
    end: Annotated[str | None, typer.Option(
        "--to", help="Last day there (the transfer or release day), YYYY-MM-DD; omit while "
        "the person is still there.")] = None,
    source: Annotated[int | None, typer.Option(help="The source saying so.")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record that a person was held at a site from one day to another. Refused if it
    overlaps a period of the same person at another site by more than the transfer day.

    Example: rollcall custody add 17 sizo-2-taganrog --from 2022-05-20 --to 2022-09-01
    """
    first = _day(start, "--from")
    last = _day(end, "--to") if end else None
    with database().session() as session:
        period = record_custody(session, operator(), person_id=person,
                                site=int(site) if site.isdigit() else site, start=first,
                                end=last, source_id=source, notes=notes)
        out.print(f"custody period {period.id} recorded", markup=False)


@custody_app.command("show")
def show(
    person: Annotated[int, typer.Argument(help="The person's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """Where the person was held when: the periods recorded, and the stays from both the
    periods and the events (stays from events count only on days no period covers).

    Example: rollcall custody show 17
    """
    operator().require(Permission.REGISTRY_READ)
    with database().session() as session:
        custody = custody_of(session, person)
    if as_json:
        out.print_json(json.dumps(json_value({
            "person_id": custody.person_id,
            "recorded": [{"id": p.id, "person_id": p.person_id, "site_id": p.site_id,
                          "start": p.start, "end": p.end, "source_id": p.source_id}
                         for p in custody.recorded],
            "stays": [{"kind": s.kind, "site_id": s.site_id, "site_name": s.site_name,
                       "start": s.start, "end": s.end, "end_included": s.end_included}
                      for s in custody.stays],
        }), ensure_ascii=False))
        return
    out.print(f"person {custody.person_id}", markup=False)
    for p in custody.recorded:
        out.print(f"  period {p.id}: site {p.site_id} from {p.start.isoformat()} to "
                  f"{p.end.isoformat() if p.end else 'now'}"
                  + (f" (source {p.source_id})" if p.source_id else ""), markup=False)
    if not custody.stays:
        out.print("  no known site", markup=False)
    for s in custody.stays:
        start = s.start.isoformat() if s.start else "before any dated event"
        if s.end is None:
            end = "now"
        else:
            end = f"{s.end.isoformat()} ({'included' if s.end_included else 'excluded'})"
        kind = "from events" if s.kind == EVENTS else "recorded"
        out.print(f"  site {s.site_id}: {s.site_name}, {start} to {end} [{kind}]",
                  markup=False)
