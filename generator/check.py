"""Warnings: content that is valid but that a careful editor wants to look at again.

Every warning is a ``SourceError(severity="warning")`` pointing at the key or value
it is about. ``versus build`` and ``versus check`` print the same content warnings
(and ``--strict`` makes them fail either command). Warnings about *age* need a
reference date: they are computed only when ``today`` is given, which ``versus
check`` does and ``versus build`` does not, so a build never depends on the day it
runs (see the README).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Collection, Iterator

from generator.errors import SourceError, line_of
from generator.load.catalog import Catalog
from generator.pages.markup import INLINE_TOC, MarkdownCache
from generator.plan import Plan
from generator.urls import link_path, linked_pair
from generator.load.schema import Model
from generator.load.sources import Loc, Marks
from generator.plausibility import plausibility_warnings

WARNING = "warning"


def content_warnings(catalog: Catalog, plan: Plan, markdown: MarkdownCache, *,
                     today: dt.date | None = None) -> list[SourceError]:
    """Every warning about ``catalog``, sorted; dated ones only when ``today`` is given.

    Links in editors' Markdown are read from ``markdown``, the build's rendered-Markdown
    cache (what pages show), so checking never renders a page.
    """
    found: list[SourceError] = [
        *missing_data(catalog),
        *plausibility_warnings(catalog),
        *unsourced_scores(catalog),
        *unused_benchmarks(catalog),
        *missing_links(catalog, plan, markdown),
    ]
    if today is not None:
        found.extend(dated_warnings(catalog, today))
    return sorted(set(found))


# --------------------------------------------------------------------------- models


def missing_data(catalog: Catalog) -> Iterator[SourceError]:
    """Models without benchmarks (not ranked) or without pricing (no cost score)."""
    for slug, model in catalog.models.items():
        if not model.benchmarks:
            yield _warn(catalog, slug, ("benchmarks",), "no benchmarks: the model gets no "
                        "quality or overall score and is listed unranked")
        if not model.pricing:
            yield _warn(catalog, slug, ("pricing",), "no pricing: the model gets no cost "
                        "score and is listed unranked")


def unsourced_scores(catalog: Catalog) -> Iterator[SourceError]:
    """Benchmark results that do not say where they come from."""
    for slug, model in catalog.models.items():
        for key, result in model.benchmarks.items():
            if result.source is None:
                yield _warn(catalog, slug, ("benchmarks", key), f"{key}: score "
                            f"{result.score:g} has no source: add source: (a title or URL)",
                            key=True)


def unused_benchmarks(catalog: Catalog) -> Iterator[SourceError]:
    """Keys of benchmarks.yaml that no model reports."""
    used = {key for model in catalog.models.values() for key in model.benchmarks}
    marks = catalog.benchmark_marks
    for key in catalog.benchmarks:
        if key not in used and marks is not None:
            yield marks.error((key,), f"benchmark {key!r} is defined but no model reports it",
                              key=True, severity=WARNING)


# --------------------------------------------------------------------------- dates


def dated_warnings(catalog: Catalog, today: dt.date) -> Iterator[SourceError]:
    """Prices and benchmark results older than site.yaml's limits, and dates in the future."""
    limits = catalog.site.check
    for slug, model in catalog.models.items():
        for loc, what, as_of, limit, advice in _dated_figures(
                model, limits.prices_stale_after_days, limits.benchmarks_stale_after_days):
            age = (today - as_of).days
            if age < 0:
                yield _warn(catalog, slug, loc, f"{what}: as_of {as_of} is in the future "
                            f"(today is {today}): is the year right?")
            elif limit is not None and age > limit:
                yield _warn(catalog, slug, loc, f"{what} is {age} days old (as_of {as_of}, "
                            f"limit {limit}): {advice}")


def _dated_figures(model: Model, price_limit: int | None, bench_limit: int | None,
                   ) -> Iterator[tuple[Loc, str, dt.date, int | None, str]]:
    for i, offer in enumerate(model.pricing):
        if offer.as_of is not None:
            yield (("pricing", i, "as_of"), f"price at {offer.provider}", offer.as_of,
                   price_limit, "confirm it at the source, then update as_of")
    for key, result in model.benchmarks.items():
        if result.as_of is not None:
            yield (("benchmarks", key, "as_of"), f"{key} score", result.as_of, bench_limit,
                   "look for a newer result of this model")


