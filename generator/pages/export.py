"""The machine-readable export under ``site/api/`` (see CONTENT_FORMAT.md)."""

from __future__ import annotations

import json
from typing import Any, Mapping

from generator.compute.derive import ModelFacts
from generator.load.catalog import Catalog
from generator.urls import compare_url, model_url
from generator.compute.scoring import Scores, winner

_DECIMALS = 6  # enough for any price; hides float noise such as 0.5527777777777778


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, _DECIMALS)


def model_record(slug: str, catalog: Catalog, facts: ModelFacts, scores: Scores) -> dict[str, Any]:
    """One model: every input field (null when absent), ``slug``, ``url``, ``computed``."""
    record = catalog.models[slug].model_dump(mode="json")
    vram = facts.vram_gb
    record.update({
        "slug": slug,
        "url": catalog.site.root_url + model_url(slug),
        "computed": {
            "scores": {k: _round(v) for k, v in scores.as_dict().items()},
            "blended_usd_per_mtok": _round(facts.blended_usd_per_mtok),
            "vram_gb": None if vram is None else {
                "fp16": _round(vram.fp16), "int8": _round(vram.int8), "int4": _round(vram.int4)},
            "self_hosting_usd_per_mtok": [_round(v) for v in facts.self_hosting_usd_per_mtok],
        },
    })
    return record


def models_json(catalog: Catalog, facts: Mapping[str, ModelFacts],
                scores: Mapping[str, Scores]) -> list[dict[str, Any]]:
    return [model_record(slug, catalog, facts[slug], scores[slug]) for slug in sorted(catalog.models)]


def comparisons_json(catalog: Catalog, pairs: tuple[tuple[str, str], ...],
                     scores: Mapping[str, Scores]) -> list[dict[str, Any]]:
    return [{"a": a, "b": b, "url": catalog.site.root_url + compare_url(a, b),
             "winner": winner(a, b, scores)} for a, b in sorted(pairs)]


def benchmarks_json(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """The benchmark registry by key: what a score's scale and direction are (extension)."""
    return {key: bench.model_dump(mode="json") for key, bench in sorted(catalog.benchmarks.items())}


def dumps(data: Any) -> bytes:
    """Stable JSON: fixed key order, two-space indent, UTF-8, final newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()
