"""What a metrics scrape reads from the store, in one query each: every team's state revision,
plan records per team and status, and run times of finished plans.

Read from the store whatever process wrote them, so every API process sharing one PostgreSQL
reports the same figures.
"""

from __future__ import annotations

import sqlalchemy as sa

from rota.store.schema import plans, teams


def plan_counts(engine: sa.Engine) -> dict[tuple[str, str], int]:
    """Number of plans per (team, status)."""
    query = sa.select(plans.c.team, plans.c.status, sa.func.count()).group_by(plans.c.team, plans.c.status)
    with engine.connect() as db:
        return {(team, status): int(n) for team, status, n in db.execute(query)}


def plan_durations(engine: sa.Engine) -> dict[str, list[float]]:
    """Seconds from start to finish of every finished plan, per team."""
    query = sa.select(plans.c.team, plans.c.started_at, plans.c.finished_at).where(
        plans.c.started_at.is_not(None), plans.c.finished_at.is_not(None))
    out: dict[str, list[float]] = {}
    with engine.connect() as db:
        for team, started, finished in db.execute(query):
            out.setdefault(team, []).append(max((finished - started).total_seconds(), 0.0))
    return out


def state_revisions(engine: sa.Engine) -> dict[str, int]:
    """Every team's state revision (bumped by each committing write to it), by team id."""
    with engine.connect() as db:
        return {team: int(rev) for team, rev in db.execute(sa.select(teams.c.id, teams.c.state_revision))}
