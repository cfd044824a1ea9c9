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
    if not path.exists():
        raise RotaInvalid([FieldError(str(path), "no such file")])
    if path.stat().st_size > MAX_ROTA_BYTES:
        raise RotaInvalid([FieldError(str(path), f"larger than {MAX_ROTA_BYTES} bytes")])
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_rota_json(path, scenario)
    if suffix in (".ics", ".csv"):
        from rota.imports import import_rota_file

        return import_rota_file(path, scenario)
    raise RotaInvalid([FieldError(str(path), f"unknown rota format {suffix!r}; use one of {', '.join(READERS)}")])
