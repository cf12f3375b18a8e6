"""`rollcall names romanize` and `rollcall names key`."""

from typer.testing import CliRunner

from rollcall.cli import app


def run(*args):
    result = CliRunner().invoke(app, ["names", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_romanize_prints_the_official_romanisation():
    assert run("romanize", "ЗГУРСЬКИЙ Андрій Мар'янович") == "ZGHURSKYI Andrii Marianovych\n"


def test_key_prints_the_keys_and_forms():
    out = run("key", "Андрей")
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert lines["given"] == "andri"
    assert lines["ukrainian"] == "Андрій"
    assert lines["ru:icao_2013"] == "Andrei"
    assert lines["ru:wikipedia"] == "Andrey"


def test_key_of_a_latin_spelling():
    out = run("key", "Nikolayevich")
    assert "patronymic      mikolaevich" in out


def test_names_without_a_command_shows_help():
    result = CliRunner().invoke(app, ["names"])
    assert "romanize" in result.output and "key" in result.output
