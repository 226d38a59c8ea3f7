"""Pages that are data, not templates: the JSON export, the search index, hosting files."""

from __future__ import annotations

from typing import Callable, Mapping

from generator.pages.data import SiteData
from generator.pages.export import comparisons_json, dumps, models_json
from generator.pages.search import dumps_compact, search_index
from generator.plan import Page


def _models_json(data: SiteData, page: Page) -> bytes:
    return dumps(models_json(data.views.catalog, data.views.facts, data.scoring.by_model))


def _comparisons_json(data: SiteData, page: Page) -> bytes:
    return dumps(comparisons_json(data.views.catalog, data.plan.pairs, data.scoring.by_model))


def _search_index(data: SiteData, page: Page) -> bytes:
    return dumps_compact(search_index(data.views, data.plan.pairs))


def _nojekyll(data: SiteData, page: Page) -> bytes:
    return b""  # tells GitHub Pages to publish the files as they are


def _cname(data: SiteData, page: Page) -> bytes:
    return f"{data.views.catalog.site.custom_domain}\n".encode()


DataFile = Callable[[SiteData, Page], bytes]
FILES: Mapping[str, DataFile] = {
    "models-json": _models_json,
    "comparisons-json": _comparisons_json,
    "search-index": _search_index,
    "nojekyll": _nojekyll,
    "cname": _cname,
}
