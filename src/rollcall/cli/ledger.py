"""`rollcall ledger ...`: the transparency log's key, checkpoints, proofs and verifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rollcall.cli.context import database
from rollcall.config import get_settings
from rollcall.errors import InvalidValue, LedgerError
from rollcall.ledger.checkpoint import NoteError, open_checkpoint
from rollcall.ledger.keys import (
    NoteVerifier,
    check_key_name,
    create_key_file,
    key_path,
    load_signer,
    read_key_file,
)
from rollcall.ledger.log import latest_checkpoint, seal
from rollcall.ledger.proofs import prove as prove_entity
from rollcall.ledger.verify import verify as verify_log

ledger_app = typer.Typer(help="The tamper-evident transparency log of every change.",
                         no_args_is_help=True)

KeyOption = Annotated[
    list[str] | None,
    typer.Option("--key", help="Trusted verifier key NAME+KEYID+BASE64 (repeatable). "
                 "Default: the public half of this deployment's key file."),
]


def _verifiers(keys: list[str] | None) -> list[NoteVerifier]:
    if keys:
        return [NoteVerifier.parse(k) for k in keys]
    path = key_path(get_settings())
    if not path.exists():
        raise InvalidValue(f"no key file at {path}: give the log's verifier key with --key")
    return [read_key_file(path).verifier]


@ledger_app.command("keygen")
def keygen() -> None:
    """Create the log's signing key (Ed25519, readable by its owner only) and print its
    verifier key. Refuses to replace an existing key.

    Example: ROLLCALL_LEDGER_ORIGIN=bureau.example.org/rollcall rollcall ledger keygen
    """
    settings = get_settings()
    signer = create_key_file(key_path(settings), check_key_name(settings.ledger_origin))
    typer.echo(f"key written to {key_path(settings)}; give auditors this verifier key:",
               err=True)
    typer.echo(signer.verifier.text)


@ledger_app.command("key")
def key() -> None:
    """Print the log's verifier key (public; auditors check checkpoints with it).

    Example: rollcall ledger key
    """
    typer.echo(read_key_file(key_path(get_settings())).verifier.text)


@ledger_app.command("seal")
def seal_now() -> None:
    """Seal change entries not sealed yet and sign a checkpoint, waiting for writers in
    flight (sealing normally happens after every write by itself).

    Example: rollcall ledger seal
    """
    settings = get_settings()
    db = database()
    sealed = seal(db.engine, load_signer(settings), settings.ledger_origin, wait=True)
    if sealed is None:
        typer.echo("nothing to seal")
    else:
        typer.echo(f"sealed entries {sealed.old_size} to {sealed.checkpoint.size - 1}")
        typer.echo(sealed.note, nl=False)


@ledger_app.command("checkpoint")
def checkpoint() -> None:
    """Print the latest signed checkpoint (C2SP tlog-checkpoint signed note).

    Example: rollcall ledger checkpoint > checkpoint.txt
    """
    db = database()
    with db.engine.connect() as conn:
        latest = latest_checkpoint(conn)
    if latest is None:
        raise LedgerError("the log has no checkpoint yet (nothing was written)")
    typer.echo(latest[1], nl=False)


@ledger_app.command("verify")
def verify(
    keys: KeyOption = None,
    log_only: Annotated[bool, typer.Option(
        "--log-only", help="Check the log, not the registry's rows behind it.")] = False,
    kept: Annotated[list[Path] | None, typer.Option(
        "--checkpoint", help="A signed checkpoint kept outside the database (a file saved "
        "from `rollcall ledger checkpoint`); the log must still give its root. Repeatable.")
    ] = None,
    show: Annotated[int, typer.Option(help="Problems to list at most.")] = 20,
) -> None:
    """Check the whole log: every checkpoint's signature and consistency, every entry
    re-hashed from its change row against the signed roots, and every registry row
    against its latest entry. Names the first bad entry and exits 1 if anything is wrong.

    Example: rollcall ledger verify --key "$(cat verifier.key)" --checkpoint saved.txt
    """
    settings = get_settings()
    db = database()
    report = verify_log(db.engine, _verifiers(keys), settings.ledger_origin,
                        rows=not log_only,
                        kept=[path.read_text(encoding="utf-8") for path in kept or []])
    latest = report.latest
    typer.echo(f"log: {report.leaves} entries, {report.checkpoints} checkpoints"
              + (f", latest of size {latest.size}" if latest else ""))
    if report.pending:
        typer.echo(f"not sealed yet: {report.pending} entries")
    if report.rows_checked:
        typer.echo("rows checked: " + ", ".join(f"{name} {count}" for name, count
                                               in report.rows_checked.items()))
    if report.unchecked:
        typer.echo("entries whose rows are not compared: " + ", ".join(
            f"{name} {count}" for name, count in sorted(report.unchecked.items())))
    if report.ok:
        typer.echo("OK: the log and the registry agree with every signed checkpoint")
        return
    typer.echo(f"FAILED: {len(report.problems)} problem(s); first bad entry: {report.first}")
    for problem in report.problems[:show]:
        typer.echo(f"  {problem}")
    raise typer.Exit(1)


@ledger_app.command("prove")
def prove(
    entity: Annotated[str, typer.Argument(help="TYPE:ID, e.g. person:17")],
    keys: KeyOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print every change entry of an entity with its inclusion proof against the latest
    checkpoint, and that checkpoint, for checking without Rollcall (docs/ledger.md).

    Example: rollcall ledger prove person:17 --json > person-17-proof.json
    """
    db = database()
    verifiers = _verifiers(keys)
    with db.engine.connect() as conn:
        latest = latest_checkpoint(conn)
        opened = None
        if latest is not None:
            try:
                opened = open_checkpoint(latest[1], verifiers)
            except NoteError as exc:
                raise LedgerError(f"the latest checkpoint does not verify: {exc}") from None
        bundle = prove_entity(conn, entity, opened, latest[1] if latest else None)
    if as_json:
        typer.echo(json.dumps({
            "entity": bundle.entity,
            "checkpoint": bundle.note,
            "verifier_keys": [v.text for v in verifiers],
            "tree_size": opened.size if opened else 0,
            "root_hash": opened.root.hex() if opened else None,
            "entries": [e.as_json() for e in bundle.entries],
        }, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{bundle.entity}: {len(bundle.entries)} change entries")
    for entry in bundle.entries:
        where = "not sealed yet" if entry.leaf_index is None else f"leaf {entry.leaf_index}"
        status = "verified" if entry.verified else "NOT verified"
        typer.echo(f"\nchange {entry.change_id} ({entry.action}, {entry.entity}), {where}: "
                  f"{status}")
        typer.echo(f"  entry: {entry.entry.decode()}")
        for step in entry.proof or []:
            typer.echo(f"  proof: {step.hex()}")
    if bundle.note:
        typer.echo("\ncheckpoint:")
        typer.echo(bundle.note, nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")
