"""The CP-SAT model under construction: candidates, their Booleans, and the objective terms.

`PlanModel` is the one object the rule and objective functions receive; CP-SAT objects never leave
the planner package.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rota.history import History, kind_seconds
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
    scale: int = 1  # the leading term's weight when this term is two in lexicographic order
    # (coefficient, variable index) pairs, when `expr` is a plain weighted sum: lets a stage that
    # found nothing keep the hint's value of this term.
    coeffs: list[tuple[int, int]] | None = None

    def value_at(self, values: list[int]) -> int | None:
        """This term's value for the complete assignment `values` (None: not a plain sum)."""
        if self.coeffs is None:
            return None
        return sum(k * values[i] for k, i in self.coeffs)


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
    peak_rows: list[int] = field(default_factory=list)  # positions in `rows` inside peak windows
    # How each derived variable follows from the shift Booleans, for completing a hint:
    # (var index, required or 0, [(coefficient, var index)]) meaning
    # value = max(0, required - sum) when required > 0, else value = sum.
    derived: list[tuple[int, int, list[tuple[int, int]]]] = field(default_factory=list)
    # Fairness peaks: (var index, [(constant, [(coefficient, var index)]) per engineer]),
    # value = max over engineers of constant + sum.
    peaks: list[tuple[int, list[tuple[int, list[tuple[int, int]]]]]] = field(default_factory=list)
    # Burden carried in from earlier rotas, per engineer index and `Candidate` minutes field
    # (`night_min`, ...): what the fairness stage adds the plan's burden to (`rota.history`).
    carried: dict[int, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.x = [
            self.model.new_bool_var(f"shift_e{c.eng}_{c.start}_{c.end}") for c in self.cands
        ]

    def complete_hint(self, shifts: list[int]) -> list[int]:
        """Values of every model variable for the rota choosing `shifts` (0/1 per candidate)."""
        values = [0] * len(self.model.proto.variables)
        for var, value in zip(self.x, shifts, strict=True):
            values[var.index] = value
        for index, required, terms in self.derived:
            total = sum(k * values[i] for k, i in terms)
            values[index] = max(0, required - total) if required else total
        for index, loads in self.peaks:
            values[index] = max((base + sum(k * values[i] for k, i in load) for base, load in loads),
                                default=0)
        return values

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


# `Candidate` minutes fields and the `rota.history` burden kinds they continue.
CARRIED_KINDS = {"on_call_min": "on_call", "asleep_min": "asleep", "night_min": "night",
                 "weekend_min": "weekend", "holiday_min": "public_holiday"}


def carried_minutes(scenario: Scenario, history: History | None) -> dict[int, dict[str, int]]:
    """Burden carried in, per engineer index and `Candidate` minutes field."""
    if history is None:
        return {}
    out = {}
    for eng, engineer in enumerate(scenario.engineers):
        burden = history.carried.get(engineer.id)
        if burden is not None:
            out[eng] = {name: kind_seconds(burden, kind) // 60 for name, kind in CARRIED_KINDS.items()}
    return out
