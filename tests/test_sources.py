"""The load stage: text and bytes to raw data with positions, or errors with positions.

``parse_yaml``, ``parse_article`` and ``decode`` are pure, so most tests feed them
strings; ``load_project`` is tested on small content folders under ``tmp_path``.
Lines and columns are 1-based everywhere.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from conftest import write_files

from generator.errors import ContentError
from generator.load.sources import decode, load_project, parse_article, parse_yaml


def errors_of(func, *args, **kwargs):
    """The ``SourceError``s that ``func(*args)`` raises as a ``ContentError``."""
    with pytest.raises(ContentError) as info:
        func(*args, **kwargs)
    assert info.value.errors, "a ContentError must carry at least one error"
    return info.value.errors


def yaml_errors(text: str):
    return errors_of(parse_yaml, text, "m.yaml")


def positions(errors) -> list[tuple[int, int]]:
    return [(e.line, e.col) for e in errors]


# --------------------------------------------------------------------------- marks

NESTED = """\
name: Alpha
benchmarks:
  mmlu:
    score: 80
pricing:
  - provider: A
    input_usd_per_mtok: 1
  - provider: B
    as_of: 2024-05-01
languages: [en, de]
"""


def mark_case(loc, key, line, col):
    return pytest.param(loc, key, (line, col),
                        id=".".join(map(str, loc)) + ("-key" if key else "-value"))


@pytest.mark.parametrize("loc, key, expected", [
    mark_case(("name",), True, 1, 1),
    mark_case(("name",), False, 1, 7),
    mark_case(("benchmarks", "mmlu"), True, 3, 3),
    mark_case(("benchmarks", "mmlu", "score"), True, 4, 5),
    mark_case(("benchmarks", "mmlu", "score"), False, 4, 12),
    mark_case(("pricing", 0), False, 6, 5),
    mark_case(("pricing", 1), False, 8, 5),
    mark_case(("pricing", 1, "provider"), True, 8, 5),
    mark_case(("pricing", 1, "provider"), False, 8, 15),
    mark_case(("pricing", 1, "as_of"), False, 9, 12),
    mark_case(("languages", 1), False, 10, 17),
])
def test_marks_give_1_based_positions_of_nested_keys_and_list_items(loc, key, expected):
    doc = parse_yaml(NESTED, "m.yaml")
    assert doc.marks.position(loc, key=key) == expected


def test_marks_fall_back_to_the_nearest_parent_for_a_missing_key():
    doc = parse_yaml(NESTED, "m.yaml")
    assert doc.marks.position(("pricing", 1, "output_usd_per_mtok")) == (8, 5)
    assert doc.marks.position(("nothing", "here")) == (1, 1)


def test_marks_error_carries_path_position_and_source_line():
    doc = parse_yaml(NESTED, "models/alpha.yaml")
    error = doc.marks.error(("benchmarks", "mmlu", "score"), "too high")
    assert (error.path, error.line, error.col) == ("models/alpha.yaml", 4, 12)
    assert error.snippet == "    score: 80"
    assert error.format().splitlines()[0] == "models/alpha.yaml:4:12: too high"


def test_parsed_data_is_plain_python():
    doc = parse_yaml(NESTED, "m.yaml")
    assert doc.data["benchmarks"] == {"mmlu": {"score": 80}}
    assert doc.data["pricing"][1] == {"provider": "B", "as_of": dt.date(2024, 5, 1)}
    assert doc.data["languages"] == ["en", "de"]


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_top_level_key_is_an_error_naming_both_lines():
    (error,) = yaml_errors("name: A\nvendor: V\nname: B\n")
    assert (error.line, error.col) == (3, 1)
    assert "duplicate key 'name'" in error.message
    assert "line 1" in error.message


def test_duplicate_nested_key_is_an_error_naming_both_lines():
    (error,) = yaml_errors("benchmarks:\n  mmlu:\n    score: 80\n    source: x\n    score: 81\n")
    assert (error.line, error.col) == (5, 5)
    assert "duplicate key 'score'" in error.message
    assert "line 3" in error.message


def test_duplicate_key_inside_a_list_item_is_an_error():
    (error,) = yaml_errors("pricing:\n  - provider: A\n    provider: B\n")
    assert (error.line, error.col) == (3, 5)
    assert "line 2" in error.message


def test_quoted_and_plain_spellings_of_one_key_are_duplicates():
    (error,) = yaml_errors('name: A\n"name": B\n')
    assert error.line == 2 and "duplicate key 'name'" in error.message


def test_same_key_in_sibling_mappings_is_not_a_duplicate():
    doc = parse_yaml("a:\n  x: 1\nb:\n  x: 2\n", "m.yaml")
    assert doc.data == {"a": {"x": 1}, "b": {"x": 2}}


# --------------------------------------------------------------------------- aliases


def test_alias_is_refused_at_its_position():
    (error,) = yaml_errors("base: &b 70\nparameters_b: *b\n")
    assert (error.line, error.col) == (2, 15)
    assert "aliases" in error.message and "*b" in error.message


def test_merge_key_alias_is_refused():
    errors = yaml_errors("base: &b {vendor: V}\nmodel:\n  <<: *b\n  name: A\n")
    assert positions(errors) == [(3, 7)]


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*l{i - 1}"] * width)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_alias_bomb_is_refused():
    text = billion_laughs()
    assert len(text) < 1000  # 9 ** 9 strings once expanded
    errors = yaml_errors(text)
    assert errors and all("aliases" in e.message for e in errors)
    assert errors[0].line == 2


# --------------------------------------------------------------------------- tags


@pytest.fixture
def no_commands(monkeypatch):
    """Fail loudly if anything tries to run a command while parsing."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a command was run while parsing YAML: {args!r}")
    for name in ("system", "popen"):
        monkeypatch.setattr(os, name, refuse)
    for name in ("run", "Popen", "call", "check_call", "check_output"):
        monkeypatch.setattr(subprocess, name, refuse)


