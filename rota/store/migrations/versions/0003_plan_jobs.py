"""Plans become jobs: the horizon they plan (one queued or running plan per team and horizon, a
unique partial index), the scenario revision they were queued against (queued plans keep no parsed
scenario), attempts, the queue's job id, a cancel request and an event log. The heartbeat column
goes: on PostgreSQL procrastinate's workers beat, and the embedded pool needs only its owner.

On PostgreSQL this migration also installs procrastinate's own schema (the SQL the installed
procrastinate ships), so one `Store.open` (or `rota migrate`) sets up a fresh database.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("horizon", sa.String(40), nullable=True))
        batch.add_column(sa.Column("scenario_revision", sa.Integer, nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("job_id", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("events", sa.JSON, nullable=True))
        batch.drop_column("heartbeat_at")
    op.execute(sa.text("UPDATE plans SET status = 'failed', reason = 'interrupted' "
                       "WHERE status IN ('queued', 'running')"))
    op.create_index("plans_one_active_per_horizon", "plans", ["team", "horizon"], unique=True,
                    sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    if op.get_bind().dialect.name == "postgresql":
        _install_procrastinate()


def _install_procrastinate() -> None:
    bind = op.get_bind()
    present = bind.execute(sa.text("SELECT to_regclass('procrastinate_jobs')")).scalar()
    if present is not None:
        return
    schema = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
    # Raw driver call: no parameter parsing, so procrastinate's SQL runs exactly as shipped.
    driver: Any = bind.connection.driver_connection
    driver.execute(schema)


def downgrade() -> None:
    op.drop_index("plans_one_active_per_horizon", "plans")
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        for column in ("events", "cancel_requested_at", "job_id", "attempts", "scenario_revision",
                       "horizon"):
            batch.drop_column(column)
