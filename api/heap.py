"""Garbage collection in a serving process: code frozen out of the collector's walks.

CPython's full (oldest-generation) collection walks every tracked object, and a serving process
holds some 140,000 of them that live as long as it does: modules, classes, functions (FastAPI,
pydantic, SQLAlchemy, NumPy, OR-Tools' bindings, ours). Measured in `rota serve` on the 2-core
machine, a full collection took 100-180 ms of CPU (250-520 ms of wall time under load), during
which the event loop, and every `now` request waiting on it, stood still; one comes whenever
enough new objects have survived (after the first plans are admitted, say). `freeze_code`
imports what requests would import later (the planner's limits and comparisons, the renderers),
collects once, and moves everything then alive to the permanent generation (`gc.freeze`): a full
collection then walks only what came after (team states, caches), 2-5 ms of CPU for the bench
team. Team states are not frozen: a publish replaces them, and their few reference cycles must
stay collectable.

Called by `rota serve`'s app factory in each serving process; tests' apps skip it.
"""

from __future__ import annotations

import gc
import importlib

LATER_IMPORTS = ("rota.planner", "rota.planner.outcome", "rota.render.html", "rota.render.hours",
                 "rota.icsexport")


def freeze_code() -> int:
    """Import what requests import lazily, collect, freeze; the number of objects frozen."""
    for name in LATER_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # a build without the planner: its routes say so when asked
            continue
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
