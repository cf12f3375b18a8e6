"""`rollcall names`: the name layer from the command line, to check a romanisation or see
why two spellings do (not) meet."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from rollcall.names import (
    given_name_key,
    patronymic_key,
    romanize,
    russian_romanizations,
    surname_key,
    to_russian,
    to_ukrainian,
)

out = Console(highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    names_app = typer.Typer(help="Names in any script: romanisation and keys.",
                            no_args_is_help=True)

    @names_app.command("romanize")
    def romanize_command(
        text: Annotated[str, typer.Argument(help="Ukrainian text, e.g. a full name.")],
    ) -> None:
        """Print the official romanisation (Cabinet of Ministers, 2010).

        Example: rollcall names romanize "Згурський Андрій"
        """
        out.print(romanize(text), markup=False)

    @names_app.command("key")
    def key_command(
        text: Annotated[str, typer.Argument(help="One name in any script.")],
    ) -> None:
        """Print the name's keys read as a given name, a patronymic and a surname, its
        Ukrainian and Russian forms, and its Russian romanisations.

        Example: rollcall names key Andrey
        """
        rows = [
            ("given", given_name_key(text)),
            ("patronymic", patronymic_key(text)),
            ("surname", surname_key(text)),
            ("ukrainian", to_ukrainian(text)),
            ("russian", to_russian(text)),
            ("romanized", romanize(text)),
        ]
        if any("\u0400" <= ch <= "\u04ff" for ch in text):
            rows += [(f"ru:{k}", v) for k, v in russian_romanizations(text).items()]
        for label, value in rows:
            out.print(f"{label:<15} {value}", markup=False)

    app.add_typer(names_app, name="names")
