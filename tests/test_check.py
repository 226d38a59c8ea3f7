"""``versus check``: every error and warning, sorted, nothing written; and the warnings."""

from __future__ import annotations

import datetime as dt
import random
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_site, tree_bytes, write_files
from generator.analyse import analyse, checking_plan, compute_and_plan, load_catalog
from generator.analyse import warnings_of as check_warnings
from generator.cli import main
from generator.compute.memo import Memo
from generator.errors import BuildError, ContentError, SourceError
from generator.pages.markup import MarkdownCache
from generator.plan import plan_site
from test_incremental import _models
from test_serve_memo import MEMO_EDITS

TODAY = dt.date(2026, 6, 1)

SITE = {
    "content/site.yaml": "title: Test\nbase_url: https://acme.github.io/sub/\n",
    "content/benchmarks.yaml": "mmlu:\n  name: MMLU\ngpqa:\n  name: GPQA\n",
    "content/models/alpha.yaml": """\
name: Alpha
vendor: Acme
open_weights: true
pricing:
  - provider: Host
    input_usd_per_mtok: 1
    output_usd_per_mtok: 2
    as_of: 2026-05-01
benchmarks:
  mmlu: {score: 80, source: Acme card, as_of: 2026-01-01}
  gpqa: {score: 40, source: Acme card}
""",
    "content/articles/hello.md": "---\ntitle: Hello\ndate: 2026-01-01\nmodels: [alpha]\n"
                                 "---\nSee [Alpha](/models/alpha/).\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "project", SITE)


def warnings_of(root: Path, today: dt.date | None = TODAY) -> list[tuple[str, int, int, str]]:
    _, _, found = analyse(root, today=today)
    assert all(w.severity == "warning" for w in found)
    return [(Path(w.path).name, w.line, w.col, w.message) for w in found]


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["check", "--source", str(root), *args], env=env)


def project_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the project but check's own memo (``.versus-cache/.check``, the one
    thing check writes)."""
    found = tree_bytes(root)
    memo = {name for name in found if name.startswith(".versus-cache/.check/")}
    assert memo <= {f".versus-cache/.check/{name}" for name in
                    ("state.json", "parsed.bin", "quality.bin")}
    return {name: data for name, data in found.items() if name not in memo}


def problems(output: str) -> list[tuple[str, int, int]]:
    return [(m[1], int(m[2]), int(m[3]))
            for m in re.finditer(r"^\S*?([\w.-]+):(\d+):(\d+): ", output, re.M)]


# --------------------------------------------------------------------------- errors


THREE_MISTAKES = """\
name: Beta
vendr: Bigco
open_weights: yes
context_window_tokens: 128K
benchmarks:
  mmlu-pro: {score: 70}
"""


def test_check_reports_every_error_sorted_with_suggestions(site: Path) -> None:
    write_files(site, {"content/models/beta.yaml": THREE_MISTAKES})
    before = tree_bytes(site)
    result = run(site)
    assert result.exit_code == 1
    assert problems(result.output) == [("beta.yaml", 2, 1), ("beta.yaml", 4, 24),
                                       ("beta.yaml", 6, 3)]
    assert "unknown field 'vendr' (did you mean 'vendor'?)" in result.output
    assert "expected a whole number, got the text '128K'" in result.output
    assert "unknown benchmark 'mmlu-pro': it is not in benchmarks.yaml (did you mean 'mmlu'?)" \
        in result.output
    assert result.output.rstrip().endswith("3 error(s)")
    assert "Traceback" not in result.output
    assert project_bytes(site) == before  # check writes nothing, not even site/


def test_check_of_a_good_site_exits_0_and_writes_nothing(site: Path) -> None:
    before = tree_bytes(site)
    result = run(site)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("content: no errors, no warnings")
    assert project_bytes(site) == before


def test_check_never_renders_a_page(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``versus check`` works on the catalogue and the plan: no template is rendered."""
    import jinja2

    from generator.render.renderer import Renderer

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("versus check rendered a page")

    monkeypatch.setattr(jinja2.Template, "render", refuse)
    monkeypatch.setattr(Renderer, "render", refuse)
    write_files(site, {"content/articles/hello.md": SITE["content/articles/hello.md"]
                       + "And [a missing page](/models/nope/).\n"})
    result = run(site)
    assert result.exit_code == 0, result.output
    assert "hello.md:7:22: warning: link to /models/nope/" in result.output  # from its Markdown


