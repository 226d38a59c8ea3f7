"""Which pairs get a comparison page: relatedness of two models and the per-model choice."""

from __future__ import annotations

from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import write_files
from generator.build import build, load_catalog, prepare
from generator.compute.related import (Traits, closeness_to, comparison_pairs, partners_of,
                                      similarities, similarity)


def traits(**fields) -> Traits:
    base = dict(vendor="Acme", family=None, parameters_b=None, context_window_tokens=None,
                open_weights=True, blended_usd_per_mtok=None, quality=None, released=None)
    return Traits(**{**base, **fields})


def test_rivals_of_other_vendors_come_first_then_kin_of_the_same_family() -> None:
    me = traits(vendor="Acme", family="Acme 3", quality=80.0, blended_usd_per_mtok=5.0)
    pool = {
        "me": me,
        "acme-3-mini": traits(vendor="Acme", family="Acme 3", quality=76.0,
                              blended_usd_per_mtok=4.0),
        "acme-2": traits(vendor="Acme", family="Acme 2", quality=80.0, blended_usd_per_mtok=5.0),
        "big-1": traits(vendor="Bigco", quality=79.0, blended_usd_per_mtok=6.0),
        "big-2": traits(vendor="Bigco", quality=78.0, blended_usd_per_mtok=6.0),
        "big-3": traits(vendor="Bigco", quality=80.0, blended_usd_per_mtok=5.0),
        "cee-1": traits(vendor="Cee", quality=60.0, blended_usd_per_mtok=40.0),
    }
    # Six rivals' places, at most two from Bigco, then two kin places.
    assert partners_of("me", pool, 8)[:3] == ["big-3", "big-1", "cee-1"]
    assert set(partners_of("me", pool, 4)) == {"big-3", "big-1", "cee-1", "acme-3-mini"}
    # The same family counts among kin: Acme 3 Mini before Acme 2, which is closer in figures.
    assert similarity(me, pool["acme-3-mini"]) > similarity(me, pool["acme-2"])
    kin_only = {k: v for k, v in pool.items() if v.vendor == "Acme"}
    assert partners_of("me", kin_only, 2) == ["acme-3-mini", "acme-2"]


@pytest.mark.parametrize("field, near, far", [
    ("parameters_b", 80, 7000),
    ("context_window_tokens", 131072, 8192),
    ("blended_usd_per_mtok", 1.2, 30.0),
    ("quality", 62.0, 30.0),
    ("released", date(2025, 3, 1), date(2023, 1, 1)),
])
def test_closer_figures_are_more_related(field: str, near: object, far: object) -> None:
    me = traits(**{field: {"parameters_b": 70, "context_window_tokens": 128000,
                           "blended_usd_per_mtok": 1.0, "quality": 60.0,
                           "released": date(2025, 1, 1)}[field]})
    assert similarity(me, traits(**{field: near})) > similarity(me, traits(**{field: far}))
    assert similarity(me, traits(**{field: far})) >= similarity(me, traits())


def test_unknown_figures_add_nothing_and_identical_models_score_the_maximum() -> None:
    assert similarity(traits(), traits(vendor="Other", open_weights=False)) == 0.0
    full = traits(family="F", parameters_b=8, context_window_tokens=8192,
                  blended_usd_per_mtok=0.2, quality=50.0, released=date(2025, 1, 1))
    assert similarity(full, full) == pytest.approx(9.5)


def test_similarity_is_symmetric() -> None:
    a = traits(vendor="A", parameters_b=8, blended_usd_per_mtok=0.1, quality=40.0)
    b = traits(vendor="B", parameters_b=400, blended_usd_per_mtok=9.0, quality=70.0,
               context_window_tokens=32768)
    assert similarity(a, b) == similarity(b, a)


