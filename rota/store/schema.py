"""The store's tables (SQLAlchemy Core). Rows never leave `rota.store`: the repositories turn them
into domain models.

Two counters per team: `revision` is the scenario's ETag and bumps when the scenario is saved;
`state_revision` bumps on every commit that changes what "who responds now" answers (a scenario, a
published version, an override). An API process keeps its in-memory index while the counter it
built from is still current, so checking it is one indexed read per request, also across processes.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

_Time = sa.DateTime(timezone=True)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("scenario", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("state_revision", sa.Integer, nullable=False),
    sa.Column("current_version", sa.Integer, nullable=True),
    sa.Column("updated_at", _Time, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=True),
)

rota_versions = sa.Table(
    "rota_versions",
    metadata,
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("rota", sa.JSON, nullable=False),
    sa.Column("published_at", _Time, nullable=False),
    sa.Column("published_by", sa.String(200), nullable=True),
    sa.Column("source", sa.String(100), nullable=False),
)

overrides = sa.Table(
    "overrides",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("engineer", sa.String(64), nullable=False),
    sa.Column("replaces", sa.String(64), nullable=True),
    sa.Column("start_at", _Time, nullable=False),
    sa.Column("end_at", _Time, nullable=False),
    sa.Column("reason", sa.String(200), nullable=True),
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=True),
)

plans = sa.Table(
    "plans",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("progress", sa.JSON, nullable=True),
    sa.Column("result", sa.JSON, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("started_at", _Time, nullable=True),
    sa.Column("finished_at", _Time, nullable=True),
    sa.Column("created_by", sa.String(200), nullable=True),
    sa.Column("published_version", sa.Integer, nullable=True),
    sa.Column("owner", sa.String(200), nullable=True),
    sa.Column("horizon", sa.String(40), nullable=True),
    sa.Column("scenario_revision", sa.Integer, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("job_id", sa.BigInteger, nullable=True),
    sa.Column("cancel_requested_at", _Time, nullable=True),
    sa.Column("events", sa.JSON, nullable=True),
)

# One queued or running plan per team and horizon, whichever process asks (a partial unique index:
# SQLite and PostgreSQL both have them).
_ACTIVE = sa.text("status IN ('queued', 'running')")
sa.Index("plans_one_active_per_horizon", plans.c.team, plans.c.horizon, unique=True,
         sqlite_where=_ACTIVE, postgresql_where=_ACTIVE)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scope", sa.String(8), nullable=False),
    sa.Column("teams", sa.JSON, nullable=True),
    sa.Column("label", sa.String(200), nullable=True),
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("revoked_at", _Time, nullable=True),
    sa.Column("expires_at", _Time, nullable=True),
    sa.Column("last_used_at", _Time, nullable=True),
)

feed_secrets = sa.Table(
    "feed_secrets",
    metadata,
    sa.Column("team", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("engineer", sa.String(64), primary_key=True),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("created_at", _Time, nullable=False),
)
