"""Read-only views of the catalogue for templates, built once per build.

Templates see these frozen objects, never the content models: every number is
already computed (``derive``), every piece of editor Markdown already rendered
and sanitised (``markup``), every URL already absolute to the site's base path.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

from markupsafe import Markup

from generator import __version__
from generator.compute.derive import HostingCost, MemoryGb, ModelFacts, PairFacts, blended_usd_per_mtok
from generator.compute.credits import Credit, credits_for
from generator.load.embeds import Embed, with_tokens
from generator.compute.related import Traits, closeness_to
from generator.load.catalog import Article, Catalog
from generator.pages.markup import ARTICLE_TOC, INLINE_TOC, MarkdownCache, MarkdownKey, TocEntry
from generator.plan import Plan
from generator.urls import article_url, compare_url, model_url
from generator.load.schema import Benchmark, Model, PriceOffer, SourceLink, SpeedMeasurement

LANGUAGE_NAMES = {
    "ar": "Arabic", "bn": "Bengali", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "ms": "Malay", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sv": "Swedish", "sw": "Swahili", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}
WORDS_PER_MINUTE = 230
# How many comparisons a comparison page suggests per side ("More comparisons"). A fixed
# number, chosen once per catalogue by similarity: listing every partner made each page
# grow with the catalogue and the whole site with its cube.
RELATED_COMPARISONS = 8


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str | None
    language: str
    base_path: str
    root_url: str
    version: str
    credits: tuple[Credit, ...] = ()  # datasets whose licence asks for credit on every page

    def url(self, path: str) -> str:
        """A site-relative path as a link that works under the base path."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        """A site-relative path as a full URL, for canonical links and feeds."""
        return self.root_url + path.lstrip("/")


@dataclass(frozen=True)
class BenchmarkRow:
    key: str
    name: str
    description: str | None
    url: str | None
    category: str | None
    scale_max: float
    higher_is_better: bool
    score: float
    source: str | None
    as_of: dt.date | None
    self_reported: bool | None


@dataclass(frozen=True)
class OfferRow:
    offer: PriceOffer
    blended_usd_per_mtok: float
    cheapest: bool


@dataclass(frozen=True)
class CapabilityView:
    title: str
    description: Markup
    unique: Markup | None
    vs_alternatives: Markup | None


@dataclass(frozen=True)
class FaqView:
    question: str
    answer: Markup


@dataclass(frozen=True)
class ModelView:
    """Everything a template may show about one model."""

    slug: str
    url: str
    name: str
    vendor: str
    family: str | None
    released: dt.date | None
    summary: str | None
    parameters_b: float | None
    active_parameters_b: float | None
    architecture: str | None
    context_window_tokens: int | None
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    languages: tuple[tuple[str, str], ...]  # (code, English name)
    license: str | None
    open_weights: bool
    fine_tuning: tuple[str, ...] | None
    free_tier: bool | None
    pricing: tuple[OfferRow, ...]
    cheapest: OfferRow | None
    blended_usd_per_mtok: float | None
    vram: MemoryGb | None
    benchmarks: tuple[BenchmarkRow, ...]
    speed: tuple[SpeedMeasurement, ...]
    fastest_output_tokens_per_s: float | None
    lowest_ttft_ms: float | None
    self_hosting: tuple[HostingCost, ...]
    capabilities: tuple[CapabilityView, ...]
    faq: tuple[FaqView, ...]
    sources: tuple[SourceLink, ...]
    comparisons: tuple[Link, ...]  # this model's comparison pages, titled by the other model
    articles: tuple[Link, ...]
    # the RELATED_COMPARISONS comparison pages most related to this model
    # (library.similarity), most related first; and, for the page of each of them,
    # the list to show there instead (without it, with the next one at the end)
    related: tuple[Link, ...] = ()
    related_elsewhere: tuple[tuple[Link, ...], ...] = ()

    def benchmark(self, key: str) -> BenchmarkRow | None:
        return next((b for b in self.benchmarks if b.key == key), None)


@dataclass(frozen=True)
class PairBenchmark:
    """A benchmark both models report: each side's result and who leads."""

    benchmark: Benchmark
    a: BenchmarkRow
    b: BenchmarkRow
    leader: str | None  # "a", "b" or None on a tie


