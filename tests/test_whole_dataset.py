"""The whole LLM Stats snapshot (CC BY 4.0), imported and built at per_model 8: issue 14's checks.

Slow-ish (an import and a build of about 2,200 pages), so one module-scoped site serves all.
"""

from __future__ import annotations

import json
import tarfile
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import parse_html, write_files
from generator.build import build, load_catalog, prepare
from generator.cli import main

SNAPSHOT = Path(__file__).parent / "data" / "llm-stats-24a9ccf.tar.gz"
FRONTIER = ("gpt-5", "claude-sonnet-4-5", "gemini-2-5-pro", "grok-4")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data = tmp_path_factory.mktemp("llm-stats")
    with tarfile.open(SNAPSHOT) as archive:
        archive.extractall(data, filter="data")
    root = write_files(tmp_path_factory.mktemp("whole"), {"content/site.yaml": (
        "title: Whole\nbase_url: https://example.com/\ncomparisons:\n  per_model: 8\n")})
    result = CliRunner().invoke(main, ["import", "llm-stats", str(data), "--all",
                                       "--source", str(root)])
    assert result.exit_code == 0, result.output
    build(root, root / "site")
    return root, root / "site"


def test_no_overall_score_without_every_dimension_and_three_benchmarks(site) -> None:
    _, out = site
    models = json.loads((out / "api/models.json").read_text())
    ranked = [m for m in models if m["computed"]["scores"]["overall"] is not None]
    assert ranked and len(ranked) < len(models)
    for m in ranked:
        scores = m["computed"]["scores"]
        assert all(scores[k] is not None for k in ("quality", "cost", "speed", "context"))
        assert len(m["benchmarks"]) >= 3


def test_at_k8_most_pages_cross_vendors_and_the_frontier_meets(site) -> None:
    root, _ = site
    catalog = load_catalog(root)
    pairs = prepare(catalog).plan.pairs
    cross = sum(catalog.models[a].vendor != catalog.models[b].vendor for a, b in pairs)
    assert cross / len(pairs) >= 0.5
    for a, b in combinations(sorted(FRONTIER), 2):
        assert (a, b) in pairs


def test_no_lead_between_values_equal_as_shown_and_pages_stay_small(site) -> None:
    _, out = site
    pages = sorted(out.glob("compare/*-vs-*/index.html"))
    assert max(p.stat().st_size for p in pages) < 60_000
    for page in pages[::10]:  # every tenth page: parsing all of them takes long
        doc = parse_html(page)
        assert len(list(doc.find_all("details"))) <= 12
        for table in doc.find_all("table"):
            for tr in table.find("tbody").find_all("tr") if table.find("tbody") else ():
                cells = [td.text.replace("✓ better", "").replace("✓", "").strip()
                         for td in tr.find_all("td")]
                if "✓" in tr.text and len(cells) >= 2:
                    assert cells[0] != cells[1], (page, tr.text)


def test_check_warns_about_what_the_import_could_not_know(site) -> None:
    root, _ = site
    result = CliRunner().invoke(main, ["check", "--source", str(root)])
    assert result.exit_code == 0, result.output
    assert "content/models/nvidia-nemotron-nano-9b-v2.yaml:" in result.output
    assert "parameters_b 88.9 contradicts 9B in the name 'Nemotron Nano 9B v2'" in result.output
    assert "this reads as the vendor speaking" in result.output  # "GPT-5 is our flagship model"
