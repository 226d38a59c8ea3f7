"""The theme's bar charts written out as inline SVG, in Python.

``partials/charts.html`` defines the ``bars`` macro that pages call; in the
built-in theme it hands the chart to ``bar_chart_svg`` here. The markup is
exactly what the equivalent Jinja macro writes (``tests/templates/charts_reference.html``
keeps that macro, and ``tests/test_charts.py`` compares the two byte for byte),
but a comparison page draws three bar charts with some two hundred attributes,
and writing them here costs a tenth of what the macro costs: at 300 models that
is most of a minute of rendering. A project that wants other markup overrides
``partials/charts.html`` and writes its own ``bars`` macro.
"""

from __future__ import annotations

from markupsafe import Markup

from generator.pages.charts import BarChart
from generator.render.engine import escape


def bar_chart_svg(chart: BarChart, id: str, title: str, desc: str) -> Markup:
    """The ``<svg>`` of a bar chart; ``id`` prefixes the title and description ids."""
    out = [
        f'<svg class="chart chart-bars" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="{chart.width}" height="{chart.height}" role="img" '
        f'aria-labelledby="{escape(id)}-title {escape(id)}-desc">\n'
        f'<title id="{escape(id)}-title">{escape(title)}</title>\n'
        f'<desc id="{escape(id)}-desc">{escape(desc)}</desc>\n\n<g class="legend">\n'
    ]
    swatch = chart.swatch
    for item in chart.legend:
        out.append(f'<rect class="s{item.series}" x="{item.x}" y="{item.y}" width="{swatch}" '
                   f'height="{swatch}" rx="2"/><text x="{item.text_x}" y="{item.text_y}">'
                   f'{escape(item.name)}</text>\n')
    out.append('</g>\n<g class="grid">\n')
    for t in chart.ticks:
        out.append(f'<line x1="{t.x}" x2="{t.x}" y1="{chart.grid_top}" y2="{chart.grid_bottom}"/>\n')
    out.append('</g>\n<g class="axis">\n')
    for t in chart.ticks:
        out.append(f'<text x="{t.x}" y="{t.y}" text-anchor="{escape(t.anchor)}">'
                   f'{escape(t.text)}</text>\n')
    out.append('</g>\n')
    for row in chart.rows:
        out.append(f'<g class="row">\n<text class="label" x="0" y="{row.label_y}">'
                   f'{escape(row.label)}</text>\n')
        for bar in row.bars:
            out.append(f'<rect class="s{bar.series}" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
                       f'height="{bar.height}" rx="2"/><text class="value" x="{bar.text_x}" '
                       f'y="{bar.text_y}">{escape(bar.text)}</text>\n')
        for gap in row.missing:
            out.append(f'<text class="missing" x="{gap.x}" y="{gap.y}">{escape(gap.text)}</text>\n')
        out.append('</g>\n')
    out.append('</svg>\n')
    return Markup("".join(out))