@pytest.mark.parametrize("value", [
    '!!python/object/apply:os.system ["echo hi"]',
    '!!python/object/apply:subprocess.check_output [["echo", "hi"]]',
    "!!python/object/new:os.system [echo hi]",
    "!!python/name:os.system",
    '!!python/object/apply:os.system {args: ["echo hi"]}',
], ids=["apply-list", "apply-subprocess", "new", "name", "apply-mapping"])
def test_python_tags_are_refused_and_never_executed(value, no_commands, tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: A\nvendor: {value.replace('echo hi', f'touch {marker}')}\n"
    (error,) = yaml_errors(text)
    assert (error.line, error.col) == (2, 9)
    assert "not allowed" in error.message and "!!python/" in error.message
    assert not marker.exists()


@pytest.mark.parametrize("text, tag", [
    ("data: !!binary aGVsbG8=\n", "!!binary"),
    ("tags: !!set {a, b}\n", "!!set"),
    ("tags: !!omap [a: 1, b: 2]\n", "!!omap"),
    ("tags: !!pairs [a: 1]\n", "!!pairs"),
    ("name: !custom A\n", "!custom"),
])
def test_non_plain_tags_are_refused(text, tag):
    (error,) = yaml_errors(text)
    assert (error.line, error.col) == (1, 7)
    assert f"YAML tag {tag} is not allowed" in error.message


def test_explicit_plain_tags_are_accepted():
    doc = parse_yaml('name: !!str 3.10\nscore: !!float "80"\n', "m.yaml")
    assert doc.data == {"name": "3.10", "score": 80.0}


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("value, reason", [
    ("2024-02-30", "day is out of range"),
    ("2023-02-29", "day is out of range"),
    ("2024-13-01", "month must be in 1..12"),
])
def test_invalid_date_is_reported_at_the_value(value, reason):
    (error,) = yaml_errors(f"name: A\nreleased: {value}\n")
    assert (error.line, error.col) == (2, 11)
    assert f"'{value}' is not a real date" in error.message
    assert reason in error.message


def test_invalid_date_in_a_list_item_is_reported_at_the_value():
    (error,) = yaml_errors("pricing:\n  - provider: A\n    as_of: 2024-02-30\n")
    assert (error.line, error.col) == (3, 12)


def test_real_dates_become_dates():
    assert parse_yaml("released: 2024-02-29\n", "m.yaml").data == {"released": dt.date(2024, 2, 29)}


# --------------------------------------------------------------------------- empty files


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "# only a comment\n",
                                  "# one\n\n   # two\n", "~\n", "---\n"],
                         ids=["empty", "blank-lines", "whitespace", "comment", "comments",
                              "null", "document-marker"])
def test_empty_file_is_reported_as_empty(text):
    (error,) = yaml_errors(text)
    assert (error.line, error.col, error.message) == (1, 1, "file is empty")


# --------------------------------------------------------------------------- bytes


