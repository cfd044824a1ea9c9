"""Request bodies: refused over their limit with 413, and read only once the caller is known.

- A body is never read ahead of the route. It is counted as the route reads it; past the limit the
  read fails with 413 and the connection is closed (the rest is never read).
- A declared `Content-Length` over the limit is refused at once, before anything else; under a
  vendor compatibility prefix (`answers`, as `rota_api.edge` takes them) in the vendor's error
  shape, else as problem+json.
- Scenario and rota uploads (`PUT /v1/teams/{team}`, `PUT /v1/teams/{team}/rota`), leave calendars
  (`PUT /v1/teams/{team}/leave`) and incident files (`POST /v1/teams/{team}/calibration`, parsed off
  the event loop) may be as large as `ROTA_MAX_BODY_BYTES`; every other body (overrides, plans, Slack commands) at most
  `SMALL_BODY_BYTES`, so no other route parses megabytes on the event loop.
- A request with a body under `/v1/` (except Slack's, which is signed instead) must carry a known
  token before its body is read: no token, an unknown or a revoked one is answered 401 with the
  connection closed, so unauthenticated clients cannot make the server buffer their bodies. The
  route checks scope and team as usual.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rota.errors import LimitExceeded, RotaError
from rota_api.auth import TokenCheck
from rota_api.edge import vendor_answer
from rota_api.problems import PROBLEM_JSON, Unauthenticated, from_rota_error

SMALL_BODY_BYTES = 64 * 1024
_UPLOADS = re.compile(r"^/v1/teams/[^/]+(/rota|/leave)?$")
_FILE_POSTS = re.compile(r"^/v1/teams/[^/]+/calibration$")
_NO_BODY = ("GET", "HEAD", "OPTIONS")
_SIGNED = "/v1/slack/"


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, tokens: TokenCheck | None = None,
                 answers: Mapping[str, Callable[[RotaError], Response]] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.tokens = tokens
        self.answers = dict(answers or {})  # path prefix -> how that vendor answers an error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _NO_BODY:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and (declared < 0 or declared > limit):
            vendor = vendor_answer(self.answers, scope["path"],
                                   LimitExceeded(f"request bodies are limited to {limit} bytes"))
            if vendor is None:
                await _refuse(send, limit)
                return
            vendor.headers["connection"] = "close"
            await vendor(scope, receive, send)
            return
        if _has_body(scope, declared) and not await self._known_caller(scope, receive, send):
            return
        state = {"size": 0, "over": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["size"] += len(message.get("body", b""))
                if state["size"] > limit:
                    state["over"] = True
                    raise HTTPException(413, f"request bodies are limited to {limit} bytes")
            return message

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start" and state["over"]:
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"connection", b"close")]}
            await send(message)

        await self.app(scope, counted, closing)

    def limit_for(self, scope: Scope) -> int:
        if scope["method"] == "PUT" and _UPLOADS.match(scope["path"]):
            return self.max_bytes
        if scope["method"] == "POST" and _FILE_POSTS.match(scope["path"]):
            return self.max_bytes
        return min(self.max_bytes, SMALL_BODY_BYTES)

    async def _known_caller(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """False (and answered 401) when a body would be read for a caller with no valid token."""
        path = scope["path"]
        if self.tokens is None or not path.startswith("/v1/") or path.startswith(_SIGNED):
            return True
        header = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"authorization"),
                      None)
        try:
            await self.tokens.authenticate(header)
        except Unauthenticated as exc:
            response = from_rota_error(exc)
            response.headers["connection"] = "close"
            await response(scope, receive, send)
            return False
        return True


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({
        "type": "/problems/too-large", "title": "Content too large", "status": 413,
        "detail": f"request bodies are limited to {limit} bytes",
    }).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", PROBLEM_JSON.encode()),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _has_body(scope: Scope, declared: int | None) -> bool:
    if declared is not None:
        return declared > 0
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None
