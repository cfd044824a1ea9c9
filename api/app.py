"""The application factory: `create_app(settings)` wires the store, auth, caches and routes.

Opening the app migrates the store and marks plans left unfinished by a process that is gone as
`failed: interrupted` (`rota_api.planning`). Routes live in `rota_api.routes`, one module per concept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from rota.store import Store
from rota_api import problems
from rota_api.auth import TokenCheck
from rota_api.bodylimit import BodyLimit
from rota_api.current import CurrentCache
from rota_api.deps import Services
from rota_api.planning import Planner, PlanRunner, door_planner
from rota_api.routes import ROUTERS
from rota_api.routes.now import NowFastPath
from rota_api.settings import Settings


def create_app(settings: Settings | None = None, *, planner: Planner | None = None) -> FastAPI:
    settings = settings or Settings()
    store = Store.open(settings.database_url)
    services = Services(
        settings=settings,
        store=store,
        current=CurrentCache(store, settings.revision_check_seconds),
        tokens=TokenCheck(store, settings.token_cache_seconds),
        runner=PlanRunner(store, planner or door_planner, settings.plan_workers),
    )
    services.runner.interrupt_orphans()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        services.runner.start_heartbeat()
        yield
        await services.current.aclose()
        services.runner.shutdown()
        store.close()

    app = FastAPI(
        title="rota",
        summary="Follow-the-sun on-call: plans, who responds now, coverage gaps.",
        version="1",
        lifespan=lifespan,
    )
    app.state.services = services
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(NowFastPath, services=services)
    return app
