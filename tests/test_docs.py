"""Settings, commands and data files must be documented: an undocumented one fails here."""

from pathlib import Path

import pytest

from core.cli import build_parser
from core.config import ENV_VARS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(ENV_VARS))
def test_docs_every_environment_variable_is_in_the_readme(name):
    assert f"`{name}`" in README


def _subcommands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _subcommands())
def test_docs_every_cli_command_is_in_the_readme(command):
    assert f"python -m core {command}" in README


def _options() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    flags = {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
    for p in sub.choices.values():
        flags |= {o for a in p._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
    return sorted(flags)


@pytest.mark.parametrize("option", _options())
def test_docs_every_cli_option_is_in_the_readme(option):
    assert f"{option} " in README or f"{option}`" in README, f"{option} is not documented"


DATA_FILES = sorted(p for p in (ROOT / "data").rglob("*") if p.suffix in (".csv", ".yaml") and "articles" not in p.parts)


@pytest.mark.parametrize("path", DATA_FILES, ids=[p.name for p in DATA_FILES])
def test_docs_every_data_file_opens_with_a_source_note(path):
    head = path.read_text(encoding="utf-8").splitlines()[:25]
    comments = [ln for ln in head if ln.startswith("#")]
    assert comments, f"{path.name} has no header note"
    assert any("source" in ln.lower() for ln in comments), f"{path.name} does not say where it came from"


def test_docs_readme_has_the_two_commands():
    assert "bash scripts/start.sh" in README and "bash scripts/test.sh" in README
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("bash scripts/test.sh")