def test_valid_utf8_is_decoded():
    assert decode("name: Café ✓\n".encode(), "m.yaml") == "name: Café ✓\n"


@pytest.mark.parametrize("raw, line, col, byte", [
    (b"name: caf\xe9\n", 1, 10, "0xe9"),
    (b"name: A\nvendor: V\nlicense: caf\xe9\n", 3, 13, "0xe9"),
    (b"\xff\n", 1, 1, "0xff"),
], ids=["first-line", "third-line", "first-byte"])
def test_non_utf8_bytes_are_reported_at_their_position(raw, line, col, byte):
    (error,) = errors_of(decode, raw, "m.yaml")
    assert (error.path, error.line, error.col) == ("m.yaml", line, col)
    assert f"file is not valid UTF-8 (byte {byte})" in error.message


def test_non_utf8_column_counts_characters_not_bytes():
    # "name: ét" is 8 characters (9 bytes); the bad byte is the 9th character.
    (error,) = errors_of(decode, b"name: \xc3\xa9t\xe9\n", "m.yaml")
    assert (error.line, error.col) == (1, 9)


@pytest.mark.parametrize("raw, line, col", [
    (b"\xef\xbb\xbfname: caf\xe9\n", 1, 10),
    (b"\xef\xbb\xbfa: 1\nb: \xff\n", 2, 4),
    (b"\xef\xbb\xbfab\n\xff\n", 2, 1),
], ids=["same-line", "second-line", "start-of-line"])
def test_non_utf8_after_a_bom_is_reported_at_the_bad_byte(raw, line, col):
    (error,) = errors_of(decode, raw, "m.yaml")
    bad = next(b for b in raw[3:] if b >= 0x80)
    assert f"(byte 0x{bad:02x})" in error.message
    assert (error.line, error.col) == (line, col)


def test_non_utf8_line_counts_lone_cr_like_the_decoded_text():
    (error,) = errors_of(decode, b"a: 1\rb: \xff\r", "m.yaml")
    assert (error.line, error.col) == (2, 4)


def test_utf8_bom_is_accepted_and_not_part_of_the_first_key():
    text = decode(b"\xef\xbb\xbfname: A\nvendor: V\n", "m.yaml")
    assert text == "name: A\nvendor: V\n"
    doc = parse_yaml(text, "m.yaml")
    assert list(doc.data) == ["name", "vendor"]
    assert doc.marks.position(("name",), key=True) == (1, 1)


def test_crlf_line_endings_are_accepted_with_correct_positions():
    text = decode(b"name: A\r\nsummary: >-\r\n  one\r\n  two\r\nreleased: 2024-02-30\r\n", "m.yaml")
    assert "\r" not in text
    (error,) = yaml_errors(text)
    assert (error.line, error.col) == (5, 11)
    doc = parse_yaml(text.replace("2024-02-30", "2024-02-01"), "m.yaml")
    assert doc.data["summary"] == "one two"


def test_lone_cr_line_endings_are_normalised():
    assert decode(b"a: 1\rb: 2\r", "m.yaml") == "a: 1\nb: 2\n"


# --------------------------------------------------------------------------- YAML structure


@pytest.mark.parametrize("text, position", [
    ("name: A\n---\nvendor: V\n", (2, 1)),
    ("---\nname: A\n---\nvendor: V\n", (3, 1)),
    ("name: A\n...\n---\nvendor: V\n", (3, 1)),
], ids=["bare", "explicit-start", "explicit-end"])
def test_multiple_yaml_documents_are_refused(text, position):
    (error,) = yaml_errors(text)
    assert (error.line, error.col) == position
    assert "single document" in error.message


@pytest.mark.parametrize("text, position, fragment", [
    ("name: A\nlanguages: [en, de\nvendor: V\n", (3, 7), "flow sequence"),
    ("name: A\n  vendor: V\n", (2, 9), "`vendor:` starts 2 spaces further in than `name:`"),
    ("name: A\nbenchmarks:\n\tmmlu: 1\n", (3, 1), "tab character"),
    ('name: "A\nvendor: V\n', (2, 10), "quoted scalar"),
    ("- a\nname: A\n", (2, 1), "block"),
], ids=["unclosed-list", "bad-indent", "tab", "unclosed-quote", "list-then-mapping"])
def test_yaml_syntax_error_gives_a_position(text, position, fragment):
    (error,) = yaml_errors(text)
    assert error.message.startswith("YAML syntax error: ")
    assert fragment in error.message
    assert (error.line, error.col) == position


