"""Charts drawn at build time: pure functions from numbers to SVG geometry.

Nothing here knows about HTML: a chart is a frozen tree of coordinates and
label texts in the units of its SVG ``viewBox``, which ``partials/charts.html``
writes out as inline ``<svg>``. Every coordinate is computed here, so templates
do no arithmetic. A value that does not exist gets no mark, only a short text
where its bar would be; a chart with no data at all is ``None`` and the page
draws nothing.

Text widths are estimated (``CHAR_EM`` of the font size per character, on the
generous side for sans-serif faces) because the build cannot measure fonts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence

FONT = 14.0  # text size in viewBox units
CHAR_EM = 0.6  # estimated average glyph width, in em
BAR_WIDTH = 420.0  # viewBox width of bar charts: text stays readable from phone to desktop
BAR_HEIGHT = 15.0
BAR_GAP = 3.0
ROW_GAP = 14.0
SWATCH = 12.0
SCATTER_WIDTH = 720.0
SCATTER_HEIGHT = 420.0
POINT_RADIUS = 5.0


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of ``text`` at ``size``: enough room, never a measurement."""
    return len(text) * size * CHAR_EM


def _r(value: float) -> float:
    """Coordinates to one decimal: stable output, no float noise in the markup."""
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


# --------------------------------------------------------------------------- bar charts


class BarInput(NamedTuple):
    """One row of a bar chart: a label and one value per series (None: no data)."""

    label: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]  # each value as the page writes it
    scale_max: float  # the value that fills the plot's width
    key: str = ""  # what the row stands for, carried through for tables


class LegendItem(NamedTuple):
    series: int  # 1-based, names the CSS class (s1, s2)
    name: str
    x: float
    y: float
    text_x: float
    text_y: float


class Bar(NamedTuple):
    series: int
    value: float
    x: float
    y: float
    width: float
    height: float
    text: str
    text_x: float
    text_y: float


class NoData(NamedTuple):
    """Where a bar would be if the value existed: a text, no mark."""

    series: int
    text: str
    x: float
    y: float


class BarRow(NamedTuple):
    label: str
    key: str
    texts: tuple[str, ...]  # every series' value as written, for the table beside the chart
    label_y: float
    bars: tuple[Bar, ...]
    missing: tuple[NoData, ...]


class Tick(NamedTuple):
    """An axis label at (x, y); its gridline runs through x (x axis) or y (y axis)."""

    text: str
    x: float
    y: float
    anchor: str = "middle"


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars grouped by row, one bar per series, on a shared axis."""

    width: float
    height: float
    legend: tuple[LegendItem, ...]
    rows: tuple[BarRow, ...]
    ticks: tuple[Tick, ...]
    grid_top: float
    grid_bottom: float
    plot_left: float
    plot_right: float

    swatch: float = SWATCH


def bar_chart(series: Sequence[str], rows: Sequence[BarInput],
              ticks: Sequence[tuple[float, str]], *, missing_text: str = "no data",
              width: float = BAR_WIDTH) -> BarChart | None:
    """Lay out grouped horizontal bars; ``ticks`` are (fraction of the scale, text).

    Bars are proportional to ``value / scale_max`` of their row. A chart where
    no row has any value is None.
    """
    if not rows or all(v is None for row in rows for v in row.values):
        return None
    legend, y = _legend(series, width)
    y += ROW_GAP
    # room on the right for the longest value label, but never more than 40% of the chart
    reserve = min(max([text_width(t) for row in rows for t in row.texts]
                      + [text_width(missing_text)]), width * 0.4)
    plot_left, plot_right = 0.0, width - reserve - 8.0
    plot_width = plot_right - plot_left
    grid_top = y
    laid_out = []
    for row in rows:
        label_y = y + FONT
        y = label_y + 6.0
        bars, missing = [], []
        for index, (value, text) in enumerate(zip(row.values, row.texts), start=1):
            if value is None:
                missing.append(NoData(index, text, _r(plot_left + 2), _r(y + BAR_HEIGHT - 3)))
            else:
                share = min(max(value / row.scale_max, 0.0), 1.0) if row.scale_max > 0 else 0.0
                length = plot_width * share
                bars.append(Bar(index, value, _r(plot_left), _r(y), _r(length), BAR_HEIGHT, text,
                                _r(plot_left + length + 5), _r(y + BAR_HEIGHT - 3)))
            y += BAR_HEIGHT + BAR_GAP
        laid_out.append(BarRow(row.label, row.key, row.texts, _r(label_y), tuple(bars),
                               tuple(missing)))
        y += ROW_GAP - BAR_GAP
    grid_bottom = y - ROW_GAP + 4
    tick_marks = tuple(Tick(text, _r(plot_left + plot_width * fraction), _r(grid_bottom + FONT + 4),
                            "start" if fraction == 0 else "middle")
                       for fraction, text in ticks)
    return BarChart(width, _r(grid_bottom + FONT + 10), legend, tuple(laid_out), tick_marks,
                    _r(grid_top), _r(grid_bottom), plot_left, _r(plot_right))


def _legend(series: Sequence[str], width: float) -> tuple[tuple[LegendItem, ...], float]:
    """Swatches with names, side by side, wrapping to a new line when they do not fit."""
    items, x, y = [], 0.0, 0.0
    for index, name in enumerate(series, start=1):
        item_width = SWATCH + 6 + text_width(name) + 20
        if x > 0 and x + item_width > width:
            x, y = 0.0, y + FONT + 8
        items.append(LegendItem(index, name, _r(x), _r(y + 1), _r(x + SWATCH + 6), _r(y + FONT - 1)))
        x += item_width
    return tuple(items), y + FONT


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value``: a readable axis end."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def even_ticks(maximum: float, fmt: Callable[[float], str], count: int = 4) -> list[tuple[float, str]]:
    """``count + 1`` evenly spaced ticks from 0 to ``maximum``, as (fraction, text)."""
    return [(i / count, fmt(maximum * i / count)) for i in range(count + 1)]


# --------------------------------------------------------------------------- scatter


@dataclass(frozen=True)
class PointInput:
    label: str
    x: float  # must be > 0: the x axis is logarithmic
    y: float
    key: str = ""  # what the point stands for (a URL or slug), carried through for tables


@dataclass(frozen=True)
class Point:
    label: str
    key: str
    x_value: float
    y_value: float
    cx: float
    cy: float
    text_x: float
    text_y: float
    anchor: str  # SVG text-anchor: start, middle or end
    leader: tuple[float, float, float, float] | None  # point to label, when the label is set apart
    labelled: bool = True


@dataclass(frozen=True)
class Scatter:
    """Points on a log-scale x axis and a linear y axis, each with its label."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[Point, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    x_range: tuple[float, float]  # the data's extent, for descriptions
    y_range: tuple[float, float]
    x_title_y: float  # baseline of the x axis title, right-aligned under the plot
    y_title_y: float  # baseline of the y axis title, above the plot at the left
    radius: float = POINT_RADIUS

    @property
    def all_labelled(self) -> bool:
        return all(p.labelled for p in self.points)


