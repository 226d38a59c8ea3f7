"""Chart geometry: bars proportional to values, axes that cover the data, no mark for missing data."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pages.charts import (BarInput, PointInput, bar_chart, even_ticks, frontier,
                              nice_ceiling, scatter_chart, text_width)
from generator.pages.formatting import number, usd


def row(label: str, *values: float | None, scale_max: float = 100.0) -> BarInput:
    return BarInput(label, tuple(values), tuple("no data" if v is None else number(v) for v in values),
                    scale_max, key=label.lower())


TICKS = even_ticks(100.0, number)


def test_bar_lengths_are_proportional_to_values() -> None:
    chart = bar_chart(["A", "B"], [row("MMLU", 80.0, 40.0), row("GPQA", 20.0, 100.0)], TICKS)
    assert chart is not None
    plot = chart.plot_right - chart.plot_left
    bars = [bar for r in chart.rows for bar in r.bars]
    assert [b.value for b in bars] == [80.0, 40.0, 20.0, 100.0]
    for bar in bars:
        assert bar.width == pytest.approx(plot * bar.value / 100, abs=0.2)
        assert bar.x == chart.plot_left
    first, second = chart.rows[0].bars
    assert first.width == pytest.approx(2 * second.width, abs=0.2)


def test_each_row_scales_to_its_own_maximum() -> None:
    chart = bar_chart(["A", "B"], [row("Out of 10", 5.0, 10.0, scale_max=10.0),
                                   row("Out of 100", 50.0, 100.0)], TICKS)
    (a10, b10), (a100, b100) = (r.bars for r in chart.rows)
    assert a10.width == a100.width and b10.width == b100.width == chart.plot_right


def test_a_missing_value_gets_a_label_and_no_bar() -> None:
    chart = bar_chart(["A", "B"], [row("Quality", 80.0, None), row("Cost", None, 30.0)], TICKS)
    quality, cost = chart.rows
    assert [b.series for b in quality.bars] == [1] and [m.series for m in quality.missing] == [2]
    assert [b.series for b in cost.bars] == [2] and [m.series for m in cost.missing] == [1]
    assert quality.missing[0].text == "no data"
    assert quality.texts == ("80", "no data")  # what the table beside the chart shows


def test_no_chart_without_any_data() -> None:
    assert bar_chart(["A", "B"], [row("Quality", None, None)], TICKS) is None
    assert bar_chart(["A", "B"], [], TICKS) is None


def test_rows_bars_and_axis_stack_without_overlapping() -> None:
    chart = bar_chart(["A", "B"], [row("One", 10.0, 20.0), row("Two", 30.0, 40.0),
                                   row("Three", 50.0, None)], TICKS)
    tops = []
    for r in chart.rows:
        tops.append(r.label_y)
        marks = sorted([b.y for b in r.bars] + [m.y - 11 for m in r.missing])
        assert all(y > r.label_y for y in marks)
        tops.extend(marks)
    assert tops == sorted(tops)
    assert chart.legend[-1].y < chart.grid_top <= chart.rows[0].label_y - 13 + 0.1
    assert all(t.y > chart.grid_bottom for t in chart.ticks) and chart.height > chart.ticks[0].y
    assert [t.text for t in chart.ticks] == ["0", "25", "50", "75", "100"]
    assert [t.x for t in chart.ticks] == sorted(t.x for t in chart.ticks)
    assert chart.ticks[0].x == chart.plot_left and chart.ticks[-1].x == chart.plot_right


def test_value_labels_fit_inside_the_chart() -> None:
    chart = bar_chart(["A", "B"], [row("x", 100.0, 99.5)], TICKS)
    for bar in chart.rows[0].bars:
        assert bar.text_x > bar.x + bar.width
        assert bar.text_x + text_width(bar.text) <= chart.width


def test_a_long_legend_wraps_onto_a_second_line() -> None:
    chart = bar_chart(["A very long model name indeed, 70B Instruct",
                       "Another very long model name, 405B Instruct"], [row("x", 1.0, 2.0)], TICKS)
    first, second = chart.legend
    assert second.x == first.x == 0 and second.y > first.y


@pytest.mark.parametrize("value, expected", [(0.88, 1), (2.5, 2.5), (10.0, 10), (11, 20),
                                             (0.042, 0.05), (3.1, 5), (0, 1)])
def test_nice_ceiling(value: float, expected: float) -> None:
    assert nice_ceiling(value) == pytest.approx(expected)


def test_even_ticks_run_from_zero_to_the_maximum() -> None:
    assert even_ticks(10.0, usd) == [(0.0, "$0"), (0.25, "$2.50"), (0.5, "$5.00"),
                                     (0.75, "$7.50"), (1.0, "$10.00")]


@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 1000)), min_size=1, max_size=8))
def test_bars_never_leave_the_plot(values: list[tuple[float, float]]) -> None:
    top = nice_ceiling(max(max(v) for v in values))
    rows = [BarInput(f"r{i}", v, (usd(v[0]), usd(v[1])), top) for i, v in enumerate(values)]
    chart = bar_chart(["A", "B"], rows, even_ticks(top, usd))
    for r in chart.rows:
        for bar in r.bars:
            assert chart.plot_left <= bar.x and bar.x + bar.width <= chart.plot_right + 0.1
            assert 0 < bar.y and bar.y + bar.height < chart.grid_bottom


# --------------------------------------------------------------------------- scatter


POINTS = [PointInput("Cheap", 0.05, 55.0, "cheap"), PointInput("Mid", 0.5, 75.0, "mid"),
          PointInput("Dear", 5.0, 85.0, "dear")]


def test_scatter_puts_price_on_a_log_axis_and_quality_upwards() -> None:
    chart = scatter_chart(POINTS, usd)
    cheap, dear, mid = chart.points  # sorted by label
    assert (cheap.label, mid.label, dear.label) == ("Cheap", "Mid", "Dear")
    # equal price ratios are equal distances on a log axis
    assert mid.cx - cheap.cx == pytest.approx(dear.cx - mid.cx, abs=0.2)
    assert cheap.cx < mid.cx < dear.cx
    assert cheap.cy > mid.cy > dear.cy  # SVG y grows downwards: higher quality sits higher
    for p in chart.points:
        assert chart.left <= p.cx <= chart.right and chart.top <= p.cy <= chart.bottom


def test_scatter_axes_cover_the_data() -> None:
    chart = scatter_chart(POINTS, usd)
    x_texts = [t.text for t in chart.x_ticks]
    assert "$0.05" in x_texts and "$5.00" in x_texts and "$0.50" in x_texts
    assert [t.x for t in chart.x_ticks] == sorted(t.x for t in chart.x_ticks)
    y_values = [float(t.text) for t in chart.y_ticks]
    assert y_values[0] <= 55 and y_values[-1] >= 85
    assert chart.y_ticks[0].y == chart.bottom and chart.y_ticks[-1].y == chart.top
    assert chart.x_range == (0.05, 5.0) and chart.y_range == (55.0, 85.0)


def test_scatter_labels_do_not_overlap_each_other_or_leave_the_plot() -> None:
    crowded = [PointInput(f"Model number {i}", 0.3 + i * 0.02, 70 + (i % 3), str(i)) for i in range(6)]
    chart = scatter_chart(crowded + POINTS, usd)
    boxes = []
    for p in chart.points:
        w = text_width(p.label, 12)
        x0 = p.text_x if p.anchor == "start" else p.text_x - w if p.anchor == "end" else p.text_x - w / 2
        boxes.append((x0, p.text_y - 10, x0 + w, p.text_y + 2))
        assert chart.left - 0.1 <= x0 and x0 + w <= chart.right + 0.1, p.label
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])]
    assert overlaps == []


def test_scatter_draws_nothing_for_missing_or_zero_prices() -> None:
    assert scatter_chart([], usd) is None
    assert scatter_chart([PointInput("Free", 0.0, 70.0)], usd) is None
    chart = scatter_chart([PointInput("Free", 0.0, 70.0), PointInput("Paid", 1.0, math.nan),
                           PointInput("Real", 1.0, 70.0)], usd)
    assert [p.label for p in chart.points] == ["Real"]


def test_scatter_of_one_point_has_sane_axes() -> None:
    chart = scatter_chart([PointInput("Only", 1.0, 70.0)], usd)
    (point,) = chart.points
    assert chart.left < point.cx < chart.right and chart.top < point.cy < chart.bottom
    assert len(chart.x_ticks) >= 2 and len(chart.y_ticks) >= 2


def test_the_same_points_give_the_same_chart() -> None:
    assert scatter_chart(POINTS, usd) == scatter_chart(list(reversed(POINTS)), usd)


def test_a_crowded_scatter_labels_only_the_frontier() -> None:
    many = [PointInput(f"Model {i}", 0.1 + i * 0.05, 50 + (i * 7) % 40, str(i)) for i in range(40)]
    chart = scatter_chart(many, usd)
    labelled = {p.label for p in chart.points if p.labelled}
    assert labelled == {p.label for p in frontier(many)} and 0 < len(labelled) < 40
    assert len(chart.points) == 40 and not chart.all_labelled
    # nobody beats a labelled point on both price and quality
    for p in chart.points:
        if p.labelled:
            assert not any(q.x_value <= p.x_value and q.y_value > p.y_value for q in chart.points)
    assert scatter_chart(POINTS, usd).all_labelled


def test_frontier_keeps_the_cheapest_point_for_each_level_of_quality() -> None:
    points = [PointInput("a", 1.0, 50.0), PointInput("b", 2.0, 60.0), PointInput("c", 3.0, 55.0),
              PointInput("d", 0.5, 40.0), PointInput("e", 2.0, 58.0)]
    assert [p.label for p in frontier(points)] == ["d", "a", "b"]


# --------------------------------------------------------------------------- SVG markup

_REFERENCE = None


def _reference_bars():  # type: ignore[no-untyped-def]
    """The bar chart macro as the theme first wrote it in Jinja (tests/templates/)."""
    global _REFERENCE
    if _REFERENCE is None:
        from pathlib import Path

        from generator.render.renderer import make_environment

        env = make_environment(Path(__file__).parent / "templates")
        _REFERENCE = env.get_template("charts_reference.html").module.bars
    return _REFERENCE


labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@settings(deadline=None)  # the first example compiles the reference template
@given(rows=st.lists(st.tuples(labels, st.one_of(st.none(), st.floats(0, 150)),
                               st.one_of(st.none(), st.floats(0, 150))), min_size=1, max_size=6),
       names=st.tuples(labels, labels), title=labels, desc=labels)
def test_python_bar_chart_markup_equals_the_jinja_macro(rows, names, title, desc) -> None:  # type: ignore[no-untyped-def]
    from generator.render.svg import bar_chart_svg

    chart = bar_chart(list(names), [row(label or "x", a, b) for label, a, b in rows], TICKS)
    if chart is None:
        return
    assert str(bar_chart_svg(chart, "c-1", title, desc)) == str(
        _reference_bars()(chart, "c-1", title, desc))


def test_chart_markup_escapes_every_text() -> None:
    from generator.render.svg import bar_chart_svg

    chart = bar_chart(["<A&B>", '"B"'], [row("<script>", 50.0, None)], TICKS)
    svg = str(bar_chart_svg(chart, "x", "<t>", "d&d"))
    assert "<script>" not in svg and "&lt;A&amp;B&gt;" in svg and "&#34;B&#34;" in svg
    assert "<title id=\"x-title\">&lt;t&gt;</title>" in svg
