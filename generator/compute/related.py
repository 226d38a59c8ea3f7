"""Which pairs get a comparison page: rivals readers weigh against each other, then kin.

With ``per_model: K`` each model is paired with

1. its closest *rivals*, models of other vendors: ``K − K // 4`` of them, at most
   ``MAX_PER_RIVAL_VENDOR`` from any one vendor, so that a flagship meets the other
   vendors' flagships rather than five versions of one of them; then
2. its *kin*, models of its own vendor (same family first): ``K // 4`` of them.

A side with too few candidates leaves its places to the other. Closeness
(``similarity``) is how near two models are in quality, price, release date, size
and context window; the methodology page documents it from these constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Callable, Mapping

from generator.load.catalog import Catalog
from generator.load.schema import Model
from generator.urls import ordered

# Points each trait adds to the closeness of two models (0 when either lacks the figure).
QUALITY_POINTS = 3.0  # × closeness of quality scores (benchmarks)
PRICE_POINTS = 2.0  # × closeness of blended prices, log scale
RELEASE_POINTS = 1.5  # × closeness of release dates: readers compare one generation
SIZE_POINTS = 1.0  # × closeness of parameter counts, log scale
CONTEXT_POINTS = 0.5  # × closeness of context windows, log scale
SAME_OPENNESS_POINTS = 0.5  # both open weights, or both closed
SAME_FAMILY_POINTS = 1.0  # among kin, versions of one line first
LOG_CLOSENESS_SPAN = 2.0  # decades apart at which closeness reaches 0 (a factor of 100)
QUALITY_CLOSENESS_SPAN = 20.0  # quality points apart at which closeness reaches 0
RELEASE_CLOSENESS_SPAN_DAYS = 540  # days apart at which closeness reaches 0
KIN_SHARE = 4  # one place in KIN_SHARE goes to the same vendor
MAX_PER_RIVAL_VENDOR = 2


@dataclass(frozen=True)
class Traits:
    """What closeness looks at in one model: facts from its file, its price and its quality."""

    vendor: str
    family: str | None
    parameters_b: float | None
    context_window_tokens: int | None
    open_weights: bool
    blended_usd_per_mtok: float | None = None
    quality: float | None = None
    released: date | None = None

    @classmethod
    def of(cls, model: Model, *, blended_usd_per_mtok: float | None = None,
           quality: float | None = None) -> "Traits":
        return cls(model.vendor, model.family, model.parameters_b, model.context_window_tokens,
                   model.open_weights, blended_usd_per_mtok, quality, model.released)


def similarity(a: Traits, b: Traits) -> float:
    """How close two models are, for choosing and ordering comparisons (0 to 9.5 points).

    Every closeness term is in 0..1 and is 0 when either side lacks the figure, so
    the weights above read as points and missing data never makes models close.
    Symmetric to the bit (a log-scale term divides the larger figure by the smaller),
    which ``similarities`` relies on.
    """
    return closeness_to(a)(b)


def closeness_to(mine: Traits) -> Callable[[Traits], float]:
    """``similarity`` from ``mine`` to each model it is given, ``mine``'s figures read once.

    Ranking every model against every other is most of the compute stage at a few
    hundred models (and of ``versus check --watch`` after a price edit): hence one
    function with its terms written out, rather than a helper call per term.
    """
    log10, span = math.log10, LOG_CLOSENESS_SPAN
    quality, price, released = mine.quality, mine.blended_usd_per_mtok, mine.released
    size, context, open_weights = mine.parameters_b, mine.context_window_tokens, mine.open_weights
    family = mine.family

    def closeness(other: Traits) -> float:
        # Linear terms: 1.0 for equal values, 0 at the span apart; log terms: 1.0 for
        # equal values, 0 at a factor of 10 ** span apart; 0 when either is unknown.
        q = other.quality
        score = QUALITY_POINTS * (0.0 if quality is None or q is None else
                                  max(0.0, 1.0 - abs(quality - q) / QUALITY_CLOSENESS_SPAN))
        x = other.blended_usd_per_mtok
        score += PRICE_POINTS * (0.0 if not price or not x else max(
            0.0, 1.0 - log10(price / x if price >= x else x / price) / span))
        if released and other.released:
            days = abs((released - other.released).days)
            score += RELEASE_POINTS * max(0.0, 1.0 - days / RELEASE_CLOSENESS_SPAN_DAYS)
        x = other.parameters_b
        score += SIZE_POINTS * (0.0 if not size or not x else max(
            0.0, 1.0 - log10(size / x if size >= x else x / size) / span))
        x = other.context_window_tokens
        score += CONTEXT_POINTS * (0.0 if not context or not x else max(
            0.0, 1.0 - log10(context / x if context >= x else x / context) / span))
        score += SAME_OPENNESS_POINTS if open_weights == other.open_weights else 0.0
        if family and family == other.family:
            score += SAME_FAMILY_POINTS
        return score

    return closeness


Table = Mapping[str, Mapping[str, float]]


def similarities(traits: Mapping[str, Traits]) -> Table:
    """``similarity`` of every two models, ``table[a][b]``; each pair computed once
    (``similarity`` is symmetric, bit for bit)."""
    slugs = sorted(traits)
    table: dict[str, dict[str, float]] = {slug: {} for slug in slugs}
    for i, a in enumerate(slugs):
        closeness, row = closeness_to(traits[a]), table[a]
        for b in slugs[i + 1:]:
            row[b] = table[b][a] = closeness(traits[b])
    return table


def partners_of(slug: str, traits: Mapping[str, Traits], k: int,
                table: Table | None = None) -> list[str]:
    """The ``k`` models ``slug`` is compared with: rivals of other vendors first, then kin.
    ``table``: ``similarities(traits)``, when the caller ranks every model."""
    mine = traits[slug]
    if table is None:
        closeness = closeness_to(mine)
        table = {slug: {o: closeness(t) for o, t in traits.items() if o != slug}}
    row = table[slug]
    ranked = sorted((o for o in traits if o != slug), key=lambda o: (-row[o], o))
    rivals, kin, per_vendor = [], [], {}
    for o in ranked:
        vendor = traits[o].vendor
        if vendor == mine.vendor:
            kin.append(o)
        elif per_vendor.get(vendor, 0) < MAX_PER_RIVAL_VENDOR:
            per_vendor[vendor] = per_vendor.get(vendor, 0) + 1
            rivals.append(o)
    kin_places = min(len(kin), k // KIN_SHARE, k)
    chosen = rivals[: k - kin_places]
    chosen += kin[: k - len(chosen)]
    if len(chosen) < k:  # few vendors: more of the same rival vendors
        rest = [o for o in ranked if o not in chosen]
        chosen += rest[: k - len(chosen)]
    return chosen


def comparison_pairs(catalog: Catalog,
                     traits: Mapping[str, Traits] | None = None) -> tuple[tuple[str, str], ...]:
    """Every pair that gets a comparison page, canonical order, sorted.

    With ``per_model: K`` each model gets pages with its K partners (``partners_of``),
    so a model may have more than K comparisons (others chose it) but never fewer
    than K; ``include`` pairs are added on top. ``traits`` carries each model's price
    and quality; without it only the model files' own facts count.
    """
    slugs = sorted(catalog.models)
    config = catalog.site.comparisons
    if config.per_model == "all":
        pairs = set(combinations(slugs, 2))
    else:
        if traits is None:
            traits = {slug: Traits.of(m) for slug, m in catalog.models.items()}
        pairs = set()
        table = similarities(traits)
        for slug in slugs:
            pairs.update(ordered(slug, o)
                         for o in partners_of(slug, traits, config.per_model, table))
    pairs.update(ordered(a, b) for a, b in config.include)
    return tuple(sorted(pairs))


@dataclass(frozen=True)
class Closeness:
    """The constants above, for the methodology page (never typed twice)."""

    quality_points: float = QUALITY_POINTS
    price_points: float = PRICE_POINTS
    release_points: float = RELEASE_POINTS
    size_points: float = SIZE_POINTS
    context_points: float = CONTEXT_POINTS
    same_openness_points: float = SAME_OPENNESS_POINTS
    same_family_points: float = SAME_FAMILY_POINTS
    quality_span: float = QUALITY_CLOSENESS_SPAN
    release_span_days: int = RELEASE_CLOSENESS_SPAN_DAYS
    log_span_factor: float = 10 ** LOG_CLOSENESS_SPAN
    kin_share: int = KIN_SHARE
    max_per_rival_vendor: int = MAX_PER_RIVAL_VENDOR


CLOSENESS = Closeness()
