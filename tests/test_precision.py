"""Numbers at the precision their scale needs; no lead claimed between values equal as shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import parse_html, write_files
from generator.build import build
from generator.compute.derive import model_facts, pair_facts
from generator.compute.precision import same_as_shown, score_text
from generator.load.schema import Model
from generator.pages.formatting import bench


@pytest.mark.parametrize("score, scale, text", [
    (0.946, 1, "94.6%"), (0.9, 1, "90.0%"), (0.016, 1, "1.6%"), (1, 1, "100.0%"),
    (86, 100, "86.0"), (8.25, 10, "8.25"), (1250.4, 3000, "1,250"), (0.9455, 1, "94.6%"),
])
def test_a_score_reads_at_its_scales_precision(score: float, scale: float, text: str) -> None:
    assert score_text(score, scale) == text
    assert bench(score, scale) == text


def test_values_equal_as_shown_are_a_tie_and_different_ones_are_not() -> None:
    assert same_as_shown(0.9001, 0.9004, 1) and not same_as_shown(0.946, 0.94, 1)
    assert same_as_shown(86.04, 85.96, 100) and not same_as_shown(86.0, 86.1, 100)
    assert bench(None, 1) == "—"


def pair(a: dict[str, float], b: dict[str, float], higher: dict[str, bool]):  # type: ignore[no-untyped-def]
    ma = Model(name="A", vendor="V", open_weights=True, benchmarks={k: {"score": v} for k, v in a.items()})
    mb = Model(name="B", vendor="V", open_weights=True, benchmarks={k: {"score": v} for k, v in b.items()})
    return pair_facts(ma, mb, model_facts(ma), model_facts(mb), higher, {k: 1.0 for k in higher})


def test_nobody_leads_on_a_benchmark_where_the_shown_values_are_equal() -> None:
    facts = pair({"aime": 0.9001, "gpqa": 0.946, "wer": 0.05},
                 {"aime": 0.9004, "gpqa": 0.94, "wer": 0.08},
                 {"aime": True, "gpqa": True, "wer": False})
    leaders = {row.key: row.leader for row in facts.shared_benchmarks}
    assert leaders == {"aime": None, "gpqa": "a", "wer": "a"}  # lower word error rate wins
    assert facts.benchmark_leads == (2, 0)


SITE = {
    "content/site.yaml": "title: T\nbase_url: https://example.com/\n",
    "content/benchmarks.yaml": (
        "aime: {name: AIME 2025, scale_max: 1}\n"
        "gpqa: {name: GPQA, scale_max: 1}\n"
        "hbh: {name: HealthBench Hard, scale_max: 1}\n"
        "wer: {name: Word error rate, scale_max: 1, higher_is_better: false}\n"),
    "content/models/gpt.yaml": (
        "name: Gpt\nvendor: OpenAI\nopen_weights: false\n"
        "benchmarks:\n  aime: {score: 0.9001}\n  gpqa: {score: 0.946}\n  hbh: {score: 0.016}\n"
        "  wer: {score: 0.08}\n"),
    "content/models/claude.yaml": (
        "name: Claude\nvendor: Anthropic\nopen_weights: false\n"
        "benchmarks:\n  aime: {score: 0.9004}\n  gpqa: {score: 0.94}\n  hbh: {score: 0.02}\n"
        "  wer: {score: 0.05}\n"),
    "content/articles/a.md": ("---\ntitle: A\ndate: 2026-01-01\n---\n"
                              "AIME: {{ gpt.benchmarks.aime }}\n\n"
                              "```versus\nbenchmark: wer\n```\n"),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("precision"), SITE)
    build(root, root / "site")
    return root / "site"


def rows(page: Path, caption: str) -> dict[str, list[str]]:
    for table in parse_html(page).find_all("table"):
        cap = table.find("caption")
        if cap is not None and cap.text.startswith(caption):
            return {tr.find("th").text: [td.text for td in tr.find_all("td")]
                    for tr in table.find("tbody").find_all("tr")}
    raise AssertionError(f"no table {caption!r}")


def test_comparison_tables_show_percentages_and_mark_only_visible_leads(out: Path) -> None:
    page = out / "compare/claude-vs-gpt/index.html"
    table = rows(page, "Benchmark scores of")
    assert table["AIME 2025"][:2] == ["90.0%", "90.0%"]  # a tie: no ✓ on either side
    assert table["GPQA"][:2] == ["94.0%", "94.6% ✓ better"]
    assert table["HealthBench Hard"][:2] == ["2.0% ✓ better", "1.6%"]
    assert table["Word error rate"][:2] == ["5.0% ✓ better", "8.0%"]  # lower is better


def test_faq_and_verdict_read_ties_as_ties(out: Path) -> None:
    doc = parse_html(out / "compare/claude-vs-gpt/index.html")
    faq = {d.find("summary").text: d.find("div").text for d in doc.find_all("details")}
    grouped = faq["How do Claude and Gpt compare on the benchmarks both report?"]
    assert grouped.startswith("On the 4 benchmarks both report, Claude does better on 2 and Gpt "
                              "on 1; 1 is a tie as shown.")
    assert "AIME 2025 90.0% 90.0%GPQA" in grouped  # the tie: no ✓
    assert "Word error rate (lower is better) 5.0% ✓ 8.0%" in grouped
    assert "AIME 2025 (" not in doc.text  # never "leads on AIME 2025 (90.0% against 90.0%)"
    assert "0.9 " not in doc.text and "0.0 / 1" not in doc.text


def test_chart_ticks_are_exact_percentages(out: Path) -> None:
    doc = parse_html(out / "compare/claude-vs-gpt/index.html")
    svg = next(s for s in doc.find_all("svg") if "Benchmark" in s.find("title").text)
    ticks = [t.text for t in svg.find_all("text") if t.parent.attrs.get("class") == "axis"]
    assert ticks == ["0%", "25%", "50%", "75%", "100%"]
    values = [t.text for t in svg.find_all("text") if t.attrs.get("class") == "value"]
    assert "1.6%" in values and "94.6%" in values


def test_model_page_and_embeds_use_the_same_precision_and_the_export_stays_raw(out: Path) -> None:
    table = rows(out / "models/gpt/index.html", "Benchmark results of")
    assert table["HealthBench Hard"][0] == "1.6%"
    assert table["Word error rate"][0] == "8.0% (lower is better)"
    article = out / "articles/a/index.html"
    assert "AIME: 90.0%" in parse_html(article).text
    assert list(rows(article, "Word error rate").items())[0][1][0] == "5.0%"  # best (lowest) first
    exported = {m["slug"]: m for m in json.loads((out / "api/models.json").read_text())}
    assert exported["gpt"]["benchmarks"]["hbh"]["score"] == 0.016


def test_side_by_side_leaves_out_rows_neither_model_has(out: Path) -> None:
    doc = parse_html(out / "compare/claude-vs-gpt/index.html")
    table = doc.find("table", **{"class": "side-by-side"})
    rows = {tr.find("th").text: [td.text for td in tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")}
    assert "Architecture" not in rows and "Languages" not in rows  # "—" on both sides
    assert rows["Vendor"] == ["Anthropic", "OpenAI"]
    assert all(cells != ["—", "—"] for cells in rows.values())
    assert "GPQA" not in rows  # in the benchmark table only


@pytest.mark.parametrize("licence, phrase", [
    ("Apache 2.0", "downloadable under the Apache 2.0 licence."),
    ("Llama 3.1 Community License", "downloadable under the Llama 3.1 Community License."),
])
def test_generated_sentences_name_a_licence_grammatically(tmp_path: Path, licence: str,
                                                          phrase: str) -> None:
    root = write_files(tmp_path, {
        "content/site.yaml": "title: T\nbase_url: https://example.com/\n",
        "content/benchmarks.yaml": "aime: {name: AIME, scale_max: 1}\n",
        "content/models/m.yaml": f"name: M\nvendor: V\nopen_weights: true\nlicense: {licence}\n"})
    build(root, root / "site")
    assert phrase in parse_html(root / "site/models/m/index.html").text


def test_a_number_never_reads_as_minus_zero() -> None:
    from generator.pages.formatting import number
    assert number(-0.001, 2) == "0" and number(-0.01, 2) == "-0.01"


def test_a_price_far_from_all_others_does_not_stretch_the_price_quality_chart(
        tmp_path: Path) -> None:
    files = {"content/site.yaml": "title: T\nbase_url: https://example.com/\n",
             "content/benchmarks.yaml": "aime: {name: AIME, scale_max: 1}\n"}
    for i, price in enumerate([0.5, 1.0, 2.0, 3.0, 5.0, 4800.0]):
        files[f"content/models/m{i}.yaml"] = (
            f"name: Model {i}\nvendor: V{i}\nopen_weights: true\n"
            f"pricing: [{{provider: P, input_usd_per_mtok: {price}, output_usd_per_mtok: {price}}}]\n"
            f"benchmarks: {{aime: {{score: 0.{i + 3}}}}}\n")
    for i in range(9):  # nine models without a price: counted, not listed one by one
        files[f"content/models/bare{i}.yaml"] = f"name: Bare {i}\nvendor: B\nopen_weights: true\n"
    root = write_files(tmp_path, files)
    build(root, root / "site")
    doc = parse_html(root / "site/index.html")
    section = doc.find("section", **{"aria-labelledby": "price-quality"})
    note = section.find("p", **{"class": "note"}).text
    assert "9 models without a price or without benchmark results are not shown" in note
    assert "Off the chart, with a price far from all others (check it): Model 5 at $4,800" in note
    svg = section.find("svg")
    assert "Model 5" not in svg.text and "$1,000" not in svg.text  # the axis stays where data is
    rows = [tr.find("th").text for tr in section.find("tbody").find_all("tr")]
    assert rows[-1] == "Model 5 (off the chart)" and len(rows) == 6
