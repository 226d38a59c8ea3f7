"""Editors' Markdown to safe HTML: render, sanitise, and point internal links at the site.

Python-Markdown passes raw ``<script>``, event attributes and ``javascript:``
links straight through, so every piece of editor Markdown goes through nh3 (a
maintained sanitiser, Rust's ammonia) before it reaches a template.
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

import markdown
import nh3
from markupsafe import Markup

from generator.load.embeds import TOKEN_RE

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


# A numeric character reference to a control character (``&#26;``, ``&#x1A``): the
# sanitiser would turn it into the raw character, which no content file may hold (it
# breaks XML, and embed tokens are made of one).
_CONTROL_REF_RE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]+)|(?P<dec>[0-9]+));?")


def _neutral_ref(match: re.Match[str]) -> str:
    code = int(match.group("hex"), 16) if match.group("hex") else int(match.group("dec"))
    control = code < 0x20 and code not in (0x09, 0x0A, 0x0D) or 0x7F <= code <= 0x9F
    return "&#xFFFD;" if control or code > 0x10FFFF else match.group()


def sanitise(raw_html: str) -> str:
    """Editor HTML with only safe tags, attributes and URLs, and no control characters."""
    return nh3.clean(_CONTROL_REF_RE.sub(_neutral_ref, raw_html), tags=_TAGS,
                     attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel=None)


# A tag in the sanitiser's output: it quotes every attribute value with " and escapes
# any " inside, and drops comments, so this matches its tags exactly.
_TAG_RE = re.compile(r'<(?:[^">]|"[^"]*")*>')


def fill_embeds(html_text: str, embeds: Mapping[str, Markup]) -> Markup:
    """Sanitised editor HTML with each embed token replaced by the embed's HTML.

    The HTML of an embed (a trusted template's, with the data escaped) goes only
    where its token stands as text. A token inside a tag (an editor put ``{{ ... }}``
    in a link's URL or title) becomes the embed's plain text, escaped, and the whole
    is sanitised again, so it can neither leave the attribute nor make a
    ``javascript:`` URL. A token not in ``embeds`` (none should be) is dropped.
    """
    def plain(token: re.Match[str]) -> str:
        found = embeds.get(token.group())
        return "" if found is None else html.escape(found.striptags(), quote=True)

    if any(TOKEN_RE.search(tag) for tag in _TAG_RE.findall(html_text)):
        html_text = sanitise(_TAG_RE.sub(lambda t: TOKEN_RE.sub(plain, t.group()), html_text))
    for token, markup in embeds.items():  # a block embed replaces the paragraph it stands in
        html_text = html_text.replace(f"<p>{token}</p>", str(markup))
    return Markup(TOKEN_RE.sub(lambda t: str(embeds.get(t.group(), "")), html_text))


def fill_toc(toc: tuple[TocEntry, ...], embeds: Mapping[str, Markup]) -> tuple[TocEntry, ...]:
    """Contents entries whose titles read as the page does: each embed as its plain text."""
    def title(text: str) -> str:
        return TOKEN_RE.sub(lambda t: embeds[t.group()].striptags()
                            if t.group() in embeds else "", text)

    return tuple(replace(t, title=title(t.title), children=fill_toc(t.children, embeds))
                 for t in toc)


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
    body, toc = _give_way_to_theme(body, toc, toc_depth)
    return Rendered(Markup(body), toc, tuple(links))


# --------------------------------------------------------------------------- ids

_THEME_TEMPLATES = importlib.resources.files("generator") / "theme" / "templates"
# Ids the theme makes from a name: "capabilities-<slug>", "<chart>-title", "<chart>-desc".
_THEME_ID_PATTERNS = re.compile(r"capabilities-.*|.*-title|.*-desc")
_ID_ATTR_RE = re.compile(r'(?P<attr>\b(?:id|href)=")(?P<hash>#?)(?P<id>[^"]*)"')


_REFERENCE_RE = re.compile(r'{%-?\s*(?:extends|include|import|from)\s+"([^"]+)"')
ARTICLE_TEMPLATE = "article.html"  # where an article's body is shown


@functools.cache
def theme_ids(template: str | None = None) -> frozenset[str]:
    """The fixed ``id``s of the theme's ``template`` and every template it extends, includes
    or imports; of every template when None."""
    if template is None:
        names = [p.name for p in _THEME_TEMPLATES.iterdir() if p.name.endswith(".html")]
        return frozenset().union(*(theme_ids(n) for n in names))
    try:
        text = (_THEME_TEMPLATES / template).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    found = set(re.findall(r'\bid="([^"{}]+)"', text))
    for name in _REFERENCE_RE.findall(text):
        found |= theme_ids(name)
    return frozenset(found)


def _reserved(name: str, toc_depth: str) -> bool:
    """Whether the theme may use ``name`` on a page showing this Markdown: an article's
    body shares its page with the article template alone; short Markdown (answers,
    capabilities) is shown on model and comparison pages, which hold most of the theme's."""
    if toc_depth != INLINE_TOC:
        return name in theme_ids(ARTICLE_TEMPLATE)
    return name in theme_ids() or bool(_THEME_ID_PATTERNS.fullmatch(name))


def _give_way_to_theme(body: str, toc: tuple[TocEntry, ...], toc_depth: str
                       ) -> tuple[str, tuple[TocEntry, ...]]:
    """Rename editors' ids (heading anchors, ``{: #id }``) that the theme uses itself, and
    the links to them, so that no page holds an id twice: ``main`` becomes ``text-main``."""
    tags = _TAG_RE.findall(body)
    used = {m.group("id") for tag in tags for m in _ID_ATTR_RE.finditer(tag)
            if m.group("attr").startswith("id")}
    clashes = sorted(i for i in used if _reserved(i, toc_depth))
    if not clashes:
        return body, toc
    renamed: dict[str, str] = {}
    for old in clashes:
        candidates = [f"text-{old}"] + [f"text-{old}-{n}" for n in range(2, len(used) + 3)]
        new = next(c for c in candidates if not _reserved(c, toc_depth) and c not in used)
        used.add(new)
        renamed[old] = new

    def attr(m: re.Match[str]) -> str:
        is_id = m.group("attr").startswith("id")
        if (is_id and not m.group("hash")) or (not is_id and m.group("hash")):
            return f'{m.group("attr")}{m.group("hash")}{renamed.get(m.group("id"), m.group("id"))}"'
        return m.group()

    body = _TAG_RE.sub(lambda t: _ID_ATTR_RE.sub(attr, t.group()), body)

    def entry(t: TocEntry) -> TocEntry:
        return replace(t, id=renamed.get(t.id, t.id), children=tuple(entry(c) for c in t.children))

    return body, tuple(entry(t) for t in toc)


def _toc_entry(token: dict) -> TocEntry:
    return TocEntry(token["level"], token["id"], html.unescape(_strip_tags(token["name"])),
                    tuple(_toc_entry(c) for c in token.get("children", [])))


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)
