"""Calibration recovery for `bench/months.py calibration`: `rota calibrate`'s estimator against a
known response model, and against the best any estimator could do.

Two generating models, both for every engineer of the example team and every band, as the minutes
within which they answer 90% of pages:

- `independent` (the bench's model since issue 14): each engineer-band drawn alone, uniformly in
  working 3-8, awake 8-25, asleep 30-120 minutes;
- `shared`: an engineer who is slow in one band tends to be slow in the others. The log minutes
  are the band's centre (the geometric middle of the ranges above) plus an engineer effect
  (normal, sd 0.3: a factor 1.35) shared by their three bands plus a band-own effect (sd 0.1).

Records are drawn from the model with log-normal noise (sd `sigma` of the log minutes) at random
trigger instants in the 90 days before the horizon while the engineer is in that band; sample
counts differ per engineer and band (5 to 60, none asleep for a quarter of the team) as real pages
do. The figure is the share of estimates within 10% of the model, per sample-size group, next to:

- `one-band`: the estimator without the engineer effect (each band pooled alone, as before);
- `known sd`: each engineer-band's own mean log minutes with the noise's sd known exactly, the
  sampling error of the mean alone (sd `sigma / sqrt(n)`);
- `bound`: the expected share of the best possible estimator, one that knows the generating model
  (its ranges or its effects' sds, and sigma) and picks, per engineer-band, the value most likely
  to be within 10% given the records. Its chance of being within 10% is the posterior mass of that
  window; the mean of those is what no estimator can beat on average. `all` is the chance that it
  gets every estimate of the group within 10% (the product; over seeds, their mean).
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

import rota.calibration as fitting
from rota.calibration import band_at, calibrate
from rota.calibration_records import read_acks
from rota.scenario import BANDS, Band, Scenario
from rota.spans import from_ts, iso_z, to_ts

RANGES: dict[Band, tuple[float, float]] = {"working": (3, 8), "awake": (8, 25), "asleep": (30, 120)}
CENTRES: dict[Band, float] = {b: math.sqrt(lo * hi) for b, (lo, hi) in RANGES.items()}
ENGINEER_SD, BAND_SD = 0.3, 0.1
Z90 = statistics.NormalDist().inv_cdf(0.9)
WINDOW = (math.log(1 / 1.1), math.log(1 / 0.9))  # log(truth / estimate) within 10%
GROUPS = (("20-39", 20, 39), ("40+", 40, 10 ** 9))
Key = tuple[str, Band]


def true_model(scenario: Scenario, rng: random.Random, kind: str) -> dict[Key, float]:
    if kind == "independent":
        return {(e.id, band): round(rng.uniform(*RANGES[band]), 1) for e in scenario.engineers for band in BANDS}
    out = {}
    for e in scenario.engineers:
        shared = rng.gauss(0, ENGINEER_SD)
        for band in BANDS:
            out[(e.id, band)] = CENTRES[band] * math.exp(shared + rng.gauss(0, BAND_SD))
    return out


def sample_counts(scenario: Scenario, rng: random.Random) -> dict[Key, int]:
    counts = {}
    for i, e in enumerate(scenario.engineers):
        for band in BANDS:
            if band == "asleep" and i % 4 == 0:
                counts[(e.id, band)] = 0  # never paged asleep
            else:
                counts[(e.id, band)] = rng.choice([5, 10, 20, 25, 30, 40, 60])
    return counts


def records_csv(scenario: Scenario, model: dict[Key, float], counts: dict[Key, int],
                sigma: float, rng: random.Random) -> tuple[str, dict[Key, float]]:
    """Generic acknowledgement CSV drawn from the model, and each engineer-band's mean log minutes."""
    hi = to_ts(scenario.horizon.start_at)
    lo = hi - 90 * 86400
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["engineer", "triggered_at", "acknowledged_at", "severity"])
    means = {}
    for (engineer_id, band), n in counts.items():
        engineer = scenario.engineer_by_id[engineer_id]
        mu = math.log(model[(engineer_id, band)]) - Z90 * sigma
        logs = []
        while len(logs) < n:
            at = rng.randrange(lo, hi, 60)
            if band_at(engineer, at) != band:
                continue
            seconds = round(math.exp(rng.gauss(mu, sigma)) * 60)
            writer.writerow([engineer.contact.email or engineer_id, iso_z(at),
                             iso_z(from_ts(at + seconds)), rng.choice(["P0", "P1", "P2"])])
            logs.append(math.log(seconds / 60))
        if logs:
            means[(engineer_id, band)] = statistics.mean(logs)
    return buffer.getvalue(), means


