"""The store: teams, rota versions, overrides, plans and tokens in SQLAlchemy 2.

SQLite (WAL) by default, PostgreSQL (`postgresql+psycopg://`) in production. The repositories take
and return domain models; rows never leave this package. `Store.open(url)` migrates the schema.
"""

from __future__ import annotations

import sqlalchemy as sa

from rota.store.engine import StoreUnavailable, StoreUrlInvalid, make_engine, migrate, shown_url
from rota.store.plans import PlanRecord, PlanRepository
from rota.store.repository import StaleWrite, TeamRepository, TeamState, TeamSummary, VersionInfo
from rota.store.tokens import SCOPES, Scope, Token, TokenInfo, TokenRepository

DEFAULT_DATABASE_URL = "sqlite:///./rota.db"

__all__ = [
    "DEFAULT_DATABASE_URL", "SCOPES", "PlanRecord", "Scope", "StaleWrite", "Store",
    "StoreUnavailable", "StoreUrlInvalid", "TeamState", "TeamSummary", "Token", "TokenInfo",
    "VersionInfo", "shown_url",
]


class Store:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.teams = TeamRepository(engine)
        self.plans = PlanRepository(engine)
        self.tokens = TokenRepository(engine)

    @classmethod
    def open(cls, url: str, migrate_schema: bool = True) -> Store:
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        return cls(engine)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as db:
                db.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def close(self) -> None:
        self.teams.close()
        self.engine.dispose()