def test_check_reports_template_syntax_errors_with_positions(site: Path) -> None:
    write_files(site, {"templates/model.html": "line one\n{% if %}\n"})
    result = run(site)
    assert result.exit_code == 1
    assert "model.html:2:1: template syntax error" in result.output


def test_a_template_that_fails_on_the_content_fails_the_build(site: Path) -> None:
    write_files(site, {"templates/model.html": "{{ m.no_such_field }}"})
    result = CliRunner().invoke(main, ["build", "--source", str(site)])
    assert result.exit_code == 1
    assert "no_such_field" in result.output and "model.html" in result.output


def test_check_reports_an_unknown_article_model_with_a_suggestion(site: Path) -> None:
    write_files(site, {"content/articles/hello.md": "---\ntitle: Hello\ndate: 2026-01-01\n"
                                                    "models: [alpah]\n---\nText.\n"})
    result = run(site)
    assert result.exit_code == 1
    assert "hello.md:4:10: unknown model 'alpah' (did you mean 'alpha'?)" in result.output


# --------------------------------------------------------------------------- warnings


def test_a_clean_site_has_no_warnings(site: Path) -> None:
    assert warnings_of(site) == []


def test_stale_price_and_benchmark_are_warned_at_their_dates(site: Path) -> None:
    later = dt.date(2028, 1, 2)
    assert warnings_of(site, later) == [
        ("alpha.yaml", 8, 12, "price at Host is 611 days old (as_of 2026-05-01, limit 365): "
                              "confirm it at the source, then update as_of"),
        ("alpha.yaml", 10, 47, "mmlu score is 731 days old (as_of 2026-01-01, limit 730): "
                               "look for a newer result of this model"),
    ]


def test_stale_limits_come_from_site_yaml_and_null_turns_them_off(site: Path) -> None:
    write_files(site, {"content/site.yaml": SITE["content/site.yaml"] + "check:\n"
                       "  prices_stale_after_days: 30\n  benchmarks_stale_after_days: null\n"})
    assert [w[:2] for w in warnings_of(site, dt.date(2028, 1, 2))] == [("alpha.yaml", 8)]
    assert [w[:2] for w in warnings_of(site, dt.date(2026, 6, 1))] == [("alpha.yaml", 8)]
    assert warnings_of(site, dt.date(2026, 5, 31)) == []


def test_a_date_in_the_future_is_warned(site: Path) -> None:
    assert warnings_of(site, dt.date(2026, 4, 1)) == [
        ("alpha.yaml", 8, 12, "price at Host: as_of 2026-05-01 is in the future "
                              "(today is 2026-04-01): is the year right?"),
    ]


def test_without_today_no_dated_warnings_are_made(site: Path) -> None:
    assert warnings_of(site, dt.date(2099, 1, 1)) != []
    assert warnings_of(site, None) == []


def test_score_without_source_and_model_without_data_are_warned(site: Path) -> None:
    write_files(site, {"content/models/beta.yaml": "name: Beta\nvendor: B\nopen_weights: false\n",
                       "content/models/gamma.yaml": "name: Gamma\nvendor: C\nopen_weights: false"
                                                    "\nbenchmarks:\n  mmlu:\n    score: 3\n"
                                                    "pricing:\n  - provider: C\n"
                                                    "    input_usd_per_mtok: 1\n"
                                                    "    output_usd_per_mtok: 1\n"})
    assert warnings_of(site) == [
        ("beta.yaml", 1, 1, "no benchmarks: the model gets no quality or overall score and is "
                            "listed unranked"),
        ("beta.yaml", 1, 1, "no pricing: the model gets no cost score and is listed "
                            "unranked"),
        ("gamma.yaml", 5, 3, "mmlu: score 3 has no source: add source: (a title or URL)"),
    ]


