"""Response minutes learned from acknowledgements: per engineer and band, the minutes within which
they answer with a stated probability (`quantile`, default 0.9).

Each record is placed at the responder's band at its trigger instant (`rota.availability`'s
bands). Acknowledgement times are modelled as log-normal per engineer and band: the estimate is
`exp(mean + z_q * sd)` of the log minutes. Engineers with few samples borrow from the team by
empirical-Bayes shrinkage (a normal model on the log means, its variances from the records):

- per band, `sigma2` is the pooled within-engineer variance and `tau2` the between-engineer
  variance of the true means (method of moments, at least 0). An engineer's residual in a band
  (own mean - team mean) is an engineer effect shared by their bands (variance `A`: an engineer
  slow awake tends to be slow asleep; `A` is the covariance of residuals across bands, at least
  0, at most each `tau2`) plus the band's own effect (`tau2 - A`) plus sampling error
  (`sigma2 / n`); `mean` is the team's plus the posterior mean of the true residual given all
  their bands (`_shift`). With `A = 0` (the records show no shared effect) that is the one-band
  `w * own_mean + (1 - w) * team_mean`, `w = tau2 / (tau2 + sigma2 / n)`: the more samples, and
  the more engineers really differ, the more their own data count. A band without own samples
  gets the team's mean moved by what their other bands say;
- `sd^2` pools their own variance with `sigma2` as if the team's were `k` more samples, `k` from
  the records too (`_variance_prior_dof`): as many as the team has when the engineers' spreads
  differ no more than sampling explains, fewer the more they really differ, never below
  `PRIOR_DOF`. (With a fixed 5, an engineer's 0.9 quantile rested on their own 20-60 samples'
  spread, whose sampling error alone put a sixth of them more than 10% off at a log sd of 0.3.)

Engineers with no sample in a band get the team's estimate (moved by the engineer effect), shown
but not patched. The patch sets
`response_minutes` for an engineer and band only from at least `min_samples` of their own samples
(rounded up to whole minutes). A band where the team has no sample at all cannot be estimated:
the answer lists whom to test-page and when (the first time in the horizon the engineer is in that
band for a while, on call when a rota is given), which is the honest way to learn it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from rota.availability import band_profile
from rota.calibration_records import AckFile, RecordNote
from rota.scenario import BANDS, Band, Engineer, Scenario
from rota.spans import Span, from_ts, iso_z, to_ts
from rota.zones import zone

PRIOR_DOF = 5.0
MIN_MINUTES = 0.1  # an acknowledgement in the same second counts as 6 seconds (log of 0)
PAGE_INTO_BAND = 2 * 3600


@dataclass(frozen=True)
class Estimate:
    engineer: str
    band: Band
    samples: int
    minutes: float | None  # None: no sample in the band across the team
    current: int
    patched: int | None  # the value the patch writes, when own samples suffice

    @property
    def source(self) -> str:
        if self.minutes is None:
            return "none"
        return "own" if self.patched is not None else ("pooled" if self.samples else "team")

    def to_json(self) -> dict[str, Any]:
        return {"engineer": self.engineer, "band": self.band, "samples": self.samples,
                "estimate_minutes": None if self.minutes is None else round(self.minutes, 1),
                "current_minutes": self.current, "patch_minutes": self.patched, "source": self.source}


@dataclass(frozen=True)
class TestPage:
    engineer: str
    band: Band
    at: int
    local_time: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"engineer": self.engineer, "band": self.band, "at": iso_z(self.at),
                "local_time": self.local_time, "reason": self.reason}


@dataclass(frozen=True)
class Calibration:
    quantile: float
    min_samples: int
    kind: str
    used: int
    estimates: list[Estimate]
    team: dict[Band, tuple[int, float | None]]  # band -> (samples, team estimate)
    notes: list[RecordNote]
    test_pages: list[TestPage]

    def patch(self) -> dict[str, Any]:
        """The scenario patch: `response_minutes` per engineer, bands with enough own samples."""
        out: dict[str, dict[str, int]] = {}
        for e in self.estimates:
            if e.patched is not None:
                out.setdefault(e.engineer, {})[e.band] = e.patched
        return {"engineers": [{"id": engineer, "response_minutes": bands} for engineer, bands in out.items()]}

    def to_json(self) -> dict[str, Any]:
        return {
            "quantile": self.quantile, "min_samples": self.min_samples, "format": self.kind,
            "records_used": self.used,
            "estimates": [e.to_json() for e in self.estimates],
            "team": [{"band": b, "samples": n, "estimate_minutes": None if m is None else round(m, 1)}
                     for b, (n, m) in self.team.items()],
            "patch": self.patch(),
            "notes": [n.to_json() for n in self.notes],
            "test_pages": [t.to_json() for t in self.test_pages],
        }


def band_at(engineer: Engineer, ts: int) -> Band:
    """The engineer's band at an instant (any instant, not only inside the horizon)."""
    day = 86400
    lo = ts - ts % day - day
    profile = band_profile(engineer.timezone, engineer.working_hours, engineer.sleep,
                           engineer.holiday_country, lo, lo + 3 * day)
    return profile.band_at(ts)


