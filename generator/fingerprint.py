"""Fingerprints: stable digests of computed values, templates and pages, for the build cache.

A page's cache key must change whenever anything it reads changes. Rather than
trusting file timestamps or hashing source files (which would miss the
catalogue-wide score fit: one benchmark edit moves every model's quality), the
key digests the *values* the page is rendered from: each input key of the plan
(``model:<slug>``, ``models:*``, ``site``...) stands for the views, facts, scores
and raw content filed under it (see ``plan.py``), and ``Fingerprints`` digests
each of them once per build. A page's key adds its own identity (kind, URL,
template, arguments) and the templates it renders with. An input key this module
does not know stands for everything, so a new page kind is never under-keyed.

Digests are of a canonical encoding (``encode``): type names, field names and
values in order, floats by ``repr``, sets sorted; never ``id()`` or ``hash()``,
which change from one process to the next.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
from collections.abc import Mapping
from typing import Any, Callable, Iterable

import jinja2
from jinja2 import meta, nodes
from pydantic import BaseModel

from generator.plan import ALL_ARTICLES, ALL_MODELS, BENCHMARKS, SITE, Page

DIGEST_BYTES = 16
EVERYTHING = "*"  # the key that stands for every value of the build


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest()


def value_digest(*values: Any) -> bytes:
    """The digest of ``values`` under the canonical encoding."""
    parts: list[str] = []
    for value in values:
        encode(value, parts)
    return digest("\x1f".join(parts).encode("utf-8", "surrogatepass"))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        if issubclass(cls, BaseModel):
            names = tuple(cls.model_fields)
        else:
            names = tuple(f.name for f in dataclasses.fields(cls))
        _FIELDS[cls] = names
    return names


def encode(value: Any, out: list[str]) -> None:
    """Append a canonical, unambiguous encoding of ``value`` to ``out``.

    Covers what views and content models are made of; anything else is refused
    (``TypeError``) rather than encoded by identity, which would make the cache
    silently miss or silently hit.
    """
    cls = type(value)
    if value is None or cls is bool:
        out.append(repr(value))
    elif cls is int or cls is float:
        out.append(f"{cls.__name__[0]}{value!r}")
    elif isinstance(value, str):  # str and Markup differ: one is escaped on output
        out.append(f"{cls.__name__}:{len(value)}:{value}")
    elif isinstance(value, (tuple, list)):
        out.append(f"[{len(value)}")
        for item in value:
            encode(item, out)
    elif isinstance(value, Mapping):
        out.append(f"{{{len(value)}")
        for key, item in value.items():  # insertion order: templates iterate in it
            encode(key, out)
            encode(item, out)
    elif isinstance(value, (set, frozenset)):
        encoded = sorted(value_digest(item).hex() for item in value)
        out.append(f"set{len(encoded)}:{','.join(encoded)}")
    elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"<{cls.__module__}.{cls.__qualname__}")
        for name in _field_names(cls):
            encode(getattr(value, name), out)
    elif isinstance(value, (dt.date, dt.datetime, dt.time)):
        out.append(f"{cls.__name__}:{value.isoformat()}")
    elif isinstance(value, enum.Enum):
        out.append(f"{cls.__qualname__}.{value.name}")
        encode(value.value, out)
    elif isinstance(value, (int, float)):  # subclasses such as numpy-free IntEnum handled above
        out.append(f"{cls.__name__}{value!r}")
    elif isinstance(value, bytes):
        out.append(f"bytes:{value.hex()}")
    else:
        raise TypeError(f"cannot fingerprint a {cls.__qualname__}: teach fingerprint.encode "
                        f"how to read it")


# --------------------------------------------------------------------------- input keys


class Fingerprints:
    """The digest of each plan input key, from the values a build computed.

    ``SiteData`` is read through duck typing (``views``, ``scoring``, ``plan``) so
    this module does not import the render stage.
    """

    def __init__(self, data: Any):
        self.data = data
        self._memo: dict[str, bytes] = {}

    def __call__(self, key: str) -> bytes:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._compute(key)
        return found

    def _compute(self, key: str) -> bytes:
        views, scoring, catalog = self.data.views, self.data.scoring, self.data.views.catalog
        kind, _, name = key.partition(":")
        if key == SITE:
            return value_digest("site", views.site, catalog.site, scoring.weights,
                                scoring.dimensions)
        if key == BENCHMARKS:
            return value_digest("benchmarks", catalog.benchmarks, scoring.benchmark_fits)
        if key == ALL_MODELS:
            return value_digest("models", [(s, self(f"model:{s}")) for s in catalog.models],
                                self.data.plan.pairs)
        if key == ALL_ARTICLES:
            return value_digest("articles", [(s, self(f"article:{s}")) for s in views.articles])
        if kind == "model" and name in catalog.models:
            return value_digest("model", name, catalog.models[name], views.facts[name],
                                scoring.by_model[name], views.models[name])
        if kind == "article" and name in views.articles:
            article = next(a for a in catalog.articles if a.slug == name)
            return value_digest("article", name, article, views.articles[name])
        if key == EVERYTHING:
            return value_digest("everything", self(SITE), self(BENCHMARKS), self(ALL_MODELS),
                                self(ALL_ARTICLES))
        # A key this module does not know (a page kind added later): it may read anything.
        return self(EVERYTHING)


# --------------------------------------------------------------------------- templates


class TemplateFingerprints:
    """Digests of templates together with every template they extend, include or import.

    A template that names another through an expression (``{% include name %}``)
    could use any of them, so it is keyed on the whole theme.
    """

    def __init__(self, env: jinja2.Environment, static: Callable[[], Iterable[tuple[str, bytes]]]):
        self.env = env
        self._static = static
        self._sources: dict[str, str] = {}
        self._closures: dict[str, bytes] = {}
        self._theme: bytes | None = None

    def template(self, name: str) -> bytes:
        """The digest of ``name`` and every template it reaches."""
        found = self._closures.get(name)
        if found is None:
            found = self._closures[name] = self._closure(name)
        return found

    def theme(self) -> bytes:
        """The digest of every template and static file in use (theme and overrides)."""
        if self._theme is None:
            names = sorted(self.env.list_templates())
            self._theme = value_digest("theme", [(n, self._source(n)) for n in names],
                                       [(n, digest(b)) for n, b in self._static()])
        return self._theme

    def _source(self, name: str) -> str:
        if name not in self._sources:
            assert self.env.loader is not None
            self._sources[name] = self.env.loader.get_source(self.env, name)[0]
        return self._sources[name]

    def _closure(self, root: str) -> bytes:
        seen: dict[str, str] = {}
        todo = [root]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            try:
                seen[name] = source = self._source(name)
                references = _references(self.env.parse(source))
            except (jinja2.TemplateError, OSError):
                return self.theme()  # reported by the render stage; key on everything
            if None in references:
                return self.theme()
            todo.extend(r for r in references if r is not None)
        return value_digest("template", sorted(seen.items()))


def _references(ast: nodes.Template) -> set[str | None]:
    """Templates a template names: extends/include/import, and ``fragment("name", ...)``."""
    found: set[str | None] = set(meta.find_referenced_templates(ast))
    for call in ast.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name == "fragment":
            first = call.args[0] if call.args else None
            found.add(first.value if isinstance(first, nodes.Const)
                      and isinstance(first.value, str) else None)
    return found


# --------------------------------------------------------------------------- pages


def page_key(page: Page, inputs: Fingerprints, templates: TemplateFingerprints) -> bytes:
    """What decides a page's bytes: its identity, its inputs' values and its templates.

    ``site`` is always part of it: every page lives under the site's base URL.
    HTML pages are keyed on their template's closure; any other file (assets,
    exports, feeds) on the whole theme, since it may read any of it.
    """
    if page.template is not None and page.is_html:
        template = templates.template(page.template)
    else:
        template = templates.theme()
    head = f"{page.kind}\x1f{page.url}\x1f{page.template}\x1f{page.args!r}\x1f"
    h = hashlib.blake2b(head.encode(), digest_size=DIGEST_BYTES)
    h.update(template)
    h.update(inputs(SITE))
    for key in sorted(page.inputs):
        h.update(key.encode())
        h.update(inputs(key))
    return h.digest()
