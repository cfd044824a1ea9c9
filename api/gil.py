"""The serving process hands the interpreter lock back to its event loop within half a millisecond.

Python runs one thread at a time. A worker thread doing pure-Python work (a write building the
team's new `now` index, reading a rota, finding the gaps an override opens: tens of milliseconds
a write) keeps the lock until another thread asks for it and then up to the switch interval more,
5 ms by default. The event loop gives the lock up at every system call (waiting for sockets, the
SQLite revision check of each `now`), so while a write works, each step of each `now` request
waits up to 5 ms to get it back: up to 10-15 ms a request, most of the p99 target (20 ms). At
0.5 ms the loop waits at most that long per step.

Set by `rota serve`'s app factory in each serving process (`rota_api.app.serving_app`).
"""

from __future__ import annotations

import sys

SWITCH_SECONDS = 0.0005


def prefer_the_loop() -> None:
    sys.setswitchinterval(SWITCH_SECONDS)
