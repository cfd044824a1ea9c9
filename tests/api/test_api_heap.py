"""`rota serve`'s processes freeze their code out of the garbage collector's walks
(`rota_api.heap`), and what requests create later stays collectable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


SERVING = """
import sys
from pathlib import Path
from rota_api.app import serving_app
from rota_api.gil import SWITCH_SECONDS
before = sys.getswitchinterval()
serving_app()
print(before, sys.getswitchinterval(), SWITCH_SECONDS)
"""


def test_a_serving_process_hands_the_interpreter_back_to_its_loop_quickly(tmp_path: Path) -> None:
    env = {**os.environ, "ROTA_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
           "ROTA_UPLOAD_PROCESSES": "0"}
    run = subprocess.run([sys.executable, "-c", SERVING], capture_output=True, text=True,
                         check=True, env=env)
    before, after, wanted = (float(x) for x in run.stdout.split())
    assert before == 0.005 and after == wanted <= 0.001
