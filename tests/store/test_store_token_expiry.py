"""Tokens that expire, the listing `rota token list` shows, and the migration that added them."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import rota.store.tokens as token_store
from rota.errors import InvalidInput
from rota.store import Store
from rota.store.engine import MIGRATIONS, make_engine, utc_now


def _clock_at(monkeypatch: pytest.MonkeyPatch, when: dt.datetime) -> None:
    monkeypatch.setattr(token_store, "utc_now", lambda: when)


def test_a_token_works_until_it_expires(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ends = utc_now() + dt.timedelta(hours=1)
    secret, token = store.tokens.create("read", ["tiny"], "bot", ends)
    assert token.expires_at == ends
    assert store.tokens.verify(secret) == token
    _clock_at(monkeypatch, ends - dt.timedelta(seconds=1))
    assert store.tokens.verify(secret) == token
    _clock_at(monkeypatch, ends)
    assert store.tokens.verify(secret) is None


def test_an_expiry_in_the_past_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="expires: must be a UTC instant in the future"):
        store.tokens.create("read", None, None, utc_now() - dt.timedelta(minutes=1))


def test_the_listing_shows_status_and_last_use_never_a_secret(store: Store,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    used, _ = store.tokens.create("admin", None, "ops")
    _, revoked = store.tokens.create("read", ["tiny"], "old")
    _, expiring = store.tokens.create("plan", None, "ci", utc_now() + dt.timedelta(hours=2))
    store.tokens.revoke(revoked.id)
    store.tokens.verify(used)
    listed = store.tokens.all_tokens()
    assert [i.token.label for i in listed] == ["ops", "old", "ci"]
    later = utc_now() + dt.timedelta(hours=3)
    assert [i.status(utc_now()) for i in listed] == ["active", "revoked", "active"]
    assert [i.status(later) for i in listed] == ["active", "revoked", "expired"]
    assert listed[0].last_used_at is not None and listed[1].last_used_at is None
    assert listed[2].token == expiring
    assert all(used not in repr(i) for i in listed)


def test_last_use_is_written_at_most_once_a_minute(store: Store,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    secret, _ = store.tokens.create("read")
    start = utc_now()
    for seconds, expected in ((0, 0), (30, 0), (61, 61)):
        _clock_at(monkeypatch, start + dt.timedelta(seconds=seconds))
        store.tokens.verify(secret)
        (info,) = store.tokens.all_tokens()
        assert info.last_used_at == start + dt.timedelta(seconds=expected)


def test_tokens_made_before_the_expiry_migration_keep_working(database_url: str) -> None:
    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    with engine.begin() as db:
        db.execute(sa.text("INSERT INTO tokens (id, hash, scope, teams, label, created_at) "
                           "VALUES ('old', :hash, 'read', NULL, 'before', :now)"),
                   {"hash": token_store.hash_secret("rota_old"), "now": utc_now()})
    engine.dispose()
    store = Store.open(database_url)
    try:
        token = store.tokens.verify("rota_old")
        assert token is not None and (token.id, token.expires_at) == ("old", None)
    finally:
        store.close()
