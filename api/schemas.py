"""The answers of the HTTP API as pydantic models: what `/openapi.json` documents for each route.

The routes build their answers from the core (`rota.now`, `rota.report`, ...) as plain JSON and do
not pass them through these models (the `now` path is too hot for that); the models are the
contract those answers keep, field for field (DESIGN.md's names, and the README's "Beyond the
contract" fields). `tests/api/test_api_schema.py` checks real answers against them with unknown
fields refused, and schemathesis checks every operation's answers against the document.

Instants are strings, UTC with a `Z` (`2026-12-08T01:00:00Z`); `local_time` is ISO 8601 with the
engineer's offset and no seconds (`2026-12-08T20:00+08:00`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rota.coverage import Cause
from rota.scenario import Band, Severity

PlanStatus = str  # queued, running, done, failed, cancelled


class Schema(BaseModel):
    """Base of the answer models. Clients should ignore fields they do not know (the API may add
    some); the tests refuse them, so that every field the service sends is documented here."""

    model_config = ConfigDict(extra="allow")


# errors ------------------------------------------------------------------------------------------


class FieldProblem(Schema):
    path: str = Field(description="where, e.g. `engineers[3].timezone`, `at`, `line 4, column 2`")
    message: str


class Problem(Schema):
    """RFC 9457 problem details, sent as `application/problem+json`."""

    type: str = Field(description="`/problems/<slug>` or `about:blank`")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = Field(
        default=None, description="validation errors with their paths (422 only)")


# now ---------------------------------------------------------------------------------------------


class PersonContact(Schema):
    email: str | None = None
    slack: str | None = None
    phone: str | None = None


class Person(Schema):
    """An engineer as `now` gives them: on call (`responders`) or not (`fallback`)."""

    engineer: str
    name: str
    timezone: str
    contact: PersonContact
    local_time: str
    band: Band
    response_minutes: int
    meets_target: bool = Field(description="answers within the target and is not on leave")
    on_leave: bool
    on_call_until: str | None = Field(description="end of the on-call span; null in `fallback`")
    public_holiday: bool | None = Field(
        default=None, description="`fallback` only: on a local public holiday (ranked last)")


class NowGap(Schema):
    start: str
    end: str
    cause: Cause


class NowRegion(Schema):
    region: str
    severity: Severity
    target_minutes: int
    required: int
    covered: bool
    responders: list[Person] = Field(description="on call for the region, fastest first")
    gap: NowGap | None = Field(description="the uncovered stretch the instant lies in, if any")
    fallback: list[Person] = Field(
        description="engineers serving the region who are neither on call nor on leave, those "
                    "within the target first, the asleep last; at most 5")


class HorizonBounds(Schema):
    start: str
    end: str


class NowAnswer(Schema):
    team: str
    at: str
    rota_version: int | None
    outside_horizon: bool = Field(description="the instant lies outside the rota's horizon: "
                                              "nothing is known there, and `regions` is empty")
    horizon: HorizonBounds
    regions: list[NowRegion]


# gaps --------------------------------------------------------------------------------------------


class Money(Schema):
    amount: float
    currency: str | None


class GapChange(Schema):
    region: str
    severity: Severity
    start: str
    end: str
    minutes: float
    required: int
    qualified: int
    cause: Cause


class GapOut(GapChange):
    """A gap of the `gaps` answer: a `GapChange`'s fields and what the report adds."""

    structural: bool
    peak: bool
    exposure: Money | None
    on_call: list[str] = Field(description="engineers serving the region on call during the gap")
    on_leave: list[str] = Field(description="engineers serving the region on leave during the gap")


class RegionCoverageOut(Schema):
    region: str
    required_minutes: float
    covered_minutes: float
    coverage: float
    structural_gap_minutes: float


class HoursByBand(Schema):
    working: float
    awake: float
    asleep: float


class EngineerLoad(Schema):
    engineer: str
    on_call_hours: float
    hours_by_band: HoursByBand
    night_hours: float
    weekend_hours: float
    public_holiday_hours: float


class GapSummary(Schema):
    p0_peak_required_minutes: float
    p0_peak_covered_minutes: float
    p0_peak_coverage: float
    uncovered_minutes: float
    structural_gap_minutes: float
    exposure: list[Money]
    violations: int = Field(description="how many hard rules the rota breaks in the window")
    p0_peak_coverage_within_rules: float = Field(
        description="P0 peak coverage without the on-call time that breaks a hard rule")


class HireSuggestion(Schema):
    timezone: str
    holiday_country: str | None
    utc_offset: str
    closes_minutes: int
    regions: dict[str, int] = Field(description="structural minutes closed per region")


class Violation(Schema):
    engineer: str
    rule: str
    start: str
    end: str
    detail: str


class TimeWindow(Schema):
    from_: str = Field(alias="from")
    to: str


class GapsAnswer(Schema):
    team: str
    from_: str = Field(alias="from", description="start of the window analysed (clipped to the horizon)")
    to: str
    rota_version: int | None
    outside_horizon: bool = Field(description="the window asked lies wholly outside the horizon: "
                                              "no gaps, regions or engineers, and no summary")
    clipped: bool = Field(description="the window asked reached past the horizon and was cut to it")
    requested: TimeWindow
    horizon: HorizonBounds
    summary: GapSummary | None
    gaps: list[GapOut]
    regions: list[RegionCoverageOut]
    engineers: list[EngineerLoad]
    violations: list[Violation] = Field(description="hard rules the rota breaks (overrides applied)")
    hiring: list[HireSuggestion] = Field(description="where one hire would close the most structural time")


# writes ------------------------------------------------------------------------------------------


class TeamSaved(Schema):
    team: str
    revision: int


class Unmatched(Schema):
    where: str
    text: str
    reason: str
    occurrences: int


class RotaPublished(Schema):
    team: str
    version: int
    shifts: int
    unmatched: list[Unmatched]


class VersionInfo(Schema):
    version: int
    published_at: str
    published_by: str | None
    source: str


class Versions(Schema):
    team: str
    versions: list[VersionInfo]


class OverrideOut(Schema):
    id: str
    engineer: str
    replaces: str | None = None
    start: str
    end: str
    reason: str | None = None


class OverrideAdded(Schema):
    override: OverrideOut
    opens: list[GapChange]
    closes: list[GapChange]
    warnings: list[str] = Field(description="e.g. the replaced engineer is not on call in the window")


class PlanStarted(Schema):
    id: str
    status: PlanStatus


class Plan(Schema):
    id: str
    team: str
    status: PlanStatus
    options: dict[str, Any]
    progress: dict[str, Any] | None
    reason: str | None
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    published_version: int | None
    solver_status: str | None = None
    rota: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    against_current: dict[str, Any] | None = None


class PlanPublished(Schema):
    team: str
    version: int
    plan: str
    against_current: dict[str, Any] | None = None


class Feed(Schema):
    team: str
    engineer: str
    url: str


class Health(Schema):
    status: Literal["ok", "degraded"]
    store: Literal["ok", "unreachable"]


class SlackMessage(Schema):
    response_type: str
    text: str
    blocks: list[dict[str, Any]] | None = None
