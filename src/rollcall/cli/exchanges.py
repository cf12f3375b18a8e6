"""`rollcall exchange`, `rollcall prosecution` and `rollcall contact`: exchanges and
repatriation, prosecutions, contact with family (issue 4 parts 7-10). Every write goes
through the services, which record the persons' events so their status follows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.monitoring.exchange_counts import ExchangeCounts, exchange_counts
from rollcall.services import exchanges, family_contact, prosecutions
from rollcall.services.changes import json_value
from rollcall.services.exchange_lists import ExchangeListReport, import_exchange_list
from rollcall.services.validation import partial_date
from rollcall.vocabulary import (
    ContactDirection,
    ContactKind,
    ExchangeDirection,
    ExchangeKind,
    FairTrialConcern,
    IdentificationStatus,
    Mediator,
    Origin,
    Verdict,
)

out = Console(highlight=False, soft_wrap=True)
exchange_app = typer.Typer(help="Exchanges and repatriation.", no_args_is_help=True)
prosecution_app = typer.Typer(help="Prosecutions of persons in captivity.",
                              no_args_is_help=True)
contact_app = typer.Typer(help="Contact with family (GC III Art. 70-71).", no_args_is_help=True)

DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD."
Source = Annotated[int, typer.Option("--source", help="The source that reports this.")]


def say(text: str) -> None:
    out.print(text, markup=False)


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"{option} must be a full date, YYYY-MM-DD") from None


# --- exchanges -------------------------------------------------------------------------------

@exchange_app.command("add")
def add_exchange(
    date: Annotated[str, typer.Option(help="The day of the exchange, YYYY-MM-DD.")],
    mediator: Annotated[str | None, typer.Option(help="As the announcement names it.")] = None,
    mediator_code: Annotated[Mediator | None, typer.Option(help="A known mediator.")] = None,
    place: Annotated[str | None, typer.Option()] = None,
    unnamed_bodies_to_own_side: Annotated[int, typer.Option(
        min=0, help="Bodies received that no list names.")] = 0,
    unnamed_bodies_to_adversary: Annotated[int, typer.Option(
        min=0, help="Bodies handed over that no list names.")] = 0,
    source: Annotated[int | None, typer.Option(
        help="The announcement, if imported; default source of persons attached.")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record an exchange; attach persons with `attach` or `import`.

    Example: rollcall exchange add --date 2024-01-03 --mediator-code uae --source 12
    """
    with database().session() as session:
        exchange = exchanges.record_exchange(
            session, operator(), date=_day(date, "--date"), mediator=mediator,
            mediator_code=mediator_code, place=place,
            unnamed_bodies_to_own_side=unnamed_bodies_to_own_side,
            unnamed_bodies_to_adversary=unnamed_bodies_to_adversary, source_id=source,
            notes=notes)
        say(f"exchange {exchange.id} recorded")


def print_list_report(report: ExchangeListReport) -> None:
    if report.already_imported:
        say(f"{report.file}: imported before as source {report.source_id}")
    else:
        say(f"{report.file}: source {report.source_id}")
    say(f"  rows accepted {report.accepted}, rejected {report.rejected}")
    say(f"  matched existing persons {report.matched}, new persons {report.new}")
    if report.linkage_error:
        say(f"  linkage did not run: {report.linkage_error}; run `rollcall link` later")
    if report.review_pairs:
        say(f"  uncertain matches waiting in the review queue: {report.review_pairs}")
    say(f"  persons attached to exchange {report.exchange_id}: {len(report.attached)}"
        + (f" ({len(report.already_attached)} attached before)"
           if report.already_attached else ""))
    for row in report.rejected_rows:
        say(f"  row {row.row_number}, {row.field or '-'}: {row.reason} [rejected]")


