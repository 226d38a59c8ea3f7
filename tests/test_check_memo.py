"""``versus check`` keeps a sealed memo (checkmemo.py): whatever happened since the last
check, a check through it prints exactly what a check without it prints, and exits alike."""

from __future__ import annotations

import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_site, tree_bytes, write_files
from generator import sealed
from generator.checkmemo import memo_dir
from generator.cli import main
from test_incremental import _edit_yaml, _models, build_or_error
from test_serve_memo import MEMO_EDITS

Outcome = tuple[int, str, str]  # exit code, stdout, stderr


def check(site: Path, *args: str) -> Outcome:
    result = CliRunner().invoke(main, ["check", "--source", str(site), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def fresh(site: Path) -> Outcome:
    """What a check without any memo says (the memo itself left as it was)."""
    kept = memo_dir(site)
    aside = site.parent / "memo-aside"
    if kept.exists():
        shutil.move(kept, aside)
    try:
        return check(site, "--no-cache")
    finally:
        shutil.rmtree(kept, ignore_errors=True)
        if aside.exists():
            shutil.move(aside, kept)


# --------------------------------------------------------------------------- edits


def broken_yaml(site: Path, rng: random.Random) -> None:
    """A model file with a YAML syntax error, or (the next time) the error fixed."""
    models = _models(site)
    if not models:
        return
    path = rng.choice(models)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: ", "name: [unclosed ", 1) if "[unclosed" not in text
                    else text.replace("[unclosed ", ""), encoding="utf-8")


def invalid_value(site: Path, rng: random.Random) -> None:
    """A value the schema refuses (a negative price, a misspelt field)."""
    models = _models(site)
    if models:
        _edit_yaml(rng.choice(models), lambda d: d.update(
            rng.choice([{"open_weights": "perhaps"}, {"vendr": "Typo"}])))


def duplicate_name(site: Path, rng: random.Random) -> None:
    """Two models under one name: an error only the whole catalogue shows."""
    models = _models(site)
    if len(models) >= 2:
        first, second = rng.sample(models, 2)
        name = yaml_name(first)
        _edit_yaml(second, lambda d: d.update(name=name))


def yaml_name(path: Path) -> str:
    return str(yaml.safe_load(path.read_text(encoding="utf-8")).get("name"))


CHECK_EDITS = (*MEMO_EDITS, broken_yaml, invalid_value, duplicate_name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(CHECK_EDITS), st.integers(0, 2**32),
                                st.booleans()), min_size=1, max_size=6))
def test_a_check_through_the_memo_prints_what_a_fresh_check_prints(edits) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        site = copy_site("basic", Path(tmp))
        assert check(site) == fresh(site)
        for edit, seed, twice in edits:
            try:
                edit(site, random.Random(seed))
            except yaml.YAMLError:  # it read the file broken_yaml broke: edited what it could
                pass
            expected = fresh(site)
            assert check(site) == expected, edit.__name__  # parses what changed
            if twice:
                assert check(site) == expected, edit.__name__  # replays the last check


# --------------------------------------------------------------------------- what it skips


def test_nothing_changed_replays_without_loading_the_pipeline(basic_site: Path) -> None:
    """The second check of an unchanged project imports no YAML, pydantic or analysis."""
    write_files(basic_site, {"content/models/bad.yaml": "name: A\nvendor: [\n"})
    script = ("import sys\nfrom click.testing import CliRunner\nfrom generator.cli import main\n"
              "r = CliRunner().invoke(main, ['check', '--source', sys.argv[1]])\n"
              "print(r.exit_code, repr(r.stderr))\n"
              "print(sorted(m for m in ('yaml', 'pydantic', 'generator.analyse', "
              "'generator.load.sources') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    run = lambda: subprocess.run([sys.executable, "-c", script, str(basic_site)],  # noqa: E731
                                 capture_output=True, text=True, env=env, check=True).stdout
    first = run().splitlines()
    assert first[-1] != "[]"
    second = run().splitlines()
    assert second[-1] == "[]"
    assert second[0] == first[0] and first[0].startswith("1 ")
    assert "bad.yaml:2:" in first[0]  # path:line:col, replayed as it was


def spy(monkeypatch: pytest.MonkeyPatch) -> list:
    """The memo each fresh check runs through."""
    import generator.analyse as analyse

    memos: list = []
    real = analyse.memo_of

    def memo_of(parsed: object, quality: object):  # type: ignore[no-untyped-def]
        memos.append(real(parsed, quality))
        return memos[-1]

    monkeypatch.setattr(analyse, "memo_of", memo_of)
    return memos


def test_a_price_edit_parses_one_file_and_keeps_the_fit(basic_site: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    memos = spy(monkeypatch)
    check(basic_site)
    assert memos[-1].fits == 1 and memos[-1].parsed.parsed == len(memos[-1].parsed)
    assert check(basic_site)[0] == 0 and len(memos) == 1  # replayed: no check ran
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(pricing=[
        {"provider": "Host", "input_usd_per_mtok": 1.5, "output_usd_per_mtok": 3}]))
    check(basic_site)
    assert (memos[-1].parsed.parsed, memos[-1].fits) == (1, 0)
    _edit_yaml(_models(basic_site)[0], lambda d: d["benchmarks"].update(mmlu={"score": 12.5}))
    check(basic_site)
    assert (memos[-1].parsed.parsed, memos[-1].fits) == (1, 1)  # one file changed since
    check(basic_site, "--no-cache")
    assert memos[-1].parsed.parsed == len(memos[-1].parsed) and memos[-1].fits == 1


def test_options_and_the_date_are_part_of_the_stamp(basic_site: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    memos = spy(monkeypatch)
    check(basic_site)
    check(basic_site, "--drafts")
    check(basic_site, "--strict")
    check(basic_site, "--base-url", "https://example.org/")
    assert len(memos) == 4
    import datetime as dt

    class Tomorrow(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2099, 1, 1)

    monkeypatch.setattr(dt, "date", Tomorrow)
    check(basic_site)
    assert len(memos) == 5


# --------------------------------------------------------------------------- a memo it distrusts


def _flip(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00not a memo")


def _a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize("damage", [_flip, _truncate, _garbage, _a_folder])
@pytest.mark.parametrize("name", ["state.json", "parsed.bin", "quality.bin"])
def test_a_damaged_memo_is_ignored_and_rewritten(basic_site: Path, name: str, damage,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    memos = spy(monkeypatch)
    check(basic_site)
    damage(memo_dir(basic_site) / name)
    if name != "state.json":  # a check that reads the part
        write_files(basic_site, {"content/articles/new.md": "---\ntitle: New\n"
                                 "date: 2026-01-01\n---\nText.\n"})
    expected = fresh(basic_site)
    assert check(basic_site) == expected and len(memos) == 3
    if name == "parsed.bin":  # nothing taken from it
        assert memos[-1].parsed.parsed == len(memos[-1].parsed)
    if name == "quality.bin":
        assert memos[-1].fits == 1
    assert check(basic_site) == expected
    if damage is not _a_folder:  # rewritten: replayed (a folder in the way stays there)
        assert len(memos) == 3


def test_errors_are_replayed_as_they_were(basic_site: Path) -> None:
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(vendr="Typo"))
    expected = fresh(basic_site)
    assert expected[0] == 1 and re.search(r"\.yaml:\d+:\d+: unknown field 'vendr'", expected[2])
    assert check(basic_site) == expected
    assert check(basic_site) == expected  # replayed


def test_a_memo_sealed_under_another_key_is_ignored(basic_site: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    memos = spy(monkeypatch)
    monkeypatch.setenv(sealed.KEY_ENV, "someone else")
    sealed.cache_key.cache_clear()
    try:
        check(basic_site)
        monkeypatch.setenv(sealed.KEY_ENV, "mine")
        sealed.cache_key.cache_clear()
        assert check(basic_site) == fresh(basic_site)
        assert len(memos) == 3 and memos[1].parsed.parsed == len(memos[1].parsed)
    finally:
        sealed.cache_key.cache_clear()


class Boom:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (Path(tempfile.gettempdir()) / "versus-check-memo-pwned",))


def test_an_unsealed_pickle_is_never_unpickled(basic_site: Path) -> None:
    check(basic_site)
    proof = Path(tempfile.gettempdir()) / "versus-check-memo-pwned"
    proof.unlink(missing_ok=True)
    (memo_dir(basic_site) / "parsed.bin").write_bytes(b"versus-sealed-1\n" + b"\0" * 32 +
                                                    pickle.dumps(Boom()))
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(name="Renamed"))
    assert check(basic_site) == fresh(basic_site)
    assert not proof.exists()


def test_a_folder_it_cannot_write_still_checks(basic_site: Path) -> None:
    (basic_site / ".versus-cache").write_text("not a folder")  # every write fails
    expected = fresh(basic_site)
    assert check(basic_site) == expected and expected[0] == 0
    assert (basic_site / ".versus-cache").read_text() == "not a folder"


def test_a_check_in_the_wrong_folder_leaves_nothing(tmp_path: Path) -> None:
    assert check(tmp_path)[0] == 1
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- versus build


def cli_build(site: Path, out: Path, *args: str) -> int:
    result = CliRunner().invoke(main, ["build", "--source", str(site), "--out", str(out), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(CHECK_EDITS), st.integers(0, 2**32),
                                st.booleans()), min_size=1, max_size=4))
def test_a_build_through_the_check_memo_equals_a_clean_build(edits) -> None:  # type: ignore[no-untyped-def]
    """``versus build`` starts from what the last check parsed and fitted: the same site."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = copy_site("basic", root)
        check(site)
        for step, (edit, seed, checked) in enumerate(edits):
            try:
                edit(site, random.Random(seed))
            except yaml.YAMLError:  # as in the check property above
                pass
            if checked:
                check(site)
            code = cli_build(site, root / "served")
            cold = root / f"cold-{step}"
            problem = build_or_error(site, cold, cache=False)
            assert code == (1 if problem else 0), (edit.__name__, problem)
            if problem is None:
                assert tree_bytes(root / "served") == tree_bytes(cold), edit.__name__


def test_a_build_after_a_check_parses_what_changed_since(basic_site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    memos = spy(monkeypatch)
    check(basic_site)
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(pricing=[
        {"provider": "Host", "input_usd_per_mtok": 1.5, "output_usd_per_mtok": 3}]))
    assert cli_build(basic_site, tmp_path / "out") == 0
    assert (memos[-1].parsed.parsed, memos[-1].fits) == (1, 0)
    count = len(memos)
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(name="Renamed"))
    assert cli_build(basic_site, tmp_path / "out", "--clean") == 0
    assert len(memos) == count  # a clean build reads no memo


def test_an_empty_content_folder_and_none_are_told_apart(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    empty = check(tmp_path)
    assert empty == fresh(tmp_path) and empty[0] == 1
    (tmp_path / "content").rmdir()
    gone = check(tmp_path)
    assert gone == fresh(tmp_path) and gone != empty
