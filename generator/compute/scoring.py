"""Scores: pure functions from the catalogue to a 0..100 rating per model and dimension.

The method (also rendered on the methodology page from these same constants):

* quality: each benchmark score becomes a logit, ``ln(p / (1 - p))`` of the
  fraction of the benchmark's scale, and the catalogue is fitted as
  ``logit ≈ mean + ability[model] − difficulty[benchmark]``, so models that
  report different benchmarks land on one scale. Quality is
  ``100 × sigmoid(mean + ability)``: the expected score on a benchmark of average
  difficulty. A ridge term (one pseudo-result at the mean) shrinks thinly backed
  results toward the middle.
* cost, speed, context: fixed log scales between published anchors, so a score
  never moves because another model was added.
* openness: open weights, licence, fine-tuning support.
* overall: the weighted mean of the five. A model gets one only when it has data
  for every weighted dimension and its quality rests on at least
  ``scoring.min_benchmarks`` results; every other model is listed unranked with
  the reason ("no price", "2 benchmarks"), never sunk by zeros nor lifted by one
  lucky result. A dimension no model has data for is left out for everyone.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Mapping

from generator.compute.derive import ModelFacts
from generator.load.schema import SCORE_KEYS, Benchmark, Model, ScoreWeights

# Anchors of the fixed log scales: (value that scores 0, value that scores 100).
COST_ANCHORS_USD = (100.0, 0.01)  # blended USD per 1M tokens
THROUGHPUT_ANCHORS = (10.0, 1000.0)  # output tokens per second
TTFT_ANCHORS_MS = (5000.0, 100.0)  # time to first token, median
CONTEXT_ANCHORS = (4096, 16_777_216)  # tokens: 4K scores 0, 16M scores 100
THROUGHPUT_SHARE = 0.7  # of the speed score, when TTFT is known too
PRIOR_OBSERVATIONS = 1.0  # ridge on abilities: one pseudo-result at the catalogue mean
DIFFICULTY_RIDGE = 0.1  # keeps benchmark difficulties identified when few models report them
ROBUST_LOGITS = 0.5  # residuals beyond this many logits weigh linearly (Huber), not squared
FIT_MAX_ITERATIONS = 5000
FIT_TOLERANCE = 1e-10
CLAMP = 0.005  # scores of 0% or 100% are read as 0.5% / 99.5% to keep logits finite

OPEN_WEIGHTS_POINTS = 60
PERMISSIVE_LICENCE_POINTS = 25
OTHER_LICENCE_POINTS = 10  # open weights under a licence with use restrictions
FINE_TUNING_POINTS = 15
PERMISSIVE_LICENCES = ("apache", "mit", "bsd", "cc-by-4.0", "cc by 4.0", "isc", "unlicense")


@dataclass(frozen=True)
class QualityDetail:
    """One benchmark behind a model's quality, and how hard the catalogue found it."""

    key: str
    score: float
    catalogue_mean_score: float
    difficulty: float  # in logits, relative to the average benchmark; higher is harder
    models_reporting: int


@dataclass(frozen=True)
class BenchmarkFit:
    """How hard the catalogue found one benchmark (logits; 0 is average difficulty)."""

    key: str
    models_reporting: int
    mean_score: float
    difficulty: float


@dataclass(frozen=True)
class Scores:
    """One model's sub-scores and overall score, each 0..100 or None."""

    quality: float | None = None
    cost: float | None = None
    speed: float | None = None
    context: float | None = None
    openness: float | None = None
    overall: float | None = None
    quality_detail: tuple[QualityDetail, ...] = ()
    unranked: tuple[str, ...] = ()  # why there is no overall score: "no price", "2 benchmarks"

    def as_dict(self) -> dict[str, float | None]:
        """The export's ``computed.scores``: overall first, then the dimensions."""
        return {"overall": self.overall, **{k: getattr(self, k) for k in SCORE_KEYS}}

    @property
    def benchmarks_used(self) -> int:
        return len(self.quality_detail)


