"""The `rollcall` command. Every write goes through the services, recorded as the local
operator (`--as USER`, else the OS user). Domain errors print as one clean line."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rollcall.cli import (
    accounts,
    estimate,
    evidence,
    exchanges,
    incidents,
    indicators,
    keys,
    ledger,
    linkage,
    lists,
    monitoring,
    names,
    reports,
    server,
    testimonies,
    tracing,
)
from rollcall.cli.context import state
from rollcall.errors import RollcallError

app = typer.Typer(
    name="rollcall",
    help="Rollcall: information bureau and monitoring system for prisoners of war and "
    "detained civilians.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def _options(
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Record writes as this user (default: the OS user)."),
    ] = None,
) -> None:
    state.as_user = as_user


accounts.register(app)
lists.register(app)
ledger.register(app)
linkage.register(app)
monitoring.register(app)
names.register(app)
server.register(app)
tracing.register(app)
testimonies.register(app)
incidents.register(app)
exchanges.register(app)
keys.register(app)
evidence.register(app)
estimate.register(app)
indicators.register(app)
reports.register(app)


def main() -> None:
    try:
        app()
    except RollcallError as exc:
        err.print(f"[red]error:[/red] {escape(exc.message)}", highlight=False)
        sys.exit(2)
