"""`rollcall methods` (the methods vocabulary) and `rollcall testimony add|list|show`:
testimonies of released persons and their coded acts (issue 4 part 5).

The local operator holds every permission, so `show` keeps the witness and the narrative
off the screen unless `--identity` asks for them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from rollcall.api.testimonies import TestimonyOut, parse_testimony
from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.monitoring.methods import vocabulary
from rollcall.security.permissions import Permission
from rollcall.services import testimonies as service
from rollcall.services.queries import MAX_PAGE_SIZE

out = Console(highlight=False, soft_wrap=True)
testimony_app = typer.Typer(help="Testimonies of released persons and their coded acts.",
                            no_args_is_help=True)

JSON_SHAPE = """
\b
{
  "interviewer": "M. Investigator",    required
  "interviewed_on": "2024-03-02",      required: a day, not in the future
  "language": "uk",                    required: ISO 639, 2-3 letters
  "place": "Kyiv",
  "witness_person_id": 17,             the witness in the registry
  "pseudonym": null,                   default W-000123, generated
  "consent_statistics": true,          consents: true/false, default false
  "consent_public_report": false,
  "consent_prosecution": true,
  "consent_icrc": false,
  "saw_monitor": false,                true/false/null (not asked)
  "family_contact": false,
  "narrative": "...",
  "source_id": null,
  "acts": [{
    "method": "beating",               required: see `rollcall methods`
    "site": "sizo-2-taganrog",         site key or id
    "period_start": "2022-04",         yyyy, yyyy-mm or yyyy-mm-dd
    "period_end": "2022-05",
    "stage": "admission",              capture, transit, admission,
                                       daily_routine, interrogation, transfer
    "perpetrator": "...",
    "victim_is_witness": true,         default true unless victim_person_id
    "victim_person_id": null,          another registry person
    "monitor_seen": false,
    "family_contact_allowed": false
  }]
}
"""


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _day(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"{option} must be a full date, YYYY-MM-DD") from None


def _act_line(act: service.ActView) -> str:
    method = vocabulary().get(act.method)
    label = f"{act.method} ({method.en})" if method else act.method
    parts = [f"act {act.id}: {label}"]
    if act.site:
        parts.append(f"site {act.site.id}: {act.site.display_name}")
    if act.period_start or act.period_end:
        parts.append(f"{act.period_start or '?'} .. {act.period_end or '?'}")
    if act.stage:
        parts.append(f"stage {act.stage.value}")
    if act.victim_is_witness:
        parts.append("victim: the witness")
    elif act.victim_person_id:
        parts.append(f"victim: person {act.victim_person_id}")
    else:
        parts.append("victim: another person, not in the registry")
    if act.perpetrator:
        parts.append(f"perpetrator: {act.perpetrator}")
    parts.append(f"monitor seen {_yes(act.monitor_seen)}, family contact allowed "
                 f"{_yes(act.family_contact_allowed)}")
    return "; ".join(parts)


def print_testimony(view: service.TestimonyView) -> None:
    t = view
    out.print(f"testimony {t.id}: {t.pseudonym}", markup=False)
    out.print(f"interviewed {t.interviewed_on.isoformat()} by {t.interviewer}"
              f"{' at ' + t.place if t.place else ''}, language {t.language}", markup=False)
    out.print(f"consent: statistics {_yes(t.consent_statistics)}, public report "
              f"{_yes(t.consent_public_report)}, prosecution {_yes(t.consent_prosecution)}, "
              f"ICRC {_yes(t.consent_icrc)}", markup=False)
    out.print(f"saw a monitor {_yes(t.saw_monitor)}; family contact {_yes(t.family_contact)}",
              markup=False)
    if not t.witness_linked:
        out.print("witness: not linked to the registry", markup=False)
    elif t.identity_shown:
        out.print(f"witness: person {t.witness_person_id}", markup=False)
    else:
        out.print("witness: withheld (--identity shows it)", markup=False)
    out.print(f"acts ({len(t.acts)}):", markup=False)
    for act in t.acts:
        out.print("  " + _act_line(act), markup=False)
    if t.identity_shown:
        out.print("narrative:", markup=False)
        out.print(t.narrative or "-", markup=False)


@testimony_app.command("add", help="Record one testimony with its acts from a JSON file. "
                       "Shape (only the marked keys are required):\n" + JSON_SHAPE
                       + "\nExample: rollcall testimony add interview-0412.json")
def add_testimony(
    file: Annotated[Path, typer.Argument(help="The testimony as JSON (UTF-8).")],
) -> None:
    try:
        data: Any = json.loads(file.read_text("utf-8"))
    except OSError as e:
        raise InvalidValue(f"{file}: cannot read the file ({e.strerror or e})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidValue(f"{file}: not UTF-8 JSON ({type(e).__name__} at "
                           f"{getattr(e, 'pos', '?')})") from None
    body = parse_testimony(data)
    with database().session() as session:
        testimony = body.record(session, operator())
        out.print(f"testimony {testimony.id} recorded as {testimony.pseudonym} with "
                  f"{len(body.acts)} act(s)", markup=False)


@testimony_app.command("list")
def list_command(
    method: Annotated[str | None, typer.Option(help="Having an act of this method.")] = None,
    site: Annotated[int | None, typer.Option(help="Having an act at this site (id).")] = None,
    since: Annotated[str | None, typer.Option(
        "--from", help="Interviewed on or after this day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(
        "--to", help="Interviewed on or before this day, YYYY-MM-DD.")] = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=MAX_PAGE_SIZE)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """Testimonies, newest interview first, by pseudonym (never the witness).

    Example: rollcall testimony list --method electric_shock --from 2024-01-01
    """
    with database().session() as session:
        paged = service.list_testimonies(
            session, operator(), method=method, site_id=site,
            interviewed_from=_day(since, "--from"), interviewed_to=_day(until, "--to"),
            page=page, page_size=page_size)
        if as_json:
            out.print_json(json.dumps({
                "total": paged.total, "page": paged.page, "page_size": paged.page_size,
                "items": [TestimonyOut.of(v).model_dump(mode="json") for v in paged.items],
            }, ensure_ascii=False))
            return
        out.print(f"{paged.total} testimonies (page {paged.page} of {paged.pages})",
                  markup=False)
        for t in paged.items:
            out.print(f"testimony {t.id}: {t.pseudonym}, {t.interviewed_on.isoformat()}, "
                      f"{t.interviewer}, {len(t.acts)} act(s): {', '.join(t.methods) or '-'}",
                      markup=False)


@testimony_app.command("show")
def show_command(
    testimony_id: Annotated[int, typer.Argument(help="The testimony's number.")],
    identity: Annotated[bool, typer.Option(
        "--identity", help="Show the witness and the narrative (needs testimonies:read).")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """One testimony with its coded acts.

    Example: rollcall testimony show 12 --identity
    """
    actor = operator()
    if identity:
        actor.require(Permission.TESTIMONIES_READ)
    with database().session() as session:
        view = service.get_testimony(session, actor, testimony_id, reveal=identity)
        if as_json:
            out.print_json(json.dumps(TestimonyOut.of(view).model_dump(mode="json"),
                                      ensure_ascii=False))
        else:
            print_testimony(view)


def register(app: typer.Typer) -> None:
    @app.command("methods")
    def methods_command(
        search: Annotated[str, typer.Argument(
            help="Part of a label (Ukrainian or English) or code.")] = "",
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    ) -> None:
        """The methods of ill-treatment acts are coded with (built-in list plus the
        mission's file, setting ROLLCALL_METHODS_FILE), searched in both languages.

        Example: rollcall methods струм
        """
        operator().require(Permission.REGISTRY_READ)
        found = vocabulary().search(search)
        if as_json:
            out.print_json(json.dumps([
                {"code": m.code, "group": m.group, "uk": m.uk, "en": m.en,
                 "description": m.description} for m in found], ensure_ascii=False))
            return
        for m in found:
            out.print(f"{m.code}: {m.en} / {m.uk} ({m.group})", markup=False)
        if not found:
            out.print("no method matches", markup=False)

    app.add_typer(testimony_app, name="testimony")
