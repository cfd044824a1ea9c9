"""Bearer-token authentication and scope checks.

A request's token is hashed and looked up in the store; a verified token is remembered (by its
hash) for `ROTA_TOKEN_CACHE_SECONDS`, so the hot `now` path does not read the store for it, and
never past the token's expiry. No token, an unknown, revoked or expired one: 401. A token without
the scope or the team: 403. Both are answered before the route runs, so a refused request touches
nothing. With no token in the store no team data is served to anyone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time

from starlette.concurrency import run_in_threadpool

from rota.store import Scope, Store, Token
from rota_api.problems import Forbidden, Unauthenticated


class TokenCheck:
    def __init__(self, store: Store, ttl_seconds: float) -> None:
        self.store = store
        self.ttl = ttl_seconds
        self._cache: dict[str, tuple[float, Token]] = {}
        self._lock = threading.Lock()

    async def authenticate(self, authorization: str | None) -> Token:
        secret = _bearer(authorization)
        key = hashlib.sha256(secret.encode("utf-8")).hexdigest()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > time.monotonic() and _unexpired(cached[1]):
            return cached[1]
        token = await run_in_threadpool(self.store.tokens.verify, secret)
        if token is None:
            raise Unauthenticated("unknown, revoked or expired token")
        if self.ttl > 0:
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[key] = (time.monotonic() + self.ttl, token)
        return token

    async def authorize(self, authorization: str | None, scope: Scope,
                        team: str | None) -> Token:
        token = await self.authenticate(authorization)
        if not token.grants(scope, None):
            raise Forbidden(f"this token has scope {token.scope!r}; {scope!r} is needed")
        if not token.grants(scope, team):
            raise Forbidden(f"this token is not valid for team {team!r}")
        return token


def _unexpired(token: Token) -> bool:
    return token.expires_at is None or token.expires_at > dt.datetime.now(dt.UTC)


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthenticated("an Authorization: Bearer <token> header is required")
    kind, _, secret = authorization.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return secret.strip()
