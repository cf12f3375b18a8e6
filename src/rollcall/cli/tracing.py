"""`rollcall trace`, `reconcile` and `tracing reindex`: finding people, checking a list."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.export import write_table
from rollcall.services import reconcile as reconciliation
from rollcall.tracing import Candidate, rebuild_index, refresh_index, trace
from rollcall.tracing.search import MAX_LIMIT

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
tracing_app = typer.Typer(help="The tracing index.", no_args_is_help=True)


def _candidate_json(rank: int, c: Candidate) -> dict[str, Any]:
    p = c.person
    return {
        "rank": rank, "person_id": p.id, "display_name": p.display_name,
        "other_spellings": list(c.other_spellings),
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "custody_status": p.custody_status.value,
        "status_as_of": p.status_as_of.isoformat() if p.status_as_of else None,
        "score": round(c.score, 2), "reasons": [r.value for r in c.reasons],
        "record_id": c.record_id,
    }


@tracing_app.command("reindex")
def reindex(
    missing_only: Annotated[
        bool, typer.Option("--missing-only", help="Only file records not indexed yet.")
    ] = False,
) -> None:
    """Rebuild the name-key index of every source record (derived data; no change entries).

    Example: rollcall tracing reindex
    """
    db = database()
    started = time.monotonic()
    with db.session() as session:
        count = refresh_index(session) if missing_only else rebuild_index(session)
    out.print(f"{count} records indexed in {time.monotonic() - started:.1f} s")


def register(app: typer.Typer) -> None:
    @app.command("trace")
    def trace_command(
        query: Annotated[str, typer.Argument(help="Names in any script and order, "
                                             "a year or date of birth, a unit.")],
        limit: Annotated[int, typer.Option(min=1, max=MAX_LIMIT,
                                           help="How many persons to show.")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
    ) -> None:
        """Find a person from any spelling of the name.

        Example: rollcall trace "Александр Коваленко 1995" --limit 5
        """
        db = database()
        with db.session() as session:
            result = trace(session, operator(), query, limit=limit)
            rows = [_candidate_json(i, c) for i, c in enumerate(result.candidates, 1)]
        if as_json:
            out.print_json(json.dumps({"query": query, "candidates": rows},
                                      ensure_ascii=False))
            return
        if not rows:
            out.print("no candidates", markup=False)
            return
        for row in rows:
            born = row["birth_date"] or "-"
            out.print(f"{row['rank']:>2}. person {row['person_id']}: {row['display_name']}, "
                      f"born {born}, {row['custody_status']} (score {row['score']}: "
                      f"{', '.join(row['reasons'])})", markup=False)
            if row["other_spellings"]:
                out.print(f"    also: {'; '.join(row['other_spellings'])}", markup=False)

    @app.command("reconcile")
    def reconcile_command(
        source_id: Annotated[int, typer.Argument(help="The source (list) to check.")],
        csv_file: Annotated[Path | None, typer.Option(
            "--csv", dir_okay=False, help="Write every known, new and absent entry here.")
        ] = None,
    ) -> None:
        """Check a list just received: who on it is known, who is new, and whom the
        registry believes that side held on its date but who is absent from it.

        Example: rollcall reconcile 2 --csv reconcile-2.csv
        """
        db = database()
        with db.session() as session:
            result = reconciliation.reconcile(session, operator(), source_id)
            out.print(f"source {result.source.id} ({result.source.origin.value}), "
                      f"as of {result.as_of.isoformat()}", markup=False)
            out.print(f"  known {len(result.known)}, new {len(result.new)}", markup=False)
            if result.absent_applies:
                out.print(f"  absent {len(result.absent)} (held on "
                          f"{result.as_of.isoformat()} by the registry's events, not on "
                          "the list)", markup=False)
            else:
                out.print("  absent: not applicable (only lists of the adversary bureau or "
                          "the ICRC speak for the detaining Power)", markup=False)
            if csv_file is not None:
                with csv_file.open("wb") as handle:
                    count = write_table(reconciliation.report_rows(result),
                                        reconciliation.COLUMNS, "csv", handle)
                out.print(f"  {count} rows written to {csv_file}", markup=False)
        sys.stdout.flush()

    app.add_typer(tracing_app, name="tracing")
