"""Plans and tokens in the store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from rota.errors import Conflict, InvalidInput, NotFound
from rota.scenario import Scenario
from rota.store import Store, Token
from rota.store.plans import require_done


def test_plan_lifecycle(store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    plan = store.plans.create("tiny", {"time_limit_seconds": 5}, "ana")
    assert (plan.status, plan.created_by) == ("queued", "ana")
    assert store.plans.start(plan.id)
    store.plans.progress(plan.id, {"solutions": 2})
    running = store.plans.get("tiny", plan.id)
    assert (running.status, running.progress) == ("running", {"solutions": 2})
    with pytest.raises(Conflict, match="is running"):
        require_done(running)
    store.plans.finish(plan.id, {"rota": {"team": "tiny"}}, {"solutions": 3})
    done = store.plans.get("tiny", plan.id)
    assert (done.status, done.progress, require_done(done)) == (
        "done", {"solutions": 3}, {"rota": {"team": "tiny"}})
    assert done.finished_at is not None and done.started_at is not None


def test_unfinished_plans_become_interrupted(store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    queued = store.plans.create("tiny", {}, owner="gone", horizon="a")
    running = store.plans.create("tiny", {}, owner="gone", horizon="b")
    finished = store.plans.create("tiny", {}, owner="gone", horizon="c")
    store.plans.start(running.id)
    store.plans.start(finished.id)
    store.plans.finish(finished.id, {}, None)
    assert store.plans.interrupt_unfinished() == 2
    statuses = [(store.plans.get("tiny", p.id).status, store.plans.get("tiny", p.id).reason)
                for p in (queued, running, finished)]
    assert statuses == [("failed", "interrupted"), ("failed", "interrupted"), ("done", None)]
    assert not store.plans.start(queued.id)


def test_plan_of_another_team_is_not_found(store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    plan = store.plans.create("tiny", {})
    with pytest.raises(NotFound):
        store.plans.get("other", plan.id)


@pytest.mark.parametrize(("scope", "teams", "asked", "team", "granted"), [
    ("admin", None, "read", "x", True),
    ("admin", None, "admin", "x", True),
    ("plan", None, "read", "x", True),
    ("plan", None, "admin", "x", False),
    ("read", None, "plan", "x", False),
    ("read", ["x"], "read", "x", True),
    ("read", ["x"], "read", "y", False),
    ("admin", ["x", "y"], "plan", "y", True),
], ids=["admin-read", "admin-admin", "plan-read", "plan-admin", "read-plan", "team-own",
        "team-other", "team-list"])
def test_scopes_are_ordered_and_teams_limit(scope: str, teams: list[str] | None, asked: str,
                                            team: str, granted: bool) -> None:
    token = Token("t", scope, tuple(teams) if teams else None)  # type: ignore[arg-type]
    assert token.grants(asked, team) is granted  # type: ignore[arg-type]


def test_token_verify_and_revoke(store: Store) -> None:
    secret, token = store.tokens.create("plan", ["tiny"], "ci")
    assert store.tokens.verify(secret) == token
    assert store.tokens.verify(secret + "x") is None
    store.tokens.revoke(token.id)
    assert store.tokens.verify(secret) is None
    with pytest.raises(NotFound):
        store.tokens.revoke(token.id)


def test_unknown_scope_is_invalid(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.tokens.create("root")


def test_only_hashes_are_stored(store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    secret, _ = store.tokens.create("read")
    feed = store.tokens.create_feed("tiny", "ana")
    with store.engine.connect() as db:
        rows = [*db.execute(sa.text("SELECT * FROM tokens")),
                *db.execute(sa.text("SELECT * FROM feed_secrets"))]
    stored = " ".join(str(value) for row in rows for value in row)
    assert secret not in stored and feed not in stored


def test_feed_secrets_are_per_engineer_and_revocable(store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    first = store.tokens.create_feed("tiny", "ana")
    assert store.tokens.verify_feed("tiny", "ana", first)
    assert not store.tokens.verify_feed("tiny", "bo", first)
    second = store.tokens.create_feed("tiny", "ana")
    assert not store.tokens.verify_feed("tiny", "ana", first)
    store.tokens.revoke_feed("tiny", "ana")
    assert not store.tokens.verify_feed("tiny", "ana", second)


def test_only_plans_of_embedded_owners_that_are_gone_are_interrupted(
        store: Store, scenario: Scenario) -> None:
    """Plans of live owners are left be; plans without an owner belong to the job queue, which
    retries them itself."""
    store.teams.put_scenario(scenario)
    live = store.plans.create("tiny", {}, owner="live", horizon="a")
    gone = store.plans.create("tiny", {}, owner="gone", horizon="b")
    queued_job = store.plans.create("tiny", {}, horizon="c")
    verdicts = {"live": True, "gone": False}
    assert store.plans.interrupt_unfinished(lambda owner: verdicts[owner]) == 1
    status = {p.id: store.plans.get("tiny", p.id).status for p in (live, gone, queued_job)}
    assert status == {live.id: "queued", gone.id: "failed", queued_job.id: "queued"}
