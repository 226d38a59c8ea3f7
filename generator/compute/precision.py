"""The precision a benchmark's scores are shown at, and so compared at.

A benchmark on 0..1 reads as a percentage with one decimal (0.946 -> 94.6%), one on
0..100 with one decimal (86.0), one on 0..10 with two (8.25), one on 0..3000 in whole
points: always a thousandth of the scale or finer. Two results equal as shown are
a tie everywhere (no ✓, no "leads", no "higher"), so a page never claims a lead a
reader cannot see.
"""

from __future__ import annotations

import math

STEPS = 1000  # a shown value resolves at least 1/STEPS of the benchmark's scale


def as_percent(scale_max: float) -> bool:
    """Scores on 0..1 (or a smaller scale) read as percentages."""
    return scale_max <= 1


def decimals(scale_max: float) -> int:
    """Digits after the point: 1 for 0..1 as a percentage and for 0..100, 2 for 0..10."""
    if as_percent(scale_max):
        return max(1, math.ceil(-math.log10(scale_max * 100 / STEPS)))
    return max(0, math.ceil(-math.log10(scale_max / STEPS)))


def steps(score: float, scale_max: float) -> int:
    """The score as a whole number of the smallest steps shown (what comparisons use)."""
    shown = score / scale_max * 100 if as_percent(scale_max) else score
    return round(shown * 10 ** decimals(scale_max))


def score_text(score: float, scale_max: float) -> str:
    """The score as shown: ``94.6%``, ``86.0``, ``8.25``, ``1,250``."""
    digits = decimals(scale_max)
    value = steps(score, scale_max) / 10 ** digits
    text = f"{value:,.{digits}f}"
    return f"{text}%" if as_percent(scale_max) else text


def same_as_shown(x: float, y: float, scale_max: float) -> bool:
    return steps(x, scale_max) == steps(y, scale_max)