def calibrate(scenario: Scenario, acks: AckFile, quantile: float = 0.9, min_samples: int = 5,
              on_call: dict[str, list[Span]] | None = None) -> Calibration:
    """Estimates from `acks`; with `on_call` (a rota's spans) records outside every shift are left out."""
    notes = list(acks.notes)
    samples: dict[tuple[str, Band], list[float]] = {}
    used = 0
    for ack in acks.records:
        if on_call is not None and not _on_call(on_call.get(ack.engineer, []), to_ts(ack.triggered)):
            notes.append(RecordNote(ack.line, f"{ack.engineer} was not on call at {iso_z(ack.triggered)} "
                                              f"(outside every shift of the rota): left out"))
            continue
        band = band_at(scenario.engineer_by_id[ack.engineer], to_ts(ack.triggered))
        samples.setdefault((ack.engineer, band), []).append(math.log(max(ack.minutes, MIN_MINUTES)))
        used += 1
    z = NormalDist().inv_cdf(quantile)
    fits = _fits(scenario, samples, z)
    estimates: list[Estimate] = []
    team: dict[Band, tuple[int, float | None]] = {}
    for band in BANDS:
        team[band] = fits[("", band)]
        for engineer in scenario.engineers:
            n, minutes = fits[(engineer.id, band)]
            current = scenario.response_minutes_of(engineer)[band]
            patched = math.ceil(minutes) if minutes is not None and n >= min_samples else None
            estimates.append(Estimate(engineer.id, band, n, minutes, current, patched))
    pages = test_pages(scenario, estimates, min_samples, on_call)
    notes.sort(key=lambda n: n.line)
    return Calibration(quantile, min_samples, acks.kind, used, estimates, team, notes, pages)


def _on_call(spans: list[Span], ts: int) -> bool:
    return any(s <= ts < e for s, e in spans)


@dataclass(frozen=True)
class _BandFit:
    """One band across the team: each engineer's log minutes, the team's mean, the pooled
    within-engineer variance `sigma2`, the between-engineer variance `tau2` of the true means and
    the degrees of freedom the team's spread is worth next to an engineer's own."""
    groups: dict[str, list[float]]
    team_mean: float
    sigma2: float
    tau2: float
    prior_dof: float

    def residual(self, engineer: str) -> tuple[float, float] | None:
        """(own mean - team mean, its sampling variance), None without samples."""
        xs = self.groups[engineer]
        return (sum(xs) / len(xs) - self.team_mean, self.sigma2 / len(xs)) if xs else None


def _band_fit(scenario: Scenario, band: Band, samples: dict[tuple[str, Band], list[float]]) -> _BandFit | None:
    groups = {e.id: samples.get((e.id, band), []) for e in scenario.engineers}
    everything = [x for xs in groups.values() for x in xs]
    if not everything:
        return None
    sigma2 = _pooled_variance(groups.values(), everything)
    return _BandFit(groups, sum(everything) / len(everything), sigma2, _between_variance(groups.values(), sigma2),
                    _variance_prior_dof(groups.values(), sigma2))


