"""Which store the command line opens, and how a bad `ROTA_DATABASE_URL` reads.

The store is `ROTA_DATABASE_URL`, by default `rota.db` (SQLite) in the working directory. Commands
that write to the store say which one they wrote to, and that the default is relative to where they
run, since a token made against one folder's `rota.db` is unknown to a server started in another.
A URL that cannot work is one line naming the setting (exit 2); a database that does not answer is
one line too (exit 1).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rota.cli.app import SettingInvalid

if TYPE_CHECKING:
    from rota.store import Store

SETTING = "ROTA_DATABASE_URL"
# As rota.store's, which is imported only by the commands that open a store: SQLAlchemy and
# Alembic take most of the command line's start-up (about 1.9 of 2.8 s of imports under load).
DEFAULT_DATABASE_URL = "sqlite:///./rota.db"


def database_url() -> str:
    return os.environ.get(SETTING) or DEFAULT_DATABASE_URL


def open_store() -> Store:
    """The store in `ROTA_DATABASE_URL`, migrated; a bad URL or a silent database is one line."""
    from rota.store import Store, StoreUnavailable, StoreUrlInvalid

    url = database_url()
    try:
        return Store.open(url)
    except StoreUrlInvalid as exc:
        raise SettingInvalid(SETTING, exc.message) from None
    except StoreUnavailable as exc:
        raise StoreUnavailable(f"{SETTING}: {exc.message}") from None


def store_description() -> str:
    """Where commands write: the URL, and for the default the file's full path and the setting."""
    from rota.store import shown_url

    url = database_url()
    if os.environ.get(SETTING):
        return shown_url(url)  # no password on the terminal
    path = Path(DEFAULT_DATABASE_URL.removeprefix("sqlite:///")).resolve()
    return f"{url} ({path}; set {SETTING} to use another store)"
