"""`rollcall import`, `export`, `synth`, `sites` and `source add`: lists and sources in and
out of the registry."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rollcall.cli.context import database, operator
from rollcall.dates import PartialDate
from rollcall.db import Database
from rollcall.errors import InvalidValue
from rollcall.export import (
    FORMATS,
    PERSON_COLUMNS,
    RECORD_COLUMNS,
    person_rows,
    record_rows,
    write_table,
)
from rollcall.services import queries
from rollcall.services.imports import ImportReport, import_list
from rollcall.services.sites import import_sites
from rollcall.services.sources import register_source
from rollcall.services.validation import partial_date
from rollcall.vocabulary import Origin

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class RowProgress:
    """A live bar on a terminal; elsewhere (logs, CI) a plain line at most every second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                            TextColumn("rows"), TimeElapsedColumn(), console=err, transient=True)
        self.task = self.bar.add_task(label, total=None)
        self.last_line = 0.0

    def __enter__(self) -> RowProgress:
        if err.is_terminal:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if err.is_terminal:
            self.bar.stop()

    def __call__(self, rows: int) -> None:
        if err.is_terminal:
            self.bar.update(self.task, completed=rows)
        elif time.monotonic() - self.last_line >= 1.0:
            self.last_line = time.monotonic()
            err.print(f"{self.label}: {rows} rows read", markup=False)


