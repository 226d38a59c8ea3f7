"""Computed questions and verdicts: which questions the data answers, and with what.

This module decides *which* questions apply and gathers the typed facts that
answer them; the wording lives in the ``faq.html`` and ``partials/verdict.html``
templates, so a project can tune or translate it by overriding those files. A
question appears only when the data answers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from generator.compute.derive import PairFacts
from generator.compute.scoring import SCORE_KEYS, Scores
from generator.pages.views import ModelView, PairView

# A sub-score lead smaller than this reads as a tie in verdicts.
VERDICT_MARGIN_POINTS = 5.0
# Single-GPU memory classes for "can I run it on one GPU?" (GB): consumer, workstation, data centre.
GPU_CLASSES_GB = ((24, "a 24 GB consumer GPU (RTX 4090 class)"),
                  (48, "a 48 GB workstation GPU (L40S, RTX 6000 Ada)"),
                  (80, "an 80 GB data-centre GPU (H100, A100 80GB)"),
                  (141, "a 141 GB H200"))


@dataclass(frozen=True)
class Question:
    """One computed question: ``kind`` picks the wording macros, ``facts`` fill them in."""

    kind: str
    facts: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- models


def model_questions(m: ModelView, scores: Scores) -> tuple[Question, ...]:
    """The questions one model's data answers, most searched first."""
    out: list[Question] = []
    if m.cheapest is not None:
        out.append(Question("model_price", {"m": m}))
    if scores.overall is not None:
        out.append(Question("model_score", {"m": m, "s": scores}))
    if m.benchmarks:
        out.append(Question("model_benchmarks", {"m": m}))
    if m.context_window_tokens is not None:
        out.append(Question("model_context", {"m": m}))
    out.append(Question("model_download", {"m": m}))
    if m.open_weights and m.vram is not None:
        out.append(Question("model_one_gpu", {"m": m, "gpu": single_gpu(m.vram.int4),
                                              "gpu16": single_gpu(m.vram.fp16)}))
    if m.self_hosting:
        out.append(Question("model_self_hosting", {"m": m}))
    if m.fine_tuning is not None:
        out.append(Question("model_fine_tuning", {"m": m}))
    if m.free_tier is not None:
        out.append(Question("model_free_tier", {"m": m}))
    if m.input_modalities:
        out.append(Question("model_inputs", {"m": m}))
    if m.speed:
        out.append(Question("model_speed", {"m": m}))
    return tuple(out)


def single_gpu(weights_gb: float) -> str | None:
    """The smallest common single GPU whose memory holds ``weights_gb`` (with 10% headroom)."""
    for size_gb, label in GPU_CLASSES_GB:
        if weights_gb * 1.1 <= size_gb:
            return label
    return None


# --------------------------------------------------------------------------- pairs


def pair_questions(pair: PairView, sa: Scores, sb: Scores) -> tuple[Question, ...]:
    """The questions a comparison's data answers."""
    a, b, facts = pair.a, pair.b, pair.facts
    out: list[Question] = []
    if sa.quality is not None and sb.quality is not None:
        out.append(Question("pair_as_good", {"pair": pair, "sa": sa, "sb": sb,
                                             "better": _better(sa.quality, sb.quality)}))
    if a.blended_usd_per_mtok is not None and b.blended_usd_per_mtok is not None:
        out.append(Question("pair_cheaper", {"pair": pair, "side": facts.cheaper,
                                             "ratio": facts.price_ratio}))
    if a.context_window_tokens is not None and b.context_window_tokens is not None:
        out.append(Question("pair_context", {"pair": pair, "side": facts.longer_context,
                                             "ratio": facts.context_ratio}))
    for row in pair.benchmarks:
        out.append(Question("pair_benchmark", {"pair": pair, "row": row}))
    if a.fastest_output_tokens_per_s is not None and b.fastest_output_tokens_per_s is not None:
        out.append(Question("pair_faster", {"pair": pair, "side": facts.faster,
                                            "ratio": facts.speed_ratio}))
    out.append(Question("pair_self_host", {"pair": pair}))
    if a.self_hosting or b.self_hosting:
        out.append(Question("pair_self_hosting_cost", {"pair": pair}))
    if a.fine_tuning is not None or b.fine_tuning is not None:
        out.append(Question("pair_fine_tuning", {"pair": pair}))
    if a.free_tier is not None and b.free_tier is not None:
        out.append(Question("pair_free_tier", {"pair": pair}))
    if a.input_modalities and b.input_modalities:
        out.append(Question("pair_inputs", {"pair": pair}))
    return tuple(out)


def _better(x: float, y: float, margin: float = 0.5) -> str | None:
    if abs(x - y) < margin:
        return None
    return "a" if x > y else "b"


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Reason:
    """Why a reader would choose one side: ``kind`` picks the wording, ``facts`` fill it."""

    kind: str
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    winner: str | None  # "a", "b" or None (tie or not enough data)
    dimensions_won: Mapping[str, tuple[str, ...]]  # side -> sub-scores it leads clearly
    reasons: Mapping[str, tuple[Reason, ...]]  # side -> reasons to choose it


def verdict(pair: PairView, sa: Scores, sb: Scores, winner: str | None) -> Verdict:
    """Who wins overall and where, and the data-backed reasons to pick each side."""
    won: dict[str, list[str]] = {"a": [], "b": []}
    for key in SCORE_KEYS:
        x, y = getattr(sa, key), getattr(sb, key)
        side = None if x is None or y is None else _better(x, y, VERDICT_MARGIN_POINTS)
        if side:
            won[side].append(key)
    reasons = {"a": list(_reasons(pair, "a")), "b": list(_reasons(pair, "b"))}
    return Verdict(winner, {k: tuple(v) for k, v in won.items()},
                   {k: tuple(v) for k, v in reasons.items()})


def _reasons(pair: PairView, side: str) -> list[Reason]:
    me, other = (pair.a, pair.b) if side == "a" else (pair.b, pair.a)
    facts: PairFacts = pair.facts
    out = []
    if facts.cheaper == side:
        out.append(Reason("cheaper", {"me": me, "other": other, "ratio": facts.price_ratio}))
    if facts.longer_context == side:
        out.append(Reason("context", {"me": me, "other": other, "ratio": facts.context_ratio}))
    if me.open_weights and not other.open_weights:
        out.append(Reason("open_weights", {"me": me, "other": other}))
    if me.fine_tuning and not other.fine_tuning:
        out.append(Reason("fine_tuning", {"me": me, "other": other}))
    leads = _category_leads(pair, side)
    if leads:
        out.append(Reason("benchmarks", {"me": me, "other": other, "side": side,
                                         "categories": tuple(leads),
                                         "rows": tuple(r for rows in leads.values() for r in rows)}))
    extra = [m for m in me.input_modalities if m not in other.input_modalities]
    if extra:
        out.append(Reason("inputs", {"me": me, "other": other, "inputs": tuple(extra)}))
    if facts.faster == side:
        out.append(Reason("faster", {"me": me, "other": other, "ratio": facts.speed_ratio}))
    if me.free_tier and other.free_tier is False:
        out.append(Reason("free_tier", {"me": me, "other": other}))
    return out


def _category_leads(pair: PairView, side: str) -> dict[str, tuple]:
    """Benchmark categories where ``side`` leads on every shared benchmark of that category."""
    by_category: dict[str, list] = {}
    for row in pair.benchmarks:
        if row.benchmark.category:
            by_category.setdefault(row.benchmark.category, []).append(row)
    return {cat: tuple(rows) for cat, rows in sorted(by_category.items())
            if all(r.leader == side for r in rows)}

