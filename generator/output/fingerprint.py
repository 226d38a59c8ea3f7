"""Fingerprints: stable digests of computed values, templates and pages, for the build cache.

A page's cache key must change whenever anything it reads changes. Rather than
trusting file timestamps or hashing source files (which would miss the
catalogue-wide score fit: one benchmark edit moves every model's quality), the
key digests the *values* the page is rendered from: each input key of the plan
(``model:<slug>``, ``models:*``, ``site``...) stands for the views, facts, scores
and raw content filed under it (see ``plan.py``), and ``Fingerprints`` digests
each of them once per build. A page's key adds its own identity (kind, URL,
template, arguments) and the templates it renders with.

Digests are of a canonical encoding (``encode``): type names, then field values
in the order the type declares them, floats by ``repr``, sets sorted; never
``id()`` or ``hash()``, which change from one process to the next. An unknown
input key falls back to everything: the site settings, the benchmark registry and
every model and article as validated, of which all else a build computes is a
function (the templates and the generator's code are keyed separately).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import re
from collections.abc import Mapping
from typing import Any, Callable, Iterable

import jinja2
from pydantic import BaseModel

from generator.plan import (ALL_ARTICLES, ALL_MODELS, BENCHMARKS, MODEL_DATES, MODEL_NAMES,
                            MODEL_SCORES, SITE, Page)
from generator.pages.publish import model_date

DIGEST_BYTES = 16
EVERYTHING = "*"  # the key that stands for every value of the build
_PAIRS = "pairs:*"  # part of the keys below; slugs hold no space or newline


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest()


def content_digest(data: bytes) -> bytes:
    """The digest of a file's bytes: SHA-256 (twice BLAKE2's speed where the CPU has
    SHA instructions; a big site hashes a gigabyte), truncated like the others."""
    return hashlib.sha256(data).digest()[:DIGEST_BYTES]


def value_digest(*values: Any) -> bytes:
    """The digest of ``values`` under the canonical encoding."""
    parts: list[str] = []
    for value in values:
        encode(value, parts)
    return digest("\x1f".join(parts).encode("utf-8", "surrogatepass"))


def encode(value: Any, out: list[str]) -> None:
    """Append a canonical, unambiguous encoding of ``value`` to ``out``.

    Covers what views and content models are made of; anything else is refused
    (``TypeError``) rather than encoded by identity, which would make the cache
    silently miss or silently hit.
    """
    cls = type(value)
    write = _WRITERS.get(cls)
    if write is None:
        write = _WRITERS[cls] = _writer(cls)
    write(value, out)


Writer = Callable[[Any, list[str]], None]
_WRITERS: dict[type, Writer] = {}


def _writer(cls: type) -> Writer:
    """How to encode values of exactly ``cls`` (decided once per type)."""
    name = f"{cls.__module__}.{cls.__qualname__}"
    if cls is type(None) or cls is bool:
        return lambda v, out: out.append(repr(v))
    if issubclass(cls, str):  # str and Markup differ: one is escaped on output
        return lambda v, out: out.append(f"{name}:{len(v)}:{v}")
    if issubclass(cls, enum.Enum):
        return lambda v, out: (out.append(f"{name}.{v.name}"), encode(v.value, out))
    if issubclass(cls, (int, float)):
        return lambda v, out: out.append(f"{name}:{v!r}")
    if issubclass(cls, (tuple, list)):
        return _sequence
    if issubclass(cls, Mapping):
        return _mapping
    if issubclass(cls, (set, frozenset)):
        return _set
    if issubclass(cls, (dt.date, dt.datetime, dt.time)):
        return lambda v, out: out.append(f"{name}:{v.isoformat()}")
    if issubclass(cls, bytes):
        return lambda v, out: out.append(f"bytes:{v.hex()}")
    if issubclass(cls, BaseModel) or dataclasses.is_dataclass(cls):
        fields = (tuple(cls.model_fields) if issubclass(cls, BaseModel)
                  else tuple(f.name for f in dataclasses.fields(cls)))
        head = f"<{name}"

        def write(v: Any, out: list[str]) -> None:
            out.append(head)
            for field_name in fields:
                encode(getattr(v, field_name), out)

        return write
    raise TypeError(f"cannot fingerprint a {cls.__qualname__}: teach fingerprint.encode "
                    f"how to read it")


def _sequence(value: Any, out: list[str]) -> None:
    out.append(f"[{len(value)}")
    for item in value:
        encode(item, out)


def _mapping(value: Any, out: list[str]) -> None:
    out.append(f"{{{len(value)}")
    for key, item in value.items():  # insertion order: templates iterate in it
        encode(key, out)
        encode(item, out)


def _set(value: Any, out: list[str]) -> None:
    encoded = sorted(value_digest(item).hex() for item in value)
    out.append(f"set{len(encoded)}:{','.join(encoded)}")


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
        if key == SITE:  # what every page shows (base.html links the feed when there is one)
            return value_digest("site", views.site, catalog.site, scoring.weights,
                                scoring.dimensions, self.data.plan.has_feed)
        if key == BENCHMARKS:
            return value_digest("benchmarks", catalog.benchmarks, scoring.benchmark_fits)
        if key == ALL_MODELS:
            return value_digest("models", [(s, self(f"model:{s}")) for s in catalog.models],
                                self(_PAIRS))
        if key == MODEL_NAMES:
            return value_digest("names", [(s, m.name, m.vendor) for s, m in catalog.models.items()],
                                self(_PAIRS))
        if key == MODEL_DATES:
            return value_digest("dates", [(s, model_date(m)) for s, m in catalog.models.items()],
                                self(_PAIRS))
        if key == MODEL_SCORES:
            return value_digest("scores", list(scoring.by_model.items()), self(_PAIRS))
        if key == _PAIRS:  # tens of thousands of pairs: one string, not encode() per pair
            return digest("\n".join(f"{a} {b}" for a, b in self.data.plan.pairs).encode())
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

    References are found by scanning the source (``references``) rather than by
    parsing it, which would cost a third of a second per build: the scan may
    find too many (harmless: a page is rendered once more) and treats anything
    it cannot read, such as ``{% include name %}``, as able to reach every
    template, so such a template is keyed on the whole theme.
    """

    def __init__(self, env: jinja2.Environment, static: Callable[[], Iterable[tuple[str, bytes]]],
                 extra: Mapping[str, tuple[str, ...]] | None = None):
        self.env = env
        self._static = static
        self._extra = dict(extra or {})
        self._pages: dict[tuple[str, str], bytes] = {}
        self._sources: dict[str, str] = {}
        self._closures: dict[str, bytes] = {}
        self._theme: bytes | None = None
        self._names: frozenset[str] | None = None

    def template(self, name: str) -> bytes:
        """The digest of ``name`` and every template it reaches."""
        found = self._closures.get(name)
        if found is None:
            found = self._closures[name] = self._closure(name)
        return found

    def page(self, kind: str, template: str) -> bytes:
        """The digest of the templates a page of ``kind`` renders with: its own template's
        closure and those of the templates its context renders (``extra``)."""
        found = self._pages.get((kind, template))
        if found is None:
            extra = self._extra.get(kind, ())
            found = (self.template(template) if not extra else
                     value_digest("page", [self.template(n) for n in (template, *extra)]))
            self._pages[(kind, template)] = found
        return found

    def theme(self) -> bytes:
        """The digest of every template and static file in use (theme and overrides)."""
        if self._theme is None:
            self._theme = value_digest("theme", [(n, self._source(n)) for n in sorted(self.names)],
                                       [(n, digest(b)) for n, b in self._static()])
        return self._theme

    @property
    def names(self) -> frozenset[str]:
        if self._names is None:
            self._names = frozenset(self.env.list_templates())
        return self._names

    def _source(self, name: str) -> str:
        if name not in self._sources:
            assert self.env.loader is not None
            self._sources[name] = self.env.loader.get_source(self.env, name)[0]
        return self._sources[name]

    def reachable(self, roots: Iterable[str]) -> set[str]:
        """The templates ``roots`` name, and those they name (where the scan can tell)."""
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name in seen or name not in self.names:
                continue
            seen.add(name)
            todo.extend(references(self._source(name), self.names) or ())
        return seen

    def _closure(self, root: str) -> bytes:
        seen: dict[str, str] = {}
        todo = [root]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            try:
                seen[name] = source = self._source(name)
            except (jinja2.TemplateError, OSError):
                return self.theme()  # reported by the render stage; key on everything
            found = references(source, self.names)
            if found is None:
                return self.theme()
            todo.extend(found)
        return value_digest("template", sorted(seen.items()))