@exchange_app.command("import")
def import_exchange(
    exchange_id: Annotated[int, typer.Argument(help="The exchange.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    direction: Annotated[ExchangeDirection, typer.Option(help="Which way they were handed "
                                                         "over.")],
    kind: Annotated[ExchangeKind, typer.Option(help="Alive, or bodies.")] = ExchangeKind.ALIVE,
    identification: Annotated[IdentificationStatus | None, typer.Option(
        help="Bodies only (default unidentified).")] = None,
    origin: Annotated[Origin, typer.Option(help="Who produced the list.")] = Origin.OWN_BUREAU,
    title: Annotated[str | None, typer.Option(help="Title of the source.")] = None,
    received: Annotated[str | None, typer.Option(help=f"When received: {DATE_HELP}")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """Import a list of persons handed over, link it and attach the persons.

    The rows join the persons the registry knows (a linkage run), then each person is
    attached with their event, so their status follows. Safe to run again on the file.

    Example: rollcall exchange import 3 list.csv --direction to_own_side --origin icrc
    """
    report = import_exchange_list(
        database(), operator(), exchange_id, file, direction=direction, kind=kind,
        identification=identification, origin=origin, title=title,
        received=partial_date(received, "--received"))
    if as_json:
        out.print_json(json.dumps(json_value(dataclasses.asdict(report)), ensure_ascii=False))
    else:
        print_list_report(report)


@exchange_app.command("attach")
def attach(
    exchange_id: Annotated[int, typer.Argument(help="The exchange.")],
    person: Annotated[list[int], typer.Argument(help="Registry person ids.")],
    direction: Annotated[ExchangeDirection, typer.Option(help="Which way they were handed "
                                                         "over.")],
    kind: Annotated[ExchangeKind, typer.Option()] = ExchangeKind.ALIVE,
    identification: Annotated[IdentificationStatus | None, typer.Option(
        help="Bodies only (default unidentified).")] = None,
    source: Annotated[int | None, typer.Option(
        help="The list or report naming them (default the exchange's source).")] = None,
) -> None:
    """Attach known persons to an exchange by id; their status follows.

    Example: rollcall exchange attach 3 17 18 --direction to_own_side
    """
    with database().session() as session:
        result = exchanges.attach_persons(session, operator(), exchange_id, person,
                                          direction=direction, kind=kind,
                                          identification=identification, source_id=source)
    say(f"attached {len(result.attached)} person(s) to exchange {exchange_id}"
        + (f"; {len(result.already)} attached before" if result.already else ""))


@exchange_app.command("identify")
def identify(
    exchange_id: Annotated[int, typer.Argument(help="The exchange.")],
    person: Annotated[int, typer.Argument(help="The person whose body was repatriated.")],
    status: Annotated[IdentificationStatus, typer.Option(help="The new status.")],
    date: Annotated[str | None, typer.Option(help=f"Of the identification: {DATE_HELP}")]
    = None,
    source: Annotated[int | None, typer.Option(help="The identification report.")] = None,
) -> None:
    """Move a repatriated body's identification forward (pending: DNA samples taken).

    Example: rollcall exchange identify 3 17 --status identified --date 2024-03 --source 20
    """
    with database().session() as session:
        exchanges.set_identification(session, operator(), exchange_id, person, status,
                                     date=partial_date(date, "--date"), source_id=source)
    say(f"person {person} in exchange {exchange_id}: {status.value}")


@exchange_app.command("list")
def list_command(page: Annotated[int, typer.Option(min=1)] = 1) -> None:
    """Exchanges, newest first, with persons counted each way.

    Example: rollcall exchange list
    """
    with database().session() as session:
        paged = exchanges.list_exchanges(session, operator(), page=page)
        for row in paged.items:
            e = row.exchange
            mediator = e.mediator or (e.mediator_code.value if e.mediator_code else "-")
            say(f"exchange {e.id}: {e.date.isoformat()}, {mediator}; to own side "
                f"{row.count('to_own_side', 'alive')} alive, "
                f"{row.count('to_own_side', 'body') + e.unnamed_bodies_to_own_side} bodies; "
                f"to the adversary {row.count('to_adversary', 'alive')} alive, "
                f"{row.count('to_adversary', 'body') + e.unnamed_bodies_to_adversary} bodies")
        say(f"{paged.total} exchange(s), page {paged.page} of {paged.pages}")


@exchange_app.command("show")
def show(exchange_id: Annotated[int, typer.Argument(help="The exchange.")]) -> None:
    """An exchange with every person handed over each way.

    Example: rollcall exchange show 3
    """
    with database().session() as session:
        view = exchanges.exchange_view(session, operator(), exchange_id)
        e = view.exchange
        say(f"exchange {e.id}: {e.date.isoformat()}"
            + (f", {e.mediator}" if e.mediator else "")
            + (f" ({e.mediator_code.value})" if e.mediator_code else "")
            + (f", {e.place}" if e.place else ""))
        for direction in ExchangeDirection:
            for kind in ExchangeKind:
                persons = view.of(direction, kind)
                unnamed = (getattr(e, f"unnamed_bodies_{direction.value}")
                           if kind is ExchangeKind.BODY else 0)
                say(f"{direction.value}, {kind.value}: {len(persons)}"
                    + (f" (+{unnamed} unnamed)" if unnamed else ""))
                for h in persons:
                    ident = f", {h.identification.value}" if h.identification else ""
                    say(f"  person {h.person.id}: {h.person.display_name} "
                        f"({h.person.custody_status.value}{ident})")


def print_counts(c: ExchangeCounts) -> None:
    say(f"exchanges: {c.exchanges}")
    for name, d in (("to own side", c.to_own_side), ("to the adversary", c.to_adversary)):
        b = d.bodies
        say(f"{name}: {d.alive} alive; bodies {b.total} (identified {b.identified}, pending "
            f"{b.pending}, unidentified {b.unidentified} of which unnamed {b.unnamed})")
    k = c.contact
    say(f"held: {k.held}; deprived of contact with family: {k.deprived}")
    say(f"released and interviewed: {k.released_interviewed}; answered {k.answered}; "
        f"say they had no contact with family: {k.said_no_contact}")
    p = c.prosecution
    say(f"prosecutions: {p.prosecutions} of {p.persons} person(s); "
        + ", ".join(f"{v} {n}" for v, n in p.by_verdict.items()))
    say("fair-trial concerns: " + (", ".join(f"{k_} {n}" for k_, n in p.by_concern.items()
                                             if n) or "none recorded"))


@exchange_app.command("counts")
def counts(as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")]
           = False) -> None:
    """Exchanges, bodies by identification, contact with family and prosecutions counted.

    Example: rollcall exchange counts --json
    """
    from rollcall.security.permissions import Permission

    operator().require(Permission.REGISTRY_READ)
    with database().session() as session:
        figures = exchange_counts(session)
    if as_json:
        out.print_json(json.dumps(json_value(dataclasses.asdict(figures)), ensure_ascii=False))
    else:
        print_counts(figures)


# --- prosecutions ----------------------------------------------------------------------------

@prosecution_app.command("add")
def add_prosecution(
    person: Annotated[int, typer.Argument(help="The person prosecuted.")],
    source: Source,
    charges: Annotated[str, typer.Option(help="What they are charged with.")],
    articles: Annotated[str | None, typer.Option(help="Articles of the code, as written.")]
    = None,
    court: Annotated[str | None, typer.Option()] = None,
    charged_on: Annotated[str | None, typer.Option(help=DATE_HELP)] = None,
    trial_start: Annotated[str | None, typer.Option(help=DATE_HELP)] = None,
    verdict: Annotated[Verdict, typer.Option()] = Verdict.PENDING,
    verdict_on: Annotated[str | None, typer.Option(help=DATE_HELP)] = None,
    sentence: Annotated[str | None, typer.Option(help="As pronounced.")] = None,
    sentence_months: Annotated[int | None, typer.Option(help="The term in months.")] = None,
    concern: Annotated[list[FairTrialConcern] | None, typer.Option(
        help="A fair-trial guarantee missing (repeat the option).")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a prosecution; the person's legal status follows (POW status denied).

    Example: rollcall prosecution add 17 --source 12 --charges "участь у бойових діях"
    --charged-on 2023-03 --concern no_lawyer_of_choice --concern closed_hearing
    """
    with database().session() as session:
        case = prosecutions.record_prosecution(
            session, operator(), person, source_id=source, charges=charges,
            article_codes=articles, court=court, charged_on=charged_on,
            trial_start=trial_start, verdict=verdict, verdict_on=verdict_on,
            sentence=sentence, sentence_months=sentence_months, concerns=concern or [],
            notes=notes)
        say(f"prosecution {case.id} recorded for person {case.person_id}")


@prosecution_app.command("verdict")
def verdict_command(
    prosecution_id: Annotated[int, typer.Argument(help="The prosecution.")],
    verdict: Annotated[Verdict, typer.Option()],
    verdict_on: Annotated[str | None, typer.Option(help=DATE_HELP)] = None,
    trial_start: Annotated[str | None, typer.Option(help=DATE_HELP)] = None,
    sentence: Annotated[str | None, typer.Option()] = None,
    sentence_months: Annotated[int | None, typer.Option()] = None,
    concern: Annotated[list[FairTrialConcern] | None, typer.Option(
        help="A further fair-trial guarantee missing (repeat).")] = None,
    source: Annotated[int | None, typer.Option(help="Default: the case's source.")] = None,
) -> None:
    """Record the court's decision on a pending case.

    Example: rollcall prosecution verdict 4 --verdict convicted --verdict-on 2023-09-14
    --sentence "13 years" --sentence-months 156
    """
    with database().session() as session:
        prosecutions.record_verdict(session, operator(), prosecution_id, verdict=verdict,
                                    verdict_on=verdict_on, trial_start=trial_start,
                                    sentence=sentence, sentence_months=sentence_months,
                                    concerns=concern or [], source_id=source)
    say(f"prosecution {prosecution_id}: {verdict.value}")


@prosecution_app.command("list")
def list_prosecutions(
    person: Annotated[int | None, typer.Option(help="One person's cases.")] = None,
    verdict: Annotated[Verdict | None, typer.Option()] = None,
    concern: Annotated[FairTrialConcern | None, typer.Option()] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Prosecutions, latest charge first.

    Example: rollcall prosecution list --concern coerced_confession
    """
    with database().session() as session:
        paged = prosecutions.list_prosecutions(session, operator(), person_id=person,
                                               verdict=verdict, concern=concern, page=page)
        for v in paged.items:
            p = v.prosecution
            charged = p.charged_on.isoformat() if p.charged_on else "undated"
            concerns = ", ".join(c.value for c in v.concerns) or "none recorded"
            say(f"prosecution {p.id}: person {v.person.id} {v.person.display_name}; charged "
                f"{charged}; {p.verdict.value}"
                + (f" {p.verdict_on.isoformat()}" if p.verdict_on else "")
                + (f", {p.sentence}" if p.sentence else "") + f"; concerns: {concerns}")
        say(f"{paged.total} prosecution(s), page {paged.page} of {paged.pages}")


# --- contact with family ---------------------------------------------------------------------

@contact_app.command("add")
def add_contact(
    person: Annotated[int, typer.Argument(help="The person in captivity.")],
    source: Source,
    kind: Annotated[ContactKind, typer.Option(help="Capture card, letter, call...")],
    direction: Annotated[ContactDirection, typer.Option(
        help="From the person to the family, or to the person.")]
    = ContactDirection.FROM_PERSON,
    date: Annotated[str | None, typer.Option(help=DATE_HELP)] = None,
    delivered: Annotated[bool | None, typer.Option(
        "--delivered/--not-delivered", help="Whether it reached its addressee (omit when "
        "unknown).")] = None,
    notes: Annotated[str | None, typer.Option(help="Never the family's contact details.")]
    = None,
) -> None:
    """Record a contact between a person in captivity and their family.

    Example: rollcall contact add 17 --source 12 --kind capture_card --date 2023-04 --delivered
    """
    with database().session() as session:
        contact = family_contact.record_contact(
            session, operator(), person, source_id=source, kind=kind, direction=direction,
            date=date, delivered=delivered, notes=notes)
        say(f"contact {contact.id} recorded for person {contact.person_id}")


@contact_app.command("list")
def list_contacts(person: Annotated[int, typer.Argument(help="The person.")]) -> None:
    """A person's contacts with family, by date.

    Example: rollcall contact list 17
    """
    with database().session() as session:
        for c in family_contact.person_contacts(session, operator(), person):
            fate = {True: "delivered", False: "not delivered", None: "fate unknown"}
            say(f"contact {c.id}: {c.date.isoformat() if c.date else 'undated'} "
                f"{c.kind.value} {c.direction.value}, {fate[c.delivered]}")


def register(app: typer.Typer) -> None:
    """Adds `exchange`, `prosecution` and `contact` to `rollcall`."""
    app.add_typer(exchange_app, name="exchange")
    app.add_typer(prosecution_app, name="prosecution")
    app.add_typer(contact_app, name="contact")
