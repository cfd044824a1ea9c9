"""Calendar feeds: `GET /v1/teams/{team}/calendars/{engineer}.ics?token=...` (feed secret).

Each engineer's feed has its own secret, made (and remade, which revokes the old one) with
`POST /v1/teams/{team}/calendars/{engineer}` (admin) or `rota feed create`, and revoked with
`DELETE` on the same path. The body is `rota.icsexport.rota_to_ics` of the current version.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from rota.errors import NotFound
from rota.scenario import Scenario
from rota_api.deps import AdminAccess, ServicesDep
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, Unauthenticated, Unavailable, responses
from rota_api.schemas import Feed

router = APIRouter(prefix="/v1/teams", tags=["calendars"])


@router.get("/{team}/calendars/{engineer}.ics", response_class=Response, response_model=None,
            responses={**answer(Feed, description="the engineer's shifts as iCalendar",
                                media_type="text/calendar"),
                       **responses(401, 404, 422, 503)})
def calendar_feed(team: str, engineer: str, services: ServicesDep,
                  token: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The engineer's shifts (with overrides) as an iCalendar feed."""
    if not token or not services.store.tokens.verify_feed(team, engineer, token):
        raise Unauthenticated("unknown or revoked calendar feed token")
    current = services.current.get(team)
    _require_engineer(current.scenario, engineer)
    try:
        from rota.icsexport import rota_to_ics
    except ImportError:
        raise Unavailable("calendar export is not available in this build") from None
    body = rota_to_ics(current.scenario, current.require_rota(), engineer)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})


@router.post("/{team}/calendars/{engineer}", status_code=201, response_model=None,
             responses={**answer(Feed, 201, "the new feed URL"), **responses(*READ_ERRORS)})
def create_feed(team: str, engineer: str, request: Request, services: ServicesDep,
                _token: AdminAccess) -> dict[str, Any]:
    """A new secret feed URL for the engineer; any earlier URL stops working."""
    scenario, _ = services.store.teams.scenario(team)
    _require_engineer(scenario, engineer)
    secret = services.store.tokens.create_feed(team, engineer)
    path = f"/v1/teams/{team}/calendars/{engineer}.ics?token={secret}"
    return {"team": team, "engineer": engineer, "url": str(request.base_url).rstrip("/") + path}


@router.delete("/{team}/calendars/{engineer}", status_code=204, response_model=None,
               responses={204: {"description": "revoked"}, **responses(*READ_ERRORS)})
def revoke_feed(team: str, engineer: str, services: ServicesDep,
                _token: AdminAccess) -> Response:
    services.store.tokens.revoke_feed(team, engineer)
    return Response(status_code=204)


def _require_engineer(scenario: Scenario, engineer: str) -> None:
    if engineer not in scenario.engineer_by_id:
        raise NotFound(f"no engineer {engineer!r} in team {scenario.team!r}")
