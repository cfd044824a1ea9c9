"""What `/openapi.json` documents for the PagerDuty routes: their answers, errors and parameters.

The routes build their answers in `pagerduty_shapes` as plain JSON (the on-calls path is hot);
these models are the contract those answers keep, field for field, named after PagerDuty's own
OpenAPI document (`Oncall`, `Schedule`, `EscalationPolicy`, `User`, the `*_reference` objects,
`Pagination`) with a `PagerDuty` prefix. Every error, whatever its status, is PagerDuty's
`{"error": {"message", "code", "errors"}}` as `application/json`. `OPERATIONS` gives each route's
`responses` and `openapi_extra` (its parameters, PagerDuty's spelling, and its auth).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from rota_api.compat.params import documented, query
from rota_api.schemas import Schema

SECURITY_SCHEME = "PagerDutyToken"
SECURITY = {SECURITY_SCHEME: {
    "type": "apiKey", "in": "header", "name": "Authorization",
    "description": "`Token token=<rota token>` as PagerDuty's clients send it (`Bearer <token>` "
                   "also works); the token needs read scope."}}


class PagerDutyReference(Schema):
    """A `*_reference` object: enough to name an object and fetch it."""

    id: str = Field(description="`{team}.{region}` for schedules and policies, `{team}.{engineer}` for users")
    type: str = Field(description="`user_reference`, `schedule_reference`, ... (the full object's type "
                                  "without the suffix when it is expanded)")
    summary: str
    self: str
    html_url: str | None


class PagerDutyContactMethod(PagerDutyReference):
    """A contact method: a reference unless `include[]=contact_methods`, then with its address."""

    label: str | None = None
    address: str | None = None


class PagerDutyUser(PagerDutyReference):
    name: str
    email: str | None
    time_zone: str
    color: str
    role: str
    description: str | None
    invitation_sent: bool
    job_title: str
    teams: list[PagerDutyReference]
    contact_methods: list[PagerDutyContactMethod]
    notification_rules: list[PagerDutyReference]


class PagerDutyRenderedEntry(Schema):
    start: str
    end: str
    user: PagerDutyReference


class PagerDutyFinalSchedule(Schema):
    name: str
    rendered_schedule_entries: list[PagerDutyRenderedEntry] = Field(
        description="who is on call in [since, until); empty without `since` or `until`")
    rendered_coverage_percentage: float | None = Field(
        description="the covered share of the required time in [since, until), as `gaps` counts it")


class PagerDutySchedule(PagerDutyReference):
    name: str
    time_zone: str
    description: str
    escalation_policies: list[PagerDutyReference]
    users: list[PagerDutyReference]
    teams: list[PagerDutyReference]
    schedule_layers: list[dict[str, Any]]
    final_schedule: PagerDutyFinalSchedule | None = Field(
        default=None, description="`GET /schedules/{id}` only")


class PagerDutyEscalationRule(Schema):
    id: str
    escalation_delay_in_minutes: int
    targets: list[PagerDutyReference]


class PagerDutyEscalationPolicy(PagerDutyReference):
    name: str
    description: str
    num_loops: int
    on_call_handoff_notifications: str
    escalation_rules: list[PagerDutyEscalationRule]
    services: list[PagerDutyReference]
    teams: list[PagerDutyReference]


class PagerDutyOncall(Schema):
    """An on-call entry; its policy, schedule and user are references unless `include[]` expands them."""

    escalation_policy: PagerDutyEscalationPolicy | PagerDutyReference
    escalation_level: int = Field(description="1: within the region's response target; 2: slower")
    schedule: PagerDutySchedule | PagerDutyReference
    user: PagerDutyUser | PagerDutyReference
    start: str
    end: str


class PagerDutyPage(Schema):
    limit: int
    offset: int
    more: bool
    total: int | None = Field(description="null unless `total=true`")


class PagerDutyOncalls(PagerDutyPage):
    oncalls: list[PagerDutyOncall]


class PagerDutySchedules(PagerDutyPage):
    schedules: list[PagerDutySchedule]


class PagerDutyEscalationPolicies(PagerDutyPage):
    escalation_policies: list[PagerDutyEscalationPolicy]


class PagerDutyUsers(PagerDutyPage):
    users: list[PagerDutyUser]


class PagerDutyScheduleAnswer(Schema):
    schedule: PagerDutySchedule


class PagerDutyScheduleUsers(Schema):
    users: list[PagerDutyUser]


class PagerDutyEscalationPolicyAnswer(Schema):
    escalation_policy: PagerDutyEscalationPolicy


class PagerDutyUserAnswer(Schema):
    user: PagerDutyUser


class PagerDutyErrorDetail(Schema):
    message: str
    code: int = Field(description="PagerDuty's error code: 2001 invalid input, 2006 authentication "
                                  "failed, 2010 access denied, 2100 not found, 2000 internal error")
    errors: list[str] | None = Field(default=None, description="what is wrong, one line each")


class PagerDutyError(Schema):
    """PagerDuty's error answer."""

    error: PagerDutyErrorDetail