@dataclass(frozen=True)
class PairView:
    """A comparison page's two models and what their data says side by side."""

    a: ModelView
    b: ModelView
    url: str
    facts: PairFacts
    benchmarks: tuple[PairBenchmark, ...]
    related_a: tuple[Link, ...] = ()  # a's most related comparisons other than this one
    related_b: tuple[Link, ...] = ()

    def side(self, key: str | None) -> ModelView | None:
        return {"a": self.a, "b": self.b}.get(key or "")


@dataclass(frozen=True)
class ArticleView:
    slug: str
    url: str
    title: str
    summary: str | None
    date: dt.date
    updated: dt.date | None
    tags: tuple[str, ...]
    html: Markup
    toc: tuple[TocEntry, ...]
    models: tuple[Link, ...]
    comparisons: tuple[Link, ...]
    reading_minutes: int
    internal_links: tuple[str, ...]
    path: str
    body_line: int
    body: str
    embeds: tuple[Embed, ...]  # their tokens stand in ``html`` until the page is rendered


@dataclass(frozen=True)
class Views:
    """All views of one build, keyed for the page contexts."""

    site: SiteView
    models: Mapping[str, ModelView]
    facts: Mapping[str, ModelFacts]
    articles: Mapping[str, ArticleView]
    catalog: Catalog

    def pair(self, a: str, b: str, facts: PairFacts) -> PairView:
        """The view of one comparison, from the pair's computed ``facts``."""
        registry = self.catalog.benchmarks
        ma, mb = self.models[a], self.models[b]
        rows = tuple(PairBenchmark(registry[s.key], ma.benchmark(s.key), mb.benchmark(s.key),
                                   s.leader) for s in facts.shared_benchmarks)
        url = self.site.url(compare_url(a, b))
        return PairView(ma, mb, url, facts, rows, _others(ma, url), _others(mb, url))


def _others(model: ModelView, url: str) -> tuple[Link, ...]:
    """A model's related comparisons without the page at ``url``.

    Always one of the model's own tuples, the same objects on every page, which
    lets the template render each list once (``fragment``).
    """
    for index, link in enumerate(model.related):
        if link.url == url:
            return model.related_elsewhere[index]
    return model.related


def build_views(catalog: Catalog, facts: Mapping[str, ModelFacts], plan: Plan,
                traits: Mapping[str, Traits], markdown: MarkdownCache) -> Views:
    """Render editor Markdown and resolve links once, for every page to share.

    ``traits`` (what ``related.similarity`` compares, scores included) orders each
    model's related comparisons, as they ordered the pairs.
    """
    site = catalog.site
    sv = SiteView(site.title, site.description, site.language, site.base_path,
                  site.root_url, __version__, credits_for(catalog.models.values()))
    articles = {a.slug: _article_view(a, catalog, plan, sv, markdown) for a in catalog.articles}
    mentions: dict[str, list[Link]] = {}
    for article in catalog.articles:
        for slug in _named_models(article, catalog):
            view = articles[article.slug]
            mentions.setdefault(slug, []).append(Link(view.url, view.title))
    models = {slug: _model_view(slug, m, facts[slug], catalog, plan, sv, mentions.get(slug, []),
                                traits, markdown)
              for slug, m in catalog.models.items()}
    return Views(sv, models, facts, articles, catalog)


def article_markdown(article: Article, base_path: str) -> MarkdownKey:
    """What an article's page renders as Markdown: its body, embeds standing as tokens."""
    return (with_tokens(article.body, article.embeds), base_path, ARTICLE_TOC)


def markdown_texts(catalog: Catalog) -> list[MarkdownKey]:
    """Every ``(text, base_path, toc_depth)`` that ``build_views`` renders as Markdown.

    For rendering them ahead, in parallel: one text left out here is only
    rendered later, one too many only wasted.
    """
    base = catalog.site.base_path
    found = [article_markdown(a, base) for a in catalog.articles]
    for m in catalog.models.values():
        for c in m.capabilities:
            found.extend((t, base, INLINE_TOC) for t in (c.description, c.unique, c.vs_alternatives)
                         if t is not None)
        found.extend((q.answer, base, INLINE_TOC) for q in m.faq)
    return found


