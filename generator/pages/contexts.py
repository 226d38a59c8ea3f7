"""Page contexts: for each page kind, everything its template shows, computed before rendering.

A context is a plain mapping of views, scores and computed figures; templates
only format and lay it out. Sentences worded by the theme (FAQ answers, embeds)
come through ``Wording``, which the render stage provides.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from generator.compute.faq import model_questions, pair_questions, verdict
from generator.compute.related import CLOSENESS
from generator.compute.scoring import METHOD, winner
from generator.pages import articles, structured
from generator.pages.data import SiteData, Wording
from generator.pages.faq import model_faq, pair_faq, verdict_view
from generator.pages.figures import compare_figures, price_quality_chart
from generator.pages.publish import (SitemapEntry, content_dates, not_found_models, page_lastmod,
                                     sitemap_entries)
from generator.pages.views import Link, ModelView
from generator.plan import Page
from generator.urls import (ARTICLES_URL, COMPARE_URL, METHODOLOGY_URL, MODELS_URL, SEARCH_URL,
                            SITEMAP_URL, compare_url)

MODALITIES = ("text", "image", "audio", "video")


def context(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    """The whole context of a templated page: its kind's values, the page's URLs,
    breadcrumbs and structured data."""
    values = CONTEXTS[page.kind](data, page, wording)
    values["page"] = {"url": data.views.site.url(page.url),
                      "canonical": data.views.site.absolute(page.url), "kind": page.kind}
    values.update(_page_extras(data, page, values))
    return values


def _page_extras(data: SiteData, page: Page, values: dict[str, Any]) -> dict[str, Any]:
    """Breadcrumbs and the JSON-LD that describes them and the page's visible content."""
    site = data.views.site
    crumbs = _crumbs(data, page, values)
    documents = [] if crumbs is None else [structured.breadcrumbs(site, crumbs)]
    if page.kind == "index":
        documents += [structured.website(site), structured.leaderboard(site, values["models"])]
    if page.kind in ("model", "compare") and values["faq"]:
        documents.append(structured.faq_page(values["faq"]))
    if page.kind == "article":
        documents.append(structured.article(site, values["article"]))
    return {"crumbs": crumbs or [], "jsonld": [structured.script(d) for d in documents]}


SECTIONS = {"model": (MODELS_URL, "Models"), "model-index": (MODELS_URL, "Models"),
            "compare": (COMPARE_URL, "Comparisons"), "compare-index": (COMPARE_URL, "Comparisons"),
            "article": (ARTICLES_URL, "Articles"), "article-index": (ARTICLES_URL, "Articles"),
            "methodology": (METHODOLOGY_URL, "Methodology"), "search": (SEARCH_URL, "Search")}


def _crumbs(data: SiteData, page: Page, values: dict[str, Any]) -> list[Link] | None:
    """The trail after "Home" for each page kind; None where a page has none."""
    section = SECTIONS.get(page.kind)
    if page.kind == "index":
        return []
    if section is None:
        return None
    crumbs = [Link(data.views.site.url(section[0]), section[1])]
    if page.kind == "model":
        crumbs.append(Link(values["m"].url, values["m"].name))
    elif page.kind == "compare":
        pair = values["pair"]
        crumbs.append(Link(pair.url, f"{pair.a.name} vs {pair.b.name}"))
    elif page.kind == "article":
        crumbs.append(Link(values["article"].url, values["article"].title))
    return crumbs


# --------------------------------------------------------------------------- kinds


