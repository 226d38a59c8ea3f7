"""Credits that a dataset's licence requires, owed whenever any figure comes from it.

A figure comes from a dataset when its ``source`` (or one of the model's ``sources``)
is a link into that dataset; ``versus import`` writes such links. The build computes
the credits once, and every page shows them (the licence asks for it on any page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from generator.load.schema import Model

LLM_STATS_REPOSITORY = "https://github.com/JonathanChavezTamales/llm-leaderboard"


@dataclass(frozen=True)
class Credit:
    """A dataset to credit: its name and link, its licence, and what we changed in it."""

    name: str
    url: str
    licence: str
    licence_url: str
    prefixes: tuple[str, ...]  # a source starting with one of these comes from the dataset
    changes: tuple[str, ...]  # what the import changed, for the methodology page


LLM_STATS = Credit(
    name="LLM Stats", url=LLM_STATS_REPOSITORY, licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    prefixes=(LLM_STATS_REPOSITORY + "/", "https://llm-stats.com/"),
    changes=(
        "Units converted: parameter counts to billions, prices from US cents to US dollars "
        "per million tokens, time to first token from seconds to milliseconds, scores on "
        "0..1 to percentages.",
        "The context window is the largest input limit any provider lists.",
        "Left out: results with a placeholder source, results only one model reports, "
        "disagreeing duplicate results, scores of 0 and judge scores stored on the wrong "
        "scale, prices whose output price is more than 12 times the input price, and "
        "speeds repeated across unrelated models (placeholders).",
        "Dates: a result dated before the model's release keeps no date.",
        "Editors check imported figures against their sources and correct or replace "
        "them; a corrected figure names its new source.",
    ))
KNOWN = (LLM_STATS,)


def credits_for(models: Iterable[Model]) -> tuple[Credit, ...]:
    """The credits owed for ``models``: those of every dataset any figure comes from."""
    sources = set(_sources(models))
    return tuple(c for c in KNOWN
                 if any(s.startswith(c.prefixes) for s in sources))


def _sources(models: Iterable[Model]) -> Iterator[str]:
    for m in models:
        yield from (o.source for o in m.pricing if o.source)
        yield from (r.source for r in m.benchmarks.values() if r.source)
        yield from (s.source for s in m.speed if s.source)
        yield from (s.url for s in m.sources)
