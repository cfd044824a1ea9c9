"""The report page of a planned rota says what the planner achieved, as the rota file does:
proved optimal, improved but not proved (with the gap of the stage it names), or only the
constructive start. A rota that was not planned has no such line."""

from __future__ import annotations

import pytest
from pagekit import elements

from domain import rota, scenario, shift
from rota.planner import PlanOptions, plan
from rota.render.html import report_page
from rota.report import gap_report
from rota.rotafile import Rota, SolverInfo

TEAM = dict(
    horizon={"start": "2026-12-07", "days": 3},
    regions=[{"id": "eu", "timezone": "Europe/Berlin",
              "peak_windows": [{"start": "19:00", "end": "23:00"}],
              "peak": {"severity": "P0", "responders": 1}}],
    engineers=[{"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"]},
               {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]}],
)


def _note(page: str) -> tuple[str, str]:
    (note,) = [e for e in elements(page) if e.attrs.get("id") == "achieved"]
    start = page.index('id="achieved"')
    return note.attrs["data-achieved"], page[start:page.index("</p>", start)]


def _solved(achieved: dict[str, object]) -> Rota:
    planned = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z"))
    return planned.model_copy(update={"solver": SolverInfo(status="FEASIBLE", seconds=4.0,
                                                           **achieved)})


def test_a_planned_rota_page_says_what_its_rota_file_says() -> None:
    team = scenario(**TEAM)
    result = plan(team, PlanOptions(time_limit_seconds=20, workers=1, deterministic=True))
    assert result.rota.solver is not None
    achieved = (result.rota.solver.model_extra or {})["achieved"]
    shown, text = _note(report_page(team, result.rota, gap_report(team, result.rota)))
    assert shown == achieved == result.report["achieved"]
    label = {"proved_optimal": "Proved optimal", "improved": "Improved, not proved optimal",
             "constructive": "Constructive start only"}[achieved]
    assert label in text


@pytest.mark.parametrize(("achieved", "says"), [
    ({"achieved": "proved_optimal", "gap_stage": None, "gap": 0.0}, "Proved optimal"),
    ({"achieved": "improved", "gap_stage": "uncovered", "gap": 0.1234},
     "all-demand coverage</i> (<code>uncovered</code>) has an optimality gap of <b>12.3%</b>"),
    ({"achieved": "improved", "gap_stage": None, "gap": None}, "no bound to measure a gap against"),
    ({"achieved": "constructive", "gap_stage": None, "gap": None}, "Constructive start only"),
])
def test_each_achievement_is_worded_with_the_gap_of_the_stage_it_names(
    achieved: dict[str, object], says: str
) -> None:
    team = scenario(**TEAM)
    planned = _solved(achieved)
    shown, text = _note(report_page(team, planned, gap_report(team, planned)))
    assert shown == achieved["achieved"]
    assert says in text
    assert "in 4.0 s" in text


def test_a_rota_not_planned_has_no_achievement_line() -> None:
    team = scenario(**TEAM)
    drawn = rota("t", shift("ana", "2026-12-07T17:00Z", "2026-12-07T23:00Z"))
    assert 'id="achieved"' not in report_page(team, drawn, gap_report(team, drawn))
