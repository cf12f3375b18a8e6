"""`rollcall user ...`: accounts and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.services import accounts as service
from rollcall.vocabulary import Role

out = Console(soft_wrap=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return str(password)


@user_app.command("add")
def add(
    username: str,
    role: Annotated[list[Role], typer.Option("--role", "-r", help="Role (repeatable).")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    language: Annotated[str, typer.Option(help="Page language: uk or en.")] = "uk",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user with one or more roles.

    Example: rollcall user add olena --role registrar --name "Olena K."
    """
    password = _read_password(password_stdin)
    db = database()
    with db.session() as session:
        user = service.add_user(session, operator(), username, password, list(role),
                                display_name=name, language=language)
        out.print(f"user {user.username} created with roles {', '.join(user.roles)}")


@user_app.command("list")
def list_users() -> None:
    """List users and their roles.

    Example: rollcall user list
    """
    db = database()
    with db.session() as session:
        for user in service.list_users(session):
            state = "active" if user.is_active else "disabled"
            out.print(f"{user.username}\t{','.join(user.roles)}\t{user.language}\t{state}",
                      highlight=False)


@user_app.command("password")
def password(
    username: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set a user's password (and log out all their sessions).

    Example: rollcall user password olena
    """
    new = _read_password(password_stdin)
    db = database()
    with db.session() as session:
        service.set_password(session, operator(), username, new)
    out.print(f"password of {username} set; their sessions and tokens are revoked")


@user_app.command("second-factor")
def second_factor(
    username: str,
    off: Annotated[bool, typer.Option("--off", help="Switch it off instead.")] = False,
) -> None:
    """Switch on a user's TOTP second factor: prints the otpauth:// URI to enter (or turn
    into a QR code) in their authenticator app, once. From then on logging in to the pages
    asks for the app's six-digit code.

    Example: rollcall user second-factor olena        (rollcall user second-factor olena --off)
    """
    with database().session() as session:
        uri = service.set_second_factor(session, operator(), username, on=not off)
    if uri is None:
        out.print(f"second factor of {username} switched off")
    else:
        out.print(f"second factor of {username} switched on; enter this in their "
                  f"authenticator app (shown once):\n{uri}", markup=False)


@user_app.command("unlock")
def unlock(username: str) -> None:
    """Lift the lockout that repeated failed logins put on an account.

    Example: rollcall user unlock olena
    """
    db = database()
    with db.session() as session:
        service.unlock(session, operator(), username)
    out.print(f"{username} can log in again")


@user_app.command("token")
def token(
    username: str,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
) -> None:
    """Create an API bearer token for a user and print it once.

    Example: rollcall user token olena --label "nightly export"
    """
    if not label.strip():
        raise InvalidValue("a token needs a label")
    db = database()
    with db.session() as session:
        issued = service.create_api_token(session, operator(), username, label)
    out.print(issued.secret, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
