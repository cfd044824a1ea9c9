"""Shifts the plan must contain (pins, and shifts of `previous` already started) and those it may keep.

A pin that breaks a hard rule is the user's error: `PlanningError` names the pin and the rule, and
for rules between two shifts (rest, one per day, weekly hours, consecutive days) the other shift.
Shifts of `previous` that start before `now` are facts and are kept as they were, rules aside.
Later shifts of `previous` that still fit the rules are offered as candidates, so they can be kept.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rota.errors import PlanningError
from rota.planner.candidates import Candidate, blocked_spans, local_day_of
from rota.planner.rules import WEEK_SECONDS, minutes_inside
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import iso_z, to_ts
from rota.team import TeamTime
from rota.zones import zone


def describe(scenario: Scenario, c: Candidate, label: str) -> str:
    who = scenario.engineers[c.eng].id
    return f"{label} ({who} {iso_z(c.start)} to {iso_z(c.end)})"


def single_rule_breaks(scenario: Scenario, team: TeamTime, c: Candidate) -> list[str]:
    """The hard rules one shift breaks on its own (empty when it could be planned)."""
    rules = scenario.rules
    engineer = scenario.engineers[c.eng]
    broken = []
    length = c.end - c.start
    if length % 900 or not rules.shift_hours.min * 3600 <= length <= rules.shift_hours.max * 3600:
        broken.append(f"shift_hours ({rules.shift_hours.min:g}-{rules.shift_hours.max:g} h, "
                      "on the quarter hour)")
    local = dt.datetime.fromtimestamp(c.start, zone(engineer.timezone))
    if (local.hour * 60 + local.minute) % rules.shift_start_step_minutes or local.second:
        broken.append(f"shift_start_step_minutes ({rules.shift_start_step_minutes} in "
                      f"{engineer.timezone}, starts {local:%H:%M} local)")
    for s, e in team.leave.get(engineer.id, []):
        if s < c.end and c.start < e:
            broken.append("leave")
            break
    if not rules.work_on_public_holidays:
        for s, e in team.group_of[engineer.id].profile.holidays:
            if s < c.end and c.start < e:
                broken.append("public_holidays (work_on_public_holidays is false)")
                break
    return broken


def pin_candidates(scenario: Scenario, team: TeamTime) -> list[tuple[str, Candidate]]:
    index = {e.id: i for i, e in enumerate(scenario.engineers)}
    out = []
    for n, pin in enumerate(scenario.pins):
        eng = index[pin.engineer]
        start, end = to_ts(pin.start), to_ts(pin.end)
        c = Candidate(eng, local_day_of(scenario.engineers[eng], start), start, end, forced="pin")
        label = describe(scenario, c, f"pins[{n}]")
        broken = single_rule_breaks(scenario, team, c)
        if broken:
            raise PlanningError(f"{label} breaks the hard rule {broken[0]}")
        out.append((label, c))
    return out


def previous_candidates(
    scenario: Scenario, team: TeamTime, previous: Rota | None, now: int | None
) -> tuple[list[tuple[str, Candidate]], list[Candidate]]:
    """(frozen shifts with labels, keepable later shifts) of the previous rota."""
    if previous is None:
        return [], []
    index = {e.id: i for i, e in enumerate(scenario.engineers)}
    frozen, keep = [], []
    for n, shift in enumerate(previous.shifts):
        if shift.engineer not in index:
            continue
        eng = index[shift.engineer]
        start, end = to_ts(shift.start), to_ts(shift.end)
        if end <= team.lo or start >= team.hi:
            continue
        c = Candidate(eng, local_day_of(scenario.engineers[eng], start), start, end, previous=True)
        if now is not None and to_ts(shift.start) < now:
            c.forced = "frozen"
            frozen.append((describe(scenario, c, f"previous shifts[{n}], started before --now"), c))
        elif not single_rule_breaks(scenario, team, c):
            keep.append(c)
    return frozen, keep


def rules_hold(scenario: Scenario, team: TeamTime, shifts: list[Candidate]) -> bool:
    """Whether these shifts together keep the rules between shifts (a rota to start from)."""
    try:
        check_forced_together(scenario, team, [("", c) for c in shifts], strict=True)
    except PlanningError:
        return False
    return True


def check_forced_together(
    scenario: Scenario, team: TeamTime, forced: list[tuple[str, Candidate]], strict: bool = False
) -> None:
    """Rules between forced shifts: one per day, rest, weekly hours, consecutive days.

    Two shifts of `previous` that started before `now` on one local date are history and pass,
    unless `strict`.
    """
    rest = round(scenario.rules.min_rest_hours * 3600)
    by_eng: dict[int, list[tuple[str, Candidate]]] = defaultdict(list)
    for label, c in forced:
        by_eng[c.eng].append((label, c))
    for eng, items in by_eng.items():
        items.sort(key=lambda item: item[1].start)
        for (la, a), (lb, b) in zip(items, items[1:], strict=False):
            if a.day == b.day and (strict or a.forced == "pin" or b.forced == "pin"):
                raise PlanningError(f"{lb} breaks the hard rule one_shift_per_day with {la}")
            if b.start < a.end + rest:
                raise PlanningError(
                    f"{lb} breaks the hard rule min_rest_hours ({scenario.rules.min_rest_hours:g} h) "
                    f"after {la}")
        _check_weekly(scenario, team, eng, items)
        _check_consecutive(scenario, items)


def _check_weekly(scenario: Scenario, team: TeamTime, eng: int, items: list[tuple[str, Candidate]]) -> None:
    cap = round(scenario.weekly_hours_cap(scenario.engineers[eng]) * 60)
    for block in range(team.lo, team.hi, WEEK_SECONDS):
        inside = [(label, minutes_inside(c, block, block + WEEK_SECONDS)) for label, c in items]
        inside = [(label, m) for label, m in inside if m]
        if sum(m for _, m in inside) > cap:
            names = ", ".join(label for label, _ in inside)
            raise PlanningError(
                f"{names} together break the hard rule max_hours_per_week ({cap / 60:g} h in the "
                f"week from {iso_z(block)})")


def _check_consecutive(scenario: Scenario, items: list[tuple[str, Candidate]]) -> None:
    limit = scenario.rules.max_consecutive_days
    days = sorted({c.day for _, c in items})
    run = 1
    for a, b in zip(days, days[1:], strict=False):
        run = run + 1 if (b - a).days == 1 else 1
        if run > limit:
            names = ", ".join(label for label, c in items if (b - c.day).days < run)
            raise PlanningError(
                f"{names} together break the hard rule max_consecutive_days ({limit})")


__all__ = ["blocked_spans", "check_forced_together", "pin_candidates", "previous_candidates"]