def print_report(report: ImportReport) -> None:
    if report.already_imported:
        out.print(
            f"{report.file}: already imported as source {report.source_id} "
            f"(same SHA-256); nothing to do", markup=False,
        )
        return
    encoding = f", encoding {report.encoding}" if report.encoding else ""
    out.print(f"{report.file}: {report.format}{encoding}; source {report.source_id}",
              markup=False)
    unmapped = [h for h, f in report.columns.items() if not f]
    if unmapped:
        out.print(f"  columns kept only verbatim: {', '.join(unmapped)}", markup=False)
    out.print(f"  accepted {report.accepted}, rejected {report.rejected}, "
              f"warnings {report.warnings}", markup=False)
    for issue in report.issues:
        out.print(f"  row {issue['row_number']}, {issue['field'] or '-'}: {issue['reason']} "
                  f"[{issue['level']}]", markup=False)
    shown = len(report.issues)
    if report.rejected + report.warnings > shown:
        out.print("  the full report: rollcall import ... --report FILE, or the source page",
                  markup=False)


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        source: Annotated[str, typer.Option(help="Title of the source, as received.")],
        origin: Annotated[Origin, typer.Option(help="Who produced the list.")],
        mapping: Annotated[
            Path | None,
            typer.Option(exists=True, dir_okay=False, help="TOML header mapping file."),
        ] = None,
        received: Annotated[
            str | None, typer.Option(help="When it was received: YYYY[-MM[-DD]].")
        ] = None,
        report: Annotated[
            Path | None, typer.Option(help="Write every rejected row and warning to this CSV.")
        ] = None,
    ) -> None:
        """Import a list (CSV or XLSX) as a new source.

        Example: rollcall import list.csv --source "Own bureau register 2024-11" --origin own_bureau
        """
        try:
            received_date = PartialDate.fromisoformat(received) if received else None
        except ValueError:
            raise InvalidValue("--received must be YYYY, YYYY-MM or YYYY-MM-DD") from None
        db = database()
        with RowProgress(file.name) as progress:
            result = import_list(
                db, operator(), file, title=source, origin=origin, mapping_path=mapping,
                received=received_date, progress=progress,
            )
        print_report(result)
        if report is not None and not result.already_imported:
            write_issue_report(db, result.source_id, report)
            out.print(f"  report written to {report}", markup=False)

    @app.command("export")
    def export(
        what: Annotated[str, typer.Argument(help="persons or records")],
        format: Annotated[str, typer.Option("--format", help="csv, jsonl or xlsx")] = "csv",
        out_file: Annotated[Path | None, typer.Option("--out", help="File to write.")] = None,
    ) -> None:
        """Export persons or source records to standard output or a file.

        Example: rollcall export records --format csv --out records.csv
        """
        if what not in ("persons", "records"):
            raise InvalidValue("export what? 'persons' or 'records'")
        if format not in FORMATS:
            raise InvalidValue(f"--format must be one of {', '.join(FORMATS)}")
        if format == "xlsx" and out_file is None and sys.stdout.isatty():
            raise InvalidValue("XLSX is binary: give --out FILE or redirect standard output")
        db = database()
        with db.session() as session:
            actor = operator()
            rows = record_rows(session, actor) if what == "records" else person_rows(session, actor)
            columns = RECORD_COLUMNS if what == "records" else PERSON_COLUMNS
            if out_file is None:
                count = write_table(rows, columns, format, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with out_file.open("wb") as handle:
                    count = write_table(rows, columns, format, handle)
        err.print(f"{count} {what} exported", markup=False)

    @app.command("synth")
    def synth(
        persons: Annotated[int, typer.Option(min=1, help="How many fictional persons.")],
        out_dir: Annotated[Path, typer.Option("--out", help="Folder to write.")],
        seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 1,
    ) -> None:
        """Write synthetic lists with ground truth (fictional people only).

        Example: rollcall synth --persons 20000 --seed 1 --out /tmp/s
        """
        from rollcall.synth import generate

        with Progress(TextColumn("synth"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("synth", total=persons)
            summary = generate(persons, seed, out_dir,
                               progress=lambda n: bar.update(task, completed=n))
        for name, rows in summary.lists.items():
            out.print(f"{out_dir / 'lists' / name}: {rows} rows", markup=False)
        out.print(f"{summary.persons} persons, {summary.sites} sites, {summary.events} events; "
                  f"ground truth in {out_dir / 'truth.csv'}", markup=False)

    sites_app = typer.Typer(help="Places of detention.", no_args_is_help=True)

    @sites_app.command("import")
    def sites_import(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    ) -> None:
        """Load sites from a CSV with the columns `rollcall synth` writes to sites.csv.

        Example: rollcall sites import /tmp/s/sites.csv
        """
        db = database()
        with db.session() as session:
            sites = import_sites(session, operator(), file)
        out.print(f"{len(sites)} sites added", markup=False)

    app.add_typer(sites_app, name="sites")

    source_app = typer.Typer(help="Sources that are not lists.", no_args_is_help=True)

    @source_app.command("add")
    def source_add(
        title: Annotated[str, typer.Option(help="What the document is.")],
        origin: Annotated[Origin, typer.Option(help="Who produced it.")],
        received: Annotated[str | None, typer.Option(
            help="When it was received: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
        notes: Annotated[str | None, typer.Option()] = None,
    ) -> None:
        """Register a document (a court's announcement, a media report, a letter) as a
        source, so events, prosecutions and contacts can cite it. Prints its id.

        Example: rollcall source add --title "Court announcement 2024-03-02" --origin media
        """
        with database().session() as session:
            source = register_source(session, operator(), title=title, origin=origin,
                                     received=partial_date(received, "--received"),
                                     notes=notes)
            out.print(f"source {source.id}", markup=False)

    app.add_typer(source_app, name="source")


def write_issue_report(db: Database, source_id: int, path: Path) -> None:
    """Every line of a source's import report, as CSV (file, row, level, field, reason)."""
    actor = operator()
    with db.session() as session, path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "level", "field", "reason"])
        file_name = queries.get_source(session, actor, source_id).source.file_name
        page = 1
        while True:
            issues = queries.source_issues(session, actor, source_id, page=page,
                                           page_size=queries.MAX_PAGE_SIZE)
            for issue in issues.items:
                writer.writerow([file_name, issue.row_number, issue.level, issue.field or "",
                                 issue.reason])
            if page >= issues.pages:
                return
            page += 1
