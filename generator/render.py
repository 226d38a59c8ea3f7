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
from markupsafe import Markup

from generator import formatting
from generator.errors import BuildError, ContentError, SourceError
from generator.export import comparisons_json, dumps, models_json
from generator.plan import Page, Plan, compare_url
from generator.scoring import METHOD, ScoringResult, winner
from generator.sources import display_path
from generator.views import Link, Views

THEME = importlib.resources.files("generator") / "theme"


@dataclass(frozen=True)
class SiteData:
    """Everything the render stage reads: computed once, shared by every page."""

    plan: Plan
    views: Views
    scoring: ScoringResult


def make_environment(templates_dir: Path | None, *,
                     bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Jinja2 with autoescaping everywhere, StrictUndefined and the project's overrides first.

    With ``bytecode_dir``, compiled templates are kept there for the next build
    (Jinja recompiles any whose source changed).
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(THEME / "templates")))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates do not change during a build: no stat per include
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if bytecode_dir is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        except OSError:  # an unusable cache folder only costs compiling
            pass
    env.filters.update(formatting.FILTERS)
    env.tests.update(formatting.TESTS)
    return env


def static_files(templates_dir: Path | None) -> list[tuple[str, bytes]]:
    """Every static file a page may copy: the theme's, and the project's that override them."""
    found = {p.name: p for p in (THEME / "static").iterdir() if p.is_file()}
    if templates_dir is not None and (templates_dir / "static").is_dir():
        found.update({p.name: p for p in (templates_dir / "static").iterdir() if p.is_file()})
    return [(name, found[name].read_bytes()) for name in sorted(found)]


def static_file(name: str, templates_dir: Path | None) -> bytes:
    """A theme asset, or the project's ``templates/static/<name>`` that overrides it."""
    if templates_dir is not None and (templates_dir / "static" / name).is_file():
        return (templates_dir / "static" / name).read_bytes()
    return (THEME / "static" / name).read_bytes()


class Fragment:
    """A rendered template: shows as its HTML (surrounding whitespace trimmed, so the
    line that places it decides the layout), and its top-level ``{% set %}``
    variables are its attributes, for pieces a page places one by one."""

    def __init__(self, module: Any):
        self.__dict__.update((k, v) for k, v in vars(module).items() if not k.startswith("_"))
        self._html = Markup(str(module).strip())

    def __html__(self) -> Markup:
        return self._html

    def __str__(self) -> str:
        return str(self._html)


# Fragments kept per process: this many, and room for a dozen per model (a comparison
# page uses four per model, some in a few variants), so a big catalogue never thrashes.
FRAGMENT_CACHE_SIZE = 2048
FRAGMENTS_PER_MODEL = 16


class Renderer:
    """Renders pages; templates are compiled once and cached by Jinja."""

    def __init__(self, data: SiteData, templates_dir: Path | None, *,
                 bytecode_dir: Path | None = None):
        self.data = data
        self.templates_dir = templates_dir
        self.env = make_environment(templates_dir, bytecode_dir=bytecode_dir)
        self.env.globals.update(site=data.views.site, url=data.views.site.url,
                                fragment=self.fragment)
        self._fragments: dict[tuple, tuple[tuple[Any, ...], Fragment]] = {}
        self._fragment_limit = FRAGMENT_CACHE_SIZE + FRAGMENTS_PER_MODEL * len(data.views.models)

    def fragment(self, name: str, **values: Any) -> "Fragment":
        """Render template ``name`` with ``values`` once per build, however many pages show it.

        Hugo's ``partialCached``: a comparison page shows each model's score card,
        capabilities and table cells, the same on every one of that model's
        comparisons. Only ``values`` (and the globals) are visible to the
        fragment; they must be objects that live for the whole build (views,
        scores), since they are recognised by identity. The cache holds them, so
        an identity cannot be reused while its entry exists, and the output never
        depends on a hit.
        """
        key = (name, *sorted((k, id(v)) for k, v in values.items()))
        hit = self._fragments.get(key)
        if hit is not None and all(v is values[k] for (k, _), v in zip(key[1:], hit[0])):
            return hit[1]
        made = Fragment(self.env.get_template(name).make_module(values))
        if len(self._fragments) >= self._fragment_limit:
            del self._fragments[next(iter(self._fragments))]  # the oldest
        self._fragments[key] = (tuple(values[k] for k, _ in key[1:]), made)
        return made

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
            "pair_count": len(data.plan.pairs)}


def _rank_key(data: SiteData, slug: str) -> tuple:
    overall = data.scoring.by_model[slug].overall
    return (overall is None, -(overall or 0.0), data.views.models[slug].name.casefold())


def _model_index(data: SiteData, page: Page) -> dict[str, Any]:
    return _index(data, page)


def _model(data: SiteData, page: Page) -> dict[str, Any]:
    slug = page.args[0]
    return {"m": data.views.models[slug], "scores": data.scoring.by_model[slug],
            "weights": data.scoring.weights}


def _compare(data: SiteData, page: Page) -> dict[str, Any]:
    a, b = page.args
    by_model = data.scoring.by_model
    return {"pair": data.views.pair(a, b), "sa": by_model[a], "sb": by_model[b],
            "weights": data.scoring.weights,
            "winner": {a: "a", b: "b"}.get(winner(a, b, by_model) or "")}


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


CONTEXTS: Mapping[str, Callable[[SiteData, Page], dict[str, Any]]] = {
    "index": _index,
    "model-index": _model_index,
    "model": _model,
    "compare": _compare,
    "redirect": _redirect,
    "article": _article,
    "article-index": _article_index,
    "compare-index": _compare_index,
    "methodology": _methodology,
    "not-found": _not_found,
}
