"""What a hostile review broke in the load stage (issue #16, failures 3, 6, 9, 10, 11).

Each case builds a small site once, breaks one file the way the review did, and
expects what every bad input gets: ``path:line:col`` and a message, exit 1, no
traceback, the old site untouched; ``versus check`` says the same.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_bad_input import (BASE_SITE, BETA, Case, assert_failed_cleanly, assert_reported,
                            run_build, write_files)
from conftest import tree_bytes

from generator.cli import main
from generator.errors import SourceError, line_of

DEEP_LIST = "".join("    " * i + "- x\n" for i in range(250))
BIG = "1" + "0" * 400


def beta(extra: str) -> dict[str, str]:
    return {"content/models/beta.yaml": BETA + extra}


def article(body: str, front: str = "title: Hello\ndate: 2024-01-01\n") -> dict[str, str]:
    return {"content/articles/hello.md": f"---\n{front}---\n{body}"}


CASES = [
    # 3: tracebacks instead of path:line:col
    Case("bool-tag-maybe", beta('license: !!bool "maybe"\n'), "models/beta.yaml:4:10",
         "'maybe' cannot be read as bool"),
    Case("timestamp-tag-soon", beta('released: !!timestamp "soon"\n'), "models/beta.yaml:4:11",
         "'soon' cannot be read as timestamp"),
    Case("summary-500-brackets", beta("summary: " + "[" * 500 + "]" * 500 + "\n"),
         "models/beta.yaml:4:41", "nested more than 32 levels deep"),
    Case("versus-block-500-brackets",
         article("Text.\n\n```versus\ntable: " + "[" * 500 + "]" * 500 + "\n```\n"),
         "articles/hello.md:8:1", "versus block: lists and mappings are nested more than 8"),
    Case("versus-block-bad-tag", article('Text.\n\n```versus\ntable: !!bool "maybe"\n```\n'),
         "articles/hello.md:8:1", "versus block holds a value YAML cannot read"),
    Case("article-250-level-list", article("Text.\n\n" + DEEP_LIST),
         "articles/hello.md:40:1", "indented or quoted more than 128 columns deep"),
    Case("huge-context-window", beta(f"context_window_tokens: {BIG}\n"),
         "models/beta.yaml:4:24", "is too large (at most 1e+15 is supported)"),
    Case("huge-gpus", beta("self_hosting:\n  - gpu: H100\n    gpus: " + BIG + "\n"
                           "    gpu_usd_per_hour: 2\n    precision: fp16\n"
                           "    output_tokens_per_s: 100\n"),
         "models/beta.yaml:6:11", "is too large"),
    Case("huge-weights", {"content/site.yaml": "title: T\nbase_url: https://example.com/\n"
                          "scoring: {weights: {quality: 1.0e+308, cost: 1.0e+308}}\n"},
         "site.yaml:3:30", "the number 1.0e+308 is too large"),
    Case("digits-beyond-int-limit", beta("parameters_b: 1" + "0" * 5000 + "\n"),
         "models/beta.yaml:4:15", "is not a valid int"),
    # 6: control characters refused at load
    Case("vertical-tab-in-body", article("Some \x0b text.\n"), "articles/hello.md:5:6",
         "a control character (U+000B) is not allowed here"),
    Case("backspace-in-body", article("Some \x08 text.\n"), "articles/hello.md:5:6",
         "a control character (U+0008)"),
    Case("bell-in-title", article("Text.\n", front="title: He\x07llo\ndate: 2024-01-01\n"),
         "articles/hello.md:2:10", "a control character (U+0007)"),
    Case("escaped-bell-in-yaml", beta('summary: "a\\x07b"\n'), "models/beta.yaml:4:10",
         "the text holds a control character (U+0007)"),
    # 9: validation gaps
    Case("tag-with-newline", article("Text.\n", front='title: Hello\ndate: 2024-01-01\n'
                                                      'tags: ["abc\\n"]\n'),
         "articles/hello.md:4:8", "is not a valid slug"),
    Case("base-url-with-newline",
         {"content/site.yaml": 'title: T\nbase_url: "https://example.com/x\\nDisallow:\\t/"\n'},
         "site.yaml:2:11", "base_url: expected an http(s) URL"),
    Case("name-with-newline", {"content/models/beta.yaml": 'name: "Be\\nta"\nvendor: Other\n'
                                                           'open_weights: false\n'},
         "models/beta.yaml:1:7", "name: must be a single line of text"),
    Case("pair-url-clash", {"content/models/a.yaml": BETA.replace("Beta", "A"),
                            "content/models/vs-b.yaml": BETA.replace("Beta", "VsB"),
                            "content/models/a-vs.yaml": BETA.replace("Beta", "AVs"),
                            "content/models/b.yaml": BETA.replace("Beta", "B")},
         "models/a-vs.yaml:1:1", "model slugs 'a-vs' and 'vs-b' make comparison URLs that "
                                 "clash: 'a' + 'vs-b' and 'a-vs' + 'b' would both be 'a-vs-vs-b'"),
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    from generator.build import build

    write_files(tmp_path, BASE_SITE)
    build(tmp_path, tmp_path / "site")
    return tmp_path


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_hostile_input_is_reported_at_its_place(site: Path, case: Case) -> None:
    before = tree_bytes(site / "site")
    write_files(site, case.files)
    result = run_build(site)
    assert_failed_cleanly(site, result, before)
    assert_reported(result.output, case.where, case.message)
    checked = CliRunner().invoke(main, ["check", "--source", str(site)])
    assert checked.exit_code == 1, checked.output
    assert isinstance(checked.exception, SystemExit), checked.exc_info
    assert_reported(checked.output, case.where, case.message)


def test_a_file_name_with_a_newline_is_refused(site: Path) -> None:
    write_files(site, {"content/models/gamma\n.yaml": BETA})
    result = run_build(site)
    assert result.exit_code == 1
    assert "file name 'gamma\\n' is not a valid slug" in result.output
    assert not any("\n" in p.name for p in (site / "site" / "models").iterdir())


def test_new_model_refuses_a_slug_with_a_newline(site: Path) -> None:
    for slug in ("gamma\n", "a-vs-b"):
        result = CliRunner().invoke(main, ["new", "model", "Gamma", "--source", str(site),
                                           "--vendor", "V", "--open-weights", "--slug", slug])
        assert result.exit_code == 1, (slug, result.output)
        assert not list((site / "content" / "models").glob("*vs*"))
        assert not any("\n" in p.name for p in (site / "content" / "models").iterdir())


# --------------------------------------------------------------------------- 11: terminal output


def test_escape_sequences_from_a_file_reach_the_terminal_escaped(site: Path) -> None:
    write_files(site, beta("summary: a\x1b[2K\x1b[1Aforged\n"))
    result = run_build(site)
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "\\x1b[2K\\x1b[1A" in result.output


def test_a_message_quoting_text_shows_control_characters_escaped() -> None:
    error = SourceError("content/x\x1b.md", 1, 4, "bad \x1b[1A value", snippet="ab\x1bc d")
    shown = error.format()
    assert "\x1b" not in shown
    gutter, snippet, caret = shown.split("\n")
    assert snippet.index("c d") == caret.index("^")  # the caret still points at 'c'
    assert "\x1b" not in error.annotation()


def test_a_line_separator_in_an_article_is_reported_on_its_own_line(site: Path) -> None:
    write_files(site, article("First\u2028still the first line\n{{ gamma }}\n"))
    result = run_build(site)
    assert result.exit_code == 1
    assert_reported(result.output, "articles/hello.md:5:6", "a Unicode line separator (U+2028)")


def test_snippets_count_lines_as_the_build_does() -> None:
    text = "one\u2028still one\x0cand one\ntwo\n"
    assert line_of(text, 2) == "two"
    assert line_of(text, 1) == "one\u2028still one\x0cand one"


# --------------------------------------------------------------------------- 10: symlinks


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outside")  # not below the project (tmp_path)
    (folder / "secret.txt").write_text("TOP-SECRET-TOKEN: 12345\n", encoding="utf-8")
    (folder / "benchmarks.yaml").write_text(BASE_SITE["content/benchmarks.yaml"],
                                            encoding="utf-8")
    (folder / "style.css").write_text("body { background: url(https://evil.example/) }\n",
                                      encoding="utf-8")
    return folder


def test_site_yaml_linking_outside_is_refused_without_reading_it(site: Path, outside: Path) -> None:
    (site / "content" / "site.yaml").unlink()
    os.symlink(outside / "secret.txt", site / "content" / "site.yaml")
    before = tree_bytes(site / "site")
    result = run_build(site)
    assert_failed_cleanly(site, result, before)
    assert_reported(result.output, "site.yaml:1:1", "links to a file outside the project")
    assert "TOP-SECRET" not in result.output


def test_benchmarks_yaml_linking_outside_is_refused(site: Path, outside: Path) -> None:
    (site / "content" / "benchmarks.yaml").unlink()
    os.symlink(outside / "benchmarks.yaml", site / "content" / "benchmarks.yaml")
    result = run_build(site)
    assert result.exit_code == 1
    assert_reported(result.output, "benchmarks.yaml:1:1", "links to a file outside the project")


@pytest.mark.parametrize("relative", ["templates/static/style.css", "templates/base.html"])
def test_templates_linking_outside_are_refused(site: Path, outside: Path, relative: str) -> None:
    target = site / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside / ("style.css" if relative.endswith(".css") else "secret.txt"), target)
    before = tree_bytes(site / "site")
    result = run_build(site)
    assert result.exit_code == 1, result.output
    assert "links to a file outside the project" in result.output
    assert "TOP-SECRET" not in result.output
    assert tree_bytes(site / "site") == before


def test_a_template_folder_linking_outside_is_refused(site: Path, outside: Path) -> None:
    os.symlink(outside, site / "templates")
    result = run_build(site)
    assert result.exit_code == 1, result.output
    assert "links to a file outside the project" in result.output


def test_links_inside_the_project_still_work(site: Path) -> None:
    shared = site / "shared"
    shared.mkdir()
    (shared / "beta.yaml").write_text(BETA, encoding="utf-8")
    (site / "content" / "models" / "beta.yaml").unlink()
    os.symlink(shared / "beta.yaml", site / "content" / "models" / "beta.yaml")
    result = run_build(site)
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- 6: XML


def test_the_feed_of_a_site_with_odd_text_is_well_formed_xml(site: Path) -> None:
    from xml.etree import ElementTree

    write_files(site, article("Tab\there, \u00e9t\u00e9, \U0001f600, <b>&amp;</b> \\x0b.\n",
                              front="title: \"T\u00eftle & <x>\"\ndate: 2024-01-02\n"))
    result = run_build(site)
    assert result.exit_code == 0, result.output
    ElementTree.fromstring((site / "site" / "feed.xml").read_bytes())


def test_linkcheck_parses_every_xml_file_it_publishes(site: Path) -> None:
    feed = site / "site" / "feed.xml"
    feed.write_bytes(feed.read_bytes().replace(b"</title>", b"\x0b</title>", 1))
    result = CliRunner().invoke(main, ["linkcheck", "--source", str(site)])
    assert result.exit_code == 1, result.output
    assert "feed.xml:" in result.output and "not well-formed XML" in result.output
    assert "Traceback" not in result.output
