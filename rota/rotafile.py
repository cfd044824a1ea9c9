"""The rota: a versioned set of shifts for a team, plus overrides (DESIGN.md, "Rota file").

All instants are UTC with a `Z` in the file. Reading checks every shift against the scenario when
one is given (known engineers, start before end, no engineer on call twice at once) and reports
every problem with its path, e.g. `shifts[12].end: ends before it starts`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer

from rota.errors import FieldError, RotaInvalid
from rota.limits import MAX_OVERRIDES, MAX_SHIFTS
from rota.scenario import EntityId, Horizon, PlainText, Scenario, UtcInstant
from rota.spans import iso_z
from rota.validation import pydantic_errors


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Shift(_Model):
    engineer: EntityId
    start: UtcInstant
    end: UtcInstant

    @field_serializer("start", "end")
    def _z(self, value: dt.datetime) -> str:
        return iso_z(value)


class Override(_Model):
    """Engineer takes [start, end) instead of `replaces`, or in addition when `replaces` is None."""

    id: PlainText | None = Field(default=None, max_length=64)
    engineer: EntityId
    replaces: EntityId | None = None
    start: UtcInstant
    end: UtcInstant
    reason: PlainText | None = Field(default=None, max_length=200)

    @field_serializer("start", "end")
    def _z(self, value: dt.datetime) -> str:
        return iso_z(value)


class SolverInfo(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    status: str
    objective: float | None = None
    bound: float | None = None
    seconds: float | None = None


class Rota(_Model):
    team: PlainText
    version: int = Field(default=1, ge=0)
    horizon: Horizon | None = None
    shifts: tuple[Shift, ...] = Field(default=(), max_length=MAX_SHIFTS)
    overrides: tuple[Override, ...] = Field(default=(), max_length=MAX_OVERRIDES)
    solver: SolverInfo | None = None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def with_overrides(self, overrides: tuple[Override, ...]) -> Rota:
        return self.model_copy(update={"overrides": overrides})


def parse_rota(data: object, scenario: Scenario | None = None) -> Rota:
    """A rota from decoded JSON, checked against the scenario when given."""
    try:
        rota = Rota.model_validate(data)
    except ValidationError as exc:
        raise RotaInvalid(pydantic_errors(exc)) from None
    if scenario is not None:
        errors = check_rota(rota, scenario)
        if errors:
            raise RotaInvalid(errors)
    return rota


def check_rota(rota: Rota, scenario: Scenario) -> list[FieldError]:
    """Every problem of `rota` against `scenario`. A rota of another team (by its `team`, or with
    no engineer of the scenario) is that one error, not one per shift; an unknown engineer is
    named once, at their first shift, with how many more shifts name them."""
    if rota.team != scenario.team:
        return [FieldError("team", f"rota is for {rota.team!r}, scenario is {scenario.team!r}; "
                                   "give the scenario of the rota's team")]
    errors: list[FieldError] = []
    known = scenario.engineer_by_id
    strangers = Counter(s.engineer for s in rota.shifts if s.engineer not in known)
    if len(strangers) > 3 and all(s.engineer in strangers for s in rota.shifts):
        names = ", ".join(list(strangers)[:3])
        return [FieldError("shifts", f"none of the rota's {len(strangers)} engineers is in the scenario "
                                     f"({names}, ...): is the rota of another team?")]
    last_end: dict[str, tuple[dt.datetime, int]] = {}
    for i, shift in enumerate(rota.shifts):
        if strangers.get(shift.engineer):
            more = strangers.pop(shift.engineer) - 1
            also = f" (and {more} more shift{'s' if more != 1 else ''})" if more else ""
            errors.append(FieldError(f"shifts[{i}].engineer", f"unknown engineer {shift.engineer!r}{also}"))
    order = sorted(range(len(rota.shifts)), key=lambda i: rota.shifts[i].start)
    for i in order:
        shift = rota.shifts[i]
        path = f"shifts[{i}]"
        if shift.end <= shift.start:
            errors.append(FieldError(f"{path}.end", "ends before it starts"))
            continue
        previous = last_end.get(shift.engineer)
        if previous and shift.start < previous[0]:
            errors.append(FieldError(path, f"overlaps shifts[{previous[1]}] of the same engineer"))
        if not previous or shift.end > previous[0]:
            last_end[shift.engineer] = (shift.end, i)
    for i, override in enumerate(rota.overrides):
        errors += check_override(override, scenario, f"overrides[{i}]")
    return errors


def check_override(override: Override, scenario: Scenario, path: str = "") -> list[FieldError]:
    prefix = f"{path}." if path else ""
    errors: list[FieldError] = []
    known = scenario.engineer_by_id
    if override.engineer not in known:
        errors.append(FieldError(f"{prefix}engineer", f"unknown engineer {override.engineer!r}"))
    if override.replaces is not None and override.replaces not in known:
        errors.append(FieldError(f"{prefix}replaces", f"unknown engineer {override.replaces!r}"))
    if override.replaces == override.engineer:
        errors.append(FieldError(f"{prefix}replaces", "an engineer cannot replace themselves"))
    if override.end <= override.start:
        errors.append(FieldError(f"{prefix}end", "ends before it starts"))
    return errors


def read_rota_json(path: Path, scenario: Scenario | None = None) -> Rota:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RotaInvalid([FieldError(f"line {exc.lineno}, column {exc.colno}", exc.msg)]) from None
    except RecursionError:
        raise RotaInvalid([FieldError(str(path), "invalid JSON: nested too deeply")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RotaInvalid([FieldError(str(path), f"cannot read: {exc}")]) from None
    return parse_rota(data, scenario)


def write_rota_json(rota: Rota, path: Path) -> None:
    path.write_text(json.dumps(rota.to_json(), indent=1) + "\n", encoding="utf-8")
