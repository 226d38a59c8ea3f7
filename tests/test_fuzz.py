"""Fuzzing: random mutations of the example content through ``versus check`` and
``versus build`` (in-process), 2,000 cases from fixed seeds.

Every case must end as an editor's mistake does (exit 1 with messages) or as a
build does (exit 0): never a traceback, never another exit code. A build that
succeeds must publish a well-formed feed and no embed placeholder. A failure names
its seed; ``FUZZ_START=<seed> FUZZ_CASES=1 pytest tests/test_fuzz.py`` replays it,
and a larger ``FUZZ_CASES`` searches further.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result

import fuzzing

from generator.cli import main
from generator.render import renderer

START = int(os.environ.get("FUZZ_START", "0"))
CASES = int(os.environ.get("FUZZ_CASES", "2000"))
BUILD_EVERY = 40  # one case in this many is built as well as checked


WORKERS = 2  # CI has two cores: each process fuzzes its own copy of the slice


@pytest.fixture
def memory_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates compiled once per process, not for every case (Jinja checks each against
    its source, so what renders is the same)."""
    memory = fuzzing.MemoryBytecode()
    monkeypatch.setattr(renderer, "make_environment", memory.wrap(renderer.make_environment))


@contextlib.contextmanager
def project_folder():  # type: ignore[no-untyped-def]
    # Memory-backed where there is one: the cases rewrite and reread files.
    shm = Path("/dev/shm")
    folder = tempfile.mkdtemp(prefix="versus-fuzz-", dir=shm if shm.is_dir() else None)
    try:
        yield fuzzing.make_project(Path(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ended_cleanly(result: Result) -> bool:
    return (result.exit_code in (0, 1) and "Traceback" not in result.output
            and (result.exception is None or isinstance(result.exception, SystemExit)))


def describe(case: fuzzing.Case, command: str, result: Result) -> str:
    import traceback

    trace = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
    return (f"fuzz seed {case.seed} ({command}): {case.path}: {case.what}\n"
            f"replay: FUZZ_START={case.seed} FUZZ_CASES=1 python -m pytest tests/test_fuzz.py\n"
            f"exit code {result.exit_code}\n{result.output[-2000:]}\n{trace[-4000:]}")


def test_the_example_slice_checks_and_builds(memory_bytecode: None) -> None:
    runner = CliRunner()
    with project_folder() as project:
        assert runner.invoke(main, ["check", "--source", str(project)]).exit_code == 0
        result = runner.invoke(main, ["build", "--source", str(project), "-j", "1"])
        assert result.exit_code == 0, result.output


def test_mutated_content_never_crashes_check_or_build(memory_bytecode: None) -> None:
    seeds = range(START, START + CASES)
    shares = [seeds[i::WORKERS] for i in range(WORKERS)]
    if CASES < 100 or not hasattr(os, "fork"):
        results = [_fuzz(seeds)]
    else:
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            results = pool.map(_fuzz, shares)
    failures = [f for found, _ in results for f in found]
    outcomes = {code: sum(o.get(code, 0) for _, o in results) for code in (0, 1)}
    assert not failures, "\n\n".join(failures)
    # The mutations reach both ends: content that still builds, and content refused.
    if CASES >= 200:
        assert outcomes[0] > CASES // 10 and outcomes[1] > CASES // 10, outcomes


def _fuzz(seeds: range) -> tuple[list[str], dict[int, int]]:
    """Run the cases ``seeds`` on a fresh copy of the slice: (failures, exit codes seen)."""
    with project_folder() as project:
        return _fuzz_in(project, seeds)


def _fuzz_in(project: Path, seeds: range) -> tuple[list[str], dict[int, int]]:
    originals = {p: (project / p).read_bytes() for p in fuzzing.files(project)}
    runner = CliRunner()
    failures: list[str] = []
    outcomes: dict[int, int] = {}
    for seed in seeds:
        case = fuzzing.case(seed, originals)
        (project / case.path).write_bytes(case.data)
        try:
            result = runner.invoke(main, ["check", "--source", str(project)])
            if not ended_cleanly(result):
                failures.append(describe(case, "check", result))
            outcomes[result.exit_code] = outcomes.get(result.exit_code, 0) + 1
            if seed % BUILD_EVERY == 0:
                built = runner.invoke(main, ["build", "--source", str(project), "-j", "1"])
                if not ended_cleanly(built):
                    failures.append(describe(case, "build", built))
                elif built.exit_code == 0:
                    problem = _published_problem(project / "site")
                    if problem:
                        failures.append(f"fuzz seed {seed} (build): {case.path}: {case.what}: "
                                        f"{problem}")
        finally:
            (project / case.path).write_bytes(originals[case.path])
        if len(failures) >= 5:
            break
    return failures, outcomes


def _published_problem(site: Path) -> str | None:
    try:
        ElementTree.fromstring((site / "feed.xml").read_bytes())
    except ElementTree.ParseError as exc:
        return f"feed.xml is not well-formed: {exc}"
    for page in site.rglob("*.html"):
        if "\x1a" in page.read_text(encoding="utf-8"):
            return f"{page} holds an embed placeholder"
    return None
