"""`rollcall serve` and `rollcall demo`."""

from __future__ import annotations

import csv
import inspect
import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rollcall.cli.context import database, operator
from rollcall.cli.lists import print_report
from rollcall.dates import PartialDate
from rollcall.services import accounts
from rollcall.services.imports import import_list
from rollcall.services.sites import import_sites
from rollcall.vocabulary import Role

out = Console(soft_wrap=True)
#: How long a worker may take to start before uvicorn gives up on it.
WORKER_STARTUP_S = 120


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port.")] = 8000,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    ) -> None:
        """Serve the API and the pages.

        Example: rollcall serve --port 8000
        """
        import uvicorn

        database().dispose()  # create and migrate once, before any worker starts
        out.print(f"Rollcall on http://{host}:{port}/  (API docs: /docs)", highlight=False)
        # A worker importing the app on a busy machine can take longer than uvicorn's
        # default 5 s health check, which then kills and restarts it, again and again.
        patience = ({"timeout_worker_healthcheck": WORKER_STARTUP_S}
                    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters
                    else {})
        uvicorn.run("rollcall.app:serve_app", factory=True, host=host, port=port,
                    workers=workers, log_level="info", proxy_headers=False, **patience)

    @app.command("demo")
    def demo(
        persons: Annotated[int, typer.Option(min=10, help="Fictional persons to generate.")] = 3000,
        folder: Annotated[Path, typer.Option("--dir", help="Where the synthetic lists go.")] = Path(
            "demo"
        ),
        seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    ) -> None:
        """Build a demo registry of synthetic data and print a login for it.

        Example: ROLLCALL_DATABASE_URL=sqlite:///demo/rollcall.db rollcall demo --persons 3000
        """
        from rollcall.synth import generate

        folder.mkdir(parents=True, exist_ok=True)
        generate(persons, seed, folder / "synth")
        db = database()
        actor = operator()
        credentials = folder / "login.txt"
        with db.session() as session:
            if not accounts.list_users(session):
                password = secrets.token_urlsafe(12)
                accounts.add_user(session, actor, "demo", password, [Role.ADMIN],
                                  display_name="Demo administrator", language="uk")
                for role in (Role.REGISTRAR, Role.ANALYST, Role.LIAISON, Role.INVESTIGATOR):
                    accounts.add_user(session, actor, role.value, password, [role],
                                      display_name=f"Demo {role.value}", language="en")
                credentials.write_text(f"demo {password}\n", encoding="utf-8")
                import_sites(session, actor, folder / "synth" / "sites.csv")
        with (folder / "synth" / "sources.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                report = import_list(
                    db, actor, folder / "synth" / "lists" / row["file"], title=row["title"],
                    origin=row["origin"], received=PartialDate.fromisoformat(row["received"]),
                )
                print_report(report)
        from rollcall.services.linkage_run import link

        with db.session() as session:
            summary = link(session, actor)
        out.print(f"linked: {summary.records} records into {summary.persons_after} persons, "
                  f"{summary.review_pairs} pairs to review", highlight=False)
        from rollcall.synth.monitoring import generate_monitoring
        from rollcall.synth.monitoring_load import load_monitoring

        generate_monitoring(folder / "synth", seed)
        loaded = load_monitoring(db, actor, folder / "synth")
        out.print("monitoring: " + ", ".join(f"{k} {v}" for k, v in sorted(loaded.counts.items())),
                  highlight=False)
        user, password = credentials.read_text(encoding="utf-8").split()
        out.print(f"demo login: {user} / {password}  (also registrar, analyst, liaison, "
                  f"investigator with the same password)", highlight=False)
