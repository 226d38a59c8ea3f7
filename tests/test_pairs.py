"""Which pairs get a comparison page: relatedness of two models and the per-model choice."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from conftest import write_files
from generator.build import build, load_catalog, prepare
from generator.compute.related import Traits, comparison_pairs, similarity


def traits(**fields) -> Traits:
    base = dict(vendor="Acme", family=None, parameters_b=None, context_window_tokens=None,
                open_weights=True, blended_usd_per_mtok=None, overall_score=None)
    return Traits(**{**base, **fields})


def test_family_counts_more_than_vendor_which_counts_more_than_closeness() -> None:
    me = traits(vendor="Acme", family="Acme 3", parameters_b=70)
    same_family = traits(vendor="Acme", family="Acme 3", parameters_b=700)
    same_vendor = traits(vendor="Acme", family="Acme 2", parameters_b=70)
    same_size = traits(vendor="Bigco", family="Big 1", parameters_b=70)
    assert similarity(me, same_family) > similarity(me, same_vendor) > similarity(me, same_size)


@pytest.mark.parametrize("field, near, far", [
    ("parameters_b", 80, 7000),
    ("context_window_tokens", 131072, 8192),
    ("blended_usd_per_mtok", 1.2, 30.0),
    ("overall_score", 62.0, 30.0),
])
def test_closer_figures_are_more_related(field: str, near: float, far: float) -> None:
    me = traits(**{field: {"parameters_b": 70, "context_window_tokens": 128000,
                           "blended_usd_per_mtok": 1.0, "overall_score": 60.0}[field]})
    assert similarity(me, traits(**{field: near})) > similarity(me, traits(**{field: far}))
    assert similarity(me, traits(**{field: far})) >= similarity(me, traits())


def test_unknown_figures_add_nothing_and_identical_models_score_the_maximum() -> None:
    assert similarity(traits(), traits(vendor="Other", open_weights=False)) == 0.0
    full = traits(family="F", parameters_b=8, context_window_tokens=8192,
                  blended_usd_per_mtok=0.2, overall_score=50.0)
    assert similarity(full, full) == pytest.approx(10.5)


def test_similarity_is_symmetric() -> None:
    a = traits(vendor="A", parameters_b=8, blended_usd_per_mtok=0.1, overall_score=40.0)
    b = traits(vendor="B", parameters_b=400, blended_usd_per_mtok=9.0, overall_score=70.0,
               context_window_tokens=32768)
    assert similarity(a, b) == similarity(b, a)


def catalogue(tmp_path: Path, models: dict[str, str], comparisons: str) -> Path:
    files = {"content/site.yaml": "title: T\nbase_url: https://e.github.io/r/\n"
                                  f"comparisons:\n{comparisons}",
             "content/benchmarks.yaml": "mmlu: {name: MMLU}\n"}
    files.update({f"content/models/{slug}.yaml": text for slug, text in models.items()})
    return write_files(tmp_path, files)


def model(vendor: str, price: float | None = None, mmlu: float | None = None) -> str:
    text = f"name: {vendor} model\nvendor: {vendor}\nopen_weights: false\n"
    if price is not None:
        text += f"pricing: [{{provider: X, input_usd_per_mtok: {price}, output_usd_per_mtok: {price}}}]\n"
    if mmlu is not None:
        text += f"benchmarks: {{mmlu: {{score: {mmlu}}}}}\n"
    return text


def test_the_build_chooses_partners_by_price(tmp_path: Path) -> None:
    root = catalogue(tmp_path, {"a": model("A", price=1.0), "b": model("B", price=1.1),
                                "c": model("C", price=40.0)}, "  per_model: 1\n")
    pairs = prepare(load_catalog(root)).plan.pairs
    assert ("a", "b") in pairs and ("a", "c") not in pairs


def test_the_build_chooses_partners_by_score(tmp_path: Path) -> None:
    root = catalogue(tmp_path, {"a": model("A", mmlu=80), "b": model("B", mmlu=30),
                                "c": model("C", mmlu=78)}, "  per_model: 1\n")
    pairs = prepare(load_catalog(root)).plan.pairs
    assert ("a", "c") in pairs and ("a", "b") not in pairs


def test_per_model_gives_every_model_at_least_k_partners_plus_included_pairs(
        tmp_path: Path) -> None:
    slugs = [f"m{i}" for i in range(12)]
    root = catalogue(tmp_path, {s: model(f"V{i % 3}", price=2.0 ** i) for i, s in enumerate(slugs)},
                     "  per_model: 3\n  include: [[m0, m11]]\n")
    plan = prepare(load_catalog(root)).plan
    assert all(len(plan.partners[s]) >= 3 for s in slugs)
    assert len(plan.pairs) <= 12 * 3 + 1
    assert ("m0", "m11") in plan.pairs
    assert all(a < b for a, b in plan.pairs) and list(plan.pairs) == sorted(plan.pairs)
    kinds = [p.kind for p in plan.pages]
    assert kinds.count("compare") == kinds.count("redirect") == len(plan.pairs)


def test_all_builds_every_pair(tmp_path: Path) -> None:
    root = catalogue(tmp_path, {s: model("V") for s in "abcd"}, "  per_model: all\n")
    assert prepare(load_catalog(root)).plan.pairs == tuple(combinations("abcd", 2))


def test_ties_are_broken_by_slug_so_the_choice_is_stable(tmp_path: Path) -> None:
    root = catalogue(tmp_path, {s: model("V") for s in "dcba"}, "  per_model: 1\n")
    catalog = load_catalog(root)
    assert comparison_pairs(catalog) == (("a", "b"), ("a", "c"), ("a", "d"))


def test_an_article_link_to_a_pair_without_a_page_names_the_fix(basic_site: Path,
                                                                 tmp_path: Path) -> None:
    site = basic_site / "content/site.yaml"
    site.write_text(site.read_text().replace("per_model: all", "per_model: 1"))
    write_files(basic_site, {"content/articles/pair.md": "---\ntitle: Pair\ndate: 2026-01-01\n---\n"
                                                         "See [it](/compare/beta-pro-vs-gamma-3b/).\n"})
    report = build(basic_site, tmp_path / "out")
    (warning,) = [w for w in report.warnings if "beta-pro-vs-gamma-3b" in w.message]
    assert warning.path.endswith("articles/pair.md") and warning.line == 5
    assert "this pair has no comparison page" in warning.message
    assert "add it to comparisons.include in site.yaml" in warning.message