@dataclass(frozen=True)
class ScoringResult:
    by_model: Mapping[str, Scores]
    weights: Mapping[str, float]  # as configured, normalised to sum to 1
    dimensions: tuple[str, ...] = SCORE_KEYS  # those at least one model has data for
    benchmark_fits: tuple[BenchmarkFit, ...] = ()
    min_benchmarks: int = 3

    @property
    def overall_weights(self) -> dict[str, float]:
        """What overall weighs in this build: the dimensions in use with a weight, normalised."""
        used = sorted(((k, w) for k, w in self.weights.items() if k in self.dimensions and w > 0),
                      key=lambda kw: (-kw[1], SCORE_KEYS.index(kw[0])))
        total = math.fsum(w for _, w in used)
        return {k: w / total for k, w in used} if total else {}


def log_scale(value: float, zero_at: float, hundred_at: float) -> float:
    """Position of ``value`` between two anchors on a log scale, clamped to 0..100."""
    span = math.log(hundred_at) - math.log(zero_at)
    return _clamp(100.0 * (math.log(value) - math.log(zero_at)) / span)


def _clamp(x: float) -> float:
    return min(100.0, max(0.0, x))


def _logit(score: float, scale_max: float) -> float:
    p = min(1 - CLAMP, max(CLAMP, score / scale_max))
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def cost_score(blended_usd_per_mtok: float | None) -> float | None:
    if blended_usd_per_mtok is None:
        return None
    price = max(blended_usd_per_mtok, COST_ANCHORS_USD[1])  # free counts as the top anchor
    return log_scale(price, *COST_ANCHORS_USD)


def speed_score(tokens_per_s: float | None, ttft_ms: float | None) -> float | None:
    if tokens_per_s is None:
        return None
    throughput = log_scale(tokens_per_s, *THROUGHPUT_ANCHORS)
    if ttft_ms is None:
        return throughput
    latency = log_scale(max(ttft_ms, 1.0), *TTFT_ANCHORS_MS)
    return THROUGHPUT_SHARE * throughput + (1 - THROUGHPUT_SHARE) * latency


def context_score(tokens: int | None) -> float | None:
    return None if tokens is None else log_scale(tokens, *CONTEXT_ANCHORS)


def is_permissive(licence: str | None) -> bool:
    text = (licence or "").casefold()
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in PERMISSIVE_LICENCES)


def openness_score(model: Model) -> float:
    points = 0.0
    if model.open_weights:
        points += OPEN_WEIGHTS_POINTS
        if model.license:
            points += PERMISSIVE_LICENCE_POINTS if is_permissive(model.license) else OTHER_LICENCE_POINTS
    if model.fine_tuning:
        points += FINE_TUNING_POINTS
    return points


QualityResult = tuple[dict[str, tuple[float | None, tuple[QualityDetail, ...]]],
                      tuple[BenchmarkFit, ...]]


def quality_scores(models: Mapping[str, Model], registry: Mapping[str, Benchmark]) -> QualityResult:
    """Quality per model: expected score on a benchmark of average difficulty.

    Fits ``logit(score) ≈ mean + ability[model] − difficulty[benchmark]`` by
    alternating ridge least squares. Because difficulties are estimated from every
    model that reports a benchmark, a model is not penalised for reporting hard
    benchmarks, nor rewarded for reporting easy ones; the ridge term on abilities
    (one pseudo-observation at the mean) pulls thinly backed results toward the
    middle.
    """
    obs = _observations(models, registry)
    if not obs:
        return {slug: (None, ()) for slug in models}, ()
    mean = math.fsum(v for _, _, v in obs) / len(obs)
    ability, difficulty = _fit(obs, mean)
    by_key: dict[str, list[float]] = defaultdict(list)
    for slug, key, _ in obs:
        by_key[key].append(models[slug].benchmarks[key].score)
    out: dict[str, tuple[float | None, tuple[QualityDetail, ...]]] = {}
    for slug, model in sorted(models.items()):
        if slug not in ability:
            out[slug] = (None, ())
            continue
        detail = tuple(QualityDetail(key, model.benchmarks[key].score,
                                     math.fsum(by_key[key]) / len(by_key[key]),
                                     difficulty[key], len(by_key[key]))
                       for key in sorted(model.benchmarks))
        out[slug] = (100.0 * _sigmoid(mean + ability[slug]), detail)
    fits = tuple(BenchmarkFit(key, len(scores), math.fsum(scores) / len(scores), difficulty[key])
                 for key, scores in sorted(by_key.items()))
    return out, fits


