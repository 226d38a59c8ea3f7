"""Render stage: each planned page to bytes, through Jinja2 templates or the exporter.

The built-in theme lives in the package (``generator/theme``); a project's
``templates/`` folder overrides any template or static file of it by name.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2

from generator import formatting
from generator.errors import BuildError, ContentError, SourceError
from generator.export import comparisons_json, dumps, models_json
from generator.figures import compare_figures, price_quality_chart
from generator.plan import Page, Plan, compare_url
from generator.scoring import METHOD, ScoringResult, winner
from generator.search import dumps_compact, search_index
from generator.sources import display_path
from generator.views import Link, ModelView, Views

THEME = importlib.resources.files("generator") / "theme"


@dataclass(frozen=True)
class SiteData:
    """Everything the render stage reads: computed once, shared by every page."""

    plan: Plan
    views: Views
    scoring: ScoringResult


def make_environment(templates_dir: Path | None) -> jinja2.Environment:
    """Jinja2 with autoescaping everywhere, StrictUndefined and the project's overrides first."""
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(THEME / "templates")))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formatting.FILTERS)
    env.tests.update(formatting.TESTS)
    return env


def static_file(name: str, templates_dir: Path | None) -> bytes:
    """A theme asset, or the project's ``templates/static/<name>`` that overrides it."""
    if templates_dir is not None and (templates_dir / "static" / name).is_file():
        return (templates_dir / "static" / name).read_bytes()
    return (THEME / "static" / name).read_bytes()


class Renderer:
    """Renders pages; templates are compiled once and cached by Jinja."""

    def __init__(self, data: SiteData, templates_dir: Path | None):
        self.data = data
        self.templates_dir = templates_dir
        self.env = make_environment(templates_dir)
        self.env.globals.update(site=data.views.site, url=data.views.site.url)

    def check_templates(self, names: set[str]) -> None:
        """Compile every template the plan uses, reporting syntax errors with positions."""
        errors = []
        for name in sorted(names):
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                path = display_path(Path(exc.filename)) if exc.filename else name
                errors.append(SourceError(path, exc.lineno or 1, 1,
                                          f"template syntax error: {exc.message}"))
            except jinja2.TemplateNotFound as exc:
                raise BuildError(f"template {exc.name!r} not found in templates/ or the theme")
        if errors:
            raise ContentError(errors)

    def render(self, page: Page) -> bytes:
        if page.kind == "asset":
            return static_file(page.args[0], self.templates_dir)
        if page.kind == "nojekyll":
            return b""
        if page.kind == "models-json":
            return dumps(models_json(self.data.views.catalog, self.data.views.facts,
                                     self.data.scoring.by_model))
        if page.kind == "comparisons-json":
            return dumps(comparisons_json(self.data.views.catalog, self.data.plan.pairs,
                                          self.data.scoring.by_model))
        if page.kind == "search-index":
            return dumps_compact(search_index(self.data.views, self.data.plan.pairs))
        context = CONTEXTS[page.kind](self.data, page)
        context["page"] = {"url": self.data.views.site.url(page.url),
                           "canonical": self.data.views.site.absolute(page.url),
                           "kind": page.kind}
        try:
            return self.env.get_template(page.template).render(context).encode()
        except jinja2.UndefinedError as exc:
            raise BuildError(f"{page.template}: {exc.message} (rendering {page.output})") from None
        except jinja2.TemplateError as exc:
            raise BuildError(f"{page.template}: {exc} (rendering {page.output})") from None


# --------------------------------------------------------------------------- contexts


def _index(data: SiteData, page: Page) -> dict[str, Any]:
    models = sorted(data.views.models.values(), key=lambda m: _rank_key(data, m.slug))
    return {"models": models, "scores": data.scoring.by_model,
            "articles": list(data.views.articles.values())[:5],
            "pair_count": len(data.plan.pairs),
            "filters": _leaderboard_filters(models)}


