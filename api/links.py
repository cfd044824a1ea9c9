"""OpenAPI links: how one operation's answer names what the next can ask for.

A client (or schemathesis' stateful testing) follows them to chain calls: create a team, read it;
upload a rota, read that version; queue a plan, read it, publish or cancel it; add an override,
delete it; list schedules or users of the vendor APIs, read one. Each link is written here once,
by method and path (the operation ids are FastAPI's, looked up when the document is finished), and
`install_links` adds it to the source answer's `links`. A link whose source or target is not in
the document is a bug in this table, refused when the document is built.
"""

from __future__ import annotations

from typing import Any

TEAM = "$request.path.team"

# (source method, path, status), link name, (target method, path), parameters
LINKS: list[tuple[tuple[str, str, str], str, tuple[str, str], dict[str, str]]] = [
    (("get", "/v1/teams", "200"), "GetTeam", ("get", "/v1/teams/{team}"),
     {"team": "$response.body#/teams/0/team"}),
    (("get", "/v1/teams", "200"), "GetNow", ("get", "/v1/teams/{team}/now"),
     {"team": "$response.body#/teams/0/team"}),
    *[((("put", "/v1/teams/{team}", status), name, target, {"team": "$response.body#/team"}))
      for status in ("200", "201")
      for name, target in (("GetTeam", ("get", "/v1/teams/{team}")),
                           ("StartPlan", ("post", "/v1/teams/{team}/plans")),
                           ("PutRota", ("put", "/v1/teams/{team}/rota")))],
    (("put", "/v1/teams/{team}/rota", "201"), "GetRotaVersion", ("get", "/v1/teams/{team}/rota"),
     {"team": TEAM, "version": "$response.body#/version"}),
    (("put", "/v1/teams/{team}/rota", "201"), "ListVersions", ("get", "/v1/teams/{team}/rota/versions"),
     {"team": TEAM}),
    (("post", "/v1/teams/{team}/plans", "202"), "GetPlan", ("get", "/v1/teams/{team}/plans/{plan_id}"),
     {"team": TEAM, "plan_id": "$response.body#/id"}),
    (("post", "/v1/teams/{team}/plans", "202"), "CancelPlan",
     ("delete", "/v1/teams/{team}/plans/{plan_id}"), {"team": TEAM, "plan_id": "$response.body#/id"}),
    (("post", "/v1/teams/{team}/plans", "202"), "PublishPlan",
     ("post", "/v1/teams/{team}/plans/{plan_id}/publish"), {"team": TEAM, "plan_id": "$response.body#/id"}),
    (("get", "/v1/teams/{team}/plans/{plan_id}", "200"), "PublishPlan",
     ("post", "/v1/teams/{team}/plans/{plan_id}/publish"),
     {"team": "$response.body#/team", "plan_id": "$response.body#/id"}),
    (("post", "/v1/teams/{team}/plans/{plan_id}/publish", "201"), "GetRotaVersion",
     ("get", "/v1/teams/{team}/rota"), {"team": "$response.body#/team", "version": "$response.body#/version"}),
    (("post", "/v1/teams/{team}/plans/{plan_id}/publish", "201"), "GetPlan",
     ("get", "/v1/teams/{team}/plans/{plan_id}"),
     {"team": "$response.body#/team", "plan_id": "$response.body#/plan"}),
    (("post", "/v1/teams/{team}/overrides", "201"), "DeleteOverride",
     ("delete", "/v1/teams/{team}/overrides/{override_id}"),
     {"team": TEAM, "override_id": "$response.body#/override/id"}),
    (("post", "/v1/teams/{team}/overrides", "201"), "NowAtOverride", ("get", "/v1/teams/{team}/now"),
     {"team": TEAM, "at": "$response.body#/override/start"}),
    (("post", "/v1/teams/{team}/overrides", "201"), "GetRota", ("get", "/v1/teams/{team}/rota"),
     {"team": TEAM}),
    (("post", "/v1/teams/{team}/calendars/{engineer}", "201"), "RevokeFeed",
     ("delete", "/v1/teams/{team}/calendars/{engineer}"),
     {"team": "$response.body#/team", "engineer": "$response.body#/engineer"}),
    (("get", "/pagerduty/schedules", "200"), "GetSchedule", ("get", "/pagerduty/schedules/{schedule_id}"),
     {"schedule_id": "$response.body#/schedules/0/id"}),
    (("get", "/pagerduty/schedules", "200"), "GetScheduleUsers",
     ("get", "/pagerduty/schedules/{schedule_id}/users"), {"schedule_id": "$response.body#/schedules/0/id"}),
    (("get", "/pagerduty/escalation_policies", "200"), "GetEscalationPolicy",
     ("get", "/pagerduty/escalation_policies/{policy_id}"),
     {"policy_id": "$response.body#/escalation_policies/0/id"}),
    (("get", "/pagerduty/users", "200"), "GetUser", ("get", "/pagerduty/users/{user_id}"),
     {"user_id": "$response.body#/users/0/id"}),
    (("get", "/pagerduty/oncalls", "200"), "GetOncallUser", ("get", "/pagerduty/users/{user_id}"),
     {"user_id": "$response.body#/oncalls/0/user/id"}),
    (("get", "/pagerduty/oncalls", "200"), "GetOncallSchedule", ("get", "/pagerduty/schedules/{schedule_id}"),
     {"schedule_id": "$response.body#/oncalls/0/schedule/id"}),
    (("get", "/opsgenie/v2/schedules", "200"), "GetOnCalls",
     ("get", "/opsgenie/v2/schedules/{identifier}/on-calls"), {"identifier": "$response.body#/data/0/id"}),
    (("get", "/opsgenie/v2/schedules", "200"), "GetNextOnCalls",
     ("get", "/opsgenie/v2/schedules/{identifier}/next-on-calls"), {"identifier": "$response.body#/data/0/id"}),
]


def install_links(document: dict[str, Any]) -> None:
    """Add `LINKS` to the document's answers (in place)."""
    paths = document["paths"]
    for (method, path, status), name, (target_method, target_path), parameters in LINKS:
        target = paths[target_path][target_method]
        answer = paths[path][method]["responses"][status]
        answer.setdefault("links", {})[name] = {
            "operationId": target["operationId"], "parameters": parameters,
            "description": f"{target_method.upper()} {target_path}"}
