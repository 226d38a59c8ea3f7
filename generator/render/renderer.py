"""Render stage: each planned page to bytes, through Jinja2 templates or the exporter.

The built-in theme lives in the package (``generator/theme``); a project's
``templates/`` folder overrides any template or static file of it by name.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2
from markupsafe import Markup

from generator.pages import formatting
from generator.pages import structured
from generator.errors import BuildError, ContentError, SourceError
from generator.load.embeds import Embed, field_format, field_label, field_value
from generator.pages.markup import fill_embeds, fill_toc
from generator.render.bytecode import SealedBytecodeCache
from generator.render.sealed import cache_key
from generator.render.svg import bar_chart_svg
from generator.pages.export import comparisons_json, dumps, models_json
from generator.compute.faq import Question, model_questions, pair_questions, verdict
from generator.plan import Page, Plan
from generator.urls import FEED_URL, article_url, compare_url
from generator.pages.publish import (FEED_MAX_ENTRIES, SitemapEntry, content_dates, not_found_models,
                               page_lastmod, sitemap_entries)
from generator.pages.figures import compare_figures, price_quality_chart
from generator.compute.scoring import METHOD, ScoringResult, winner
from generator.pages.search import dumps_compact, search_index
from generator.load.sources import display_path
from generator.pages.views import ArticleView, FaqView, Link, ModelView, Views

THEME = importlib.resources.files("generator") / "theme"
# Templates contexts render from Python (listed in EXTRA_TEMPLATES for the cache keys)
FAQ_WORDING = "faq.html"  # the computed questions' wording, one macro pair per kind
EMBED_MACROS = "partials/embeds.html"  # how article embeds are shown


@dataclass(frozen=True)
class FaqItem:
    """A question and its answer as shown, editorial or computed."""

    question: Markup
    answer: Markup
    computed: bool

    @property
    def question_text(self) -> str:
        return self.question.striptags()

    @property
    def answer_text(self) -> str:
        return self.answer.striptags()


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
    if bytecode_dir is not None and cache_key() is not None:
        try:
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = SealedBytecodeCache(str(bytecode_dir))  # checked before use
        except OSError:  # an unusable cache folder only costs compiling
            pass
    env.globals["bar_chart_svg"] = bar_chart_svg
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
        self.env.globals["feed_url"] = (data.views.site.url(FEED_URL) if data.plan.has_feed
                                        else None)
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
        if page.kind == "cname":
            return f"{self.data.views.catalog.site.custom_domain}\n".encode()
        if page.kind == "models-json":
            return dumps(models_json(self.data.views.catalog, self.data.views.facts,
                                     self.data.scoring.by_model))
        if page.kind == "comparisons-json":
            return dumps(comparisons_json(self.data.views.catalog, self.data.plan.pairs,
                                          self.data.scoring.by_model))
        if page.kind == "search-index":
            return dumps_compact(search_index(self.data.views, self.data.plan.pairs))
        context = CONTEXTS[page.kind](self.data, page, self.env)
        context["page"] = {"url": self.data.views.site.url(page.url),
                           "canonical": self.data.views.site.absolute(page.url),
                           "kind": page.kind}
        context.update(_page_extras(self.data, page, context))
        try:
            return self.env.get_template(page.template).render(context).encode()
        except jinja2.UndefinedError as exc:
            raise BuildError(f"{page.template}: {exc.message} (rendering {page.output})") from None
        except jinja2.TemplateError as exc:
            raise BuildError(f"{page.template}: {exc} (rendering {page.output})") from None


# --------------------------------------------------------------------------- contexts


def _page_extras(data: SiteData, page: Page, context: dict[str, Any]) -> dict[str, Any]:
    """Breadcrumbs and the JSON-LD that describes them and the page's visible content."""
    site = data.views.site
    crumbs = _crumbs(data, page, context)
    documents = [] if crumbs is None else [structured.breadcrumbs(site, crumbs)]
    if page.kind == "index":
        documents += [structured.website(site), structured.leaderboard(site, context["models"])]
    if page.kind in ("model", "compare") and context["faq"]:
        documents.append(structured.faq_page(context["faq"]))
    if page.kind == "article":
        documents.append(structured.article(site, context["article"]))
    return {"crumbs": crumbs or [], "jsonld": [structured.script(d) for d in documents]}


