"""Every bad input gets a clear error, and nothing is lost.

Each case starts from a small valid site that has been built once, breaks one
content file, runs ``versus build`` and checks that the build fails with exit
code 1, names ``path:line:col`` and says what is wrong, prints no traceback,
and leaves the previous ``site/`` byte-for-byte as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from click.testing import CliRunner, Result

from conftest import tree_bytes
from conftest import write_files as write_site_files

from generator.build import build
from generator.cli import main
from generator.plan import SCRIPTS

BASE_SITE = {
    "content/site.yaml": "title: Test Site\nbase_url: https://example.com/\n",
    "content/benchmarks.yaml": "mmlu:\n  name: MMLU\n  scale_max: 100\n  higher_is_better: true\n",
    "content/models/alpha.yaml": """\
name: Alpha
vendor: Acme
open_weights: true
parameters_b: 70
benchmarks:
  mmlu:
    score: 80
""",
    "content/models/beta.yaml": "name: Beta\nvendor: Other\nopen_weights: false\n",
    "content/articles/hello.md": "---\ntitle: Hello\ndate: 2024-01-01\nmodels: [alpha, beta]\n"
                                 "---\nSome text.\n",
}
BETA = BASE_SITE["content/models/beta.yaml"]  # three valid lines; cases append to it


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write files as conftest does; ``{root}`` in text becomes ``root`` (for payload paths)."""
    write_site_files(root, {k: v if isinstance(v, bytes) else v.replace("{root}", str(root))
                            for k, v in files.items()})


def run_build(root: Path, *options: str) -> Result:
    return CliRunner().invoke(main, ["build", "--source", str(root), *options])


def problems(output: str) -> list[tuple[str, int, int]]:
    """The ``(path below content/, line, col)`` of every reported problem, in order."""
    found = re.findall(r"^(\S*?)content/(\S+?):(\d+):(\d+): ", output, flags=re.M)
    return [(path, int(line), int(col)) for _, path, line, col in found]


def assert_reported(output: str, where: str, message: str) -> None:
    """``output`` has a line ``.../content/<where>: ...<message>...``."""
    pattern = rf"^(\S*/)?content/{re.escape(where)}: .*{re.escape(message)}"
    assert re.search(pattern, output, flags=re.M), \
        f"expected 'content/{where}: ...{message}...' in:\n{output}"


def assert_failed_cleanly(root: Path, result: Result, before: dict[str, bytes]) -> None:
    """Exit code 1 through the CLI's own handling, and the previous site untouched."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    assert "nothing was written" in result.output
    assert tree_bytes(root / "site") == before
    assert list(root.glob(".site.tmp-*")) == []


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small valid site under ``tmp_path``, built once into ``tmp_path/site``."""
    write_files(tmp_path, BASE_SITE)
    build(tmp_path, tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file()
    return tmp_path


# --------------------------------------------------------------------------- one bad file


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes]
    where: str  # "models/beta.yaml:4:1", below content/
    message: str  # a fragment of the message printed after "where: "

    def param(self):  # type: ignore[no-untyped-def]
        return pytest.param(self, id=self.id)


def beta(extra: str) -> dict[str, str]:
    """``models/beta.yaml`` with ``extra`` lines after its three valid ones (line 4 on)."""
    return {"content/models/beta.yaml": BETA + extra}


def article(front: str) -> dict[str, str]:
    return {"content/articles/hello.md": f"---\n{front}---\nSome text.\n"}


def site_yaml(extra: str) -> dict[str, str]:
    return {"content/site.yaml": "title: Test Site\n" + extra}


ALIAS_BOMB = 'l0: &l0 "lol"\n' + "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))

