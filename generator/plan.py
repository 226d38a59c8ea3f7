"""Plan stage: the list of every file the site consists of, with its exact inputs.

A ``Page`` names its URL, the template that renders it, the arguments it is
rendered with and the content it reads (``inputs``). Knowing the inputs of every
page is what lets a later build re-render only the pages whose inputs changed.

An input key stands for everything the build knows under it, computed values
included (``fingerprint.py`` digests them): ``model:<slug>`` is the model's file,
its derived facts, its scores (which the catalogue-wide fit computes from every
model's benchmarks) and its view, which names its comparison partners, related
comparisons and the articles about it; ``models:*`` is all of that for every model
plus the list of pairs. So a page that shows a model's name, score or links reads
``model:<slug>``, and never needs to list the models those links point to. A new
page kind declares what it reads the same way (a key ``fingerprint.py`` does not
know stands for everything); ``tests/test_incremental.py`` checks every page kind
of ``tests/sites/basic`` against builds from nothing, so a missing input fails.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

from generator.errors import BuildError
from generator.load.catalog import Article, Catalog
from generator.urls import (ARTICLES_URL, BENCHMARKS_JSON_URL, CNAME_URL, COMPARE_URL,
                            COMPARISONS_JSON_URL, FEED_URL, HOME_URL, METHODOLOGY_URL,
                            MODELS_JSON_URL, MODELS_URL, NOJEKYLL_URL, NOT_FOUND_URL, ROBOTS_URL,
                            SEARCH_INDEX_URL, SEARCH_URL, SITEMAP_URL,
                            article_url, compare_url, model_url, sitemap_chunk_url, static_url)

SITE = "site"  # site.yaml
BENCHMARKS = "benchmarks"  # benchmarks.yaml
ALL_MODELS = "models:*"  # any model file
ALL_ARTICLES = "articles:*"  # any article
# Narrower views of the whole catalogue, for the big pages that show one thing of every
# model: an edit to a model's prose then leaves them alone.
MODEL_NAMES = "models:names"  # every model's slug, name and vendor, and the list of pairs
MODEL_SCORES = "models:scores"  # every model's scores, and the list of pairs
MODEL_DATES = "models:dates"  # every model's newest date (publish.model_date), and the pairs

SITEMAP_MAX_URLS = 50_000  # per sitemap file (sitemaps.org); beyond it sitemap.xml is an index
SITEMAP_KINDS = frozenset({"index", "model-index", "model", "compare-index", "compare",
                           "article-index", "article", "methodology"})  # pages search engines list
# Theme scripts: progressive enhancement.
SCRIPTS = ("site.js", "leaderboard.js", "picker.js", "live-compare.js")


def model_key(slug: str) -> str:
    return f"model:{slug}"


def article_key(slug: str) -> str:
    return f"article:{slug}"


@dataclass(frozen=True, init=False)
class Page:
    """One output file: where it goes, how it is made and what it reads."""

    url: str  # relative to the site root: "" (home), "models/x/", "api/models.json"
    kind: str
    template: str | None
    args: tuple[str, ...] = ()
    inputs: frozenset[str] = field(default_factory=frozenset)
    # Derived from the URL once: a big site has a hundred thousand pages and a build
    # asks each several times.
    output: str = field(init=False, repr=False, compare=False)  # the file path in the output
    is_html: bool = field(init=False, repr=False, compare=False)

    def __init__(self, url: str, kind: str, template: str | None, args: tuple[str, ...] = (),
                 inputs: frozenset[str] = frozenset()) -> None:
        # Written by hand: a frozen dataclass's own __init__ sets each field through
        # object.__setattr__, a third of planning 90,000 pages.
        output = url + "index.html" if url == "" or url.endswith("/") else url
        self.__dict__.update(url=url, kind=kind, template=template, args=args, inputs=inputs,
                             output=output, is_html=output.endswith(".html"))


@dataclass(frozen=True)
class Plan:
    """Every page of the site, sorted by output path, and the pairs it compares."""

    pages: tuple[Page, ...]
    pairs: tuple[tuple[str, str], ...]
    partners: Mapping[str, tuple[str, ...]]  # slug -> slugs it has a comparison page with

    @cached_property  # a big site has a hundred thousand pages, and several stages ask
    def urls(self) -> frozenset[str]:
        return frozenset(p.url for p in self.pages)

    @property
    def has_feed(self) -> bool:
        """Whether the site has an Atom feed (it has articles): every page then links it."""
        return FEED_URL in self.urls

    @property
    def sitemap_pages(self) -> tuple[Page, ...]:
        """The pages the sitemap lists: every page meant to be found, not redirects or 404."""
        return tuple(p for p in self.pages if p.kind in SITEMAP_KINDS)


def plan_site(catalog: Catalog, pairs: tuple[tuple[str, str], ...]) -> Plan:
    """Every page the catalogue makes: models, both orders of each pair, articles, indexes."""
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        partners[a].append(b)
        partners[b].append(a)
    pages = [
        Page(HOME_URL, "index", "index.html", (),
             frozenset({SITE, BENCHMARKS, ALL_MODELS, ALL_ARTICLES})),
        Page(NOT_FOUND_URL, "not-found", "404.html", (), frozenset({SITE, MODEL_NAMES})),
        Page(MODELS_URL, "model-index", "model_index.html", (),
             frozenset({SITE, BENCHMARKS, ALL_MODELS, ALL_ARTICLES})),
        Page(METHODOLOGY_URL, "methodology", "methodology.html", (),
             frozenset({SITE, BENCHMARKS, ALL_MODELS, ALL_ARTICLES})),
        Page(COMPARE_URL, "compare-index", "compare_index.html", (), frozenset({SITE, MODEL_NAMES})),
        Page(ARTICLES_URL, "article-index", "article_index.html", (), frozenset({SITE, ALL_ARTICLES})),
        Page(MODELS_JSON_URL, "models-json", None, (), frozenset({SITE, BENCHMARKS, ALL_MODELS})),
        Page(COMPARISONS_JSON_URL, "comparisons-json", None, (), frozenset({SITE, MODEL_SCORES})),
        Page(BENCHMARKS_JSON_URL, "benchmarks-json", None, (), frozenset({SITE, BENCHMARKS})),
        Page(NOJEKYLL_URL, "nojekyll", None),
        Page(static_url("style.css"), "asset", static_url("style.css"), ("style.css",)),
        Page(SEARCH_URL, "search", "search.html", (), frozenset({SITE})),
        Page(SEARCH_INDEX_URL, "search-index", None, (),
             frozenset({SITE, MODEL_NAMES, ALL_ARTICLES})),
    ]
    pages.extend(Page(static_url(name), "asset", static_url(name), (name,)) for name in SCRIPTS)
    for slug in catalog.models:
        pages.append(Page(model_url(slug), "model", "model.html", (slug,),
                          frozenset({SITE, BENCHMARKS, model_key(slug), MODEL_NAMES})))
    for a, b in pairs:
        pages.append(Page(compare_url(a, b), "compare", "compare.html", (a, b),
                          frozenset({SITE, BENCHMARKS, model_key(a), model_key(b)})))
        pages.append(Page(compare_url(b, a), "redirect", "redirect.html", (a, b),
                          frozenset({SITE, model_key(a), model_key(b)})))
    for article in catalog.articles:
        pages.append(Page(article_url(article.slug), "article", "article.html", (article.slug,),
                          article_reads(article)))
    pages += _hosting_pages(catalog, sum(p.kind in SITEMAP_KINDS for p in pages))
    pages.sort(key=lambda p: p.output)
    _check_collisions(pages)
    return Plan(tuple(pages), pairs, {k: tuple(sorted(v)) for k, v in sorted(partners.items())})


def article_reads(article: Article) -> frozenset[str]:
    """What an article's page shows: the article, the models it is about, and the data its
    embeds fill in (a benchmark table without a model list shows every model)."""
    reads = {SITE, BENCHMARKS, article_key(article.slug)}
    reads.update(model_key(m) for m in article.meta.models)
    for embed in article.embeds:
        reads.update(model_key(m) for m in embed.models)
        if embed.kind == "benchmark" and not embed.models:
            reads.add(ALL_MODELS)
    return frozenset(reads)


def _hosting_pages(catalog: Catalog, sitemap_urls: int) -> list[Page]:
    """Files for crawlers, feed readers and GitHub Pages: sitemap(s), robots.txt, feed, CNAME."""
    every = frozenset({SITE, MODEL_DATES, ALL_ARTICLES})  # the pages listed, and their dates
    pages = [Page(ROBOTS_URL, "robots", "robots.txt", (), frozenset({SITE}))]
    per_file = SITEMAP_MAX_URLS  # read at call time, so tests can lower it
    if sitemap_urls <= per_file:
        pages.append(Page(SITEMAP_URL, "sitemap", "sitemap.xml", ("0", str(sitemap_urls)), every))
    else:
        pages.append(Page(SITEMAP_URL, "sitemap-index", "sitemap_index.xml", (), every))
        for number, start in enumerate(range(0, sitemap_urls, per_file), start=1):
            stop = min(start + per_file, sitemap_urls)
            pages.append(Page(sitemap_chunk_url(number), "sitemap", "sitemap.xml",
                              (str(start), str(stop)), every))
    if catalog.articles:
        reads = frozenset({ALL_ARTICLES}).union(*(article_reads(a) for a in catalog.articles))
        pages.append(Page(FEED_URL, "feed", "feed.xml", (), reads))
    if catalog.site.custom_domain:
        pages.append(Page(CNAME_URL, "cname", None, (), frozenset({SITE})))
    return pages


def _check_collisions(pages: list[Page]) -> None:
    """Two pages may never write the same file (slug rules should make this impossible)."""
    seen: dict[str, Page] = {}
    for page in pages:
        if page.output in seen:
            raise BuildError(f"two pages would be written to {page.output}: "
                             f"{seen[page.output].kind} {seen[page.output].args} and "
                             f"{page.kind} {page.args}")
        seen[page.output] = page
