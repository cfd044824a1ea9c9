"""`rota check`: the publish gate for a rota kept in Git (exit 0, or 1 with every reason)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rota.cli.analysis import RotaArg, ScenarioArg, read_rota_warning
from rota.cli.app import EXIT_FAILED, app, out, reports_errors
from rota.gate import check as gate_check
from rota.gate import parse_bar
from rota.render.tables import coverage_text
from rota.validation import load_scenario


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
@reports_errors
def check(
    scenario: ScenarioArg,
    rota: RotaArg,
    min_p0_peak_coverage: Annotated[float | None, typer.Option(
        min=0, max=100, help="Fail under this P0 peak coverage, in percent.")] = None,
    max_exposure: Annotated[str | None, typer.Option(
        help="Fail over this exposure, e.g. 1500000 or '1500000 USD'.")] = None,
    against: Annotated[Path | None, typer.Option(
        help="The current rota: fail if this one covers less P0 peak demand or exposes more.")] = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.text,
) -> None:
    """The publish gate: exit 0, or 1 with every reason (a hard rule broken, a bar missed, worse
    than --against); 2 for invalid input."""
    loaded = load_scenario(scenario)
    bar = parse_bar(max_exposure) if max_exposure is not None else None
    rota_file = read_rota_warning(rota, loaded)
    current = read_rota_warning(against, loaded) if against is not None else None
    verdict = gate_check(loaded, rota_file, min_p0_peak_coverage, bar, current)
    if format is CheckFormat.json:
        typer.echo(json.dumps(verdict.to_json(), indent=1))
    else:
        report = verdict.report
        exposure = ", ".join(f"{amount:,.0f} {currency or ''}".strip()
                             for currency, amount in report.exposure_totals().items()) or "0"
        figures = f"P0 peak coverage {coverage_text(report)}, exposure {exposure}"
        if verdict.passed:
            out.print(f"{rota}: PASS - {figures}", highlight=False)
        else:
            count = len(verdict.reasons)
            out.print(f"{rota}: FAIL - {count} reason{'s' if count != 1 else ''}; {figures}",
                      highlight=False)
            for reason in verdict.reasons:
                out.print(f"  {reason.kind}: {reason.detail}", highlight=False, markup=False)
    if not verdict.passed:
        raise typer.Exit(EXIT_FAILED)
