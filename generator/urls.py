"""Slugs and URLs: the one place that knows how files, slugs and page URLs relate.

Every URL is relative to the site root (``""`` is the home page); ``SiteView.url``
adds the base path. Nothing else builds a page URL by hand or takes one apart.
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG_RE = re.compile(SLUG_PATTERN)  # matched whole (fullmatch), never searched
SLUG_JSON_PATTERN = f"^{SLUG_PATTERN}$"  # JSON Schema (ECMA) anchors: "$" is the very end there
SLUG_MAX = 80
PAIR_SEPARATOR = "-vs-"

# The fixed pages: sections, data files and files for crawlers and hosts. (The theme's
# templates link the section pages by these same paths: ``url('models/')``.)
HOME_URL = ""
MODELS_URL = "models/"
COMPARE_URL = "compare/"
ARTICLES_URL = "articles/"
METHODOLOGY_URL = "methodology/"
SEARCH_URL = "search/"
SEARCH_INDEX_URL = "search/index.json"
MODELS_JSON_URL = "api/models.json"
COMPARISONS_JSON_URL = "api/comparisons.json"
BENCHMARKS_JSON_URL = "api/benchmarks.json"  # extension: scale and direction of each benchmark
NOT_FOUND_URL = "404.html"
ROBOTS_URL = "robots.txt"
SITEMAP_URL = "sitemap.xml"
FEED_URL = "feed.xml"
NOJEKYLL_URL = ".nojekyll"
CNAME_URL = "CNAME"


def suggest_slug(name: str) -> str:
    """A valid slug made from a display name (lowercase, hyphens for everything else)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:SLUG_MAX].strip("-") or "name"


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` is not a valid slug, or None."""
    if len(slug) > SLUG_MAX:
        return f"is longer than {SLUG_MAX} characters"
    if not SLUG_RE.fullmatch(slug):
        return ("must be lowercase letters, digits and single hyphens "
                f"(try {suggest_slug(slug)!r})")
    return None


def model_slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a model, or None: a valid slug that is not part of a pair URL."""
    problem = slug_problem(slug)
    if problem is None and PAIR_SEPARATOR in slug:
        problem = (f"must not contain {PAIR_SEPARATOR!r}: comparison URLs are "
                   f"'<a>{PAIR_SEPARATOR}<b>'")
    return problem


def pair_clashes(slugs: set[str]) -> list[tuple[str, str, str]]:
    """``(x-vs, vs-y, url)`` for model slugs whose comparison URLs could coincide: with
    models ``x`` and ``y`` too, ``x`` + ``vs-y`` and ``x-vs`` + ``y`` are both ``url``."""
    ends = sorted(s for s in slugs if s.endswith("-vs"))
    starts = sorted(s for s in slugs if s.startswith("vs-"))
    return [(e, s, pair_slug(e[:-3], s)) for e in ends for s in starts
            if e[:-3] in slugs and s[3:] in slugs]


def pair_slug(a: str, b: str) -> str:
    """The URL slug of a comparison, in the order given."""
    return f"{a}{PAIR_SEPARATOR}{b}"


def ordered(a: str, b: str) -> tuple[str, str]:
    """A pair in canonical order (``a`` < ``b`` by slug)."""
    return (a, b) if a < b else (b, a)


def model_url(slug: str) -> str:
    return f"{MODELS_URL}{slug}/"


def compare_url(a: str, b: str) -> str:
    return f"{COMPARE_URL}{pair_slug(a, b)}/"


def article_url(slug: str) -> str:
    return f"{ARTICLES_URL}{slug}/"


def static_url(name: str) -> str:
    """A theme asset (stylesheet, script)."""
    return f"static/{name}"


def sitemap_chunk_url(number: int) -> str:
    return f"sitemaps/sitemap-{number}.xml"


def link_path(target: str) -> str:
    """An editor's link target as a site-relative path: no query, fragment or leading slash."""
    return target.split("#", 1)[0].split("?", 1)[0].lstrip("/")


def linked_pair(target: str) -> tuple[str, str] | None:
    """The two slugs an editor's link to ``compare/<a>-vs-<b>/`` names, if it is one.

    Editors write such links by hand; the build never needs this for its own URLs.
    """
    path = link_path(target)
    if not path.startswith(COMPARE_URL):
        return None
    slugs = path.removeprefix(COMPARE_URL).rstrip("/").split(PAIR_SEPARATOR)
    return (slugs[0], slugs[1]) if len(slugs) == 2 else None
