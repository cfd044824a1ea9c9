"""`rota serve` and `rota demo`.

The store is `ROTA_DATABASE_URL` (default: `rota.db`, a SQLite file in the working directory;
`rota.cli.database`). Both check that their port is free before any work.
The HTTP app is loaded by uvicorn from its import string (`rota_api.app:create_app`), so the core never
imports the `api` package; the server reads every other `ROTA_` setting from the environment.
"""

from __future__ import annotations

import datetime as dt
import errno
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rota.bundled import example_scenario, moved_to_week
from rota.cli.app import EXIT_FAILED, app, err, out, reports_errors
from rota.cli.database import open_store, store_description
from rota.errors import FieldError, InvalidInput
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.validation import load_scenario

if TYPE_CHECKING:
    from rota.store import Store

APP_FACTORY = "rota_api.app:serving_app"

HostOpt = Annotated[str, typer.Option(help="Interface to listen on.")]
PortOpt = Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")]


# The one set of uvicorn options (bench/api.py serves its baseline app with the same).
UVICORN_OPTIONS: dict[str, Any] = {"log_level": "info", "access_log": False,
                                   "proxy_headers": False}


def check_port(host: str, port: int) -> None:
    """Refuse (exit 2) a port another process listens on, naming a free one, before any work."""
    if _port_free(host, port):
        return
    free = next((p for p in range(port + 1, min(port + 50, 65535) + 1) if _port_free(host, p)), None)
    hint = f"; use another with --port, e.g. --port {free}" if free else "; use another with --port"
    raise InvalidInput([FieldError("--port", f"{host}:{port} is already in use{hint}")], "option")


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise InvalidInput([FieldError("--host", f"cannot listen on {host!r}: {exc.strerror}")],
                               "option") from None
    return True


def _serve(host: str, port: int, tls: dict[str, Any] | None = None, workers: int = 1) -> None:
    import uvicorn

    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers,
                **UVICORN_OPTIONS, **(tls or {}))


def tls_options(keyfile: Path | None, certfile: Path | None) -> dict[str, Any]:
    """uvicorn's TLS settings: both files or neither (then plain HTTP, e.g. behind a proxy)."""
    if (keyfile is None) != (certfile is None):
        from rota.errors import FieldError, InvalidInput

        raise InvalidInput([FieldError("--ssl-keyfile" if keyfile is None else "--ssl-certfile",
                                       "give both --ssl-keyfile and --ssl-certfile, or neither")],
                           "option")
    if keyfile is None or certfile is None:
        return {}
    return {"ssl_keyfile": str(keyfile), "ssl_certfile": str(certfile)}


@app.command()
@reports_errors
def serve(host: HostOpt = "127.0.0.1", port: PortOpt = 8000,
          ssl_keyfile: Annotated[Path | None, typer.Option(
              exists=True, dir_okay=False, help="TLS private key (PEM): serve HTTPS.")] = None,
          ssl_certfile: Annotated[Path | None, typer.Option(
              exists=True, dir_okay=False, help="TLS certificate chain (PEM).")] = None,
          workers: Annotated[int, typer.Option(
              min=1, max=64, help="API processes (uvicorn workers) on one port; each keeps its own "
                                  "`now` index, fresh by the store's revision.")] = 1) -> None:
    """The HTTP API over the store in ROTA_DATABASE_URL (migrated on start).

    On PostgreSQL plans are queued for `rota worker` processes; on SQLite each API process runs
    its plans itself."""
    tls = tls_options(ssl_keyfile, ssl_certfile)
    check_port(host, port)
    open_store().close()
    _serve(host, port, tls, workers)


