"""`rota validate`, `rota gaps` and `rota now` through the installed entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from domain import at
from rota.now import who_responds
from rota.report import gap_report
from rota.rotafile import read_rota_json
from rota.validation import load_scenario

SCENARIO = """\
team: t
horizon: {start: 2026-12-07, days: 2}
regions:
  - id: eu
    timezone: Europe/Berlin
    peak_windows: [{start: 19:00, end: 23:00}]
    peak: {severity: P0, responders: 1}
    users_at_peak: 5000
    revenue_per_user_hour: 0.2
    currency: EUR
engineers:
  - {id: ana, timezone: Europe/Berlin, regions: [eu], contact: {email: ana@example.com}}
  - {id: raj, timezone: Asia/Kolkata, regions: [eu]}
"""
ROTA = {"team": "t", "version": 3, "shifts": [
    {"engineer": "ana", "start": "2026-12-07T17:00:00Z", "end": "2026-12-07T23:00:00Z"},
    {"engineer": "raj", "start": "2026-12-08T17:00:00Z", "end": "2026-12-08T23:00:00Z"},
]}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    scenario = tmp_path / "team.yaml"
    scenario.write_text(SCENARIO)
    rota = tmp_path / "rota.json"
    rota.write_text(json.dumps(ROTA))
    return scenario, rota


def test_validate_accepts_a_good_scenario(files):
    result = run("validate", str(files[0]))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_validate_lists_every_error_and_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.replace("Asia/Kolkata", "Asia/Calcuta").replace("regions: [eu]}", "regions: [us]}"))
    result = run("validate", str(bad))
    assert result.returncode == 2
    assert "engineers[1].timezone: unknown time zone 'Asia/Calcuta'" in result.stderr
    assert "engineers[1].regions[0]: unknown region 'us'" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_reports_a_missing_file(tmp_path):
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_gaps_json_is_the_api_shape(files):
    result = run("gaps", str(files[0]), str(files[1]), "--format", "json")
    assert result.returncode == 0, result.stderr
    scenario = load_scenario(files[0])
    expected = gap_report(scenario, read_rota_json(files[1], scenario)).to_json()
    assert json.loads(result.stdout) == expected
    assert expected["rota_version"] == 3
    assert [g["cause"] for g in expected["gaps"]] == ["too_slow"]


def test_gaps_table_names_the_cause_and_the_exposure(files):
    result = run("gaps", str(files[0]), str(files[1]))
    assert result.returncode == 0, result.stderr
    assert "too_slow" in result.stdout and "4,000 EUR" in result.stdout
    assert "Coverage by region" in result.stdout


def test_gaps_csv_and_window(files, tmp_path):
    out = tmp_path / "gaps.csv"
    result = run("gaps", str(files[0]), str(files[1]), "--format", "csv", "-o", str(out),
                 "--from", "2026-12-08T00:00Z", "--to", "2026-12-09T00:00Z")
    assert result.returncode == 0, result.stderr
    lines = out.read_text().splitlines()
    assert lines[0].startswith("region,severity,start,end,minutes")
    assert len(lines) == 2 and ",too_slow," in lines[1]


def test_now_json_matches_the_core(files):
    result = run("now", str(files[0]), str(files[1]), "--at", "2026-12-07T19:00:00Z", "--format", "json")
    assert result.returncode == 0, result.stderr
    scenario = load_scenario(files[0])
    expected = who_responds(scenario, read_rota_json(files[1], scenario), at("2026-12-07T19:00Z"))
    assert json.loads(result.stdout) == expected


def test_now_table_is_readable(files):
    result = run("now", str(files[0]), str(files[1]), "--at", "2026-12-08T19:00:00Z", "--region", "eu")
    assert result.returncode == 0, result.stderr
    assert "NOT COVERED" in result.stdout and "raj" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--severity", "P7"], "--severity: 'P7' is not one of P0, P1, P2, P3"),
    (["--at", "yesterday"], "--at: not an ISO 8601 date-time"),
    (["--region", "mars"], "no region 'mars'"),
], ids=["bad severity", "bad instant", "unknown region"])
def test_now_rejects_bad_options_plainly(files, args, message):
    result = run("now", str(files[0]), str(files[1]), *args)
    assert result.returncode in (1, 2)
    assert message in result.stderr and "Traceback" not in result.stderr


def test_rota_naming_an_unknown_engineer_is_refused_with_its_path(files, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**ROTA, "shifts": [{"engineer": "zed", "start": "2026-12-07T17:00:00Z",
                                                   "end": "2026-12-07T16:00:00Z"}]}))
    result = run("gaps", str(files[0]), str(bad))
    assert result.returncode == 2
    assert "shifts[0].engineer: unknown engineer 'zed'" in result.stderr
    assert "shifts[0].end: ends before it starts" in result.stderr


@pytest.mark.parametrize(("window", "message"), [
    (["--from", "2026-12-09T00:00Z", "--to", "2026-12-08T00:00Z"], "to: the window ends before it starts"),
    (["--from", "2026-01-01", "--to", "2028-01-01"], "to: a window spans at most 366 days"),
], ids=["inverted", "too long"])
def test_gaps_refuses_a_bad_window(files, window, message):
    result = run("gaps", str(files[0]), str(files[1]), *window)
    assert result.returncode == 2 and message in result.stderr
