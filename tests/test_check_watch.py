"""``versus check --watch`` (tools/checkwatch.py): a resident checker that finds, after
every save, exactly what a fresh check finds, reads only what changed, prints what is
new, and leaves the check memo so that a plain ``versus check`` replays it."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from watchfiles import Change

from conftest import copy_site, versus_process
from generator.analyse import check
from generator.checkmemo import CheckMemo
from generator.errors import ContentError, SourceError
from generator.load.sources import display_path
from generator.tools.checkwatch import CheckWatch, Outcome
from generator.tools.watch import changed_names
from test_incremental import _edit_yaml, _models
from test_serve_memo import MEMO_EDITS

TODAY = dt.date(2026, 12, 1)
WAIT_S = 30.0


class Printed:
    """What the watch prints: problems shown, and lines."""

    def __init__(self) -> None:
        self.shown: list[list[SourceError]] = []
        self.lines: list[str] = []

    def show(self, problems: Sequence[SourceError]) -> None:
        self.shown.append(list(problems))

    def echo(self, message: str, err: bool = False) -> None:
        self.lines.append(message)


def watch(site: Path, printed: Printed | None = None, **options: object) -> CheckWatch:
    printed = printed or Printed()
    return CheckWatch(site, drafts=False, strict=False, base_url=None, show=printed.show,
                      echo=printed.echo, today=lambda: TODAY, **options)  # type: ignore[arg-type]


def fresh(site: Path) -> tuple[tuple[SourceError, ...], tuple[SourceError, ...]]:
    """(warnings, errors) of a check with no memo at all."""
    try:
        return tuple(sorted(check(site, today=TODAY).warnings)), ()
    except ContentError as exc:
        return tuple(sorted(exc.warnings)), tuple(sorted(exc.errors))


def add_warning(site: Path) -> None:
    """A model with no pricing: a warning, not an error."""
    (site / "content/models/unpriced.yaml").write_text("name: Unpriced\nvendor: Nopriceco\nopen_weights: false\n")


# --------------------------------------------------------------------------- what it finds


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(MEMO_EDITS), st.integers(0, 2**32)),
                      min_size=1, max_size=5))
def test_each_round_finds_what_a_fresh_check_finds(edits) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        site = copy_site("basic", Path(tmp))
        checker = watch(site)
        checker.check()
        for edit, seed in edits:
            edit(site, random.Random(seed))
            outcome = checker.check()
            assert outcome.failure is None, outcome.failure
            assert (outcome.warnings, outcome.errors) == fresh(site), edit.__name__


def test_a_price_edit_reads_one_file_and_keeps_the_fit(basic_site: Path) -> None:
    checker = watch(basic_site, clean=True)
    checker.check()
    files = len(checker.memo.parsed)
    assert checker.memo.parsed.parsed == files and checker.memo.fits == 1
    _edit_yaml(_models(basic_site)[0], lambda d: d.update(pricing=[
        {"provider": "Host", "input_usd_per_mtok": 1.5, "output_usd_per_mtok": 3}]))
    checker.check()
    assert (checker.memo.parsed.parsed, checker.memo.fits) == (1, 0)


def test_a_plain_check_after_a_round_replays_it(basic_site: Path) -> None:
    checker = watch(basic_site)
    add_warning(basic_site)
    outcome = checker.check()
    store = CheckMemo(basic_site, {"drafts": False, "strict": False, "base_url": None,
                                   "today": TODAY.isoformat()})
    assert store.replay() == outcome.warnings and outcome.warnings


# --------------------------------------------------------------------------- what it prints


def test_it_prints_everything_first_then_only_what_is_new(basic_site: Path) -> None:
    printed = Printed()
    checker = watch(basic_site, printed)
    first = checker.check()
    assert printed.shown[-1] == list(first.warnings)
    assert re.fullmatch(r".*content: no errors, (\d+ warning\(s\)|no warnings) \[\d+\.\d\d s\]",
                        printed.lines[-1])

    add_warning(basic_site)
    second = checker.check()
    new = [w for w in second.warnings if w.path.endswith("unpriced.yaml")]
    assert new and printed.shown[-1] == new
    assert f"{len(second.warnings)} warning(s) ({len(new)} new)" in printed.lines[-1]

    model = basic_site / "content/models/unpriced.yaml"
    model.write_text("name: Unpriced\nname: Twice\nvendor: Nopriceco\n")  # a duplicate key
    third = checker.check()
    assert third.errors and not third.ok
    assert printed.shown[-1][: len(third.errors)] == list(third.errors)
    assert re.search(r"content: 1 error\(s\)", printed.lines[-1])
    assert "gone" not in printed.lines[-1]  # a round with errors may not reach the warnings

    model.unlink()
    fourth = checker.check()
    assert fourth.ok and printed.shown[-1] == []
    assert f"({len(new)} gone)" in printed.lines[-1]  # measured from the last good round


def test_a_broken_template_or_a_missing_folder_is_an_error_not_a_crash(basic_site: Path) -> None:
    printed = Printed()
    checker = watch(basic_site, printed)
    checker.check()
    (basic_site / "templates").mkdir(exist_ok=True)
    (basic_site / "templates/model.html").write_text("{% if %}")
    outcome = checker.check()
    assert [e.path.endswith("templates/model.html") for e in outcome.errors] == [True]
    assert re.search(r"content: 1 error\(s\)", printed.lines[-1])
    (basic_site / "templates/model.html").unlink()
    assert checker.check().ok

    (basic_site / "content").rename(basic_site / "aside")
    outcome = checker.check()
    assert not outcome.ok and "Traceback" not in (outcome.failure or "")
    (basic_site / "aside").rename(basic_site / "content")
    assert checker.check().ok


# --------------------------------------------------------------------------- watching


def test_a_save_is_checked_by_the_watching_thread(basic_site: Path) -> None:
    printed = Printed()
    with watch(basic_site, printed) as checker:
        assert checker.rounds == 1
        add_warning(basic_site)
        deadline = time.monotonic() + WAIT_S
        while checker.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert checker.rounds >= 2, "the save was not checked"
        assert any(line.startswith("Changed: ") and "unpriced.yaml" in line
                   for line in printed.lines)
        assert isinstance(checker.last, Outcome) and any(
            w.path.endswith("unpriced.yaml") for w in checker.last.warnings)


def test_a_file_saved_through_a_temporary_one_is_named_alone(tmp_path: Path) -> None:
    real, temporary = tmp_path / "model.yaml", tmp_path / "sedAb12Cd"
    real.write_text("name: A\n")
    changes = {(Change.added, str(temporary)), (Change.modified, str(temporary)),
               (Change.deleted, str(temporary)), (Change.added, str(real))}
    assert changed_names(changes) == display_path(real)  # as sed -i and many editors save
    temporary.write_text("kept")  # a file that came and stayed is named
    assert changed_names(changes) == ", ".join(sorted([display_path(real),
                                                       display_path(temporary)]))
    assert changed_names(set()) == "files"


def test_versus_check_watch_runs_until_interrupted(basic_site: Path) -> None:
    with versus_process("check", "--watch", "--source", str(basic_site)) as process:

        def until(pattern: str) -> None:
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                if re.search(pattern, process.stdout.readline()):  # type: ignore[union-attr]
                    return
            raise AssertionError(f"no line like {pattern!r}")

        until(r"content: no errors")
        model = _models(basic_site)[0]
        model.write_text(model.read_text() + "name: Twice\n")  # a duplicate key
        until(r"\.yaml:\d+:\d+: .*name")  # the error, at its place
        until(r"content: 1 error\(s\)")
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=WAIT_S)
        assert process.returncode == 0
        assert "Stopped." in output and "Traceback" not in output


def test_check_watch_without_content_says_so(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--watch", "--source",
                             str(tmp_path)], capture_output=True, text=True, timeout=WAIT_S,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert result.returncode == 1
    assert "no content/ folder" in result.stderr and "Traceback" not in result.stderr
