"""The one family of errors the core raises.

Every error a user can cause derives from `RotaError`. The HTTP layer maps these types to status
codes in one place (`api/problems.py`); the CLI prints them and exits non-zero. A coverage gap is
data, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with an input, located by its path (`engineers[3].timezone`) or line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class RotaError(Exception):
    """Base of every error the core raises on purpose."""

    title = "Rota error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as it is (an upload read in another process raises it in the server)."""
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type[RotaError], args: tuple[object, ...], state: dict[str, object]) -> RotaError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InvalidInput(RotaError):
    """Input that breaks the contract; carries every error found, each with its path."""

    title = "Invalid input"

    def __init__(self, errors: list[FieldError], what: str = "input") -> None:
        self.errors = list(errors)
        self.what = what
        count = len(self.errors)
        summary = f"{what}: {count} error{'s' if count != 1 else ''}"
        super().__init__(summary + "".join(f"\n  {e}" for e in self.errors))


class ScenarioInvalid(InvalidInput):
    title = "Invalid scenario"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors, "scenario")


class RotaInvalid(InvalidInput):
    title = "Invalid rota"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors, "rota")


class NotFound(RotaError):
    title = "Not found"


class Conflict(RotaError):
    """A write based on stale state, or one that contradicts what is stored."""

    title = "Conflict"


class LimitExceeded(RotaError):
    """A request past a documented size or time limit."""

    title = "Limit exceeded"


class PlanningError(RotaError):
    """The planner cannot honour its input, e.g. a pin that breaks a hard rule."""

    title = "Planning error"
