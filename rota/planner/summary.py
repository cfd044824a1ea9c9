"""The planned rota and its report, re-checked with the core's own gap analysis.

Coverage figures come from `rota.report.report_from` run on the written rota, not from the model's
shortfall variables, so the report states what `rota gaps` will show.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from rota.forced import forced_burden
from rota.history import History, carried_json, lookback_window
from rota.oncall import rota_on_call
from rota.planner.build import PlanModel
from rota.planner.candidates import Candidate
from rota.planner.explain import ChosenIndex, binding_rules, structural_bound
from rota.planner.outcome import stage_gap
from rota.planner.search import SearchResult
from rota.report import GapReport, gap_json, report_from
from rota.rotafile import Rota, Shift, SolverInfo
from rota.scenario import Scenario
from rota.spans import from_ts, iso_z, to_ts
from rota.team import TeamTime

if TYPE_CHECKING:
    from rota.planner import PlanOptions

EXPLAINED_GAPS = 100  # the largest non-structural gaps get their binding rules named
EXPLAINED_GAPS_SHORT = 20  # when the time limit is nearly spent


def to_rota(
    scenario: Scenario, cands: list[Candidate], search: SearchResult, previous: Rota | None,
    achieved: dict[str, Any] | None = None,
) -> Rota:
    """The chosen shifts as a rota; its `solver` block says what was achieved (`outcome.py`)."""
    chosen = sorted((cands[i] for i in search.chosen or []), key=lambda c: (c.start, c.eng))
    first = search.stages[0] if search.stages and not (
        achieved and achieved["achieved"] == "constructive") else None
    return Rota(
        team=scenario.team,
        version=(previous.version + 1) if previous is not None else 1,
        horizon=scenario.horizon,
        shifts=tuple(
            Shift(engineer=scenario.engineers[c.eng].id, start=from_ts(c.start), end=from_ts(c.end))
            for c in chosen
        ),
        solver=SolverInfo(
            status=search.status,
            objective=first.lead_value if first else None,
            bound=first.lead_bound if first else None,
            seconds=round(search.seconds, 3),
            **(achieved or {}),
        ),
    )


def optimality_gap(value: float | None, bound: float | None) -> float | None:
    if value is None or bound is None:
        return None
    if abs(value) < 1e-9:
        return 0.0
    return round(max(value - bound, 0.0) / abs(value), 6)


def coverage_gap(search: SearchResult) -> float | None:
    """The optimality gap of the all-coverage stage (`uncovered`, alone or with `changes`)."""
    stage = next((s for s in search.stages if s.name.startswith("uncovered")), None)
    return optimality_gap(stage.lead_value, stage.lead_bound) if stage else None


def peak_proved(search: SearchResult) -> bool:
    """True when the peak stage was proved optimal: no rota of the candidates covers more peak."""
    return bool(search.stages) and search.stages[0].name == "peak_uncovered" \
        and search.stages[0].status == "OPTIMAL"


def build_report(
    scenario: Scenario, team: TeamTime, pm: PlanModel | None, cands: list[Candidate],
    search: SearchResult, rota: Rota, options: PlanOptions, explained: int = EXPLAINED_GAPS,
    deadline: float | None = None,
) -> dict[str, Any]:
    """The plan's report; `pm` is None when no model was built (the constructive start only)."""
    core = report_from(team, rota)
    first = search.stages[0] if search.stages else None
    bound = structural_bound(team)
    report: dict[str, Any] = {
        "status": search.status,
        "stopped": search.stopped,
        "seconds": round(search.seconds, 3),
        "objective": first.lead_value if first else None,
        "bound": first.lead_bound if first else None,
        "optimality_gap": stage_gap(first) if first else None,
        "coverage_optimality_gap": coverage_gap(search),
        "stages": [s.to_json() for s in search.stages],
        "model": {"candidates": len(cands), "coverage_rows": len(pm.rows) if pm else None,
                  "shifts": len(rota.shifts)},
        "coverage": coverage_summary(team, core),
        "structural_bound": bound,
        "uncovered_minutes": sum(g.seconds for g in core.gaps) // 60,
        "structural_minutes": sum(r["minutes"] for r in bound.values()),
        "hire_suggestions": [h.to_json() for h in core.hiring],
    }
    report["gaps"], report["binding_rules"] = explain_gaps(scenario, team, cands, search, core,
                                                              explained, deadline)
    report["burden"] = [b.to_json() for b in core.engineers]
    history = options.history or History(*lookback_window(scenario), scenario.fairness.lookback_days)
    forced = forced_burden(team, rota_on_call(rota, team.lo, team.hi))
    report["carried"] = carried_json(scenario, history, core.engineers, forced)
    report["fairness"] = fairness_figures(scenario, core)
    if options.previous is not None:
        report["changes"] = changed_shifts(options.previous, rota, team.lo, team.hi)
    return report


