"""`rota handoffs SCENARIO ROTA [--from T --to T] [--region R] [--format table|json]`.

Default window: from now for 24 hours. `--format json` prints exactly the API's
`GET /v1/teams/{team}/handoffs` answer for the same window.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from rota.cli.analysis import RotaArg, ScenarioArg, read_rota_warning
from rota.cli.app import app, out, parse_instant, reports_errors
from rota.handoffs import handoff_report
from rota.spans import to_ts
from rota.validation import load_scenario

DEFAULT_WINDOW = dt.timedelta(hours=24)


class HandoffFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
@reports_errors
def handoffs(
    scenario: ScenarioArg,
    rota: RotaArg,
    start: Annotated[str | None, typer.Option("--from", help="Window start (default: now).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Window end (default: 24 h after --from).")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
    format: Annotated[HandoffFormat, typer.Option("--format", "-f")] = HandoffFormat.table,
) -> None:
    """Who goes on and off call when, per region, with local times."""
    loaded = load_scenario(scenario)
    rota_file = read_rota_warning(rota, loaded)
    lo = parse_instant(start, "--from") or dt.datetime.now(dt.UTC).replace(microsecond=0)
    hi = parse_instant(end, "--to") or lo + DEFAULT_WINDOW
    answer = handoff_report(loaded, rota_file, to_ts(lo), to_ts(hi), region)
    if format is HandoffFormat.json:
        typer.echo(json.dumps(answer, indent=1, ensure_ascii=False))
        return
    out.print(_table(answer))


def _names(people: list[dict[str, Any]]) -> str:
    return ", ".join(f"{p['name']} ({p['local_time'][11:16]} {p['timezone']})" for p in people) or "-"


def _table(answer: dict[str, Any]) -> Table:
    table = Table(title=f"Handoffs of {answer['team']} (rota v{answer['rota_version']}), "
                        f"{answer['from']} to {answer['to']}")
    for column in ("region", "at (UTC)", "region's local time", "on", "off", "qualified after"):
        table.add_column(column)
    for region in answer["regions"]:
        for h in region["handoffs"]:
            table.add_row(region["region"], h["at"][:16].replace("T", " "),
                          h["local_time"].replace("T", " "), _names(h["on"]), _names(h["off"]),
                          ", ".join(h["responders"]) or "nobody")
    return table
