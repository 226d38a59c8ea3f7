"""The templates' faster escape gives MarkupSafe's text for every kind of value."""

from __future__ import annotations

import math

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from generator.render.engine import Template, escape, markup
from generator.render.renderer import make_environment


class Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class Text(str):
    pass


class Number(int):
    def __str__(self) -> str:
        return "<7>"


VALUES = ["", "plain", "<script>alert('x')</script>", 'a "quoted" & <tagged> \'value\'', "é ✓ —",
          Markup("<em>kept</em>"), Markup("&amp; already"), 0, -3, 10**30, True, False, None,
          0.5, -0.0, 1e-7, 1e22, math.inf, -math.inf, math.nan, Html(), Text("<x>"), Number(7),
          ["<a>", 1], ("<t>",), {"k": "<v>"}, b"<bytes>"]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:30] for v in VALUES])
def test_same_text_and_type_as_markupsafe(value: object) -> None:
    ours, theirs = escape(value), markupsafe.escape(value)
    assert type(ours) is Markup
    assert str(ours) == str(theirs)


def test_markup_is_returned_as_it_is() -> None:
    value = Markup("<p>fragment</p>")
    assert escape(value) is value


def test_environment_templates_escape_through_it() -> None:
    env = make_environment(None)
    assert env.template_class is Template
    assert type(env.from_string('').globals) is dict
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}")
    assert template.render(a="<i>", b=Markup("<i>"), c=2.5, d=None) == "&lt;i&gt;|<i>|2.5|None"
    assert template.root_render_func.__globals__["escape"] is escape


def test_a_plain_environment_is_untouched() -> None:
    # The shortcut is installed per environment, never into Jinja's own runtime.
    template = jinja2.Environment(autoescape=True).from_string("{{ a }}")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:30] for v in VALUES])
def test_markup_same_as_markupsafe(value: object) -> None:
    ours, theirs = markup(value), Markup(value)
    assert type(ours) is Markup and str(ours) == str(theirs)


def test_set_blocks_and_macros_make_markup() -> None:
    env = make_environment(None)
    template = env.from_string("{% set x %}<b>{{ a }}</b>{% endset %}{% macro m() %}<i>{% endmacro %}"
                               "{{ x }}{{ m() }}{{ '<u>'|safe }}{{ x|length }}")
    assert template.render(a="&") == "<b>&amp;</b><i><u>12"
