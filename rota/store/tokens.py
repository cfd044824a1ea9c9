"""API tokens and calendar-feed secrets: only SHA-256 hashes are stored, compared in constant time.

Scopes are ordered `read` < `plan` < `admin`: a token grants its scope and every lower one. A token
may be limited to a list of teams; `None` means every team. A token is shown once, when made:
`rota_<32 url-safe bytes>`. A token may expire (`expires_at`, UTC): from then on `verify` refuses
it, as it refuses a revoked one. `verify` also records when a token was last used, at most once a
minute per token so the hot path rarely writes. A feed secret is per team and engineer; making a
new one replaces (and so revokes) the old one, and `revoke_feed` removes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Literal, get_args

import sqlalchemy as sa

from rota.errors import FieldError, InvalidInput, NotFound
from rota.store.engine import utc, utc_now
from rota.store.schema import feed_secrets, teams, tokens

Scope = Literal["read", "plan", "admin"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Token:
    id: str
    scope: Scope
    teams: tuple[str, ...] | None
    label: str | None = None
    expires_at: dt.datetime | None = None

    def grants(self, scope: Scope, team: str | None = None) -> bool:
        if SCOPES.index(self.scope) < SCOPES.index(scope):
            return False
        return team is None or self.teams is None or team in self.teams


@dataclass(frozen=True)
class TokenInfo:
    """What `rota token list` shows of a token (never its secret or hash)."""

    token: Token
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def status(self, at: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        expires = self.token.expires_at
        return "expired" if expires is not None and expires <= at else "active"


def check_scope(value: str) -> Scope:
    if value not in SCOPES:
        raise InvalidInput([FieldError("scope", f"{value!r} is not one of {', '.join(SCOPES)}")],
                           "token")
    return value  # type: ignore[return-value]


class TokenRepository:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create(self, scope: str, teams_: list[str] | None = None, label: str | None = None,
               expires_at: dt.datetime | None = None) -> tuple[str, Token]:
        """A new token: the secret (shown once) and what it grants, until `expires_at` if given."""
        if expires_at is not None and (expires_at.tzinfo is None or expires_at <= utc_now()):
            raise InvalidInput([FieldError("expires", "must be a UTC instant in the future")], "token")
        token = Token(secrets.token_hex(8), check_scope(scope),
                      tuple(teams_) if teams_ else None, label,
                      expires_at.astimezone(dt.UTC) if expires_at else None)
        secret = "rota_" + secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(tokens.insert().values(
                id=token.id, hash=hash_secret(secret), scope=token.scope,
                teams=list(token.teams) if token.teams else None, label=label,
                created_at=utc_now(), expires_at=token.expires_at))
        return secret, token

    def verify(self, secret: str) -> Token | None:
        """The token whose hash matches `secret`, unless revoked or expired; None otherwise."""
        digest = hash_secret(secret)
        with self.engine.connect() as db:
            row = db.execute(sa.select(tokens).where(tokens.c.hash == digest)).first()
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.hash, digest):
            return None
        now = utc_now()
        token = _token(row)
        if token.expires_at is not None and token.expires_at <= now:
            return None
        last = utc(row.last_used_at)
        if last is None or now - last >= LAST_USED_RESOLUTION:
            with self.engine.begin() as db:
                db.execute(tokens.update().where(tokens.c.id == row.id).values(last_used_at=now))
        return token

    def all_tokens(self) -> list[TokenInfo]:
        """Every token, oldest first, revoked and expired ones included."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(tokens).order_by(tokens.c.created_at, tokens.c.id)).all()
        return [TokenInfo(_token(row), utc(row.created_at) or utc_now(), utc(row.last_used_at),
                          utc(row.revoked_at)) for row in rows]

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


def _token(row: Any) -> Token:
    return Token(row.id, row.scope, tuple(row.teams) if row.teams else None, row.label,
                 utc(row.expires_at))
