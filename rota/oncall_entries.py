"""On-call entries: maximal intervals in which one engineer is on call for one region at one level.

This is the escalation view of a rota that the compatibility APIs (PagerDuty's on-calls and
schedule entries, Opsgenie's participants), the handoff list and the `rota_oncall_info` metric
share, so they can never disagree with `now`:

- level 1: on call, serving the region, not on leave, and answering within the target in force at
  that instant (the severity the region requires then; where it requires nothing, its peak
  severity). This is exactly `now`'s `meets_target`, i.e. the region's qualified responders;
- level 2: on call for the region but slower than that target (asleep, say) or on leave.

An entry ends where the engineer goes off call or changes level (a peak starting with a tighter
target can move someone asleep from level 1 to level 2 without any shift edge). Entries are cut to
the analysis range of the `TeamTime` they come from: nothing is known outside it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from rota.scenario import Region
from rota.spans import Instant, Span, intersect, merge, subtract
from rota.team import Group, TeamTime

LEVELS = (1, 2)


@dataclass(frozen=True)
class Entry:
    """`engineer` is on call for `region` at `level` over [start, end)."""

    region: str
    engineer: str
    level: int
    start: Instant
    end: Instant


def target_spans(team: TeamTime, region: Region) -> dict[int, list[Span]]:
    """Where each response target (minutes) is in force for the region over the team's range."""
    by_target: dict[int, list[Span]] = defaultdict(list)
    demand = team.demand[region.id]
    for d in demand:
        by_target[d.target_minutes].append((d.start, d.end))
    peak_target = team.scenario.severities.target(region.peak.severity)
    rest = subtract([(team.lo, team.hi)], merge((d.start, d.end) for d in demand))
    by_target[peak_target].extend(rest)
    return {target: merge(spans) for target, spans in by_target.items()}


def _fast_spans(group: Group, targets: dict[int, list[Span]]) -> list[Span]:
    """Where a member of the group answers within the target in force (leave aside)."""
    spans: list[Span] = []
    for target, where in targets.items():
        fast = group.fast(target)
        spans += intersect(list(zip(fast.starts.tolist(), fast.ends.tolist(), strict=True)), where)
    return merge(spans)


def region_entries(team: TeamTime, on_call: dict[str, list[Span]], region: Region) -> list[Entry]:
    """Every entry of the region, sorted by start, then level, then engineer."""
    targets = target_spans(team, region)
    out: list[Entry] = []
    for group, members in team.serving(region):
        fast: list[Span] | None = None
        for engineer in members:
            on = on_call.get(engineer.id)
            if not on:
                continue
            if fast is None:
                fast = _fast_spans(group, targets)
            level1 = subtract(intersect(on, fast), team.leave.get(engineer.id, []))
            level2 = subtract(on, level1)
            out += [Entry(region.id, engineer.id, 1, s, e) for s, e in level1]
            out += [Entry(region.id, engineer.id, 2, s, e) for s, e in level2]
    out.sort(key=lambda x: (x.start, x.level, x.engineer))
    return out


class EntryIndex:
    """One region's entries, answering "which overlap [since, until)" without a full scan.

    `changes` (sorted) are the instants at which the entries containing an instant, or their
    `fastest_key` order, may change: entry edges, and the band, holiday and leave edges of the
    engineers serving the region. Between two of them an answer "on call at ts" is the same for
    every ts (`steady`).
    """

    def __init__(self, entries: list[Entry], changes: list[Instant] | None = None) -> None:
        self.entries = entries
        self.changes = sorted({x for e in entries for x in (e.start, e.end)}
                              if changes is None else changes)
        self._by_end = sorted(entries, key=lambda x: (x.end, x.start, x.level, x.engineer))
        self._ends = [x.end for x in self._by_end]
        self._longest = max((x.end - x.start for x in entries), default=0)

    def overlapping(self, since: Instant, until: Instant) -> list[Entry]:
        """Entries overlapping [since, until); with since == until, those containing that instant.

        Sorted by start, then level, then engineer.
        """
        found: list[Entry] = []
        for entry in self._by_end[bisect.bisect_right(self._ends, since):]:
            if entry.end - self._longest > until:
                break
            if entry.start < until or (since == until and entry.start <= since):
                found.append(entry)
        found.sort(key=lambda x: (x.start, x.level, x.engineer))
        return found

    def steady(self, ts: Instant) -> tuple[Instant | None, Instant | None]:
        """The span [lo, hi) around `ts` between two changes (None: unbounded on that side)."""
        i = bisect.bisect_right(self.changes, ts)
        return (self.changes[i - 1] if i else None,
                self.changes[i] if i < len(self.changes) else None)


def entry_indexes(team: TeamTime, on_call: dict[str, list[Span]]) -> dict[str, EntryIndex]:
    """An `EntryIndex` per region of the team."""
    out = {}
    for region in team.scenario.regions:
        entries = region_entries(team, on_call, region)
        changes = {team.lo, team.hi, *(x for e in entries for x in (e.start, e.end))}
        for group, members in team.serving(region):
            changes.update(group.edges().tolist())
            changes.update(x for e in members for span in team.leave.get(e.id, ()) for x in span)
        out[region.id] = EntryIndex(entries, sorted(changes))
    return out


def fastest_key(team: TeamTime, engineer: str, ts: Instant) -> tuple[bool, int, str]:
    """`now`'s order of responders at `ts`: not on leave first, then by response minutes."""
    ts = min(max(ts, team.lo), team.hi - 1)
    _, minutes = team.group_of[engineer].response_at(ts)
    on_leave = any(s <= ts < e for s, e in team.leave.get(engineer, ()))
    return on_leave, minutes, engineer
