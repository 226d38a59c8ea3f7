"""How figures read on a page."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.pages import formatting as f


@pytest.mark.parametrize("value, text", [
    (None, "—"), (0, "$0"), (0.0045, "$0.0045"), (0.06, "$0.06"), (0.055, "$0.055"),
    (0.5527, "$0.55"), (2.5, "$2.50"), (10, "$10.00"), (1234.5, "$1,234"), (float("nan"), "—"),
])
def test_usd(value, text) -> None:  # type: ignore[no-untyped-def]
    assert f.usd(value) == text


@pytest.mark.parametrize("value, text", [
    (131072, "128K"), (128000, "128K"), (8192, "8K"), (200000, "200K"),
    (1047576, "1.05M"), (10_000_000, "10M"), (None, "—"),
])
def test_short_tokens(value, text) -> None:  # type: ignore[no-untyped-def]
    assert f.short_tokens(value) == text


def test_other_formats() -> None:
    assert f.tokens(131072) == "131,072 tokens (128K)"
    assert f.parameters(3.21) == "3.21B" and f.parameters(0.5) == "500M" and f.parameters(70) == "70B"
    assert f.gigabytes(140) == "140 GB" and f.gigabytes(1.605) == "1.6 GB"
    assert f.date(dt.date(2024, 7, 23)) == "23 Jul 2024" and f.date(None) == "—"
    assert f.ratio(9.26) == "9.3×" and f.ratio(12.4) == "12×"
    assert f.percent(0.45) == "45%" and f.yes_no(None) == "—" and f.yes_no(False) == "No"
    assert f.number(1234.5) == "1,234.5" and f.number(85.0, 1) == "85"
    assert f.host("https://www.llama.com/docs/") == "llama.com"
    assert f.is_url("https://x.org") and not f.is_url("javascript:alert(1)")
