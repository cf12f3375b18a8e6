"""`rollcall link`: identity resolution over the registry, with a progress bar and a
summary of what changed."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from rollcall.cli.context import database, operator
from rollcall.errors import InvalidValue

if TYPE_CHECKING:
    from rollcall.services.linkage_run import LinkSummary

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class StageProgress:
    """A live bar on a terminal; elsewhere a plain line per stage."""

    def __init__(self) -> None:
        self.bar = Progress(TextColumn("{task.description:<12}"), BarColumn(),
                            TaskProgressColumn(), TimeElapsedColumn(), console=err,
                            transient=True)
        self.task = self.bar.add_task("linking", total=100)
        self.stage = ""
        self.started = time.monotonic()

    def __enter__(self) -> StageProgress:
        if err.is_terminal:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if err.is_terminal:
            self.bar.stop()

    def __call__(self, stage: str, fraction: float) -> None:
        if err.is_terminal:
            self.bar.update(self.task, description=stage, completed=round(fraction * 100))
        elif stage != self.stage:
            err.print(f"link: {stage} ({time.monotonic() - self.started:.0f} s)", markup=False)
        self.stage = stage


def print_summary(summary: LinkSummary) -> None:
    out.print(f"linkage run {summary.run_id} ({summary.kind.value}) in "
              f"{summary.seconds:.1f} s", markup=False)
    new = "" if summary.kind.value == "full" else f" ({summary.new_records} new)"
    out.print(f"  records: {summary.records}{new}", markup=False)
    out.print(f"  persons: {summary.persons_before} before, {summary.persons_after} after",
              markup=False)
    out.print(f"  clusters merged: {summary.clusters_merged} "
              f"({summary.persons_merged} persons merged into others)", markup=False)
    out.print(f"  pairs sent to review: {summary.review_pairs}", markup=False)
    if summary.conflicts:
        out.print(f"  accepted pairs overridden by a rejection: {summary.conflicts}",
                  markup=False)


def _probability(value: float | None, option: str) -> float | None:
    if value is not None and not 0.0 < value < 1.0:
        raise InvalidValue(f"{option} must lie between 0 and 1")
    return value


def register(app: typer.Typer) -> None:
    @app.command("link")
    def link_command(
        full: Annotated[bool, typer.Option(
            "--full", help="Relink every record and retrain the model (default: link only "
            "the records added since the last run).")] = False,
        review_low: Annotated[float | None, typer.Option(
            "--review-low", metavar="P",
            help="Send pairs from this match probability up to review (default 0.2).")] = None,
        match: Annotated[float | None, typer.Option(
            "--match", metavar="P",
            help="Merge pairs from this match probability up (default 0.7).")] = None,
    ) -> None:
        """Merge the records of one human into one person; queue uncertain pairs for review.

        Example: rollcall link --full --review-low 0.3
        """
        # Splink and DuckDB load only for this command, not for every `rollcall`.
        from rollcall.linkage import LinkageSettings
        from rollcall.services.linkage_run import link

        defaults = LinkageSettings()
        review = _probability(review_low, "--review-low") or defaults.review_probability
        threshold = _probability(match, "--match") or defaults.match_probability
        if review > threshold:
            raise InvalidValue("--review-low must not exceed --match")
        settings = LinkageSettings(review_probability=review, match_probability=threshold)
        db = database()
        with StageProgress() as progress, db.session() as session:
            summary = link(session, operator(), full=full, progress=progress,
                           settings=settings)
        print_summary(summary)
