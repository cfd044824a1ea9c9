"""`rota gaps` on rotas from other tools, and `rota export-ics`, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
from icsbuild import FIXTURES
from typer.testing import CliRunner

from rota.cli import app
from rota.report import gap_report
from rota.rotaio import read_rota
from rota.scenario import Scenario

TEAM = str(FIXTURES / "team.yaml")
runner = CliRunner()


def test_gaps_of_an_ics_rota_warns_about_unmatched_events_and_still_runs(team: Scenario) -> None:
    result = runner.invoke(app, ["gaps", TEAM, str(FIXTURES / "pagerduty.ics"), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "UID Q1JORDAN001@pagerduty.com" in result.stderr
    answer = json.loads(result.stdout)
    rota = read_rota(FIXTURES / "pagerduty.ics", team)
    assert answer == gap_report(team, rota).to_json()
    assert answer["rota_version"] == 0


def test_gaps_of_a_csv_rota_as_html(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("engineer,start,end\nLi Wei,2026-12-07T11:00Z,2026-12-07T17:00Z\n"
                     "Jordan,2026-12-07T17:00Z,2026-12-07T23:00Z\n", encoding="utf-8")
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["gaps", TEAM, str(sheet), "-f", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "line 3: 'Jordan' matches no engineer" in result.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_malformed_rota_exits_2_naming_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART:20261207T110000Z\n"
                   "DTEND:20261207T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", encoding="utf-8")
    result = runner.invoke(app, ["gaps", TEAM, str(bad)])
    assert result.exit_code == 2
    assert "line 5: DTEND is not after DTSTART" in result.stderr


def test_export_ics_round_trips_and_filters_by_engineer(tmp_path: Path, team: Scenario) -> None:
    out = tmp_path / "li-wei.ics"
    result = runner.invoke(app, ["export-ics", str(FIXTURES / "google-calendar.ics"),
                                 "--scenario", TEAM, "--engineer", "li-wei", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and "(8 events)" in result.stderr
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert {str(e["X-ROTA-ENGINEER"]) for e in events} == {"li-wei"}


def test_export_ics_from_rota_json_alone(tmp_path: Path) -> None:
    rota = tmp_path / "rota.json"
    rota.write_text(json.dumps({"team": "streaming-sre", "version": 2, "shifts": [
        {"engineer": "tom", "start": "2026-12-07T18:00:00Z", "end": "2026-12-07T23:00:00Z"}]}))
    result = runner.invoke(app, ["export-ics", str(rota)])
    assert result.exit_code == 0, result.output
    assert "SUMMARY:On call (tom)" in result.stdout and "SEQUENCE:2" in result.stdout


def test_export_ics_refuses_an_unknown_engineer(tmp_path: Path) -> None:
    rota = tmp_path / "rota.json"
    rota.write_text('{"team": "streaming-sre", "shifts": []}')
    result = runner.invoke(app, ["export-ics", str(rota), "--engineer", "nobody"])
    assert result.exit_code == 2
    assert "--engineer: no engineer 'nobody' in the rota" in result.stderr
