"""The periodic report (rollcall.reports) on the hand-built world (indicators_world.py):
every figure the report shows, found by its figure id in the HTML, equals the same figure
recomputed here independently, from plain SQL over the tables or worked out on paper
from the world's tables; small cells are withheld under the default threshold; the
Ukrainian report has no English left. On SQLite and PostgreSQL.

The period is January 2023 to December 2024, which holds every dated fact of the world
but p1-p3's and others' 2022 captures: quarters in the chart over time."""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import text

from rollcall.reports import gather, parse_period, render_report
from rollcall.reports.figures import PeriodicReport

sys.path.insert(0, str(Path(__file__).parents[1] / "web" / "browser"))
from test_untranslated import foreign_messages, untranslated

PERIOD = parse_period("2023-01", "2024-12")
ISSUED = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
Z = 1.959963984540054


class Figures(HTMLParser):
    """Every element of the report that shows a figure: its id and raw numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "data-figure" in values:
            self.found.append((values["data-figure"], {
                k.removeprefix("data-"): v for k, v in values.items()
                if k.startswith("data-") and k != "data-figure"}))


def figures_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Figures()
    parser.feed(html)
    return parser.found


# --- the same figures, recomputed independently --------------------------------------------

def _bounds(iso: str) -> tuple[dt.date, dt.date]:
    """The first and last day a partial ISO date ('2023', '2023-05', '2023-05-10') can be."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _meets(first: str | None, last: str | None, start: dt.date, end: dt.date) -> bool:
    if first is None:
        return False
    return _bounds(first)[0] <= end and _bounds(last or first)[1] >= start


