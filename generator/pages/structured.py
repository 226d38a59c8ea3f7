"""Structured data (schema.org JSON-LD) built from the same values the page shows."""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from markupsafe import Markup

from generator.pages.views import ArticleView, Link, ModelView, SiteView

CONTEXT = "https://schema.org"


def breadcrumbs(site: SiteView, crumbs: Sequence[Link]) -> dict[str, Any]:
    """BreadcrumbList: Home, then each crumb, with absolute URLs."""
    items = [("Home", site.root_url)] + [(c.title, _absolute(site, c.url)) for c in crumbs]
    return {"@context": CONTEXT, "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i, "name": name, "item": url}
        for i, (name, url) in enumerate(items, 1)]}


def faq_page(items: Iterable[Any]) -> dict[str, Any] | None:
    """FAQPage with every question shown on the page, answers as plain text."""
    entities = [{"@type": "Question", "name": item.question_text,
                 "acceptedAnswer": {"@type": "Answer", "text": item.answer_text}}
                for item in items]
    if not entities:
        return None
    return {"@context": CONTEXT, "@type": "FAQPage", "mainEntity": entities}


def article(site: SiteView, view: ArticleView) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": CONTEXT, "@type": "Article", "headline": view.title,
        "datePublished": view.date.isoformat(),
        "dateModified": (view.updated or view.date).isoformat(),
        "mainEntityOfPage": _absolute(site, view.url),
        "publisher": {"@type": "Organization", "name": site.title, "url": site.root_url},
        "author": {"@type": "Organization", "name": site.title, "url": site.root_url},
    }
    if view.summary:
        data["description"] = view.summary
    if view.tags:
        data["keywords"] = ", ".join(view.tags)
    return data


def leaderboard(site: SiteView, ranked: Sequence[ModelView]) -> dict[str, Any]:
    """ItemList of the models in the order the leaderboard shows them."""
    return {"@context": CONTEXT, "@type": "ItemList", "name": f"{site.title} leaderboard",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "itemListElement": [{"@type": "ListItem", "position": i, "name": m.name,
                                 "url": _absolute(site, m.url)} for i, m in enumerate(ranked, 1)]}


def website(site: SiteView) -> dict[str, Any]:
    data = {"@context": CONTEXT, "@type": "WebSite", "name": site.title, "url": site.root_url}
    if site.description:
        data["description"] = site.description
    return data


def script(data: dict[str, Any]) -> Markup:
    """A ``<script type="application/ld+json">`` element that no value can break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _absolute(site: SiteView, url: str) -> str:
    """A base-path URL (``/repo/models/x/``) as a full URL."""
    return site.absolute(url[len(site.base_path):] if url.startswith(site.base_path) else url)
