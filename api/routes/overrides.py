"""`POST /v1/teams/{team}/overrides` and `DELETE .../overrides/{id}` (plan).

An override is checked against the scenario (`rota.rotafile.check_override`) and stored in one
transaction. The answer lists the gaps it opens and closes: the gap reports of the current rota
without and with it, over its span and `MARGIN` either side; `opens` is uncovered time only the
new report has (with the new gap's cause), `closes` uncovered time only the old one had. An override spans
at most `MAX_OVERRIDE_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rota.coverage import Gap
from rota.errors import FieldError, RotaInvalid
from rota.report import gap_report, minutes
from rota.rotafile import Override, Rota, check_override
from rota.scenario import Scenario
from rota.spans import Span, iso_z, merge, subtract
from rota.validation import pydantic_errors
from rota_api.deps import EARLIEST, LATEST, PlanAccess, ServicesDep

router = APIRouter(prefix="/v1/teams", tags=["overrides"])

MARGIN = dt.timedelta(hours=12)
MAX_OVERRIDE_DAYS = 92


class OverrideIn(BaseModel):
    """Engineer takes [start, end) instead of `replaces`, or in addition when it is absent."""

    model_config = ConfigDict(extra="forbid")

    engineer: str = Field(max_length=64)
    replaces: str | None = Field(default=None, max_length=64)
    start: str = Field(description="UTC instant, e.g. 2026-12-08T01:00:00Z")
    end: str
    reason: str | None = Field(default=None, max_length=200)


@router.post("/{team}/overrides", status_code=201)
def add_override(team: str, body: Annotated[OverrideIn, Body()], services: ServicesDep,
                 token: PlanAccess) -> dict[str, Any]:
    """Add an override; the answer lists the gaps it opens and the gaps it closes."""
    current = services.current.get(team)
    override = _checked(body, current.scenario)
    before = current.rota or Rota(team=team, version=0)
    stored = services.store.teams.add_override(team, override, token.label or token.id)
    services.current.forget(team)
    after = before.with_overrides((*before.overrides, stored))
    opens, closes = _gap_diff(current.scenario, before, after, stored)
    return {"override": stored.model_dump(mode="json", exclude_none=True),
            "opens": opens, "closes": closes}


@router.delete("/{team}/overrides/{override_id}", status_code=204)
def delete_override(team: str, override_id: str, services: ServicesDep,
                    _token: PlanAccess) -> Response:
    """Remove an override the team added (overrides inside an uploaded version stay)."""
    services.store.teams.delete_override(team, override_id)
    services.current.forget(team)
    return Response(status_code=204)


def _checked(body: OverrideIn, scenario: Scenario) -> Override:
    try:
        override = Override.model_validate(body.model_dump(exclude_none=True))
    except ValidationError as exc:
        raise RotaInvalid(pydantic_errors(exc)) from None
    errors = check_override(override, scenario)
    if override.end - override.start > dt.timedelta(days=MAX_OVERRIDE_DAYS):
        errors.append(FieldError("end", f"an override spans at most {MAX_OVERRIDE_DAYS} days"))
    errors += [FieldError(name, "is not between 1970 and 2199")
               for name, at in (("start", override.start), ("end", override.end))
               if not EARLIEST <= at < LATEST]
    if errors:
        raise RotaInvalid(errors)
    return override


def _gap_diff(scenario: Scenario, before: Rota, after: Rota,
              override: Override) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(opened, closed): uncovered time the override adds, and uncovered time it removes."""
    lo, hi = override.start - MARGIN, override.end + MARGIN
    old = gap_report(scenario, before, lo, hi).gaps
    new = gap_report(scenario, after, lo, hi).gaps
    return _uncovered_minus(new, old), _uncovered_minus(old, new)


def _uncovered_minus(gaps: list[Gap], other: list[Gap]) -> list[dict[str, Any]]:
    """The parts of `gaps` that no gap of `other` in the same region covers."""
    by_region: dict[str, list[Span]] = {}
    for gap in other:
        by_region.setdefault(gap.region, []).append((gap.start, gap.end))
    out = []
    for gap in gaps:
        rest = subtract([(gap.start, gap.end)], merge(by_region.get(gap.region, [])))
        for start, end in rest:
            out.append({"region": gap.region, "severity": gap.severity, "start": iso_z(start),
                        "end": iso_z(end), "minutes": minutes(end - start),
                        "required": gap.required, "qualified": gap.qualified,
                        "cause": gap.cause})
    return out
