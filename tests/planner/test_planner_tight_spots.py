"""Where barely enough engineers could qualify, they are offered every shift the rules allow."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from plan_checker import make_scenario, violations

from rota.planner import PlanOptions, plan
from rota.planner.qualifiers import tight_spans
from rota.team import horizon_range, team_time

# Ana is back from leave at 15:00 Berlin on Tuesday and is the only one who can answer then; a
# 10-hour shift from 15:00 covers the rest of the horizon. The thinned grid starts at 14:00 or
# 16:00 (14:00 overlaps her leave), which leaves an hour open.
BACK_AT_THREE = {
    "horizon": {"start": "2026-12-07", "days": 2},
    "regions": [{"id": "eu", "timezone": "Europe/Berlin",
                 "peak_windows": [{"days": ["sat", "sun"], "start": "18:00", "end": "23:00"}],
                 "peak": {"severity": "P0", "responders": 1},
                 "off_peak": {"severity": "P2", "responders": 1}}],
    "engineers": [{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"],
                   "unavailable": [{"start": "2026-12-07", "end": "2026-12-08T14:00:00Z"}]}],
}


def test_a_shift_flush_with_the_end_of_leave_is_offered_where_she_alone_can_answer() -> None:
    scenario = make_scenario(**BACK_AT_THREE)
    result = plan(scenario, PlanOptions(time_limit_seconds=5.0, workers=2))
    cov = result.report
    assert cov["uncovered_minutes"] == cov["structural_minutes"]
    berlin = ZoneInfo("Europe/Berlin")
    assert [(s.start.astimezone(berlin).time(), s.end - s.start) for s in result.rota.shifts] == [
        (dt.time(15), dt.timedelta(hours=10))]
    assert violations(scenario, result.rota) == []


def test_without_tight_spots_the_thinned_grid_leaves_the_hour_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same team with the densification switched off: what the test above guards against."""
    monkeypatch.setattr("rota.planner.gathering.tight_spans", lambda team: tight_spans(team, slack=-10))
    scenario = make_scenario(**BACK_AT_THREE)
    result = plan(scenario, PlanOptions(time_limit_seconds=5.0, workers=2))
    assert result.report["uncovered_minutes"] == result.report["structural_minutes"] + 60


def test_tight_spans_are_where_at_most_one_more_than_required_could_qualify() -> None:
    scenario = make_scenario(
        horizon={"start": "2026-12-07", "days": 1},
        engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
                   {"id": "bob", "timezone": "Europe/Berlin", "regions": ["eu"]},
                   {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]}],
    )
    team = team_time(scenario, *horizon_range(scenario))
    # P0 at 18:00-23:00 Berlin (17:00-22:00Z) needs one within 15 minutes. Raj is awake until 23:00
    # in Kolkata (17:30Z): three could answer until then, two after it. Off-peak P2 (120 minutes,
    # asleep counts) all three could answer: never tight.
    after_raj_sleeps = (ts(2026, 12, 7, 17, 30), ts(2026, 12, 7, 22))
    assert tight_spans(team) == {"ana": [after_raj_sleeps], "bob": [after_raj_sleeps]}


def ts(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())
