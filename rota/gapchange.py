"""What a change (leave, an override) does to a rota's gaps: uncovered time it opens and closes.

Both states' gaps are found over the same window as `rota.report.gap_report` finds them
(`window_gaps`: the gaps alone, not the rest of the report); `opens` is uncovered
time only the new state has (with the new gap's cause), `closes` uncovered time only the old one
had (with the old gap's cause).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rota.coverage import Gap
from rota.report import minutes, window_gaps
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import Span, iso_z, merge, subtract


def gap_changes(before: tuple[Scenario, Rota], after: tuple[Scenario, Rota], lo: dt.datetime,
                hi: dt.datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(opens, closes) over [lo, hi)."""
    old = window_gaps(*before, lo, hi)
    new = window_gaps(*after, lo, hi)
    return uncovered_minus(new, old), uncovered_minus(old, new)


def uncovered_minus(gaps: list[Gap], other: list[Gap]) -> list[dict[str, Any]]:
    """The parts of `gaps` that no gap of `other` in the same region covers."""
    by_region: dict[str, list[Span]] = {}
    for gap in other:
        by_region.setdefault(gap.region, []).append((gap.start, gap.end))
    out = []
    for gap in gaps:
        for start, end in subtract([(gap.start, gap.end)], merge(by_region.get(gap.region, []))):
            out.append({"region": gap.region, "severity": gap.severity, "start": iso_z(start),
                        "end": iso_z(end), "minutes": minutes(end - start),
                        "required": gap.required, "qualified": gap.qualified, "cause": gap.cause})
    return out
