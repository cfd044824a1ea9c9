"""What a change (leave, an override) does to a rota's gaps: uncovered time it opens and closes.

Both states are analysed over the same window with `rota.report.gap_report`; `opens` is uncovered
time only the new state has (with the new gap's cause), `closes` uncovered time only the old one
had (with the old gap's cause).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rota.coverage import Gap
from rota.report import gap_report, minutes
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import Span, iso_z, merge, subtract


def gap_changes(before: tuple[Scenario, Rota], after: tuple[Scenario, Rota], lo: dt.datetime,
                hi: dt.datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(opens, closes) over [lo, hi)."""
    old = gap_report(*before, lo, hi).gaps
    new = gap_report(*after, lo, hi).gaps
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
