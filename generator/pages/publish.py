"""Web plumbing for hosting: content dates and entries for the sitemap,
the 404 page's model list and the GitHub Pages size limit. Pure functions.

Dates here come from the content only (a model file's newest ``released`` or
``as_of``, an article's ``updated`` or ``date``), never from the clock, so the
same content always gives the same sitemap and feed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

if TYPE_CHECKING:  # annotations only: `versus build` on an unchanged site imports this
    from generator.load.catalog import Catalog  # module, and must not pay for pydantic
    from generator.plan import Page
    from generator.load.schema import Model

PAGES_LIMIT_BYTES = 1_000_000_000  # GitHub Pages: a published site may be at most 1 GB
SIZE_WARNING_BYTES = 800_000_000  # warn from here, while there is still room to act
FEED_MAX_ENTRIES = 20  # newest articles in feed.xml, with their full text


@dataclass(frozen=True)
class ContentDates:
    """The newest date each model file and each article carries."""

    models: Mapping[str, dt.date | None]
    articles: Mapping[str, dt.date]

    @property
    def newest_model(self) -> dt.date | None:
        return _newest(self.models.values())

    @property
    def newest_article(self) -> dt.date | None:
        return _newest(self.articles.values())


@dataclass(frozen=True)
class SitemapEntry:
    loc: str  # absolute URL
    lastmod: dt.date | None


def _newest(dates: Iterable[dt.date | None]) -> dt.date | None:
    return max((d for d in dates if d is not None), default=None)


def model_date(model: Model) -> dt.date | None:
    """The newest date in a model file: its release, or any price, benchmark or speed figure."""
    dates = [model.released]
    dates += [offer.as_of for offer in model.pricing]
    dates += [result.as_of for result in model.benchmarks.values()]
    dates += [speed.as_of for speed in model.speed]
    return _newest(dates)


def content_dates(catalog: Catalog) -> ContentDates:
    return ContentDates(
        {slug: model_date(m) for slug, m in catalog.models.items()},
        {a.slug: a.meta.updated or a.meta.date for a in catalog.articles},
    )


def page_lastmod(page: Page, dates: ContentDates) -> dt.date | None:
    """When the content a page is about last changed, or None if the content has no dates.

    A page's date is that of its subject (a model, both models of a pair, an article);
    lists take the newest date of what they list.
    """
    if page.kind == "model":
        return dates.models[page.args[0]]
    if page.kind == "compare":
        return _newest(dates.models[slug] for slug in page.args)
    if page.kind == "article":
        return dates.articles[page.args[0]]
    if page.kind == "article-index":
        return dates.newest_article
    if page.kind == "index":
        return _newest((dates.newest_model, dates.newest_article))
    return dates.newest_model  # model and comparison indexes, methodology


def sitemap_entries(pages: Sequence[Page], dates: ContentDates,
                    root_url: str) -> list[SitemapEntry]:
    return [SitemapEntry(root_url + page.url, page_lastmod(page, dates)) for page in pages]


def not_found_models(catalog: Catalog) -> dict[str, str]:
    """Slug -> name of every model, for the 404 page to name the models of a missing pair."""
    return {slug: model.name for slug, model in catalog.models.items()}


def size_warning(bytes_written: int) -> str | None:
    """A warning when a site nears GitHub Pages' 1 GB limit, or None."""
    if bytes_written < SIZE_WARNING_BYTES:
        return None
    state = "is over" if bytes_written > PAGES_LIMIT_BYTES else "nears"
    return (f"the site is {bytes_written / 1e6:,.1f} MB and {state} GitHub Pages' "
            f"{PAGES_LIMIT_BYTES / 1e9:.0f} GB limit: set comparisons.per_model in "
            "content/site.yaml to build fewer comparison pages")
