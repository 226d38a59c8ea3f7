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
from typing import Mapping

from generator.errors import BuildError
from generator.library import Catalog, pair_slug

SITE = "site"  # site.yaml
BENCHMARKS = "benchmarks"  # benchmarks.yaml
ALL_MODELS = "models:*"  # any model file
ALL_ARTICLES = "articles:*"  # any article
# Narrower views of the whole catalogue, for the big pages that show one thing of every
# model: an edit to a model's prose then leaves them alone.
MODEL_NAMES = "models:names"  # every model's slug and name, and the list of pairs
MODEL_SCORES = "models:scores"  # every model's scores, and the list of pairs


def model_key(slug: str) -> str:
    return f"model:{slug}"


def article_key(slug: str) -> str:
    return f"article:{slug}"


@dataclass(frozen=True)
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

    def __post_init__(self) -> None:
        output = self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url
        object.__setattr__(self, "output", output)
        object.__setattr__(self, "is_html", output.endswith(".html"))


@dataclass(frozen=True)
class Plan:
    """Every page of the site, sorted by output path, and the pairs it compares."""

    pages: tuple[Page, ...]
    pairs: tuple[tuple[str, str], ...]
    partners: Mapping[str, tuple[str, ...]]  # slug -> slugs it has a comparison page with

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(p.url for p in self.pages)

    def count(self, kind: str) -> int:
        return sum(p.kind == kind for p in self.pages)


def model_url(slug: str) -> str:
    return f"models/{slug}/"


def compare_url(a: str, b: str) -> str:
    return f"compare/{pair_slug(a, b)}/"


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def plan_site(catalog: Catalog, pairs: tuple[tuple[str, str], ...]) -> Plan:
    """Every page the catalogue makes: models, both orders of each pair, articles, indexes."""
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        partners[a].append(b)
        partners[b].append(a)
    pages = [
        Page("", "index", "index.html", (), frozenset({SITE, ALL_MODELS, ALL_ARTICLES})),
        Page("404.html", "not-found", "404.html", (), frozenset({SITE})),
        Page("models/", "model-index", "model_index.html", (), frozenset({SITE, ALL_MODELS})),
        Page("methodology/", "methodology", "methodology.html", (),
             frozenset({SITE, BENCHMARKS, ALL_MODELS})),
        Page("compare/", "compare-index", "compare_index.html", (), frozenset({SITE, MODEL_NAMES})),
        Page("articles/", "article-index", "article_index.html", (), frozenset({SITE, ALL_ARTICLES})),
        Page("api/models.json", "models-json", None, (), frozenset({SITE, BENCHMARKS, ALL_MODELS})),
        Page("api/comparisons.json", "comparisons-json", None, (), frozenset({SITE, MODEL_SCORES})),
        Page(".nojekyll", "nojekyll", None),
        Page("static/style.css", "asset", "static/style.css", ("style.css",)),
    ]
    for slug in catalog.models:
        pages.append(Page(model_url(slug), "model", "model.html", (slug,),
                          frozenset({SITE, BENCHMARKS, model_key(slug)})))
    for a, b in pairs:
        pages.append(Page(compare_url(a, b), "compare", "compare.html", (a, b),
                          frozenset({SITE, BENCHMARKS, model_key(a), model_key(b)})))
        pages.append(Page(compare_url(b, a), "redirect", "redirect.html", (a, b),
                          frozenset({SITE, model_key(a), model_key(b)})))
    for article in catalog.articles:
        reads = {SITE, article_key(article.slug)} | {model_key(m) for m in article.meta.models}
        pages.append(Page(article_url(article.slug), "article", "article.html", (article.slug,),
                          frozenset(reads)))
    pages.sort(key=lambda p: p.output)
    _check_collisions(pages)
    return Plan(tuple(pages), pairs, {k: tuple(sorted(v)) for k, v in sorted(partners.items())})


def _check_collisions(pages: list[Page]) -> None:
    """Two pages may never write the same file (slug rules should make this impossible)."""
    seen: dict[str, Page] = {}
    for page in pages:
        if page.output in seen:
            raise BuildError(f"two pages would be written to {page.output}: "
                             f"{seen[page.output].kind} {seen[page.output].args} and "
                             f"{page.kind} {page.args}")
        seen[page.output] = page
