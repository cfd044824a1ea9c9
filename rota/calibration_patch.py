"""The calibration's scenario patch: applying it, and the gaps it makes a rota gain or lose.

The patch is `{"engineers": [{"id": ..., "response_minutes": {band: minutes}}]}`: each listed band
replaces the engineer's `response_minutes` override for that band (others stay as they are).
"""

from __future__ import annotations

from typing import Any

import yaml

from rota.calibration import Calibration
from rota.gapchange import gap_changes
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.validation import parse_scenario


def apply_patch(scenario: Scenario, patch: dict[str, Any]) -> Scenario:
    """The scenario with the patch's response minutes; validated as a whole."""
    by_id = {entry["id"]: entry["response_minutes"] for entry in patch.get("engineers", [])}
    data = scenario.model_dump(mode="json", exclude_none=True)
    for engineer in data["engineers"]:
        if engineer["id"] in by_id:
            engineer["response_minutes"] = {**engineer.get("response_minutes", {}), **by_id[engineer["id"]]}
    return parse_scenario(data)


def patch_yaml(calibration: Calibration, source: str) -> str:
    head = (f"# rota calibrate: response minutes answered with probability {calibration.quantile:g},\n"
            f"# from {calibration.used} acknowledgements in {source}; bands with at least "
            f"{calibration.min_samples} own samples.\n")
    return head + yaml.safe_dump(calibration.patch(), sort_keys=False)


def patch_changes(scenario: Scenario, calibration: Calibration,
                  rota: Rota | None) -> dict[str, list[dict[str, Any]]]:
    """The gaps the rota gains (`opens`) and loses (`closes`) over the horizon once patched."""
    if rota is None or not calibration.patch()["engineers"]:
        return {"opens": [], "closes": []}
    after = apply_patch(scenario, calibration.patch())
    lo, hi = scenario.horizon.start_at, scenario.horizon.end_at
    opens, closes = gap_changes((scenario, rota), (after, rota), lo, hi)
    return {"opens": opens, "closes": closes}