_MARGIN = {"left": 44.0, "right": 12.0, "top": 30.0, "bottom": 40.0}
# Beyond this many points only the frontier is labelled: more labels could not be read, and
# placing them costs time quadratic in their number.
LABEL_LIMIT = 30


def scatter_chart(points: Sequence[PointInput], x_format: Callable[[float], str],
                  *, width: float = SCATTER_WIDTH, height: float = SCATTER_HEIGHT) -> Scatter | None:
    """Lay out a labelled scatter plot; None when there is no point to draw."""
    points = [p for p in points if p.x > 0 and math.isfinite(p.x) and math.isfinite(p.y)]
    if not points:
        return None
    left, top = _MARGIN["left"], _MARGIN["top"]
    right, bottom = width - _MARGIN["right"], height - _MARGIN["bottom"]
    lo_x, hi_x = _log_domain([p.x for p in points])
    lo_y, hi_y, y_step = _linear_domain([p.y for p in points])

    def sx(value: float) -> float:
        return left + (math.log10(value) - lo_x) / (hi_x - lo_x) * (right - left)

    def sy(value: float) -> float:
        return bottom - (value - lo_y) / (hi_y - lo_y) * (bottom - top)

    x_ticks = tuple(Tick(x_format(v), _r(sx(v)), _r(bottom + FONT + 6)) for v in _log_ticks(lo_x, hi_x))
    y_ticks = tuple(Tick(_plain(v), _r(left - 6), _r(sy(v)), "end")
                    for v in _frange(lo_y, hi_y, y_step))
    ordered = sorted(points, key=lambda p: (-p.y, p.x, p.label))
    centres = [(sx(p.x), sy(p.y)) for p in ordered]
    chosen = set(map(id, frontier(points) if len(points) > LABEL_LIMIT else points))
    labelled = [(p, c) for p, c in zip(ordered, centres) if id(p) in chosen]
    placed = dict(zip(map(id, (p for p, _ in labelled)), _place_labels(
        [p for p, _ in labelled], [c for _, c in labelled], (left, top, right, bottom), centres)))
    drawn = tuple(Point(p.label, p.key, p.x, p.y, _r(cx), _r(cy),
                        *placed.get(id(p), (_r(cx), _r(cy), "start", None)), id(p) in placed)
                  for p, (cx, cy) in zip(ordered, centres))
    drawn = tuple(sorted(drawn, key=lambda p: (p.label, p.x_value)))
    return Scatter(width, height, left, right, top, bottom, drawn, x_ticks, y_ticks,
                   (min(p.x for p in points), max(p.x for p in points)),
                   (min(p.y for p in points), max(p.y for p in points)),
                   _r(height - 4), _r(top - 12))


