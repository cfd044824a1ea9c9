"""The `rota` command line (DESIGN.md, "Command line").

Each concept has its own module in this package registering its commands on the one `app`
(`rota.cli.app`); every module here is imported, so a new command module needs no edit elsewhere.
Exit codes (README, "Exit codes"): 0 success; 1 a failure of the run (a store, a server, the
solver, a write that failed after the work); 2 invalid input (a scenario, a rota, an option, an
argument naming nothing stored, a setting such as ROTA_DATABASE_URL), with every error printed and
its path, and nothing done; 130 interrupted.
"""

from __future__ import annotations

import importlib
import pkgutil

from rota.cli.app import app

__all__ = ["app", "main"]


def _register_commands() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "app":
            importlib.import_module(f"{__name__}.{module.name}")


_register_commands()


def main() -> None:
    app()
