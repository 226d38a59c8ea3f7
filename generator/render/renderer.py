"""Render stage: each planned page to bytes, through Jinja2 templates or the exporter.

The built-in theme lives in the package (``generator/theme``); a project's
``templates/`` folder overrides any template or static file of it by name.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from pathlib import Path
from typing import Any, Mapping

import jinja2
from markupsafe import Markup

from generator.errors import BuildError, ContentError, SourceError
from generator.load.sources import display_path
from generator.pages import formatting
from generator.pages.contexts import CONTEXTS, context
from generator.pages.data import SiteData
from generator.pages.files import FILES
from generator.plan import Page
from generator.render.engine import Environment
from generator.render.svg import bar_chart_svg
from generator.urls import FEED_URL
from generator.render.bytecode import PreloadedBytecodeCache, SealedBytecodeCache
from generator.sealed import cache_key

THEME = importlib.resources.files("generator") / "theme"
# Templates contexts render from Python (listed in EXTRA_TEMPLATES for the cache keys)
FAQ_WORDING = "faq.html"  # the computed questions' wording, one macro pair per kind
EMBED_MACROS = "partials/embeds.html"  # how article embeds are shown


def make_environment(templates_dir: Path | None, *, bytecode_dir: Path | None = None,
                     compiled: Mapping[str, bytes] | None = None) -> jinja2.Environment:
    """Jinja2 with autoescaping everywhere, StrictUndefined and the project's overrides first.

    With ``bytecode_dir``, compiled templates are kept there for the next build
    (Jinja recompiles any whose source changed). ``compiled`` holds templates
    compiled meanwhile by another process (``bytecode.compile_all``).
    """
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(jinja2.FileSystemLoader(str(THEME / "templates")))
    env = Environment(  # jinja2's, with fewer steps per page (render/engine.py)
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates do not change during a build: no stat per include
        cache_size=-1,  # a plain dict: no LRU bookkeeping (with a lock) per include
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
    if compiled:
        env.bytecode_cache = PreloadedBytecodeCache(compiled, env.bytecode_cache)
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


def compile_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile every template in ``names``, reporting all syntax errors with positions."""
    errors = []
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            path = display_path(Path(exc.filename)) if exc.filename else name
            errors.append(SourceError(path, exc.lineno or 1, 1,
                                      f"template syntax error: {exc.message}"))
        except jinja2.TemplateNotFound as exc:
            raise BuildError(f"template {exc.name!r} not found in templates/ or the theme")
    if errors:
        raise ContentError(errors)


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
CALL_CACHE_SIZE = 50_000  # cached macro calls kept per process (short texts)
_BY_VALUE = frozenset({str, Markup, int, float, bool, type(None), dt.date})
_BY_ID = object()  # marks an argument keyed by identity


class Renderer:
    """Renders pages; templates are compiled once and cached by Jinja."""

    def __init__(self, data: SiteData, templates_dir: Path | None, *,
                 bytecode_dir: Path | None = None, compiled: Mapping[str, bytes] | None = None):
        self.data = data
        self.templates_dir = templates_dir
        self.env = make_environment(templates_dir, bytecode_dir=bytecode_dir, compiled=compiled)
        self.env.globals.update(site=data.views.site, url=data.views.site.url,
                                fragment=self.fragment, cached=self.cached,
                                overall_weights=data.scoring.overall_weights,
                                min_benchmarks=data.scoring.min_benchmarks)
        self.env.globals["feed_url"] = (data.views.site.url(FEED_URL) if data.plan.has_feed
                                        else None)
        self.wording = JinjaWording(self.env)
        self._fragments: dict[tuple, tuple[tuple[Any, ...], Fragment]] = {}
        self._calls: dict[tuple, tuple[Any, tuple[Any, ...], Any]] = {}
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

    def cached(self, macro: Any, *args: Any) -> Any:
        """``macro(*args)``, rendered once per build for each distinct ``args``.

        For macros whose output depends only on their arguments: a comparison page
        cites a source for each side of each shared benchmark and words each
        model's cheapest offer, the same on all of that model's comparisons. Plain
        values (texts, numbers, dates, None) count by value; any other argument by
        identity, so it must live for the whole build (a view), as with
        ``fragment``. The cache holds the arguments, so an identity cannot be
        reused while its entry exists.
        """
        key = (id(macro), *[a if type(a) in _BY_VALUE else (_BY_ID, id(a)) for a in args])
        hit = self._calls.get(key)
        if hit is not None and hit[0] is macro:
            return hit[2]
        made = macro(*args)
        if len(self._calls) >= CALL_CACHE_SIZE:
            del self._calls[next(iter(self._calls))]  # the oldest
        self._calls[key] = (macro, args, made)
        return made

    def render(self, page: Page) -> bytes:
        """One page's bytes: a theme asset, a data file, or its template with its context."""
        if page.kind == "asset":
            return static_file(page.args[0], self.templates_dir)
        data_file = FILES.get(page.kind)
        if data_file is not None:
            return data_file(self.data, page)
        assert page.template is not None and page.kind in CONTEXTS, page
        values = context(self.data, page, self.wording)
        try:
            return self.env.get_template(page.template).render(values).encode()
        except jinja2.UndefinedError as exc:
            raise BuildError(f"{page.template}: {exc.message} (rendering {page.output})") from None
        except jinja2.TemplateError as exc:
            raise BuildError(f"{page.template}: {exc} (rendering {page.output})") from None


def _stripped(html: str) -> Markup:
    """``Markup(html).strip()`` (a macro's output is safe), in one step instead of three."""
    return Markup(str.strip(html))


class JinjaWording:
    """The theme's wording macros (``faq.html``, ``partials/embeds.html``) as ``Wording``."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._faq: Any = None
        self._embeds: Any = None

    def faq(self, kind: str, facts: Any) -> tuple[Markup, Markup]:
        if self._faq is None:
            self._faq = self.env.get_template(FAQ_WORDING).module
        return (_stripped(getattr(self._faq, f"q_{kind}")(facts)),
                _stripped(getattr(self._faq, f"a_{kind}")(facts)))

    def embed(self, kind: str, data: Mapping[str, Any]) -> str:
        if self._embeds is None:
            self._embeds = self.env.get_template(EMBED_MACROS).module
        return str(getattr(self._embeds, kind)(data))


# Templates a page kind's context renders from Python (through ``JinjaWording``), beside
# the page's own template and what that one extends, includes or imports: the cache keys
# cover them too.
EXTRA_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "model": (FAQ_WORDING,),
    "compare": (FAQ_WORDING,),
    "article": (EMBED_MACROS,),
    "feed": (EMBED_MACROS,),
}
