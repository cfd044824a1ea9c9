"""One hiring answer: `rota plan`'s report, `rota gaps` (JSON and table), the API's `gaps` and the
report page give the same advice; and structural time is the same figure whatever rota is shown."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from apikit import bearer
from fastapi.testclient import TestClient

# Los Angeles evenings need one P0 responder. Bo (New York) answers them, except on Christmas Day,
# his public holiday; Ana (Berlin) is asleep then. So the 25th's peak is structural, and of the two
# candidates only Tokyo (no Christmas holiday, 09:00-13:00 on the 26th) would close it.
SCENARIO = """\
team: hire
horizon: {start: 2026-12-21, days: 7}
regions:
  - id: us
    timezone: America/Los_Angeles
    peak_windows: [{start: "16:00", end: "20:00"}]
    peak: {severity: P0, responders: 1}
engineers:
  - {id: ana, timezone: Europe/Berlin, regions: [us]}
  - {id: bo, timezone: America/New_York, regions: [us], holiday_country: US}
hiring:
  candidates:
    - {timezone: America/New_York, holiday_country: US}
    - {timezone: Asia/Tokyo, holiday_country: JP}
"""
# Bo on call every evening, Christmas included: all covered, by breaking two rules.
DRAWN = {"team": "hire", "shifts": [
    {"engineer": "bo", "start": f"2026-12-{d}T00:00:00Z", "end": f"2026-12-{d}T04:00:00Z"}
    for d in range(21, 28)]}
ADVICE = [{"timezone": "Asia/Tokyo", "holiday_country": "JP", "utc_offset": "UTC+09:00",
           "closes_minutes": 240, "regions": {"us": 240}}]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    result = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("hire")
    team, planned, drawn, report = (tmp / "team.yaml", tmp / "planned.json", tmp / "drawn.json",
                                    tmp / "report.json")
    team.write_text(SCENARIO)
    drawn.write_text(json.dumps(DRAWN))
    plan_out = run("plan", str(team), "-o", str(planned), "--time-limit", "2", "--workers", "2",
                   "--report", str(report)).stdout
    return {
        "plan_report": json.loads(report.read_text()),
        "plan_lines": [line for line in plan_out.splitlines() if line.startswith("hire:")],
        "planned": json.loads(planned.read_text()),
        "gaps_planned": json.loads(run("gaps", str(team), str(planned), "--format", "json").stdout),
        "gaps_drawn": json.loads(run("gaps", str(team), str(drawn), "--format", "json").stdout),
        "table_lines": [line for line in run("gaps", str(team), str(drawn)).stdout.splitlines()
                        if line.startswith("hire:")],
    }


def test_cli_api_and_report_give_one_hire_answer(cli: dict[str, Any], client: TestClient,
                                                 tokens: dict[str, str]) -> None:
    assert cli["plan_report"]["hire_suggestions"] == ADVICE
    assert cli["gaps_planned"]["hiring"] == ADVICE
    assert cli["gaps_drawn"]["hiring"] == ADVICE
    line = ("hire: one engineer in Asia/Tokyo (UTC+09:00, holidays JP) would close 240 structural "
            "minutes (us 240)")
    assert cli["plan_lines"] == cli["table_lines"] == [line]

    admin, plan, read = bearer(tokens["admin"]), bearer(tokens["plan"]), bearer(tokens["read"])
    put = client.put("/v1/teams/hire", content=SCENARIO,
                     headers={**admin, "Content-Type": "application/yaml"})
    assert put.status_code == 201, put.text
    assert client.put("/v1/teams/hire/rota", json=cli["planned"], headers=plan).status_code == 201
    assert client.get("/v1/teams/hire/gaps", headers=read).json()["hiring"] == ADVICE
    page = client.get("/v1/teams/hire/report", headers=read).text
    items = re.findall(r'<li data-zone="([^"]+)"><b>[^<]+</b> \(([^)]+)\): closes ([\d.]+) h', page)
    assert items == [("Asia/Tokyo", "UTC+09:00, holidays JP", "4.0")]


def test_structural_time_is_one_figure_for_every_rota(cli: dict[str, Any]) -> None:
    planned, drawn = cli["gaps_planned"], cli["gaps_drawn"]
    assert drawn["summary"]["p0_peak_coverage"] == 1.0  # Bo's Christmas evening covers it...
    assert {v["rule"] for v in drawn["violations"]} == {"public_holidays", "max_consecutive_days"}
    assert planned["summary"]["structural_gap_minutes"] == drawn["summary"]["structural_gap_minutes"] == 240
    assert planned["regions"] == [{**drawn["regions"][0], "covered_minutes": planned["regions"][0]["covered_minutes"],
                                   "coverage": planned["regions"][0]["coverage"]}]
    assert cli["plan_report"]["structural_minutes"] == 240
