"""Teams, versions and overrides in the store: domain models in and out, one transaction each."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from rota.errors import NotFound
from rota.rotafile import Override, Rota
from rota.scenario import Scenario
from rota.store import StaleWrite, Store


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_scenario_round_trips_with_leave_and_revisions(store: Store, scenario: Scenario) -> None:
    leave = {"start": "2026-12-24", "end": "2026-12-27", "reason": "vacation"}
    instant = {"start": "2026-12-08T08:00:00Z", "end": "2026-12-08T12:00:00Z"}
    data = scenario.model_dump(mode="json")
    data["engineers"][0]["unavailable"] = [leave, instant]
    with_leave = Scenario.model_validate(data)
    assert store.teams.put_scenario(with_leave) == 1
    assert store.teams.put_scenario(with_leave, expected_revision=1) == 2
    loaded, revision = store.teams.scenario("tiny")
    assert (loaded, revision) == (with_leave, 2)


def test_stale_scenario_write_is_refused_and_changes_nothing(store: Store,
                                                             scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    store.teams.put_scenario(scenario.model_copy(update={"name": "B"}), expected_revision=1)
    with pytest.raises(StaleWrite):
        store.teams.put_scenario(scenario.model_copy(update={"name": "C"}), expected_revision=1)
    assert store.teams.scenario("tiny")[0].name == "B"


def test_if_match_on_a_missing_team_is_stale(store: Store, scenario: Scenario) -> None:
    with pytest.raises(StaleWrite):
        store.teams.put_scenario(scenario, expected_revision=3)
    with pytest.raises(NotFound):
        store.teams.scenario("tiny")


def test_versions_are_numbered_immutable_and_record_who(store: Store, scenario: Scenario,
                                                        rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    assert store.teams.publish(rota, "upload", "ana") == 1
    shorter = rota.model_copy(update={"shifts": rota.shifts[:1]})
    assert store.teams.publish(shorter, "plan:x", "bo", expected_version=1) == 2
    assert len(store.teams.rota("tiny", 1).shifts) == 2
    assert store.teams.rota("tiny").version == 2
    assert [(v.version, v.published_by, v.source) for v in store.teams.versions("tiny")] == [
        (1, "ana", "upload"), (2, "bo", "plan:x")]
    assert all(v.published_at.tzinfo is not None for v in store.teams.versions("tiny"))


def test_stale_publish_is_refused_and_adds_no_version(store: Store, scenario: Scenario,
                                                      rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "upload")
    with pytest.raises(StaleWrite):
        store.teams.publish(rota, "upload", expected_version=0)
    assert [v.version for v in store.teams.versions("tiny")] == [1]


def test_two_concurrent_publishers_on_one_version_cannot_both_win(store: Store,
                                                                  scenario: Scenario,
                                                                  rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "upload")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def publish() -> None:
        start.wait()
        try:
            store.teams.publish(rota, "upload", expected_version=1)
            outcomes.append("won")
        except StaleWrite:
            outcomes.append("stale")

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stale", "won"]
    assert [v.version for v in store.teams.versions("tiny")] == [1, 2]


def test_publish_to_unknown_team_is_not_found(store: Store, rota: Rota) -> None:
    with pytest.raises(NotFound):
        store.teams.publish(rota, "upload")


def test_overrides_get_ids_apply_to_later_versions_and_delete(store: Store, scenario: Scenario,
                                                              rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "upload")
    before = store.teams.state_revision("tiny")
    sick = Override(engineer="chen", replaces="ana", start=_at("2026-12-07T12:00:00Z"),
                    end=_at("2026-12-07T13:00:00Z"), reason="sick")
    stored = store.teams.add_override("tiny", sick, "bo")
    assert stored.id and stored.model_copy(update={"id": None}) == sick
    assert store.teams.state_revision("tiny") == before + 1
    store.teams.publish(rota, "upload")
    assert store.teams.rota("tiny").overrides == (stored,)
    store.teams.delete_override("tiny", str(stored.id))
    assert store.teams.rota("tiny").overrides == ()
    with pytest.raises(NotFound):
        store.teams.delete_override("tiny", str(stored.id))


def test_overrides_inside_an_uploaded_version_come_first(store: Store, scenario: Scenario,
                                                         rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    own = Override(id="file-1", engineer="bo", start=_at("2026-12-08T00:00:00Z"),
                   end=_at("2026-12-08T01:00:00Z"))
    store.teams.publish(rota.with_overrides((own,)), "upload")
    added = store.teams.add_override("tiny", own.model_copy(update={"id": None}))
    assert [o.id for o in store.teams.rota("tiny").overrides] == ["file-1", added.id]


def test_state_reads_scenario_and_current_rota_together(store: Store, scenario: Scenario,
                                                        rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    empty = store.teams.state("tiny")
    assert (empty.scenario, empty.rota) == (scenario, None)
    store.teams.publish(rota, "upload")
    state = store.teams.state("tiny")
    assert state.rota is not None and state.rota.version == 1
    assert state.state_revision == store.teams.state_revision("tiny") == 2


def test_no_rota_yet_is_not_found(store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    with pytest.raises(NotFound, match="has no rota yet"):
        store.teams.rota("tiny")
    with pytest.raises(NotFound, match="has no rota version 4"):
        store.teams.rota("tiny", 4)


def test_migrations_are_idempotent(database_url: str, store: Store) -> None:
    Store.open(database_url).close()
    with store.engine.connect() as db:
        assert db.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0004"


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'wal.db'}")
    with store.engine.connect() as db:
        modes = (db.execute(sa.text("PRAGMA journal_mode")).scalar(),
                 db.execute(sa.text("PRAGMA foreign_keys")).scalar())
    store.close()
    assert modes == ("wal", 1)