def _fits(scenario: Scenario, samples: dict[tuple[str, Band], list[float]],
          z: float) -> dict[tuple[str, Band], tuple[int, float | None]]:
    """(samples, estimate) per (engineer id, band), and the team's under the id ""."""
    bands = {band: _band_fit(scenario, band, samples) for band in BANDS}
    fitted = {band: fit for band, fit in bands.items() if fit is not None}
    shared = _engineer_effect(fitted, [e.id for e in scenario.engineers])
    out: dict[tuple[str, Band], tuple[int, float | None]] = {}
    for band in BANDS:
        fit = bands[band]
        if fit is None:
            out[("", band)] = (0, None)
            out.update({(e.id, band): (0, None) for e in scenario.engineers})
            continue
        out[("", band)] = (sum(map(len, fit.groups.values())), math.exp(fit.team_mean + z * math.sqrt(fit.sigma2)))
        for engineer, xs in fit.groups.items():
            n = len(xs)
            mean = fit.team_mean + _shift(fitted, band, engineer, shared)
            if n:
                own = sum(xs) / n
                ss = sum((x - own) ** 2 for x in xs)
                variance = (ss + fit.prior_dof * fit.sigma2) / (n - 1 + fit.prior_dof)
            else:
                variance = fit.sigma2
            out[(engineer, band)] = (n, math.exp(mean + z * math.sqrt(variance)))
    return out


def _engineer_effect(fits: dict[Band, _BandFit], engineers: list[str]) -> float:
    """The variance `A` of what an engineer's log minutes share across bands (one who is slow
    awake tends to be slow asleep too): the covariance, across engineers, of their residuals
    (own mean - team mean) in two bands, averaged over the pairs of bands. Sampling errors of
    different bands are independent, so only a shared engineer effect makes it positive. At
    least 0, at most each band's between-engineer variance (the rest is the band's own)."""
    weighted, dof = 0.0, 0
    bands = list(fits)
    for i, a in enumerate(bands):
        for b in bands[i + 1:]:
            pairs = [(ra[0], rb[0]) for e in engineers
                     if (ra := fits[a].residual(e)) is not None and (rb := fits[b].residual(e)) is not None]
            if len(pairs) < 3:
                continue
            ma = sum(x for x, _ in pairs) / len(pairs)
            mb = sum(y for _, y in pairs) / len(pairs)
            weighted += sum((x - ma) * (y - mb) for x, y in pairs)
            dof += len(pairs) - 1
    if not dof:
        return 0.0
    return max(0.0, min(weighted / dof, *(fit.tau2 for fit in fits.values())))


def _shift(fits: dict[Band, _BandFit], band: Band, engineer: str, shared: float) -> float:
    """The engineer's true log mean in `band` minus the team's, given their residuals in every
    band (posterior mean of the normal model residual = engineer effect (variance `shared`) +
    band-own effect (`tau2 - shared`) + sampling error (`sigma2 / n`)). With no shared effect
    this is the one-band shrinkage `tau2 / (tau2 + sigma2 / n) * residual`; a band without own
    samples gets what the engineer's other bands say."""
    seen = [(b, r) for b, fit in fits.items() if (r := fit.residual(engineer)) is not None]
    d = {b: max(fits[b].tau2 - shared + v, 1e-12) for b, (_, v) in seen}
    u = {b: r / d[b] for b, (r, _) in seen}
    s1, su = sum(1 / x for x in d.values()), sum(u.values())
    common = shared * su / (1 + shared * s1)
    if band not in u:
        return common
    own = fits[band].tau2 - shared
    return common + own * (u[band] - shared * su / (d[band] * (1 + shared * s1)))


def _pooled_variance(groups: Any, everything: list[float]) -> float:
    ss = sum(sum((x - sum(xs) / len(xs)) ** 2 for x in xs) for xs in groups if len(xs) > 1)
    dof = sum(len(xs) - 1 for xs in groups if len(xs) > 1)
    if dof:
        return float(ss / dof)
    mean = sum(everything) / len(everything)
    return float(sum((x - mean) ** 2 for x in everything) / max(len(everything) - 1, 1))