def test_unused_benchmark_key_is_warned_in_benchmarks_yaml(site: Path) -> None:
    write_files(site, {"content/benchmarks.yaml": SITE["content/benchmarks.yaml"]
                       + "# a comment\nhumaneval: {name: HumanEval}\n"})
    assert warnings_of(site) == [
        ("benchmarks.yaml", 6, 1, "benchmark 'humaneval' is defined but no model reports it"),
    ]


def test_duplicate_display_names_are_an_error(site: Path) -> None:
    write_files(site, {"content/models/beta.yaml": SITE["content/models/alpha.yaml"].replace(
        "name: Alpha", "name: ALPHA")})
    result = run(site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert problems(result.output) == [("beta.yaml", 1, 7)]
    assert ("'ALPHA' is also the name of 'alpha': readers cannot tell them apart; name the "
            "version, e.g. ALPHA (beta)") in result.output


def test_links_to_missing_pages_are_warned_in_articles_and_model_markdown(site: Path) -> None:
    write_files(site, {
        "content/articles/hello.md": "---\ntitle: Hello\ndate: 2026-01-01\n---\n"
                                     "Fine: [a](/models/alpha/), [b](/compare/#x).\n"
                                     "Broken: [c](/models/beta/).\n",
        "content/models/alpha.yaml": SITE["content/models/alpha.yaml"]
        + "faq:\n  - question: Q?\n    answer: >-\n      See [it](/models/alpha/) and\n"
          "      [this](/compare/alpha-vs-beta/).\n",
    })
    assert warnings_of(site) == [  # sorted by path: content/articles/ before content/models/
        ("hello.md", 6, 13, "link to /models/beta/ : this site has no such page"),
        ("alpha.yaml", 16, 14, "link to /compare/alpha-vs-beta/ : this site has no such page"),
    ]


def test_a_link_to_a_pair_without_a_page_says_how_to_get_one(site: Path) -> None:
    write_files(site, {
        "content/site.yaml": SITE["content/site.yaml"] + "comparisons: {per_model: 1}\n",
        "content/models/beta.yaml": "name: Beta\nvendor: Acme\nopen_weights: true\n",
        "content/models/gamma.yaml": "name: Gamma\nvendor: Other\nopen_weights: false\n",
        "content/articles/hello.md": "---\ntitle: Hello\ndate: 2026-01-01\n---\n"
                                     "[x](/compare/alpha-vs-beta/)\n",
    })
    links = [w for w in warnings_of(site) if w[0] == "hello.md"]
    # Per model, one rival of another vendor: Alpha and Beta (both Acme) meet Gamma only.
    assert links == [("hello.md", 5, 5, "link to /compare/alpha-vs-beta/ : this pair has no "
                      "comparison page (comparisons.per_model leaves it out): add it to "
                      "comparisons.include in site.yaml")]


# --------------------------------------------------------------------------- strict, CI


def test_strict_makes_warnings_fail(site: Path) -> None:
    write_files(site, {"content/models/beta.yaml": "name: Beta\nvendor: B\nopen_weights: false\n"})
    lenient = run(site)
    assert lenient.exit_code == 0, lenient.output
    assert "beta.yaml:1:1: warning: no benchmarks" in lenient.output
    assert "no errors, 2 warning(s)" in lenient.stdout
    strict = run(site, "--strict")
    assert strict.exit_code == 1
    assert "beta.yaml:1:1: no benchmarks" in strict.output
    assert "2 error(s)" in strict.output


def test_build_prints_the_same_warnings_as_check_except_dated_ones(site: Path) -> None:
    write_files(site, {"content/models/beta.yaml": "name: Beta\nvendor: B\nopen_weights: false\n",
                       "content/models/alpha.yaml": SITE["content/models/alpha.yaml"].replace(
                           "2026-05-01", "2001-01-01")})
    checked = run(site)
    built = CliRunner().invoke(main, ["build", "--source", str(site)])
    assert built.exit_code == 0, built.output
    assert problems(checked.output) == [("alpha.yaml", 8, 12), ("beta.yaml", 1, 1),
                                        ("beta.yaml", 1, 1)]
    assert problems(built.output) == [("beta.yaml", 1, 1), ("beta.yaml", 1, 1)]
    strict = CliRunner().invoke(main, ["build", "--source", str(site), "--strict"])
    assert strict.exit_code == 1 and "2 error(s)" in strict.output


def test_github_actions_gets_annotations_on_stdout(site: Path) -> None:
    write_files(site, {"content/models/beta.yaml": "name: Beta\nvendr: B\nopen_weights: false\n"})
    result = run(site, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    path = str(site / "content/models/beta.yaml")
    assert result.stdout.splitlines() == [
        f"::error file={path},line=2,col=1,"
        "title=versus::unknown field 'vendr' (did you mean 'vendor'?)",
    ]
    assert "::error" not in run(site).stdout


def test_annotation_escapes_what_github_would_misread() -> None:
    error = SourceError("a,b:c.yaml", 3, 4, "50% off\nnext line", severity="warning")
    assert error.annotation() == ("::warning file=a%2Cb%3Ac.yaml,line=3,col=4,"
                                  "title=versus::50%25 off%0Anext line")


def test_check_imports_no_render_or_output_code(site: Path) -> None:
    """``versus check`` runs the content path only: starting it costs no rendering code."""
    import subprocess
    import sys

    script = ("import sys\nfrom click.testing import CliRunner\nfrom generator.cli import main\n"
              f"r = CliRunner().invoke(main, ['check', '--source', {str(site)!r}])\n"
              "assert r.exit_code == 0, r.output\n"
              "print(sorted(m for m in sys.modules if m.startswith(('generator.render', "
              "'generator.output.parallel', 'generator.output.write', 'generator.output.cache', "
              "'generator.build', 'jinja2'))))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- the plan check reads


def pair_link(site: Path, rng: random.Random) -> None:
    """An article's link to a comparison: one the site has, one it may not have (its
    models not paired, or in the other order), or one of a model that does not exist."""
    path = site / "content/articles/alpha-vs-beta.md"
    if not path.exists():
        return
    slugs = [p.stem for p in _models(site)] + ["nobody"]
    a, b = rng.choice(slugs), rng.choice(slugs)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\(/compare/[^)]*\)", f"(/compare/{a}-vs-{b}/)", text, count=1),
                    encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from((*MEMO_EDITS, pair_link, pair_link)),
                                st.integers(0, 2**32)), min_size=1, max_size=6))
