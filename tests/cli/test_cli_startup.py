"""The command line starts without the store: commands that never open one (plan, gaps, check)
do not pay for SQLAlchemy and Alembic, which were most of its start-up time."""

from __future__ import annotations

import subprocess
import sys

from rota.cli.database import DEFAULT_DATABASE_URL


def test_loading_the_command_line_does_not_load_the_store() -> None:
    code = ("import sys, rota.cli; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'rota.store') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_default_store_is_the_stores_own_default() -> None:
    from rota.store import DEFAULT_DATABASE_URL as STORE_DEFAULT

    assert DEFAULT_DATABASE_URL == STORE_DEFAULT
