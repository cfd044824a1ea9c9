"""What a reader sees: help without `<bool>`, plurals, CSV booleans as in JSON, an empty gap table
said in words, and the load table narrowed to the engineers that matter."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from rota.cli import app
from rota.validation import load_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example"
SCENARIO = str(EXAMPLE / "streaming-sre.yaml")
ROTA = str(EXAMPLE / "handdrawn-weekly.json")
runner = CliRunner()


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "rota" for p in COMMANDS])
def test_help_shows_no_type_for_flags(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout


def test_plan_help_states_the_exit_codes_plainly() -> None:
    text = " ".join(runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "200"}).stdout.split())
    assert ("Exit codes: 0 the rota was written; 1 no feasible rota, a pin that breaks a hard rule, or "
            "the rota could not be written where asked") in text
    assert "2 invalid input (scenario, rota, option, output path), nothing done" in text


def test_one_gap_is_one_gap() -> None:
    result = runner.invoke(app, ["gaps", SCENARIO, ROTA, "--region", "latam", "--from",
                                 "2026-12-07T00:00:00Z", "--to", "2026-12-07T04:00:00Z"])
    assert result.exit_code == 0
    assert re.search(r"uncovered: [\d.]+ h in 1 gap ", result.stdout)


def test_an_empty_gap_table_says_no_gaps() -> None:
    result = runner.invoke(app, ["gaps", SCENARIO, ROTA, "--region", "eu", "--from",
                                 "2026-12-07T00:00:00Z", "--to", "2026-12-07T03:00:00Z"])
    assert result.exit_code == 0
    assert "in 0 gaps" in result.stdout
    assert "No gaps: every target is met in this window" in result.stdout
    assert "Coverage gaps of" not in result.stdout  # no empty frame


def test_csv_booleans_are_written_as_in_json() -> None:
    result = runner.invoke(app, ["gaps", SCENARIO, ROTA, "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert {r["structural"] for r in rows} <= {"true", "false"}
    assert {r["peak"] for r in rows} == {"true", "false"}


def test_the_load_table_of_one_region_lists_its_engineers_on_call() -> None:
    scenario = load_scenario(Path(SCENARIO))
    serving = {e.id for e in scenario.engineers if "me" in e.regions}
    result = runner.invoke(app, ["gaps", SCENARIO, ROTA, "--region", "me"], env={"COLUMNS": "200"})
    load = result.stdout.split("On-call load by engineer")[1]
    listed = {line.split("│")[1].strip() for line in load.splitlines() if line.startswith("│")}
    assert listed and listed <= serving
    assert len(listed) < len(scenario.engineers)
    assert f"not shown: {len(scenario.engineers) - len(listed)} engineers" in load
    on_call = [line.split("│")[3].strip() for line in load.splitlines() if line.startswith("│")]
    assert all(float(hours) > 0 for hours in on_call)
