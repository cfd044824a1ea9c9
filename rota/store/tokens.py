"""API tokens and calendar-feed secrets: only SHA-256 hashes are stored, compared in constant time.

Scopes are ordered `read` < `plan` < `admin`: a token grants its scope and every lower one. A token
may be limited to a list of teams; `None` means every team. A token is shown once, when made:
`rota_<32 url-safe bytes>`. A feed secret is per team and engineer; making a new one replaces (and
so revokes) the old one, and `revoke_feed` removes it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal, get_args

import sqlalchemy as sa

from rota.errors import FieldError, InvalidInput, NotFound
from rota.store.engine import utc_now
from rota.store.schema import feed_secrets, teams, tokens

Scope = Literal["read", "plan", "admin"]
SCOPES: tuple[Scope, ...] = get_args(Scope)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Token:
    id: str
    scope: Scope
    teams: tuple[str, ...] | None
    label: str | None = None

    def grants(self, scope: Scope, team: str | None = None) -> bool:
        if SCOPES.index(self.scope) < SCOPES.index(scope):
            return False
        return team is None or self.teams is None or team in self.teams


def check_scope(value: str) -> Scope:
    if value not in SCOPES:
        raise InvalidInput([FieldError("scope", f"{value!r} is not one of {', '.join(SCOPES)}")],
                           "token")
    return value  # type: ignore[return-value]


class TokenRepository:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create(self, scope: str, teams_: list[str] | None = None,
               label: str | None = None) -> tuple[str, Token]:
        """A new token: the secret (shown once) and what it grants."""
        token = Token(secrets.token_hex(8), check_scope(scope),
                      tuple(teams_) if teams_ else None, label)
        secret = "rota_" + secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(tokens.insert().values(
                id=token.id, hash=hash_secret(secret), scope=token.scope,
                teams=list(token.teams) if token.teams else None, label=label,
                created_at=utc_now()))
        return secret, token

    def verify(self, secret: str) -> Token | None:
        """The token whose hash matches `secret`, unless revoked; None otherwise."""
        digest = hash_secret(secret)
        with self.engine.connect() as db:
            row = db.execute(sa.select(tokens).where(tokens.c.hash == digest)).first()
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.hash, digest):
            return None
        return Token(row.id, row.scope, tuple(row.teams) if row.teams else None, row.label)

    def revoke(self, token_id: str) -> None:
        with self.engine.begin() as db:
            done = db.execute(tokens.update().where(tokens.c.id == token_id,
                                                    tokens.c.revoked_at.is_(None))
                              .values(revoked_at=utc_now()))
        if done.rowcount != 1:
            raise NotFound(f"no active token {token_id!r}")

    def count_active(self) -> int:
        with self.engine.connect() as db:
            return int(db.execute(sa.select(sa.func.count()).select_from(tokens)
                                  .where(tokens.c.revoked_at.is_(None))).scalar_one())

    # calendar feeds ----------------------------------------------------------------------------

    def create_feed(self, team: str, engineer: str) -> str:
        """A new feed secret for one engineer's calendar (replaces any earlier one)."""
        secret = secrets.token_urlsafe(24)
        with self.engine.begin() as db:
            if db.execute(sa.select(teams.c.id).where(teams.c.id == team)).first() is None:
                raise NotFound(f"no team {team!r}")
            db.execute(feed_secrets.delete().where(feed_secrets.c.team == team,
                                                   feed_secrets.c.engineer == engineer))
            db.execute(feed_secrets.insert().values(team=team, engineer=engineer,
                                                    hash=hash_secret(secret),
                                                    created_at=utc_now()))
        return secret

    def verify_feed(self, team: str, engineer: str, secret: str) -> bool:
        with self.engine.connect() as db:
            stored = db.execute(sa.select(feed_secrets.c.hash).where(
                feed_secrets.c.team == team, feed_secrets.c.engineer == engineer)).scalar()
        return stored is not None and hmac.compare_digest(stored, hash_secret(secret))

    def revoke_feed(self, team: str, engineer: str) -> None:
        with self.engine.begin() as db:
            done = db.execute(feed_secrets.delete().where(feed_secrets.c.team == team,
                                                          feed_secrets.c.engineer == engineer))
        if done.rowcount != 1:
            raise NotFound(f"no calendar feed for {engineer!r} in team {team!r}")
