"""A site that outgrows all pairs: 300 synthetic models with ``per_model: 10``.

Built once for the module (a few seconds); every test reads the same output.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import parse_html
from generator.build import build, load_catalog, prepare
from generator.output.report import BuildReport
from generator.plan import Plan
from generator.pages.views import RELATED_COMPARISONS
from synthetic import write_catalogue
from test_hosting import scripts_of

MODELS = 300
PER_MODEL = 10
INCLUDED = ("acme-model-0", "lumen-model-299")  # far apart: only `include` builds it
BASE_URL = "https://example.github.io/big/"


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan, BuildReport]:
    root = write_catalogue(tmp_path_factory.mktemp("big"), models=MODELS, per_model=PER_MODEL,
                           include=[INCLUDED])
    report = build(root, root / "site", check_links=True)
    return root / "site", prepare(load_catalog(root)).plan, report


def test_each_model_gets_its_k_most_related_models_and_no_more_pairs(big) -> None:
    _, plan, _ = big
    assert len(plan.partners) == MODELS
    assert min(len(p) for p in plan.partners.values()) >= PER_MODEL
    # Each model chose K partners: at most N×K pairs (plus `include`), at least N×K / 2.
    assert MODELS * PER_MODEL // 2 <= len(plan.pairs) <= MODELS * PER_MODEL + 1
    assert INCLUDED in plan.pairs
    assert len(plan.pairs) < MODELS * (MODELS - 1) // 2 // 10  # far below all pairs


def test_page_count_follows_from_the_pairs(big) -> None:
    out, plan, report = big
    html = sorted(out.rglob("*.html"))
    # models + one page and one redirect per pair + 2 articles + 7 fixed pages (home, 404, search,
    # the models, comparisons and articles indexes, methodology)
    assert len(html) == report.pages_written == MODELS + 2 * len(plan.pairs) + 2 + 7
    built = {p.name for p in (out / "compare").iterdir() if p.is_dir()}
    assert built == {f"{a}-vs-{b}" for a, b in plan.pairs} | {f"{b}-vs-{a}" for a, b in plan.pairs}


def test_every_internal_link_and_fragment_resolves(big) -> None:
    _, _, report = big  # built with check_links=True: a broken link would have failed it
    assert report.links is not None and report.links.broken == ()
    assert report.links.pages == report.pages_written
    assert report.links.checked > 50 * MODELS


def test_model_pages_link_to_exactly_their_comparisons(big) -> None:
    out, plan, _ = big
    for slug in ("acme-model-0", "gradient-model-150", "lumen-model-299"):
        doc = parse_html(out / f"models/{slug}/index.html")
        section = doc.find("section", **{"aria-labelledby": "comparisons"})
        hrefs = {a.attrs["href"] for a in section.iter("a")}
        expected = {f"/big/compare/{'-vs-'.join(sorted((slug, other)))}/"
                    for other in plan.partners[slug]}
        assert hrefs == expected


def test_more_comparisons_on_a_pair_page_are_related_comparisons_of_both(big) -> None:
    out, plan, _ = big
    a, b = INCLUDED
    doc = parse_html(out / f"compare/{a}-vs-{b}/index.html")
    section = doc.find("section", **{"aria-labelledby": "more"})
    for m, column in zip((a, b), section.find_all("ul")):
        hrefs = [x.attrs["href"] for x in column.iter("a")]
        # a fixed number per model (RELATED_COMPARISONS), never this page, all existing
        expected = {f"/big/compare/{'-vs-'.join(sorted((m, o)))}/" for o in plan.partners[m]}
        assert len(hrefs) == min(RELATED_COMPARISONS, len(plan.partners[m]) - 1)
        assert len(set(hrefs)) == len(hrefs) and set(hrefs) <= expected
        assert f"/big/compare/{a}-vs-{b}/" not in hrefs


def test_articles_list_only_comparisons_that_exist(big) -> None:
    out, plan, _ = big
    doc = parse_html(out / "articles/first/index.html")
    named = sorted(["acme-model-0", "bigco-model-1", "lumen-model-299"])
    expected = {f"/big/compare/{a}-vs-{b}/" for i, a in enumerate(named) for b in named[i + 1:]
                if (a, b) in plan.pairs}
    related = doc.find("aside", **{"class": "related"})
    hrefs = {a.attrs["href"] for a in related.iter("a") if "/compare/" in a.attrs["href"]}
    assert hrefs == expected and len(expected) < 3  # not every pair of the three is built


def test_indexes_and_export_list_exactly_the_built_pairs(big) -> None:
    out, plan, _ = big
    index = parse_html(out / "compare/index.html")
    hrefs = {a.attrs["href"] for a in index.find("ul", **{"class": "columns"}).iter("a")}
    assert hrefs == {f"/big/compare/{a}-vs-{b}/" for a, b in plan.pairs}
    assert f"compared with the {PER_MODEL} models most like it" in index.text
    exported = json.loads((out / "api/comparisons.json").read_text())
    assert [(p["a"], p["b"]) for p in exported] == list(plan.pairs)


def test_sitemap_lists_each_page_once_and_every_url_exists(big) -> None:
    out, plan, _ = big
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.text for u in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs)) == MODELS + len(plan.pairs) + 2 + 5
    for loc in locs:
        path = loc.removeprefix(BASE_URL)
        assert (out / path / "index.html").is_file(), loc


def test_a_pair_not_built_is_known_to_the_404_page(big) -> None:
    out, plan, _ = big
    a, b = "acme-model-0", "bigco-model-1"
    assert (a, b) not in plan.pairs and not (out / f"compare/{a}-vs-{b}").exists()
    lookup = json.loads(scripts_of(out / "404.html")["model-lookup"])
    assert len(lookup["models"]) == MODELS
    assert lookup["models"][a] == "Acme Model 0" and lookup["models"][b] == "Bigco Model 1"


def test_size_is_reported(big) -> None:
    out, _, report = big
    on_disk = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert report.bytes_written == on_disk
