"""What the browser tests share: where Chromium is, how it is launched, what is served."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rota.rotafile import Rota
from rota.scenario import Scenario

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
EXAMPLE = Path(__file__).parents[2] / "data" / "example"


@dataclass(frozen=True)
class Served:
    url: str
    scenario: Scenario
    rota: Rota
