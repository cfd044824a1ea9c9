"""How a plan spends its time limit, so any limit (down to 2 s) returns a real rota on time.

The time limit covers everything: candidates, the constructive start, the peak proof, the main
model, the staged search and the report. Building a CP-SAT model costs seconds on a large team, so
each step runs only when what is left pays for it and for what must follow. Estimates scale with
how long gathering the candidates took, which measures both the model's size and how busy the
machine is (measured on the example team, 51,517 candidates, quiet 2-core machine: gathering
0.6 s, main model 1.5 s, the peak proof's candidates and model 1.9 s, the report 0.6 s).

With `deterministic`, the search's limits are deterministic time: every step always runs, with the
same shares as before, so two runs are identical whatever the machine's load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

BUILD_PER_GATHER = 2.5  # main model build, in units of the gathering time
PROOF_PER_GATHER = 3.2  # the peak proof's candidates and model
REPORT_PER_GATHER = 1.2  # the report, including the binding rules of the largest gaps
MIN_REPORT_SECONDS = 0.2
REPORT_SHARE = 0.03  # of the time limit, kept for the report at least
MIN_SEARCH_SECONDS = 0.5  # a shorter search rarely improves on the constructive start
# Measured on the example team under a load average of 9-16 on 2 cores: the full model's stages
# found no solution better than their hint within 30 s (gathering took 1.3-2.1 s), while 7-day
# windows improved it from the first one; on a quiet machine the full model reaches 20,580
# uncovered minutes in 60 s, which the windows do not.
SEARCH_PER_GATHER = 15.0
BIG_MODEL_CANDIDATES = 20_000  # below, a short search of the full model pays (and proves)
MIN_PROOF_SEARCH_SECONDS = 3.0  # the proof and the main search after it each need this much
WINDOW_SETUP_PER_GATHER = 1.0  # a 7-day window's model and rating, in units of the gathering time
WINDOW_SHARE = 0.3  # of the search time after the full model's build, for the time windows
WINDOW_SHARE_DETERMINISTIC = 0.7  # with `deterministic`; the comfort stages get the rest


@dataclass
class Clock:
    """The plan's deadline and the measured cost of gathering candidates."""

    limit: float
    deterministic: bool
    started: float = field(default_factory=time.monotonic)
    gather_seconds: float = 0.0
    candidates: int = 0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def report_reserve(self) -> float:
        return max(REPORT_SHARE * self.limit, MIN_REPORT_SECONDS,
                   REPORT_PER_GATHER * self.gather_seconds)

    def left(self) -> float:
        """Seconds left for building and searching, the report's share kept aside."""
        return self.limit - self.elapsed() - self.report_reserve()

    def room_for_search(self) -> bool:
        """Whether the main model can be built and searched long enough to matter: at least
        `SEARCH_PER_GATHER` times the gathering time (a big model on a busy machine needs long
        before its search improves on the windows; a small one needs a fraction of a second)."""
        if self.deterministic:
            return True
        search = MIN_SEARCH_SECONDS
        if self.candidates >= BIG_MODEL_CANDIDATES:
            search = max(search, SEARCH_PER_GATHER * self.gather_seconds)
        return self.left() >= BUILD_PER_GATHER * self.gather_seconds + search

    def room_for_proof(self) -> bool:
        """Whether the peak proof, then the main model and its search, all fit."""
        if self.deterministic:
            return True
        setup = (BUILD_PER_GATHER + PROOF_PER_GATHER) * self.gather_seconds
        return self.left() >= setup + 2 * MIN_PROOF_SEARCH_SECONDS

    def proof_seconds(self, share: float) -> float:
        """The proof's search limit: its share of the search time left after both builds."""
        if self.deterministic:
            return self.limit * share
        setup = (BUILD_PER_GATHER + PROOF_PER_GATHER) * self.gather_seconds
        return max((self.left() - setup) * share, MIN_PROOF_SEARCH_SECONDS)

    def window_seconds(self) -> float:
        """The time windows' share (`lns.py`): all that is left when the full model does not fit."""
        if self.deterministic:
            return self.limit * WINDOW_SHARE_DETERMINISTIC
        build = BUILD_PER_GATHER * self.gather_seconds
        if not self.room_for_search():
            return max(self.left(), 0.0)
        return WINDOW_SHARE * (self.left() - build)

    def window_setup(self) -> float:
        """A first estimate of one time window's build and rating (`lns.py` then measures it)."""
        return WINDOW_SETUP_PER_GATHER * self.gather_seconds

    def search_seconds(self) -> float:
        """What the staged search may use from now (deterministic: what the windows left)."""
        if self.deterministic:
            return self.limit * (1 - WINDOW_SHARE_DETERMINISTIC)
        return max(self.left(), 0.1)
