"""`rollcall keys`: the field-encryption keys — status, rotation, a new master key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.security.keyring import read_master_key, write_master_key
from rollcall.services import keys

out = Console(highlight=False, soft_wrap=True)
keys_app = typer.Typer(help="Field-encryption keys (witnesses, narratives, family contacts).",
                       no_args_is_help=True)


@keys_app.command("status")
def status_command() -> None:
    """The data keys: which is in use, which are live, which master wrapped them."""
    with database().session() as session:
        rows = keys.key_status(session, operator())
        clear = keys.clear_values(session, operator())
    if not rows:
        out.print("no field keys yet: the first encrypted value will make them")
    for row in rows:
        state = "in use" if row.in_use else ("live" if row.live else "destroyed")
        out.print(f"{row.id:>5}  {row.purpose.value:<6} {state:<10} "
                  f"master {row.master_fingerprint}")
    for name, count in clear.items():
        out.print(f"{name}: {count} values stored before sealing, in clear: run "
                  "`rollcall keys seal`")


@keys_app.command("seal")
def seal_command() -> None:
    """Seal the values stored in clear before their column was encrypted (a database made
    by an older version), under the key in use. Runs while the service runs.

    Example: rollcall keys seal        (then: rollcall keys status)
    """
    sealed = keys.seal_clear_values(database(), operator())
    for name, count in sealed.items():
        out.print(f"{name}: {count} values sealed")


@keys_app.command("rotate")
def rotate_command(
    index: Annotated[bool, typer.Option(
        "--index", help="Also renew the blind-index key and recompute the indexes.")] = False,
    new_master: Annotated[Path | None, typer.Option(
        help="Instead: re-wrap the data keys under this master key file (made by "
        "`rollcall keys new-master`); values are untouched.")] = None,
) -> None:
    """Re-encrypt every protected field under a new data key and destroy the old key.
    Runs while the service runs.

    Example: rollcall keys rotate        (then: rollcall keys status)
    """
    db = database()
    if new_master is not None:
        count = keys.rewrap_master_key(db, operator(), read_master_key(new_master))
        out.print(f"{count} keys re-wrapped. Now point ROLLCALL_MASTER_KEY or "
                  f"ROLLCALL_MASTER_KEY_FILE at {new_master} before starting new processes.")
        return
    report = keys.rotate_data_key(db, operator(), index=index)
    for name, count in report.reencrypted.items():
        out.print(f"{name}: {count} values re-encrypted under key {report.data_key}")
    out.print(f"destroyed keys: {', '.join(map(str, report.destroyed)) or 'none'}")


@keys_app.command("new-master")
def new_master_command(
    path: Annotated[Path, typer.Argument(help="File to create, readable by its owner only.")],
) -> None:
    """Make a new random master key file (never overwrites one)."""
    write_master_key(path)
    out.print(f"new master key in {path}; keep a copy apart from the database backups")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
