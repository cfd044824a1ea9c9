"""`POST /v1/teams/{team}/overrides` and `DELETE .../overrides/{id}` (plan).

An override is checked against the scenario (`rota.rotafile.check_override`) and stored in one
transaction. The answer lists the gaps it opens and closes: the gap reports of the current rota
without and with it, over its span and `MARGIN` either side; `opens` is uncovered time only the
new report has (with the new gap's cause), `closes` uncovered time only the old one had. An override spans
at most `MAX_OVERRIDE_DAYS` days.

`warnings` says when the override does less than it seems to (DESIGN.md, override): the engineer it
replaces is not on call in its window (it changes nothing) or only in part of it (only that part is
handed over), or the window lies outside the horizon (where nothing is known). It is still stored
(201): a replacement may be entered before the shift it covers is published.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rota.errors import FieldError, RotaInvalid
from rota.gapchange import gap_changes
from rota.oncall import on_call_spans
from rota.report import minutes
from rota.rotafile import Override, Rota, check_override
from rota.scenario import Scenario
from rota.spans import iso_z, to_ts
from rota.team import horizon_range
from rota.validation import pydantic_errors
from rota_api.deps import EARLIEST, LATEST, PlanAccess, ServicesDep
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, WRITE_ERRORS, responses
from rota_api.schemas import OverrideAdded

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


@router.post("/{team}/overrides", status_code=201, response_model=None,
             responses={**answer(OverrideAdded, 201, "stored; the gaps it opens and closes"),
                        **responses(*WRITE_ERRORS)})
def add_override(team: str, body: Annotated[OverrideIn, Body()], services: ServicesDep,
                 token: PlanAccess) -> dict[str, Any]:
    """Add an override; the answer lists the gaps it opens and the gaps it closes."""
    current = services.current.get(team)
    override = _checked(body, current.scenario)
    before = current.rota or Rota(team=team, version=0)
    with services.current.writing(team):
        stored = services.store.teams.add_override(team, override, token.label or token.id)
    after = before.with_overrides((*before.overrides, stored))
    opens, closes = _gap_diff(current.scenario, before, after, stored)
    return {"override": stored.model_dump(mode="json", exclude_none=True),
            "opens": opens, "closes": closes, "warnings": _warnings(current.scenario, before, stored)}


@router.delete("/{team}/overrides/{override_id}", status_code=204, response_model=None,
               responses={204: {"description": "removed"}, **responses(*READ_ERRORS)})
def delete_override(team: str, override_id: str, services: ServicesDep,
                    _token: PlanAccess) -> Response:
    """Remove an override the team added (overrides inside an uploaded version stay)."""
    with services.current.writing(team):
        services.store.teams.delete_override(team, override_id)
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


def _warnings(scenario: Scenario, before: Rota, override: Override) -> list[str]:
    lo, hi = to_ts(override.start), to_ts(override.end)
    window = f"{iso_z(lo)} -> {iso_z(hi)}"
    out = []
    h_lo, h_hi = horizon_range(scenario)
    if hi <= h_lo or lo >= h_hi:
        out.append(f"{window} lies outside the rota's horizon ({iso_z(h_lo)} -> {iso_z(h_hi)})")
    if override.replaces is not None:
        spans = on_call_spans(before.shifts, before.overrides, lo, hi).get(override.replaces, [])
        held = sum(end - start for start, end in spans)
        if not held:
            out.append(f"{override.replaces} is not on call in {window}: this override changes "
                       "nothing")
        elif held < hi - lo:
            out.append(f"{override.replaces} is on call for {minutes(held)} of the "
                       f"{minutes(hi - lo)} minutes in {window}: {override.engineer} takes over "
                       "only those")
    return out


def _gap_diff(scenario: Scenario, before: Rota, after: Rota,
              override: Override) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(opened, closed): uncovered time the override adds, and uncovered time it removes."""
    return gap_changes((scenario, before), (scenario, after), override.start - MARGIN,
                       override.end + MARGIN)
