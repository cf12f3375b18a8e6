"""`rollcall evidence ...` (the evidence store and its chain of custody) and `rollcall
package export | verify` (evidence packages for courts, checked without the database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.ledger.package import export_package
from rollcall.ledger.package_verify import verify_package
from rollcall.services import evidence
from rollcall.vocabulary import Derivation, EvidenceKind

out = Console(highlight=False, soft_wrap=True)
evidence_app = typer.Typer(help="Evidence files: received, kept unchanged, every handling "
                           "logged.", no_args_is_help=True)
package_app = typer.Typer(help="Evidence packages: records, proofs, files, checkable "
                          "without Rollcall.", no_args_is_help=True)

Reason = Annotated[str, typer.Option("--reason", help="Why (goes into the chain of custody).")]


def _say(text: str) -> None:
    out.print(text, markup=False)


@evidence_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The file as received.")],
    kind: Annotated[EvidenceKind, typer.Option("--kind")],
    reason: Reason,
    link: Annotated[list[str] | None, typer.Option(
        "--link", help="Attach to TYPE:ID (incident, testimony, person, source). "
        "Repeatable.")] = None,
    media_type: Annotated[str | None, typer.Option(
        "--media-type", help="Default: guessed from the file name.")] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    source: Annotated[int | None, typer.Option("--source", help="Registry source id it "
                                               "came with.")] = None,
) -> None:
    """Receive a file into the evidence store (streamed; stored by its SHA-256).

    Example: rollcall evidence add photo.jpg --kind photo --reason "handed over by the
    witness's lawyer" --link incident:3
    """
    with database().session() as s:
        got = evidence.receive(s, operator(), file, kind=kind, reason=reason,
                               links=link or [], media_type=media_type,
                               description=description, source_id=source)
        item = got.item
        _say(f"evidence {item.id}: {item.sha256} ({item.size} bytes, {item.media_type})"
             + ("" if got.created else ": these bytes were stored already; receipt recorded"))


@evidence_app.command("derive")
def derive(
    item_id: Annotated[int, typer.Argument(help="The original's evidence id.")],
    file: Annotated[Path, typer.Argument(help="The derived copy.")],
    derivation: Annotated[Derivation, typer.Option("--derivation")],
    reason: Reason,
    media_type: Annotated[str | None, typer.Option("--media-type")] = None,
) -> None:
    """Record a copy made from an item (redacted, transcoded, EXIF-stripped) as a new item
    linked to its original, which stays as it is.

    Example: rollcall evidence derive 5 photo-redacted.jpg --derivation redacted --reason
    "faces blurred for the public report"
    """
    with database().session() as s:
        item = evidence.derive(s, operator(), item_id, file, derivation=derivation,
                               reason=reason, media_type=media_type).item
        _say(f"evidence {item.id}: {item.sha256} ({item.size} bytes), {item.derivation} "
             f"from evidence {item_id}")


@evidence_app.command("link")
def link(
    item_id: int,
    target: Annotated[str, typer.Argument(help="TYPE:ID, e.g. incident:3")],
    reason: Reason,
) -> None:
    """Attach an item to an incident, a testimony, a person or a source.

    Example: rollcall evidence link 5 incident:3 --reason "shows the site named"
    """
    with database().session() as s:
        evidence.link(s, operator(), item_id, target, reason=reason)
    _say(f"evidence {item_id} linked to {target}")


@evidence_app.command("show")
def show(item_id: int) -> None:
    """An item, its links and its chain of custody (every handling: who, when, why).

    Example: rollcall evidence show 5
    """
    with database().session() as s:
        actor = operator()
        chain = evidence.history(s, actor, item_id)
        item = evidence.find_item(s, item_id)
        _say(f"evidence {item.id}: {item.kind.value}, {item.media_type}, {item.size} bytes")
        _say(f"  sha256 {item.sha256}")
        if item.original_name:
            _say(f"  received as {item.original_name}")
        if item.derived_from_id:
            _say(f"  {item.derivation.value if item.derivation else 'derived'} from "
                 f"evidence {item.derived_from_id}")
        for row in evidence.links_of(s, item_id):
            _say(f"  linked to {row.entity_type}:{row.entity_id}")
        _say("chain of custody:")
        for event in chain:
            extra = {k: v for k, v in event.custody.items() if k not in ("event", "reason")}
            where = "" if event.item_id == item_id else f" (evidence {event.item_id})"
            _say(f"  {event.at:%Y-%m-%d %H:%M:%S}Z {event.event}{where} by {event.actor} "
                 f"via {event.via}: {event.reason or '-'}"
                 + "".join(f"; {k} {v}" for k, v in extra.items()))


@evidence_app.command("copy")
def copy(item_id: int, destination: Path, reason: Reason) -> None:
    """Copy an item's bytes to a new file (checked against its hash on the way).

    Example: rollcall evidence copy 5 /media/usb/item-5.jpg --reason "for the expert"
    """
    with database().session() as s:
        size = evidence.copy_out(s, operator(), item_id, destination, reason=reason)
    _say(f"copied {size} bytes to {destination}")


@evidence_app.command("transfer")
def transfer(
    item_id: int,
    recipient: Annotated[str, typer.Option("--to", help="Who receives it.")],
    reason: Reason,
) -> None:
    """Record that an item was handed over to someone.

    Example: rollcall evidence transfer 5 --to "Office of the Prosecutor, case 12/345"
    --reason "requested for the trial"
    """
    with database().session() as s:
        evidence.transfer(s, operator(), item_id, recipient=recipient, reason=reason)
    _say(f"transfer of evidence {item_id} recorded")


@evidence_app.command("check")
def check() -> None:
    """Hash every stored file again; exits 1 if any changed or is missing.

    Example: rollcall evidence check
    """
    with database().session() as s:
        report = evidence.check_store(s, operator())
    _say(f"{report.items} items, {report.blobs} stored files")
    for bad in report.bad:
        _say(f"  CHANGED {bad}")
    for item_id in report.missing:
        _say(f"  MISSING the file of evidence {item_id}")
    for item_id in report.wrong_size:
        _say(f"  WRONG SIZE the file of evidence {item_id}")
    if report.unclaimed:
        _say(f"  {len(report.unclaimed)} stored file(s) of no item (an interrupted receipt)")
    if not report.ok:
        _say("FAILED")
        raise typer.Exit(1)
    _say("OK: every stored file still has its bytes")


@package_app.command("export")
def export(
    out_file: Annotated[Path, typer.Option("--out", help="The zip to write (a new file).")],
    reason: Reason,
    incident: Annotated[int | None, typer.Option("--incident", help="An incident id.")] = None,
    entity: Annotated[list[str] | None, typer.Option(
        "--entity", help="TYPE:ID (person:17, incident:3, evidence:5, ...). Repeatable.")
    ] = None,
) -> None:
    """Write an evidence package: records as the log signed them, their proofs, the signed
    checkpoint, the public key, the files, SHA256SUMS and a manifest.

    Example: rollcall package export --incident 3 --out incident-3.zip --reason "request
    of the prosecutor, case 12/345"
    """
    made = export_package(database(), operator(), out_file, reason=reason,
                          incident_id=incident, entities=entity or [])
    _say(f"wrote {made.path}: {made.records} records, {made.files} files, "
         f"{made.bytes} bytes, checkpoint of {made.tree_size} entries")
    for note in made.withheld:
        _say(f"  withheld {note}")


@package_app.command("verify")
def verify(
    package: Annotated[Path, typer.Argument(help="The package zip (or its unzipped folder).")],
    key: Annotated[str | None, typer.Option(
        "--key", help="The bureau's verifier key NAME+KEYID+BASE64, obtained apart from the "
        "package.")] = None,
) -> None:
    """Check a package without the database; names every file that does not hold up.

    Example: rollcall package verify incident-3.zip --key "$(cat bureau-verifier.key)"
    """
    report = verify_package(package, key)
    _say(f"{report.records} records, {report.files} files"
         + (f"; checkpoint of {report.checkpoint.size} entries, origin "
            f"{report.checkpoint.origin}" if report.checkpoint else ""))
    for note in report.notes:
        _say(f"note: {note}")
    if report.ok:
        _say("OK: every file holds up")
        return
    for problem in report.problems:
        _say(f"BAD {problem}")
    _say(f"FAILED: {len(report.problems)} problem(s)")
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(package_app, name="package")