def _index(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    models = sorted(data.views.models.values(), key=lambda m: _rank_key(data, m.slug))
    return {"models": models, "scores": data.scoring.by_model,
            "articles": list(data.views.articles.values())[:5],
            "pair_count": len(data.plan.pairs),
            "filters": _leaderboard_filters(models)}


def _home(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    """The index: the leaderboard, the compare picker and price against quality."""
    values = _index(data, page, wording)
    values.update(picker=_picker(data),
                  price_quality=price_quality_chart(values["models"], data.scoring.by_model))
    return values


def _rank_key(data: SiteData, slug: str) -> tuple:
    s = data.scoring.by_model[slug]  # ranked by overall; the unranked after, by quality
    return (s.overall is None, -(s.overall if s.overall is not None else s.quality or -1.0),
            data.views.models[slug].name.casefold())


def _model(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    slug = page.args[0]
    m, scores = data.views.models[slug], data.scoring.by_model[slug]
    questions = model_questions(data.views.catalog.models[slug], data.views.facts[slug], scores)
    return {"m": m, "scores": scores, "weights": data.scoring.weights,
            "faq": model_faq(wording, m, questions), "picker": _picker(data, slug)}


def _compare(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    a, b = page.args
    catalog, facts, by_model = data.views.catalog, data.views.facts, data.scoring.by_model
    ma, mb = catalog.models[a], catalog.models[b]
    pf = data.pair_facts(a, b)
    pair, sa, sb = data.views.pair(a, b, pf), by_model[a], by_model[b]
    side = {a: "a", b: "b"}.get(winner(a, b, by_model) or "")
    return {"pair": pair, "sa": sa, "sb": sb, "weights": data.scoring.weights, "winner": side,
            "verdict": verdict_view(pair, verdict(ma, mb, pf, catalog.benchmarks, sa, sb, side)),
            "faq": pair_faq(wording, pair, pair_questions(ma, mb, facts[a], facts[b], pf, sa, sb)),
            "figures": compare_figures(pair, sa, sb, data.scoring.dimensions)}


def _redirect(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    a, b = page.args
    models, site = data.views.models, data.views.site
    return {"a": models[a], "b": models[b], "target": site.url(compare_url(a, b)),
            "target_absolute": site.absolute(compare_url(a, b))}


def _compare_index(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    models = data.views.models
    links = [Link(data.views.site.url(compare_url(a, b)), f"{models[a].name} vs {models[b].name}")
             for a, b in data.plan.pairs]
    return {"comparisons": sorted(links, key=lambda link: link.title.casefold()),
            "per_model": data.views.catalog.site.comparisons.per_model}


def _methodology(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    values = _index(data, page, wording)
    values.update(method=METHOD, weights=data.scoring.weights,
                  dimensions=data.scoring.dimensions, benchmarks=data.views.catalog.benchmarks,
                  scoring_fits=data.scoring.benchmark_fits, closeness=CLOSENESS,
                  per_model=data.views.catalog.site.comparisons.per_model)
    return values


def _not_found(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    return {"lookup": {"base": data.views.site.base_path,
                       "models_url": data.views.site.url(MODELS_URL),
                       "models": not_found_models(data.views.catalog)}}


def _sitemap(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    start, stop = (int(arg) for arg in page.args)
    dates = content_dates(data.views.catalog)
    return {"entries": sitemap_entries(data.plan.sitemap_pages[start:stop], dates,
                                       data.views.site.root_url)}


def _sitemap_index(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    dates, listed = content_dates(data.views.catalog), data.plan.sitemap_pages
    files = []
    for chunk in (p for p in data.plan.pages if p.kind == "sitemap"):
        start, stop = (int(arg) for arg in chunk.args)
        lastmods = (page_lastmod(p, dates) for p in listed[start:stop])
        newest = max((d for d in lastmods if d is not None), default=None)
        files.append(SitemapEntry(data.views.site.absolute(chunk.url), newest))
    return {"sitemaps": files}


def _robots(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    return {"sitemap_url": data.views.site.absolute(SITEMAP_URL)}


def _nothing(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    return {}


def _leaderboard_filters(models: list[ModelView]) -> dict[str, Any]:
    """The choices of the leaderboard's filters: only values some model has."""
    vendors = sorted({m.vendor for m in models}, key=str.casefold)
    inputs = {k for m in models for k in m.input_modalities}
    return {"vendors": vendors, "modalities": [k for k in MODALITIES if k in inputs]}


def _picker(data: SiteData, first: str | None = None) -> dict[str, Any]:
    """The compare picker's models, by name, and the one chosen first (on a model's page)."""
    models = sorted(data.views.models.values(), key=lambda m: (m.name.casefold(), m.slug))
    return {"models": [(m.slug, m.name) for m in models], "first": first}


Context = Callable[[SiteData, Page, Wording], dict[str, Any]]
CONTEXTS: Mapping[str, Context] = {
    "index": _home,
    "model-index": _index,
    "model": _model,
    "compare": _compare,
    "redirect": _redirect,
    "article": articles.article,
    "article-index": articles.article_index,
    "compare-index": _compare_index,
    "methodology": _methodology,
    "not-found": _not_found,
    "sitemap": _sitemap,
    "sitemap-index": _sitemap_index,
    "robots": _robots,
    "feed": articles.feed,
    "search": _nothing,
}