def coverage_summary(team: TeamTime, core: GapReport) -> dict[str, Any]:
    p0_peak = sum(d.end - d.start for ds in team.demand.values() for d in ds
                  if d.peak and d.severity == "P0" and d.responders > 0)
    missed = [g for g in core.gaps if g.peak and g.severity == "P0"]
    uncovered = sum(g.seconds for g in missed)
    return {
        "p0_peak_required_minutes": p0_peak // 60,
        "p0_peak_uncovered_minutes": uncovered // 60,
        "p0_peak_non_structural_uncovered_minutes":
            sum(g.seconds for g in missed if not g.structural) // 60,
        "p0_peak_coverage": round(1 - uncovered / p0_peak, 4) if p0_peak else 1.0,
        "regions": [r.to_json() for r in core.regions],
    }


def explain_gaps(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], search: SearchResult,
    core: GapReport, limit: int = EXPLAINED_GAPS, deadline: float | None = None,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Binding rules for the non-structural gaps, peak gaps first, then the largest.

    A peak gap left when the peak stage was proved optimal is `rules_forbid_more`: no rota covers
    more peak demand (over every shift the rules allow when the report's `model.peak_grid` is
    "full", see `peakproof.py`), so its binding rules are why, not a search shortfall.
    """
    index = ChosenIndex(scenario, team, cands, search.chosen or [])
    worst = sorted((g for g in core.gaps if not g.structural), key=lambda g: (not g.peak, -g.seconds))
    explained = {}
    for g in worst[:limit]:
        if deadline is not None and time.monotonic() > deadline:
            break  # the time limit is spent: the largest gaps are explained, the rest not
        explained[id(g)] = binding_rules(index, g)
    proved = peak_proved(search)
    totals: Counter[str] = Counter()
    out = []
    for g in core.gaps:
        item = gap_json(g)
        if id(g) in explained:
            item["binding_rules"] = explained[id(g)]
            for rule in explained[id(g)]:
                totals[rule] += g.seconds // 60
        if g.peak and not g.structural:
            item["rules_forbid_more"] = proved
        out.append(item)
    return out, dict(totals)


def fairness_figures(scenario: Scenario, core: GapReport) -> dict[str, Any]:
    """Spread (max - min) of each burden per 40 h of weekly capacity, over all engineers."""
    figures: dict[str, list[float]] = {"on_call": [], "off_hours": [], "asleep": [], "night": [],
                                       "weekend": []}
    for b in core.engineers:
        per = 40 / scenario.weekly_hours_cap(scenario.engineer_by_id[b.engineer]) / 3600
        figures["on_call"].append(b.on_call_seconds * per)
        figures["off_hours"].append((b.on_call_seconds - b.seconds_by_band["working"]) * per)
        figures["asleep"].append(b.seconds_by_band["asleep"] * per)
        figures["night"].append(b.night_seconds * per)
        figures["weekend"].append(b.weekend_seconds * per)
    return {
        f"{name}_hours_per_40h": {"min": round(min(v), 2), "max": round(max(v), 2),
                                  "spread": round(max(v) - min(v), 2)}
        for name, v in figures.items() if v
    }


def changed_shifts(previous: Rota, rota: Rota, lo: int, hi: int) -> dict[str, Any]:
    def key(s: Shift) -> tuple[str, int, int]:
        return (s.engineer, max(to_ts(s.start), lo), min(to_ts(s.end), hi))

    before = {key(s) for s in previous.shifts if to_ts(s.end) > lo and to_ts(s.start) < hi}
    after = {key(s) for s in rota.shifts}
    removed, added = sorted(before - after, key=lambda k: k[1]), sorted(after - before, key=lambda k: k[1])

    def render(items: list[tuple[str, int, int]]) -> list[dict[str, str]]:
        return [{"engineer": e, "start": iso_z(s), "end": iso_z(t)} for e, s, t in items]

    hours_before = sum(t - s for _, s, t in before) / 3600
    return {
        "kept": len(before & after),
        "removed": render(removed),
        "added": render(added),
        "changed_shift_hours": round(sum(t - s for _, s, t in removed) / 3600, 2),
        "previous_shift_hours": round(hours_before, 2),
    }
