"""How a plan spends its time limit, so any limit (down to 2 s) returns a real rota on time.

The time limit covers everything: candidates, the constructive start, the peak proof, the main
model, the staged search and the report. Building a CP-SAT model costs seconds on a large team, so
each step runs only when what is left pays for it and for what must follow. Estimates scale with
how long gathering the candidates took, which measures both the model's size and how busy the
machine is (measured on the example team, 51,517 candidates, quiet 2-core machine: gathering
0.3 s since its candidates are filtered as arrays (0.6 s before, the unit the ratios below were
first measured in, hence their doubling), main model 1.5 s, the peak proof's candidates and model
1.9 s, the report 0.6 s).

With `deterministic`, the limit is work, not seconds: what each step costs is counted from the
scenario's size and the solver's deterministic time alone, in seconds of a quiet 2-core machine
(calibrated on the example team), so two runs are identical whatever the machine's load, on a
quiet machine the plan ends close to its limit, and under load it takes longer. The fixed steps
(candidates, the constructive start, repair, fairness swaps, the report) are charged per candidate
(`FIXED_SECONDS_PER_CANDIDATE`); the small neighbourhoods get the work left (charged step by step,
`neighbourhoods.step_work`) until the full model's comfort stages pay for their build and model
loads (charged per candidate), then `NEIGHBOURHOOD_SHARE_DETERMINISTIC` of it, and the comfort
stages the rest in deterministic time. A longer limit never gives the neighbourhoods less work,
and they run the same steps first: more time is never worse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

BUILD_PER_GATHER = 5.0  # main model build, in units of the gathering time
PROOF_PER_GATHER = 6.4  # the peak proof's candidates and model
REPORT_PER_GATHER = 1.2  # the report, including the binding rules of the largest gaps (measured
# 0.5-0.8 gathering times at load average 6-10: it stops explaining gaps at the deadline anyway)
MIN_REPORT_SECONDS = 0.5
REPORT_SHARE = 0.03  # of the time limit, kept for the report at least
MIN_SEARCH_SECONDS = 0.5  # a shorter search rarely improves on the constructive start
# Measured on the example team under a load average of 9-16 on 2 cores: the full model's stages
# found no solution better than their hint within 30 s (gathering took 1.3-2.1 s before it was
# made twice as fast), while small
# neighbourhoods (`neighbourhoods.py`) improve it from the first steps.
SEARCH_PER_GATHER = 30.0
BIG_MODEL_CANDIDATES = 20_000  # below, a short search of the full model pays (and proves)
MIN_PROOF_SEARCH_SECONDS = 3.0  # the proof and the main search after it each need this much
# Of the time after the full model's build: the small neighbourhoods' share on big models; the
# full model's comfort stages (coverage held where the neighbourhoods left it) get the rest.
NEIGHBOURHOOD_SHARE = 0.8
# The comfort stages run only when their share is at least this many gathering times: under load
# a shorter search of the full model ends UNKNOWN, its build wasted (20 s on the example at load
# average 5: two comfort stages UNKNOWN after 0.9 s each, after a 5 s build).
COMFORT_PER_GATHER = 10.0
NEIGHBOURHOOD_SHARE_DETERMINISTIC = 0.7  # of the work left after the fixed steps, `deterministic`
# With `deterministic`, seconds of a quiet 2-core machine charged (measured on the example team,
# 51,560 candidates, load average 1-2, 5 and 20 s plans: candidates 0.3-0.37 s, constructive
# 0.25 s, repair 0.19 s, burden moves and fairness swaps 2.4-2.5 s (exact, see `fairswap.py`),
# report 0.7-1.0 s, 4.0-4.2 s in all; earlier: the main model's build 1.4 s; each comfort stage
# about 0.9 s to load the model plus its deterministic time, 4.2 s for three stages of 0.5 units):
FIXED_SECONDS_PER_CANDIDATE = 7.8e-5
MODEL_SECONDS_PER_CANDIDATE = 2.7e-5
STAGE_SECONDS_PER_CANDIDATE = 1.75e-5
COMFORT_STAGES = 3  # asleep, off hours, fairness
COMFORT_SECONDS_PER_DETERMINISTIC = 1.0
MIN_COMFORT_DETERMINISTIC = 1.0  # less does not pay for the model's build (nor improve the terms)
# Of the limit (of the work, with `deterministic`): the fairness stage's and neighbourhoods' share
# (`fairstage.py`, `fairsteps.py`) in a fresh plan given history, `FAIR_SHARE` of the first
# `FAIR_KNEE_SECONDS` and `FAIR_SHARE_BEYOND` of the rest (coverage reaches most of what it will
# within a minute; the month-wide fairness search keeps improving for minutes); the steps before
# them share the rest. Below `FAIR_FROM_SECONDS` of limit coverage takes all the time and they do
# not run; above it their share grows from nothing (`Clock.fair_reserve`).
FAIR_SHARE = 0.3
FAIR_KNEE_SECONDS = 60.0
FAIR_SHARE_BEYOND = 0.6
FAIR_FROM_SECONDS = 10.0


@dataclass
class Clock:
    """The plan's deadline and the measured cost of gathering candidates."""

    limit: float
    deterministic: bool
    started: float = field(default_factory=time.monotonic)
    gather_seconds: float = 0.0
    candidates: int = 0
    fair_share: float = 0.0  # kept aside for the fairness stage and neighbourhoods (0: none)
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent per step, in order
    _mark: float | None = None

    def mark(self, phase: str) -> None:
        """Charge the time since the previous mark (or the start) to `phase`."""
        now = time.monotonic()
        since = self.started if self._mark is None else self._mark
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - since, 3)
        self._mark = now

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def report_reserve(self) -> float:
        return max(REPORT_SHARE * self.limit, MIN_REPORT_SECONDS,
                   REPORT_PER_GATHER * self.gather_seconds)

    def work(self) -> float:
        """With `deterministic`: the work (seconds of a quiet machine) for the neighbourhoods and
        the comfort stages, a function of the limit and the number of candidates only."""
        return self._all_work() - self.fair_reserve(self._all_work(), FIXED_SECONDS_PER_CANDIDATE
                                                    * self.candidates)

    def _all_work(self) -> float:
        return max(self.limit - FIXED_SECONDS_PER_CANDIDATE * self.candidates, 0.0)

    def fair_reserve(self, total: float, fixed: float = 0.0) -> float:
        """What the fairness stage and neighbourhoods keep of `total` (seconds or work): their share, but
        never so much that the steps before them get less than at the shortest limit at which
        they run (`FAIR_FROM_SECONDS`): with `deterministic`, more time is never worse."""
        if self.fair_share <= 0:
            return 0.0
        share = self.fair_share * min(total, FAIR_KNEE_SECONDS) \
            + FAIR_SHARE_BEYOND * max(total - FAIR_KNEE_SECONDS, 0.0)
        return max(min(share, total - (FAIR_FROM_SECONDS - fixed)), 0.0)

    def fairness_budget(self, after: float) -> float:
        """The fairness neighbourhoods' budget, leaving `after` seconds for what follows them
        (with `deterministic`: their share of the work, whatever the clock says)."""
        if self.deterministic:
            return self._all_work() - self.work()
        return max(self.limit - self.elapsed() - self.report_reserve() - after, 0.0)

    def comfort_setup(self) -> float:
        """With `deterministic`: the comfort stages' cost besides their search (build, loads)."""
        return (MODEL_SECONDS_PER_CANDIDATE + COMFORT_STAGES * STAGE_SECONDS_PER_CANDIDATE) \
            * self.candidates

    def neighbourhood_work(self) -> float:
        """With `deterministic`: all the work while the comfort stages would not pay for their
        setup, then `NEIGHBOURHOOD_SHARE_DETERMINISTIC` of it but never less than at a shorter
        limit (so between the two the comfort stages may not fit and the plan ends early)."""
        work = self.work()
        least = (self.comfort_setup() + MIN_COMFORT_DETERMINISTIC * COMFORT_SECONDS_PER_DETERMINISTIC) \
            / (1 - NEIGHBOURHOOD_SHARE_DETERMINISTIC)
        return min(work, max(NEIGHBOURHOOD_SHARE_DETERMINISTIC * work, least))

    def comfort_work(self) -> float:
        """With `deterministic`: the comfort stages' search, in deterministic time (0: none)."""
        rest = self.work() - self.neighbourhood_work() - self.comfort_setup()
        search = rest / COMFORT_SECONDS_PER_DETERMINISTIC
        return search if search >= MIN_COMFORT_DETERMINISTIC else 0.0

    def left(self) -> float:
        """Seconds left for building and searching, the report's share (and the fairness
        neighbourhoods') kept aside."""
        return self.limit - self.fair_reserve(self.limit) - self.elapsed() - self.report_reserve()

    def room_for_search(self, held: bool = False) -> bool:
        """Whether the main model can be built and searched long enough to matter: at least
        `SEARCH_PER_GATHER` times the gathering time (a big model on a busy machine needs long
        before its search improves on its hint; a small one needs a fraction of a second). With
        coverage `held` (only the comfort stages run) a short search is enough."""
        if self.deterministic:
            return self.comfort_work() > 0
        search = MIN_SEARCH_SECONDS
        if self.candidates >= BIG_MODEL_CANDIDATES and not held:
            search = max(search, SEARCH_PER_GATHER * self.gather_seconds)
        return self.left() >= BUILD_PER_GATHER * self.gather_seconds + search

    def proof_threshold(self) -> float:
        """Seconds left below which the peak proof does not run (`room_for_proof`)."""
        setup = (BUILD_PER_GATHER + PROOF_PER_GATHER) * self.gather_seconds
        return setup + 2 * MIN_PROOF_SEARCH_SECONDS

    def room_for_proof(self, keep: float = 0.0) -> bool:
        """Whether the peak proof, then the main model and its search, all fit, and at least
        `keep` seconds are left after the proof (with `keep = proof_threshold()` the
        neighbourhoods then get at least what they get at the longest limit without the proof)."""
        if self.deterministic:
            return True
        after = PROOF_PER_GATHER * self.gather_seconds + MIN_PROOF_SEARCH_SECONDS + keep
        return self.left() >= max(self.proof_threshold(), after)

    def proof_seconds(self, share: float, keep: float = 0.0) -> float:
        """The proof's search limit: its share of the search time left after both builds, at
        most what leaves `keep` seconds after it."""
        if self.deterministic:
            return self.limit * share
        setup = (BUILD_PER_GATHER + PROOF_PER_GATHER) * self.gather_seconds
        most = self.left() - PROOF_PER_GATHER * self.gather_seconds - keep
        return max(min((self.left() - setup) * share, most), MIN_PROOF_SEARCH_SECONDS)

    def neighbourhood_seconds(self, most: float | None = None) -> float:
        """The small neighbourhoods' share (`neighbourhoods.py`): all that is left when the full
        model's build and a short comfort search after them do not fit. With `most`, the share
        they would have if only that many seconds were left (what a shorter limit gives them).
        With `deterministic`, work (`work`)."""
        if self.deterministic:
            return self.neighbourhood_work()
        left = self.left() if most is None else min(self.left(), most)
        build = BUILD_PER_GATHER * self.gather_seconds
        after = left - build
        comfort = max(MIN_SEARCH_SECONDS, COMFORT_PER_GATHER * self.gather_seconds)
        if after * (1 - NEIGHBOURHOOD_SHARE) < comfort:
            return max(left, 0.0)
        return NEIGHBOURHOOD_SHARE * after

    def search_seconds(self) -> float:
        """What the staged search may use from now (deterministic: `comfort_work`)."""
        if self.deterministic:
            return self.comfort_work()
        return max(self.left(), 0.1)
