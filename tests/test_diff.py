"""``versus diff``: what a change does to the built site, from two builds' exports and pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.build import build
from generator.cli import main
from generator.tools.diff import diff_sites, figures_of, format_diff, ranks, read_site
from generator.tools.init import init_site

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A starter site built, then built again with a cheaper GPT-4o, Llama 3.1 70B removed
    and Llama 3.3 70B added (from the example content)."""
    root = tmp_path_factory.mktemp("diff")
    site = root / "site-repo"
    init_site(site)
    build(site, root / "before", workers=1)
    gpt = site / "content/models/gpt-4o.yaml"
    gpt.write_text(gpt.read_text().replace("input_usd_per_mtok: 2.50", "input_usd_per_mtok: 2.00"))
    (site / "content/models/llama-3-1-70b-instruct.yaml").unlink()
    article = site / "content/articles/gpt-4o-vs-llama-3-1-70b.md"
    article.write_text(article.read_text().replace("llama-3-1-70b-instruct", "llama-3-3-70b-instruct"))
    new = (ROOT / "content/models/llama-3-3-70b-instruct.yaml").read_text()
    (site / "content/models/llama-3-3-70b-instruct.yaml").write_text(
        "\n".join(line for line in new.splitlines() if "livecodebench" not in line) + "\n")
    build(site, root / "after", workers=1)
    return root / "before", root / "after"


def test_diff_lists_pages_models_scores_and_figures(two_builds: tuple[Path, Path]) -> None:
    before, after = two_builds
    result = diff_sites(read_site(before), read_site(after))
    assert "/models/llama-3-3-70b-instruct/" in result.pages_added
    assert "/models/llama-3-1-70b-instruct/" in result.pages_removed
    assert "/compare/gpt-4o-vs-llama-3-3-70b-instruct/" in result.pages_added
    assert not any(p.startswith("/compare/llama-3-1-70b-instruct-vs-") for p in result.pages_added)
    assert [line.split(":")[0] for line in result.models_added] == [
        "Llama 3.3 70B Instruct (`llama-3-3-70b-instruct`)"]
    assert result.models_removed[0].startswith("Llama 3.1 70B Instruct (`llama-3-1-70b-instruct`): "
                                               "was overall ")
    gpt_figures = next(line for line in result.figures if line.startswith("GPT-4o"))
    assert "pricing[OpenAI].input_usd_per_mtok 2.5 → 2" in gpt_figures
    assert "blended_usd_per_mtok 4.375 → 4" in gpt_figures
    gpt_scores = next(line for line in result.scores if line.startswith("GPT-4o"))
    assert "cost " in gpt_scores and " → " in gpt_scores


def test_diff_prints_markdown_through_the_command(two_builds: tuple[Path, Path], runner) -> None:  # type: ignore[no-untyped-def]
    before, after = two_builds
    done = runner.invoke(main, ["diff", str(before), str(after)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0] == f"## Site changes: {before} → {after}"
    assert "### Models added" in lines and "### Models removed" in lines
    assert "### Figures (before → after)" in lines
    assert any(line.startswith("    + /models/llama-3-3-70b-instruct/") for line in lines)


def test_the_same_build_twice_has_no_changes(two_builds: tuple[Path, Path]) -> None:
    before, _ = two_builds
    result = diff_sites(read_site(before), read_site(before))
    assert result.empty
    assert "No pages, models, scores, figures or warnings changed." in format_diff(
        result, before="a", after="b")


def test_ranks_share_a_place_on_a_tie_and_skip_unranked_models() -> None:
    def model(overall: float | None) -> dict:
        return {"computed": {"scores": {"overall": overall}}}
    assert ranks({"a": model(70.04), "b": model(70.0), "c": model(60), "d": model(None)}) == {
        "a": 1, "b": 1, "c": 3}


def test_figures_are_named_by_provider_and_benchmark() -> None:
    flat = figures_of({"pricing": [{"provider": "Host", "input_usd_per_mtok": 1.0}],
                       "benchmarks": {"mmlu": {"score": 80.0}}, "summary": "prose",
                       "computed": {"blended_usd_per_mtok": 1.5}})
    assert flat == {"pricing[Host].input_usd_per_mtok": 1.0, "benchmarks.mmlu.score": 80.0,
                    "blended_usd_per_mtok": 1.5, "vram_gb": None,
                    "self_hosting_usd_per_mtok": None}


def test_a_folder_that_is_not_a_build_is_refused(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    done = runner.invoke(main, ["diff", str(tmp_path), str(tmp_path)])
    assert done.exit_code == 1 and "is not a built site" in done.output


def test_diff_needs_two_folders_or_a_ref(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    done = runner.invoke(main, ["diff", str(tmp_path)])
    assert done.exit_code == 2 and "give two built folders (BEFORE AFTER) or --against REF" in done.output


def test_diff_against_an_unknown_ref_says_so(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    init_site(tmp_path / "s")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "s", check=True)
    done = runner.invoke(main, ["diff", "--against", "no-such-branch", "--source", str(tmp_path / "s")])
    assert done.exit_code == 1 and "no-such-branch is not a commit, branch or tag here" in done.output
