"""`PUT /v1/teams/{team}/leave` (plan): out-of-office events (`text/calendar` or `text/csv`) into
the stored scenario's `unavailable` entries (`rota.leave`: idempotent, keyed by UID).

The scenario is read, merged and saved as one optimistic write: against the `If-Match` revision
when given, else against the revision read, so a change by someone else in between answers 412
instead of being overwritten. An import that changes nothing writes nothing. The answer lists the
entries added and removed, what was skipped (with line and UID), the unmatched events, and the gaps
the new leave opens (and the removed leave closes) in the current rota.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from rota.leave_files import import_leave, leave_gap_changes
from rota_api.deps import PlanAccess, ServicesDep, etag, expected_revision
from rota_api.problems import WRITE_ERRORS, responses
from rota_api.routes.body import body_text, raw_body_doc, require_media

router = APIRouter(prefix="/v1/teams", tags=["leave"])

KINDS: dict[str, Literal["ics", "csv"]] = {"text/calendar": "ics", "text/csv": "csv"}


@router.put("/{team}/leave", openapi_extra=raw_body_doc("text/calendar", "text/csv"),
            responses={200: {"description": "what changed, what was noted, and the gaps the leave opens",
                             "content": {"application/json": {"schema": {"type": "object"}}}},
                       **responses(*WRITE_ERRORS, 412, 415)})
async def put_leave(team: str, request: Request, response: Response, services: ServicesDep,
                    token: PlanAccess, strict: bool = False,
                    if_match: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Import leave from an out-of-office calendar or CSV; answers what changed and the gaps it opens."""
    kind = KINDS.get(require_media(request, tuple(KINDS)), "ics")
    expected = expected_revision(if_match)
    text = await body_text(request, "leave file")

    def work() -> dict[str, Any]:
        scenario, revision = services.store.teams.scenario(team)
        result = import_leave(text, kind, scenario, strict)
        if result.changed:
            with services.current.writing(team):
                revision = services.store.teams.put_scenario(
                    result.scenario, expected if expected is not None else revision,
                    token.label or token.id)
        rota = services.current.get(team).rota
        return {**result.to_json(), "revision": revision, **leave_gap_changes(result, rota)}

    answer = await run_in_threadpool(work)
    response.headers["ETag"] = etag(answer["revision"])
    return answer