CASES = [
    Case("yaml-syntax-error", {"content/models/beta.yaml": "name: Beta\nvendor: [Other\n"
                                                           "open_weights: false\n"},
         "models/beta.yaml:3:13", "YAML syntax error: while parsing a flow sequence"),
    Case("unknown-field-did-you-mean", beta("contxt_window_tokens: 128000\n"),
         "models/beta.yaml:4:1",
         "unknown field 'contxt_window_tokens' (did you mean 'context_window_tokens'?)"),
    Case("unknown-nested-field", beta("benchmarks:\n  mmlu:\n    scroe: 70\n"),
         "models/beta.yaml:6:5", "unknown field 'scroe' (did you mean 'score'?)"),
    Case("missing-required-field", {"content/models/beta.yaml": "name: Beta\nopen_weights: false\n"},
         "models/beta.yaml:1:1", "required field 'vendor' is missing"),
    Case("number-with-unit", beta('parameters_b: "70B"\n'),
         "models/beta.yaml:4:15", "parameters_b: expected a number, got the text '70B' "
                                  "(write digits only"),
    Case("negative-number", beta("pricing:\n  - provider: Host\n    input_usd_per_mtok: -1.5\n"
                                 "    output_usd_per_mtok: 2\n"),
         "models/beta.yaml:6:25", "pricing[0].input_usd_per_mtok: must be at least 0, got -1.5"),
    Case("string-for-bool", {"content/models/beta.yaml": 'name: Beta\nvendor: Other\n'
                                                         'open_weights: "yes"\n'},
         "models/beta.yaml:3:15", "open_weights: expected true or false, got the text 'yes'"),
    Case("yaml-bool-in-text-field", beta("license: no\n"),
         "models/beta.yaml:4:10", "license: expected text, got false (YAML reads yes/no/on/off "
                                  "as true/false: put the text in quotes)"),
    Case("score-above-scale-max", beta("benchmarks:\n  mmlu: {score: 101}\n"),
         "models/beta.yaml:5:17", "score 101 is above MMLU's scale_max 100"),
    Case("invalid-date", beta("released: 2024-02-30\n"),
         "models/beta.yaml:4:11", "'2024-02-30' is not a real date (day is out of range"),
    Case("active-above-total-parameters", beta("parameters_b: 8\nactive_parameters_b: 70\n"),
         "models/beta.yaml:5:22", "active_parameters_b (70) cannot exceed parameters_b (8)"),
    Case("unknown-benchmark-did-you-mean", beta("benchmarks:\n  mmlu: {score: 70}\n"
                                                "  mmlu2: {score: 70}\n"),
         "models/beta.yaml:6:3", "unknown benchmark 'mmlu2': it is not in benchmarks.yaml "
                                 "(did you mean 'mmlu'?)"),
    Case("duplicate-key", beta("vendor: Again\n"),
         "models/beta.yaml:4:1", "duplicate key 'vendor' (first defined on line 2)"),
    Case("empty-model-file", {"content/models/beta.yaml": ""},
         "models/beta.yaml:1:1", "file is empty"),
    Case("non-utf8-model-file", {"content/models/beta.yaml": b"name: Beta\nvendor: Caf\xe9\n"
                                                             b"open_weights: false\n"},
         "models/beta.yaml:2:12", "file is not valid UTF-8 (byte 0xe9): save it as UTF-8"),
    Case("invalid-slug-file-name", {"content/models/Llama_3.yaml": BETA},
         "models/Llama_3.yaml:1:1", "file name 'Llama_3' is not a valid slug: it must be "
                                    "lowercase letters, digits and single hyphens (try 'llama-3')"),
    Case("yml-extension", {"content/models/gamma.yml": BETA},
         "models/gamma.yml:1:1", "model files must end in '.yaml' (rename to gamma.yaml)"),
    Case("dangerous-tag", beta('summary: !!python/object/apply:os.system ["touch {root}/pwned"]\n'),
         "models/beta.yaml:4:10", "YAML tag !!python/object/apply:os.system is not allowed"),
    Case("alias-bomb", {"content/models/beta.yaml": ALIAS_BOMB},
         "models/beta.yaml:2:10", "YAML aliases (*l0) are not allowed: write the value out"),
    Case("article-unknown-model", article("title: Hello\ndate: 2024-01-01\n"
                                          "models: [alpha, gamma]\n"),
         "articles/hello.md:4:17", "unknown model 'gamma'"),
    Case("article-updated-before-date", article("title: Hello\ndate: 2024-03-01\n"
                                                "updated: 2024-02-01\n"),
         "articles/hello.md:4:10", "updated (2024-02-01) is before date (2024-03-01)"),
    Case("include-pair-unknown-model", site_yaml("base_url: https://example.com/\ncomparisons:\n"
                                                 "  include: [[alpha, btea]]\n"),
         "site.yaml:4:21", "unknown model 'btea' (did you mean 'beta'?)"),
    Case("min-benchmarks-zero", site_yaml("base_url: https://example.com/\nscoring:\n"
                                          "  min_benchmarks: 0\n"),
         "site.yaml:4:19", "scoring.min_benchmarks: must be at least 1, got 0"),
    Case("base-url-javascript", site_yaml("base_url: javascript:alert(1)\n"),
         "site.yaml:2:11", "base_url: expected an http(s) URL like https://example.com/page, "
                           "got 'javascript:alert(1)'"),
    Case("base-url-ftp", site_yaml("base_url: ftp://x\n"),
         "site.yaml:2:11", "base_url: expected an http(s) URL"),
    Case("pricing-source-javascript", beta("pricing:\n  - provider: Host\n"
                                           "    input_usd_per_mtok: 1\n"
                                           "    output_usd_per_mtok: 2\n"
                                           "    source: javascript:alert(1)\n"),
         "models/beta.yaml:8:13", "pricing[0].source: expected an http(s) URL like "
                                  "https://example.com/page, got 'javascript:alert(1)'"),
    Case("model-slug-with-vs", {"content/models/alpha-vs-beta.yaml": BETA.replace("Beta", "AvB")},
         "models/alpha-vs-beta.yaml:1:1", "model slug 'alpha-vs-beta' must not contain '-vs-'"),
    Case("unknown-architecture", beta("architecture: Dense\n"),
         "models/beta.yaml:4:15", "architecture: expected one of dense or moe, got the text "
                                  "'Dense'"),
    Case("model-file-is-a-list", {"content/models/beta.yaml": "- name: Beta\n"},
         "models/beta.yaml:1:1", "expected a mapping of fields (required: name, vendor, "
                                 "open_weights), got a list"),
    Case("date-and-time", beta("released: 2024-01-01 10:00:00\n"),
         "models/beta.yaml:4:11", "released: expected a date like 2024-07-23, not a date and time"),
    Case("article-without-front-matter", {"content/articles/hello.md": "Some text.\n"},
         "articles/hello.md:1:1", "an article must start with front matter"),
]


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_bad_input_is_reported_and_the_previous_site_is_kept(site, case):
    before = tree_bytes(site / "site")
    write_files(site, case.files)
    result = run_build(site)
    assert_failed_cleanly(site, result, before)
    assert_reported(result.output, case.where, case.message)
    assert not (site / "pwned").exists()


