"""Teams, rota versions and overrides, spoken in domain models (`Scenario`, `Rota`, `Override`).

Rules the store keeps:
- Saving a scenario, publishing a version and adding or removing an override are each one
  transaction; each bumps the team's `state_revision` (what "now" depends on).
- Versions are immutable and numbered 1, 2, ... per team; publishing is conditional on the version
  the writer last saw when it says so (`expected_version`), checked inside the transaction with a
  guarded UPDATE, so two writers (also two processes) cannot both win: the loser gets `StaleWrite`.
  A blind write (no expected version or revision) that loses that race is retried and wins (last
  writer wins, on SQLite too, where nothing is locked before the UPDATE).
- Publishing a plan marks it published in the publish's own transaction: of two concurrent
  publishes of one plan exactly one commits; the other gets `Conflict`.
- Overrides belong to the team, not to one version: a sick-cover edit stays true when a new plan
  is published. A version may carry overrides of its own (from an uploaded rota file); those come
  first, then the team's in the order they were added. Only the team's can be deleted.
- Scenario revisions and rota versions never change once written, so a repository keeps the last
  one of each team it parsed (`_Parsed`): a read sends the stored document only when the row
  holds another revision or version than the one kept (a `CASE` in the same statement), so a
  2,000-engineer scenario is validated once per revision, not on every read.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass
from typing import Any, NoReturn

import sqlalchemy as sa

from rota.errors import Conflict, NotFound
from rota.gcpause import without_gc
from rota.rotafile import Override, Rota, parse_rota
from rota.scenario import Scenario
from rota.store.engine import utc, utc_now
from rota.store.schema import overrides, plans, rota_versions, teams
from rota.validation import parse_scenario


class StaleWrite(Conflict):
    """A conditional write (`If-Match`) based on a revision that is no longer current."""

    title = "Precondition failed"


class _Overtaken(Exception):
    """A blind write found that another writer committed first; it is retried."""


BLIND_RETRIES = 50


def _lost(expected: int | None, message: str) -> NoReturn:
    """A guarded UPDATE matched no row: 412 for a conditional write, a retry for a blind one."""
    if expected is not None:
        raise StaleWrite(message)
    raise _Overtaken(message)


@dataclass(frozen=True)
class VersionInfo:
    version: int
    published_at: dt.datetime
    published_by: str | None
    source: str


@dataclass(frozen=True)
class TeamState:
    """One consistent read of what "now" needs: the scenario and the current rota with overrides."""

    state_revision: int
    scenario: Scenario
    rota: Rota | None


@dataclass(frozen=True)
class TeamSummary:
    """One line of `GET /v1/teams`: a team, its current rota version (0: none) and that rota's
    horizon (the scenario's while no rota is published)."""

    team: str
    name: str | None
    rota_version: int
    horizon_start: dt.date
    horizon_days: int


class _Parsed:
    """The last parsed document of each team, with the revision (or version) it was parsed at."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[int, Any]] = {}
        self._lock = threading.Lock()

    def revision(self, team: str) -> int:
        """The revision kept for `team`, or -1 (no stored revision is negative)."""
        with self._lock:
            kept = self._kept.get(team)
        return kept[0] if kept is not None else -1

    def get(self, team: str, revision: int) -> Any:
        with self._lock:
            kept = self._kept.get(team)
        return kept[1] if kept is not None and kept[0] == revision else None

    def keep(self, team: str, revision: int, value: Any) -> None:
        with self._lock:
            kept = self._kept.get(team)
            if kept is None or kept[0] <= revision:
                self._kept[team] = (revision, value)


def _unless(kept: int, current: sa.ColumnElement[Any], document: sa.Column[Any]) -> Any:
    """`document`, or NULL when `current` is the revision already kept (it is not sent)."""
    return sa.type_coerce(sa.case((current == kept, sa.null()), else_=document),
                          document.type).label("document")


class TeamRepository:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._local = threading.local()
        self._raw: list[Any] = []
        self._raw_lock = threading.Lock()
        self._scenarios = _Parsed()
        self._rotas = _Parsed()

    # scenarios ---------------------------------------------------------------------------------

    def put_scenario(self, scenario: Scenario, expected_revision: int | None = None,
                     by: str | None = None) -> int:
        """Create or replace the team's scenario; returns its new revision (the ETag).

        Without `expected_revision` the write is blind and wins: when another writer got in
        between (also one creating the same team at the same moment), it is retried on the state
        that writer left.
        """
        data = scenario.model_dump(mode="json", exclude_none=True)
        for _ in range(BLIND_RETRIES):
            try:
                revision = self._put_scenario_once(scenario.team, data, expected_revision, by)
                self._scenarios.keep(scenario.team, revision, scenario)
                return revision
            except _Overtaken:
                continue
            except sa.exc.IntegrityError:  # created by another writer since we looked
                if expected_revision is not None:
                    raise StaleWrite(f"team {scenario.team!r} was created by another writer "
                                     f"(If-Match given)") from None
        raise StaleWrite(f"team {scenario.team!r} kept changing; try again")

    def _put_scenario_once(self, team: str, data: dict[str, Any], expected_revision: int | None,
                           by: str | None) -> int:
        now = utc_now()
        with self.engine.begin() as db:
            row = db.execute(sa.select(teams.c.revision).where(teams.c.id == team)
                             .with_for_update()).first()
            if row is None:
                if expected_revision is not None:
                    raise StaleWrite(f"team {team!r} does not exist (If-Match given)")
                db.execute(teams.insert().values(
                    id=team, scenario=data, revision=1, state_revision=1,
                    current_version=None, updated_at=now, updated_by=by))
                return 1
            if expected_revision is not None and row.revision != expected_revision:
                raise StaleWrite(f"team {team!r} is at revision {row.revision}, "
                                 f"not {expected_revision}")
            done = db.execute(teams.update()
                              .where(teams.c.id == team, teams.c.revision == row.revision)
                              .values(scenario=data, revision=teams.c.revision + 1,
                                      state_revision=teams.c.state_revision + 1,
                                      updated_at=now, updated_by=by))
            if done.rowcount != 1:
                _lost(expected_revision, f"team {team!r} changed while saving")
            return int(row.revision) + 1

    def scenario(self, team: str) -> tuple[Scenario, int]:
        """The team's scenario and its revision."""
        kept = self._scenarios.revision(team)
        with self.engine.connect() as db:
            row = db.execute(sa.select(teams.c.revision,
                                       _unless(kept, teams.c.revision, teams.c.scenario))
                             .where(teams.c.id == team)).first()
        if row is None:
            raise NotFound(f"no team {team!r}")
        return self._scenario_of(team, int(row.revision), row.document), int(row.revision)

    def _scenario_of(self, team: str, revision: int, document: Any) -> Scenario:
        found = self._scenarios.get(team, revision) if document is None else None
        if found is None:
            if document is None:  # dropped meanwhile by a newer keep: read it again
                with self.engine.connect() as db:
                    document = db.execute(sa.select(teams.c.scenario).where(
                        teams.c.id == team, teams.c.revision == revision)).scalar()
                if document is None:
                    raise NotFound(f"team {team!r} changed while reading; try again")
            found = without_gc(parse_scenario, document)
            self._scenarios.keep(team, revision, found)
        return found

    def summaries(self, only: tuple[str, ...] | None = None) -> list[TeamSummary]:
        """Every team (or those in `only`) by id, read without parsing whole scenarios."""
        query = (sa.select(teams.c.id, teams.c.scenario, teams.c.current_version, rota_versions.c.rota)
                 .select_from(teams.outerjoin(rota_versions, sa.and_(
                     rota_versions.c.team == teams.c.id,
                     rota_versions.c.version == teams.c.current_version)))
                 .order_by(teams.c.id))
        if only is not None:
            query = query.where(teams.c.id.in_(only))
        with self.engine.connect() as db:
            rows = db.execute(query).all()
        found = []
        for row in rows:
            horizon = (row.rota or row.scenario)["horizon"]
            found.append(TeamSummary(row.id, row.scenario.get("name"), int(row.current_version or 0),
                                     dt.date.fromisoformat(str(horizon["start"])), int(horizon["days"])))
        return found

    def team_ids(self) -> list[str]:
        with self.engine.connect() as db:
            return [r.id for r in db.execute(sa.select(teams.c.id).order_by(teams.c.id))]

    def state_revision(self, team: str) -> int:
        """The cheap check behind the "now" cache: one primary-key read of one integer."""
        with self.engine.connect() as db:
            value = db.execute(sa.select(teams.c.state_revision)
                               .where(teams.c.id == team)).scalar()
        if value is None:
            raise NotFound(f"no team {team!r}")
        return int(value)

    def peek_state_revision(self, team: str) -> int | None:
        """`state_revision` read lean, for a check on every request: None when no such team.

        On SQLite this is a plain DB-API query on a connection kept per thread (microseconds,
        no pool checkout); elsewhere it is `state_revision`.
        """
        if self.engine.dialect.name != "sqlite":
            try:
                return self.state_revision(team)
            except NotFound:
                return None
        connection = getattr(self._local, "raw", None)
        if connection is None:
            connection = self.engine.raw_connection()
            self._local.raw = connection
            with self._raw_lock:
                self._raw.append(connection)
        cursor = connection.cursor()
        try:
            cursor.execute("SELECT state_revision FROM teams WHERE id = ?", (team,))
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else int(row[0])

    def close(self) -> None:
        with self._raw_lock:
            for connection in self._raw:
                connection.close()
            self._raw.clear()

    def state(self, team: str) -> TeamState:
        kept = self._scenarios.revision(team)
        with self.engine.connect() as db, db.begin():
            row = db.execute(sa.select(teams.c.revision, teams.c.state_revision,
                                       teams.c.current_version,
                                       _unless(kept, teams.c.revision, teams.c.scenario))
                             .where(teams.c.id == team)).first()
            if row is None:
                raise NotFound(f"no team {team!r}")
            rota = None
            if row.current_version is not None:
                rota = self._rota(db, team, int(row.current_version))
        scenario = self._scenario_of(team, int(row.revision), row.document)
        return TeamState(int(row.state_revision), scenario, rota)

    def state_tag(self, team: str) -> tuple[int, int]:
        """The current rota version (0: none) and the state revision, without any document."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(teams.c.current_version, teams.c.state_revision)
                             .where(teams.c.id == team)).first()
        if row is None:
            raise NotFound(f"no team {team!r}")
        return int(row.current_version or 0), int(row.state_revision)

    # rota versions -----------------------------------------------------------------------------

    def publish(self, rota: Rota, source: str, by: str | None = None,
                expected_version: int | None = None, plan_id: str | None = None) -> int:
        """Store `rota` as the team's next version and make it current; returns its number.

        `expected_version` (0 for "no version yet") makes the publish conditional; without it the
        publish is blind and is retried when another version got in first (last writer wins).
        With `plan_id` the plan is marked published in the same transaction, and a plan that is
        already published (also by a concurrent request) is refused with `Conflict`.
        """
        body = rota.model_dump(mode="json", exclude_none=True, exclude={"version"})
        for _ in range(BLIND_RETRIES):
            try:
                return self._publish_once(rota.team, body, source, by, expected_version, plan_id)
            except _Overtaken:
                continue
        raise StaleWrite(f"team {rota.team!r} kept publishing other versions; try again")

    def _publish_once(self, team: str, body: dict[str, Any], source: str, by: str | None,
                      expected_version: int | None, plan_id: str | None) -> int:
        with self.engine.begin() as db:
            row = db.execute(sa.select(teams.c.current_version).where(teams.c.id == team)
                             .with_for_update()).first()
            if row is None:
                raise NotFound(f"no team {team!r}")
            current = int(row.current_version or 0)
            if expected_version is not None and expected_version != current:
                raise StaleWrite(f"team {team!r} is at rota version {current}, "
                                 f"not {expected_version}")
            version = current + 1
            guard = (teams.c.current_version.is_(None) if current == 0
                     else teams.c.current_version == current)
            done = db.execute(teams.update().where(teams.c.id == team, guard)
                              .values(current_version=version,
                                      state_revision=teams.c.state_revision + 1))
            if done.rowcount != 1:
                _lost(expected_version, f"team {team!r} published another version meanwhile")
            db.execute(rota_versions.insert().values(
                team=team, version=version, rota=body, published_at=utc_now(),
                published_by=by, source=source))
            if plan_id is not None:
                marked = db.execute(plans.update().where(
                    plans.c.id == plan_id, plans.c.team == team,
                    plans.c.published_version.is_(None)).values(published_version=version))
                if marked.rowcount != 1:
                    raise Conflict(f"plan {plan_id} is already published")
        return version

    def rota(self, team: str, version: int | None = None) -> Rota:
        """A version (default: the current one) with its own and the team's overrides."""
        with self.engine.connect() as db, db.begin():
            if version is None:
                current = db.execute(sa.select(teams.c.current_version)
                                     .where(teams.c.id == team)).first()
                if current is None:
                    raise NotFound(f"no team {team!r}")
                if current.current_version is None:
                    raise NotFound(f"team {team!r} has no rota yet")
                version = int(current.current_version)
            return self._rota(db, team, version)

    def current_version(self, team: str) -> int:
        """The current version number, 0 when none is published."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(teams.c.current_version)
                             .where(teams.c.id == team)).first()
        if row is None:
            raise NotFound(f"no team {team!r}")
        return int(row.current_version or 0)

    def versions(self, team: str) -> list[VersionInfo]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(rota_versions.c.version, rota_versions.c.published_at,
                                        rota_versions.c.published_by, rota_versions.c.source)
                              .where(rota_versions.c.team == team)
                              .order_by(rota_versions.c.version)).all()
        return [VersionInfo(int(r.version), utc(r.published_at) or utc_now(), r.published_by,
                            r.source) for r in rows]

    def history(self, team: str, lo: dt.datetime, hi: dt.datetime) -> list[Rota]:
        """The published versions whose horizon overlaps [lo, hi) (and those without a horizon),
        oldest first, each with its own and the team's overrides: what a plan's fairness counts
        as the burden carried in (`rota.history`)."""
        with self.engine.connect() as db, db.begin():
            rows = db.execute(sa.select(rota_versions.c.version, rota_versions.c.rota)
                              .where(rota_versions.c.team == team)
                              .order_by(rota_versions.c.version)).all()
            team_overrides = tuple(self._overrides(db, team))
        out = []
        for row in rows:
            horizon = row.rota.get("horizon")
            if horizon is not None:
                start = dt.datetime.fromisoformat(str(horizon["start"])).replace(tzinfo=dt.UTC)
                if start >= hi or start + dt.timedelta(days=int(horizon["days"])) <= lo:
                    continue
            rota = parse_rota({**row.rota, "version": int(row.version)})
            out.append(rota.with_overrides(rota.overrides + team_overrides))
        return out

    def _rota(self, db: sa.Connection, team: str, version: int) -> Rota:
        kept = self._rotas.revision(team)
        row = db.execute(sa.select(_unless(kept, rota_versions.c.version, rota_versions.c.rota))
                         .where(rota_versions.c.team == team,
                                rota_versions.c.version == version)).first()
        if row is None:
            raise NotFound(f"team {team!r} has no rota version {version}")
        rota = self._rotas.get(team, version) if row.document is None else None
        if rota is None:
            document = row.document
            if document is None:
                document = db.execute(sa.select(rota_versions.c.rota).where(
                    rota_versions.c.team == team, rota_versions.c.version == version)).scalar()
            rota = without_gc(parse_rota, {**document, "version": version})
            self._rotas.keep(team, version, rota)
        return rota.with_overrides(rota.overrides + tuple(self._overrides(db, team)))

    # overrides ---------------------------------------------------------------------------------

    def add_override(self, team: str, override: Override, by: str | None = None) -> Override:
        """Add an override to the team (one transaction); returns it with its new id."""
        ident = secrets.token_hex(8)
        with self.engine.begin() as db:
            self._bump(db, team)
            seq = db.execute(sa.select(sa.func.coalesce(sa.func.max(overrides.c.seq), 0))
                             .where(overrides.c.team == team)).scalar_one()
            db.execute(overrides.insert().values(
                id=ident, team=team, seq=int(seq) + 1, engineer=override.engineer,
                replaces=override.replaces, start_at=override.start, end_at=override.end,
                reason=override.reason, created_at=utc_now(), created_by=by))
        return override.model_copy(update={"id": ident})

    def delete_override(self, team: str, override_id: str) -> None:
        with self.engine.begin() as db:
            self._bump(db, team)
            done = db.execute(overrides.delete().where(overrides.c.team == team,
                                                       overrides.c.id == override_id))
            if done.rowcount != 1:
                raise NotFound(f"team {team!r} has no override {override_id!r}")

    def _overrides(self, db: sa.Connection, team: str) -> list[Override]:
        rows = db.execute(sa.select(overrides).where(overrides.c.team == team)
                          .order_by(overrides.c.seq)).all()
        return [_override(r) for r in rows]

    @staticmethod
    def _bump(db: sa.Connection, team: str) -> None:
        done = db.execute(teams.update().where(teams.c.id == team)
                          .values(state_revision=teams.c.state_revision + 1))
        if done.rowcount != 1:
            raise NotFound(f"no team {team!r}")


def _override(row: Any) -> Override:
    return Override.model_validate({"id": row.id, "engineer": row.engineer,
                                    "replaces": row.replaces, "start": utc(row.start_at),
                                    "end": utc(row.end_at), "reason": row.reason})
