"""Bad data never publishes silently: plausibility warnings at the figure's path:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_files
from generator.build import load_catalog
from generator.cli import main
from generator.plausibility import plausibility_warnings

REPO = Path(__file__).resolve().parent.parent


def plain(name: str, vendor: str, *, price: float = 2.0, extra: str = "",
          speed: str = "{provider: P, output_tokens_per_s: 55.5, ttft_ms_p50: 321}") -> str:
    return (f"name: {name}\nvendor: {vendor}\nopen_weights: true\n"
            f"pricing:\n  - {{provider: P, input_usd_per_mtok: {price / 4}, "
            f"output_usd_per_mtok: {price}}}\n"
            f"speed:\n  - {speed}\n"
            f"benchmarks:\n  mtb: {{score: {70 + len(name)}}}\n" + extra)


PLACEHOLDER = "{provider: P, output_tokens_per_s: 100, ttft_ms_p50: 500}"
PLANTED = {
    "content/site.yaml": "title: T\nbase_url: https://example.com/\n",
    "content/benchmarks.yaml": "mtb: {name: MT-Bench, scale_max: 100}\n",
    "content/models/a.yaml": plain("Alpha", "A", speed=PLACEHOLDER),
    "content/models/b.yaml": plain("Bravo", "B", price=1.0, speed=PLACEHOLDER),
    "content/models/c.yaml": plain("Charlie", "C", price=3.0, speed=PLACEHOLDER),
    "content/models/d.yaml": plain("Delta", "D", price=1.5, speed=PLACEHOLDER),
    # Line 5: prices 2400 times the median, a unit slip.
    "content/models/vl.yaml": plain("Vision L", "E", price=4800.0),
    # Three offers; the third slipped a decimal point (line 9:26).
    "content/models/groq.yaml": (
        "name: Llama Seventy\nvendor: F\nopen_weights: true\npricing:\n"
        "  - {provider: P, input_usd_per_mtok: 0.6, output_usd_per_mtok: 0.8}\n"
        "  - {provider: Q, input_usd_per_mtok: 0.6, output_usd_per_mtok: 0.75}\n"
        "  - provider: Groq\n    input_usd_per_mtok: 0.59\n    output_usd_per_mtok: 7.9\n"),
    # parameters_b at line 4, col 15; the score out of 10 at line 6:16; the summary at 7:10;
    # released 2025-08-07, a price dated 2025-07-01 (line 11:39), a result dated 2025-07-24.
    "content/models/nano.yaml": (
        "name: Nemotron Nano 9B v2\nvendor: G\nopen_weights: true\nparameters_b: 88.9\n"
        "benchmarks:\n  mtb: {score: 8.5}\nsummary: Our smallest model yet.\n"
        "released: 2025-08-07\npricing:\n"
        "  - {provider: P, input_usd_per_mtok: 0.1,\n     output_usd_per_mtok: 0.4, as_of: 2025-07-01}\n"),
}


def warnings(root: Path) -> list[tuple[str, int, int, str]]:
    catalog = load_catalog(root)
    return sorted((Path(w.path).name, w.line, w.col, w.message)
                  for w in plausibility_warnings(catalog))


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    nano = PLANTED["content/models/nano.yaml"] + (
        "speed:\n  - {provider: P, output_tokens_per_s: 100, ttft_ms_p50: 500}\n")
    nano = nano.replace("benchmarks:\n  mtb: {score: 8.5}\n",
                        "benchmarks:\n  mtb: {score: 8.5, as_of: 2025-07-24}\n")
    return write_files(tmp_path, {**PLANTED, "content/models/nano.yaml": nano})


def test_every_planted_problem_is_warned_at_its_figure(planted: Path) -> None:
    found = warnings(planted)
    where = [(name, line, col) for name, line, col, _ in found]
    messages = "\n".join(m for *_, m in found)
    assert ("vl.yaml", 5, 68) in where and ("vl.yaml", 5, 39) in where
    assert "$4800 per million output tokens at P is more than 300× above the catalogue's " \
           "median" in messages
    assert ("groq.yaml", 9, 26) in where
    assert "$7.9 per million output tokens at Groq is more than 8× above the model's other " \
           "offers (median $0.775): a slipped decimal point?" in messages
    assert ("nano.yaml", 4, 15) in where
    assert "parameters_b 88.9 contradicts 9B in the name 'Nemotron Nano 9B v2'" in messages
    assert ("nano.yaml", 6, 16) in where
    assert "mtb: score 8.5 on MT-Bench's 0..100 scale is about 1/10 of the other 5 results" \
           in messages and "is it out of 10?" in messages
    assert ("nano.yaml", 7, 10) in where
    assert "'Our': this reads as the vendor speaking" in messages
    assert ("nano.yaml", 11, 39) in where
    assert "price at P is dated 2025-07-01, before the model's release (2025-08-07)" in messages
    assert ("nano.yaml", 6, 28) in where
    assert "mtb score is dated 2025-07-24, before the model's release" in messages
    placeholder = [(n, line) for n, line, _, m in found if m.startswith("100 tokens/s, 500 ms")]
    assert placeholder == [("a.yaml", 7), ("b.yaml", 7), ("c.yaml", 7), ("d.yaml", 7),
                           ("nano.yaml", 13)]
    assert "100 tokens/s, 500 ms is also the speed of 4 unrelated models" in messages
    assert len(found) == 13  # nothing else: the honest figures raise nothing


def test_thresholds_live_in_site_yaml_and_null_turns_a_check_off(planted: Path) -> None:
    write_files(planted, {"content/site.yaml": (
        "title: T\nbase_url: https://example.com/\ncheck:\n  price_outlier_factor: null\n"
        "  price_spread_factor: 20\n  name_size_tolerance: null\n  scale_mismatch_factor: null\n"
        "  before_release_grace_days: 40\n  repeated_speed_models: 6\n")})
    found = warnings(planted)
    assert [(n, line) for n, line, *_ in found] == [("nano.yaml", 7)]  # first person only


def test_versus_check_prints_them_with_path_line_col(planted: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--source", str(planted)])
    assert result.exit_code == 0, result.output
    assert "content/models/nano.yaml:4:15: warning: parameters_b 88.9 contradicts 9B" \
        in result.output


def test_the_clean_example_raises_no_plausibility_warning() -> None:
    catalog = load_catalog(REPO)
    assert plausibility_warnings(catalog) == []


@pytest.mark.parametrize("name, size, warned", [
    ("Qwen3 235B A22B", 235.0, False),  # A22B is the active count
    ("Gemma 3n E4B", 8.0, False),  # E4B: effective parameters
    ("Mixtral 8x7B", 46.7, False),  # experts × size
    ("Llama 3.2 11B Vision", 10.6, False),
    ("Phi 1.5B", 15.0, True),
    ("Small 3B", 0.3, True),
])
def test_sizes_in_names(tmp_path: Path, name: str, size: float, warned: bool) -> None:
    write_files(tmp_path, {
        "content/site.yaml": "title: T\nbase_url: https://example.com/\n",
        "content/benchmarks.yaml": "mtb: {name: MT-Bench, scale_max: 100}\n",
        "content/models/m.yaml": f"name: {name}\nvendor: V\nopen_weights: true\n"
                                 f"parameters_b: {size}\n"})
    assert bool(warnings(tmp_path)) is warned


def test_audio_or_video_input_no_other_model_of_the_vendor_takes_is_warned(tmp_path: Path) -> None:
    """The dataset's provider flags give Claude Sonnet 4.5 audio and video input."""
    inputs = {"son": "[text, image, audio, video]", "opus": "[text, image]",
              "gem": "[text, image, audio, video]", "flash": "[text, image, audio, video]",
              "solo": "[text, audio]"}
    vendors = {"son": "Anthropic", "opus": "Anthropic", "gem": "Google", "flash": "Google",
               "solo": "Solo Labs"}
    files = {"content/site.yaml": "title: T\nbase_url: https://example.com/\n",
             "content/benchmarks.yaml": "mtb: {name: MT-Bench, scale_max: 100}\n"}
    for slug, kinds in inputs.items():
        files[f"content/models/{slug}.yaml"] = plain(
            slug.title(), vendors[slug], extra=f"modalities:\n  input: {kinds}\n  output: [text]\n")
    found = [(name, line, col, message) for name, line, col, message in
             warnings(write_files(tmp_path, files)) if "accepts it" in message]
    # son.yaml: the modalities start at line 10; "audio" at column 24, "video" at 31.
    assert [(name, line, col) for name, line, col, _ in found] == [("son.yaml", 11, 24),
                                                                   ("son.yaml", 11, 31)]
    assert found[0][3].startswith("audio input: no other Anthropic model here accepts it")
    # Google's two models vouch for each other; a vendor's only model is not second-guessed.
    files["content/site.yaml"] += "check:\n  lone_modalities: false\n"
    assert not [w for w in warnings(write_files(tmp_path, files)) if "accepts it" in w[3]]


