"""Editor mistakes that used to get parser or validator jargon, and what they get now.

Each case starts from the file ``versus new model`` writes (fields switched off with
``#``) and makes one slip an editor makes when switching a field on.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_files
from generator.cli import main
from generator.errors import ContentError
from generator.load.sources import parse_yaml
from generator.tools.scaffold import new_model

SITE = {
    "content/site.yaml": "title: T\nbase_url: https://acme.github.io/t/\n",
    "content/benchmarks.yaml": "mmlu: {name: MMLU, scale_max: 100, higher_is_better: true}\n",
}


@pytest.fixture
def template(tmp_path: Path) -> tuple[Path, str]:
    """A project with one new model file; returns the project and the file's text."""
    root = write_files(tmp_path / "project", SITE)
    path = new_model(root, "Foo 8B", vendor="Foo", open_weights=True,
                     today=dt.date(2026, 1, 1))
    return root, path.read_text()


def check(root: Path, model_text: str) -> list[str]:
    (root / "content/models/foo-8b.yaml").write_text(model_text)
    result = CliRunner().invoke(main, ["check", "--source", str(root)])
    assert result.exit_code == 1, result.output
    return [line for line in result.output.splitlines() if "foo-8b.yaml:" in line]


def switch_on(text: str, field: str, keep: str = "") -> str:
    """Delete the '# ' in front of ``field``, leaving ``keep`` (a slip) in its place."""
    out, count = re.subn(rf"^# ( *{re.escape(field)})", rf"{keep}\1", text, count=1, flags=re.M)
    assert count == 1, field
    return out


# --------------------------------------------------------------------------- YAML syntax


def test_deleting_only_the_hash_says_to_remove_the_space(template) -> None:  # type: ignore[no-untyped-def]
    root, text = template
    [line] = check(root, switch_on(text, "parameters_b:", keep=" "))
    assert re.search(r":\d+:2: YAML syntax error: `parameters_b:` starts 1 space further in "
                     r"than `open_weights:` on line \d+, which holds a value, not fields: start "
                     r"it at the left edge", line), line
    assert "did not find expected key" not in line and "mapping values" not in line


def test_a_field_under_a_plain_value_is_explained_not_mapping_values_jargon() -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml("name: Foo\nfamily: Foo\n  released: 2026-01-01\n", "m.yaml")
    [error] = caught.value.errors
    assert (error.line, error.col) == (3, 11)
    assert error.message.startswith("YAML syntax error: `released:` starts 2 spaces further in "
                                    "than `family:` on line 2")


def test_a_list_switched_on_without_its_key_names_the_key(template) -> None:  # type: ignore[no-untyped-def]
    root, text = template
    text = switch_on(switch_on(text, "  - provider:"), "    input_usd_per_mtok:")
    [line] = check(root, text)
    assert re.search(r":\d+:3: YAML syntax error: `- provider:` belongs under `pricing:` "
                     r"\(line \d+\), still switched off with `#`: delete the `# ` in front of "
                     r"`pricing:` too", line), line


def test_a_nested_field_switched_on_alone_names_every_switched_off_parent(template) -> None:  # type: ignore[no-untyped-def]
    root, text = template
    [line] = check(root, switch_on(text, "    input_usd_per_mtok:"))
    assert "`input_usd_per_mtok:` belongs under `pricing:` (line" in line
    assert "and `- provider:` (line" in line and "in front of those lines too" in line


def test_front_matter_hints_count_lines_from_the_top_of_the_article() -> None:
    text = "---\ntitle: T\n date: 2026-01-01\n---\nBody\n"
    with pytest.raises(ContentError) as caught:
        parse_yaml("title: T\n date: 2026-01-01\n", "a.md", line_offset=1, full_text=text)
    [error] = caught.value.errors
    assert error.line == 3 and "than `title:` on line 2" in error.message


def test_other_syntax_errors_keep_the_parsers_words() -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml("name: [Foo\n", "m.yaml")
    assert "YAML syntax error:" in caught.value.errors[0].message


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("value, hint", [
    ('"3.00"', "(a number in quotes is text: remove the quotes)"),
    ("'8'", "(a number in quotes is text: remove the quotes)"),
    ("3,5", "(use a decimal point, not a comma: write 3.5)"),
    ("8B", "(write digits only, no units or % sign)"),
])
def test_a_number_written_as_text_says_what_to_change(template, value: str, hint: str) -> None:  # type: ignore[no-untyped-def]
    root, text = template
    text = switch_on(text, "parameters_b:").replace("parameters_b: 8 ", f"parameters_b: {value} ")
    [line] = check(root, text)
    assert f"parameters_b: expected a number, got the text {value.strip(chr(34) + chr(39))!r} {hint}" \
        in line, line


def test_thousands_separators_are_named(template) -> None:  # type: ignore[no-untyped-def]
    root, text = template
    text = switch_on(text, "context_window_tokens:").replace("128000 ", "128,000 ")
    [line] = check(root, text)
    assert "got the text '128,000' (no thousands separators: write 128000)" in line


# --------------------------------------------------------------------------- benchmarks


def test_an_unknown_benchmark_says_how_to_add_one(template) -> None:  # type: ignore[no-untyped-def]
    root, text = template
    text = text.replace("# benchmarks:", "benchmarks:").replace(
        "#   mmlu: {score", "  livebench: {score")
    [line] = check(root, text)
    assert ("unknown benchmark 'livebench': it is not in benchmarks.yaml; to add a benchmark, "
            "give it an entry in content/benchmarks.yaml, such as `livebench: {name: Its Name, "
            "scale_max: 100, higher_is_better: true}`") in line, line
