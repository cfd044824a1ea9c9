"""`GET /v1/teams/{team}/handoffs` (read): who goes on and off call when, per region.

Default window: from the request time for 24 hours. The answer is `rota.handoffs`' JSON, the same
that `rota handoffs --format json` prints for the same window.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from rota.handoffs import handoff_report
from rota.spans import to_ts
from rota_api.deps import ReadAccess, ServicesDep, parse_instant

router = APIRouter(prefix="/v1/teams", tags=["handoffs"])

DEFAULT_WINDOW = dt.timedelta(hours=24)


@router.get("/{team}/handoffs")
def get_handoffs(team: str, services: ServicesDep, _token: ReadAccess,
                 start: Annotated[str | None, Query(alias="from")] = None,
                 end: Annotated[str | None, Query(alias="to")] = None,
                 region: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """Per region, each instant the qualified responders change: who comes on, who goes off."""
    current = services.current.get(team)
    lo = parse_instant(start, "from") or dt.datetime.now(dt.UTC).replace(microsecond=0)
    hi = parse_instant(end, "to") or lo + DEFAULT_WINDOW
    return handoff_report(current.scenario, current.require_rota(), to_ts(lo), to_ts(hi), region)
