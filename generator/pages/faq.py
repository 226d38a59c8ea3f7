"""The FAQ a page shows: editorial questions, then computed ones worded by the theme.

``compute.faq`` decides which questions the data answers, from facts; this
module adds the views the wording shows (the model, the pair, a benchmark row)
and asks the theme's wording for the sentences.
"""

from __future__ import annotations

import functools
import re
import types
from dataclasses import dataclass
from typing import Any, Mapping

from markupsafe import Markup

from generator.compute.faq import Question, Reason, Verdict
from generator.pages.data import Wording
from generator.pages.views import FaqView, ModelView, PairView

MAX_QUESTIONS = 12  # a page's FAQ, editorial questions first: more is a wall, not an answer


@dataclass(frozen=True)
class FaqItem:
    """A question and its answer as shown, editorial or computed."""

    question: Markup
    answer: Markup
    computed: bool

    # The plain texts (for telling questions apart, and for the JSON-LD) are asked for
    # more than once a page: stripped once.
    @functools.cached_property
    def question_text(self) -> str:
        return self.question.striptags()

    @functools.cached_property
    def answer_text(self) -> str:
        return self.answer.striptags()


class Facts(types.SimpleNamespace):
    """A question's facts as the wording macros see them: ``f.pair`` or ``f['pair']``.

    Attributes, because Jinja reads ``f.pair`` by trying an attribute first: on a
    dict that fails, with an exception, before the key is tried, and the wording
    reads facts some forty times a comparison page.
    """

    def __init__(self, facts: Mapping[str, Any]):
        super().__init__(**facts)

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __iter__(self) -> Any:
        return iter(self.__dict__)

    def get(self, key: str, default: Any = None) -> Any:
        return self.__dict__.get(key, default)


def model_faq(wording: Wording, m: ModelView,
              questions: tuple[Question, ...]) -> tuple[FaqItem, ...]:
    """A model page's FAQ: the model's own questions, then those its data answers."""
    return _faq(wording, m.faq, [(q.kind, {"m": m, **q.facts}) for q in questions])


def pair_faq(wording: Wording, pair: PairView,
             questions: tuple[Question, ...]) -> tuple[FaqItem, ...]:
    """A comparison's FAQ: each model's questions that name the other, then computed ones."""
    editorial = tuple(q for m, o in ((pair.a, pair.b), (pair.b, pair.a)) for q in m.faq
                      if o.name.casefold() in q.question.casefold())
    rows = {row.a.key: row for row in pair.benchmarks}
    worded = []
    for q in questions:
        facts = {"pair": pair, **q.facts}
        if "keys" in facts:
            facts["rows"] = tuple(rows[k] for k in facts.pop("keys"))
        worded.append((q.kind, facts))
    return _faq(wording, editorial, worded)


def _faq(wording: Wording, editorial: tuple[FaqView, ...],
         computed: list[tuple[str, dict[str, Any]]]) -> tuple[FaqItem, ...]:
    """Editorial questions first, then computed ones; no question twice."""
    items = [FaqItem(Markup.escape(q.question), q.answer, False) for q in editorial]
    for kind, facts in computed:
        question, answer = wording.faq(kind, Facts(facts))
        items.append(FaqItem(question, answer, True))
    seen: set[str] = set()
    unique = []
    for item in items:
        key = re.sub(r"[^a-z0-9]+", " ", item.question_text.casefold()).strip()
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(unique[:MAX_QUESTIONS])


def verdict_view(pair: PairView, verdict: Verdict) -> Verdict:
    """The verdict with the views its wording shows: ``me``, ``other`` and benchmark ``rows``."""
    rows = {row.a.key: row for row in pair.benchmarks}
    sides = {"a": (pair.a, pair.b), "b": (pair.b, pair.a)}

    def shown(reason: Reason, side: str) -> Reason:
        me, other = sides[side]
        facts: dict[str, Any] = {"me": me, "other": other, **reason.facts}
        if "keys" in facts:
            facts["rows"] = tuple(rows[k] for k in facts.pop("keys"))
        return Reason(reason.kind, facts)

    return Verdict(verdict.winner, verdict.dimensions_won,
                   {side: tuple(shown(r, side) for r in reasons)
                    for side, reasons in verdict.reasons.items()})