def quality_inputs(models: Mapping[str, Model], registry: Mapping[str, Benchmark]) -> Hashable:
    """Everything ``quality_scores`` reads, as one comparable value: equal inputs, equal
    results (``versus serve`` keeps the last fit while no result or benchmark changes).
    Numbers as ``repr``: 80 and 80.0, or 0.0 and -0.0, are equal but not shown alike."""
    return (tuple((slug, tuple((key, repr(r.score)) for key, r in sorted(m.benchmarks.items())))
                  for slug, m in sorted(models.items())),
            tuple((key, repr(b.scale_max), b.higher_is_better)
                  for key, b in sorted(registry.items())))


def _observations(models: Mapping[str, Model], registry: Mapping[str, Benchmark]
                  ) -> list[tuple[str, str, float]]:
    obs = []
    for slug, model in sorted(models.items()):
        for key, result in sorted(model.benchmarks.items()):
            bench = registry[key]
            value = _logit(result.score, bench.scale_max)
            obs.append((slug, key, value if bench.higher_is_better else -value))
    return obs


def _fit(obs: list[tuple[str, str, float]], mean: float
         ) -> tuple[dict[str, float], dict[str, float]]:
    """Robust alternating least squares for abilities and difficulties.

    A Huber loss: a residual beyond ``ROBUST_LOGITS`` counts linearly, not squared
    (iteratively reweighted, the weights refreshed every sweep), so one benchmark a
    model does unusually well or badly on cannot outvote the many it does as
    expected; that keeps quality in line with who wins more shared benchmarks.
    """
    # Rows by position: row i is (model, benchmark, value) = (ms[i], bs[i], vs[i]). Each
    # sum below is math.fsum, exactly rounded whatever the order of its terms, so grouping
    # the rows by benchmark and by model up front gives the sums the method defines.
    models = sorted({slug for slug, _, _ in obs})
    benches = sorted({key for _, key, _ in obs})
    model_at = {slug: i for i, slug in enumerate(models)}
    bench_at = {key: i for i, key in enumerate(benches)}
    ms = [model_at[slug] for slug, _, _ in obs]
    bs = [bench_at[key] for _, key, _ in obs]
    vs = [value - mean for _, _, value in obs]
    of_bench: list[list[int]] = [[] for _ in benches]
    of_model: list[list[int]] = [[] for _ in models]
    for i, (m, b) in enumerate(zip(ms, bs)):
        of_bench[b].append(i)
        of_model[m].append(i)
    ability = [0.0] * len(models)
    difficulty = [0.0] * len(benches)
    weight = [1.0] * len(obs)
    fsum, robust = math.fsum, ROBUST_LOGITS
    for _ in range(FIT_MAX_ITERATIONS):
        for b, rows in enumerate(of_bench):
            difficulty[b] = (fsum([weight[i] * (ability[ms[i]] - vs[i]) for i in rows])
                             / (fsum([weight[i] for i in rows]) + DIFFICULTY_RIDGE))
        change = 0.0
        for m, rows in enumerate(of_model):
            new = (fsum([weight[i] * (vs[i] + difficulty[bs[i]]) for i in rows])
                   / (fsum([weight[i] for i in rows]) + PRIOR_OBSERVATIONS))
            change = max(change, abs(new - ability[m]))
            ability[m] = new
        # _huber_weight, inlined: this runs for every result on every sweep.
        weight = [1.0 if (size := abs(v - ability[m] + difficulty[b])) <= robust else robust / size
                  for m, b, v in zip(ms, bs, vs)]
        if change < FIT_TOLERANCE:
            break
    return dict(zip(models, ability)), dict(zip(benches, difficulty))


def _huber_weight(residual: float) -> float:
    size = abs(residual)
    return 1.0 if size <= ROBUST_LOGITS else ROBUST_LOGITS / size


def normalised_weights(weights: ScoreWeights) -> dict[str, float]:
    total = math.fsum(getattr(weights, k) for k in SCORE_KEYS)
    return {k: getattr(weights, k) / total for k in SCORE_KEYS}


