"""`rollcall estimate` in both modes: a CSV of capture patterns, and the registry (on
SQLite and PostgreSQL, the hand-built mse_world); JSON output; bad input as one clean
line naming the file, row and column."""

from __future__ import annotations

import json
import sys

import pytest
from mse_world import DEAD_BY_ORIGIN, build_mse_world
from typer.testing import CliRunner

from rollcall.cli import app, main
from rollcall.config import get_settings
from rollcall.errors import EstimateRefused

R3 = "c1,c2,c3,count\n1,1,1,72\n1,1,0,155\n1,0,1,7\n1,0,0,71\n0,1,1,13\n0,1,0,53\n0,0,1,43\n"


def run(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def fails(monkeypatch, capsys, *args: str) -> str:
    """The installed command: exit status 2 and one line on stderr."""
    monkeypatch.setattr(sys, "argv", ["rollcall", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    return captured.err


def test_patterns_file_text_and_json(tmp_path):
    path = tmp_path / "r3.csv"
    path.write_text(R3, encoding="utf-8")
    text = run("estimate", "--patterns", str(path))
    assert "loglinear on 3 lists (c1, c2, c3)" in text
    assert "documented 414; estimated 850 (95% profile likelihood interval 604 to 1,456)" \
        in text
    assert "model c1:c2 + c2:c3 chosen by BIC (exhaustive search, 8 models fitted)" in text
    document = json.loads(run("estimate", "--patterns", str(path), "--json",
                              "--criterion", "aic"))
    assert document["method"] == "loglinear" and document["documented"] == 414
    assert document["details"]["criterion"] == "aic"
    assert document["details"]["chosen"]["model"] == "c1:c2 + c1:c3 + c2:c3"
    assert round(document["estimate"]) == 1240
    assert len(document["details"]["competing_models"]) == 8


def test_lcmcr_with_seed_repeats(tmp_path):
    path = tmp_path / "r3.csv"
    path.write_text(R3, encoding="utf-8")
    args = ("estimate", "--patterns", str(path), "--method", "lcmcr", "--seed", "5",
            "--chains", "2", "--burnin", "50", "--samples", "40", "--json")
    first, second = json.loads(run(*args)), json.loads(run(*args))
    assert first == second and first["details"]["seed"] == 5
    assert first["interval"] == "credible"
    assert "posterior median; seed 5; 2 chains x 40 draws" in run(*args[:-1])


@pytest.mark.parametrize(("content", "expected"), [
    ("a,b,n\n1,0,3\n", "pat.csv, row 1: needs exactly one 'count' column"),
    ("a,b,c,count\n1,0,1,3\n1,yes,0,2\n", "pat.csv, row 3, field 'b': must be 0 or 1"),
    ("a,b,count\n1,0,-3\n", "pat.csv, row 2, field 'count': must not be negative"),
    ("a,count\n1,3\n", "pat.csv, row 1: needs at least two list columns"),
])
def test_bad_patterns_file_is_one_clean_line(tmp_path, monkeypatch, capsys, content,
                                             expected):
    path = tmp_path / "pat.csv"
    path.write_text(content, encoding="utf-8")
    err = fails(monkeypatch, capsys, "estimate", "--patterns", str(path))
    assert expected in err and "Traceback" not in err


def test_refusals_and_misuse_are_clean_lines(tmp_path, monkeypatch, capsys):
    path = tmp_path / "two.csv"
    path.write_text("a,b,count\n1,0,3\n0,1,4\n", encoding="utf-8")
    assert "no person is on both 'a' and 'b'" in fails(
        monkeypatch, capsys, "estimate", "--patterns", str(path))
    assert "latent-class model needs at least 3 lists" in fails(
        monkeypatch, capsys, "estimate", "--patterns", str(path), "--method", "lcmcr")
    assert "either --patterns FILE or --population" in fails(
        monkeypatch, capsys, "estimate")
    assert "--samples does not apply to the method chapman" in fails(
        monkeypatch, capsys, "estimate", "--patterns", str(path), "--method", "chapman",
        "--samples", "10")
    assert "--by applies to the registry" in fails(
        monkeypatch, capsys, "estimate", "--patterns", str(path), "--by", "region")


def test_registry_dead_and_held_by_region(db, db_url, operator, tmp_path, monkeypatch):
    build_mse_world(db, operator, tmp_path)
    monkeypatch.setenv("ROLLCALL_DATABASE_URL", db_url)
    get_settings.cache_clear()
    text = run("estimate", "--population", "dead")
    assert text.startswith("dead persons, lists by origin\n")
    assert "loglinear on 3 lists (own_bureau, adversary_bureau, icrc)" in text
    assert f"documented {sum(DEAD_BY_ORIGIN.values())};" in text
    document = json.loads(run("estimate", "--population", "held", "--by", "region",
                              "--json"))
    assert document["population"] == "held" and document["by"] == "region"
    strata = {row["stratum"]: row for row in document["strata"]}
    assert sorted(strata) == ["East", "North", "South"]
    assert strata["East"]["documented"] == 1 and strata["East"]["estimate"] is None
    assert "at least two lists" in strata["East"]["refused"]
    with pytest.raises(EstimateRefused, match="exactly two lists; 4 given"):
        CliRunner().invoke(app, ["estimate", "--population", "dead", "--lists", "source",
                                 "--method", "lincoln_petersen"], catch_exceptions=False)
