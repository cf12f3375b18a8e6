"""`rollcall incident ...`: allegations and incidents, their sources and victims, status
moves, and the counts that keep incidents and victims apart (issue 4 part 6)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.dates import PartialDate
from rollcall.errors import InvalidValue
from rollcall.monitoring.corroboration import NAMES
from rollcall.monitoring.incident_counts import IncidentCounts, IncidentFilter, incident_counts
from rollcall.security.permissions import Permission
from rollcall.services import incident_status as grading
from rollcall.services import incidents as service
from rollcall.services.changes import json_value
from rollcall.services.incident_views import IncidentView, incident_view, list_incidents
from rollcall.vocabulary import IncidentSourceKind, IncidentStatus, IncidentType

out = Console(highlight=False, soft_wrap=True)
incident_app = typer.Typer(help="Allegations and incidents: record, cite, link, grade, count.",
                           no_args_is_help=True)


def _print(text: str) -> None:
    out.print(text, markup=False)


def _partial(text: str | None, option: str) -> PartialDate | None:
    if text is None:
        return None
    try:
        return PartialDate.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"{option} must be yyyy, yyyy-mm or yyyy-mm-dd") from None


def _site(text: str | None) -> int | str | None:
    return int(text) if text and text.isdigit() else text


def counts_json(counts: IncidentCounts, rule: str) -> dict[str, Any]:
    def tally(t: Any) -> dict[str, int]:
        return {"incidents": t.incidents, "victims": t.victims,
                "persons_linked": t.persons_linked}

    return {
        "headline": counts.headline(), "total": tally(counts.total),
        "verified": tally(counts.verified),
        "by_status": {s.value: tally(t) for s, t in counts.by_status.items()},
        "by_type": [{"type": line.type.value, "total": tally(line.total),
                     "by_status": {s.value: tally(t) for s, t in line.by_status.items()}}
                    for line in counts.by_type],
        "corroboration_rule": rule,
    }


def _print_counts(counts: IncidentCounts) -> None:
    _print(counts.headline())
    _print("by status (incidents / victims / persons linked):")
    for status, t in counts.by_status.items():
        _print(f"  {status.value}: {t.incidents} / {t.victims} / {t.persons_linked}")
    if counts.by_type:
        _print("by type, retracted left out (incidents / victims / persons linked):")
    for line in counts.by_type:
        t = line.total
        _print(f"  {line.type.value}: {t.incidents} / {t.victims} / {t.persons_linked}")


def view_json(view: IncidentView) -> dict[str, Any]:
    i, a = view.incident, view.assessment
    return dict(json_value({
        "id": i.id, "type": i.type, "title": i.title, "status": i.status,
        "summary": i.summary, "site_id": i.site_id, "place": i.place,
        "date_from": i.date_from, "date_to": i.date_to, "victim_count": i.victim_count,
        "perpetrator": i.perpetrator, "victims_linked": view.victims_linked,
        "victims": None if view.victims is None else [
            {"id": v.id, "name": v.display_name} for v in view.victims],
        "sources": [{"id": s.item.id, "kind": s.item.kind, "testimony_id": s.item.testimony_id,
                     "testimony": s.testimony_pseudonym, "source_id": s.item.source_id,
                     "reference": s.item.reference, "origin": s.item.origin,
                     "repeats_id": s.item.repeats_id, "group": s.group,
                     "withdrawn": s.item.withdrawn_at is not None} for s in view.sources],
        "history": [{"from": h.from_status, "to": h.to_status, "by": h.changed_by,
                     "at": h.changed_at, "reason": h.reason, "rule": h.rule}
                    for h in view.history],
        "corroboration": {"rule": a.rule.text, "met": a.met, "figures": a.figures.as_dict()},
    }))


def _print_view(view: IncidentView) -> None:
    i, a = view.incident, view.assessment
    when = " to ".join(str(d) for d in (i.date_from, i.date_to) if d) or "undated"
    where = view.site.display_name if view.site else (i.place or "place unknown")
    _print(f"incident {i.id}: {i.title}")
    _print(f"  {i.type.value}, {i.status.value}; {when}; {where}")
    _print(f"  victims: {i.victim_count} ({view.victims_linked} identified)")
    for v in view.victims or []:
        _print(f"    person {v.id}: {v.display_name}")
    _print(f"  sources ({a.figures.sources} standing, {a.figures.independent_sources} "
           "independent):")
    for s in view.sources:
        cited = s.testimony_pseudonym or s.source_title or s.item.reference or ""
        group = f"origin {s.group}" if s.group else "withdrawn"
        _print(f"    {s.item.id}: {s.item.kind.value} {cited} ({group})")
    verdict = "met" if a.met else "not met"
    _print(f"  corroboration rule {verdict}: {a.rule.explain(a.figures)}")
    _print("  history:")
    for h in view.history:
        moved = f"{h.from_status.value} -> " if h.from_status else ""
        why = f": {h.reason}" if h.reason else ""
        _print(f"    {h.changed_at:%Y-%m-%d %H:%M} {h.changed_by}: {moved}"
               f"{h.to_status.value}{why}")


@incident_app.command("add")
def add(
    type: Annotated[IncidentType, typer.Option("--type", help="What happened.")],
    title: Annotated[str, typer.Option(help="A short title.")],
    summary: Annotated[str | None, typer.Option(help="What is alleged.")] = None,
    site: Annotated[str | None, typer.Option(help="A site's key or id.")] = None,
    place: Annotated[str | None, typer.Option(help="Where, in words.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="yyyy[-mm[-dd]]")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="yyyy[-mm[-dd]]")] = None,
    victims: Annotated[int, typer.Option(min=0, help="How many victims, identified or "
                                         "not.")] = 0,
    perpetrator: Annotated[str | None, typer.Option(help="Who, if known.")] = None,
    person: Annotated[list[int] | None, typer.Option(
        help="A registry person who is a victim (repeat the option).")] = None,
) -> None:
    """Record an allegation (status reported).

    Example: rollcall incident add --type killing --title "Execution near a farm"
    --site sizo-2-taganrog --from 2023-03 --victims 3 --person 17
    """
    with database().session() as session:
        incident = service.record_incident(
            session, operator(), type=type, title=title, summary=summary, site=_site(site),
            place=place, date_from=_partial(date_from, "--from"),
            date_to=_partial(date_to, "--to"), victim_count=victims, perpetrator=perpetrator,
            person_ids=person or [])
        _print(f"incident {incident.id} recorded (reported)")


@incident_app.command("source")
def source(
    incident_id: Annotated[int, typer.Argument(help="The incident.")],
    kind: Annotated[IncidentSourceKind, typer.Option(help="What the source is.")],
    testimony: Annotated[int | None, typer.Option(help="The testimony's id.")] = None,
    registry_source: Annotated[int | None, typer.Option(
        "--registry-source", help="A registry source's id (a document as received).")] = None,
    reference: Annotated[str | None, typer.Option(help="URL, title, number.")] = None,
    origin: Annotated[str | None, typer.Option(
        help="Who produced it: publisher, author, issuing body.")] = None,
    repeats: Annotated[int | None, typer.Option(
        help="Another source of this incident that this one only repeats.")] = None,
) -> None:
    """Cite a source for an incident.

    Example: rollcall incident source 4 --kind media --origin "Example News"
    --reference https://news.example/1 --repeats 7
    """
    with database().session() as session:
        item = service.add_source(session, operator(), incident_id, kind=kind,
                                  testimony_id=testimony, source_id=registry_source,
                                  reference=reference, origin=origin, repeats=repeats)
        assessment = grading.assess_incident(session, incident_id)
        _print(f"source {item.id} added to incident {incident_id}; corroboration rule "
               f"{'met' if assessment.met else 'not met'}")


@incident_app.command("withdraw-source")
def withdraw_source(
    incident_id: Annotated[int, typer.Argument(help="The incident.")],
    source_id: Annotated[int, typer.Argument(help="The incident's source.")],
    reason: Annotated[str, typer.Option(help="Why it no longer stands.")],
) -> None:
    """Withdraw a source (kept, not counted).

    An incident left short of the corroboration rule goes back to reported.

    Example: rollcall incident withdraw-source 4 9 --reason "witness retracted"
    """
    with database().session() as session:
        grading.withdraw_source(session, operator(), incident_id, source_id, reason=reason)
        status = service.find_incident(session, incident_id).status
        _print(f"source {source_id} withdrawn; incident {incident_id} is {status.value}")


@incident_app.command("victim")
def victim(
    incident_id: Annotated[int, typer.Argument(help="The incident.")],
    persons: Annotated[list[int], typer.Argument(help="Registry persons who are victims.")],
) -> None:
    """Link registry persons as victims.

    Example: rollcall incident victim 4 17 18
    """
    with database().session() as session:
        added = service.link_victims(session, operator(), incident_id, persons)
        _print(f"{len(added)} victim(s) linked to incident {incident_id}")


@incident_app.command("status")
def status(
    incident_id: Annotated[int, typer.Argument(help="The incident.")],
    to: Annotated[IncidentStatus, typer.Argument(help="The new status.")],
    reason: Annotated[str | None, typer.Option(
        help="Why; required for verified, for moves back and for retracted.")] = None,
) -> None:
    """Move an incident's status (credible, verified, back, retracted).

    Credible when the corroboration rule is met; verified from credible, with a reason;
    back or retracted, with a reason.

    Example: rollcall incident status 4 verified --reason "two witnesses and the act agree"
    """
    with database().session() as session:
        change = grading.move_status(session, operator(), incident_id, to, reason=reason)
        _print(f"incident {incident_id}: {change.from_status} -> {change.to_status.value}")


@incident_app.command("show")
def show(
    incident_id: Annotated[int, typer.Argument(help="The incident.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """One incident: sources with their independence groups, victims, status history.

    Example: rollcall incident show 4
    """
    with database().session() as session:
        view = incident_view(session, operator(), incident_id)
        if as_json:
            out.print_json(json.dumps(view_json(view), ensure_ascii=False))
        else:
            _print_view(view)


@incident_app.command("list")
def list_command(
    type: Annotated[IncidentType | None, typer.Option("--type")] = None,
    status: Annotated[IncidentStatus | None, typer.Option()] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Incidents, latest first.

    Example: rollcall incident list --status credible
    """
    with database().session() as session:
        paged = list_incidents(session, operator(), IncidentFilter(type=type, status=status),
                               page=page)
        _print(f"{paged.total} incident(s); page {paged.page} of {paged.pages}")
        for row in paged.items:
            i = row.incident
            _print(f"  {i.id}: {i.type.value}, {i.status.value}, {i.date_from or 'undated'}: "
                   f"{i.title} ({i.victim_count} victims, {row.sources} sources)")


@incident_app.command("counts")
def counts(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    type: Annotated[IncidentType | None, typer.Option("--type")] = None,
    site: Annotated[int | None, typer.Option(help="A site's id.")] = None,
) -> None:
    """Incidents and victims counted apart, by status and type.

    Example: rollcall incident counts --json
    """
    operator().require(Permission.REGISTRY_READ)
    rule = grading.current_rule()
    with database().session() as session:
        result = incident_counts(session, IncidentFilter(type=type, site_id=site))
    if as_json:
        out.print_json(json.dumps(counts_json(result, rule.text), ensure_ascii=False))
    else:
        _print_counts(result)


@incident_app.command("rule")
def rule() -> None:
    """The corroboration rule in force, and the figures it may use.

    Set it with ROLLCALL_CORROBORATION_RULE.

    Example: ROLLCALL_CORROBORATION_RULE="independent_sources >= 3" rollcall incident rule
    """
    current = grading.current_rule()
    _print(f"corroboration rule: {current.explain()}")
    _print("figures (over sources not withdrawn): " + ", ".join(NAMES))


def register(app: typer.Typer) -> None:
    """Adds this module's commands to `rollcall`."""
    app.add_typer(incident_app, name="incident")