def best_chance_independent(band: Band, mean_log: float, n: int, sigma: float) -> float:
    """Posterior mass of the best 10% window for a model minute drawn uniformly in the band's range,
    given n records of mean log `mean_log`."""
    lo, hi = RANGES[band]
    s = sigma / math.sqrt(n)
    centre = mean_log + Z90 * sigma
    grid = np.linspace(max(math.log(lo), centre - 7 * s), min(math.log(hi), centre + 7 * s), 4001)
    if grid[-1] <= grid[0]:
        return 1.0
    weights = np.exp(grid - 0.5 * ((grid - centre) / s) ** 2)  # uniform in minutes: density e^x in log
    weights /= weights.sum()
    step = grid[1] - grid[0]
    width = max(1, round((WINDOW[1] - WINDOW[0]) / step))
    sums = np.concatenate(([0.0], np.cumsum(weights)))
    return float((sums[width:] - sums[:-width]).max()) if width < len(sums) else 1.0


def best_chances_shared(sigma: float, counts: dict[Band, int]) -> dict[Band, float]:
    """Per band, the chance the best estimate is within 10% under the shared model: the posterior of
    an engineer's three log minutes is normal; its variance in a band is what counts."""
    prior = ENGINEER_SD ** 2 * np.ones((3, 3)) + BAND_SD ** 2 * np.eye(3)
    precision = np.linalg.inv(prior) + np.diag([counts[b] / sigma ** 2 for b in BANDS])
    posterior = np.linalg.inv(precision)
    half = (WINDOW[1] - WINDOW[0]) / 2
    normal = statistics.NormalDist()
    return {b: 2 * normal.cdf(half / math.sqrt(posterior[i, i])) - 1 for i, b in enumerate(BANDS)}


@contextlib.contextmanager
def one_band_pooling() -> Iterator[None]:
    """The estimator as it was before the engineer effect: each band pooled alone."""
    saved = fitting._engineer_effect
    fitting._engineer_effect = lambda fits, engineers: 0.0  # type: ignore[assignment]
    try:
        yield
    finally:
        fitting._engineer_effect = saved


@dataclass
class Tally:
    cells: int = 0
    ours: int = 0
    before: int = 0
    known: int = 0
    bound: float = 0.0
    all_chance: float = 1.0
    met: int = 0  # seeds where every estimate of ours is within 10%

    def add(self, ours: bool, before: bool, known: bool, chance: float) -> None:
        self.cells += 1
        self.ours += ours
        self.before += before
        self.known += known
        self.bound += chance
        self.all_chance *= chance

    def merge(self, other: Tally, runs: int) -> None:
        """Add another seed's tally; `all_chance` becomes the mean over `runs` seeds."""
        self.all_chance = (self.all_chance * (runs - 1) if self.cells else 0.0) + other.all_chance
        self.all_chance /= runs
        self.met += other.ours == other.cells
        self.cells += other.cells
        self.ours += other.ours
        self.before += other.before
        self.known += other.known
        self.bound += other.bound

    def cell(self, runs: int = 0) -> str:
        """The group's columns; `met` is yes/no for one seed, how many of `runs` seeds otherwise."""
        if not self.cells:
            return f"{'-':>5} {'':>6} {'':>6} {'':>6} {'':>6} {'':>6} {'':>5}"
        met = f"{self.met}/{runs}" if runs else ("yes" if self.ours == self.cells else "no")
        return (f"{self.cells:5d} {self.ours / self.cells:6.1%} {self.before / self.cells:6.1%} "
                f"{self.known / self.cells:6.1%} {self.bound / self.cells:6.1%} {self.all_chance:6.1%} {met:>5}")


@dataclass
class Run:
    groups: dict[str, Tally]
    few: tuple[float, float]  # median error, 5-19 samples: ours, one-band
    none: tuple[float, float]  # median error, no sample in the band
    records: int
    seconds: float