def _crumbs(data: SiteData, page: Page, context: dict[str, Any]) -> list[Link] | None:
    """The trail after "Home" for each page kind; None where a page has none."""
    url = data.views.site.url
    section = {"model": ("models/", "Models"), "model-index": ("models/", "Models"),
               "compare": ("compare/", "Comparisons"), "compare-index": ("compare/", "Comparisons"),
               "article": ("articles/", "Articles"), "article-index": ("articles/", "Articles"),
               "methodology": ("methodology/", "Methodology"),
               "search": ("search/", "Search")}.get(page.kind)
    if page.kind == "index":
        return []
    if section is None:
        return None
    crumbs = [Link(url(section[0]), section[1])]
    if page.kind == "model":
        crumbs.append(Link(context["m"].url, context["m"].name))
    elif page.kind == "compare":
        pair = context["pair"]
        crumbs.append(Link(pair.url, f"{pair.a.name} vs {pair.b.name}"))
    elif page.kind == "article":
        crumbs.append(Link(context["article"].url, context["article"].title))
    return crumbs


def _index(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    models = sorted(data.views.models.values(), key=lambda m: _rank_key(data, m.slug))
    return {"models": models, "scores": data.scoring.by_model,
            "articles": list(data.views.articles.values())[:5],
            "pair_count": len(data.plan.pairs),
            "filters": _leaderboard_filters(models)}


def _home(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    """The index: the leaderboard, the compare picker and price against quality."""
    context = _index(data, page, env)
    context.update(picker=_picker(data),
                   price_quality=price_quality_chart(context["models"], data.scoring.by_model))
    return context


def _rank_key(data: SiteData, slug: str) -> tuple:
    overall = data.scoring.by_model[slug].overall
    return (overall is None, -(overall or 0.0), data.views.models[slug].name.casefold())


def _model_index(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    return _index(data, page, env)


def _model(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    slug = page.args[0]
    m, scores = data.views.models[slug], data.scoring.by_model[slug]
    faq = render_faq(env, m.faq, model_questions(m, scores))
    return {"m": m, "scores": scores, "weights": data.scoring.weights, "faq": faq,
            "picker": _picker(data, slug)}


def _compare(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    a, b = page.args
    by_model = data.scoring.by_model
    pair, sa, sb = data.views.pair(a, b), by_model[a], by_model[b]
    side = {a: "a", b: "b"}.get(winner(a, b, by_model) or "")
    editorial = tuple(q for m, o in ((pair.a, pair.b), (pair.b, pair.a)) for q in m.faq
                      if o.name.casefold() in q.question.casefold())
    return {"pair": pair, "sa": sa, "sb": sb, "weights": data.scoring.weights, "winner": side,
            "verdict": verdict(pair, sa, sb, side),
            "faq": render_faq(env, editorial, pair_questions(pair, sa, sb)),
            "figures": compare_figures(pair, sa, sb, data.scoring.dimensions)}


class Facts(types.SimpleNamespace):
    """A question's facts as the wording macros see them: ``f.pair`` or ``f['pair']``.

    Attributes, because Jinja reads ``f.pair`` by trying an attribute first: on a
    dict that fails, with an exception, before the key is tried, and the wording
    reads facts some forty times a comparison page.
    """

    def __init__(self, facts: Mapping[str, Any]):
        super().__init__(**facts)

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __iter__(self) -> Any:
        return iter(self.__dict__)

    def get(self, key: str, default: Any = None) -> Any:
        return self.__dict__.get(key, default)


def render_faq(env: jinja2.Environment, editorial: tuple[FaqView, ...],
               questions: tuple[Question, ...]) -> tuple[FaqItem, ...]:
    """Editorial questions first, then computed ones worded by ``faq.html``; none twice."""
    items = [FaqItem(Markup.escape(q.question), q.answer, False) for q in editorial]
    wording = env.get_template(FAQ_WORDING).module
    for q in questions:
        facts = Facts(q.facts)
        items.append(FaqItem(Markup(getattr(wording, f"q_{q.kind}")(facts)).strip(),
                             Markup(getattr(wording, f"a_{q.kind}")(facts)).strip(), True))
    seen: set[str] = set()
    unique = []
    for item in items:
        key = re.sub(r"[^a-z0-9]+", " ", item.question_text.casefold()).strip()
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(unique)


def _redirect(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    a, b = page.args
    models = data.views.models
    return {"a": models[a], "b": models[b], "target": data.views.site.url(compare_url(a, b)),
            "target_absolute": data.views.site.absolute(compare_url(a, b))}


def _article(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    article = data.views.articles[page.args[0]]
    embeds = _embeds_html(data, article, env)
    return {"article": dataclasses.replace(article, toc=fill_toc(article.toc, embeds)),
            "article_html": fill_embeds(str(article.html), embeds)}


def _article_html(data: SiteData, article: ArticleView, env: jinja2.Environment) -> Markup:
    """The article's HTML with every embed filled in from the data."""
    return fill_embeds(str(article.html), _embeds_html(data, article, env))


def _embeds_html(data: SiteData, article: ArticleView, env: jinja2.Environment
                 ) -> dict[str, Markup]:
    """Each embed's HTML, by its token."""
    macros = env.get_template(EMBED_MACROS).module
    return {e.token: Markup(str(getattr(macros, e.kind)(_embed_data(data, e))).strip())
            for e in article.embeds}


def _embed_data(data: SiteData, embed: Embed) -> dict[str, Any]:
    """What one embed shows: model views, and each requested field's label, format and values."""
    views, scores = data.views, data.scoring.by_model
    names = {k: b.name for k, b in views.catalog.benchmarks.items()}
    models = [views.models[s] for s in embed.models]
    if embed.kind == "benchmark":
        key = embed.benchmark or ""
        models = models or [m for m in views.models.values() if m.benchmark(key)]
        models.sort(key=lambda m: (m.benchmark(key) is None, -(m.benchmark(key).score
                                   if m.benchmark(key) else 0), m.name.casefold()))
        return {"benchmark": views.catalog.benchmarks[key],
                "rows": [(m, m.benchmark(key)) for m in models]}
    fields = [(name, field_label(name, names), field_format(name)) for name in embed.fields]
    # "value" and "link" embeds read the first (only) model and field.
    return {"models": models, "fields": [
        (label, fmt, [field_value(name, m, scores[m.slug]) for m in models])
        for name, label, fmt in fields]}


def _article_index(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    return {"articles": list(data.views.articles.values())}


def _compare_index(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    models = data.views.models
    links = [Link(data.views.site.url(compare_url(a, b)), f"{models[a].name} vs {models[b].name}")
             for a, b in data.plan.pairs]
    return {"comparisons": sorted(links, key=lambda link: link.title.casefold()),
            "per_model": data.views.catalog.site.comparisons.per_model}


def _methodology(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    context = _index(data, page, env)
    context.update(method=METHOD, weights=data.scoring.weights,
                   dimensions=data.scoring.dimensions, benchmarks=data.views.catalog.benchmarks,
                   scoring_fits=data.scoring.benchmark_fits)
    return context


def _not_found(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    return {"lookup": {"base": data.views.site.base_path,
                       "models_url": data.views.site.url("models/"),
                       "models": not_found_models(data.views.catalog)}}


def _sitemap(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    start, stop = (int(arg) for arg in page.args)
    dates = content_dates(data.views.catalog)
    return {"entries": sitemap_entries(data.plan.sitemap_pages[start:stop], dates,
                                       data.views.site.root_url)}


def _sitemap_index(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    dates, listed = content_dates(data.views.catalog), data.plan.sitemap_pages
    files = []
    for chunk in (p for p in data.plan.pages if p.kind == "sitemap"):
        start, stop = (int(arg) for arg in chunk.args)
        lastmods = (page_lastmod(p, dates) for p in listed[start:stop])
        newest = max((d for d in lastmods if d is not None), default=None)
        files.append(SitemapEntry(data.views.site.absolute(chunk.url), newest))
    return {"sitemaps": files}


def _robots(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    return {"sitemap_url": data.views.site.absolute("sitemap.xml")}


def _feed(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
    """The newest articles; ``html`` as plain text, so the template escapes it into the XML."""
    articles = list(data.views.articles.values())[:FEED_MAX_ENTRIES]
    entries = [{"article": a, "absolute_url": data.views.site.absolute(article_url(a.slug)),
                "updated": a.updated or a.date, "html": str(_article_html(data, a, env))}
               for a in articles]
    return {"entries": entries, "updated": max(e["updated"] for e in entries),
            "feed_url": data.views.site.absolute(FEED_URL)}


def _search(data: SiteData, page: Page, env: jinja2.Environment) -> dict[str, Any]:
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


# Templates a page kind's context renders from Python, beside the page's own template
# (and what that one extends, includes or imports): the cache keys cover them too.
EXTRA_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "model": (FAQ_WORDING,),
    "compare": (FAQ_WORDING,),
    "article": (EMBED_MACROS,),
    "feed": (EMBED_MACROS,),
}

Context = Callable[[SiteData, Page, jinja2.Environment], dict[str, Any]]
CONTEXTS: Mapping[str, Context] = {
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
    "sitemap": _sitemap,
    "sitemap-index": _sitemap_index,
    "robots": _robots,
    "feed": _feed,
    "search": _search,
}
