"""The `rota` command line (DESIGN.md, "Command line").

Each concept has its own module registering its commands on the one `app`. Exit codes: 0 success;
1 a failure of the run (a store, a server, the solver); 2 invalid input (a scenario, a rota, an
option), with every error printed and its path.
"""

from __future__ import annotations

from rota.cli.app import app
from rota.cli import analysis  # noqa: F401  (registers validate, gaps, now)

__all__ = ["app", "main"]


def main() -> None:
    app()
