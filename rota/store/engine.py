"""Opening the database: engine settings per backend and the schema migrations.

SQLite (the embedded default) runs in WAL mode with foreign keys on and a busy timeout, set on
every new connection, so readers never block the one writer. PostgreSQL is reached through
`postgresql+psycopg://`. Bound parameters never appear in SQLAlchemy's errors or logs
(`hide_parameters`): they may hold tokens' hashes, names and contacts. `migrate` brings
the schema to the newest Alembic revision; it is safe to run on every start.

A URL that cannot work (not a URL, a scheme with no driver here, a SQLite file in a folder that does
not exist) is `StoreUrlInvalid`, found before anything connects; a database that does not answer is
`StoreUnavailable`. Both say what is wrong in one line, with any password hidden.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from rota.errors import RotaError

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreUnavailable(RotaError):
    """The database did not answer (down, unreachable, out of connections)."""

    title = "Store unavailable"


class StoreUrlInvalid(RotaError):
    """A database URL that cannot work, whatever the database does."""

    title = "Invalid database URL"


URL_FORMS = "use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"


def make_engine(url: str) -> sa.Engine:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreUrlInvalid(f"{url!r} is not a database URL; {URL_FORMS}") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_folder(parsed.database, shown)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                                      hide_parameters=True)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                hide_parameters=True)
    except sa.exc.NoSuchModuleError:
        raise StoreUrlInvalid(f"{shown}: {parsed.drivername!r} is no database scheme rota can use; "
                              f"{URL_FORMS}") from None
    except ImportError as exc:
        raise StoreUrlInvalid(f"{shown}: the driver of {parsed.drivername!r} is not installed "
                              f"({exc.name}); {URL_FORMS}") from None


def shown_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _check_sqlite_folder(database: str | None, shown: str) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    if not folder.is_dir():
        raise StoreUrlInvalid(f"{shown}: the folder {str(folder)!r} for the SQLite file does not exist")


def describe_failure(exc: Exception) -> str:
    """The first line of a driver's error, without SQLAlchemy's background-link footer."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine: sa.Engine) -> None:
    """Upgrade the schema to the newest revision (a no-op when it is current)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except sa.exc.DBAPIError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreUnavailable(f"cannot open the database {shown}: {describe_failure(exc)}") from None


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as aware UTC: SQLite hands back naive values that were written in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utc_now() -> dt.datetime:
    """The store's clock: when a row was written (the store is an edge; the core never reads it)."""
    return dt.datetime.now(dt.UTC)


def libpq_dsn(url: str) -> str:
    """A PostgreSQL store URL (`postgresql+psycopg://...`) as the libpq connection string that
    psycopg (and so procrastinate) takes."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise RotaError(f"the job queue needs PostgreSQL, not {parsed.get_backend_name()}")
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)