def test_check_computes_pairs_only_when_an_answer_depends_on_them(edits) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        site = copy_site("basic", Path(tmp))
        for edit, seed in edits:
            edit(site, random.Random(seed))
            try:
                catalog = load_catalog(site)
                full = compute_and_plan(catalog)[1]
            except (ContentError, BuildError):
                continue
            # The pairs only add pages: what exists without them exists with them.
            assert plan_site(catalog, ()).urls <= full.urls
            lazy = checking_plan(catalog, None, MarkdownCache())
            assert (check_warnings(catalog, lazy, MarkdownCache(), strict=False, today=TODAY)
                    == check_warnings(catalog, full, MarkdownCache(), strict=False,
                                      today=TODAY)), edit.__name__


def test_scores_are_computed_for_a_check_only_when_a_link_needs_the_pairs(site: Path) -> None:
    memo = Memo()
    analyse(site, today=TODAY, memo=memo)
    assert memo.fits == 0  # every link found its page without the comparisons

    article = site / "content/articles/hello.md"
    article.write_text(article.read_text() + "And [a pair](/compare/alpha-vs-beta/).\n")
    memo = Memo()
    _, _, found = analyse(site, today=TODAY, memo=memo)
    assert memo.fits == 1  # the link may be to a comparison: the full plan answers
    assert [w.message for w in found if "/compare/" in w.message] == [
        "link to /compare/alpha-vs-beta/ : this site has no such page"]
