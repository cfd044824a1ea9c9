"""An unexpected error (a bug) ends as a problem+json 500 inside the app, and nowhere else.

Starlette hands exceptions with no handler to its outermost middleware, which answers 500 and then
raises them again for the server to log; uvicorn then logs a second traceback and closes the
connection, so keep-alive clients see a reset. This middleware sits inside that one: it logs the
traceback once, answers the problem+json 500 and returns normally, so the connection stays open.
An exception after the answer has started cannot be answered any more and goes on to the server.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rota_api.problems import log, problem


class AnswerUnexpected:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            request = Request(scope)
            log.exception("unexpected error on %s %s", request.method, request.url.path,
                          exc_info=exc)
            await problem(500, "Internal server error",
                          "an unexpected error; it has been logged")(scope, receive, send)
