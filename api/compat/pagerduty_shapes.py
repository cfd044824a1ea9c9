"""PagerDuty REST v2 object shapes, built from rota's scenario and on-call entries.

Field names follow PagerDuty's published OpenAPI document (`Oncall`, `Schedule`, `SubSchedule`,
`ScheduleLayerEntry`, `EscalationPolicy`, `EscalationRule`, `User`, `ContactMethod`, the
`*_reference` objects and `Pagination`). Mapping (DESIGN.md): a schedule and an escalation policy
per team and region (`{team}.{region}`), a user per engineer (`{team}.{engineer}`); escalation
level 1 = on call and within the region's target, level 2 = on call but slower. Both escalation
rules of a policy target the region's schedule; a rule's delay is the level's response target.

Times are UTC (`Z`) unless the request gives `time_zone`, then local with the offset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rota.oncall_entries import Entry
from rota.scenario import Engineer, Region, Scenario
from rota.spans import Instant, iso_z
from rota.zones import zone

# PagerDuty's error codes (its "Errors" reference) for the answers this subset gives.
INTERNAL_ERROR = 2000
INVALID_INPUT = 2001
AUTHENTICATION_FAILED = 2006
ACCESS_DENIED = 2010
NOT_FOUND = 2100


def error_body(message: str, code: int, errors: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return {"error": body}


@dataclass(frozen=True)
class Render:
    """How one request renders URLs and times."""

    base: str  # e.g. https://rota.example.com/pagerduty
    root: str  # the service's root URL, for html_url
    time_zone: str | None = None

    def time(self, ts: Instant) -> str:
        if self.time_zone is None:
            return iso_z(ts)
        return dt.datetime.fromtimestamp(ts, zone(self.time_zone)).isoformat()

    def ref(self, kind: str, collection: str, vendor_id: str, summary: str,
            html_url: str | None) -> dict[str, Any]:
        return {"id": vendor_id, "type": f"{kind}_reference", "summary": summary,
                "self": f"{self.base}/{collection}/{vendor_id}", "html_url": html_url}

    def report_url(self, team: str) -> str:
        return f"{self.root}/v1/teams/{team}/report"

    def schedule_ref(self, scenario: Scenario, region: Region) -> dict[str, Any]:
        return self.ref("schedule", "schedules", f"{scenario.team}.{region.id}",
                        schedule_name(scenario, region), self.report_url(scenario.team))

    def policy_ref(self, scenario: Scenario, region: Region) -> dict[str, Any]:
        return self.ref("escalation_policy", "escalation_policies", f"{scenario.team}.{region.id}",
                        schedule_name(scenario, region), self.report_url(scenario.team))

    def user_ref(self, scenario: Scenario, engineer: Engineer) -> dict[str, Any]:
        return self.ref("user", "users", f"{scenario.team}.{engineer.id}", engineer.label,
                        self.report_url(scenario.team))


def schedule_name(scenario: Scenario, region: Region) -> str:
    return f"{scenario.name or scenario.team}: {region.label}"


def serving(scenario: Scenario, region: Region) -> list[Engineer]:
    return [e for e in scenario.engineers if region.id in e.regions]


def user(r: Render, scenario: Scenario, engineer: Engineer, contact_methods: bool) -> dict[str, Any]:
    ref = r.user_ref(scenario, engineer)
    methods = contact_method_list(r, scenario, engineer)
    return {
        **ref, "type": "user", "name": engineer.label, "email": engineer.contact.email,
        "time_zone": engineer.timezone, "color": "green", "role": "user",
        "description": None, "invitation_sent": False, "job_title": "", "teams": [],
        "contact_methods": methods if contact_methods else [
            {k: m[k] for k in ("id", "summary", "self", "html_url")} | {"type": f"{m['type']}_reference"}
            for m in methods],
        "notification_rules": [],
    }


def contact_method_list(r: Render, scenario: Scenario, engineer: Engineer) -> list[dict[str, Any]]:
    user_id = f"{scenario.team}.{engineer.id}"
    out: list[tuple[str, str, str, str, dict[str, Any]]] = []
    contact = engineer.contact
    if contact.email:
        out.append(("email", "email_contact_method", "Work", contact.email, {}))
    if contact.phone:
        out.append(("phone", "phone_contact_method", "Mobile", contact.phone.lstrip("+"), {}))
    return [{"id": f"{user_id}.{key}", "type": kind, "summary": label, "label": label,
             "address": address, "self": f"{r.base}/users/{user_id}/contact_methods/{user_id}.{key}",
             "html_url": None, **extra}
            for key, kind, label, address, extra in out]


def schedule(r: Render, scenario: Scenario, region: Region) -> dict[str, Any]:
    return {
        **r.schedule_ref(scenario, region), "type": "schedule",
        "name": schedule_name(scenario, region), "time_zone": region.timezone,
        "description": f"Who is on call for {region.label} in rota team {scenario.team}",
        "escalation_policies": [r.policy_ref(scenario, region)],
        "users": [r.user_ref(scenario, e) for e in serving(scenario, region)],
        "teams": [], "schedule_layers": [],
    }


def escalation_policy(r: Render, scenario: Scenario, region: Region) -> dict[str, Any]:
    policy_id = f"{scenario.team}.{region.id}"
    target = scenario.severities.target(region.peak.severity)
    return {
        **r.policy_ref(scenario, region), "type": "escalation_policy",
        "name": schedule_name(scenario, region),
        "description": "Level 1: on call within the region's response target; level 2: on call, slower",
        "num_loops": 0, "on_call_handoff_notifications": "if_has_services",
        "escalation_rules": [
            {"id": f"{policy_id}.{level}", "escalation_delay_in_minutes": target,
             "targets": [r.schedule_ref(scenario, region)]}
            for level in (1, 2)
        ],
        "services": [], "teams": [],
    }


class Held:
    """A scenario as a cache key: by identity (one object per team state), kept alive by the cache."""

    __slots__ = ("scenario",)

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def __hash__(self) -> int:
        return id(self.scenario)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Held) and other.scenario is self.scenario


@lru_cache(maxsize=8192)
def cached_oncall(r: Render, held: Held, entry: Entry, include: frozenset[str]) -> dict[str, Any]:
    """`oncall`, built once per request shape, team state and entry (answers repeat them)."""
    return oncall(r, held.scenario, entry, set(include))


def oncall(r: Render, scenario: Scenario, entry: Entry, include: set[str]) -> dict[str, Any]:
    region = scenario.region_by_id[entry.region]
    engineer = scenario.engineer_by_id[entry.engineer]
    return {
        "escalation_policy": escalation_policy(r, scenario, region)
        if "escalation_policies" in include else r.policy_ref(scenario, region),
        "escalation_level": entry.level,
        "schedule": schedule(r, scenario, region)
        if "schedules" in include else r.schedule_ref(scenario, region),
        "user": user(r, scenario, engineer, False)
        if "users" in include else r.user_ref(scenario, engineer),
        "start": r.time(entry.start),
        "end": r.time(entry.end),
    }
