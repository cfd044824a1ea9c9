"""`rota plan --history`: burden carried in from earlier rotas moves the plan toward the engineer
who carried less; bad history files are named, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rota.cli import app

SCENARIO = (Path(__file__).parent / "nights.yaml").read_text()

runner = CliRunner()


def nights(engineer: str, days: range, month: int = 11) -> list[dict[str, str]]:
    return [{"engineer": engineer, "start": f"2026-{month:02d}-{d:02d}T01:00:00Z",
             "end": f"2026-{month:02d}-{d:02d}T05:00:00Z"} for d in days]


def write_rota(path: Path, shifts: list[dict[str, str]], start: str = "2026-11-07", days: int = 30,
               team: str = "nights") -> Path:
    path.write_text(json.dumps({"team": team, "version": 1, "horizon": {"start": start, "days": days},
                                "shifts": shifts}), encoding="utf-8")
    return path


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def plan(scenario: Path, out: Path, *extra: str) -> tuple[int, str, list[str]]:
    result = runner.invoke(app, ["plan", str(scenario), "-o", str(out), "--time-limit", "5",
                                 "--workers", "2", *extra])
    shifts = [s["engineer"] for s in json.loads(out.read_text())["shifts"]] if out.exists() else []
    return result.exit_code, result.output, shifts


def test_history_moves_the_nights_to_the_engineer_who_carried_fewer(scenario: Path, tmp_path: Path) -> None:
    code, output, alone = plan(scenario, tmp_path / "alone.json")
    assert code == 0, output
    assert sorted(alone) == ["ana", "bo"]  # one night each when December stands alone
    nov = write_rota(tmp_path / "nov.json", nights("ana", range(7, 17)) + nights("bo", range(17, 19)))
    report = tmp_path / "report.json"
    code, output, carried = plan(scenario, tmp_path / "dec.json", "--history", str(nov),
                                 "--report", str(report))
    assert code == 0, output
    assert carried == ["bo", "bo"]  # ana carried ten nights in, bo two
    assert "ana      │ 40 + 0 = 40" in output  # the table: carried in + added = carried out
    words = " ".join(output.split())  # the console wraps long lines
    assert "fairness neighbourhoods not run (limit under 10 s" in words  # 5 s: coverage first
    assert "fairness stage not run (limit under about 65 s)" in words
    got = json.loads(report.read_text())["carried"]
    bo = next(e for e in got["engineers"] if e["engineer"] == "bo")
    assert (bo["carried_in"]["night_hours"], bo["added"]["night_hours"], bo["carried_out"]["night_hours"]) \
        == (8, 8, 16)
    assert got["sources"] == [f"--history {nov}"] and got["from"] == "2026-09-08T00:00:00Z"


def test_several_history_files_the_later_replacing_the_earlier_where_they_overlap(
        scenario: Path, tmp_path: Path) -> None:
    # October had bo on many nights; a November re-plan replaced November's first plan, in which
    # ana had them all: only the re-plan counts for November, so ana is the one who carried fewer.
    oct_ = write_rota(tmp_path / "oct.json", nights("bo", range(10, 20), 10), start="2026-10-07", days=31)
    nov_first = write_rota(tmp_path / "nov-v1.json", nights("ana", range(7, 30)))
    nov_replan = write_rota(tmp_path / "nov-v2.json", nights("bo", range(7, 9)))
    code, output, shifts = plan(scenario, tmp_path / "dec.json", "--history", str(oct_),
                                "--history", str(nov_first), "--history", str(nov_replan))
    assert code == 0, output
    assert shifts == ["ana", "ana"]


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("broken.json", '{"team": "nights", "shifts": [', "--history {path}: line 1"),
    ("other.json", None, "--history {path}: team: rota is for 'other'"),
    ("inverted.json", "inverted", "--history {path}: shifts[0].end: ends before it starts"),
    ("nov.ics", "BEGIN:VCALENDAR\n", "--history {path}: an earlier rota must be a rota file (.json)"),
    ("missing.json", "", "--history {path}: no such file"),
], ids=["malformed-json", "another-team", "inverted-shift", "not-json", "missing"])
def test_a_bad_history_file_is_named_exit_2_nothing_written(
        scenario: Path, tmp_path: Path, name: str, content: str | None, expected: str) -> None:
    path = tmp_path / name
    if content is None:
        write_rota(path, nights("ana", range(7, 9)), team="other")
    elif content == "inverted":
        write_rota(path, [{"engineer": "ana", "start": "2026-11-08T05:00:00Z", "end": "2026-11-08T01:00:00Z"}])
    elif content:
        path.write_text(content, encoding="utf-8")
    good = write_rota(tmp_path / "good.json", nights("ana", range(7, 9)))
    out = tmp_path / "dec.json"
    result = runner.invoke(app, ["plan", str(scenario), "-o", str(out), "--history", str(good),
                                 "--history", str(path)])
    assert result.exit_code == 2, result.output
    assert expected.format(path=path) in result.output.replace("\n", " ")
    assert "Traceback" not in result.output and not out.exists()


def test_engineers_no_longer_in_the_team_are_noted_not_refused(scenario: Path, tmp_path: Path) -> None:
    nov = write_rota(tmp_path / "nov.json", nights("ana", range(7, 9)) + nights("zed", range(9, 11)))
    code, output, _ = plan(scenario, tmp_path / "dec.json", "--history", str(nov))
    assert code == 0, output
    assert "zed not in the scenario; their on-call time is left out" in output


def test_lookback_days_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(SCENARIO + "fairness: {lookback_days: 400}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "fairness.lookback_days" in result.output
