"""`GET /healthz`: liveness and store reachability (503 when the store does not answer)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from rota_api.deps import ServicesDep
from rota_api.openapi import answer
from rota_api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=None,
            responses={**answer(Health, description="the service and its store answer"),
                       **answer(Health, 503, "the store does not answer")})
def healthz(response: Response, services: ServicesDep) -> dict[str, Any]:
    reachable = services.store.ping()
    if not reachable:
        response.status_code = 503
    return {"status": "ok" if reachable else "degraded",
            "store": "ok" if reachable else "unreachable"}
