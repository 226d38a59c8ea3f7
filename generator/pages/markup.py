"""Editors' Markdown to safe HTML: render, sanitise, and point internal links at the site.

Python-Markdown passes raw ``<script>``, event attributes and ``javascript:``
links straight through, so every piece of editor Markdown goes through nh3 (a
maintained sanitiser, Rust's ammonia) before it reaches a template.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable

import markdown
import nh3
from markupsafe import Markup

_EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists", "attr_list", "abbr",
               "def_list", "admonition"]
_HEADINGS = {f"h{i}" for i in range(1, 7)}
_TAGS = set(nh3.ALLOWED_TAGS) | {"details", "summary"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in _HEADINGS | {"li", "sup", "div", "span", "a", "code", "pre", "p", "table", "dt", "dd"}:
    _ATTRIBUTES.setdefault(_tag, set()).update({"id", "class"})
for _tag in ("td", "th"):
    _ATTRIBUTES.setdefault(_tag, set()).update({"align", "scope"})
_ATTRIBUTES.setdefault("a", set()).update({"href", "title"})
_LINK_RE = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>/[^"/][^"]*|/)"')


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str
    children: tuple["TocEntry", ...]


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML and what the build needs to know about it."""

    html: Markup
    toc: tuple[TocEntry, ...]
    internal_links: tuple[str, ...]  # root-relative targets, e.g. "/models/gpt-4o/"


def sanitise(raw_html: str) -> str:
    return nh3.clean(raw_html, tags=_TAGS, attributes=_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel=None)


_CONVERTERS: dict[str, markdown.Markdown] = {}


def _converter(toc_depth: str) -> markdown.Markdown:
    """A reset Markdown converter: setting one up costs ten times converting a paragraph."""
    md = _CONVERTERS.get(toc_depth)
    if md is None:
        md = _CONVERTERS[toc_depth] = markdown.Markdown(
            extensions=_EXTENSIONS,
            extension_configs={
                "toc": {"toc_depth": toc_depth, "permalink": "#",
                        "permalink_title": "Link to this section"},
                "footnotes": {"BACKLINK_TITLE": "Back to the text"},
                "tables": {"use_align_attribute": True},
            },
            output_format="html",
        )
    return md.reset()


MarkdownKey = tuple[str, str, str]  # (text, base_path, toc_depth)
INLINE_TOC = "7-7"  # no heading gets an anchor
ARTICLE_TOC = "2-3"


def render_markdown(text: str, *, base_path: str = "/", toc_depth: str = ARTICLE_TOC) -> Rendered:
    """Render Markdown with tables, fenced code, footnotes and heading anchors (no caching)."""
    return _render(text, base_path, toc_depth)


class MarkdownCache:
    """Rendered editor Markdown by (text, base_path, toc_depth), for one build.

    It starts from the renderings the last build saved (``remembered``, plain
    tuples from ``entries``), so an edit re-renders only its own text; renderings
    made in other processes join it through ``learn``. Whoever renders Markdown
    during a build is handed this object; nothing about it is global.
    """

    def __init__(self, remembered: Iterable[tuple] = ()):
        self._rendered: dict[MarkdownKey, Rendered] = {}
        self._remembered: dict[MarkdownKey, Rendered] = {}
        self.learn(remembered)

    def render(self, text: str, *, base_path: str = "/",
               toc_depth: str = ARTICLE_TOC) -> Rendered:
        key = (text, base_path, toc_depth)
        found = self._rendered.get(key) or self._remembered.get(key)
        if found is None:
            found = _render(text, base_path, toc_depth)
        self._rendered[key] = found
        return found

    def inline(self, text: str, *, base_path: str = "/") -> Markup:
        """Short Markdown (an FAQ answer, a description) without heading anchors."""
        return self.render(text, base_path=base_path, toc_depth=INLINE_TOC).html

    def unknown(self, keys: Iterable[MarkdownKey]) -> list[MarkdownKey]:
        """The keys not rendered yet, nor remembered (no duplicates)."""
        return [k for k in dict.fromkeys(keys)
                if k not in self._rendered and k not in self._remembered]

    def learn(self, entries: Iterable[tuple]) -> None:
        """Take renderings made elsewhere (the last build, another process) as remembered."""
        self._remembered.update((tuple(e[:3]), _from_plain(e[3:])) for e in entries)

    def entries(self) -> list[tuple]:
        """Every rendering this build used, as plain tuples, for the build cache."""
        return [(*key, *_plain(r)) for key, r in self._rendered.items()]


def rendered_entry(key: MarkdownKey) -> tuple:
    """``key`` rendered, as a plain tuple for ``MarkdownCache.learn`` (runs in workers)."""
    return (*key, *_plain(_render(*key)))


def _plain(r: Rendered) -> tuple:
    return (str(r.html), _plain_toc(r.toc), r.internal_links)


def _plain_toc(toc: tuple[TocEntry, ...]) -> tuple:
    return tuple((t.level, t.id, t.title, _plain_toc(t.children)) for t in toc)


def _from_plain(fields: tuple) -> Rendered:
    html_text, toc, links = fields

    def entry(t: tuple) -> TocEntry:
        return TocEntry(t[0], t[1], t[2], tuple(entry(c) for c in t[3]))

    return Rendered(Markup(html_text), tuple(entry(t) for t in toc), tuple(links))


def _render(text: str, base_path: str, toc_depth: str) -> Rendered:
    md = _converter(toc_depth)
    body = sanitise(md.convert(text))
    links: list[str] = []

    def relink(match: re.Match[str]) -> str:
        url = html.unescape(match.group("url"))
        links.append(url)
        return f'{match.group("attr")}="{html.escape(base_path + url[1:], quote=True)}"'

    body = _LINK_RE.sub(relink, body)
    toc = tuple(_toc_entry(t) for t in getattr(md, "toc_tokens", []))
    return Rendered(Markup(body), toc, tuple(links))


def _toc_entry(token: dict) -> TocEntry:
    return TocEntry(token["level"], token["id"], html.unescape(_strip_tags(token["name"])),
                    tuple(_toc_entry(c) for c in token.get("children", [])))


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)
