"""`rota calibrate`: response minutes per engineer and band fitted from acknowledgement times."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from rota.calibration import Calibration, calibrate
from rota.calibration_patch import patch_changes, patch_yaml
from rota.calibration_records import read_acks
from rota.cli.analysis import ScenarioArg, read_rota_warning
from rota.cli.app import app, err, out, reports_errors
from rota.errors import FieldError, InvalidInput
from rota.oncall import rota_on_call
from rota.spans import iso_z
from rota.validation import load_scenario


class CalibrateFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("calibrate")
@reports_errors
def calibrate_command(
    scenario: ScenarioArg,
    incidents: Annotated[Path, typer.Argument(help="Acknowledgements: CSV engineer,triggered_at,"
                                                   "acknowledged_at[,severity], or PagerDuty's incident export.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the scenario patch (YAML).")] = None,
    rota: Annotated[Path | None, typer.Option("--rota", help="Leave out pages outside its shifts, and show "
                                                             "the gaps the patch opens and closes in it.")] = None,
    quantile: Annotated[float, typer.Option(min=0.5, max=0.99, help="Answered within the estimate with "
                                                                     "this probability.")] = 0.9,
    min_samples: Annotated[int, typer.Option(min=1, max=1000, help="Own samples needed to patch a band.")] = 5,
    format: Annotated[CalibrateFormat, typer.Option("--format", "-f")] = CalibrateFormat.table,
) -> None:
    """Fit response minutes per engineer and band from acknowledgement times; say what they change."""
    loaded = load_scenario(scenario)
    try:
        text = incidents.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([FieldError(str(incidents), f"cannot read: {exc}")], "incident file") from None
    rota_file = read_rota_warning(rota, loaded) if rota else None
    on_call = None
    if rota_file is not None:
        on_call = rota_on_call(rota_file, -2**40, 2**40)
    result = calibrate(loaded, read_acks(text, loaded), quantile, min_samples, on_call)
    changes = patch_changes(loaded, result, rota_file)
    if format is CalibrateFormat.json:
        typer.echo(json.dumps({**result.to_json(), **changes}, indent=1))
    else:
        _print(result, changes)
    for note in result.notes:
        err.print(f"note: {incidents}: {note}", highlight=False, markup=False)
    if output is not None:
        output.write_text(patch_yaml(result, incidents.name), encoding="utf-8")
        err.print(f"wrote {output}", highlight=False)


def _print(result: Calibration, changes: dict[str, list[dict[str, Any]]]) -> None:
    table = Table(title=f"Response minutes answered with probability {result.quantile:g} "
                        f"({result.used} acknowledgements, {result.kind} CSV)", title_justify="left")
    for column in ("engineer", "band", "samples", "estimate", "now assumed", "patch", "from"):
        table.add_column(column, justify="left" if column in ("engineer", "band", "from") else "right")
    for e in result.estimates:
        if e.minutes is None and not e.samples:
            continue
        table.add_row(e.engineer, e.band, str(e.samples), f"{e.minutes:.1f}" if e.minutes is not None else "-",
                      str(e.current), str(e.patched) if e.patched is not None else "-", e.source)
    out.print(table)
    team = ", ".join(f"{band} {n} samples" + (f" -> {m:.1f} min" if m is not None else " (no estimate)")
                     for band, (n, m) in result.team.items())
    out.print(f"team: {team}", highlight=False)
    for key, sign in (("opens", "+"), ("closes", "-")):
        minutes = sum(g["minutes"] for g in changes[key])
        if changes[key]:
            out.print(f"applying the patch {key} {len(changes[key])} gaps ({minutes} min) in the rota:",
                      highlight=False)
            for gap in changes[key][:10]:
                out.print(f"  {sign} {gap['region']} {gap['severity']} {gap['start']} .. {gap['end']} "
                          f"{gap['minutes']} min {gap['cause']}", highlight=False)
    if result.test_pages:
        out.print("to learn what is missing, test-page:", highlight=False)
        for page in result.test_pages:
            out.print(f"  {page.engineer} {page.band} at {page.local_time} ({iso_z(page.at)}): {page.reason}",
                      highlight=False, markup=False)
