"""`rota validate`, `rota gaps` and `rota now`: the analysis commands."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, get_args

import typer

from rota.cli.app import app, err, out, parse_instant, reports_errors
from rota.cli.outputs import check_output, exit_if_kept, write_keeping
from rota.errors import FieldError, InvalidInput
from rota.now import who_responds
from rota.report import gap_report
from rota.rotafile import Rota
from rota.rotaio import read_rota_with_warnings
from rota.scenario import Scenario, Severity
from rota.validation import load_scenario, scenario_warnings


class GapFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


class NowFormat(StrEnum):
    table = "table"
    json = "json"


ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file (YAML or JSON).")]
RotaArg = Annotated[Path, typer.Argument(help="Rota file: .json, .ics or .csv.")]


@app.command()
@reports_errors
def validate(scenario: ScenarioArg) -> None:
    """Check a scenario; exit 0 (with a warning line for demand no rota can meet), or 2 with
    every error and its path."""
    loaded = load_scenario(scenario)
    out.print(f"{scenario}: valid - team {loaded.team}, {len(loaded.engineers)} engineers, "
              f"{len(loaded.regions)} regions, {loaded.horizon.days} days from "
              f"{loaded.horizon.start}", highlight=False)
    print_warnings(loaded)


def print_warnings(scenario: Scenario) -> list[str]:
    """Warn on stderr about demand no rota can meet; the lines, for a report."""
    lines = [str(w) for w in scenario_warnings(scenario)]
    for line in lines:
        err.print(f"warning: {line}", highlight=False, markup=False)
    return lines


@app.command()
@reports_errors
def gaps(
    scenario: ScenarioArg,
    rota: RotaArg,
    format: Annotated[GapFormat, typer.Option("--format", "-f")] = GapFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Window start (default: horizon).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Window end (default: horizon).")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
    severity: Annotated[str | None, typer.Option(help="Only gaps of this severity.")] = None,
) -> None:
    """The coverage-gap report: every interval a region's target is not met, and why."""
    check_output(output, "--output")
    loaded = load_scenario(scenario)
    rota_file = read_rota_warning(rota, loaded)
    report = gap_report(loaded, rota_file, parse_instant(start, "--from"),
                        parse_instant(end, "--to"), region, _severity(severity))
    if format is GapFormat.json:
        _emit(json.dumps(report.to_json(), indent=1), output)
    elif format is GapFormat.csv:
        from rota.render.csvout import gaps_csv

        _emit(gaps_csv(report), output)
    elif format is GapFormat.html:
        from rota.render.html import report_page

        _emit(report_page(loaded, rota_file, report), output)
    else:
        from rota.render.tables import gaps_table

        if output:
            from rich.console import Console

            def write(path: Path) -> None:
                with path.open("w", encoding="utf-8") as handle:
                    Console(file=handle, width=160).print(gaps_table(report, loaded, limit=None))

            _written(write, output)
        else:
            out.print(gaps_table(report, loaded))


@app.command()
@reports_errors
def now(
    scenario: ScenarioArg,
    rota: RotaArg,
    at: Annotated[str | None, typer.Option(help="Instant (ISO 8601; default: now).")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
    severity: Annotated[str | None, typer.Option(help="Severity of the incident.")] = None,
    format: Annotated[NowFormat, typer.Option("--format", "-f")] = NowFormat.table,
) -> None:
    """Who responds at an instant: responders fastest first, the gap, and fallbacks."""
    loaded = load_scenario(scenario)
    rota_file = read_rota_warning(rota, loaded)
    instant = parse_instant(at, "--at") or dt.datetime.now(dt.UTC)
    answer = who_responds(loaded, rota_file, instant, region, _severity(severity))
    if format is NowFormat.json:
        typer.echo(json.dumps(answer, indent=1))
    else:
        from rota.render.tables import now_table

        out.print(now_table(answer))


def read_rota_warning(path: Path, scenario: Scenario) -> Rota:
    """Read a rota; entries of an imported one that match no engineer are warned about on stderr."""
    rota, warnings = read_rota_with_warnings(path, scenario)
    for warning in warnings:
        err.print(f"warning: {path}: {warning}", highlight=False, markup=False)
    return rota


def _severity(value: str | None) -> Severity | None:
    if value is None:
        return None
    if value not in get_args(Severity):
        raise InvalidInput([FieldError("--severity", f"{value!r} is not one of P0, P1, P2, P3")], "option")
    return value  # type: ignore[return-value]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        _written(lambda path: path.write_text(text, encoding="utf-8"), output)


def _written(write: Callable[[Path], object], output: Path) -> None:
    written = write_keeping(output, write, "report")
    typer.echo(f"wrote {written}", err=True)
    exit_if_kept(written, output)
