"""Fingerprints: what the build cache keys pages on must tell apart every difference that shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from markupsafe import Markup

from generator.output.fingerprint import references, value_digest
from generator.load.schema import PriceOffer

NAMES = frozenset({"base.html", "partials/a.html", "partials/b.html"})


@dataclass(frozen=True)
class Row:
    label: str
    value: float | None


def test_values_that_render_differently_have_different_digests() -> None:
    distinct = [None, False, 0, 0.0, -0.0, "0", Markup("0"), (), [0], {"0": 0}, Row("a", 1.0),
                Row("a", None), Row("a1", None), ("a", "1"), ("a1",), dt.date(2024, 1, 2),
                "2024-01-02", PriceOffer(provider="x", input_usd_per_mtok=1, output_usd_per_mtok=2)]
    digests = [value_digest(v) for v in distinct]
    assert len(set(digests)) == len(distinct)


def test_equal_values_have_equal_digests_whatever_their_order_in_a_set() -> None:
    assert value_digest(Row("a", 1.5)) == value_digest(Row("a", 1.5))
    assert value_digest(frozenset({"x", "y", "z"})) == value_digest(frozenset({"z", "y", "x"}))
    assert value_digest({"a": 1, "b": 2}) != value_digest({"b": 2, "a": 1})  # templates see order


def test_a_type_it_cannot_read_is_refused_not_keyed_by_identity() -> None:
    with pytest.raises(TypeError, match="cannot fingerprint a object"):
        value_digest(object())


@pytest.mark.parametrize("source, expected", [
    ('{% extends "base.html" %}{% include "partials/a.html" %}', {"base.html", "partials/a.html"}),
    ("{%- import 'partials/b.html' as ui -%}", {"partials/b.html"}),
    ('{% from "partials/a.html" import x %}', {"partials/a.html"}),
    ('{{ fragment("partials/b.html", m=m) }} "not-a-template.html"', {"partials/b.html"}),
    ('{% include "partials/a.html" ignore missing %}', {"partials/a.html"}),
])
def test_templates_a_template_names_are_found(source: str, expected: set[str]) -> None:
    assert references(source, NAMES) == expected


@pytest.mark.parametrize("source", [
    "{% include name %}", '{% include "partials/" ~ kind ~ ".html" %}',
    '{% extends layout %}', '{% include ["partials/a.html", "partials/b.html"] %}',
    "{{ fragment(name, m=m) }}",
])
def test_a_template_named_by_an_expression_may_reach_any(source: str) -> None:
    assert references(source, NAMES) is None
