"""`rota serve`'s processes freeze their code out of the garbage collector's walks
(`rota_api.heap`), and what requests create later stays collectable."""

from __future__ import annotations

import subprocess
import sys

from rota.cli.service import APP_FACTORY

PROBE = """
import gc, sys
from rota_api.heap import freeze_code
frozen = freeze_code()
assert 'rota.planner' in sys.modules and 'rota.render.html' in sys.modules
tracked = len(gc.get_objects())
a, b = [], []
a.append(b); b.append(a)  # a team state's cycle, made after the freeze
del a, b
print(frozen, tracked, gc.collect())
"""


def test_code_is_frozen_and_later_cycles_are_still_collected() -> None:
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    frozen, tracked, collected = (int(x) for x in run.stdout.split())
    assert frozen > 50_000 and tracked < frozen / 5  # what a full collection still walks
    assert collected >= 2


def test_rota_serve_builds_its_apps_with_the_frozen_code() -> None:
    assert APP_FACTORY == "rota_api.app:serving_app"
