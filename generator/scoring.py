"""Scores: pure functions from the catalogue to a 0..100 rating per model and dimension.

The method (also rendered on the methodology page from these same constants):

* quality: each benchmark score becomes a logit, ``ln(p / (1 - p))`` of the
  fraction of the benchmark's scale, minus the catalogue's mean logit on that
  benchmark, so a hard benchmark counts as much as an easy one. A model's
  ability is the sum of those differences divided by (benchmarks + 1): one extra
  "average" observation shrinks thinly backed results toward the middle. Quality
  is ``100 × sigmoid(ability)``: 50 is the catalogue average.
* cost, speed, context: fixed log scales between published anchors, so a score
  never moves because another model was added.
* openness: open weights, licence, fine-tuning support.
* overall: the weighted mean of the five; a missing dimension counts as the
  lowest score any model has on it, so leaving data out never helps.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping

from generator.derive import ModelFacts
from generator.schema import SCORE_KEYS, Benchmark, Model, ScoreWeights

# Anchors of the fixed log scales: (value that scores 0, value that scores 100).
COST_ANCHORS_USD = (100.0, 0.01)  # blended USD per 1M tokens
THROUGHPUT_ANCHORS = (10.0, 1000.0)  # output tokens per second
TTFT_ANCHORS_MS = (5000.0, 100.0)  # time to first token, median
CONTEXT_ANCHORS = (4096, 16_777_216)  # tokens: 4K scores 0, 16M scores 100
THROUGHPUT_SHARE = 0.7  # of the speed score, when TTFT is known too
PRIOR_OBSERVATIONS = 1  # "average" pseudo-benchmarks added to every model's quality
CLAMP = 0.005  # scores of 0% or 100% are read as 0.5% / 99.5% to keep logits finite

OPEN_WEIGHTS_POINTS = 60
PERMISSIVE_LICENCE_POINTS = 25
OTHER_LICENCE_POINTS = 10  # open weights under a licence with use restrictions
FINE_TUNING_POINTS = 15
PERMISSIVE_LICENCES = ("apache", "mit", "bsd", "cc-by-4.0", "cc by 4.0", "isc", "unlicense")


@dataclass(frozen=True)
class QualityDetail:
    """How one benchmark moved a model's quality: its logit above the catalogue mean."""

    key: str
    score: float
    catalogue_mean_score: float
    relative_logit: float
    models_reporting: int


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
    penalised: tuple[str, ...] = ()  # dimensions counted at the catalogue minimum

    def as_dict(self) -> dict[str, float | None]:
        """The export's ``computed.scores``: overall first, then the dimensions."""
        return {"overall": self.overall, **{k: getattr(self, k) for k in SCORE_KEYS}}

    @property
    def benchmarks_used(self) -> int:
        return len(self.quality_detail)


@dataclass(frozen=True)
class ScoringResult:
    by_model: Mapping[str, Scores]
    weights: Mapping[str, float]  # normalised to sum to 1
    floors: Mapping[str, float | None] = field(default_factory=dict)  # lowest score per dimension


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


def quality_scores(models: Mapping[str, Model], registry: Mapping[str, Benchmark]
                   ) -> dict[str, tuple[float | None, tuple[QualityDetail, ...]]]:
    """Quality per model from benchmarks normalised across the catalogue (see module doc)."""
    logits: dict[str, dict[str, float]] = defaultdict(dict)
    raw: dict[str, list[float]] = defaultdict(list)
    for slug, model in sorted(models.items()):
        for key, result in sorted(model.benchmarks.items()):
            bench = registry[key]
            value = _logit(result.score, bench.scale_max)
            logits[key][slug] = value if bench.higher_is_better else -value
            raw[key].append(result.score)
    means = {k: math.fsum(v.values()) / len(v) for k, v in logits.items()}
    out: dict[str, tuple[float | None, tuple[QualityDetail, ...]]] = {}
    for slug, model in sorted(models.items()):
        detail = tuple(
            QualityDetail(key, model.benchmarks[key].score, math.fsum(raw[key]) / len(raw[key]),
                          logits[key][slug] - means[key], len(logits[key]))
            for key in sorted(model.benchmarks))
        if not detail:
            out[slug] = (None, ())
            continue
        ability = math.fsum(d.relative_logit for d in detail) / (len(detail) + PRIOR_OBSERVATIONS)
        out[slug] = (100.0 * _sigmoid(ability), detail)
    return out


def normalised_weights(weights: ScoreWeights) -> dict[str, float]:
    total = math.fsum(getattr(weights, k) for k in SCORE_KEYS)
    return {k: getattr(weights, k) / total for k in SCORE_KEYS}


def score_catalog(models: Mapping[str, Model], facts: Mapping[str, ModelFacts],
                  registry: Mapping[str, Benchmark], weights: ScoreWeights) -> ScoringResult:
    """Every model's scores; the same input always gives the same output."""
    quality = quality_scores(models, registry)
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
    floors = {k: min((p[k] for p in partial.values() if p[k] is not None), default=None)
              for k in SCORE_KEYS}
    norm = normalised_weights(weights)
    by_model = {}
    for slug, subs in partial.items():
        overall, penalised = _overall(subs, floors, norm)
        by_model[slug] = Scores(**subs, overall=overall, quality_detail=quality[slug][1],
                                penalised=penalised)
    return ScoringResult(by_model, norm, floors)


def _overall(subs: Mapping[str, float | None], floors: Mapping[str, float | None],
             weights: Mapping[str, float]) -> tuple[float | None, tuple[str, ...]]:
    """Weighted mean; a missing dimension counts at the catalogue's lowest score on it."""
    if subs["quality"] is None:
        return None, ()
    total = used = 0.0
    penalised = []
    for key in SCORE_KEYS:
        value = subs[key]
        if value is None:
            value = floors[key]
            if value is None:  # no model has this data: the dimension ranks nobody
                continue
            penalised.append(key)
        total += weights[key] * value
        used += weights[key]
    return (total / used if used else None), tuple(penalised)


def winner(a: str, b: str, scores: Mapping[str, Scores]) -> str | None:
    """The slug with the higher overall score as shown (whole points); None on a tie or gap."""
    sa, sb = scores[a].overall, scores[b].overall
    if sa is None or sb is None or round(sa) == round(sb):
        return None
    return a if sa > sb else b
