"""Output paths are checked before any work, and a finished rota is never lost to a failed write."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rota.cli.planning as planning
from rota.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example"
SCENARIO = str(EXAMPLE / "streaming-sre.yaml")
ROTA = str(EXAMPLE / "handdrawn-weekly.json")
TINY = """
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


@pytest.mark.parametrize(("command", "message"), [
    (["plan", SCENARIO, "-o", "/nonexistent/x.json"],
     "--output: '/nonexistent/x.json' cannot be written: the folder '/nonexistent' does not exist"),
    (["plan", SCENARIO, "-o", "{tmp}/r.json", "--report", "/nonexistent/r.json"],
     "--report: '/nonexistent/r.json' cannot be written"),
    (["plan", SCENARIO, "-o", "{tmp}"], "--output: '{tmp}' is a folder; give a file name"),
    (["gaps", SCENARIO, ROTA, "-o", "/nonexistent/gaps.txt"], "--output: '/nonexistent/gaps.txt' cannot"),
    (["gaps", SCENARIO, ROTA, "-f", "json", "-o", "/nonexistent/gaps.json"], "cannot be written"),
    (["baseline", "weekly", SCENARIO, "-o", "/nonexistent/w.json"], "cannot be written"),
    (["export-ics", ROTA, "-o", "/nonexistent/a.ics"], "cannot be written"),
], ids=["plan", "plan-report", "plan-folder", "gaps-table", "gaps-json", "baseline", "export-ics"])
def test_an_unwritable_output_is_refused_before_any_work(tmp_path: Path, command: list[str],
                                                         message: str) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message.replace("{tmp}", str(tmp_path)) in result.stderr
    assert "planning" not in result.output and "P0 peak" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_rota_whose_write_fails_is_kept_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = tmp_path / "team.yaml"
    scenario.write_text(TINY, encoding="utf-8")
    asked = tmp_path / "rota.json"
    real_write = planning.write_rota_json

    def disk_full(rota: object, path: Path) -> None:
        if path == asked:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(rota, path)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "write_rota_json", disk_full)
    result = runner.invoke(app, ["plan", str(scenario), "-o", str(asked), "--time-limit", "2",
                                 "--workers", "2"])
    assert result.exit_code == 1
    assert f"error: cannot write {asked} (No space left on device); the rota is kept in " in result.stderr
    kept = Path(result.stderr.split("the rota is kept in ")[1].split()[0])
    try:
        assert json.loads(kept.read_text())["shifts"]
        assert f"wrote {kept}:" in result.stdout  # the report is printed all the same
    finally:
        kept.unlink()
    assert not asked.exists()
