"""``versus serve`` keeps parsed files and the quality fit between builds (compute/memo.py):
a build through a warm memo writes exactly the site a clean build writes."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_site, tree_bytes, write_files
from generator.build import build
from generator.compute.memo import Memo
from generator.errors import ContentError
from generator.load.memo import ParseMemo
from generator.load.sources import load_project
from test_incremental import EDITS, _edit_yaml, _models, build_or_error


def broken_file(site: Path, rng: random.Random) -> None:
    """A model file that does not parse (a duplicate key: only Versus refuses it, so the
    other edits can still read it), or (the next time) the same file fixed or deleted."""
    path = site / "content/models/broken.yaml"
    if path.exists():
        path.unlink() if rng.random() < 0.5 else path.write_text("name: Fixed\nvendor: Fixco\n")
    else:
        path.write_text("name: Broken\nname: Twice\nvendor: Fixco\n")


def benchmark_scale(site: Path, rng: random.Random) -> None:
    """A registry entry the quality fit reads (its scale), not only its display name."""
    path = site / "content/benchmarks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("gpqa:\n", f"gpqa:\n  scale_max: {rng.choice([100, 120])}\n", 1)
                    if "scale_max" not in text else text.replace("  scale_max: 120\n", "")
                    .replace("  scale_max: 100\n", ""), encoding="utf-8")


def same_bytes_rewritten(site: Path, rng: random.Random) -> None:
    """A save that changes nothing (an editor's ctrl-S): the memo must still answer."""
    models = _models(site)
    if models:
        path = rng.choice(models)
        path.write_bytes(path.read_bytes())


MEMO_EDITS = (*EDITS, broken_file, benchmark_scale, same_bytes_rewritten)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(MEMO_EDITS), st.integers(0, 2**32)),
                      min_size=1, max_size=5))
def test_a_build_through_a_warm_memo_equals_a_clean_build(edits) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = copy_site("basic", root)
        memo, served = Memo(), root / "served"
        build(site, served, memo=memo)
        for step, (edit, seed) in enumerate(edits):
            edit(site, random.Random(seed))
            problem = build_or_error(site, served, memo=memo)
            cold = root / f"cold-{step}"
            assert build_or_error(site, cold, cache=False) == problem, edit.__name__
            if problem is None:
                assert tree_bytes(served) == tree_bytes(cold), edit.__name__


def test_a_price_edit_parses_one_file_and_keeps_the_fit(basic_site: Path, tmp_path: Path) -> None:
    memo = Memo()
    build(basic_site, tmp_path / "out", memo=memo)
    files = len(memo.parsed)
    assert memo.parsed.parsed == files and memo.fits == 1
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(pricing=[
        {"provider": "Host", "input_usd_per_mtok": 1.5, "output_usd_per_mtok": 3}]))
    build(basic_site, tmp_path / "out", memo=memo)
    assert (memo.parsed.parsed, memo.fits) == (1, 1)


def test_a_score_edit_fits_again(basic_site: Path, tmp_path: Path) -> None:
    memo = Memo()
    build(basic_site, tmp_path / "out", memo=memo)
    _edit_yaml(_models(basic_site)[0], lambda d: d["benchmarks"].update(mmlu={"score": 12.5}))
    build(basic_site, tmp_path / "out", memo=memo)
    assert memo.fits == 2


def test_a_file_that_fails_to_parse_fails_on_every_build(basic_site: Path) -> None:
    write_files(basic_site, {"content/models/bad.yaml": "name: A\nname: B\n"})
    memo = ParseMemo()
    first = load_project(basic_site, memo)
    again = load_project(basic_site, memo)
    assert first.errors and first.errors == again.errors
    assert "content/models/bad.yaml" not in "".join(memo._entries)  # never kept


def test_deleted_files_are_forgotten(basic_site: Path) -> None:
    memo = ParseMemo()
    load_project(basic_site, memo)
    count = len(memo)
    _models(basic_site)[0].unlink()
    load_project(basic_site, memo)
    assert len(memo) == count - 1 and memo.parsed == 0


def test_a_load_that_fails_leaves_the_memo_as_it_was(tmp_path: Path) -> None:
    memo = ParseMemo()
    with pytest.raises(ContentError):
        load_project(tmp_path, memo)  # no content/ at all
    assert len(memo) == 0
