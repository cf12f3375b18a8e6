"""Simulated staff for bench/web_load.py (locust): registrars, investigators, liaison
officers and analysts reading pages with a few seconds between them, as people do,
each in a session opened through the login form before the run (staff log in once a
day; a login is argon2id, slow on purpose, and is not page traffic). Each request is
named by its page type, so the figures come out per page type; the stylesheet, served
by the same server, is the floor.

Run by bench/web_load.py, which reads the sample names and ids from the registry and
passes them in the environment (ROLLCALL_LOAD_SAMPLE: a JSON file)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, task

SAMPLE = json.loads(Path(os.environ["ROLLCALL_LOAD_SAMPLE"]).read_text(encoding="utf-8"))


class Staff(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        self.cookie = {"Cookie": f"rollcall_session={SAMPLE['sessions'][self.username]}"}

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers=self.cookie,
                             catch_response=True) as answer:
            if answer.status_code != 200 or "<main" not in (answer.text or ""):
                answer.failure(f"{answer.status_code}")

    @task(2)
    def stylesheet(self) -> None:
        self.page_static()

    def page_static(self) -> None:
        with self.client.get("/static/style.css", name="static file (floor)",
                             catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")

    @task(6)
    def person(self) -> None:
        self.page(f"/persons/{random.choice(SAMPLE['person_ids'])}", "person page")

    @task(5)
    def search(self) -> None:
        surname, given = random.choice(SAMPLE["names"])
        query = f"{surname} {given}" if random.random() < 0.5 else surname
        self.page(f"/persons?q={query}", "persons: name search")


class Registrar(Staff):
    weight = 4
    username = "registrar"

    @task(2)
    def persons(self) -> None:
        status = random.choice(("", "held", "released"))
        page = random.randint(1, 5)
        self.page(f"/persons?status={status}&page={page}", "persons: list and filter")

    @task(1)
    def sources(self) -> None:
        self.page("/sources", "sources")

    @task(2)
    def source(self) -> None:
        source = random.choice(SAMPLE["source_ids"])
        self.page(f"/sources/{source}?page={random.randint(1, 3)}", "source and its report")


class Investigator(Staff):
    weight = 2
    username = "investigator"

    @task(2)
    def testimonies(self) -> None:
        self.page("/testimonies", "testimonies")

    @task(2)
    def incidents(self) -> None:
        self.page("/incidents", "incidents")

    @task(1)
    def sites(self) -> None:
        self.page("/sites", "sites")

    @task(2)
    def trace(self) -> None:
        surname, given = random.choice(SAMPLE["names"])
        self.page(f"/tracing?q={surname} {given}", "tracing search")


class Liaison(Staff):
    weight = 2
    username = "liaison"

    @task(2)
    def requests(self) -> None:
        self.page("/tracing/requests", "tracing requests")

    @task(3)
    def request(self) -> None:
        self.page(f"/tracing/requests/{random.choice(SAMPLE['request_ids'])}",
                  "tracing request with candidates")

    @task(3)
    def trace(self) -> None:
        surname, given = random.choice(SAMPLE["names"])
        self.page(f"/tracing?q={surname} {given}", "tracing search")


class Analyst(Staff):
    weight = 1
    username = "analyst"

    @task(2)
    def persons(self) -> None:
        category = random.choice(("pow", "civilian_detainee", ""))
        self.page(f"/persons?category={category}&status=held", "persons: list and filter")

    @task(1)
    def sites(self) -> None:
        self.page("/sites", "sites")
