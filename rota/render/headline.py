"""The report's headline numbers, and where a hire would close the structural gaps.

The numbers are the gap report's own (the same as the terminal table's headline and the JSON
`summary`): P0 peak coverage, exposure per currency, structural hours (the scenario's bound over the
window, the same whatever rota is reported). Hire advice is the report's `hiring`, i.e.
`rota.hiring.hire_suggestions`: the one answer the plan's report, `rota gaps` and the API give too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rota.hiring import HireSuggestion
from rota.report import GapReport
from rota.scenario import Scenario


@dataclass(frozen=True)
class Headline:
    p0_peak_required: int
    p0_peak_covered: int
    exposure: dict[str, float]  # currency ("" when none is given) -> amount
    structural_seconds: int
    hires: list[HireSuggestion]
    hire_candidates_listed: bool  # the scenario names its own hire candidates

    @property
    def p0_peak_coverage(self) -> float | None:
        if not self.p0_peak_required:
            return None
        return self.p0_peak_covered / self.p0_peak_required


def headline(scenario: Scenario, report: GapReport) -> Headline:
    return Headline(
        p0_peak_required=sum(r.required_seconds for r in report.p0_peak),
        p0_peak_covered=sum(r.covered_seconds for r in report.p0_peak),
        exposure={c or "": amount for c, amount in report.exposure_totals().items()},
        structural_seconds=sum(r.structural_gap_seconds for r in report.regions),
        hires=report.hiring,
        hire_candidates_listed=scenario.hiring is not None and bool(scenario.hiring.candidates),
    )
