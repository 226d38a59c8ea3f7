"""The Hugo yardstick of the cold-build benchmark (``benchmarks/hugo_site.py``).

The benchmark is only fair if Hugo builds, for every pair, the page Versus builds: these
tests build a small synthetic catalogue with both and read the pages back.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from conftest import parse_html

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
MODELS = 10  # the first with closed weights is the 7th


def _load(name: str):  # type: ignore[no-untyped-def]
    """A benchmarks/ module under its own name (tests/ has a synthetic.py of its own)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hugo_site = _load("hugo_site")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(Versus's output, the Hugo project, the source) for 10 models with all pairs."""
    root = tmp_path_factory.mktemp("yardstick")
    source = root / "source"
    _load("synthetic").generate(source, MODELS)
    config = source / "content" / "site.yaml"
    config.write_text(config.read_text() + "comparisons:\n  per_model: all\n")
    subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(source),
                    "--out", str(root / "versus")], check=True, capture_output=True)
    hugo_site.write_hugo_site(source, root / "hugo", root / "versus" / "api")
    return root / "versus", root / "hugo", source


def _slugs(source: Path) -> list[str]:
    return sorted(p.stem for p in (source / "content" / "models").glob("*.yaml"))


def test_the_pre_step_gives_hugo_per_model_data_and_no_per_pair_html(sites) -> None:
    _, hugo, source = sites
    slugs = _slugs(source)
    for slug in slugs:
        model = json.loads((hugo / "data" / "models" / f"{slug}.json").read_text())
        offer = model["d"]["cheapest"]
        assert model["d"]["blended"] == pytest.approx(
            (3 * offer["input_usd_per_mtok"] + offer["output_usd_per_mtok"]) / 4)
        assert len(model["d"]["related"]) == min(len(slugs) - 1, 9)
        assert slug not in {o for o, _ in model["d"]["related"]}
    pages = sorted((hugo / "content" / "compare").glob("*-vs-*.md"))
    assert [p.stem for p in pages] == [f"{a}-vs-{b}" for a, b in combinations(slugs, 2)]
    for page in pages:  # front matter only: title, the two slugs, the reverse-order alias
        text = page.read_text()
        assert "<" not in text
        assert [line.split(":")[0] for line in text.splitlines()[1:-1]] == [
            "title", "a", "b", "aliases"]


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs hugo (apt-get install hugo)")
def test_hugo_builds_every_pair_with_the_same_main_content_as_versus(sites, tmp_path) -> None:
    versus, hugo, source = sites
    result = subprocess.run(["hugo", "--quiet", "--panicOnWarning", "-s", str(hugo),
                             "-d", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for a, b in combinations(_slugs(source), 2):
        page = f"compare/{a}-vs-{b}/index.html"
        mine, theirs = parse_html(tmp_path / page), parse_html(versus / page)
        assert _shape(mine.find("main")) == _shape(theirs.find("main")), page
        scripts = [s.text for s in mine.find_all("script", type="application/ld+json")]
        assert [json.loads(s) for s in scripts] == [
            json.loads(s.text) for s in theirs.find_all("script", type="application/ld+json")]
        assert hugo_site.census(tmp_path / page) | {"KB": 0, "a": 0} == (
            hugo_site.census(versus / page) | {"KB": 0, "a": 0})
        # the reverse order redirects to the page, as Versus's does
        redirect = parse_html(tmp_path / f"compare/{b}-vs-{a}/index.html")
        canonical = redirect.find("link", rel="canonical")
        assert canonical is not None and canonical.attrs["href"].endswith(f"/{a}-vs-{b}/")
        assert redirect.find("meta", name="robots").attrs["content"] == "noindex"


def _shape(element) -> list[tuple[str, tuple, str]]:  # type: ignore[no-untyped-def]
    """Every element under ``element``: its tag, its attributes and its own text."""
    return [(el.tag, tuple(sorted(el.attrs.items())),
             " ".join("".join(c for c in el.content if isinstance(c, str)).split()))
            for el in element.iter()]


def test_census_counts_what_a_page_holds(tmp_path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<html><head><meta property="og:title" content="x">'
                    '<script type="application/ld+json">{}</script></head><body><section>'
                    '<table><tr><td>1 <span class="win">✓</span></td></tr></table>'
                    '<svg><rect/><rect/></svg><a href="/">home</a></section></body></html>')
    counts = hugo_site.census(page)
    assert counts | {"KB": 0} == dict.fromkeys(hugo_site.CENSUS, 0) | {
        "KB": 0, "og/tw": 1, "json-ld": 1, "section": 1, "table": 1, "tr": 1, "✓": 1,
        "svg": 1, "rect": 2, "a": 1}
    assert counts["KB"] == round(len(page.read_bytes()) / 1000, 1)
