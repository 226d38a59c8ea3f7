"""The write stage: atomic swaps, locks, interrupted builds, paths that try to escape."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tree_bytes, write_files
from generator.render import renderer as render
from generator.build import build
from generator.cli import main
from generator.errors import BuildError
from generator.output.write import MARKER, Output, safe_relative


def test_commit_swaps_the_new_site_in_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with Output(out) as output:
        output.write("a/index.html", b"one")
        output.commit()
    with Output(out) as output:
        output.write("b/index.html", b"two")
        output.commit()
    assert tree_bytes(out) == {MARKER: b"versus 0.1.0\n", "b/index.html": b"two"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_failure_before_commit_leaves_the_old_site_untouched(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with Output(out) as output:
        output.write("index.html", b"old")
        output.commit()
    before = tree_bytes(out)
    with pytest.raises(RuntimeError):
        with Output(out) as output:
            output.write("index.html", b"new")
            raise RuntimeError("render failed")
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../x", "a//b", "./a",
                                  "", "a\\..\\b", "a/\x00b"])
def test_no_path_may_leave_the_output_folder(path: str) -> None:
    with pytest.raises(BuildError):
        safe_relative(path)


def test_writing_an_escaping_path_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with pytest.raises(BuildError):
        with Output(out) as output:
            output.write("../outside.html", b"x")
    assert not (tmp_path / "outside.html").exists() and not out.exists()


def test_a_folder_not_made_by_versus_is_never_replaced(tmp_path: Path) -> None:
    out = write_files(tmp_path / "docs", {"precious.txt": "keep me"})
    with pytest.raises(BuildError, match="not made by versus"):
        with Output(out):
            pass
    assert (out / "precious.txt").read_text() == "keep me"


def test_a_second_build_waits_for_the_lock_and_then_fails_clearly(tmp_path: Path) -> None:
    out = tmp_path / "site"
    with Output(out):
        with pytest.raises(BuildError, match="another build is writing"):
            with Output(out, lock_timeout_s=0.2):
                pass


def test_an_interrupted_build_leaves_the_previous_site(basic_site: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    before = tree_bytes(out)
    calls = {"n": 0}
    original = render.Renderer.render

    def interrupt_midway(self, page):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, page)

    monkeypatch.setattr(render.Renderer, "render", interrupt_midway)
    (basic_site / "content/models/gamma-3b.yaml").unlink()
    with pytest.raises(KeyboardInterrupt):
        build(basic_site, out)
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", ".versus-cache", "basic", "out"]


@pytest.mark.parametrize("how", ["clean", "incremental"])
def test_sigterm_during_a_build_exits_130_and_keeps_the_site(basic_site: Path, tmp_path: Path,
                                                             how: str) -> None:
    out = tmp_path / "out"
    build(basic_site, out)
    before = tree_bytes(out)
    # A build with something to do: all of it (--clean), or one model's pages.
    flags = ["--clean"] if how == "clean" else []
    if how == "incremental":
        (basic_site / "content/models/gamma-3b.yaml").unlink()
    # A build that blocks inside the pipeline until it is signalled.
    script = (
        "import sys, time\n"
        "from generator.render import renderer as render\n"
        "original = render.Renderer.render\n"
        "def slow(self, page):\n"
        "    print('rendering', flush=True); time.sleep(30); return original(self, page)\n"
        "render.Renderer.render = slow\n"
        "from generator.cli import main\n"
        f"sys.argv = ['versus', 'build', '--source', {str(basic_site)!r}, '--out', {str(out)!r}, "
        f"*{flags!r}]\n"
        "main()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "rendering"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert tree_bytes(out) == before
    assert not list(tmp_path.glob(".out.tmp-*"))


def test_stale_temporary_folders_of_killed_builds_are_cleaned(basic_site: Path, tmp_path: Path) -> None:
    stale = tmp_path / ".out.tmp-dead"
    write_files(stale, {"index.html": "half"})
    build(basic_site, tmp_path / "out")
    assert not stale.exists()


def test_cli_reports_a_refused_output_folder_without_traceback(basic_site: Path, runner,
                                                                tmp_path: Path) -> None:
    write_files(tmp_path / "mine", {"notes.txt": "x"})
    result = runner.invoke(main, ["build", "--source", str(basic_site), "--out", str(tmp_path / "mine")])
    assert result.exit_code == 1
    assert "refusing to replace" in result.output and "Traceback" not in result.output
