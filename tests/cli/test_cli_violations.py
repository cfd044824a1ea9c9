"""`rota gaps` lists the hard rules an imported rota breaks, in JSON (the API's shape) and the table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCENARIO = """\
team: t
horizon: {start: 2026-12-07, days: 7}
regions:
  - id: eu
    timezone: Europe/Berlin
    peak_windows: [{start: "19:00", end: "23:00"}]
    peak: {severity: P0, responders: 1}
engineers:
  - {id: ana, timezone: Europe/Berlin, regions: [eu]}
  - {id: raj, timezone: Asia/Kolkata, regions: [eu]}
"""
# A spreadsheet rota: Ana on call 12 h a day all week, Raj 9 h with too little rest.
CSV = "engineer,start,end\n" + "".join(
    f"ana,2026-12-{d:02d}T12:00:00Z,2026-12-{d:02d}T23:59:00Z\n" for d in range(7, 14)
) + "raj,2026-12-08T03:30:00Z,2026-12-08T09:30:00Z\nraj,2026-12-08T15:30:00Z,2026-12-08T20:30:00Z\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_gaps_lists_violations_of_a_csv_rota(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(SCENARIO)
    (tmp_path / "rota.csv").write_text(CSV)
    result = run("gaps", str(tmp_path / "team.yaml"), str(tmp_path / "rota.csv"), "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    by_rule: dict[str, set[str]] = {}
    for v in body["violations"]:
        assert set(v) == {"engineer", "rule", "start", "end", "detail"}
        by_rule.setdefault(v["rule"], set()).add(v["engineer"])
    assert by_rule == {"shift_hours": {"ana"}, "max_hours_per_week": {"ana"},
                       "max_consecutive_days": {"ana"}, "min_rest_hours": {"raj"},
                       "one_shift_per_day": {"raj"}}
    assert len([v for v in body["violations"] if v["rule"] == "shift_hours"]) == 7
    assert body["summary"]["violations"] == len(body["violations"])
    table = run("gaps", str(tmp_path / "team.yaml"), str(tmp_path / "rota.csv"))
    assert table.returncode == 0, table.stderr
    headline = table.stdout.splitlines()[0]
    assert f"within the rules; {len(body['violations'])} rule violations)" in headline
    assert "Hard-rule violations" in table.stdout