def test_a_weighted_dimension_most_models_lack_is_warned_at_its_weight(tmp_path: Path) -> None:
    """Imported data often lacks speeds: most models would be listed unranked."""
    files = {"content/site.yaml": "title: T\nbase_url: https://example.com/\n"
                                  "scoring:\n  weights:\n    speed: 15\n",
             "content/benchmarks.yaml": "mtb: {name: MT-Bench, scale_max: 100}\n"}
    for i, name in enumerate(["Alpha", "Bravo", "Charlie"]):
        speed = f"{{provider: P, output_tokens_per_s: {50 + i}, ttft_ms_p50: {300 + i}}}"
        text = plain(name, name[0], speed=speed)
        files[f"content/models/{name.lower()}.yaml"] = (
            text if i == 0 else text.replace(f"speed:\n  - {speed}\n", ""))
    found = [w for w in warnings(write_files(tmp_path, files)) if "is weighted" in w[3]]
    assert found == [("site.yaml", 5, 12, "speed is weighted but only 1 of 3 models have its "
                      "data: the others are listed unranked; add the data, or set "
                      "scoring.weights.speed: 0")]
    files["content/site.yaml"] = files["content/site.yaml"].replace("speed: 15", "speed: 0")
    assert not [w for w in warnings(write_files(tmp_path, files)) if "is weighted" in w[3]]
