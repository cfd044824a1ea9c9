"""`GET /v1/teams` (read): the teams a token may see; `PUT /v1/teams/{team}` (admin) and
`GET /v1/teams/{team}` (read): a team's scenario.

The body is the scenario file, JSON or YAML (YAML at most `YAML_BODY_BYTES`: 413 past it).
`ETag` is the scenario's revision; a `PUT` with a stale `If-Match` gets 412, one without
`If-Match` replaces whatever is stored. The list names, for each team, its current rota version
(null before the first) and that rota's horizon (the scenario's while there is no rota), so a bot
can find a team and know which instants it answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel

from rota.errors import LimitExceeded
from rota.scenario import Scenario
from rota.store import Token
from rota_api.deps import (
    AdminAccess,
    Credentials,
    ReadAccess,
    ServicesDep,
    etag,
    expected_revision,
    services_of,
)
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, responses
from rota_api.routes.body import body_text, raw_body_doc, require_media
from rota_api.schemas import TeamSaved
from rota_api.uploads import store_scenario

router = APIRouter(prefix="/v1/teams", tags=["teams"])

YAML_BODY_BYTES = 2 * 1024 * 1024
"""A YAML scenario body is read within a second or so up to this size; JSON up to the body limit."""
SCENARIO_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml",
                  "text/x-yaml", "text/plain")


class HorizonOut(BaseModel):
    start: dt.date
    days: int
    end: dt.datetime


class TeamOut(BaseModel):
    team: str
    name: str | None
    rota_version: int | None
    horizon: HorizonOut


class TeamList(BaseModel):
    teams: list[TeamOut]


async def _any_team_reader(request: Request, _credentials: Credentials) -> Token:
    """A read token, for any team or limited to some (the list shows only those)."""
    return await services_of(request).tokens.authorize(request.headers.get("authorization"),
                                                       "read", None)


@router.get("", response_model=TeamList, responses=responses(401, 403, 503))
def list_teams(services: ServicesDep,
               token: Annotated[Token, Depends(_any_team_reader)]) -> TeamList:
    """The teams this token may see, by id, with their current rota version and horizon."""
    found = services.store.teams.summaries(token.teams)
    return TeamList(teams=[
        TeamOut(team=t.team, name=t.name, rota_version=t.rota_version or None,
                horizon=HorizonOut(start=t.horizon_start, days=t.horizon_days,
                                   end=dt.datetime.combine(t.horizon_start, dt.time(), dt.UTC)
                                   + dt.timedelta(days=t.horizon_days)))
        for t in found])


@router.put("/{team}", openapi_extra=raw_body_doc("application/json", "application/yaml"),
            response_model=None,
            responses={**answer(TeamSaved, description="replaced"),
                       **answer(TeamSaved, 201, "created"),
                       **responses(401, 403, 412, 413, 415, 422, 503)})
async def put_team(team: str, request: Request, response: Response, services: ServicesDep,
                   token: AdminAccess,
                   if_match: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Create or replace the team's scenario."""
    require_media(request, SCENARIO_TYPES)
    expected = expected_revision(if_match)
    text = await body_text(request, "scenario")
    if len(text) > YAML_BODY_BYTES and not text.lstrip().startswith(("{", "[")):
        raise LimitExceeded(f"a YAML scenario is limited to {YAML_BODY_BYTES // 2**20} MiB over "
                            f"HTTP (YAML reads ten times slower than JSON); send it as JSON, "
                            f"up to {services.settings.max_body_bytes // 2**20} MiB")
    async with services.current.writing_async(team):
        revision = await services.uploads.run(len(text), store_scenario, team, text, expected,
                                              token.label or token.id)
    response.status_code = 201 if revision == 1 else 200
    response.headers["ETag"] = etag(revision)
    return {"team": team, "revision": revision}


@router.get("/{team}", response_model=None,
            responses={**answer(Scenario, description="the scenario"), **responses(*READ_ERRORS)})
def get_team(team: str, response: Response, services: ServicesDep,
             _token: ReadAccess) -> dict[str, Any]:
    """The team's scenario, as stored (defaults filled in)."""
    scenario, revision = services.store.teams.scenario(team)
    response.headers["ETag"] = etag(revision)
    return scenario.model_dump(mode="json", exclude_none=True)
