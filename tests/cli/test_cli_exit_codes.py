"""The exit codes of every command, as README's table gives them: 0 success, 1 a failure of the
run, 2 invalid input (scenario, rota, option, argument, setting); never a traceback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rota.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example"
SCENARIO = str(EXAMPLE / "streaming-sre.yaml")
ROTA = str(EXAMPLE / "handdrawn-weekly.json")
TINY_TEAM = str(Path(__file__).resolve().parents[1] / "api" / "tiny-team.yaml")
TINY_ROTA = str(Path(__file__).resolve().parents[1] / "api" / "tiny-rota.json")
AT = "2026-12-08T12:00:00Z"

CASES = [
    ("version", ["--version"], 0),
    ("validate ok", ["validate", SCENARIO], 0),
    ("validate missing file", ["validate", "/nonexistent.yaml"], 2),
    ("validate bad scenario", ["validate", "{bad}"], 2),
    ("gaps ok", ["gaps", SCENARIO, ROTA, "--region", "eu"], 0),
    ("gaps rota of another team", ["gaps", TINY_TEAM, ROTA], 2),
    ("gaps unknown region", ["gaps", SCENARIO, ROTA, "--region", "moon"], 2),
    ("gaps bad --from", ["gaps", SCENARIO, ROTA, "--from", "yesterday"], 2),
    ("gaps unknown format", ["gaps", SCENARIO, ROTA, "-f", "pdf"], 2),
    ("now ok", ["now", SCENARIO, ROTA, "--at", AT, "--region", "eu"], 0),
    ("now unknown region", ["now", SCENARIO, ROTA, "--at", AT, "--region", "moon"], 2),
    ("now unknown severity", ["now", SCENARIO, ROTA, "--at", AT, "--severity", "P9"], 2),
    ("now bad --at", ["now", SCENARIO, ROTA, "--at", "soon"], 2),
    ("now rota of another team", ["now", SCENARIO, TINY_ROTA, "--at", AT], 2),
    ("plan bad scenario", ["plan", "{bad}", "-o", "{tmp}/r.json"], 2),
    ("plan unwritable output", ["plan", SCENARIO, "-o", "/nonexistent/r.json"], 2),
    ("plan missing -o", ["plan", SCENARIO], 2),
    ("baseline unknown kind", ["baseline", "monthly", SCENARIO, "-o", "{tmp}/r.json"], 2),
    ("export-ics unknown engineer", ["export-ics", ROTA, "--engineer", "zed"], 2),
    ("token create unknown scope", ["token", "create", "--scope", "root"], 2),
    ("token revoke unknown id", ["token", "revoke", "nope"], 2),
    ("feed create unknown team", ["feed", "create", "nope", "ana"], 2),
    ("report-link without ROTA_LINK_SECRET", ["report-link", "tiny"], 2),
    ("serve port in use", ["serve", "--port", "{taken}"], 2),
    ("demo port in use", ["demo", "--port", "{taken}"], 2),
    ("serve bad database URL", ["serve", "--port", "{free}"], 2),
    ("token list unreachable database", ["token", "list"], 1),
    ("unknown command", ["frobnicate"], 2),
]
ENVIRONMENTS = {
    "serve bad database URL": "postgres://x",
    "token list unreachable database": "postgresql+psycopg://rota:rota@127.0.0.1:1/x",
}


@pytest.fixture
def taken() -> Iterator[str]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield str(listener.getsockname()[1])


@pytest.mark.parametrize(("args", "code"), [(a, c) for _, a, c in CASES], ids=[n for n, _, _ in CASES])
def test_exit_code(request: pytest.FixtureRequest, tmp_path: Path, taken: str, args: list[str],
                   code: int) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("team: t\nhorizon: {start: 2026-12-07, days: 0}\nregions: []\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = str(probe.getsockname()[1])
    args = [a.replace("{bad}", str(bad)).replace("{tmp}", str(tmp_path)).replace("{taken}", taken)
            .replace("{free}", free) for a in args]
    name = request.node.callspec.id
    url = ENVIRONMENTS.get(name, f"sqlite:///{tmp_path / 'store.db'}")
    result = CliRunner().invoke(app, args, env={"ROTA_DATABASE_URL": url})
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if code != 0:
        assert result.stderr.strip(), "a refusal says why"
