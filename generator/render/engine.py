"""Jinja2 tuned for thousands of pages: the same output with fewer steps per page.

**escape.** 
Autoescaping passes every ``{{ value }}`` through ``markupsafe.escape``, which
returns a *new* ``Markup`` built through ``Markup.__new__`` (a Python function)
even when the value is already ``Markup`` (a rendered fragment, a macro's
output) or a number. A comparison page does that some five hundred times, a
sixth of its rendering. Here the common cases take a shorter path with the same
result: ``Markup`` is immutable, so an already-safe value is returned as it is;
the decimal text of an ``int`` or ``float`` has nothing to escape; a ``str`` is
escaped by MarkupSafe's own C routine. Everything else goes to ``markupsafe.escape``.
``tests/test_escape.py`` holds it equal to MarkupSafe on every kind of value.

**globals.** A template's globals are a ``ChainMap`` over the environment's, in
Jinja: every render copies them into its context through ``ChainMap.__iter__``,
and every ``{% import %}`` (five a comparison page) compares their keys with
``ChainMap.__contains__``, both in Python. Here a template's globals are a plain
``dict`` taken when it is loaded, so the environment's globals must be complete
before the first template loads (``Renderer`` sets them right after making the
environment; ``tests/test_escape.py`` checks a page sees them).
"""

from __future__ import annotations

from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

try:  # MarkupSafe ≥ 3 escapes a plain str with this (C, with the speedups)
    from markupsafe import _escape_inner  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older MarkupSafe: the public function, as it is
    _escape_inner = None

_safe = str.__new__  # Markup from text known to be safe, without Markup.__new__'s checks


def escape(value: Any, /) -> Markup:
    """``markupsafe.escape(value)``, the same text, with shortcuts for the common types."""
    kind = type(value)
    if kind is Markup:
        return value
    if kind is str and _escape_inner is not None:
        return _safe(Markup, _escape_inner(value))
    if kind is int or kind is float:
        return _safe(Markup, str(value))
    return markupsafe.escape(value)


def markup(value: Any = "", *args: Any) -> Markup:
    """``Markup(value)`` as compiled templates call it (on the text of a ``{% set %}``
    block or a macro's output, mostly): a plain ``str`` becomes ``Markup`` directly."""
    if type(value) is str and not args:
        return _safe(Markup, value)
    return Markup(value, *args)


class Template(jinja2.Template):
    """A Jinja template whose compiled code escapes through ``escape`` above."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any,
                        globals: Any) -> "jinja2.Template":
        # The compiled module imports ``escape`` and ``Markup`` from jinja2.runtime into its
        # namespace, which its functions read as globals: replace them there, before any runs.
        if "escape" in namespace:
            namespace["escape"] = escape
        if "Markup" in namespace:  # only ever called, never an isinstance test, in Jinja's code
            namespace["Markup"] = markup
        return super()._from_namespace(environment, namespace, globals)


class Environment(jinja2.Environment):
    """Jinja's environment with ``Template`` above and plain-dict template globals."""

    template_class = Template

    def make_globals(self, d: Any) -> Any:  # a dict, not a ChainMap: see the module's notes
        return {**self.globals, **d} if d else dict(self.globals)