@pytest.mark.parametrize("key", ["no", "yes", "off", "on", "NO", "true"])
def test_yaml_1_1_boolean_key_is_refused_with_a_quote_hint(key):
    (error,) = yaml_errors(f"name: A\n{key}: 3\n")
    assert (error.line, error.col) == (2, 1)
    assert f"key '{key}' must be text" in error.message
    assert "quote" in error.message


@pytest.mark.parametrize("text, key", [("1: x\n", "1"), ("2024-01-01: x\n", "2024-01-01"),
                                       ("~: x\n", "~")])
def test_non_text_keys_are_refused(text, key):
    errors = yaml_errors(text)
    assert any(f"key '{key}' must be text" in e.message for e in errors)
    assert all((e.line, e.col) == (1, 1) for e in errors)


def test_list_or_mapping_key_is_refused():
    (error,) = yaml_errors("? [a, b]\n: 1\n")
    assert "key must be plain text" in error.message


def test_quoted_no_is_an_ordinary_key():
    assert parse_yaml('"no": 3\n', "m.yaml").data == {"no": 3}


def test_line_offset_shifts_every_position():
    (error,) = errors_of(parse_yaml, "a: 1\na: 2\n", "x.md", line_offset=4)
    assert (error.line, error.col) == (6, 1)
    assert "line 5" in error.message
    doc = parse_yaml("a: 1\nb: [2]\n", "x.md", line_offset=4)
    assert doc.marks.position(("b", 0)) == (6, 5)


# --------------------------------------------------------------------------- articles

ARTICLE = "---\ntitle: Hello\ndate: 2024-01-01\n---\nFirst line of the body.\n\nMore.\n"


def test_article_is_split_into_front_matter_and_body():
    article = parse_article(ARTICLE, "articles/hello.md", "hello")
    assert article.slug == "hello"
    assert article.front.data == {"title": "Hello", "date": dt.date(2024, 1, 1)}
    assert article.body == "First line of the body.\n\nMore.\n"
    assert article.body_line == 5


def test_article_front_matter_positions_are_file_positions():
    article = parse_article(ARTICLE, "articles/hello.md", "hello")
    assert article.front.marks.position(("date",)) == (3, 7)
    error = article.front.marks.error(("title",), "x")
    assert error.snippet == "title: Hello"


@pytest.mark.parametrize("text, body_line, body", [
    ("---\ntitle: T\n---\n", 4, ""),
    ("---\ntitle: T\n...\nBody\n", 4, "Body\n"),
    ("---  \ntitle: T\nsummary: S\n---\t\n\n\nBody\n", 5, "\n\nBody\n"),
], ids=["no-body", "dots-close", "trailing-space-and-blank-lines"])
def test_article_body_line(text, body_line, body):
    article = parse_article(text, "a.md", "a")
    assert (article.body_line, article.body) == (body_line, body)


def test_article_body_may_contain_a_horizontal_rule():
    article = parse_article("---\ntitle: T\n---\nA\n\n---\n\nB\n", "a.md", "a")
    assert article.front.data == {"title": "T"}
    assert article.body == "A\n\n---\n\nB\n"


def test_invalid_date_in_front_matter_is_reported_at_its_file_line():
    text = "---\ntitle: T\ndate: 2024-02-30\n---\nBody\n"
    (error,) = errors_of(parse_article, text, "a.md", "a")
    assert (error.path, error.line, error.col) == ("a.md", 3, 7)
    assert error.snippet == "date: 2024-02-30"


def test_duplicate_key_in_front_matter_names_file_lines():
    (error,) = errors_of(parse_article, "---\ntitle: A\ndate: 2024-01-01\ntitle: B\n---\n",
                         "a.md", "a")
    assert (error.line, error.col) == (4, 1)
    assert "line 2" in error.message


@pytest.mark.parametrize("text", ["Just a body.\n", "\n---\ntitle: T\n---\n", "title: T\n---\n"],
                         ids=["no-markers", "blank-line-first", "no-opening-marker"])
def test_article_without_front_matter_is_refused(text):
    (error,) = errors_of(parse_article, text, "a.md", "a")
    assert (error.line, error.col) == (1, 1)
    assert "must start with front matter" in error.message


def test_article_with_unterminated_front_matter_is_refused():
    (error,) = errors_of(parse_article, "---\ntitle: T\ndate: 2024-01-01\nBody\n", "a.md", "a")
    assert (error.line, error.col) == (1, 1)
    assert "never closed" in error.message


