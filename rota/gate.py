"""The publish gate: every reason a rota should not be published (`rota check`, DESIGN.md).

A rota fails for each hard rule it breaks (`rota/violations.py`, overrides applied), for P0 peak
coverage under a bar, for exposure over a bar, and for being worse than the rota it would replace.
"Worse" means less P0 peak demand covered (in minutes) or more exposure in some currency. Figures
are those of the gap report over the scenario's horizon, so the gate says what `rota gaps` shows.
A rota with no reason against it passes; a gap is never an error here either, only a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rota.errors import FieldError, InvalidInput
from rota.report import GapReport, gap_report
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import iso_z

_AMOUNT = re.compile(r"^\s*([0-9][0-9,_]*(?:\.[0-9]+)?)\s*([A-Za-z]{3})?\s*$")


@dataclass(frozen=True)
class Bar:
    amount: float
    currency: str | None  # None: the rota's one currency


@dataclass(frozen=True)
class Reason:
    kind: str  # "hard_rule", "p0_peak_coverage", "exposure" or "against"
    detail: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, **self.data}


@dataclass(frozen=True)
class Verdict:
    report: GapReport
    reasons: list[Reason]

    @property
    def passed(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "summary": self.report.summary_json(),
                "reasons": [r.to_json() for r in self.reasons]}


def parse_bar(text: str, option: str = "--max-exposure") -> Bar:
    """`1500000`, `1,500,000`, `1500000 USD` or `1500000USD`."""
    match = _AMOUNT.match(text)
    if match is None:
        raise InvalidInput([FieldError(option, f"not an amount (e.g. 1500000 or '1500000 USD'): {text!r}")],
                           "option")
    currency = match[2].upper() if match[2] else None
    return Bar(float(match[1].replace(",", "").replace("_", "")), currency)


def check(scenario: Scenario, rota: Rota, min_p0_peak_coverage: float | None = None,
          max_exposure: Bar | None = None, against: Rota | None = None) -> Verdict:
    """Every reason against publishing `rota` (empty: it passes). Coverage bar in percent."""
    report = gap_report(scenario, rota)
    reasons = [Reason("hard_rule", f"{v.engineer} breaks {v.rule} {iso_z(v.start)}/{iso_z(v.end)}: "
                                   f"{v.detail}", {"violation": v.to_json()})
               for v in report.violations]
    coverage = report.p0_peak_coverage * 100
    if min_p0_peak_coverage is not None and coverage < min_p0_peak_coverage:
        reasons.append(Reason("p0_peak_coverage", f"P0 peak coverage {coverage:.2f}% is under the bar "
                                                  f"of {min_p0_peak_coverage:g}%",
                              {"value": round(coverage, 2), "bar": min_p0_peak_coverage}))
    if max_exposure is not None:
        reasons += _exposure_reasons(report, max_exposure)
    if against is not None:
        reasons += _against_reasons(report, gap_report(scenario, against))
    return Verdict(report, reasons)


def _exposure_reasons(report: GapReport, bar: Bar) -> list[Reason]:
    totals = {c or "": amount for c, amount in report.exposure_totals().items()}
    currency = bar.currency
    if currency is None:
        if len(totals) > 1:
            raise InvalidInput([FieldError("--max-exposure", f"the rota's exposure is in {len(totals)} "
                                           f"currencies ({', '.join(sorted(totals))}): name one, e.g. "
                                           f"'{bar.amount:g} {sorted(totals)[0]}'")], "option")
        currency = next(iter(totals), "")
    amount = totals.get(currency, 0.0)
    if amount <= bar.amount:
        return []
    return [Reason("exposure", f"exposure {_money(amount, currency)} is over the bar of "
                               f"{_money(bar.amount, currency)}",
                   {"value": amount, "bar": bar.amount, "currency": currency or None})]


def _against_reasons(report: GapReport, current: GapReport) -> list[Reason]:
    reasons = []
    new, old = (sum(r.covered_seconds for r in x.p0_peak) // 60 for x in (report, current))
    if new < old:
        reasons.append(Reason("against", f"covers less P0 peak demand than the current rota: {new:,} "
                                         f"min ({report.p0_peak_coverage:.2%}) against {old:,} min "
                                         f"({current.p0_peak_coverage:.2%})",
                              {"measure": "p0_peak_covered_minutes", "value": new, "current": old}))
    before = current.exposure_totals()
    for currency, amount in report.exposure_totals().items():
        if amount > before.get(currency, 0.0) + 0.005:
            reasons.append(Reason("against", f"more exposure than the current rota: "
                                             f"{_money(amount, currency or '')} against "
                                             f"{_money(before.get(currency, 0.0), currency or '')}",
                                  {"measure": "exposure", "value": amount,
                                   "current": before.get(currency, 0.0), "currency": currency}))
    return reasons


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}".strip()
