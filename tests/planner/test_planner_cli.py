"""`rota plan` and `rota baseline` from the command line: files written, exit codes as documented."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rota.cli import app

SCENARIO = """
team: tiny
horizon: {start: 2026-12-07, days: 2}
regions:
  - id: eu
    timezone: Europe/Berlin
    peak_windows: [{start: "18:00", end: "23:00"}]
engineers:
  - {id: ana, timezone: Europe/Berlin, regions: [eu]}
  - {id: raj, timezone: Asia/Kolkata, regions: [eu]}
"""

runner = CliRunner()


def _write(tmp_path: Path, text: str = SCENARIO) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_writes_a_rota_with_solver_info_and_prints_the_report(tmp_path: Path) -> None:
    out = tmp_path / "rota.json"
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["plan", str(_write(tmp_path)), "-o", str(out), "--time-limit", "2",
                                 "--workers", "2", "--report", str(report)])
    assert result.exit_code == 0, result.output
    rota = json.loads(out.read_text())
    assert rota["solver"]["status"] in ("OPTIMAL", "FEASIBLE") and rota["shifts"]
    assert "P0 peak coverage 100.00%" in result.output
    assert json.loads(report.read_text())["coverage"]["p0_peak_coverage"] == 1.0
    gaps = runner.invoke(app, ["gaps", str(tmp_path / "team.yaml"), str(out), "-f", "json"])
    assert gaps.exit_code == 0


def test_plan_refuses_an_invalid_scenario_with_exit_2(tmp_path: Path) -> None:
    bad = _write(tmp_path, SCENARIO.replace("Europe/Berlin, regions", "Europe/Berln, regions"))
    result = runner.invoke(app, ["plan", str(bad), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 2


def test_plan_with_a_pin_breaking_a_rule_exits_1_naming_it(tmp_path: Path) -> None:
    text = SCENARIO + 'pins:\n  - {engineer: ana, start: "2026-12-07T08:00:00Z", end: "2026-12-07T09:00:00Z"}\n'
    result = runner.invoke(app, ["plan", str(_write(tmp_path, text)), "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    assert "pins[0]" in result.output and "shift_hours" in result.output
    assert not (tmp_path / "r.json").exists()


def test_baselines_write_rotas_the_gap_report_reads(tmp_path: Path) -> None:
    scenario = _write(tmp_path)
    for kind in ("weekly", "office-hours"):
        out = tmp_path / f"{kind}.json"
        result = runner.invoke(app, ["baseline", kind, str(scenario), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert runner.invoke(app, ["gaps", str(scenario), str(out)]).exit_code == 0