def frontier(points: Sequence[PointInput]) -> list[PointInput]:
    """The points no other point beats on both axes: cheaper (lower x) and better (higher y)."""
    best_y, result = -math.inf, []
    for point in sorted(points, key=lambda p: (p.x, -p.y, p.label)):
        if point.y > best_y:
            result.append(point)
            best_y = point.y
    return result


def _log_domain(values: list[float]) -> tuple[float, float]:
    """log10 bounds a little wider than the data, at least one decade wide."""
    lo, hi = math.log10(min(values)), math.log10(max(values))
    pad = max(0.12, (hi - lo) * 0.06)
    lo, hi = lo - pad, hi + pad
    if hi - lo < 1:
        middle = (hi + lo) / 2
        lo, hi = middle - 0.5, middle + 0.5
    return lo, hi


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 values inside the log10 bounds; only powers of ten on very wide ranges."""
    steps = (1, 2, 5) if hi - lo <= 3.5 else (1,)
    ticks = []
    for power in range(math.floor(lo), math.ceil(hi) + 1):
        for step in steps:
            value = step * 10.0 ** power
            if lo <= math.log10(value) <= hi:
                ticks.append(float(f"{value:.12g}"))
    return ticks


def _linear_domain(values: list[float]) -> tuple[float, float, float]:
    """Bounds on multiples of a round step, with room above and below the data."""
    lo, hi = min(values), max(values)
    span = max(hi - lo, 1.0)
    step = 5.0 if span <= 25 else 10.0 if span <= 60 else 20.0
    lo = math.floor((lo - span * 0.08) / step) * step
    hi = math.ceil((hi + span * 0.08) / step) * step
    if hi <= lo:
        hi = lo + step
    return lo, hi, step


def _frange(lo: float, hi: float, step: float) -> list[float]:
    count = int(round((hi - lo) / step))
    return [lo + i * step for i in range(count + 1)]


def _plain(value: float) -> str:
    return f"{value:g}"


# Candidate label positions around a point: (dx, dy of the baseline, anchor).
_CANDIDATES = (
    (8, 4, "start"), (-8, 4, "end"), (0, -9, "middle"), (0, 17, "middle"),
    (8, -8, "start"), (8, 16, "start"), (-8, -8, "end"), (-8, 16, "end"),
    (8, -20, "start"), (8, 28, "start"), (-8, -20, "end"), (-8, 28, "end"),
    (0, -22, "middle"), (0, 30, "middle"), (8, -32, "start"), (8, 40, "start"),
    (-8, -32, "end"), (-8, 40, "end"),
)
LABEL_FONT = 12.0


Leader = tuple[float, float, float, float]
Placement = tuple[float, float, str, Leader | None]


def _place_labels(points: Sequence[PointInput], centres: Sequence[tuple[float, float]],
                  bounds: tuple[float, float, float, float],
                  every_centre: Sequence[tuple[float, float]]) -> list[Placement]:
    """Greedy label placement: the first candidate that overlaps nothing, else the least bad.

    Obstacles are every point drawn and every label already placed; labels must stay
    inside the plot. Labels set apart from their point get a leader line.
    """
    r = POINT_RADIUS + 1
    obstacles = [(cx - r, cy - r, cx + r, cy + r) for cx, cy in every_centre]
    result = []
    for point, (cx, cy) in zip(points, centres):
        w, h = text_width(point.label, LABEL_FONT), LABEL_FONT
        best, best_cost = None, math.inf
        for dx, dy, anchor in _CANDIDATES:
            x = cx + dx
            x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
            box = (x0, cy + dy - h + 2, x0 + w, cy + dy + 2)
            cost = _outside(box, bounds) * 1000 + sum(_overlap(box, o) for o in obstacles)
            cost += abs(dy) * 0.01  # prefer the closest of equally free places
            if cost < best_cost:
                best, best_cost = (x, cy + dy, anchor, box), cost
            if cost < 1:
                break
        x, y, anchor, box = best
        obstacles.append(box)
        leader = None
        if abs(y - cy) > 12:
            end_y = box[3] if y < cy else box[1]
            leader = (_r(cx), _r(cy + (-r if y < cy else r)), _r(min(max(cx, box[0]), box[2])),
                      _r(end_y))
        result.append((_r(x), _r(y), anchor, leader))
    return result


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: tuple[float, ...], bounds: tuple[float, float, float, float]) -> float:
    left, top, right, bottom = bounds
    return (max(0.0, left - box[0]) + max(0.0, box[2] - right)
            + max(0.0, top - box[1]) + max(0.0, box[3] - bottom))
