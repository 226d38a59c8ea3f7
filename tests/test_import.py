"""``versus import llm-stats``: the committed LLM Stats snapshot (CC BY 4.0) into a site."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml

from conftest import parse_html, tree_bytes, write_files
from generator.build import build
from generator.cli import main
from generator.tools.llm_stats_names import benchmark_keys, model_slugs

SNAPSHOT = Path(__file__).parent / "data" / "llm-stats-24a9ccf.tar.gz"
COMMIT = "24a9ccf7402306f0c3e237213538e4537d64ecc2"
SITE_YAML = ("title: Imported\nbase_url: https://example.com/models/\n"
             "comparisons:\n  per_model: 2\n")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("llm-stats")
    with tarfile.open(SNAPSHOT) as archive:
        archive.extractall(root, filter="data")
    return root


@pytest.fixture(scope="module")
def imported(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An empty site with the whole snapshot imported (and the import's output)."""
    from click.testing import CliRunner

    site = write_files(tmp_path_factory.mktemp("site"), {"content/site.yaml": SITE_YAML})
    result = CliRunner().invoke(main, ["import", "llm-stats", str(dataset), "--all",
                                       "--source", str(site), "--ref", COMMIT])
    assert result.exit_code == 0, result.output
    return site, result.output


@pytest.fixture(scope="module")
def built(imported: tuple[Path, str]) -> Path:
    site, _ = imported
    out = site.parent / "built"
    report = build(site, out, cache=False)
    assert report.pages_written > 165
    return out


def model(site: Path, slug: str) -> dict:
    return yaml.safe_load((site / "content" / "models" / f"{slug}.yaml").read_text("utf-8"))


def run(runner, dataset: Path, site: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["import", "llm-stats", str(dataset), "--source", str(site),
                                "--ref", COMMIT, *args])


def small_site(tmp_path: Path, imported: tuple[Path, str]) -> Path:
    """A copy of the imported site, to change."""
    site = tmp_path / "site"
    shutil.copytree(imported[0] / "content", site / "content")
    return site


# --------------------------------------------------------------------------- whole snapshot


def test_whole_snapshot_is_published_as_at_least_165_models(imported, built):
    site, output = imported
    assert len(list((site / "content" / "models").glob("*.yaml"))) >= 165
    exported = json.loads((built / "api" / "models.json").read_text("utf-8"))
    assert len(exported) >= 165
    page = parse_html(built / "models" / "gpt-5" / "index.html")
    assert page.find("h1").text == "GPT-5"
    assert "Models: 169 new, 0 updated, 0 unchanged" in output


def test_every_page_credits_the_dataset(built):
    for page in ("index.html", "models/gpt-5/index.html", "methodology/index.html"):
        footer = parse_html(built / page).find("footer")
        links = {a.attrs.get("href"): a.text for a in footer.find_all("a")}
        assert "Data from LLM Stats, CC BY 4.0" in footer.text
        assert any("llm-leaderboard" in (href or "") for href in links)


def test_summary_counts_what_was_left_out_and_why(imported):
    _, output = imported
    assert "placeholder or missing source" in output  # https://example.com/benchmark-image
    assert "only one model reports the benchmark" in output
    assert "several different results for one benchmark" in output
    assert "output price over 12x the input price" in output  # Groq Llama 3.3 70B 7.9
    assert "versus check on the result:" in output
    assert "two models with one display name" in output  # Claude 3.5 Sonnet, twice


# --------------------------------------------------------------------------- units


def test_prices_are_converted_from_cents_to_usd_per_million(imported):
    gpt5 = model(imported[0], "gpt-5")
    openai = next(o for o in gpt5["pricing"] if o["provider"] == "OpenAI")
    # data/providers/openai/models.json: 125 and 1000 cents per million tokens.
    assert (openai["input_usd_per_mtok"], openai["output_usd_per_mtok"]) == (1.25, 10)
    assert openai["source"] == ("https://github.com/JonathanChavezTamales/llm-leaderboard/blob/"
                                f"{COMMIT}/data/providers/openai/models.json")
    # The dataset dates the record 2025-07-24, before GPT-5's release: no date then.
    assert "as_of" not in openai
    haiku = model(imported[0], "claude-haiku-4-5")["pricing"][0]
    assert (haiku["provider"], str(haiku["as_of"])) == ("Anthropic", "2025-10-15")


def test_param_count_becomes_billions_and_context_comes_from_providers(imported):
    site = imported[0]
    assert model(site, "gpt-oss-120b")["parameters_b"] == 116.8  # 116800000000
    assert model(site, "llama-3-1-8b-instruct")["parameters_b"] == 8
    assert model(site, "claude-sonnet-4-5")["context_window_tokens"] == 200000
    assert "parameters_b" not in model(site, "gpt-5")  # the data has none: none invented


