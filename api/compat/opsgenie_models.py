"""What `/openapi.json` documents for the Opsgenie routes: their answers, errors and parameters.

The routes build their answers in `opsgenie` as plain JSON; these models are the contract those
answers keep, field for field: Opsgenie's envelope (`data`, `took` in seconds, `requestId`) and,
for every error status, Opsgenie's `{"message", "took", "requestId"}` (with `errors` by parameter
for 422) as `application/json`. `OPERATIONS` gives each route's `responses` and `openapi_extra`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from rota_api.compat.params import documented, query
from rota_api.schemas import Schema

SECURITY_SCHEME = "GenieKey"
SECURITY = {SECURITY_SCHEME: {
    "type": "apiKey", "in": "header", "name": "Authorization",
    "description": "`GenieKey <rota token>` as Opsgenie's clients send it (`Bearer <token>` also "
                   "works); the token needs read scope."}}


class OpsgenieEnvelope(Schema):
    took: float = Field(description="seconds the answer took")
    requestId: str = Field(description="a UUID per request")


class OpsgenieTeamRef(Schema):
    id: str
    name: str


class OpsgenieScheduleMeta(Schema):
    id: str = Field(description="`{team}.{region}`")
    name: str = Field(description="`{team}_{region}`")
    enabled: bool


class OpsgenieSchedule(OpsgenieScheduleMeta):
    description: str
    timezone: str
    ownerTeam: OpsgenieTeamRef
    rotations: list[dict[str, Any]]


class OpsgenieSchedules(OpsgenieEnvelope):
    data: list[OpsgenieSchedule]
    expandable: list[str]


class OpsgenieParticipant(Schema):
    id: str = Field(description="`{team}.{engineer}`")
    name: str = Field(description="the engineer's e-mail, else their id")
    type: str = Field(description="`user`")


class OpsgenieOnCallsData(Schema):
    parent: OpsgenieScheduleMeta = Field(alias="_parent")
    onCallParticipants: list[OpsgenieParticipant] | None = Field(
        default=None, description="without `flat=true`: level 1 fastest first, then level 2")
    onCallRecipients: list[str] | None = Field(default=None, description="with `flat=true`: the names")


class OpsgenieOnCalls(OpsgenieEnvelope):
    data: OpsgenieOnCallsData


class OpsgenieNextOnCallsData(Schema):
    parent: OpsgenieScheduleMeta = Field(alias="_parent")
    nextOnCallRecipients: list[OpsgenieParticipant] | list[str] = Field(
        description="on call from the next change after `date` (names with `flat=true`)")
    exactNextOnCallRecipients: list[OpsgenieParticipant] | list[str] = Field(
        description="those of them not on call just before")


class OpsgenieNextOnCalls(OpsgenieEnvelope):
    data: OpsgenieNextOnCallsData


class OpsgenieError(OpsgenieEnvelope):
    """Opsgenie's error answer."""

    message: str
    errors: dict[str, str] | None = Field(default=None, description="422: what is wrong, by parameter")


ERROR_DOC = {
    401: "no, unknown, expired or revoked key",
    403: "the key lacks read scope",
    404: "no such schedule, or one of a team the key may not read",
    422: "a bad parameter, named in `errors`",
    503: "the store does not answer",
}

_SCHEDULE = [
    {"name": "identifier", "in": "path", "required": True, "schema": {"type": "string"},
     "description": "`{team}.{region}` (id) or `{team}_{region}` (name)"},
    query("scheduleIdentifierType", {"type": "string", "enum": ["id", "name"], "default": "id"}),
    query("flat", {"type": "boolean", "default": False}, "names only, in `onCallRecipients`"),
    query("date", {"type": "string", "format": "date-time"},
          "ISO 8601 instant between 1970 and 2199 (default now)"),
]


def _operation(model: type[Schema], description: str, parameters: list[dict[str, Any]],
               statuses: tuple[int, ...]) -> dict[str, Any]:
    return documented(model, description, OpsgenieError, {s: ERROR_DOC[s] for s in statuses},
                      parameters, SECURITY_SCHEME)


OPERATIONS: dict[str, dict[str, Any]] = {
    "schedules": _operation(OpsgenieSchedules, "a schedule per team and region", [],
                            (401, 403, 422, 503)),
    "on_calls": _operation(OpsgenieOnCalls, "who is on call at `date`", _SCHEDULE,
                           (401, 403, 404, 422, 503)),
    "next_on_calls": _operation(OpsgenieNextOnCalls, "who is on call from the next change",
                                _SCHEDULE, (401, 403, 404, 422, 503)),
}
