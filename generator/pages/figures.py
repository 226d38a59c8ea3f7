"""Which charts a page shows: the views' numbers turned into chart inputs.

``charts`` lays charts out; this module decides what goes in them, from the
same views and scores the page's tables read, so a chart and its table always
show the same numbers (both formatted by ``formatting``).
"""

from __future__ import annotations

import math

from dataclasses import dataclass
from typing import Iterable, Mapping

from generator.pages.charts import (BarChart, BarInput, PointInput, Scatter, bar_chart, even_ticks,
                              nice_ceiling, scatter_chart)
from generator.pages.formatting import bench, number, usd
from generator.load.schema import SCORE_KEYS
from generator.compute.scoring import Scores
from generator.pages.views import ModelView, PairView

DIMENSION_LABELS = {"quality": "Quality", "cost": "Cost", "speed": "Speed",
                    "context": "Context", "openness": "Openness"}
NO_DATA = "no data"
NO_PRICE = "no API price"


@dataclass(frozen=True)
class CompareFigures:
    """The charts of one comparison page; each is None when there is nothing to draw."""

    benchmarks: BarChart | None
    scores: BarChart | None
    prices: BarChart | None


def compare_figures(pair: PairView, sa: Scores, sb: Scores,
                    dimensions: Iterable[str] = SCORE_KEYS) -> CompareFigures:
    names = (pair.a.name, pair.b.name)
    return CompareFigures(benchmark_chart(pair, names), score_chart(sa, sb, names, dimensions),
                          price_chart(pair.a, pair.b, names))


def benchmark_chart(pair: PairView, names: tuple[str, str]) -> BarChart | None:
    """The benchmarks both models report, bars scaled to each benchmark's maximum."""
    rows = [BarInput(row.benchmark.name if row.benchmark.higher_is_better
                     else f"{row.benchmark.name} (lower is better)",
                     (row.a.score, row.b.score),
                     (bench(row.a.score, row.benchmark.scale_max),
                      bench(row.b.score, row.benchmark.scale_max)), row.benchmark.scale_max)
            for row in pair.benchmarks]
    scales = {row.scale_max for row in rows}
    if len(scales) == 1 and max(scales) > 1:  # exact ticks: 0, 25, 50, 75, 100 (or 2.5 on 0..10)
        ticks = even_ticks(scales.pop(), lambda v: number(v, 3))
    else:  # 0..1 or mixed scales: the axis reads as a share of each benchmark's maximum
        ticks = even_ticks(1.0, lambda v: f"{number(v * 100, 0)}%")
    return bar_chart(names, rows, ticks)


def score_chart(sa: Scores, sb: Scores, names: tuple[str, str],
                dimensions: Iterable[str] = SCORE_KEYS) -> BarChart | None:
    """Sub-scores (0..100) of the dimensions this build scores, side by side."""
    rows = []
    for key in (k for k in SCORE_KEYS if k in set(dimensions)):
        values = (getattr(sa, key), getattr(sb, key))
        rows.append(BarInput(DIMENSION_LABELS[key], values,
                             tuple(NO_DATA if v is None else number(v, 0) for v in values), 100.0,
                             key))
    return bar_chart(names, rows, even_ticks(100.0, lambda v: number(v, 0)), missing_text=NO_DATA)


def price_chart(a: ModelView, b: ModelView, names: tuple[str, str]) -> BarChart | None:
    """Input and output price per million tokens of each model's cheapest offer."""
    offers = [m.cheapest.offer if m.cheapest else None for m in (a, b)]
    rows = []
    for label, field in (("Input", "input_usd_per_mtok"), ("Output", "output_usd_per_mtok")):
        values = tuple(None if o is None else getattr(o, field) for o in offers)
        rows.append(BarInput(label, values,
                             tuple(NO_PRICE if v is None else usd(v) for v in values), 0.0))
    top = nice_ceiling(max((v for row in rows for v in row.values if v is not None), default=0.0))
    rows = [BarInput(r.label, r.values, r.texts, top) for r in rows]
    # the origin reads "0", not "$0", so that no "$0" on the page looks like a price
    return bar_chart(names, rows, even_ticks(top, lambda v: usd(v) if v else "0"),
                     missing_text=NO_PRICE)


@dataclass(frozen=True)
class PriceQuality:
    """The index's scatter, laid out for wide screens and for phones."""

    wide: Scatter
    narrow: Scatter
    left_out: tuple[str, ...]  # names of models without a price or a quality score
    off_scale: tuple[PointInput, ...] = ()  # prices far from all others: in the table, not drawn


NARROW = (400.0, 560.0)  # viewBox of the phone layout: narrower and taller, same text size


def price_quality_chart(models: Iterable[ModelView],
                        scores: Mapping[str, Scores]) -> PriceQuality | None:
    """Every model with a (non-zero) blended price and a quality score; price on a log axis."""
    ordered = sorted(models, key=lambda m: m.slug)
    every = [PointInput(m.name, m.blended_usd_per_mtok, scores[m.slug].quality, m.url)
             for m in ordered if m.blended_usd_per_mtok and scores[m.slug].quality is not None]
    off_scale = tuple(_off_scale(every))
    points = [p for p in every if p not in off_scale]
    wide = scatter_chart(points, usd)
    narrow = scatter_chart(points, usd, width=NARROW[0], height=NARROW[1])
    if wide is None or narrow is None:
        return None
    shown = {p.key for p in every}
    return PriceQuality(wide, narrow, tuple(sorted((m.name for m in ordered if m.url not in shown),
                                                   key=str.casefold)), off_scale)


OFF_SCALE_DECADES = 2.5  # a price this many powers of ten (316×) from the median crushes the axis


def _off_scale(points: list[PointInput]) -> list[PointInput]:
    """Prices more than about 316 times from the median price: drawn, they squeeze all others."""
    if len(points) < 5:
        return []
    logs = sorted(math.log10(p.x) for p in points)
    median = logs[len(logs) // 2] if len(logs) % 2 else (logs[len(logs) // 2 - 1] + logs[len(logs) // 2]) / 2
    return [p for p in points if abs(math.log10(p.x) - median) > OFF_SCALE_DECADES]