def test_scores_use_our_scale_and_keep_source_date_and_reporter(imported):
    site = imported[0]
    r1 = model(site, "deepseek-r1-0528")["benchmarks"]
    assert r1["gpqa"]["score"] == 81.0  # 0.81 of 1
    assert r1["codeforces"]["score"] == pytest.approx(1929.9)  # rating 0.6433 of 3000
    assert r1["gpqa"]["self_reported"] is True
    registry = yaml.safe_load((site / "content" / "benchmarks.yaml").read_text("utf-8"))
    assert registry["codeforces"]["scale_max"] == 3000
    assert registry["gpqa"]["scale_max"] == 100


def test_the_known_bad_figures_stay_out(imported):
    site = imported[0]
    groq = [o for o in model(site, "llama-3-3-70b-instruct")["pricing"] if o["provider"] == "Groq"]
    assert groq == []  # output "7.90" for 0.79
    nemotron = model(site, "llama-3-1-nemotron-70b-instruct")
    assert "mt-bench" not in nemotron.get("benchmarks", {})  # 8.99 of 10 stored as 8.99 %
    assert "gpqa" not in model(site, "gemini-1-0-pro").get("benchmarks", {})  # example.com


def test_benchmark_keys_are_distinct_and_never_another_benchmarks():
    keys = benchmark_keys(["humaneval", "humaneval+", "mbpp", "mbpp+", "graphwalks-bfs->128k",
                           "graphwalks-bfs-<128k", "humanity's-last-exam", "mmlu-(cot)"])
    assert keys["humaneval+"] == "humaneval-plus" != keys["humaneval"]
    assert keys["mbpp+"] == "mbpp-plus"
    assert keys["graphwalks-bfs->128k"] == "graphwalks-bfs-gt-128k"
    assert keys["graphwalks-bfs-<128k"] == "graphwalks-bfs-lt-128k"
    assert keys["humanity's-last-exam"] == "humanitys-last-exam"
    assert len(set(keys.values())) == len(keys)


def test_model_slugs_are_valid_distinct_and_drop_dates_only_when_unambiguous():
    slugs = model_slugs(["qwen2.5-vl-7b", "claude-sonnet-4-5-20250929", "gpt-4o-2024-05-13",
                         "gpt-4o-2024-08-06", "a.b", "a-b"])
    assert slugs["qwen2.5-vl-7b"] == "qwen2-5-vl-7b"
    assert slugs["claude-sonnet-4-5-20250929"] == "claude-sonnet-4-5"
    assert slugs["gpt-4o-2024-05-13"] == "gpt-4o-2024-05-13"
    assert slugs["gpt-4o-2024-08-06"] == "gpt-4o-2024-08-06"
    assert {slugs["a-b"], slugs["a.b"]} == {"a-b", "a-b-2"}


# --------------------------------------------------------------------------- again, update


def test_importing_the_same_snapshot_again_changes_no_file(runner, dataset, imported, tmp_path):
    site = small_site(tmp_path, imported)
    before = tree_bytes(site)
    again = run(runner, dataset, site, "--all")
    assert again.exit_code == 0, again.output
    assert "169 model skipped: already in the site" in again.output
    update = run(runner, dataset, site, "--all", "--update")
    assert update.exit_code == 0, update.output
    assert "0 updated, 169 unchanged" in update.output
    assert tree_bytes(site) == before


@pytest.fixture
def changed_dataset(dataset: Path, tmp_path: Path) -> Path:
    """The snapshot with OpenAI's GPT-5 input price lowered from 1.25 to 1.10."""
    copy = tmp_path / "dataset"
    shutil.copytree(dataset, copy)
    path = copy / "data" / "providers" / "openai" / "models.json"
    offers = json.loads(path.read_text("utf-8"))
    for offer in offers:
        if offer["model_id"] == "gpt-5-2025-08-07":
            offer["input_cents_per_million_tokens"] = 110
    path.write_text(json.dumps(offers, indent=2), encoding="utf-8")
    return copy


def hand_edit_mmlu(site: Path) -> Path:
    """An editor checks GPT-5's MMLU at the vendor and writes it with that source."""
    path = site / "content" / "models" / "gpt-5.yaml"
    assert model(site, "gpt-5")["benchmarks"]["mmlu"]["score"] == 92.5
    lines = path.read_text("utf-8").splitlines()
    start = lines.index("  mmlu:")
    end = start + 1
    while lines[end].startswith("    "):
        end += 1
    lines[start:end] = ['  mmlu: {score: 91.0, source: "GPT-5 system card"}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_update_prints_each_changed_figure_and_keeps_hand_edited_ones(
        runner, changed_dataset, imported, tmp_path):
    site = small_site(tmp_path, imported)
    hand_edit_mmlu(site)
    result = run(runner, changed_dataset, site, "--models", "gpt-5-2025-08-07", "--update")
    assert result.exit_code == 0, result.output
    assert "gpt-5: pricing OpenAI input 1.25 → 1.10" in result.output.splitlines()
    gpt5 = model(site, "gpt-5")
    openai = next(o for o in gpt5["pricing"] if o["provider"] == "OpenAI")
    assert openai["input_usd_per_mtok"] == 1.1
    assert gpt5["benchmarks"]["mmlu"] == {"score": 91.0, "source": "GPT-5 system card"}
    assert "mmlu" not in result.output


