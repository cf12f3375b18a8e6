"""The periodic report's doors: `rollcall report`, the page `/reports` with its download
and `GET /api/reports/periodic`, over the small registry of webtest_support; and the file
itself self-contained (nothing to fetch from anywhere). On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rollcall.app import create_app
from rollcall.cli import app as cli_app
from rollcall.errors import InvalidValue
from rollcall.reports import parse_period, periodic_report
from rollcall.security.permissions import ROLE_PERMISSIONS, Permission
from rollcall.web.access import routes_of
from webtest_support import api_token, log_in

FETCHING = {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source",
            "track", "base", "form", "input", "image", "use", "picture", "frame"}
URL = re.compile(r"(?:https?:|ftp:|file:|data:|//|\\\\)", re.I)


class Document(HTMLParser):
    """Tags, attribute values and the text of <style> in a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.values: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.values += [(tag, k, v or "") for k, v in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def assert_self_contained(html: str) -> None:
    doc = Document()
    doc.feed(html)
    assert not FETCHING & set(doc.tags), FETCHING & set(doc.tags)
    for tag, name, value in doc.values:
        if name in ("href", "src", "srcset", "action", "poster", "xlink:href", "background"):
            assert value.startswith("#"), (tag, name, value)  # only links within the file
        assert not name.startswith("on"), (tag, name)  # no script in attributes either
    assert "http://" not in html and "https://" not in html  # no address at all
    (style,) = doc.styles
    assert not re.search(r"url\(|@import|@font-face", style)
    assert "svg" in doc.tags
    policy = next(v for t, k, v in doc.values if t == "meta" and k == "content"
                  and "default-src" in v)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert policy.startswith("default-src 'none'; style-src 'sha256-" + digest + "'")
    assert not URL.search(policy)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_the_report_is_one_file_with_nothing_to_fetch(db, people, language):
    with db.session() as session:
        html = periodic_report(session, parse_period("2022", "2024"), language=language)
    assert html.lstrip().startswith("<!doctype html>")
    assert f'<html lang="{language}">' in html
    assert_self_contained(html)
    assert html.count("<svg") >= 2 and html.count('<section class="method">') == 9
    assert "@media print" in html and "size: A4" in html


def test_the_check_finds_what_it_should(db):
    """The self-containedness check on documents made to fail it."""
    with db.session() as session:
        good = periodic_report(session, parse_period("2024", "2024"), language="en")
    assert_self_contained(good)
    for bad in (good.replace("</body>", '<img alt="" src="x.png"></body>'),
                good.replace("</body>", '<a href="https://example.org/">x</a></body>'),
                good.replace("</style>", "@font-face{src:url(f.woff)}</style>")):
        with pytest.raises(AssertionError):
            assert_self_contained(bad)


def test_the_command_writes_the_report(cli, people, tmp_path):
    out = tmp_path / "report.html"
    result = cli("report", "--from", "2022-04", "--to", "31.12.2024", "--lang", "en",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"report for 2022-04-01 to 2024-12-31 (en) written to {out}" in result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "1 April 2022 – 31 December 2024" in html
    assert_self_contained(html)
    assert cli("report", "--from", "2022", "--to", "2024", "--out",
               str(tmp_path / "uk.html")).exit_code == 0  # Ukrainian by default
    assert '<html lang="uk">' in (tmp_path / "uk.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2024-13", "--to", "2024"], "--from: not a date"),
    (["--from", "2024", "--to", "31.02.2024"], "--to: not a date"),
    (["--from", "2025", "--to", "2024"], "--from: the start of the period is after its end"),
])
def test_the_command_refuses_bad_dates_naming_the_option(cli, args, message, tmp_path):
    result = cli("report", *args, "--out", str(tmp_path / "r.html"))
    assert isinstance(result.exception, InvalidValue)
    assert result.exception.message.startswith(message)
    assert not (tmp_path / "r.html").exists()


