"""Month-to-month benchmark: response times recovered from acknowledgement records.

Calibration recovery: for every engineer of the example team and every band, a known response
model (the minutes within which they answer 90% of pages: working 3-8, awake 8-25, asleep 30-120,
drawn per engineer) generates acknowledgement records with log-normal noise (sd 0.3 of the log),
at random trigger instants in the 90 days before the horizon while the engineer is in that band.
Sample counts differ per engineer (5 to 60 per band, none asleep for some), as real pages do.
`rota calibrate`'s estimator then fits them; the figure is the relative error of each estimate
against the model for engineer-bands with 20 or more samples (target: within 10%).

    python bench/months.py [--seeds 1,2,3] [--sigmas 0.2,0.3]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import statistics
import sys
import time
from pathlib import Path

from rota.calibration import band_at, calibrate
from rota.calibration_records import read_acks
from rota.scenario import BANDS, Band, Scenario
from rota.spans import from_ts, iso_z, to_ts
from rota.validation import load_scenario

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example" / "streaming-sre.yaml"
RANGES: dict[Band, tuple[float, float]] = {"working": (3, 8), "awake": (8, 25), "asleep": (30, 120)}
Z90 = statistics.NormalDist().inv_cdf(0.9)


def true_model(scenario: Scenario, rng: random.Random) -> dict[tuple[str, Band], float]:
    return {(e.id, band): round(rng.uniform(*RANGES[band]), 1) for e in scenario.engineers for band in BANDS}


def sample_counts(scenario: Scenario, rng: random.Random) -> dict[tuple[str, Band], int]:
    counts = {}
    for i, e in enumerate(scenario.engineers):
        for band in BANDS:
            if band == "asleep" and i % 4 == 0:
                counts[(e.id, band)] = 0  # never paged asleep
            else:
                counts[(e.id, band)] = rng.choice([5, 10, 20, 25, 30, 40, 60])
    return counts


def records_csv(scenario: Scenario, model: dict[tuple[str, Band], float], counts: dict[tuple[str, Band], int],
                sigma: float, rng: random.Random) -> str:
    """Generic acknowledgement CSV drawn from the model."""
    hi = to_ts(scenario.horizon.start_at)
    lo = hi - 90 * 86400
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["engineer", "triggered_at", "acknowledged_at", "severity"])
    for (engineer_id, band), n in counts.items():
        engineer = scenario.engineer_by_id[engineer_id]
        mu = math.log(model[(engineer_id, band)]) - Z90 * sigma
        made = 0
        while made < n:
            at = rng.randrange(lo, hi, 60)
            if band_at(engineer, at) != band:
                continue
            minutes = math.exp(rng.gauss(mu, sigma))
            writer.writerow([engineer.contact.email or engineer_id, iso_z(at),
                             iso_z(from_ts(at + round(minutes * 60))), rng.choice(["P0", "P1", "P2"])])
            made += 1
    return buffer.getvalue()


def calibration_recovery(seed: int, sigma: float) -> None:
    scenario = load_scenario(EXAMPLE)
    rng = random.Random(seed)
    model = true_model(scenario, rng)
    counts = sample_counts(scenario, rng)
    text = records_csv(scenario, model, counts, sigma, rng)
    started = time.perf_counter()
    result = calibrate(scenario, read_acks(text, scenario), quantile=0.9)
    seconds = time.perf_counter() - started
    errors = []
    few = []
    for e in result.estimates:
        truth = model[(e.engineer, e.band)]
        if e.minutes is None:
            continue
        error = abs(e.minutes - truth) / truth
        (errors if e.samples >= 20 else few).append((error, e))
    within = sum(err <= 0.10 for err, _ in errors)
    print(f"calibration recovery (seed {seed}, log-normal noise sd {sigma}): {result.used} records, "
          f"{len(scenario.engineers)} engineers x 3 bands, fitted in {seconds:.2f} s")
    print(f"  engineer-bands with >= 20 samples: {len(errors)}; within 10% of the model: {within} "
          f"({within / len(errors):.1%}); median error {statistics.median(x for x, _ in errors):.1%}, "
          f"90th percentile {sorted(x for x, _ in errors)[int(0.9 * len(errors))]:.1%}, "
          f"max {max(x for x, _ in errors):.1%}")
    print(f"  engineer-bands with 5-19 samples (pooled): {len(few)}; median error "
          f"{statistics.median(x for x, _ in few):.1%}")
    missing = sum(1 for t in result.test_pages if t.reason.startswith("no one"))
    print(f"  never paged asleep: {sum(1 for k, n in counts.items() if n == 0)} engineers "
          f"(the team's asleep estimate stands in; {len(result.test_pages)} test pages proposed, "
          f"{missing} for bands nobody was paged in)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="1,2,3", help="comma-separated seeds")
    parser.add_argument("--sigmas", default="0.2,0.3", help="comma-separated noise levels (sd of log minutes)")
    args = parser.parse_args()
    for sigma in (float(x) for x in args.sigmas.split(",")):
        for seed in (int(x) for x in args.seeds.split(",")):
            calibration_recovery(seed, sigma)
    return 0


if __name__ == "__main__":
    sys.exit(main())
