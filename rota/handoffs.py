"""Handoffs: per region, each instant the set of qualified responders changes, who comes on and
who goes off, with local times (for bots that announce "handing over to Ana (São Paulo, 18:00)").

Qualified responders are the level-1 on-call entries of `rota.oncall_entries` (on call, serving
the region, not on leave, within the target in force), so a handoff is also announced where no
shift changes hands but the target does: at a peak's start someone asleep stops qualifying.

The answer covers [from, to). Entries are computed over the window with a day's margin on each
side, and an edge of that range is never reported as a handoff (nothing is known beyond it), so
the answer for a window does not depend on how far the analysis range reaches: `rota handoffs
--format json` and `GET /v1/teams/{team}/handoffs` give the same JSON for the same window.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rota.errors import FieldError, InvalidInput, NotFound
from rota.limits import MAX_HORIZON_DAYS
from rota.oncall import rota_on_call
from rota.oncall_entries import region_entries
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import Instant, Span, iso_z
from rota.team import TeamTime, team_time
from rota.zones import format_local_ts

MARGIN = 86400


def check_window(lo: Instant, hi: Instant) -> None:
    if hi <= lo:
        raise InvalidInput([FieldError("to", "the window ends before it starts")], "window")
    if hi - lo > MAX_HORIZON_DAYS * 86400:
        raise InvalidInput([FieldError("to", f"a window spans at most {MAX_HORIZON_DAYS} days")],
                           "window")


def handoff_report(scenario: Scenario, rota: Rota, lo: Instant, hi: Instant,
                   region: str | None = None) -> dict[str, Any]:
    """The handoffs of `rota` in [lo, hi), one region or all."""
    check_window(lo, hi)
    team = team_time(scenario, lo - MARGIN, hi + MARGIN)
    return handoffs_from(team, rota_on_call(rota, team.lo, team.hi), rota.version, lo, hi, region)


def handoffs_from(team: TeamTime, on_call: dict[str, list[Span]], version: int | None,
                  lo: Instant, hi: Instant, region: str | None = None) -> dict[str, Any]:
    """`handoff_report` over an analysis range already built (it must reach past [lo, hi))."""
    scenario = team.scenario
    if region is not None and region not in scenario.region_by_id:
        raise NotFound(f"no region {region!r} in team {scenario.team!r}")
    regions = [scenario.region_by_id[region]] if region else list(scenario.regions)
    answers = []
    for r in regions:
        changes: dict[Instant, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        qualified = [x for x in region_entries(team, on_call, r) if x.level == 1]
        for entry in qualified:
            changes[entry.start][0].append(entry.engineer)
            changes[entry.end][1].append(entry.engineer)
        handoffs = []
        for ts in sorted(t for t in changes if lo <= t < hi and team.lo < t < team.hi):
            coming, going = changes[ts]
            after = sorted(x.engineer for x in qualified if x.start <= ts < x.end)
            handoffs.append({
                "at": iso_z(ts),
                "local_time": format_local_ts(ts, r.timezone),
                "on": [_person(scenario, e, ts) for e in sorted(coming)],
                "off": [_person(scenario, e, ts) for e in sorted(going)],
                "responders": after,
            })
        answers.append({"region": r.id, "timezone": r.timezone, "handoffs": handoffs})
    return {"team": scenario.team, "from": iso_z(lo), "to": iso_z(hi), "rota_version": version,
            "regions": answers}


def _person(scenario: Scenario, engineer_id: str, ts: Instant) -> dict[str, Any]:
    engineer = scenario.engineer_by_id[engineer_id]
    return {"engineer": engineer.id, "name": engineer.label, "timezone": engineer.timezone,
            "local_time": format_local_ts(ts, engineer.timezone)}