def test_the_command_prints_one_clean_line_for_a_mistake(db_url, tmp_path):
    env = {**os.environ, "ROLLCALL_DATABASE_URL": db_url,
           "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    done = subprocess.run([sys.executable, "-m", "rollcall", "report", "--from", "2024",
                           "--to", "someday", "--out", str(tmp_path / "r.html")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: --to: not a date; write yyyy, yyyy-mm, yyyy-mm-dd "
                                   "or dd.mm.yyyy")
    missing = CliRunner().invoke(cli_app, ["report", "--from", "2024", "--to", "2024"])
    assert missing.exit_code == 2 and "--out" in missing.output  # a required option
    french = CliRunner().invoke(cli_app, ["report", "--from", "2024", "--to", "2024",
                                          "--lang", "fr", "--out", "r.html"])
    assert french.exit_code == 2 and "--lang" in french.output


def test_every_role_that_reads_statistics_may_have_the_report(db):
    rules = {info.path: info.rules[0].permission for info in routes_of(create_app(db))
             if info.path in ("/reports", "/reports/periodic.html", "/api/reports/periodic")}
    assert rules == {"/reports": Permission.STATS_READ,
                     "/reports/periodic.html": Permission.STATS_READ,
                     "/api/reports/periodic": Permission.STATS_READ}
    # The role matrix: every staff role reads statistics (aggregates name nobody).
    assert all(Permission.STATS_READ in granted for granted in ROLE_PERMISSIONS.values())


def test_the_page_downloads_the_report(app_client, users, people):
    for path in ("/reports", "/reports/periodic.html?date_from=2022&date_to=2024"):
        answer = app_client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    log_in(app_client, "analyst")  # reads in English
    page = app_client.get("/reports").text
    assert '<a href="/reports" aria-current="page">Reports</a>' in page
    assert '<form method="get" action="/reports/periodic.html"' in page
    assert '<option value="en" lang="en" selected>' in page  # the reader's language first
    assert '<a href="/reports">Download the periodic report for a period</a>' in \
        app_client.get("/dashboard").text
    answer = app_client.get("/reports/periodic.html", params={
        "date_from": "2022", "date_to": "2024", "language": "uk"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        'attachment; filename="rollcall-report-2022-01-01-2024-12-31-uk.html"')
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert answer.headers["content-security-policy"].endswith("frame-ancestors 'none'")
    assert '<html lang="uk">' in answer.text
    assert_self_contained(answer.text)
    english = app_client.get("/reports/periodic.html?date_from=2023-05&date_to=2023-05")
    assert '<html lang="en">' in english.text  # no language asked: the reader's
    bad = app_client.get("/reports/periodic.html?date_from=2024&date_to=2024-99")
    assert bad.status_code == 422 and "date_to: not a date" in bad.text
    odd = app_client.get("/reports/periodic.html?date_from=2024&date_to=2024&language=fr")
    assert odd.status_code == 422 and "language: unknown code" in odd.text
    # The pages keep their own policy.
    assert "style-src 'self'" in app_client.get("/reports").headers["content-security-policy"]


def test_the_api_answers_the_report_or_its_figures(db, operator, app_client, users, people):
    params = {"date_from": "2022", "date_to": "2024"}
    assert app_client.get("/api/reports/periodic", params=params).status_code == 401
    headers = {"Authorization": f"Bearer {api_token(db, operator, 'analyst')}"}
    answer = app_client.get("/api/reports/periodic", params={**params, "language": "en"},
                            headers=headers)
    assert answer.status_code == 200 and answer.text.startswith("<!doctype html>")
    assert answer.headers["content-disposition"].startswith("inline;")
    assert_self_contained(answer.text)
    figures = app_client.get("/api/reports/periodic", params={**params, "format": "json"},
                             headers=headers).json()
    assert (figures["period_from"], figures["period_to"]) == ("2022-01-01", "2024-12-31")
    assert figures["threshold"] == 5
    assert [i["code"] for i in figures["indicators"]["indicators"]][:2] == [
        "persons_by_status", "deaths_in_custody"]
    assert [s["code"] for s in figures["series"]][:2] == ["2022-Q1", "2022-Q2"]
    assert {e["population"] for e in figures["estimates"]} == {"held", "dead"}
    queries = {q["id"]: q for q in figures["queries"]}
    assert queries["persons_by_status@2022-Q1"]["filters"]["period_to"] == "2022-03-31"
    assert json.dumps(figures, ensure_ascii=False)  # plain JSON
    bad = app_client.get("/api/reports/periodic", params={"date_from": "2024",
                                                          "date_to": "no"}, headers=headers)
    assert bad.status_code == 422 and "date_to" in bad.json()["detail"]
