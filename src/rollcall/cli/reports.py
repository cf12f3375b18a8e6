"""`rollcall report`: the periodic report (rollcall.reports) as one self-contained HTML
file (issue 6 part 3)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue
from rollcall.reports import parse_period, periodic_report
from rollcall.security.permissions import Permission

out = Console(highlight=False, soft_wrap=True)


class Language(StrEnum):
    UK = "uk"
    EN = "en"


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report_command(
        date_from: Annotated[str, typer.Option(
            "--from", help="Period start, yyyy[-mm[-dd]] or dd.mm.yyyy (its first day).")],
        date_to: Annotated[str, typer.Option(
            "--to", help="Period end, yyyy[-mm[-dd]] or dd.mm.yyyy (its last day).")],
        out_file: Annotated[Path, typer.Option(
            "--out", help="The HTML file to write (replaced if it exists).")],
        language: Annotated[Language, typer.Option(
            "--lang", help="The report's language.")] = Language.UK,
    ) -> None:
        """Write the periodic report for a period: key figures, persons by status over
        time, places of detention by access, ill-treatment with intervals, incidents,
        exchanges, deaths in custody, the estimate of the undocumented and the methods,
        as one self-contained HTML file (prints to PDF from a browser). Figures are
        prepared for publication (setting small_cell_threshold).

        Example: rollcall report --from 2024-01 --to 2024-06 --lang en --out report.html
        """
        operator().require(Permission.STATS_READ)
        period = parse_period(date_from, date_to)
        if out_file.is_dir():
            raise InvalidValue(f"--out: {out_file} is a folder; name the file to write")
        if not out_file.parent.is_dir():
            raise InvalidValue(f"--out: no folder {out_file.parent}")
        with database().session() as session:
            html = periodic_report(session, period, language=language.value)
        out_file.write_text(html, encoding="utf-8")
        out.print(f"report for {period.start:%Y-%m-%d} to {period.end:%Y-%m-%d} "
                  f"({language.value}) written to {out_file}", markup=False)