def catalogue(tmp_path: Path, models: dict[str, str], comparisons: str) -> Path:
    files = {"content/site.yaml": "title: T\nbase_url: https://e.github.io/r/\n"
                                  f"comparisons:\n{comparisons}",
             "content/benchmarks.yaml": "mmlu: {name: MMLU}\n"}
    # Display names must differ (two models of one name are an error): the slug tells them apart.
    files.update({f"content/models/{slug}.yaml": text.replace(" model\n", f" model {slug}\n", 1)
                  for slug, text in models.items()})
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
                                "c": model("C", mmlu=78), "d": model("D", mmlu=32)},
                     "  per_model: 1\n")
    assert prepare(load_catalog(root)).plan.pairs == (("a", "c"), ("b", "d"))


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
                                                         "See [it](/compare/alpha-70b-vs-gamma-3b/).\n"})
    report = build(basic_site, tmp_path / "out")
    (warning,) = [w for w in report.warnings if "alpha-70b-vs-gamma-3b" in w.message]
    assert warning.path.endswith("articles/pair.md") and warning.line == 5
    assert "this pair has no comparison page" in warning.message
    assert "add it to comparisons.include in site.yaml" in warning.message


def test_at_k8_most_pages_cross_vendors_and_flagships_meet_each_other(tmp_path: Path) -> None:
    from synthetic import write_catalogue
    root = write_catalogue(tmp_path, models=96, per_model=8)
    flagships = {}
    for i, vendor in enumerate(["Acme", "Bigco", "Cortex", "Deepware"]):
        for j, suffix in enumerate(["", " Mini", " Nano", " Lite"]):  # lookalikes of one vendor
            slug = f"{vendor.lower()}-top{j}"
            score = 92 - 3 * j
            write_files(root, {f"content/models/{slug}.yaml": (
                f"name: {vendor} Top{suffix}\nvendor: {vendor}\nfamily: {vendor} Top\n"
                f"released: 2025-0{6 + i}-01\nopen_weights: false\ncontext_window_tokens: 400000\n"
                f"pricing: [{{provider: {vendor}, input_usd_per_mtok: {2 + i * 0.5 - j * 0.4}, "
                f"output_usd_per_mtok: {10 + i - j}}}]\n"
                f"benchmarks: {{mmlu: {{score: {score}}}, gsm8k: {{score: {score + 2}}}, "
                f"humaneval: {{score: {score - 1}}}}}\n")})
            if j == 0:
                flagships[vendor] = slug
    catalog = load_catalog(root)
    pairs = prepare(catalog).plan.pairs
    cross = sum(catalog.models[a].vendor != catalog.models[b].vendor for a, b in pairs)
    assert cross / len(pairs) >= 0.5
    for a, b in combinations(sorted(flagships.values()), 2):
        assert (a, b) in pairs


_figure = st.one_of(st.none(), st.just(0.0), st.floats(0.001, 1e6, allow_nan=False))
_traits = st.builds(
    Traits, vendor=st.sampled_from(["Acme", "Bigco"]),
    family=st.one_of(st.none(), st.sampled_from(["Acme 3", "Big 1"])),
    parameters_b=_figure, context_window_tokens=st.one_of(st.none(), st.integers(0, 10**7)),
    open_weights=st.booleans(), blended_usd_per_mtok=_figure,
    quality=st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
    released=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2027, 1, 1))))


@given(_traits, _traits)
def test_similarity_is_symmetric_to_the_bit(a: Traits, b: Traits) -> None:
    # The table computes each pair once, so a-to-b must be b-to-a to the bit: not
    # within rounding (a near tie could flip and move a page).
    assert similarity(a, b).hex() == similarity(b, a).hex()
    assert closeness_to(b)(a).hex() == closeness_to(a)(b).hex()


@given(st.dictionaries(st.sampled_from("abcdefgh"), _traits, min_size=2), st.integers(1, 6))
def test_partners_from_the_table_are_the_partners_of_the_definition(pool, k) -> None:  # type: ignore[no-untyped-def]
    table = similarities(pool)
    for slug in pool:
        assert partners_of(slug, pool, k, table) == partners_of(slug, pool, k)
