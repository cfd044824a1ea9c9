"""Initial schema: teams, rota versions, overrides, plans, tokens, calendar feed secrets.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("scenario", sa.JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("state_revision", sa.Integer, nullable=False),
        sa.Column("current_version", sa.Integer, nullable=True),
        sa.Column("updated_at", _Time, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=True),
    )
    op.create_table(
        "rota_versions",
        sa.Column("team", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("rota", sa.JSON, nullable=False),
        sa.Column("published_at", _Time, nullable=False),
        sa.Column("published_by", sa.String(200), nullable=True),
        sa.Column("source", sa.String(100), nullable=False),
    )
    op.create_table(
        "overrides",
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
    op.create_table(
        "plans",
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
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("teams", sa.JSON, nullable=True),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", _Time, nullable=False),
        sa.Column("revoked_at", _Time, nullable=True),
    )
    op.create_table(
        "feed_secrets",
        sa.Column("team", sa.String(64), sa.ForeignKey("teams.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("engineer", sa.String(64), primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("created_at", _Time, nullable=False),
    )


def downgrade() -> None:
    for table in ("feed_secrets", "tokens", "plans", "overrides", "rota_versions", "teams"):
        op.drop_table(table)
