"""`rota leave import`: out-of-office events from a calendar (iCal) or a spreadsheet (CSV) into
the scenario's `unavailable` entries, and the gaps the new leave opens in a rota."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from rota.cli.analysis import ScenarioArg, read_rota_warning
from rota.cli.app import app, err, out, reports_errors
from rota.errors import FieldError, InvalidInput
from rota.leave import LeaveImport
from rota.leave_files import LeaveKind, import_leave, leave_gap_changes
from rota.scenario import Scenario
from rota.validation import load_scenario

leave_app = typer.Typer(help="Leave from calendars: out-of-office events as unavailable entries.",
                        no_args_is_help=True)
app.add_typer(leave_app, name="leave")


class LeaveFormat(StrEnum):
    table = "table"
    json = "json"


@leave_app.command("import")
@reports_errors
def import_(
    scenario: ScenarioArg,
    leave_file: Annotated[Path, typer.Argument(help="Out-of-office calendar (.ics) or CSV "
                                                    "engineer,start,end[,reason,uid].")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the updated scenario "
                                                "(may be SCENARIO itself); without it nothing is written.")] = None,
    rota: Annotated[Path | None, typer.Option("--rota", help="List the gaps the new leave opens in this rota.")] = None,
    strict: Annotated[bool, typer.Option(help="Refuse the file when an event matches no engineer.")] = False,
    format: Annotated[LeaveFormat, typer.Option("--format", "-f")] = LeaveFormat.table,
) -> None:
    """Merge out-of-office events into each engineer's unavailable entries (idempotent, by UID)."""
    loaded = load_scenario(scenario)
    result = import_leave(_text(leave_file), _kind(leave_file), loaded, strict)
    rota_file = read_rota_warning(rota, loaded) if rota else None
    changes = leave_gap_changes(result, rota_file)
    if format is LeaveFormat.json:
        typer.echo(json.dumps({**result.to_json(), **changes}, indent=1))
    else:
        _print(result, changes, leave_file)
    for note in result.skipped:
        err.print(f"note: {leave_file}: {note}", highlight=False, markup=False)
    for entry in result.unmatched:
        err.print(f"warning: {leave_file}: {entry}", highlight=False, markup=False)
    if output is not None:
        output.write_text(scenario_yaml(result.scenario), encoding="utf-8")
        err.print(f"wrote {output}" + ("" if result.changed else " (no change)"), highlight=False)
    elif result.changed:
        err.print("nothing written: give -o SCENARIO to store this leave", highlight=False)


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML (defaults left out; comments of the original are not kept)."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput([FieldError(str(path), "no such file")], "leave file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput([FieldError(str(path), f"not UTF-8 text (byte {exc.start})")], "leave file") from None


def _kind(path: Path) -> LeaveKind:
    suffix = path.suffix.lower()
    if suffix == ".ics":
        return "ics"
    if suffix == ".csv":
        return "csv"
    raise InvalidInput([FieldError(str(path), f"unknown leave file kind {suffix!r}; use .ics or .csv")],
                       "leave file")


def _print(result: LeaveImport, changes: dict[str, list[dict[str, Any]]], path: Path) -> None:
    out.print(f"leave from {path}: {len(result.added)} added, {len(result.removed)} removed, "
              f"{result.unchanged} unchanged", highlight=False)
    for change in result.added:
        out.print(f"  + {change}", highlight=False, markup=False)
    for change in result.removed:
        out.print(f"  - {change}", highlight=False, markup=False)
    if changes["opens"] or changes["closes"]:
        table = Table(title="Gaps this leave opens (+) and closes (-) in the rota", title_justify="left")
        for column in ("", "region", "sev", "start (UTC)", "end (UTC)", "minutes", "need", "have", "cause"):
            table.add_column(column)
        for sign, key in (("+", "opens"), ("-", "closes")):
            for gap in changes[key]:
                table.add_row(sign, gap["region"], gap["severity"], gap["start"], gap["end"],
                              str(gap["minutes"]), str(gap["required"]), str(gap["qualified"]), gap["cause"])
        out.print(table)