def _model_view(slug: str, m: Model, f: ModelFacts, catalog: Catalog, plan: Plan,
                sv: SiteView, articles: list[Link], traits: Mapping[str, Traits],
                markdown: MarkdownCache) -> ModelView:
    inline = lambda text: None if text is None else markdown.inline(text, base_path=sv.base_path)  # noqa: E731
    offers = tuple(OfferRow(o, blended_usd_per_mtok(o), o is f.cheapest_offer) for o in m.pricing)
    partners = plan.partners.get(slug, ())
    comparisons = tuple(sorted(
        (Link(sv.url(compare_url(*sorted((slug, o)))), catalog.models[o].name) for o in partners),
        key=lambda link: link.title.casefold()))
    closeness = closeness_to(traits[slug])
    closest = sorted(partners, key=lambda o: (-closeness(traits[o]), o))
    related = [Link(sv.url(compare_url(*sorted((slug, o)))), catalog.models[o].name)
               for o in closest[: RELATED_COMPARISONS + 1]]
    return ModelView(
        slug=slug, url=sv.url(model_url(slug)), name=m.name, vendor=m.vendor, family=m.family,
        released=m.released, summary=m.summary, parameters_b=m.parameters_b,
        active_parameters_b=m.active_parameters_b, architecture=m.architecture,
        context_window_tokens=m.context_window_tokens,
        input_modalities=m.modalities.input if m.modalities else (),
        output_modalities=m.modalities.output if m.modalities else (),
        languages=tuple((c, LANGUAGE_NAMES.get(c, c)) for c in (m.languages or ())),
        license=m.license, open_weights=m.open_weights, fine_tuning=m.fine_tuning,
        free_tier=m.free_tier, pricing=offers,
        cheapest=next((o for o in offers if o.cheapest), None),
        blended_usd_per_mtok=f.blended_usd_per_mtok, vram=f.vram_gb,
        benchmarks=_benchmark_rows(m, catalog.benchmarks), speed=m.speed,
        fastest_output_tokens_per_s=f.fastest_output_tokens_per_s, lowest_ttft_ms=f.lowest_ttft_ms,
        self_hosting=f.self_hosting,
        capabilities=tuple(CapabilityView(c.title, inline(c.description), inline(c.unique),
                                          inline(c.vs_alternatives)) for c in m.capabilities),
        faq=tuple(FaqView(q.question, inline(q.answer)) for q in m.faq),
        sources=m.sources, comparisons=comparisons, articles=tuple(articles),
        related=tuple(related[:RELATED_COMPARISONS]),
        related_elsewhere=tuple(tuple(related[:i] + related[i + 1:]) for i in
                                range(min(RELATED_COMPARISONS, len(related)))),
    )


def _benchmark_rows(m: Model, registry: Mapping[str, Benchmark]) -> tuple[BenchmarkRow, ...]:
    rows = []
    for key, result in m.benchmarks.items():
        bench = registry[key]
        rows.append(BenchmarkRow(key, bench.name, bench.description, bench.url, bench.category,
                                 bench.scale_max, bench.higher_is_better, result.score,
                                 result.source, result.as_of, result.self_reported))
    return tuple(sorted(rows, key=lambda r: (r.name.casefold(), r.key)))


def _named_models(article: Article, catalog: Catalog) -> list[str]:
    """The models an article's front matter names (validation refused unknown ones)."""
    return [s for s in article.meta.models if s in catalog.models]


def _article_view(article: Article, catalog: Catalog, plan: Plan, sv: SiteView,
                  markdown: MarkdownCache) -> ArticleView:
    embeds = article.embeds
    text, base, toc = article_markdown(article, sv.base_path)
    rendered = markdown.render(text, base_path=base, toc_depth=toc)
    named = _named_models(article, catalog)
    pairs = set(plan.pairs)
    comparisons = tuple(Link(sv.url(compare_url(a, b)),
                             f"{catalog.models[a].name} vs {catalog.models[b].name}")
                        for i, a in enumerate(sorted(named)) for b in sorted(named)[i + 1:]
                        if (a, b) in pairs)
    words = len(re.findall(r"\w+", article.body))
    return ArticleView(
        slug=article.slug, url=sv.url(article_url(article.slug)), title=article.meta.title,
        summary=article.meta.summary, date=article.meta.date, updated=article.meta.updated,
        tags=article.meta.tags, html=rendered.html, toc=rendered.toc,
        models=tuple(Link(sv.url(model_url(s)), catalog.models[s].name) for s in named),
        comparisons=comparisons, reading_minutes=max(1, round(words / WORDS_PER_MINUTE)),
        internal_links=rendered.internal_links, path=article.path, body_line=article.body_line,
        body=article.body, embeds=embeds,
    )