@pytest.mark.parametrize("text", ["---\n---\nBody\n", "---\n\n   \n---\nBody\n"],
                         ids=["nothing", "blank-lines"])
def test_article_with_empty_front_matter_is_refused(text):
    (error,) = errors_of(parse_article, text, "a.md", "a")
    assert (error.line, error.col) == (1, 1)
    assert "front matter is empty" in error.message


def test_article_with_comment_only_front_matter_says_the_front_matter_is_empty():
    (error,) = errors_of(parse_article, "---\n# to do\n---\nBody\n", "a.md", "a")
    assert "front matter is empty" in error.message


def test_syntax_error_in_front_matter_is_reported_at_its_file_line():
    (error,) = errors_of(parse_article, "---\ntitle: T\n  date: 2024-01-01\n---\n", "a.md", "a")
    assert error.message.startswith("YAML syntax error")
    assert (error.line, error.col) == (3, 7)


# --------------------------------------------------------------------------- load_project

SITE = "title: T\nbase_url: https://example.com/\n"
MODEL = "name: A\nvendor: V\nopen_weights: true\n"


def test_load_project_reads_every_content_file(tmp_path):
    write_files(tmp_path, {
        "content/site.yaml": SITE,
        "content/benchmarks.yaml": "mmlu: {name: MMLU}\n",
        "content/models/beta.yaml": MODEL,
        "content/models/alpha.yaml": MODEL,
        "content/articles/hello.md": ARTICLE,
        "content/models/.hidden.yaml": "not: [valid\n",
    })
    raw = load_project(tmp_path)
    assert raw.errors == ()
    assert raw.site.data["title"] == "T"
    assert raw.benchmarks.data == {"mmlu": {"name": "MMLU"}}
    assert [slug for slug, _ in raw.models] == ["alpha", "beta"]
    assert [a.slug for a in raw.articles] == ["hello"]
    assert raw.models[0][1].path.endswith(os.path.join("content", "models", "alpha.yaml"))
    assert raw.templates_dir is None


def test_load_project_keeps_going_and_collects_every_file_error(tmp_path):
    write_files(tmp_path, {
        "content/site.yaml": SITE,
        "content/models/alpha.yaml": MODEL,
        "content/models/beta.yaml": b"name: caf\xe9\n",
        "content/models/gamma.yaml": "name: A\nname: B\n",
        "content/models/Bad_Name.yaml": MODEL,
        "content/models/delta.yml": MODEL,
        "content/articles/hello.md": ARTICLE,
        "content/articles/nofront.md": "Body only\n",
    })
    raw = load_project(tmp_path)
    assert [slug for slug, _ in raw.models] == ["alpha"]
    assert [a.slug for a in raw.articles] == ["hello"]
    found = {(Path(e.path).name, e.line, e.col): e.message for e in raw.errors}
    assert set(found) == {("beta.yaml", 1, 10), ("gamma.yaml", 2, 1), ("Bad_Name.yaml", 1, 1),
                          ("delta.yml", 1, 1), ("nofront.md", 1, 1)}
    assert "not a valid slug" in found["Bad_Name.yaml", 1, 1]
    assert "try 'bad-name'" in found["Bad_Name.yaml", 1, 1]
    assert "rename to delta.yaml" in found["delta.yml", 1, 1]


def test_load_project_accepts_bom_and_crlf_files(tmp_path):
    write_files(tmp_path, {
        "content/site.yaml": b"\xef\xbb\xbf" + SITE.replace("\n", "\r\n").encode(),
        "content/articles/hello.md": ARTICLE.replace("\n", "\r\n").encode(),
    })
    raw = load_project(tmp_path)
    assert raw.errors == ()
    assert raw.site.data == {"title": "T", "base_url": "https://example.com/"}
    assert raw.articles[0].body_line == 5
    assert "\r" not in raw.articles[0].body


def test_load_project_reports_a_missing_site_yaml(tmp_path):
    write_files(tmp_path, {"content/models/alpha.yaml": MODEL})
    raw = load_project(tmp_path)
    assert raw.site is None
    (error,) = raw.errors
    assert error.path.endswith("site.yaml") and error.message == "file is missing"


def test_load_project_without_content_folder_raises(tmp_path):
    (error,) = errors_of(load_project, tmp_path)
    assert "no content/ folder" in error.message
