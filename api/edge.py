"""What every request must look like before any route or store sees it: no control characters.

Ids in paths (teams, engineers, plans, overrides) and query values (tokens, regions, instants) are
plain printable text. A NUL byte or another control character in one can match nothing that was
ever stored, and PostgreSQL refuses NUL in text outright (SQLite would accept it), so the stores
would disagree. Such requests are answered here, the same on both stores and before any token is
checked: 404 for a path (no such resource can exist), 422 naming the parameter for a query value.
Under a vendor compatibility prefix (`answers`), the vendor's module answers the same errors in its
own shape and status (PagerDuty: 404 and 400).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from rota.errors import FieldError, InvalidInput, NotFound, RotaError
from rota_api.problems import from_rota_error

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A query string can hold a control character only raw or percent-encoded (%00-%1F, %7F): no
# UTF-8 sequence of other bytes decodes to one. Most queries have neither and skip the parse.
_MAYBE_CONTROL = re.compile(rb"[\x00-\x1f\x7f]|%[01][0-9a-fA-F]|%7[fF]")


class RefuseControlCharacters:
    def __init__(self, app: ASGIApp,
                 answers: Mapping[str, Callable[[RotaError], Response]] | None = None) -> None:
        self.app = app
        self.answers = dict(answers or {})  # path prefix -> how that vendor answers an error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = _problem(scope)
            if problem is not None:
                await self._answer(scope["path"], problem)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _answer(self, path: str, problem: RotaError) -> Response:
        return vendor_answer(self.answers, path, problem) or from_rota_error(problem)


def vendor_answer(answers: Mapping[str, Callable[[RotaError], Response]], path: str,
                  problem: RotaError) -> Response | None:
    """The error as the vendor whose prefix `path` is under answers it; None for our own routes."""
    for prefix, answer in answers.items():
        if path == prefix or path.startswith(f"{prefix}/"):
            return answer(problem)
    return None


def _problem(scope: Scope) -> NotFound | InvalidInput | None:
    if _CONTROL.search(scope["path"]):
        return NotFound("no such resource: the path holds a control character")
    raw = scope.get("query_string", b"")
    if not raw or not _MAYBE_CONTROL.search(raw):
        return None
    query = raw.decode("latin-1")
    errors = [FieldError(name if not _CONTROL.search(name) else "query",
                         "holds a control character")
              for name, value in parse_qsl(query, keep_blank_values=True)
              if _CONTROL.search(name) or _CONTROL.search(value)]
    return InvalidInput(errors, "query") if errors else None