# --------------------------------------------------------------------------- links


def missing_links(catalog: Catalog, plan: Plan, markdown: MarkdownCache) -> Iterator[SourceError]:
    """Links in editors' Markdown (articles, models' texts) to pages ``plan`` lacks."""
    yield from link_warnings(catalog, plan, markdown)
    yield from model_link_warnings(catalog, plan, markdown)


def link_warnings(catalog: Catalog, plan: Plan, markdown: MarkdownCache) -> list[SourceError]:
    """Links in articles to pages this site does not have."""
    from generator.pages.views import article_markdown  # the views only when there are articles

    warnings = []
    for article in catalog.articles:
        text, base, toc = article_markdown(article, catalog.site.base_path)
        for target in markdown.render(text, base_path=base, toc_depth=toc).internal_links:
            if not _exists(target, plan.urls):
                line, col = _find(article.body, target) or (1, 1)
                warnings.append(SourceError(article.path, article.body_line + line - 1, col,
                                            _missing_page(target, catalog.models),
                                            severity=WARNING))
    return warnings


_MARKDOWN_FIELDS = {"capabilities": ("description", "unique", "vs_alternatives"),
                    "faq": ("answer",)}
# Cheap test for text that may hold a root-relative link, so that only those few
# fields are rendered a second time: [x](/path), [x]: /path, <a href="/path">.
_MAY_LINK = re.compile(r"\]\(\s*<?/|\]:\s*<?/|href")


def model_link_warnings(catalog: Catalog, plan: Plan,
                        markdown: MarkdownCache) -> Iterator[SourceError]:
    """Links in a model's Markdown (capabilities, FAQ answers) to pages that do not exist."""
    base = catalog.site.base_path
    for slug, model in catalog.models.items():
        marks = catalog.model_marks[slug]
        for loc, text in _markdown_of(model):
            rendered = markdown.render(text, base_path=base, toc_depth=INLINE_TOC)
            for target in rendered.internal_links:
                if not _exists(target, plan.urls):
                    yield _link_warning(marks, loc, target, catalog.models)


def _markdown_of(model: Model) -> Iterator[tuple[Loc, str]]:
    for list_name, fields in _MARKDOWN_FIELDS.items():
        for i, item in enumerate(getattr(model, list_name)):
            for name in fields:
                text = getattr(item, name)
                if text and _MAY_LINK.search(text):
                    yield (list_name, i, name), text


def _link_warning(marks: Marks, loc: Loc, target: str, models: Collection[str]) -> SourceError:
    """A warning at the link itself, searched for from the start of its field."""
    field_line, _ = marks.position(loc)
    start = sum(len(line) + 1 for line in marks.text.split("\n")[: field_line - 1])
    line, col = _find(marks.text, target, start) or marks.position(loc)
    return SourceError(marks.path, line, col, _missing_page(target, models), WARNING,
                       line_of(marks.text, line))


def _exists(target: str, urls: frozenset[str]) -> bool:
    path = link_path(target)
    return (path in urls or path + "/" in urls
            or (path.endswith("index.html") and path[:-10] in urls))


def _missing_page(target: str, models: Collection[str]) -> str:
    """Why a link has no page; for a pair of known models, how to get its page built."""
    pair = linked_pair(target)
    if pair is not None and all(s in models for s in pair):
        why = ("this pair has no comparison page (comparisons.per_model leaves it out): add it "
               "to comparisons.include in site.yaml")
    else:
        why = "this site has no such page"
    return f"link to {target} : {why}"


def _find(text: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """The 1-based line and column of a link target in ``text``, if it is there."""
    index = text.find(f"({needle}", start)
    index = text.find(needle, start) if index < 0 else index + 1
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _warn(catalog: Catalog, slug: str, loc: Loc, message: str, *,
          key: bool = False) -> SourceError:
    return catalog.model_marks[slug].error(loc, message, key=key, severity=WARNING)
