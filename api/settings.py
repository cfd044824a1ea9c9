"""Every setting of the service, read from the environment with the `ROTA_` prefix.

| variable | default | meaning |
|---|---|---|
| `ROTA_DATABASE_URL` | `sqlite:///./rota.db` | the store; `postgresql+psycopg://user:pw@host/db` in production |
| `ROTA_SLACK_SIGNING_SECRET` | unset | Slack app signing secret; unset: the Slack endpoint answers 503 |
| `ROTA_SLACK_TEAM` | unset | team a `/oncall` command asks about when its first word is not a team id |
| `ROTA_MAX_BODY_BYTES` | 8 MiB | larger request bodies are refused with 413 |
| `ROTA_PLAN_QUEUE` | `auto` | who runs plans: `embedded` (this process) or `procrastinate` (`rota worker`s) |
| `ROTA_PLAN_WORKERS` | 1 | embedded pool: solves that run at once |
| `ROTA_PLAN_SOLVER_THREADS` | cores - 1 (at least 1) | embedded pool: CP-SAT search workers of one solve |
| `ROTA_PLAN_MEMORY_LIMIT_MB` | 4096 | embedded pool: a plan growing its process by more MiB fails (0: none) |
| `ROTA_PLAN_QUEUE_PER_TEAM` | 2 | plans one team may have queued or running (past it: 429 with `Retry-After`) |
| `ROTA_PLAN_QUEUE_MAX` | 100 | plans queued or running in all (past it: 429 with `Retry-After`) |
| `ROTA_PLAN_DEFAULT_SECONDS` | 30 | a plan's time limit when the request gives none |
| `ROTA_PLAN_MAX_SECONDS` | 600 | the largest time limit a request may ask for |
| `ROTA_TOKEN_CACHE_SECONDS` | 5 | a verified token is trusted this long without a store read |
| `ROTA_REVISION_CHECK_SECONDS` | 0 | `now` trusts its index this long without a revision read |
| `ROTA_LINK_SECRET` | unset | key of signed report links; unset: a random key per process |
| `ROTA_LINK_DEFAULT_SECONDS` | 900 | how long a signed report link lasts when the request says nothing |
| `ROTA_LINK_MAX_SECONDS` | 86400 | the longest a signed report link may last |
| `ROTA_UPLOAD_PROCESSES` | 1 | child processes reading uploads of 256 KiB or more; 0: threads |

`auto` means procrastinate on PostgreSQL and the embedded pool on SQLite. Each embedded solve uses
`ROTA_PLAN_SOLVER_THREADS` CP-SAT workers; `rota worker` has its own options.
So a revoked token may still work for `ROTA_TOKEN_CACHE_SECONDS`; 0 turns the cache off.
With `ROTA_REVISION_CHECK_SECONDS` 0 each `now` reads the team's revision (one integer);
above 0, a write by another process shows in `now` after at most that long.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from rota.jobs.memory import DEFAULT_LIMIT_MB
from rota.reportlink import DEFAULT_SECONDS, MAX_SECONDS
from rota.store import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROTA_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    slack_signing_secret: SecretStr | None = None
    slack_team: str | None = None
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    plan_queue: Literal["auto", "embedded", "procrastinate"] = "auto"
    plan_workers: int = Field(default=1, ge=1, le=64)
    plan_solver_threads: int = Field(default_factory=lambda: default_solver_threads(), ge=1, le=64)
    plan_memory_limit_mb: float = Field(default=DEFAULT_LIMIT_MB, ge=0)
    plan_queue_per_team: int = Field(default=2, ge=1, le=1000)
    plan_queue_max: int = Field(default=100, ge=1, le=100_000)
    plan_default_seconds: float = Field(default=30.0, gt=0)
    plan_max_seconds: float = Field(default=600.0, gt=0)
    token_cache_seconds: float = Field(default=5.0, ge=0)
    revision_check_seconds: float = Field(default=0.0, ge=0)
    upload_processes: int = Field(default=1, ge=0, le=16)
    link_secret: SecretStr | None = None
    link_default_seconds: int = Field(default=DEFAULT_SECONDS, ge=1)
    link_max_seconds: int = Field(default=MAX_SECONDS, ge=1)


def default_solver_threads() -> int:
    """The machine's cores minus one (so the API keeps one), at least one."""
    return max(1, (os.cpu_count() or 2) - 1)