ERROR_DOC = {
    400: "a bad parameter (code 2001), each named in `errors`",
    401: "no, unknown, expired or revoked token (code 2006)",
    403: "the token lacks read scope (code 2010)",
    404: "no such schedule, policy or user, or one of a team the token may not read (code 2100)",
    503: "the store does not answer (code 2000)",
}

_PAGE = [
    query("limit", {"type": "integer", "minimum": 1, "default": 25},
          "page size; values over 100 are cut to 100"),
    query("offset", {"type": "integer", "minimum": 0, "maximum": 10_000, "default": 0},
          "larger values are refused (400)"),
    query("total", {"type": "boolean", "default": False}, "fill `total` (null otherwise)"),
]
_TIME_ZONE = query("time_zone", {"type": "string"}, "IANA zone for the times of the answer (default UTC)")
_SINCE = query("since", {"type": "string", "format": "date-time"},
               "ISO 8601 instant between 1970 and 2199")
_UNTIL = query("until", {"type": "string", "format": "date-time"},
               "ISO 8601 instant between 1970 and 2199, not before `since`")
_QUERY_TEXT = query("query", {"type": "string"}, "names containing this text (any case)")


def _array(name: str, items: dict[str, Any], description: str) -> dict[str, Any]:
    return query(f"{name}[]", {"type": "array", "items": items}, description, explode=True)


def _id(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            "description": description}


def _operation(model: type[Schema], description: str, parameters: list[dict[str, Any]],
               statuses: tuple[int, ...] = (400, 401, 403, 503)) -> dict[str, Any]:
    return documented(model, description, PagerDutyError, {s: ERROR_DOC[s] for s in statuses},
                      parameters, SECURITY_SCHEME)


_SCHEDULE_ID = _id("schedule_id", "`{team}.{region}`")
_WITH_ID = (400, 401, 403, 404, 503)

OPERATIONS: dict[str, dict[str, Any]] = {
    "oncalls": _operation(PagerDutyOncalls, "on-call entries, level 1 fastest first, then level 2", [
        _SINCE, _UNTIL,
        _array("include", {"type": "string", "enum": ["users", "schedules", "escalation_policies"]},
               "expand these references to full objects"),
        _array("escalation_policy_ids", {"type": "string"}, "only these policies (`{team}.{region}`)"),
        _array("schedule_ids", {"type": "string"}, "only these schedules (`{team}.{region}`)"),
        _array("user_ids", {"type": "string"}, "only these users (`{team}.{engineer}`)"),
        query("earliest", {"type": "boolean", "default": False},
              "only the earliest entry of each user and level of a policy"),
        _TIME_ZONE, *_PAGE]),
    "schedules": _operation(PagerDutySchedules, "a schedule per team and region",
                            [_QUERY_TEXT, _TIME_ZONE, *_PAGE]),
    "schedule": _operation(PagerDutyScheduleAnswer, "the schedule (with `since` or `until`: its "
                           "final schedule's entries and coverage)", [
        _SCHEDULE_ID, _SINCE, _UNTIL, _TIME_ZONE,
        query("overflow", {"type": "boolean", "default": False},
              "entries keep their own start and end instead of being cut to the range")], _WITH_ID),
    "schedule_users": _operation(PagerDutyScheduleUsers, "users on call in [since, until] (default now)",
                                 [_SCHEDULE_ID, _SINCE, _UNTIL, _TIME_ZONE], _WITH_ID),
    "escalation_policies": _operation(PagerDutyEscalationPolicies, "a policy per team and region", [
        _QUERY_TEXT, _array("user_ids", {"type": "string"}, "policies these users serve"),
        _TIME_ZONE, *_PAGE]),
    "escalation_policy": _operation(PagerDutyEscalationPolicyAnswer, "the policy", [
        _id("policy_id", "`{team}.{region}`"), _TIME_ZONE], _WITH_ID),
    "users": _operation(PagerDutyUsers, "a user per engineer", [
        _QUERY_TEXT, _array("include", {"type": "string", "enum": [
            "contact_methods", "notification_rules", "teams"]}, "expand contact methods"),
        _TIME_ZONE, *_PAGE]),
    "user": _operation(PagerDutyUserAnswer, "the user", [
        _id("user_id", "`{team}.{engineer}`"),
        _array("include", {"type": "string", "enum": [
            "contact_methods", "notification_rules", "teams"]}, "expand contact methods"),
        _TIME_ZONE], _WITH_ID),
}