def _persons(session, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = session.execute(text(
        "SELECT p.custody_status, CAST(p.status_as_of AS TEXT), "
        "  (SELECT min(CAST(e.date AS TEXT)) FROM events e WHERE e.person_id = p.id "
        "   AND e.type = 'captured' AND e.date IS NOT NULL) "
        "FROM persons p WHERE p.merged_into_id IS NULL")).all()
    counts = Counter()
    for status, as_of, captured in rows:
        day = captured if status == "held" else as_of
        if status in ("held", "released", "escaped", "dead") and _meets(day, day, start, end):
            counts[status] += 1
    return {s: counts[s] for s in ("held", "released", "escaped", "dead")}


def _wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def expected_figures(session) -> dict[str, dict[str, float]]:
    """figure id -> the numbers it should show."""
    start, end = PERIOD.start, PERIOD.end
    want: dict[str, dict[str, float]] = {}

    def count(fid: str, n: int) -> None:
        want[fid] = {"numerator": n}

    for status, n in _persons(session, start, end).items():
        count(f"persons_by_status/{status}", n)
    for interval in PERIOD.intervals():
        for status, n in _persons(session, interval.start, interval.end).items():
            count(f"persons_by_status@{interval.code}/{status}", n)
    # Worked out on paper (indicators_world.py): p6 and p9 died in custody, p7 and p8 not.
    for key, n in (("in_custody", 2), ("otherwise", 2), ("all", 4)):
        count(f"deaths_in_custody/{key}", n)
    # A full access (visit of 2023-03-01), B partial (ICRC from 2022-09), C never.
    for key, n in (("never_visited", 1), ("partial_only", 1), ("full_access", 1),
                   ("all", 3)):
        count(f"sites_by_access/{key}", n)
    # Witnesses p4, p5, r1, r3 (through r5), r6; every testimony lies in the period.
    for method, k in (("all", 4), ("beating", 3), ("electric_shock", 1),
                      ("stress_position", 1), ("sleep_deprivation", 1)):
        low, high = _wilson(k, 5)
        want[f"ill_treatment_methods/{method}"] = {
            "numerator": k, "denominator": 5, "value": k / 5, "lower": low, "upper": high}
    incidents: Counter = Counter()
    victims: Counter = Counter()
    for kind, status, count_of, first, last in session.execute(text(
            "SELECT type, status, victim_count, CAST(date_from AS TEXT), "
            "CAST(date_to AS TEXT) FROM incidents")):
        if not _meets(first, last, start, end):
            continue
        for key in ((kind, status), ("all", status)) + (
                ((kind, "all"), ("all", "all")) if status != "retracted" else ()):
            incidents[key] += 1
            victims[key] += count_of
    for (kind, status), n in incidents.items():
        count(f"incidents/{kind}/{status}", n)
        count(f"victims/{kind}/{status}", victims[(kind, status)])
    count("exchanges/all", session.scalar(text(
        "SELECT count(*) FROM exchanges WHERE date BETWEEN :a AND :b"), {"a": start, "b": end}))
    handed: Counter = Counter()
    for direction, kind, n in session.execute(text(
            "SELECT ep.direction, ep.kind, count(DISTINCT COALESCE(p.merged_into_id, p.id)) "
            "FROM exchange_persons ep JOIN exchanges x ON x.id = ep.exchange_id "
            "JOIN persons p ON p.id = ep.person_id WHERE x.date BETWEEN :a AND :b "
            "GROUP BY ep.direction, ep.kind"), {"a": start, "b": end}):
        handed[(direction, kind)] += n
    own, other = session.execute(text(
        "SELECT coalesce(sum(unnamed_bodies_to_own_side), 0), "
        "coalesce(sum(unnamed_bodies_to_adversary), 0) FROM exchanges "
        "WHERE date BETWEEN :a AND :b"), {"a": start, "b": end}).one()
    handed[("to_own_side", "unnamed_body")] += own
    handed[("to_adversary", "unnamed_body")] += other
    for direction in ("to_own_side", "to_adversary"):
        for kind in ("alive", "body", "unnamed_body"):
            n = handed[(direction, kind)]
            handed[(direction, "all")] += n
            handed[("all", kind)] += n
            handed[("all", "all")] += n
    for (direction, kind), n in handed.items():
        count(f"persons_exchanged/{direction}/{kind}", n)
    # Held now: p1 (own bureau and, through p13, the ICRC), p2, p3 (own bureau), p14 (ICRC).
    # Chapman: n1 = 3, n2 = 2, m = 1: (4 * 3) / 2 - 1 = 5; variance 4*3*2*1 / (4*3) = 2;
    # the interval log-normal on the undocumented f0 = 1 (Chao 1987).
    c = math.exp(Z * math.sqrt(math.log(1 + 2 / 1)))
    count("undocumented_estimate/held/documented", 4)
    want["undocumented_estimate/held/estimated"] = {"numerator": 5, "lower": 4 + 1 / c,
                                                    "upper": 4 + c}
    count("undocumented_estimate/held/undocumented", 1)
    # The dead (p6-p9) are on the own bureau's list alone: no estimate, only the count.
    count("undocumented_estimate/dead/documented", 4)
    return want


def _report(world, threshold: int | None = None) -> PeriodicReport:
    db, _ = world
    with db.session() as session:
        return gather(session, PERIOD, threshold=threshold, issued=ISSUED)


def test_every_figure_of_the_report_is_its_query_recomputed(world):
    db, _ = world
    report = _report(world, threshold=1)  # nothing withheld: every figure shown
    html = render_report(report, "en")
    with db.session() as session:
        want = expected_figures(session)
    shown = figures_of(html)
    assert len(shown) > 120
    wrong = []
    families = {f.split("/")[0] for f in want}
    for fid, values in shown:
        # A figure not listed in `want` is a zero of a family the test recomputes.
        assert fid.split("/")[0] in families, f"{fid}: a figure the test does not recompute"
        for part, raw in values.items():
            expected = want.get(fid, {}).get(part, 0 if part == "numerator" else None)
            if expected is None or not math.isclose(float(raw), expected, abs_tol=1e-5):
                wrong.append((fid, part, raw, expected))
    assert wrong == []
    seen = {fid for fid, _ in shown}
    # Every non-zero figure is shown (zero rows of methods and incident types are left out).
    assert {f for f, v in want.items() if v.get("numerator")} <= seen
    # The hand-worked ones, as the reader sees them.
    assert re.search(r'data-figure="undocumented_estimate/held/estimated"[^>]*>5<', html)
    assert 'data-figure="persons_by_status@2023-Q2/held"' in html


def test_each_figure_names_its_query_and_the_query_its_filters(world):
    report = _report(world, threshold=1)
    html = render_report(report, "en")
    ids = {q.id for q in report.queries}
    assert {"persons_by_status", "persons_by_status@2024-Q4", "undocumented_estimate",
            "ill_treatment_methods"} <= ids
    for fid, _ in figures_of(html):  # a figure id: its query's id, then its cell's key
        assert fid.split("/")[0] in ids
    q2 = next(q for q in report.queries if q.id == "persons_by_status@2023-Q2")
    assert (q2.filters.period_from, q2.filters.period_to) == (dt.date(2023, 4, 1),
                                                              dt.date(2023, 6, 30))
    assert q2.command == ("rollcall indicators --from 2023-04-01 --to 2023-06-30 "
                          "--publication --json")
    # The appendix lists each query with its command and its figures' ids.
    appendix = html[html.index('id="sources"'):]
    assert "rollcall indicators --from 2023-04-01 --to 2023-06-30 --publication --json" in \
        appendix
    assert "persons_by_status@2023-Q2/held" in appendix
    assert "rollcall estimate --population held --json" in appendix  # two lists: Chapman
    # Every footnote points at an entry of the appendix.
    refs = set(re.findall(r'href="#(q-\d+)"', html))
    assert refs and all(f'id="{ref}"' in html for ref in refs)


def test_small_figures_are_withheld_by_the_stats_rule(world):
    html = render_report(_report(world), "en")  # the default threshold, 5
    shown = figures_of(html)
    withheld = [fid for fid, values in shown if "withheld" in values]
    assert "persons_by_status/held" in withheld  # 2
    assert "undocumented_estimate/held/documented" in withheld  # 4
    unprotected = ("sites_by_access/", "exchanges/")
    for fid, values in shown:
        if fid.startswith(unprotected):
            continue
        for part in ("numerator", "denominator"):
            if part in values:
                assert not 0 < int(values[part]) < 5, (fid, values)
    # Places and exchanges are published whole.
    assert ("sites_by_access/never_visited", {"numerator": "1"}) in shown
    assert "withheld for publication: fewer than 5" in html
    # The estimate of four documented persons is withheld in words too.
    assert "the persons documented are fewer than 5" in html


def test_the_report_in_ukrainian_has_no_english_left(world):
    report = _report(world, threshold=1)
    html = render_report(report, "uk")
    assert untranslated(html, "uk", foreign_messages()["uk"]) == []
    assert '<html lang="uk">' in html
    assert "1 січня 2023" in html and "31 грудня 2024" in html  # Babel's long dates
    assert "Оцінка незадокументованих" in html
    # The estimator's own words (English) are marked as such, not left as Ukrainian.
    details = re.search(r'<ul class="details" lang="en">(.*?)</ul>', html, re.S)
    assert details and "<li>at least two lists are needed" in details.group(1)
    assert "<li>only 1 persons are on both lists" in details.group(1)  # Chapman's warning
    english = render_report(report, "en")
    assert untranslated(english, "en", foreign_messages()["en"]) == []
    assert "1 January 2023" in english


def test_the_appendix_commands_give_the_same_figures(world, monkeypatch):
    """Each query's command, run as the appendix prints it, answers every figure of that
    query as the report shows it (withheld ones withheld), at the default threshold."""
    import json
    import shlex

    from typer.testing import CliRunner

    from rollcall.cli import app
    from rollcall.config import get_settings
    from rollcall.errors import EstimateRefused

    db, _ = world
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db.engine.url.render_as_string(
        hide_password=False))
    get_settings.cache_clear()
    report = _report(world)
    shown: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for fid, values in figures_of(render_report(report, "en")):
        shown.setdefault(fid.split("/")[0], []).append((fid, values))
    answers: dict[str, object] = {}

    def run(command: str) -> object:
        if command not in answers:
            args = shlex.split(command)[1:]
            result = CliRunner().invoke(app, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
            answers[command] = json.loads(result.output)
        return answers[command]

    checked = 0
    for query in report.queries:
        if query.indicator == "undocumented_estimate":
            for command in query.command.split("; "):
                population = shlex.split(command)[3]
                result = CliRunner().invoke(app, shlex.split(command)[1:])
                if isinstance(result.exception, EstimateRefused):  # the dead: one list
                    assert population == "dead"
                    assert "at least two lists" in result.exception.message
                    continue
                answer = json.loads(result.output)["strata"][0]
                want = {"documented": answer["documented"],
                        "estimated": round(answer["estimate"]),
                        "undocumented": round(answer["estimate"]) - answer["documented"]}
                for fid, values in shown[query.id]:
                    if fid.split("/")[1] == population and "numerator" in values:
                        assert int(values["numerator"]) == want[fid.split("/")[2]], fid
                        checked += 1
            continue
        document = run(query.command)
        cells = {(i["code"], "/".join(c["key"])): c for i in document["indicators"]
                 for c in i["cells"]}
        for fid, values in shown.get(query.id, []):
            cell = cells[(query.indicator, fid.split("/", 1)[1])]
            if "withheld" in values and cell["suppressed"] is None:
                # Withheld besides, over time (rollcall.reports.figures.over_time).
                assert query.indicator == "persons_by_status", fid
                continue
            if "withheld" in values:
                assert cell["suppressed"] == values["withheld"], fid
            for part in ("numerator", "denominator"):
                if part in values:
                    assert cell[part] == int(values[part]), fid
            checked += 1
    assert checked > 100
