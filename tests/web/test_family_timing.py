"""The public family form answers in the same time whether or not the registry holds the
person asked about (issue 5 part 6): timing must not tell a family, or anyone, who is held.

How it is measured without flaking on a loaded two-core machine: requests about a person
the registry holds and about one it does not are sent in rounds, the order within each
round drawn at random, so a slowdown of the machine falls on both alike; the two sets of
times are compared with a rank test (Mann-Whitney U, which outliers do not sway). The form
fails only when the difference is both unlikely by chance (p < 0.001) and large enough to
matter (the medians more than 2 ms and 10% apart). A second test shows the check can fail:
a submission made to look the person up (here, 40 ms more for a held person) is caught.
"""

from __future__ import annotations

import random
import re
import statistics
import time

import pytest
from scipy.stats import mannwhitneyu

from rollcall.config import get_settings
from rollcall.services import tracing
from webtest_support import csrf_of

ROUNDS = 30
ALPHA = 0.001
REFERENCE = re.compile(r"TR-[0-9A-Z]{5}-[0-9A-Z]{5}")
# Held: webtest_support's Коваленко Петро Іванович, 12.03.1994. Unknown: the same lengths.
HELD = {"surname": "Коваленко", "given_name": "Петро", "patronymic": "Іванович",
        "birth_date": "12.03.1994"}
UNKNOWN = {"surname": "Вигаденко", "given_name": "Нікон", "patronymic": "Юхимович",
           "birth_date": "17.09.1961"}
ASKER = {"requester_name": "Ганна", "requester_relation": "мати",
         "requester_contact": "+380 99 000 11 22"}


@pytest.fixture
def family_client(people, app_client, monkeypatch):
    """A client the per-address limit lets send every request of the test."""
    monkeypatch.setenv("ROLLCALL_TRACING_FORM_MAX_REQUESTS", "1000")
    get_settings.cache_clear()
    app_client.app.state.settings = get_settings()
    return app_client


def _times(client) -> tuple[list[float], list[float], set[str]]:
    """Seconds per request about the held person and the unknown one, interleaved in a
    random order per round; and the replies with their references blanked."""
    rng = random.Random(5)
    times: dict[str, list[float]] = {"held": [], "unknown": []}
    replies = set()
    client.post("/family", data={**UNKNOWN, **ASKER, "csrf_token": csrf_of(
        client.get("/family").text)})  # the first request makes the keys: not timed
    for _ in range(ROUNDS):
        order = ["held", "unknown"]
        rng.shuffle(order)
        for which in order:
            csrf = csrf_of(client.get("/family").text)
            data = {**(HELD if which == "held" else UNKNOWN), **ASKER, "csrf_token": csrf}
            started = time.perf_counter()
            answer = client.post("/family", data=data)
            times[which].append(time.perf_counter() - started)
            assert answer.status_code == 200
            replies.add(REFERENCE.sub("TR-REF", answer.text))
    return times["held"], times["unknown"], replies


def differs(held: list[float], unknown: list[float]) -> bool:
    """Unlikely by chance and large enough to matter (see the module docstring)."""
    p = mannwhitneyu(held, unknown, alternative="two-sided").pvalue
    gap = abs(statistics.median(held) - statistics.median(unknown))
    floor = max(0.002, 0.1 * statistics.median(held + unknown))
    return bool(p < ALPHA and gap > floor)


def test_the_family_form_answers_alike_and_as_fast_whoever_is_asked_about(family_client):
    held, unknown, replies = _times(family_client)
    assert len(replies) == 1  # the same page, the reference apart
    assert not differs(held, unknown), (statistics.median(held), statistics.median(unknown))


def test_the_timing_check_catches_a_form_that_looks_the_person_up(family_client,
                                                                  monkeypatch):
    submit = tracing.submit_request

    def leaky(session, actor, form):
        if form.surname == HELD["surname"]:
            time.sleep(0.04)  # as if the registry were searched and something found
        return submit(session, actor, form)

    monkeypatch.setattr(tracing, "submit_request", leaky)
    held, unknown, _ = _times(family_client)
    assert differs(held, unknown)
