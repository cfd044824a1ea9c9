"""`GET /v1/teams/{team}/hours` (read): on-call hours and pay of the current rota version.

`?format=csv` answers the payroll CSV of `rota hours --format csv`; the default is the JSON of
`rota hours --format json`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from rota.hours import hours_report
from rota_api.deps import ReadAccess, ServicesDep, parse_window
from rota_api.problems import READ_ERRORS, responses

router = APIRouter(prefix="/v1/teams", tags=["hours"])


@router.get("/{team}/hours", response_model=None,
            responses={200: {"description": "hours and pay per engineer and local month (JSON), or the payroll "
                                            "CSV with `format=csv`",
                             "content": {"application/json": {"schema": {"type": "object"}},
                                         "text/csv": {"schema": {"type": "string"}}}},
                       **responses(*READ_ERRORS)})
def get_hours(team: str, services: ServicesDep, _token: ReadAccess,
              start: Annotated[str | None, Query(alias="from")] = None,
              end: Annotated[str | None, Query(alias="to")] = None,
              format: Literal["json", "csv"] = "json") -> dict[str, Any] | Response:
    """Hours by band, nights, weekends, holidays, shifts, handovers and pay, per engineer and
    local month, over [from, to) (default: the horizon)."""
    current = services.current.get(team)
    window = parse_window(start, end, current.scenario.horizon)
    report = hours_report(current.scenario, current.require_rota(), *window)
    if format == "csv":
        from rota.render.hours import hours_csv

        return Response(hours_csv(report), media_type="text/csv; charset=utf-8")
    return report.to_json()
