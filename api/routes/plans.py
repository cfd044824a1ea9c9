"""Plans: `POST /v1/teams/{team}/plans` (plan) queues a solve and answers 202 with its id;
`GET .../plans/{id}` (read) shows status and progress, and when done the rota and report;
`DELETE .../plans/{id}` (plan) cancels a queued plan or stops a running one (it keeps its best rota);
`POST .../plans/{id}/publish` (plan) makes the plan's rota the team's next version.

`previous` names a rota version of the team the plan should stay close to. Admission is bounded:
one queued or running plan per team and horizon (a second POST: 409 naming the first in `plan` and
`Location`), `ROTA_PLAN_QUEUE_PER_TEAM` per team and `ROTA_PLAN_QUEUE_MAX` in all (429 with
`Retry-After`). A queued plan stores the scenario revision, not the scenario. A plan is published at
most once; a rota version's `If-Match` applies to the publish as to an upload. A plan that leaves
more P0 peak demand uncovered than the team's current rota is published only with `force`
(`?force=true` or `{"force": true}`); otherwise 409, saying both figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from rota.errors import Conflict, FieldError, InvalidInput
from rota.rotafile import Rota, parse_rota
from rota.scenario import Scenario
from rota.store import PlanRecord
from rota.store.plans import PlanBounds, require_done
from rota_api.deps import PlanAccess, ReadAccess, Services, ServicesDep, expected_rota
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, WRITE_ERRORS, Unavailable, responses
from rota_api.routes.rota import current_etag, publish_checked
from rota_api.schemas import Plan, PlanPublished, PlanStarted

router = APIRouter(prefix="/v1/teams", tags=["plans"])


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_limit_seconds: float | None = Field(default=None, gt=0)
    previous: int | None = Field(default=None, ge=1, le=2**31 - 1, description="a rota version to stay close to")


@router.post("/{team}/plans", status_code=202, response_model=None,
             responses={**answer(PlanStarted, 202, "queued"),
                        **responses(*WRITE_ERRORS, 409, 429)})
def start_plan(team: str, response: Response, services: ServicesDep, token: PlanAccess,
               body: Annotated[PlanIn | None, Body()] = None) -> dict[str, Any]:
    """Start a solve in the background; poll the plan for progress."""
    body = body or PlanIn()
    limit = body.time_limit_seconds or services.settings.plan_default_seconds
    if limit > services.settings.plan_max_seconds:
        raise InvalidInput([FieldError("time_limit_seconds", f"at most "
                                        f"{services.settings.plan_max_seconds:g} seconds")], "plan")
    scenario, revision = services.store.teams.scenario(team)
    _check_plannable(scenario)
    if body.previous:
        services.store.teams.rota(team, body.previous)  # 404 now rather than a failed plan later
    horizon = f"{scenario.horizon.start.isoformat()}+{scenario.horizon.days}d"
    del scenario  # a queued plan keeps the revision, not the parsed scenario
    options = {"time_limit_seconds": limit, "previous": body.previous}
    settings = services.settings
    record = services.store.plans.create(
        team, options, token.label or token.id, horizon=horizon, scenario_revision=revision,
        owner=services.jobs.owner,
        bounds=PlanBounds(settings.plan_queue_per_team, settings.plan_queue_max))
    services.jobs.submit(record)
    response.headers["Location"] = f"/v1/teams/{team}/plans/{record.id}"
    return {"id": record.id, "status": record.status}


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    force: bool = Field(default=False, description="publish even if worse than the current rota")


@router.get("/{team}/plans/{plan_id}", response_model=None,
            responses={**answer(Plan, description="the plan"), **responses(*READ_ERRORS)})
def get_plan(team: str, plan_id: str, services: ServicesDep,
             _token: ReadAccess) -> Response:
    """Status, progress and, when done, the rota, its report, and how it compares with the current
    rota (`against_current`, while the plan is not published)."""
    record = services.store.plans.get(team, plan_id)
    out = plan_json(record)
    if record.result is not None and record.published_version is None:
        scenario, _ = services.store.teams.scenario(team)
        out["against_current"] = _against_current(services, team, scenario,
                                                  parse_rota(record.result["rota"], scenario))
    # serialised here, in the thread pool: clients poll this, and FastAPI would encode the
    # plan (tens of kB when done) on the event loop, holding up every `now` meanwhile
    return Response(orjson.dumps(out), media_type="application/json")


@router.delete("/{team}/plans/{plan_id}", status_code=202, response_model=None,
               responses={**answer(Plan, 202, "cancelled, or stopping"),
                          **responses(*READ_ERRORS, 409)})
def cancel_plan(team: str, plan_id: str, services: ServicesDep,
                token: PlanAccess) -> dict[str, Any]:
    """Cancel a queued plan, or stop a running one within seconds (it ends `cancelled` with its
    best rota so far, which may be published); 409 when the plan has already ended."""
    record = services.store.plans.cancel(team, plan_id, token.label or token.id)
    services.jobs.cancel(record)
    return plan_json(record)


@router.post("/{team}/plans/{plan_id}/publish", status_code=201, response_model=None,
             responses={**answer(PlanPublished, 201, "published as the next version"),
                        **responses(401, 403, 404, 409, 412, 422, 503)})
def publish_plan(team: str, plan_id: str, response: Response, services: ServicesDep,
                 token: PlanAccess,
                 if_match: Annotated[str | None, Header()] = None,
                 force: Annotated[bool, Query(description="publish even if worse than the "
                                                          "current rota")] = False,
                 body: Annotated[PublishIn | None, Body()] = None) -> dict[str, Any]:
    """The plan's rota becomes the team's next rota version.

    A plan that leaves more P0 peak demand uncovered than the current rota is refused (409)
    unless `force` (`?force=true` or `{"force": true}`).
    """
    expected, revision = expected_rota(if_match)
    record = services.store.plans.get(team, plan_id)
    result = require_done(record)
    if record.published_version is not None:
        raise Conflict(f"plan {plan_id} is already published as version "
                       f"{record.published_version}")
    scenario, _ = services.store.teams.scenario(team)
    rota = parse_rota(result["rota"], scenario)
    against = _against_current(services, team, scenario, rota)
    if against and against["worse_than_current"] and not (force or (body and body.force)):
        raise Conflict(
            f"plan {plan_id} leaves {against['p0_peak_uncovered_minutes']} minutes of P0 peak "
            f"demand uncovered, more than the current rota version {against['current_version']} "
            f"({against['current_p0_peak_uncovered_minutes']}); publish with ?force=true or "
            '{"force": true} to replace it anyway')
    with services.current.writing(team):
        version = publish_checked(services, rota, f"plan:{plan_id}", token.label or token.id,
                                  expected, revision, plan_id=plan_id)
    response.headers["ETag"] = current_etag(services, team)
    return {"team": team, "version": version, "plan": plan_id, "against_current": against}


def _against_current(services: Services, team: str, scenario: Scenario,
                     rota: Rota) -> dict[str, Any] | None:
    """The plan's P0 peak coverage against the team's current rota version (None: no version)."""
    from rota.planner.outcome import compare_with_current

    if services.store.teams.current_version(team) == 0:
        return None
    return compare_with_current(scenario, rota, services.store.teams.rota(team))


def _check_plannable(scenario: Scenario) -> None:
    """The planner's own size limits, checked before a plan is queued (413 when past them)."""
    try:
        from rota.planner import check_limits
    except ImportError:
        raise Unavailable("the planner is not available in this build") from None
    check_limits(scenario)


def plan_json(record: PlanRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id,
        "team": record.team,
        "status": record.status,
        "options": record.options,
        "progress": record.progress,
        "reason": record.reason,
        "created_at": _iso(record.created_at),
        "started_at": _iso(record.started_at),
        "finished_at": _iso(record.finished_at),
        "published_version": record.published_version,
        "scenario_revision": record.scenario_revision,
        "attempts": record.attempts,
        "retried": record.attempts > 1,
        "cancel_requested": record.cancel_requested,
        "events": record.events,
    }
    if record.result is not None:
        out["solver_status"] = record.result.get("status")
        report = record.result.get("report") or {}
        for key in ("achieved", "gap_stage", "gap"):
            out[key] = report.get(key)
        out["rota"] = record.result.get("rota")
        out["report"] = record.result.get("report")
    return out


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