def _home(data: SiteData, page: Page) -> dict[str, Any]:
    """The index: the leaderboard, the compare picker and price against quality."""
    context = _index(data, page)
    context.update(picker=_picker(data),
                   price_quality=price_quality_chart(context["models"], data.scoring.by_model))
    return context


def _rank_key(data: SiteData, slug: str) -> tuple:
    overall = data.scoring.by_model[slug].overall
    return (overall is None, -(overall or 0.0), data.views.models[slug].name.casefold())


def _model_index(data: SiteData, page: Page) -> dict[str, Any]:
    return _index(data, page)


def _model(data: SiteData, page: Page) -> dict[str, Any]:
    slug = page.args[0]
    return {"m": data.views.models[slug], "scores": data.scoring.by_model[slug],
            "weights": data.scoring.weights, "picker": _picker(data, slug)}


def _compare(data: SiteData, page: Page) -> dict[str, Any]:
    a, b = page.args
    by_model = data.scoring.by_model
    pair = data.views.pair(a, b)
    return {"pair": pair, "sa": by_model[a], "sb": by_model[b],
            "weights": data.scoring.weights,
            "winner": {a: "a", b: "b"}.get(winner(a, b, by_model) or ""),
            "figures": compare_figures(pair, by_model[a], by_model[b], data.scoring.dimensions)}


def _redirect(data: SiteData, page: Page) -> dict[str, Any]:
    a, b = page.args
    models = data.views.models
    return {"a": models[a], "b": models[b], "target": data.views.site.url(compare_url(a, b)),
            "target_absolute": data.views.site.absolute(compare_url(a, b))}


def _article(data: SiteData, page: Page) -> dict[str, Any]:
    return {"article": data.views.articles[page.args[0]]}


def _article_index(data: SiteData, page: Page) -> dict[str, Any]:
    return {"articles": list(data.views.articles.values())}


def _compare_index(data: SiteData, page: Page) -> dict[str, Any]:
    models = data.views.models
    links = [Link(data.views.site.url(compare_url(a, b)), f"{models[a].name} vs {models[b].name}")
             for a, b in data.plan.pairs]
    return {"comparisons": sorted(links, key=lambda link: link.title.casefold())}


def _methodology(data: SiteData, page: Page) -> dict[str, Any]:
    context = _index(data, page)
    context.update(method=METHOD, weights=data.scoring.weights,
                   dimensions=data.scoring.dimensions, benchmarks=data.views.catalog.benchmarks,
                   scoring_fits=data.scoring.benchmark_fits)
    return context


def _not_found(data: SiteData, page: Page) -> dict[str, Any]:
    return {}


def _search(data: SiteData, page: Page) -> dict[str, Any]:
    return {}


MODALITIES = ("text", "image", "audio", "video")


def _leaderboard_filters(models: list[ModelView]) -> dict[str, Any]:
    """The choices of the leaderboard's filters: only values some model has."""
    vendors = sorted({m.vendor for m in models}, key=str.casefold)
    inputs = {k for m in models for k in m.input_modalities}
    return {"vendors": vendors, "modalities": [k for k in MODALITIES if k in inputs]}


def _picker(data: SiteData, first: str | None = None) -> dict[str, Any]:
    """The compare picker's models, by name, and the one chosen first (on a model's page)."""
    models = sorted(data.views.models.values(), key=lambda m: (m.name.casefold(), m.slug))
    return {"models": [(m.slug, m.name) for m in models], "first": first}


CONTEXTS: Mapping[str, Callable[[SiteData, Page], dict[str, Any]]] = {
    "index": _home,
    "model-index": _model_index,
    "model": _model,
    "compare": _compare,
    "redirect": _redirect,
    "article": _article,
    "article-index": _article_index,
    "compare-index": _compare_index,
    "methodology": _methodology,
    "not-found": _not_found,
    "search": _search,
}