@app.command()
@reports_errors
def demo(
    scenario: Annotated[Path | None, typer.Option(
        help="Scenario to plan, as written (default: the bundled example, moved to this week).")]
    = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=1, help="Seconds of search.")]
    = 45.0,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    serve_api: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the server.")]
    = True,
    force: Annotated[bool, typer.Option(help="Publish even if the plan covers less P0 peak "
                                             "demand than the team's current rota.")] = False,
) -> None:
    """Plan the bundled example over this week and the next three, store and publish it, serve
    the API, print URLs and tokens.

    The example's horizon is moved by whole weeks to start on this week's Monday (UTC), with its
    leave, so "who responds now" answers for now; public holidays are those of the moved dates.
    A plan that leaves more P0 peak demand uncovered than the team's current rota in the store is
    not published without --force (exit 1).
    """
    if serve_api:
        check_port(host, port)
    clock = dt.datetime.now(dt.UTC)  # the one clock read of the demo
    loaded = moved_to_week(example_scenario(), clock.date()) if scenario is None else load_scenario(scenario)
    store = open_store()
    try:
        version = _plan_and_publish(store, loaded, time_limit, force)
        admin, _ = store.tokens.create("admin", None, "demo admin")
        reader, _ = store.tokens.create("read", [loaded.team], "demo report link")
        first = loaded.engineers[0].id if loaded.engineers else None
        feed = store.tokens.create_feed(loaded.team, first) if first else None
    finally:
        store.close()
    base = f"http://{host}:{port}"
    team = f"{base}/v1/teams/{loaded.team}"
    out.print(f"\n[bold]{loaded.team}[/]: rota version {version} published to {store_description()}\n",
              highlight=False)
    lines = [
        ("API docs", f"{base}/docs"),
        ("report page", f"{team}/report?access_token={reader}"),
        ("admin token", admin),
        ("who responds now",
         f"curl -H 'Authorization: Bearer {admin}' '{team}/now?region={loaded.regions[0].id}'"),
        ("who responds at T",
         f"curl -H 'Authorization: Bearer {admin}' '{team}/now?at={_sample_instant(loaded, clock)}'"),
        ("gaps", f"curl -H 'Authorization: Bearer {admin}' '{team}/gaps'"),
    ]
    if feed and first:
        lines.append((f"calendar of {first}", f"{team}/calendars/{first}.ics?token={feed}"))
    for name, value in lines:
        typer.echo(f"{name:>18}: {value}")
    typer.echo("")
    if serve_api:
        _serve(host, port)


def _sample_instant(scenario: Scenario, clock: dt.datetime) -> str:
    """The next 12:00 UTC after `clock` inside the horizon (its second day's when `clock` is not
    in it, as for a scenario given with --scenario)."""
    start, end = scenario.horizon.start_at, scenario.horizon.end_at
    noon = clock.replace(hour=12, minute=0, second=0, microsecond=0)
    if noon <= clock:
        noon += dt.timedelta(days=1)
    if not start <= noon < end:
        noon = start + dt.timedelta(days=1, hours=12)
    return noon.strftime("%Y-%m-%dT%H:%M:%SZ")


def _plan_and_publish(store: Store, scenario: Scenario, time_limit: float, force: bool) -> int:
    from rota.planner import PlanOptions, plan
    from rota.planner.outcome import compare_with_current

    store.teams.put_scenario(scenario, by="rota demo")
    err.print(f"planning {scenario.team} ({len(scenario.engineers)} engineers, "
              f"{scenario.horizon.days} days) for up to {time_limit:g} s ...", highlight=False)
    last: dict[str, Any] = {}
    result = plan(scenario, PlanOptions(time_limit_seconds=time_limit),
                  on_progress=lambda p: last.update(progress=p), stop=threading.Event())
    if result.status not in ("OPTIMAL", "FEASIBLE"):
        err.print(f"[bold red]no feasible rota[/] (solver status {result.status}); "
                  "try a longer --time-limit")
        raise typer.Exit(EXIT_FAILED)
    rota: Rota = result.rota
    err.print(f"{result.status} ({result.report.get('achieved')}): {len(rota.shifts)} shifts",
              highlight=False)
    current = _current_rota(store, scenario.team)
    against = compare_with_current(scenario, rota, current)
    if against and against["worse_than_current"] and not force:
        err.print(f"[bold red]not published[/]: the plan leaves {against['p0_peak_uncovered_minutes']}"
                  f" minutes of P0 peak demand uncovered, more than the current rota version "
                  f"{against['current_version']} ({against['current_p0_peak_uncovered_minutes']});"
                  " --force publishes it anyway", highlight=False)
        raise typer.Exit(EXIT_FAILED)
    return store.teams.publish(rota, "demo", "rota demo")


def _current_rota(store: Store, team: str) -> Rota | None:
    return store.teams.rota(team) if store.teams.current_version(team) else None
