"""Progress of long builds: a bar on a terminal, a few plain lines in CI, nothing for short builds."""

from __future__ import annotations

import functools
import io
import re

import pytest

from generator.output import progress
from generator.cli import main
from generator.output.progress import StreamProgress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run(*, tty: bool, total: int = 10_000, step: int = 500, min_pages: int = 1000) -> str:
    stream, clock = io.StringIO(), Clock()
    progress = StreamProgress(stream, tty=tty, min_pages=min_pages, clock=clock)
    progress.start(total, 2)
    for _ in range(total // step):
        clock.now += 0.25
        progress.advance(step)
    progress.finish()
    return stream.getvalue()


def test_a_terminal_gets_one_bar_redrawn_in_place_with_counts_and_rate() -> None:
    text = run(tty=True)
    frames = [f for f in text.split("\r") if f]
    assert "\n" not in text and len(frames) > 5
    assert re.fullmatch(r"Rendering \[#{28}\] 10,000/10,000 pages, 2,000 pages/s", frames[-2])
    assert frames[-1] == "\x1b[K"  # cleared for the summary line


def test_ci_logs_get_a_few_plain_lines() -> None:
    lines = run(tty=False).splitlines()
    assert lines[0] == "Rendering 10,000 pages with 2 processes"
    assert lines[1:4] == ["  2,500/10,000 (25 %), 2,000 pages/s",
                          "  5,000/10,000 (50 %), 2,000 pages/s",
                          "  7,500/10,000 (75 %), 2,000 pages/s"]
    assert lines[4] == "  10,000/10,000 in 5.0 s" and len(lines) == 5
    assert "\r" not in "".join(lines)


def test_short_builds_show_nothing() -> None:
    assert run(tty=True, total=900, step=100) == ""
    assert run(tty=False, total=900, step=100) == ""


def test_the_cli_shows_progress_only_for_long_builds(basic_site, runner,  # type: ignore[no-untyped-def]
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 0 and "Rendering" not in result.output  # 30 pages: quiet
    monkeypatch.setattr(progress, "StreamProgress", functools.partial(StreamProgress, min_pages=1))
    result = runner.invoke(main, ["build", "--source", str(basic_site), "--clean", "--jobs", "1"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    done = [line for line in lines if line.startswith("  30/30 in")]
    assert lines[0] == "Rendering 30 pages with 1 process" and len(done) == 1
    assert lines[-1].startswith("Built 17 pages")
