"""A time limit on parsing untrusted uploads, as a last line of defence.

The parsers bound their own work where they can (`rota.imports.recurrence`: recurrences are
re-anchored near the horizon, their walk is budgeted and their occurrences counted). One case
remains that cannot be bounded from outside: dateutil walks an RRULE whose BY* filters never match
(`BYMONTH=2;BYMONTHDAY=30`) period by period up to year 9999, and a Python thread cannot be
stopped. So `call_with_deadline` runs the parse in the calling (worker) thread and, when the time
is up, raises `ParseTimeout` inside that thread (CPython's asynchronous exception: it lands at the
next bytecode boundary of the pure-Python loop). The parse code holds no shared locks or state, so
abandoning it leaves nothing half-done; the request gets 413.

Call it from a worker thread (`run_in_threadpool`), never on the event loop.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

from rota.errors import LimitExceeded

T = TypeVar("T")


class ParseTimeout(LimitExceeded):
    """An upload took longer to read than its time limit allows."""


class _Expired(BaseException):
    """Raised inside the parsing thread; a BaseException so no `except Exception` swallows it."""


def call_with_deadline(seconds: float, function: Callable[..., T], *args: object) -> T:
    """`function(*args)`, or `ParseTimeout` when it runs longer than `seconds`."""
    thread = threading.get_ident()
    lock = threading.Lock()
    armed, fired = True, False

    def expire() -> None:
        nonlocal fired
        with lock:
            if armed:
                fired = True
                _raise_in(thread, _Expired)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    try:
        timer.start()
        try:
            return function(*args)
        finally:
            with lock:
                armed = False
                if fired:  # clear it if it has not been raised yet
                    _raise_in(thread, None)
            timer.cancel()
    except _Expired:
        raise ParseTimeout(f"the upload took longer than {seconds:g} s to read; "
                           f"make it smaller or simpler") from None


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in `thread` at its next bytecode boundary; None clears a pending one."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), None if exception is None else ctypes.py_object(exception))
