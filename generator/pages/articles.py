"""Article pages and the feed: editors' Markdown with every embed filled in from the data."""

from __future__ import annotations

import dataclasses
from typing import Any

from markupsafe import Markup

from generator.load.embeds import BENCHMARK_PREFIX, Embed, field_format, field_label, field_value
from generator.pages.data import SiteData, Wording
from generator.pages.markup import fill_embeds, fill_toc
from generator.pages import publish
from generator.pages.views import ArticleView
from generator.plan import Page
from generator.urls import FEED_URL, article_url


def article(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    view = data.views.articles[page.args[0]]
    embeds = embeds_html(data, view, wording)
    return {"article": dataclasses.replace(view, toc=fill_toc(view.toc, embeds)),
            "article_html": fill_embeds(str(view.html), embeds)}


def article_index(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    return {"articles": list(data.views.articles.values())}


def feed(data: SiteData, page: Page, wording: Wording) -> dict[str, Any]:
    """The newest articles; ``html`` as plain text, so the template escapes it into the XML."""
    articles = list(data.views.articles.values())[:publish.FEED_MAX_ENTRIES]  # read at call time: tests lower it
    entries = [{"article": a, "absolute_url": data.views.site.absolute(article_url(a.slug)),
                "updated": a.updated or a.date, "html": str(article_html(data, a, wording))}
               for a in articles]
    return {"entries": entries, "updated": max(e["updated"] for e in entries),
            "feed_url": data.views.site.absolute(FEED_URL)}


def article_html(data: SiteData, view: ArticleView, wording: Wording) -> Markup:
    """The article's HTML with every embed filled in from the data (``markup.fill_embeds``)."""
    return fill_embeds(str(view.html), embeds_html(data, view, wording))


def embeds_html(data: SiteData, view: ArticleView, wording: Wording) -> dict[str, Markup]:
    """Each embed's HTML, by its token."""
    return {e.token: Markup(str(wording.embed(e.kind, embed_data(data, e))).strip())
            for e in view.embeds}


def embed_data(data: SiteData, embed: Embed) -> dict[str, Any]:
    """What one embed shows: model views, and each requested field's label, format and values."""
    views, scores = data.views, data.scoring.by_model
    names = {k: b.name for k, b in views.catalog.benchmarks.items()}
    models = [views.models[s] for s in embed.models]
    if embed.kind == "benchmark":
        key = embed.benchmark or ""
        models = models or [m for m in views.models.values() if m.benchmark(key)]
        sign = 1 if views.catalog.benchmarks[key].higher_is_better else -1  # best first
        models.sort(key=lambda m: (m.benchmark(key) is None, -sign * (m.benchmark(key).score
                                   if m.benchmark(key) else 0), m.name.casefold()))
        return {"benchmark": views.catalog.benchmarks[key],
                "rows": [(m, m.benchmark(key)) for m in models]}
    fields = [(name, field_label(name, names), field_format(name)) for name in embed.fields]
    # "value" and "link" embeds read the first model and field; a benchmark field's values are
    # its rows (score and scale), shown at the scale's precision.
    return {"models": models, "fields": [
        (label, fmt, [m.benchmark(name[len(BENCHMARK_PREFIX):]) if fmt == "benchmark"
                      else field_value(name, m, scores[m.slug], data.pair_facts) for m in models])
        for name, label, fmt in fields]}
