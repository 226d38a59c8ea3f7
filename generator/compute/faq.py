"""Computed questions and verdicts: which questions the data answers, and with what.

This module decides *which* questions apply and gathers the computed facts that
answer them, from the models' data, derived facts and scores alone (it never sees
a page's views). The pages stage adds the views the wording shows (``m``,
``pair``, ``me``/``other``, benchmark rows); the wording lives in the ``faq.html``
and ``partials/verdict.html`` templates, so a project can tune or translate it
by overriding those files. A question appears only when the data answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from generator.compute.derive import ModelFacts, PairFacts
from generator.compute.scoring import SCORE_KEYS, Scores
from generator.load.schema import Benchmark, Model

# A sub-score lead smaller than this reads as a tie in verdicts.
VERDICT_MARGIN_POINTS = 5.0
# Single-GPU memory classes for "can I run it on one GPU?" (GB): consumer, workstation, data centre.
GPU_CLASSES_GB = ((24, "a 24 GB consumer GPU (RTX 4090 class)"),
                  (48, "a 48 GB workstation GPU (L40S, RTX 6000 Ada)"),
                  (80, "an 80 GB data-centre GPU (H100, A100 80GB)"),
                  (141, "a 141 GB H200"))


@dataclass(frozen=True)
class Question:
    """One computed question: ``kind`` picks the wording macros, ``facts`` fill them in.

    Model questions are about one model (the page adds it as ``m``); pair questions
    about a pair (added as ``pair``); ``pair_benchmark`` names its benchmark by ``key``.
    """

    kind: str
    facts: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- models


def model_questions(model: Model, facts: ModelFacts, scores: Scores) -> tuple[Question, ...]:
    """The questions one model's data answers, most searched first."""
    out: list[Question] = []
    if facts.cheapest_offer is not None:
        out.append(Question("model_price"))
    if scores.overall is not None:
        out.append(Question("model_score", {"s": scores}))
    if model.benchmarks:
        out.append(Question("model_benchmarks"))
    if model.context_window_tokens is not None:
        out.append(Question("model_context"))
    out.append(Question("model_download"))
    if model.open_weights and facts.vram_gb is not None:
        out.append(Question("model_one_gpu", {"gpu": single_gpu(facts.vram_gb.int4),
                                              "gpu16": single_gpu(facts.vram_gb.fp16)}))
    if facts.self_hosting:
        out.append(Question("model_self_hosting"))
    if model.fine_tuning is not None:
        out.append(Question("model_fine_tuning"))
    if model.free_tier is not None:
        out.append(Question("model_free_tier"))
    if _inputs(model):
        out.append(Question("model_inputs"))
    if model.speed:
        out.append(Question("model_speed"))
    return tuple(out)


def _inputs(model: Model) -> tuple[str, ...]:
    return model.modalities.input if model.modalities else ()


def single_gpu(weights_gb: float) -> str | None:
    """The smallest common single GPU whose memory holds ``weights_gb`` (with 10% headroom)."""
    for size_gb, label in GPU_CLASSES_GB:
        if weights_gb * 1.1 <= size_gb:
            return label
    return None


# --------------------------------------------------------------------------- pairs


def pair_questions(a: Model, b: Model, fa: ModelFacts, fb: ModelFacts, facts: PairFacts,
                   sa: Scores, sb: Scores) -> tuple[Question, ...]:
    """The questions a comparison's data answers."""
    out: list[Question] = []
    if sa.quality is not None and sb.quality is not None:
        out.append(Question("pair_as_good", {"sa": sa, "sb": sb,
                                             "better": _better(sa.quality, sb.quality)}))
    if fa.blended_usd_per_mtok is not None and fb.blended_usd_per_mtok is not None:
        out.append(Question("pair_cheaper", {"side": facts.cheaper, "ratio": facts.price_ratio}))
    if a.context_window_tokens is not None and b.context_window_tokens is not None:
        out.append(Question("pair_context", {"side": facts.longer_context,
                                             "ratio": facts.context_ratio}))
    for shared in facts.shared_benchmarks:
        out.append(Question("pair_benchmark", {"key": shared.key}))
    if fa.fastest_output_tokens_per_s is not None and fb.fastest_output_tokens_per_s is not None:
        out.append(Question("pair_faster", {"side": facts.faster, "ratio": facts.speed_ratio}))
    out.append(Question("pair_self_host"))
    if fa.self_hosting or fb.self_hosting:
        out.append(Question("pair_self_hosting_cost"))
    if a.fine_tuning is not None or b.fine_tuning is not None:
        out.append(Question("pair_fine_tuning"))
    if a.free_tier is not None and b.free_tier is not None:
        out.append(Question("pair_free_tier"))
    if _inputs(a) and _inputs(b):
        out.append(Question("pair_inputs"))
    return tuple(out)