def _variance_prior_dof(groups: Any, sigma2: float) -> float:
    """How many samples the team's spread `sigma2` is worth next to one engineer's own spread:
    empirical Bayes for variances (method of moments). An engineer's sample variance s2 over n
    log minutes varies by 2 sigma^4 / (n - 1) from sampling alone; what the engineers' s2 vary
    by beyond that is how much their true spreads differ, which a scaled-inverse-chi-square
    prior with `4 + 2 / excess` degrees of freedom reproduces. When the engineers' spreads differ
    by no more than sampling explains, the team's spread is theirs (worth every sample the team
    has); at least `PRIOR_DOF`, as when too few engineers have spreads to compare."""
    spreads = [(_variance(xs), len(xs)) for xs in groups if len(xs) > 2]
    total_dof = float(sum(n - 1 for _, n in spreads))
    if len(spreads) < 3 or sigma2 <= 0:
        return PRIOR_DOF
    observed = sum((v - sigma2) ** 2 for v, _ in spreads) / (len(spreads) - 1)
    sampling = sum(2 * sigma2 ** 2 / (n - 1) for _, n in spreads) / len(spreads)
    excess = (observed - sampling) / sigma2 ** 2
    if excess <= 0:
        return max(total_dof, PRIOR_DOF)
    return min(max(4 + 2 / excess, PRIOR_DOF), max(total_dof, PRIOR_DOF))


def _variance(xs: list[float]) -> float:
    mean = sum(xs) / len(xs)
    return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)


def _between_variance(groups: Any, sigma2: float) -> float:
    means = [(sum(xs) / len(xs), len(xs)) for xs in groups if xs]
    if len(means) < 2:
        return 0.0
    grand = sum(m for m, _ in means) / len(means)
    spread = sum((m - grand) ** 2 for m, _ in means) / (len(means) - 1)
    noise = sum(sigma2 / n for _, n in means) / len(means)
    return max(spread - noise, 0.0)


def test_pages(scenario: Scenario, estimates: list[Estimate], min_samples: int,
               on_call: dict[str, list[Span]] | None) -> list[TestPage]:
    """For each engineer and band with fewer than `min_samples` samples where the team has none at
    all, or the engineer has none: when to test-page them (first chance in the horizon)."""
    lo, hi = to_ts(scenario.horizon.start_at), to_ts(scenario.horizon.end_at)
    out = []
    for e in estimates:
        if e.samples >= min_samples:
            continue
        engineer = scenario.engineer_by_id[e.engineer]
        at = None
        if on_call is not None:
            at = _first_chance(engineer, e.band, lo, hi, on_call.get(e.engineer, []))
        at = at if at is not None else _first_chance(engineer, e.band, lo, hi, None)
        if at is None:
            continue
        local = from_ts(at).astimezone(zone(engineer.timezone))
        reason = ("no one on the team was ever paged " + e.band if e.minutes is None
                  else f"{e.samples} of {min_samples} samples")
        out.append(TestPage(e.engineer, e.band, at, f"{local:%a %d %b %H:%M} {engineer.timezone}", reason))
    return out


def _first_chance(engineer: Engineer, band: Band, lo: int, hi: int, on_call: list[Span] | None) -> int | None:
    """Two hours into the first stretch of the band of at least four hours (on call, when a rota
    is given), else into the first stretch at all; on the quarter hour."""
    profile = band_profile(engineer.timezone, engineer.working_hours, engineer.sleep,
                           engineer.holiday_country, lo, hi)
    stretches = []
    for start, end in profile.spans_by_band[band]:
        stretches += [(start, end)] if on_call is None else [
            (max(start, s), min(end, e)) for s, e in on_call if s < end and e > start]
    long_enough = [(s, e) for s, e in stretches if e - s >= 2 * PAGE_INTO_BAND]
    for s, e in long_enough or stretches:
        at = s + min(PAGE_INTO_BAND, (e - s) // 2)
        at -= at % 900
        if s <= at < e:
            return at
    return None