_TAG = re.compile(r"\{%[-+]?\s*(?:extends|include|import|from)\b(.*?)[-+]?%\}", re.S)
_STATIC_TAG = re.compile(r"""\s*(["'])[^"'{}]*\1\s*(?:$|ignore\b|with\b|without\b|as\b|import\b)""")
_FRAGMENT = re.compile(r"\bfragment\s*\((.*)", re.S)
_STATIC_FRAGMENT = re.compile(r"""\s*(["'])[^"'{}]*\1\s*[,)]""")
_LITERAL = re.compile(r"""(["'])([^"'\n{}]+)\1""")


def references(source: str, names: frozenset[str]) -> set[str] | None:
    """Templates ``source`` may use (every quoted template name in it), or None for "any".

    None when an extends/include/import/from tag or a ``fragment(...)`` call
    names its template by anything but a plain string literal.
    """
    for tag in _TAG.finditer(source):
        if not _STATIC_TAG.match(tag.group(1)):
            return None
    for call in _FRAGMENT.finditer(source):
        if not _STATIC_FRAGMENT.match(call.group(1)):
            return None
    return {m.group(2) for m in _LITERAL.finditer(source) if m.group(2) in names}


# --------------------------------------------------------------------------- pages


def page_keys(pages: Iterable[Page], inputs: Fingerprints,
              templates: TemplateFingerprints) -> list[bytes]:
    """Each page's cache key: its identity, its inputs' values and its templates.

    ``site`` is always part of it: every page lives under the site's base URL.
    HTML pages are keyed on their template's closure; any other file (assets,
    exports, feeds) on the whole theme, since it may read any of it. (Written
    for speed: a big site has a hundred thousand pages and a rebuild keys them all.)
    """
    site = inputs(SITE)
    theme = templates.theme()
    digests: dict[str, bytes] = {}
    keys = []
    blake2b = hashlib.blake2b
    for page in pages:
        template = page.template
        if template is not None and page.is_html:
            shape = templates.page(page.kind, template)
        else:
            shape = theme
        parts = [f"{page.kind}\x1f{page.url}\x1f{template}\x1f{page.args!r}".encode(), shape, site]
        for key in sorted(page.inputs):
            found = digests.get(key)
            if found is None:
                found = digests[key] = inputs(key)
            parts.append(found)
        keys.append(blake2b(b"\x1e".join(parts), digest_size=DIGEST_BYTES).digest())
    return keys
