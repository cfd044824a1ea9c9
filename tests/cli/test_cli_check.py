"""`rota check`, the publish gate: exit 0, or 1 with every reason; 2 for invalid input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIO = """\
team: t
horizon: {start: 2026-12-07, days: 2}
regions:
  - id: eu
    timezone: Europe/Berlin
    peak_windows: [{start: "19:00", end: "23:00"}]
    peak: {severity: P0, responders: 1}
    users_at_peak: 1000
    revenue_per_user_hour: 0.5
    currency: EUR
engineers:
  - {id: ana, timezone: Europe/Berlin, regions: [eu]}
  - {id: raj, timezone: Asia/Kolkata, regions: [eu]}
"""
EVENINGS = [("ana", "2026-12-07T17:00:00Z", "2026-12-07T23:00:00Z"),
            ("ana", "2026-12-08T17:00:00Z", "2026-12-08T23:00:00Z")]
ROTAS = {
    "good": EVENINGS,  # every peak hour, within the rules
    "half": EVENINGS[:1],  # Tuesday's peak open: 4 h x 1000 users x 0.5 = 2,000 EUR
    "marathon": [("ana", "2026-12-07T12:00:00Z", "2026-12-08T23:00:00Z")],  # a 35-hour shift
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    return subprocess.run([str(exe), "check", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("check")
    (tmp / "team.yaml").write_text(SCENARIO)
    out = {"team": str(tmp / "team.yaml")}
    for name, shifts in ROTAS.items():
        body = {"team": "t", "shifts": [{"engineer": e, "start": s, "end": t} for e, s, t in shifts]}
        (tmp / f"{name}.json").write_text(json.dumps(body))
        out[name] = str(tmp / f"{name}.json")
    return out


def reasons(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.strip().split(":")[0] for line in result.stdout.splitlines()[1:]]


def test_a_good_rota_passes_every_bar(files: dict[str, str]) -> None:
    result = run(files["team"], files["good"], "--min-p0-peak-coverage", "100",
                 "--max-exposure", "0", "--against", files["half"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{files['good']}: PASS - P0 peak coverage 100.0%, exposure 0")


@pytest.mark.parametrize(("rota", "options", "expected"), [
    ("marathon", [], ["hard_rule"]),
    ("half", ["--min-p0-peak-coverage", "75"], ["p0_peak_coverage"]),
    ("half", ["--max-exposure", "1999.99 EUR"], ["exposure"]),
    ("half", ["--against", "good"], ["against", "against"]),  # less P0 peak covered, more exposure
    ("half", ["--min-p0-peak-coverage", "75", "--max-exposure", "1000", "--against", "good"],
     ["p0_peak_coverage", "exposure", "against", "against"]),
], ids=["hard rule", "coverage bar", "exposure bar", "worse than against", "every reason at once"])
def test_a_failing_rota_exits_1_with_every_reason(files: dict[str, str], rota: str, options: list[str],
                                                  expected: list[str]) -> None:
    options = [files.get(o, o) for o in options]
    result = run(files["team"], files[rota], *options)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(f"{files[rota]}: FAIL - {len(expected)} reason")
    assert reasons(result) == expected


def test_the_bars_hold_at_their_edges(files: dict[str, str]) -> None:
    assert run(files["team"], files["half"], "--min-p0-peak-coverage", "50",
               "--max-exposure", "2,000 EUR").returncode == 0


def test_json_lists_the_violations_and_the_figures(files: dict[str, str]) -> None:
    result = run(files["team"], files["marathon"], "--format", "json")
    assert result.returncode == 1
    body = json.loads(result.stdout)
    assert body["passed"] is False
    assert [r["violation"]["rule"] for r in body["reasons"]] == ["shift_hours"]
    assert body["summary"]["p0_peak_coverage"] == 1.0
    assert body["summary"]["p0_peak_coverage_within_rules"] == 0.0


@pytest.mark.parametrize(("options", "message"), [
    (["--max-exposure", "lots"], "--max-exposure: not an amount"),
    (["--min-p0-peak-coverage", "101"], "--min-p0-peak-coverage"),
    (["--against", "missing.json"], "missing.json"),
], ids=["amount", "percent", "against file"])
def test_invalid_input_exits_2(files: dict[str, str], options: list[str], message: str) -> None:
    result = run(files["team"], files["good"], *options)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
