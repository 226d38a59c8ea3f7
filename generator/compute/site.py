"""Everything computed from one catalogue before any page is planned: facts, scores, pairs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from generator.compute.derive import ModelFacts, model_facts
from generator.compute.memo import Memo
from generator.compute.related import Traits, comparison_pairs
from generator.compute.scoring import ScoringResult, score_catalog
from generator.load.catalog import Catalog


@dataclass(frozen=True)
class Computed:
    """The pure results of the compute stage for one catalogue."""

    facts: Mapping[str, ModelFacts]  # by slug
    scoring: ScoringResult
    traits: Mapping[str, Traits]  # what relatedness compares, scores included
    pairs: tuple[tuple[str, str], ...]  # every pair that gets a comparison page


def compute_catalog(catalog: Catalog, memo: Memo | None = None) -> Computed:
    """Derived facts, scores, and the pairs that get a page; the same input, the same output.

    ``memo`` (``versus serve``) supplies the quality fit when its inputs did not change.
    """
    facts = {slug: model_facts(m) for slug, m in catalog.models.items()}
    quality = memo.quality(catalog.models, catalog.benchmarks) if memo is not None else None
    scoring = score_catalog(catalog.models, facts, catalog.benchmarks, catalog.site.scoring.weights,
                            min_benchmarks=catalog.site.scoring.min_benchmarks, quality=quality)
    traits = {slug: Traits.of(m, blended_usd_per_mtok=facts[slug].blended_usd_per_mtok,
                              quality=scoring.by_model[slug].quality)
              for slug, m in catalog.models.items()}
    return Computed(facts, scoring, traits, comparison_pairs(catalog, traits))
