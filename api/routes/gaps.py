"""`GET /v1/teams/{team}/gaps` (read): the coverage-gap report of the current rota version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from rota.report import gap_report
from rota.scenario import Severity
from rota_api.deps import ReadAccess, ServicesDep, parse_window
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, responses
from rota_api.schemas import GapsAnswer

router = APIRouter(prefix="/v1/teams", tags=["gaps"])


@router.get("/{team}/gaps", response_model=None,
            responses={**answer(GapsAnswer, description="gaps and coverage over the window"),
                       **responses(*READ_ERRORS)})
def get_gaps(team: str, services: ServicesDep, _token: ReadAccess,
             start: Annotated[str | None, Query(alias="from")] = None,
             end: Annotated[str | None, Query(alias="to")] = None,
             region: Annotated[str | None, Query(max_length=64)] = None,
             severity: Severity | None = None) -> dict[str, Any]:
    """Gaps, per-region coverage and per-engineer burden over [from, to) (default: horizon)."""
    current = services.current.get(team)
    window = parse_window(start, end, current.scenario.horizon)
    report = gap_report(current.scenario, current.require_rota(), *window, region, severity)
    return report.to_json()
