"""The whole catalogue after validation: models, benchmarks, articles and pairs."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Mapping

from generator.schema import ArticleMeta, Benchmark, Model, SiteConfig
from generator.sources import Marks


@dataclass(frozen=True)
class Article:
    """A validated article: its front matter and its (not yet rendered) Markdown."""

    slug: str
    meta: ArticleMeta
    body: str
    body_line: int
    path: str


@dataclass(frozen=True)
class Catalog:
    """Everything a build knows about the content, immutable and in stable order."""

    site: SiteConfig
    benchmarks: Mapping[str, Benchmark]  # by key, sorted
    models: Mapping[str, Model]  # by slug, sorted
    articles: tuple[Article, ...]  # newest first
    model_paths: Mapping[str, str]  # slug -> file, for messages
    templates_dir: Path | None = None
    # Where every key stands in its file, so checks after validation can point at it.
    model_marks: Mapping[str, Marks] = field(default_factory=dict)  # by slug
    benchmark_marks: Marks | None = None


def pair_slug(a: str, b: str) -> str:
    """The URL slug of a comparison, in the order given."""
    return f"{a}-vs-{b}"


def ordered(a: str, b: str) -> tuple[str, str]:
    """A pair in canonical order (``a`` < ``b`` by slug)."""
    return (a, b) if a < b else (b, a)


def similarity(a: Model, b: Model) -> float:
    """How related two models are, for choosing which comparisons to build.

    Family counts most (readers compare versions of one line), then vendor, then
    closeness in size and in context window on a log scale. Documented in the
    README; every term is in 0..1 so the weights read as points.
    """
    score = 0.0
    if a.family and a.family == b.family:
        score += 3.0
    if a.vendor == b.vendor:
        score += 2.0
    score += _log_closeness(a.parameters_b, b.parameters_b) * 1.5
    score += _log_closeness(a.context_window_tokens, b.context_window_tokens)
    score += 0.5 if a.open_weights == b.open_weights else 0.0
    return score


def _log_closeness(x: float | None, y: float | None) -> float:
    """1.0 for equal values, falling to 0 at a factor of 100 apart; 0 when unknown."""
    if not x or not y:
        return 0.0
    return max(0.0, 1.0 - abs(math.log10(x / y)) / 2.0)


def comparison_pairs(catalog: Catalog) -> tuple[tuple[str, str], ...]:
    """Every pair that gets a comparison page, canonical order, sorted."""
    slugs = sorted(catalog.models)
    config = catalog.site.comparisons
    if config.per_model == "all":
        pairs = set(combinations(slugs, 2))
    else:
        pairs = set()
        for slug in slugs:
            model = catalog.models[slug]
            others = sorted((o for o in slugs if o != slug),
                            key=lambda o: (-similarity(model, catalog.models[o]), o))
            pairs.update(ordered(slug, o) for o in others[: config.per_model])
    pairs.update(ordered(a, b) for a, b in config.include)
    return tuple(sorted(pairs))
