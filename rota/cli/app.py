"""The Typer application and the error handling every command shares."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
import typer.core
from rich.console import Console

from rota.errors import FieldError, InvalidInput, NotFound, RotaError


def _flags_without_metavar() -> None:
    """Typer's rich help prints a type beside every option, `<bool>` too, though a flag
    (`--deterministic`, `--help`) takes no value: show none for flags, as click's own help does."""
    shown = typer.core.TyperOption.display_type_rich

    def display_type_rich(self: typer.core.TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    typer.core.TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign,assignment]


_flags_without_metavar()

app = typer.Typer(
    name="rota",
    help="Follow-the-sun on-call engine: plan rotas from demand, see who responds now, find gaps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)
out = Console()
if not out.is_terminal:
    out.width = max(out.width, 160)  # files and pipes get full rows, not an 80-column squeeze

EXIT_FAILED = 1
EXIT_INVALID = 2


class SettingInvalid(RotaError):
    """An environment setting (`ROTA_...`) whose value cannot work: invalid input, exit 2."""

    title = "Invalid setting"

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"rota {version('rota')}")
        except PackageNotFoundError:  # imported from a source tree that was never installed
            typer.echo("rota (not installed)")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the installed version and exit."),
) -> None:
    """Follow-the-sun on-call engine: plan rotas from demand, see who responds now, find gaps."""

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a `RotaError` plainly and exit non-zero, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InvalidInput as exc:
            err.print(f"[bold red]{exc.what} is invalid[/] ({len(exc.errors)} error"
                      f"{'s' if len(exc.errors) != 1 else ''}):", highlight=False)
            for error in exc.errors:
                err.print(f"  {error}", highlight=False, markup=False)
            raise typer.Exit(EXIT_INVALID) from None
        except (SettingInvalid, NotFound) as exc:
            err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
        except RotaError as exc:
            err.print(f"[bold red]error:[/] {exc.message}", highlight=False)
            raise typer.Exit(EXIT_FAILED) from None

    return wrapper


def parse_instant(value: str | None, option: str) -> dt.datetime | None:
    """An ISO 8601 instant; a date means UTC midnight and a time without offset means UTC."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput([FieldError(option, f"not an ISO 8601 date-time: {value!r}")], "option") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)

