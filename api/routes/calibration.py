"""`POST /v1/teams/{team}/calibration` (read): response minutes fitted from acknowledgement records.

The body is the incident CSV (`text/csv`: the generic layout or PagerDuty's export, see
`rota.calibration_records`). Records are checked against the team's current rota (pages outside
every shift are left out, noted) and the answer is `rota calibrate --format json`'s: estimates,
the scenario patch, the gaps applying it opens and closes, notes, and whom to test-page. Nothing is
stored: apply the patch by saving the scenario (`PUT /v1/teams/{team}`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from rota.calibration import calibrate
from rota.calibration_patch import patch_changes
from rota.calibration_records import read_acks
from rota.oncall import rota_on_call
from rota_api.deps import ReadAccess, ServicesDep
from rota_api.problems import WRITE_ERRORS, responses
from rota_api.routes.body import body_text, raw_body_doc, require_media

router = APIRouter(prefix="/v1/teams", tags=["calibration"])


@router.post("/{team}/calibration", openapi_extra=raw_body_doc("text/csv"),
             responses={200: {"description": "estimates, the scenario patch and the gaps it changes",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                        **responses(*WRITE_ERRORS, 415)})
async def post_calibration(team: str, request: Request, services: ServicesDep, _token: ReadAccess,
                           quantile: Annotated[float, Query(ge=0.5, le=0.99)] = 0.9,
                           min_samples: Annotated[int, Query(ge=1, le=1000)] = 5) -> dict[str, Any]:
    """Fit response minutes per engineer and band; answer the patch and what it changes."""
    require_media(request, ("text/csv",))
    text = await body_text(request, "incident file")

    def work() -> dict[str, Any]:
        current = services.current.get(team)
        on_call = rota_on_call(current.rota, -2**40, 2**40) if current.rota is not None else None
        result = calibrate(current.scenario, read_acks(text, current.scenario), quantile, min_samples, on_call)
        return {"team": team, "rota_version": current.rota.version if current.rota else None,
                **result.to_json(), **patch_changes(current.scenario, result, current.rota)}

    return await run_in_threadpool(work)