def recovery(scenario: Scenario, kind: str, seed: int, sigma: float) -> Run:
    import time

    rng = random.Random(seed)
    model = true_model(scenario, rng, kind)
    counts = sample_counts(scenario, rng)
    text, means = records_csv(scenario, model, counts, sigma, rng)
    acks = read_acks(text, scenario)
    started = time.perf_counter()
    ours = calibrate(scenario, acks, quantile=0.9)
    seconds = time.perf_counter() - started
    with one_band_pooling():
        before = calibrate(scenario, acks, quantile=0.9)
    old = {(e.engineer, e.band): e for e in before.estimates}
    shared: dict[str, dict[Band, float]] = {}
    if kind == "shared":
        for e in scenario.engineers:
            shared[e.id] = best_chances_shared(sigma, {b: counts[(e.id, b)] for b in BANDS})
    groups = {name: Tally() for name, _, _ in GROUPS}
    few: tuple[list[float], list[float]] = ([], [])
    none: tuple[list[float], list[float]] = ([], [])
    for e in ours.estimates:
        key = (e.engineer, e.band)
        truth = model[key]
        if e.minutes is None:
            continue
        error = abs(e.minutes - truth) / truth
        error_before = abs(old[key].minutes - truth) / truth  # type: ignore[operator]
        if e.samples < 20:
            pair = none if e.samples == 0 else few
            pair[0].append(error)
            pair[1].append(error_before)
            continue
        chance = (shared[e.engineer][e.band] if kind == "shared"
                  else best_chance_independent(e.band, means[key], e.samples, sigma))
        known = abs(math.exp(means[key] + Z90 * sigma) - truth) / truth
        name = next(name for name, lo, hi in GROUPS if lo <= e.samples <= hi)
        groups[name].add(error <= 0.10, error_before <= 0.10, known <= 0.10, chance)
    return Run(groups, (statistics.median(few[0]), statistics.median(few[1])),
               (statistics.median(none[0]), statistics.median(none[1])), ours.used, seconds)


def known_sigma_shares(sigmas: list[float], sizes: tuple[int, ...] = (20, 40, 60)) -> None:
    """The analysis: with the noise's sd known (pooled over the team's thousands of records it
    nearly is), an estimate from n samples is off by a factor exp(N(0, sigma^2 / n))."""
    normal = statistics.NormalDist()
    print("an engineer's 0.9 quantile from n of their own records, the noise's sd known: share within 10% "
          "(sd of the mean log = sigma / sqrt(n))")
    print("  sigma  " + "  ".join(f"n = {n:<3d}" for n in sizes))
    for sigma in sigmas:
        shares = [normal.cdf(WINDOW[1] / (sigma / math.sqrt(n))) - normal.cdf(WINDOW[0] / (sigma / math.sqrt(n)))
                  for n in sizes]
        print(f"  {sigma:5.2f}  " + "  ".join(f"{s:7.1%}" for s in shares))


def calibration_recovery(scenario: Scenario, seeds: list[int], sigmas: list[float], kinds: list[str]) -> None:
    known_sigma_shares(sorted({0.1, *sigmas}))
    print(f"calibration recovery: {len(scenario.engineers)} engineers x 3 bands, model minutes answered 90% "
          f"of the time; share of estimates within 10% of the model, by own samples")
    print("  ours = rota calibrate; 1-band = without the engineer effect; known sd = own mean, noise sd "
          "known; bound = the best possible estimator's expected share; all = its chance of every "
          "estimate of the group within 10%; met = every one of ours within 10% (seeds); median errors "
          "of the rest: 5-19 samples, 0 samples (ours, 1-band)")
    head = " ".join(f"{name + ': n':>7} {'ours':>6} {'1-band':>6} {'known':>6} {'bound':>6} {'all':>6} {'met':>5} |"
                    for name, _, _ in GROUPS)
    print(f"  {'model':<11} {'sd':>4} {'seed':>4} {'records':>7} | {head} {'5-19':>11} | {'0':>11} | fit s")
    for kind in kinds:
        for sigma in sigmas:
            total = {name: Tally() for name, _, _ in GROUPS}
            few: tuple[list[float], list[float]] = ([], [])
            none: tuple[list[float], list[float]] = ([], [])
            for seed in seeds:
                run = recovery(scenario, kind, seed, sigma)
                cells = " ".join(f"{run.groups[name].cell()} |" for name, _, _ in GROUPS)
                few[0].append(run.few[0])
                few[1].append(run.few[1])
                none[0].append(run.none[0])
                none[1].append(run.none[1])
                if len(seeds) <= 5:
                    print(f"  {kind:<11} {sigma:4.2f} {seed:4d} {run.records:7d} | {cells} "
                          f"{run.few[0]:5.1%} {run.few[1]:5.1%} | {run.none[0]:5.1%} {run.none[1]:5.1%} | "
                          f"{run.seconds:.2f}", flush=True)
                for name, tally in run.groups.items():
                    total[name].merge(tally, seeds.index(seed) + 1)
            cells = " ".join(f"{total[name].cell(len(seeds))} |" for name, _, _ in GROUPS)
            print(f"  {kind:<11} {sigma:4.2f} {'all':>4} {'':>7} | {cells} {statistics.median(few[0]):5.1%} "
                  f"{statistics.median(few[1]):5.1%} | {statistics.median(none[0]):5.1%} "
                  f"{statistics.median(none[1]):5.1%} |", flush=True)
