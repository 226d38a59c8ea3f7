"""Link checker for a built site, as it will be served under its base URL.

Every internal link, asset and ``#fragment`` of every HTML page must resolve to a
file of the site (and the fragment to an ``id`` in it), resolved the way a browser
does when the site lives at ``base_url``, sub-path included: ``/repo/models/x/``
means ``models/x/index.html`` and a root-relative link that misses ``/repo/``
is broken. External links are collected, never fetched: checking them needs the
network and their answers change from day to day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Mapping
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from generator.errors import SourceError

_LINK_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src",
                    "source": "src", "iframe": "src", "audio": "src", "video": "src",
                    "track": "src", "embed": "src", "form": "action"}
_IGNORED_SCHEMES = {"mailto", "tel", "data"}


@dataclass(frozen=True)
class Link:
    """One URL in a page, where it stands."""

    url: str
    line: int
    col: int


@dataclass
class _Page:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class LinkReport:
    """What the check found: broken links as errors, external links by URL."""

    pages: int
    checked: int  # internal links, assets and fragments that resolved or not
    broken: tuple[SourceError, ...]
    external: Mapping[str, tuple[str, ...]]  # URL -> the pages that link to it

    @property
    def ok(self) -> bool:
        return not self.broken

    def summary(self) -> str:
        """One line for people: what was checked and how much is broken."""
        broken = f"{len(self.broken)} broken" if self.broken else "none broken"
        return (f"Checked {self.checked} internal links in {self.pages} pages: {broken}; "
                f"{len(self.external)} external links not fetched")


class _Collector(HTMLParser):
    """Links and ids of one page, with positions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.page.ids.add(values[name] or "")
        url = values.get(_LINK_ATTRIBUTES.get(tag, ""))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            url = _refresh_target(values.get("content") or "")
        if url is not None:
            line, offset = self.getpos()
            self.page.links.append(Link(url.strip(), line, offset + 1))

    handle_startendtag = handle_starttag


def _refresh_target(content: str) -> str | None:
    """``0; url=/repo/x/`` -> ``/repo/x/``."""
    _, _, rest = content.partition(";")
    key, _, value = rest.strip().partition("=")
    return value.strip().strip("'\"") if key.strip().lower() == "url" else None


def parse_page(text: str) -> _Page:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.page


def page_path(relative: str, base_path: str) -> str:
    """The URL path a file is served at: ``models/x/index.html`` -> ``/repo/models/x/``."""
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return base_path + relative


def check_site(folder: Path, base_url: str, *, display_root: str | None = None) -> LinkReport:
    """Check every HTML page below ``folder`` as served at ``base_url``, and that every XML
    file there (the feed, the sitemaps) is well-formed."""
    root_url = base_url.rstrip("/") + "/"
    base_path = urlsplit(root_url).path
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    existing = set(files)
    pages = {f: parse_page((folder / f).read_text(encoding="utf-8", errors="replace"))
             for f in files if f.endswith(".html")}
    shown = display_root.rstrip("/") + "/" if display_root else ""
    broken: list[SourceError] = []
    external: dict[str, set[str]] = defaultdict(set)
    checked = 0
    for name, page in pages.items():
        here = page_path(name, base_path)
        for link in page.links:
            problem, internal = _check(link.url, here, root_url, base_path, existing, pages)
            if internal:
                checked += 1
            elif problem is None and urlsplit(link.url).scheme in ("http", "https", ""):
                external[link.url].add(shown + name)
            if problem:
                broken.append(SourceError(shown + name, link.line, link.col,
                                          f"broken link {link.url}: {problem}"))
    broken.extend(_xml_problems(folder, [f for f in files if f.endswith(".xml")], shown))
    return LinkReport(len(pages), checked, tuple(sorted(broken)),
                      {url: tuple(sorted(where)) for url, where in sorted(external.items())})


def _xml_problems(folder: Path, names: list[str], shown: str) -> list[SourceError]:
    """Every published XML file (feed, sitemaps) that a reader's parser would refuse."""
    problems = []
    for name in names:
        parser = ElementTree.XMLParser()
        try:
            parser.feed((folder / name).read_bytes())
            parser.close()
        except ElementTree.ParseError as exc:
            line, col = exc.position
            problems.append(SourceError(shown + name, line, col + 1,
                                        f"not well-formed XML ({exc})"))
    return problems


def _check(url: str, here: str, root_url: str, base_path: str, existing: set[str],
           pages: Mapping[str, _Page]) -> tuple[str | None, bool]:
    """(problem or None, whether the link is internal)."""
    parts = urlsplit(url)
    if parts.scheme in _IGNORED_SCHEMES:
        return None, False
    if parts.scheme == "javascript":
        return "javascript: URL", False
    if parts.scheme or parts.netloc:
        if not url.startswith(root_url):
            return None, False  # external
        parts = urlsplit(url[len(root_url) - len(base_path):])  # own absolute URL: its path
    path = unquote(urljoin(here, parts.path)) if parts.path else here
    if not path.startswith(base_path):
        return f"outside the site's base path {base_path}", True
    target = _target_file(PurePosixPath(path[len(base_path):]).as_posix(), path, existing)
    if target is None:
        return "no such page or file in the site", True
    fragment = unquote(parts.fragment)
    if fragment and fragment.lower() != "top" and target in pages \
            and fragment not in pages[target].ids:
        return f"no element with id {fragment!r} in {target}", True
    return None, True


def _target_file(relative: str, path: str, existing: set[str]) -> str | None:
    """The file a site path is served from, as GitHub Pages serves it."""
    relative = "" if relative == "." else relative
    if path.endswith("/") or relative == "":
        candidate = (relative + "/index.html").lstrip("/")
        return candidate if candidate in existing else None
    if relative in existing:
        return relative
    if relative + "/index.html" in existing:  # Pages redirects /x to /x/
        return relative + "/index.html"
    return None
