"""Reading big documents with the cyclic garbage collector paused.

Parsing a document of megabytes creates millions of small lists, dicts and datetimes that all stay
alive until the parse ends. CPython's collector runs again and again meanwhile and walks every one
of them each time, so reading a 7 MiB YAML scenario took about three times as long as with the
collector paused (and the longer the document, the worse: the cost grew faster than its size).
Nothing a parse makes needs the cyclic collector (reference counting frees it), so documents are
read with it paused, and it runs once afterwards.

The collector is one per process: `without_gc` counts the calls in progress (several threads may
parse at once) and turns the collector back on when the last one ends. A parse is bounded by the
size limits of its input, so the pause is too.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_lock = threading.Lock()
_active = 0
_was_enabled = True


def without_gc(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`function(*args, **kwargs)` with the cyclic garbage collector paused."""
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        return function(*args, **kwargs)
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()