def test_dry_run_prints_the_changes_and_writes_nothing(runner, changed_dataset, imported,
                                                       tmp_path):
    site = small_site(tmp_path, imported)
    before = tree_bytes(site)
    result = run(runner, changed_dataset, site, "--update", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "gpt-5: pricing OpenAI input 1.25 → 1.10" in result.output
    assert "Would write 1 file(s)" in result.output
    assert tree_bytes(site) == before


def test_update_keeps_the_editors_other_fields(runner, changed_dataset, imported, tmp_path):
    site = small_site(tmp_path, imported)
    path = site / "content" / "models" / "gpt-5.yaml"
    path.write_text(path.read_text("utf-8") + "faq:\n  - question: Is it good?\n"
                    "    answer: It depends.\n", encoding="utf-8")
    result = run(runner, changed_dataset, site, "--models", "gpt-5-2025-08-07", "--update")
    assert result.exit_code == 0, result.output
    assert model(site, "gpt-5")["faq"] == [{"question": "Is it good?", "answer": "It depends."}]


def test_existing_benchmark_definitions_stay_as_they_are(runner, dataset, tmp_path):
    registry = ("# our own registry\nmmlu:\n  name: MMLU (5-shot)\n  scale_max: 1000\n"
                "  higher_is_better: true\n")
    site = write_files(tmp_path, {"content/site.yaml": SITE_YAML,
                                  "content/benchmarks.yaml": registry})
    result = run(runner, dataset, site, "--models", "gpt-5-2025-08-07")
    assert result.exit_code == 0, result.output
    text = (site / "content" / "benchmarks.yaml").read_text("utf-8")
    assert text.startswith(registry)
    assert model(site, "gpt-5")["benchmarks"]["mmlu"]["score"] == 925  # on the site's scale


# --------------------------------------------------------------------------- bad input


@pytest.fixture
def empty_site(tmp_path: Path) -> Path:
    return write_files(tmp_path / "site", {"content/site.yaml": SITE_YAML})


def test_a_folder_that_is_not_the_dataset_is_refused(runner, empty_site, tmp_path):
    before = tree_bytes(empty_site)
    result = run(runner, tmp_path / "site" / "content", empty_site, "--all")
    assert result.exit_code == 1
    assert "is not the LLM Stats dataset" in result.output
    assert str(empty_site / "content") in result.output
    assert tree_bytes(empty_site) == before


def test_malformed_json_is_refused_naming_the_file(runner, dataset, empty_site, tmp_path):
    copy = tmp_path / "dataset"
    shutil.copytree(dataset, copy)
    broken = copy / "data" / "organizations" / "openai" / "models" / "o3-mini" / "model.json"
    broken.write_text('{"model_id": "o3-mini",', encoding="utf-8")
    before = tree_bytes(empty_site)
    result = run(runner, copy, empty_site, "--all")
    assert result.exit_code == 1
    assert f"{broken}:1:" in result.output and "not valid JSON" in result.output
    assert tree_bytes(empty_site) == before


def test_an_unknown_model_id_is_refused_naming_it(runner, dataset, empty_site):
    before = tree_bytes(empty_site)
    result = run(runner, dataset, empty_site, "--models", "gpt-5-2025-08-07,gpt-6")
    assert result.exit_code == 1
    assert "unknown model id 'gpt-6'" in result.output
    assert tree_bytes(empty_site) == before


def test_no_model_choice_is_refused(runner, dataset, empty_site):
    result = run(runner, dataset, empty_site)
    assert result.exit_code == 1
    assert "--models ID,ID" in result.output and "--all" in result.output


def test_update_leaves_what_the_header_ignores_alone(runner, changed_dataset, imported, tmp_path):
    site = small_site(tmp_path, imported)
    path = site / "content" / "models" / "gpt-5.yaml"
    data = model(site, "gpt-5")
    data["pricing"] = [o for o in data["pricing"] if o["provider"] != "ZeroEval"]
    from generator.tools.llm_stats_yaml import dump_model

    header = "# llm-stats ignore: pricing/*, benchmarks/mmlu\n"
    path.write_text(dump_model(data, header), encoding="utf-8")
    result = run(runner, changed_dataset, site, "--models", "gpt-5-2025-08-07", "--update")
    assert result.exit_code == 0, result.output
    assert model(site, "gpt-5")["pricing"] == data["pricing"]  # OpenAI still 1.25, no ZeroEval
    assert "pricing" not in result.output.split("Models:")[0]
    assert path.read_text("utf-8").startswith(header)
