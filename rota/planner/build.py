"""The CP-SAT model under construction: candidates, their Booleans, and the objective terms.

`PlanModel` is the one object the rule and objective functions receive; CP-SAT objects never leave
the planner package.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rota.planner.candidates import Candidate
from rota.scenario import Scenario
from rota.team import TeamTime

LinearExpr = cp_model.LinearExprT


@dataclass
class Term:
    """A named objective term: `expr` in its own unit, never above `upper`."""

    name: str
    expr: LinearExpr
    upper: int
    unit: str


@dataclass
class PlanModel:
    scenario: Scenario
    team: TeamTime
    cands: list[Candidate]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: list[cp_model.IntVar] = field(default_factory=list)
    terms: dict[str, Term] = field(default_factory=dict)
    # Coverage rows: (region id, start, end, required, shortfall var, weight per unit of shortfall)
    rows: list[tuple[str, int, int, int, cp_model.IntVar, int]] = field(default_factory=list)
    extra_vars: list[cp_model.IntVar] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.x = [
            self.model.new_bool_var(f"shift_e{c.eng}_{c.start}_{c.end}") for c in self.cands
        ]

    def by_engineer(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(self.cands):
            out[c.eng].append(i)
        return out

    def by_engineer_day(self) -> dict[tuple[int, dt.date], list[int]]:
        out: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
        for i, c in enumerate(self.cands):
            out[(c.eng, c.day)].append(i)
        return out
