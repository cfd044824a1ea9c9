"""`rota hours`: on-call hours and pay per engineer and local month, for payroll."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rota.cli.analysis import RotaArg, ScenarioArg, read_rota_warning
from rota.cli.app import app, out, parse_instant, reports_errors
from rota.hours import hours_report
from rota.validation import load_scenario


class HoursFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
@reports_errors
def hours(
    scenario: ScenarioArg,
    rota: RotaArg,
    start: Annotated[str | None, typer.Option("--from", help="Window start (default: horizon).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Window end (default: horizon).")] = None,
    format: Annotated[HoursFormat, typer.Option("--format", "-f")] = HoursFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
) -> None:
    """On-call hours per engineer and local month: by band, nights, weekends, public holidays,
    shifts and handovers, and pay where the scenario gives rates."""
    loaded = load_scenario(scenario)
    rota_file = read_rota_warning(rota, loaded)
    report = hours_report(loaded, rota_file, parse_instant(start, "--from"), parse_instant(end, "--to"))
    if format is HoursFormat.table:
        from rota.render.hours import hours_table

        out.print(hours_table(report))
        return
    if format is HoursFormat.json:
        text = json.dumps(report.to_json(), indent=1)
    else:
        from rota.render.hours import hours_csv

        text = hours_csv(report)
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
