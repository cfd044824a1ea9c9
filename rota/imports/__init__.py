"""Rotas from other tools: iCalendar (`.ics`) and spreadsheets (`.csv`), for gap analysis.

The contract:

- `read_import(path, scenario)` / `parse_import(text, kind, scenario)` give an `Imported`: the
  `Rota` and its `unmatched` entries, each with its line (and UID for iCal), so a caller can warn
  about them (the CLI prints them to stderr; the analysis still runs on what matched).
- `import_rota_file` / `import_rota_text` give just the `Rota`, for callers that only need that.
- The rota is the scenario team's, version 0 (not yet published), over the scenario horizon, with
  each engineer's overlapping events merged and everything cut to the horizon.
- A malformed file raises `rota.errors.RotaInvalid` with every problem and its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from rota.errors import FieldError, RotaInvalid
from rota.imports.csvrota import parse_csv_rota
from rota.imports.ics import parse_ics_rota
from rota.imports.result import Imported, Unmatched
from rota.limits import MAX_ROTA_BYTES
from rota.rotafile import Rota
from rota.scenario import Scenario

Kind = Literal["ics", "csv"]
KINDS: tuple[Kind, ...] = ("ics", "csv")

__all__ = ["Imported", "Kind", "KINDS", "Unmatched", "import_rota_file", "import_rota_text",
           "parse_import", "read_import"]


def parse_import(text: str, kind: Kind, scenario: Scenario) -> Imported:
    if len(text) > MAX_ROTA_BYTES:
        raise RotaInvalid([FieldError(kind, f"larger than {MAX_ROTA_BYTES} bytes")])
    if kind == "ics":
        return parse_ics_rota(text, scenario)
    if kind == "csv":
        return parse_csv_rota(text, scenario)
    raise RotaInvalid([FieldError("kind", f"unknown rota format {kind!r}; use ics or csv")])


def read_import(path: Path, scenario: Scenario) -> Imported:
    kind = path.suffix.lower().lstrip(".")
    if kind not in KINDS:
        raise RotaInvalid([FieldError(str(path), f"unknown rota format {path.suffix!r}; "
                                                 f"use .ics or .csv")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RotaInvalid([FieldError(str(path), f"not UTF-8 text (byte {exc.start})")]) from None
    return parse_import(text, kind, scenario)  # type: ignore[arg-type]


def import_rota_text(text: str, kind: Kind, scenario: Scenario) -> Rota:
    return parse_import(text, kind, scenario).rota


def import_rota_file(path: Path, scenario: Scenario) -> Rota:
    return read_import(path, scenario).rota
