"""Templates compiled in another process while the build scores and plans."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from conftest import tree_bytes, write_files

from generator.build import build
from generator.errors import ContentError
from generator.output.cache import cache_dir
from generator.render.bytecode import PreloadedBytecodeCache, compile_all
from generator.render.renderer import make_environment


def test_compile_all_covers_the_theme_and_skips_broken_templates(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "mine.html").write_text("<p>{{ 1 + 1 }}</p>")
    compiled = compile_all(functools.partial(make_environment, tmp_path))
    env = make_environment(tmp_path)
    names = env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml", ".txt")))
    assert "compare.html" in names and "broken.html" in names
    assert len(compiled) == len(names) - 1  # every one but the broken


def test_preloaded_code_is_used_only_for_its_own_source(tmp_path: Path) -> None:
    (tmp_path / "mine.html").write_text("<p>old {{ x }}</p>")
    compiled = compile_all(functools.partial(make_environment, tmp_path))
    env = make_environment(tmp_path, compiled=compiled)
    assert isinstance(env.bytecode_cache, PreloadedBytecodeCache)
    assert env.get_template("mine.html").render(x=1) == "<p>old 1</p>"
    # The source changed after compiling: Jinja's checksum sends it to the compiler.
    (tmp_path / "mine.html").write_text("<p>new {{ x }}</p>")
    env = make_environment(tmp_path, compiled=compiled)
    assert env.get_template("mine.html").render(x=1) == "<p>new 1</p>"


def test_a_broken_project_template_is_still_reported_with_its_line(basic_site: Path) -> None:
    # Two processes: the templates compile in the other one, which leaves the broken one out.
    write_files(basic_site, {"templates/partials/score_card.html": "<div>\n{% if %}\n</div>\n"})
    with pytest.raises(ContentError) as caught:
        build(basic_site, basic_site / "out", workers=2, cache=False)
    assert [(e.line, e.col) for e in caught.value.errors] == [(2, 1)]
    assert caught.value.errors[0].path.endswith("templates/partials/score_card.html")


def test_precompiled_and_compiled_here_give_the_same_site(basic_site: Path) -> None:
    build(basic_site, basic_site / "one", workers=1, cache=False)
    build(basic_site, basic_site / "two", workers=2, cache=False)
    one, two = tree_bytes(basic_site / "one"), tree_bytes(basic_site / "two")
    assert one.keys() == two.keys() and one == two


def test_templates_compiled_elsewhere_are_kept_in_the_cache_for_the_next_build(
        basic_site: Path) -> None:
    out = basic_site / "site"
    build(basic_site, out, workers=2)
    kept = sorted((cache_dir(out) / "templates").glob("*.cache"))
    assert len(kept) >= 20  # every template the build used, sealed
    build(basic_site, out, workers=2, check_cache=True)  # and read back: same site
