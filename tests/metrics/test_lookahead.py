"""Looking ahead from an instant gives the gap report's figures for that window, in O(log n)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from servekit import ROTA, SCENARIO

from rota.coverage import CAUSES
from rota.lookahead import RegionLookahead
from rota.now import NowIndex
from rota.report import gap_report
from rota.spans import from_ts
from rota.team import horizon_range

INDEX = NowIndex(SCENARIO, ROTA)
LO, HI = horizon_range(SCENARIO)
LOOK = {r.id: RegionLookahead(INDEX.sweep(r), LO, HI) for r in SCENARIO.regions}


@settings(max_examples=60, deadline=None)
@given(st.integers(LO, HI - 3600), st.sampled_from([3600, 86400, 7 * 86400]), st.sampled_from(["eu", "apac"]))
def test_a_window_from_any_instant_equals_the_gap_report(start: int, seconds: int, region: str) -> None:
    end = min(start + seconds, HI)
    report = gap_report(SCENARIO, ROTA, from_ts(start), from_ts(end), region)
    by_cause: dict[tuple[str, str], int] = defaultdict(int)
    for gap in report.gaps:
        by_cause[(gap.severity, gap.cause)] += gap.seconds
    for window in LOOK[region].window(start, seconds):
        [expected] = gap_report(SCENARIO, ROTA, from_ts(start), from_ts(end), region,
                                window.severity).regions
        assert (window.required, window.covered, window.structural) == (
            expected.required_seconds, expected.covered_seconds, expected.structural_gap_seconds)
        assert window.uncovered == {c: by_cause[(window.severity, c)] for c in CAUSES}


def test_windows_are_cut_to_the_horizon() -> None:
    [p0] = [w for w in LOOK["apac"].window(LO - 7 * 86400, 7 * 86400) if w.severity == "P0"]
    assert (p0.required, p0.ratio) == (0, 1.0)
    [p0] = [w for w in LOOK["apac"].window(HI - 86400, 7 * 86400) if w.severity == "P0"]
    assert p0.required == 4 * 3600  # one evening peak left


def test_next_gap_start_is_the_open_gap_or_the_next_one() -> None:
    apac = LOOK["apac"]
    # apac's peak is 11:00-15:00 UTC daily and Chen is its only engineer, rarely on call then.
    assert apac.next_gap_start("P0", LO) == LO + 11 * 3600
    assert apac.next_gap_start("P0", LO + 12 * 3600) == LO + 11 * 3600  # open now
    assert apac.next_gap_start("P0", LO + 16 * 3600) == LO + 86400 + 11 * 3600
    assert apac.next_gap_start("P0", HI) is None