def test_missing_site_yaml_is_reported(site):
    before = tree_bytes(site / "site")
    (site / "content" / "site.yaml").unlink()
    result = run_build(site)
    assert_failed_cleanly(site, result, before)
    assert_reported(result.output, "site.yaml:1:1", "file is missing")


def test_every_error_in_every_file_is_reported_in_one_run_sorted(site):
    before = tree_bytes(site / "site")
    write_files(site, {
        "content/site.yaml": "title: Test Site\nbase_url: ftp://x\n",
        "content/models/gamma.yaml": "name: Gamma\nname: Again\n",  # fails to load
        **beta("parameters_b: 70B\nlicense: no\n"),
        "content/models/alpha.yaml": BASE_SITE["content/models/alpha.yaml"] + "contxt: 1\n",
        **article("title: Hello\ndate: 2024-03-01\nupdated: 2024-02-01\n"),
    })
    result = run_build(site)
    assert_failed_cleanly(site, result, before)
    assert problems(result.output) == [
        ("articles/hello.md", 4, 10),
        ("models/alpha.yaml", 8, 1),
        ("models/beta.yaml", 4, 15),
        ("models/beta.yaml", 5, 10),
        ("models/gamma.yaml", 2, 1),
        ("site.yaml", 2, 11),
    ]
    assert "6 error(s)" in result.output


def test_strict_turns_a_warning_into_a_failure(site):
    write_files(site, {"content/models/gamma.yaml": "name: Gamma\nvendor: Other\n"
                                                    "summary: We made it.\nopen_weights: false\n"})
    message = "'We': this reads as the vendor speaking"
    before = tree_bytes(site / "site")

    strict = run_build(site, "--strict")
    assert_failed_cleanly(site, strict, before)
    assert_reported(strict.output, "models/gamma.yaml:3:10", message)

    lenient = run_build(site)
    assert lenient.exit_code == 0, lenient.output
    assert_reported(lenient.output, "models/gamma.yaml:3:10", "warning: " + message)
    assert (site / "site" / "models" / "gamma" / "index.html").is_file()


