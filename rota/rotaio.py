"""Reading a rota file of any supported kind, chosen by its extension.

`.json` is the engine's own format (DESIGN.md); `.ics` and `.csv` come from other tools and are
read by `rota.imports`. Every kind is checked against the scenario.
"""

from __future__ import annotations

from pathlib import Path

from rota.errors import FieldError, RotaInvalid
from rota.limits import MAX_ROTA_BYTES
from rota.rotafile import Rota, read_rota_json
from rota.scenario import Scenario

READERS = (".json", ".ics", ".csv")


def read_rota(path: Path, scenario: Scenario) -> Rota:
    return read_rota_with_warnings(path, scenario)[0]


def read_rota_with_warnings(path: Path, scenario: Scenario) -> tuple[Rota, list[str]]:
    """The rota, and a line per imported entry that matched no engineer (`.ics`, `.csv`)."""
    if not path.exists():
        raise RotaInvalid([FieldError(str(path), "no such file")])
    if path.stat().st_size > MAX_ROTA_BYTES:
        raise RotaInvalid([FieldError(str(path), f"larger than {MAX_ROTA_BYTES} bytes")])
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_rota_json(path, scenario), []
    if suffix in (".ics", ".csv"):
        from rota.imports import read_import

        imported = read_import(path, scenario)
        return imported.rota, imported.warnings()
    raise RotaInvalid([FieldError(str(path), f"unknown rota format {suffix!r}; use one of {', '.join(READERS)}")])