def _better(x: float, y: float, margin: float = 0.5) -> str | None:
    if abs(x - y) < margin:
        return None
    return "a" if x > y else "b"


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Reason:
    """Why a reader would choose one side: ``kind`` picks the wording, ``facts`` fill it.

    The page adds the two models as ``me`` and ``other``, and ``keys`` (benchmarks
    the side leads on) as their rows.
    """

    kind: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    winner: str | None  # "a", "b" or None (tie or not enough data)
    dimensions_won: Mapping[str, tuple[str, ...]]  # side -> sub-scores it leads clearly
    reasons: Mapping[str, tuple[Reason, ...]]  # side -> reasons to choose it


def verdict(a: Model, b: Model, facts: PairFacts, registry: Mapping[str, Benchmark],
            sa: Scores, sb: Scores, winner: str | None) -> Verdict:
    """Who wins overall and where, and the data-backed reasons to pick each side."""
    won: dict[str, list[str]] = {"a": [], "b": []}
    for key in SCORE_KEYS:
        x, y = getattr(sa, key), getattr(sb, key)
        side = None if x is None or y is None else _better(x, y, VERDICT_MARGIN_POINTS)
        if side:
            won[side].append(key)
    reasons = {"a": _reasons(a, b, facts, registry, "a"), "b": _reasons(b, a, facts, registry, "b")}
    return Verdict(winner, {k: tuple(v) for k, v in won.items()},
                   {k: tuple(v) for k, v in reasons.items()})


def _reasons(me: Model, other: Model, facts: PairFacts, registry: Mapping[str, Benchmark],
             side: str) -> tuple[Reason, ...]:
    out = []
    if facts.cheaper == side:
        out.append(Reason("cheaper", {"ratio": facts.price_ratio}))
    if facts.longer_context == side:
        out.append(Reason("context", {"ratio": facts.context_ratio}))
    if me.open_weights and not other.open_weights:
        out.append(Reason("open_weights"))
    if me.fine_tuning and not other.fine_tuning:
        out.append(Reason("fine_tuning"))
    leads = _category_leads(facts, registry, side)
    if leads:
        out.append(Reason("benchmarks", {"side": side, "categories": tuple(leads),
                                         "keys": tuple(k for keys in leads.values() for k in keys)}))
    extra = [m for m in _inputs(me) if m not in _inputs(other)]
    if extra:
        out.append(Reason("inputs", {"inputs": tuple(extra)}))
    if facts.faster == side:
        out.append(Reason("faster", {"ratio": facts.speed_ratio}))
    if me.free_tier and other.free_tier is False:
        out.append(Reason("free_tier"))
    return tuple(out)


def _category_leads(facts: PairFacts, registry: Mapping[str, Benchmark],
                    side: str) -> dict[str, tuple[str, ...]]:
    """Benchmark categories where ``side`` leads on every shared benchmark of that category."""
    by_category: dict[str, list] = {}
    for shared in facts.shared_benchmarks:
        category = registry[shared.key].category
        if category:
            by_category.setdefault(category, []).append(shared)
    return {cat: tuple(s.key for s in rows) for cat, rows in sorted(by_category.items())
            if all(s.leader == side for s in rows)}
