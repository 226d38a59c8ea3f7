"""What every page context reads (``SiteData``) and how its wording is asked for (``Wording``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping, Protocol

from markupsafe import Markup

from generator.compute.derive import PairFacts, pair_facts
from generator.compute.scoring import ScoringResult
from generator.pages.views import Views
from generator.plan import Plan


@dataclass(frozen=True)
class SiteData:
    """Everything the page contexts read: computed once, shared by every page."""

    plan: Plan
    views: Views
    scoring: ScoringResult

    @cached_property  # once per build (per worker), not once per comparison page
    def _benchmark_rules(self) -> tuple[dict[str, bool], dict[str, float]]:
        registry = self.views.catalog.benchmarks
        return ({k: b.higher_is_better for k, b in registry.items()},
                {k: b.scale_max for k, b in registry.items()})

    def pair_facts(self, a: str, b: str) -> PairFacts:
        """What the data says of models ``a`` and ``b`` side by side (``derive.pair_facts``)."""
        models, facts = self.views.catalog.models, self.views.facts
        higher, scales = self._benchmark_rules
        return pair_facts(models[a], models[b], facts[a], facts[b], higher, scales)


class Wording(Protocol):
    """Sentences the theme words from computed facts (``faq.html``, ``partials/embeds.html``).

    The render stage provides it from the templates, so a project can reword or
    translate by overriding them; the pages stage only says which macro and what facts.
    """

    def faq(self, kind: str, facts: Any) -> tuple[Markup, Markup]:
        """The question and answer of a computed question of ``kind``."""

    def embed(self, kind: str, data: Mapping[str, Any]) -> str:
        """The HTML of one article embed of ``kind``."""
