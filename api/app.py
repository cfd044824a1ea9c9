"""The application factory: `create_app(settings)` wires the store, auth, caches and routes.

Opening the app migrates the store and opens the plan queue (`rota.jobs`): the embedded pool, which
fails `interrupted` the plans of a serving process that is gone, or procrastinate, through which
`rota worker` processes run plans. Routes live in `rota_api.routes`, one module per concept.
`rota serve` uses `serving_app`, which also freezes the process' code out of the garbage
collector's walks (`rota_api.heap`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from rota.jobs import Planner, PlanQueue
from rota.store import Store
from rota_api import gil, heap, openapi, problems
from rota_api.auth import TokenCheck
from rota_api.bodylimit import BodyLimit
from rota_api.compat import opsgenie, pagerduty
from rota_api.compat.pagerduty import OncallsFastPath
from rota_api.current import CurrentCache
from rota_api.deps import Services
from rota_api.edge import RefuseControlCharacters
from rota_api.metrics import HttpMetrics
from rota_api.reportlinks import LinkSigner
from rota_api.routes import ROUTERS
from rota_api.routes.now import NowFastPath
from rota_api.settings import Settings
from rota_api.unexpected import AnswerUnexpected
from rota_api.uploads import Uploads


def create_app(settings: Settings | None = None, *, planner: Planner | None = None,
               warm: bool = False) -> FastAPI:
    """The app; with `warm` its upload process (`rota_api.uploads`) starts with it, else at the
    first big upload."""
    settings = settings or Settings()
    store = Store.open(settings.database_url)
    services = Services(
        settings=settings,
        store=store,
        current=CurrentCache(store, settings.revision_check_seconds),
        tokens=TokenCheck(store, settings.token_cache_seconds),
        jobs=open_queue(settings, store, planner),
        uploads=Uploads(store, settings.database_url, settings.upload_processes),
        links=LinkSigner(settings.link_secret.get_secret_value() if settings.link_secret else None,
                         settings.link_max_seconds),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm:
            services.uploads.start()
        try:
            yield
        finally:  # each closed even when another fails: no pool or connection left behind
            try:
                services.uploads.close()
            finally:
                try:
                    await services.current.aclose()
                finally:
                    try:
                        services.jobs.close()
                    finally:
                        store.close()

    app = FastAPI(
        title="rota",
        summary="Follow-the-sun on-call: plans, who responds now, coverage gaps.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served offline by rota_api.routes.docs
        redoc_url=None,
    )
    app.state.services = services
    problems.install(app)
    openapi.install(app)
    for router in ROUTERS:
        app.include_router(router)
    vendors = {"/pagerduty": pagerduty.vendor_error, "/opsgenie": opsgenie.vendor_error_answer}
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, tokens=services.tokens, answers=vendors)
    app.add_middleware(NowFastPath, services=services)
    app.add_middleware(OncallsFastPath, services=services)
    app.add_middleware(AnswerUnexpected)
    app.add_middleware(RefuseControlCharacters, answers=vendors)
    app.add_middleware(HttpMetrics)
    return app


def serving_app() -> FastAPI:
    """`rota serve`'s factory (each serving process): `create_app()` with its code frozen out of
    the garbage collector's walks (`rota_api.heap`), a short interpreter switch interval
    (`rota_api.gil`) and its upload process started."""
    app = create_app(warm=True)
    heap.freeze_code()
    gil.prefer_the_loop()
    return app


def open_queue(settings: Settings, store: Store, planner: Planner | None) -> PlanQueue:
    """The embedded pool, or procrastinate on PostgreSQL (`ROTA_PLAN_QUEUE`)."""
    from rota.jobs import door_planner
    from rota.jobs.embedded import EmbeddedQueue

    kind = settings.plan_queue
    if kind == "auto":
        kind = "procrastinate" if settings.database_url.startswith("postgresql") else "embedded"
    if kind == "procrastinate":
        from rota.jobs.pgqueue import ProcrastinateQueue

        return ProcrastinateQueue(store, settings.database_url)
    return EmbeddedQueue(store, planner or door_planner, settings.plan_workers,
                         settings.plan_solver_threads, settings.plan_memory_limit_mb)
