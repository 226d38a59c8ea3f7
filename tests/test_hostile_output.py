"""What a hostile review broke in the write stage (issue #16, failures 4, 5, 7 and 8),
and the write stage's portable fallbacks (no ``fcntl``, no ``renameat2``)."""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import tree_bytes, write_files
from test_bad_input import BASE_SITE

from generator.build import build
from generator.cli import main
from generator.errors import BuildError
from generator.output import write
from generator.output.write import Output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_files(root, BASE_SITE)
    return root


def run(root: Path, *options: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["build", "--source", str(root), *options])


def litter(*folders: Path) -> list[str]:
    return [p.name for f in folders for p in f.iterdir() if ".tmp-" in p.name]


def edit(root: Path) -> None:
    path = root / "content" / "models" / "beta.yaml"
    path.write_text(path.read_text().replace("name: Beta", "name: Beta Two"))


# --------------------------------------------------------------------------- 4: permissions


def test_an_existing_output_folder_keeps_its_mode(project: Path) -> None:
    (project / "site").mkdir()
    os.chmod(project / "site", 0o755)
    result = run(project)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(project / "site").st_mode) == 0o755


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_a_new_output_folder_follows_the_umask(project: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        result = run(project)
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(project / "site").st_mode) == 0o777 & ~umask


# --------------------------------------------------------------------------- 5: symlinks


def test_a_symlinked_output_folder_is_written_where_it_points(project: Path,
                                                               tmp_path: Path) -> None:
    www = tmp_path / "srv" / "www"
    (www / "html").mkdir(parents=True)
    os.symlink(www / "html", project / "site")
    for change in (False, True, False):  # a new site, an update, a replacement (--clean)
        if change:
            edit(project)
        result = run(project, *(() if change else ("--clean",)))
        assert result.exit_code == 0, result.output
        assert (project / "site").is_symlink()
        assert os.readlink(project / "site") == str(www / "html")
        assert (www / "html" / "index.html").is_file()
        assert litter(project, www) == []
    assert "Beta Two" in (www / "html" / "models" / "beta" / "index.html").read_text()


# --------------------------------------------------------------------------- 7: OS errors


def test_a_read_only_parent_folder_gives_one_clear_line(project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith(".site.lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(write.os, "open", read_only)
    result = run(project)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines == [f"error: cannot write to {project} (Read-only file system); "
                     f"{project / 'site'} is unchanged"]


def test_a_full_disk_gives_one_clear_line_and_keeps_the_site(project: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    assert run(project).exit_code == 0
    before = tree_bytes(project / "site")
    edit(project)

    def full(path, data, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

    monkeypatch.setattr(write, "write_file", full)
    result = run(project, "--jobs", "1")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    assert "(No space left on device)" in result.output
    assert result.output.strip().endswith(f"{project / 'site'} is unchanged")
    assert len(result.output.strip().splitlines()) == 1
    assert tree_bytes(project / "site") == before
    assert litter(project) == []


# --------------------------------------------------------------------------- 8: SIGTERM


def test_sigterm_during_the_final_renames_says_the_site_is_new(project: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    assert run(project).exit_code == 0
    edit(project)
    real_rename = os.rename
    sent = []

    def rename(a, b):  # type: ignore[no-untyped-def]
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGTERM)  # held until the renames end
        return real_rename(a, b)

    monkeypatch.setattr(write.os, "rename", rename)
    result = run(project, "--jobs", "1")
    assert sent, "the build renamed nothing"
    assert result.exit_code == 130, result.output
    assert "unchanged" not in result.output
    assert f"{project / 'site'} holds the new site, complete" in result.output
    monkeypatch.undo()
    build(project, tmp_path / "reference", cache=False)
    assert tree_bytes(project / "site") == tree_bytes(tmp_path / "reference")


def test_sigterm_before_the_renames_says_the_site_is_unchanged(project: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    assert run(project).exit_code == 0
    before = tree_bytes(project / "site")
    edit(project)

    def interrupted(self):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(Output, "commit", interrupted)
    result = run(project, "--jobs", "1")
    assert result.exit_code == 130
    assert f"interrupted; {project / 'site'} is unchanged" in result.output
    assert tree_bytes(project / "site") == before


# --------------------------------------------------------------------------- portable fallbacks


def test_write_imports_no_os_specific_module_at_load() -> None:
    import ast
    import inspect

    for module in (write, sys.modules["generator.output.portable"]):
        tree = ast.parse(inspect.getsource(module))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = {a.name for n in top for a in n.names} | {getattr(n, "module", None) for n in top}
        assert not names & {"fcntl", "ctypes", "msvcrt"}, module.__name__


def test_the_lock_works_without_fcntl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl now fails
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    out = tmp_path / "out"
    with Output(out) as first:
        assert (tmp_path / ".out.lock.d").is_dir()
        with pytest.raises(BuildError, match="another build is writing"):
            with Output(out, lock_timeout_s=0.1):
                pass
        first.write("index.html", b"x")
        first.commit()
    assert not (tmp_path / ".out.lock.d").exists()
    with Output(out) as again:
        again.write("index.html", b"y")
        again.commit()
    assert (out / "index.html").read_bytes() == b"y"


def test_a_replacement_works_without_renameat2(project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ctypes", None)  # import ctypes now fails
    (project / "site").mkdir()
    (project / "site" / write.MARKER).write_bytes(write.MARKER_BYTES)  # an old site of ours
    result = run(project, "--check-links")  # a link check writes the new site whole
    assert result.exit_code == 0, result.output
    assert (project / "site" / "index.html").is_file()
    assert litter(project) == []
    monkeypatch.undo()
    build(project, tmp_path / "reference", cache=False)
    assert tree_bytes(project / "site") == tree_bytes(tmp_path / "reference")


def test_a_signal_taken_by_another_thread_is_still_held(project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel may hand SIGTERM to any thread: the renames must still finish first."""
    import threading

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)  # a thread that blocks nothing
    helper.start()
    try:
        test_sigterm_during_the_final_renames_says_the_site_is_new(project, project.parent,
                                                                    monkeypatch)
    finally:
        stop.set()
        helper.join()
