"""The search index: a compact JSON file the search box and the compare picker read.

Only what results show and what matching needs, in short keys:

``{"m": [[name, slug, vendor], ...],            # models, by slug
   "c": [[i, j], ...],                          # comparison pages: indexes into "m", i < j by slug
   "a": [[title, slug, summary, [tags]], ...]}  # articles, newest first``

URLs are not stored: the browser builds them from the base path and the slugs
(``models/<slug>/``, ``compare/<a>-vs-<b>/``, ``articles/<slug>/``, as in plan.py),
which keeps the file small on sites with thousands of comparisons.
"""

from __future__ import annotations

import json
from typing import Any

from generator.pages.views import Views


def search_index(views: Views, pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """Models, comparison pages and articles, in a stable order."""
    models = sorted(views.models.values(), key=lambda m: m.slug)
    position = {m.slug: i for i, m in enumerate(models)}
    return {
        "m": [[m.name, m.slug, m.vendor] for m in models],
        "c": [[position[a], position[b]] for a, b in sorted(pairs)],
        "a": [[a.title, a.slug, a.summary or "", list(a.tags)] for a in views.articles.values()],
    }


def dumps_compact(data: Any) -> bytes:
    """JSON without spaces, UTF-8, final newline: small and byte-for-byte reproducible."""
    return (json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            + "\n").encode()