def score_catalog(models: Mapping[str, Model], facts: Mapping[str, ModelFacts],
                  registry: Mapping[str, Benchmark], weights: ScoreWeights, *,
                  min_benchmarks: int = 3, quality: QualityResult | None = None) -> ScoringResult:
    """Every model's scores; the same input always gives the same output.

    ``quality`` is ``quality_scores(models, registry)`` when the caller has it already.
    """
    quality, fits = quality if quality is not None else quality_scores(models, registry)
    partial: dict[str, dict[str, float | None]] = {}
    for slug, model in sorted(models.items()):
        f = facts[slug]
        partial[slug] = {
            "quality": quality[slug][0],
            "cost": cost_score(f.blended_usd_per_mtok),
            "speed": speed_score(f.fastest_output_tokens_per_s, f.lowest_ttft_ms),
            "context": context_score(model.context_window_tokens),
            "openness": openness_score(model),
        }
    dimensions = tuple(k for k in SCORE_KEYS if any(p[k] is not None for p in partial.values()))
    norm = normalised_weights(weights)
    by_model = {}
    for slug, subs in partial.items():
        detail = quality[slug][1]
        reasons = unranked_reasons(subs, len(detail), dimensions, norm, min_benchmarks)
        overall = None if reasons else _overall(subs, dimensions, norm)
        by_model[slug] = Scores(**subs, overall=overall, quality_detail=detail, unranked=reasons)
    return ScoringResult(by_model, norm, dimensions, fits, min_benchmarks)


MISSING_REASONS = {"quality": "no benchmarks", "cost": "no price", "speed": "no speed data",
                   "context": "no context window", "openness": "no openness data"}


def unranked_reasons(subs: Mapping[str, float | None], benchmarks: int,
                     dimensions: tuple[str, ...], weights: Mapping[str, float],
                     min_benchmarks: int) -> tuple[str, ...]:
    """Why a model gets no overall score: each weighted dimension it lacks, and thin quality."""
    reasons = [MISSING_REASONS[k] for k in dimensions if weights[k] > 0 and subs[k] is None]
    if 0 < benchmarks < min_benchmarks and weights["quality"] > 0:
        reasons.append(f"{benchmarks} benchmark{'' if benchmarks == 1 else 's'}")
    if not any(weights[k] > 0 for k in dimensions) and not reasons:
        reasons.append("no scored data")
    return tuple(reasons)


def _overall(subs: Mapping[str, float | None], dimensions: tuple[str, ...],
             weights: Mapping[str, float]) -> float:
    """Weighted mean over the dimensions in use (every weighted one has data here)."""
    used = [k for k in dimensions if weights[k] > 0]
    total = math.fsum(weights[k] * subs[k] for k in used)  # type: ignore[operator]
    return total / math.fsum(weights[k] for k in used)


def winner(a: str, b: str, scores: Mapping[str, Scores]) -> str | None:
    """The slug with the higher overall score as shown (whole points); None on a tie or gap."""
    sa, sb = scores[a].overall, scores[b].overall
    if sa is None or sb is None or round(sa) == round(sb):
        return None
    return a if sa > sb else b


@dataclass(frozen=True)
class Method:
    """The constants of the method, for the methodology page (never typed twice)."""

    cost_anchors_usd: tuple[float, float] = COST_ANCHORS_USD
    throughput_anchors: tuple[float, float] = THROUGHPUT_ANCHORS
    ttft_anchors_ms: tuple[float, float] = TTFT_ANCHORS_MS
    context_anchors: tuple[int, int] = CONTEXT_ANCHORS
    throughput_share: float = THROUGHPUT_SHARE
    prior_observations: float = PRIOR_OBSERVATIONS
    difficulty_ridge: float = DIFFICULTY_RIDGE
    robust_logits: float = ROBUST_LOGITS
    clamp: float = CLAMP
    open_weights_points: int = OPEN_WEIGHTS_POINTS
    permissive_licence_points: int = PERMISSIVE_LICENCE_POINTS
    other_licence_points: int = OTHER_LICENCE_POINTS
    fine_tuning_points: int = FINE_TUNING_POINTS
    permissive_licences: tuple[str, ...] = PERMISSIVE_LICENCES

    @property
    def clamp_upper(self) -> float:
        return 1 - self.clamp

    @property
    def ttft_share(self) -> float:
        return 1 - self.throughput_share


METHOD = Method()
