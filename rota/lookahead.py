"""Coverage looking ahead from an instant: per region and severity, required, covered, structural
and uncovered-by-cause seconds in [t, t + w), and the next gap, in O(log n) per question.

Built once per rota version from a region's `RegionSweep` (the same judged segments as `gaps` and
`now`), as prefix sums of each measure over the segments; a window is then two look-ups, so a
moving window ("the next 24 hours" at every scrape) costs no new sweep. Its figures equal
`gap_report(...)`'s `region_coverage` for the same window, severity by severity.

Windows are cut to [lo, hi) (the rota's horizon): nothing is known outside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rota.coverage import CAUSES, Cause, RegionSweep
from rota.scenario import SEVERITIES, Severity
from rota.spans import Instant
from rota.spanset import Ints

# measure rows per severity: required, covered, structural, then one per cause
_REQUIRED, _COVERED, _STRUCTURAL = 0, 1, 2
_ROWS = 3 + len(CAUSES)


@dataclass(frozen=True)
class WindowCoverage:
    severity: Severity
    required: int
    covered: int
    structural: int
    uncovered: dict[Cause, int]

    @property
    def ratio(self) -> float:
        """Covered share of the required time; 1.0 where nothing is required."""
        return round(self.covered / self.required, 4) if self.required else 1.0


class RegionLookahead:
    def __init__(self, sweep: RegionSweep, lo: Instant, hi: Instant) -> None:
        self.region = sweep.region.id
        self.lo, self.hi = lo, hi
        self.points: Ints = sweep.points
        self.severities: list[Severity] = [
            s for i, s in enumerate(SEVERITIES) if np.any(sweep.severity == i)]
        required = sweep.required > 0
        covered = required & (sweep.qualified >= sweep.required)
        uncovered = required & ~covered
        # the scenario's bound, as `gaps` counts it: whether or not this rota covers that time
        structural = required & (sweep.eligible < sweep.required)
        rows = []
        for severity in self.severities:
            mine = sweep.severity == SEVERITIES.index(severity)
            rows += [required & mine, covered & mine, structural & mine]
            rows += [uncovered & mine & (sweep.cause == k) for k in range(len(CAUSES))]
        self._rates = np.array(rows, dtype=np.int64).reshape(len(rows), -1)
        durations = np.diff(self.points)
        self._prefix = np.concatenate(
            (np.zeros((len(rows), 1), dtype=np.int64), np.cumsum(self._rates * durations, axis=1)),
            axis=1)
        # gaps split by cause or structural flag are one uncovered stretch for "the next gap"
        self._gaps: dict[Severity, tuple[list[Instant], list[Instant]]] = {}
        for severity in self.severities:
            starts: list[Instant] = []
            ends: list[Instant] = []
            for gap in (g for g in sweep.gaps if g.severity == severity):
                if ends and ends[-1] == gap.start:
                    ends[-1] = gap.end
                else:
                    starts.append(gap.start)
                    ends.append(gap.end)
            self._gaps[severity] = (starts, ends)
        self.required: Ints = sweep.required
        self.severity_index: Ints = sweep.severity

    def _cumulative(self, ts: Instant) -> Ints:
        """Each measure's seconds from the sweep's start to `ts`."""
        points = self.points
        ts = min(max(ts, int(points[0])), int(points[-1]))
        i = min(int(np.searchsorted(points, ts, side="right")) - 1, len(points) - 2)
        result: Ints = self._prefix[:, i] + self._rates[:, i] * (ts - int(points[i]))
        return result

    def window(self, start: Instant, seconds: int) -> list[WindowCoverage]:
        """Per severity the region requires anywhere: its figures over [start, start + seconds)."""
        lo, hi = max(start, self.lo), min(start + seconds, self.hi)
        empty = np.zeros(len(self._rates), dtype=np.int64)
        totals = self._cumulative(hi) - self._cumulative(lo) if hi > lo else empty
        out = []
        for k, severity in enumerate(self.severities):
            row = totals[k * _ROWS:(k + 1) * _ROWS].tolist()
            out.append(WindowCoverage(severity, row[_REQUIRED], row[_COVERED], row[_STRUCTURAL],
                                      dict(zip(CAUSES, row[3:], strict=True))))
        return out

    def required_at(self, ts: Instant) -> int:
        """Responders required at `ts` (0 where nothing is, or outside the sweep)."""
        i = int(np.searchsorted(self.points, ts, side="right")) - 1
        return int(self.required[i]) if 0 <= i < len(self.required) else 0

    def severity_at(self, ts: Instant) -> Severity | None:
        """The severity required at `ts`; None where nothing is."""
        i = int(np.searchsorted(self.points, ts, side="right")) - 1
        if not 0 <= i < len(self.severity_index) or self.severity_index[i] < 0:
            return None
        return SEVERITIES[int(self.severity_index[i])]

    def next_gap_start(self, severity: Severity, ts: Instant) -> Instant | None:
        """The start of the first gap of that severity not over at `ts` (at or before `ts` when
        one is open), inside [lo, hi); None when there is none."""
        starts, ends = self._gaps.get(severity, ([], []))
        i = int(np.searchsorted(np.asarray(ends, dtype=np.int64), ts, side="right"))
        if i < len(starts) and starts[i] < self.hi and ends[i] > self.lo:
            return max(starts[i], self.lo)
        return None
