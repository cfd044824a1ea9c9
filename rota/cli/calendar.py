"""`rota export-ics`: a rota as an iCalendar file, written by the same code as the API's feed.

DESIGN.md gives `rota export-ics ROTA.json [--engineer ID] -o FILE`. Names, e-mails and regions
live in the scenario, so `--scenario` is accepted to enrich the events (and to read `.ics`/`.csv`
rotas); without it the rota JSON alone is enough and events name engineers by id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rota.cli.analysis import read_rota_warning
from rota.cli.app import app, err, reports_errors
from rota.cli.outputs import check_output
from rota.errors import FieldError, InvalidInput
from rota.icsexport import rota_to_ics
from rota.rotafile import Rota, read_rota_json
from rota.scenario import Scenario
from rota.validation import load_scenario


@app.command("export-ics")
@reports_errors
def export_ics(
    rota: Annotated[Path, typer.Argument(help="Rota file (.json; .ics or .csv with --scenario).")],
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write here (default: stdout).")] = None,
    engineer: Annotated[str | None, typer.Option(help="Only this engineer's shifts.")] = None,
    scenario: Annotated[Path | None, typer.Option(
        help="Scenario file, for names, e-mails and regions in the events.")] = None,
) -> None:
    """The rota as an iCalendar (.ics) file, for calendar apps and subscriptions."""
    check_output(output, "--output")
    loaded = load_scenario(scenario) if scenario else None
    rota_file = read_rota_warning(rota, loaded) if loaded else read_rota_json(rota)
    _check_engineer(engineer, loaded, rota_file)
    data = rota_to_ics(loaded, rota_file, engineer)
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    output.write_bytes(data)
    err.print(f"wrote {output} ({data.count(b'BEGIN:VEVENT')} events)", highlight=False)


def _check_engineer(engineer: str | None, scenario: Scenario | None, rota: Rota) -> None:
    if engineer is None:
        return
    known = (scenario.engineer_by_id if scenario else
             {s.engineer for s in rota.shifts} | {o.engineer for o in rota.overrides})
    if engineer not in known:
        where = "the scenario" if scenario else "the rota"
        raise InvalidInput([FieldError("--engineer", f"no engineer {engineer!r} in {where}")],
                           "option")
