"""What every page context reads (``SiteData``) and how its wording is asked for (``Wording``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol

from markupsafe import Markup

from generator.compute.scoring import ScoringResult
from generator.pages.views import Views
from generator.plan import Plan


@dataclass(frozen=True)
class SiteData:
    """Everything the page contexts read: computed once, shared by every page."""

    plan: Plan
    views: Views
    scoring: ScoringResult


class Wording(Protocol):
    """Sentences the theme words from computed facts (``faq.html``, ``partials/embeds.html``).

    The render stage provides it from the templates, so a project can reword or
    translate by overriding them; the pages stage only says which macro and what facts.
    """

    def faq(self, kind: str, facts: Any) -> tuple[Markup, Markup]:
        """The question and answer of a computed question of ``kind``."""

    def embed(self, kind: str, data: Mapping[str, Any]) -> str:
        """The HTML of one article embed of ``kind``."""
