"""``urls``: the one home of slug rules, pair slugs and page URLs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import compute_and_plan, load_catalog
from generator.urls import (COMPARE_URL, compare_url, linked_pair, model_slug_problem, model_url,
                            ordered, pair_slug, slug_problem, suggest_slug)

THEME = Path(__file__).resolve().parent.parent / "generator" / "theme" / "templates"


@pytest.mark.parametrize("slug", ["gpt-4o", "llama-3-1-8b", "a", "x1"])
def test_valid_slugs_pass(slug: str) -> None:
    assert slug_problem(slug) is None


@pytest.mark.parametrize("slug", ["GPT-4o", "gpt--4o", "-gpt", "gpt-", "gpt 4o", "gpt_4o",
                                  "gamma\n", "gamma\nx", "", "a" * 81])
def test_invalid_slugs_are_refused_whole(slug: str) -> None:
    """Matched whole: a trailing newline is not forgiven as ``$`` would."""
    assert slug_problem(slug) is not None


def test_a_model_slug_cannot_hold_the_pair_separator() -> None:
    assert model_slug_problem("a-vs-b") is not None
    assert model_slug_problem("versus-1") is None


def test_suggested_slugs_are_valid() -> None:
    for name in ("GPT-4o", "Claude 3.5 Sonnet", "Qwen2.5-VL 7B (Instruct)", "   ", "x" * 200 + "!"):
        assert slug_problem(suggest_slug(name)) is None


def test_pair_urls_and_an_editors_link_agree() -> None:
    assert pair_slug("a", "b") == "a-vs-b"
    assert ordered("b", "a") == ("a", "b")
    assert compare_url("a", "b") == f"{COMPARE_URL}a-vs-b/"
    assert linked_pair("/compare/a-vs-b/#prices") == ("a", "b")
    assert linked_pair("/models/a/") is None
    assert model_url("gpt-4o") == "models/gpt-4o/"


def test_every_fixed_link_of_the_theme_names_a_page_of_the_plan(basic_site: Path) -> None:
    """Templates link section pages by literal paths: each must be a page the plan makes."""
    _, plan = compute_and_plan(load_catalog(basic_site))
    literal = {m for path in THEME.rglob("*.html")
               for m in re.findall(r"url\('([^']*)'\)", path.read_text(encoding="utf-8"))}
    assert literal, "the scan found no url('…') in the theme"
    assert sorted(literal - plan.urls) == []
