"""Which pairs get a comparison page: how related two models are, from their traits."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from itertools import combinations
from typing import Mapping

from generator.load.catalog import Catalog
from generator.load.schema import Model
from generator.urls import ordered


# Points each trait adds to the relatedness of two models (README: "Which pairs get a page").
SAME_FAMILY_POINTS = 3.0  # readers compare versions of one line first
SAME_VENDOR_POINTS = 2.0
SIZE_POINTS = 1.5  # × closeness of parameter counts, log scale
SCORE_POINTS = 1.5  # × closeness of overall scores
PRICE_POINTS = 1.0  # × closeness of blended prices, log scale
CONTEXT_POINTS = 1.0  # × closeness of context windows, log scale
SAME_OPENNESS_POINTS = 0.5  # both open weights, or both closed
LOG_CLOSENESS_SPAN = 2.0  # decades apart at which closeness reaches 0 (a factor of 100)
SCORE_CLOSENESS_SPAN = 25.0  # overall-score points apart at which closeness reaches 0


@dataclass(frozen=True)
class Traits:
    """What relatedness looks at in one model: facts from its file, its price and its score."""

    vendor: str
    family: str | None
    parameters_b: float | None
    context_window_tokens: int | None
    open_weights: bool
    blended_usd_per_mtok: float | None = None
    overall_score: float | None = None

    @classmethod
    def of(cls, model: Model, *, blended_usd_per_mtok: float | None = None,
           overall_score: float | None = None) -> "Traits":
        return cls(model.vendor, model.family, model.parameters_b, model.context_window_tokens,
                   model.open_weights, blended_usd_per_mtok, overall_score)


def similarity(a: Traits, b: Traits) -> float:
    """How related two models are, for choosing which comparisons to build (0 to 10.5 points).

    Every closeness term is in 0..1 and is 0 when either side lacks the figure, so
    the weights above read as points and missing data never makes models related.
    """
    score = 0.0
    if a.family and a.family == b.family:
        score += SAME_FAMILY_POINTS
    if a.vendor == b.vendor:
        score += SAME_VENDOR_POINTS
    score += SIZE_POINTS * _log_closeness(a.parameters_b, b.parameters_b)
    score += SCORE_POINTS * _linear_closeness(a.overall_score, b.overall_score)
    score += PRICE_POINTS * _log_closeness(a.blended_usd_per_mtok, b.blended_usd_per_mtok)
    score += CONTEXT_POINTS * _log_closeness(a.context_window_tokens, b.context_window_tokens)
    score += SAME_OPENNESS_POINTS if a.open_weights == b.open_weights else 0.0
    return score


def _log_closeness(x: float | None, y: float | None) -> float:
    """1.0 for equal values, falling to 0 at a factor of 100 apart; 0 when unknown."""
    if not x or not y:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(x / y)) / LOG_CLOSENESS_SPAN)


def _linear_closeness(x: float | None, y: float | None) -> float:
    """1.0 for equal scores, falling to 0 at 25 points apart; 0 when unknown."""
    if x is None or y is None:
        return 0.0
    return max(0.0, 1.0 - abs(x - y) / SCORE_CLOSENESS_SPAN)


def comparison_pairs(catalog: Catalog,
                     traits: Mapping[str, Traits] | None = None) -> tuple[tuple[str, str], ...]:
    """Every pair that gets a comparison page, canonical order, sorted.

    With ``per_model: K`` each model gets pages with its K most similar models (ties
    broken by slug), so a model may have more than K comparisons (others chose it) but
    never fewer than K; ``include`` pairs are added on top. ``traits`` carries each
    model's price and score; without it only the model files' own facts count.
    """
    slugs = sorted(catalog.models)
    config = catalog.site.comparisons
    if config.per_model == "all":
        pairs = set(combinations(slugs, 2))
    else:
        if traits is None:
            traits = {slug: Traits.of(m) for slug, m in catalog.models.items()}
        pairs = set()
        for slug in slugs:
            mine = traits[slug]
            nearest = heapq.nsmallest(config.per_model, (o for o in slugs if o != slug),
                                      key=lambda o: (-similarity(mine, traits[o]), o))
            pairs.update(ordered(slug, o) for o in nearest)
    pairs.update(ordered(a, b) for a, b in config.include)
    return tuple(sorted(pairs))