# --------------------------------------------------------------------------- cascades


@pytest.mark.parametrize("files", [
    beta("vendor: Again\n"),
    {"content/models/beta.yaml": b"name: Beta\nvendor: Caf\xe9\nopen_weights: false\n"},
    {"content/models/beta.yaml": ""},
], ids=["duplicate-key", "non-utf8", "empty"])
def test_a_model_file_that_fails_to_load_is_the_only_error(site, files):
    write_files(site, files)
    result = run_build(site)
    assert result.exit_code == 1
    assert [p for p, _, _ in problems(result.output)] == ["models/beta.yaml"]


def test_an_invalid_benchmark_entry_is_the_only_error(site):
    write_files(site, {"content/benchmarks.yaml": "mmlu:\n  name: MMLU\n  scale_max: -1\n"})
    result = run_build(site)
    assert result.exit_code == 1
    assert_reported(result.output, "benchmarks.yaml:3:14", "mmlu.scale_max: must be above 0")
    assert "there is none" not in result.output
    assert [p for p, _, _ in problems(result.output)] == ["benchmarks.yaml"]


def test_a_model_with_a_schema_error_still_gets_its_unknown_benchmarks_reported(site):
    write_files(site, beta("colour: blue\nbenchmarks:\n  mmmlu: {score: 3}\n"))
    result = run_build(site)
    assert result.exit_code == 1
    assert_reported(result.output, "models/beta.yaml:4:1", "unknown field 'colour'")
    assert_reported(result.output, "models/beta.yaml:6:3",
                    "unknown benchmark 'mmmlu': it is not in benchmarks.yaml (did you mean 'mmlu'?)")


# --------------------------------------------------------------------------- unsafe Markdown

PAYLOADS = """\
Some text.

<script>alert(1)</script>

<img src=x onerror=alert(1)>

[x](javascript:alert(1)) and [y](JAVASCRIPT:alert(2)) and [z](java&#115;cript:alert(3))

<a href="javascript:alert(4)" onclick="alert(5)">w</a> <svg onload=alert(6)></svg>
<iframe src="javascript:alert(7)"></iframe>
"""
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _ActiveContent(HTMLParser):
    """Collects what could run script in a page: script elements, on* and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []
        self.js_urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self.in_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "script":
            self.scripts.append({**dict(attrs), "#text": ""})
            self.in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            squashed = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in URL_ATTRIBUTES and squashed.startswith("javascript:"):
                self.js_urls.append((tag, name, value or ""))

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.in_script:
            self.scripts[-1]["#text"] = (self.scripts[-1]["#text"] or "") + data
        self.text.append(data)


def theme_script(script: dict[str, str | None]) -> bool:
    """The theme's own scripts: its static files, and the one line that marks JS as running."""
    src = script.get("src") or ""
    if src:
        return any(src.endswith(f"/static/{name}") for name in SCRIPTS) and script["#text"] == ""
    return script["#text"] == 'document.documentElement.className += " js";'


def active_content(page: Path) -> _ActiveContent:
    parser = _ActiveContent()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_unsafe_markdown_builds_into_inert_html(site):
    write_files(site, {
        "content/articles/hello.md": "---\ntitle: Hello <script>alert(8)</script>\n"
                                     "date: 2024-01-01\n---\n" + PAYLOADS,
        "content/models/beta.yaml": BETA + "faq:\n  - question: Safe?\n    answer: |\n"
                                    + "".join(f"      {line}\n" for line in PAYLOADS.splitlines()),
    })
    result = run_build(site)
    assert result.exit_code == 0, result.output
    for page in ("articles/hello/index.html", "models/beta/index.html"):
        found = active_content(site / "site" / page)
        assert "Some text." in "".join(found.text), page  # the payload page was rendered
        # a JSON-LD block is data, not script; beyond it only the theme's own scripts
        assert [s for s in found.scripts
                if s.get("type") != "application/ld+json" and not theme_script(s)] == [], page
        assert found.handlers == [], page
        assert found.js_urls == [], page
