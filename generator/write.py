"""Write stage: build into a temporary folder, then swap it in whole.

A failed or interrupted build never leaves a half-written site: pages go to a
hidden folder beside the output, which replaces the output only at the end (an
atomic exchange on Linux). A lock file keeps two builds from racing for the same
output folder, and no path, whatever a slug says, may land outside it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath
from types import TracebackType

from generator import __version__
from generator.errors import BuildError

MARKER = ".versus-build"  # marks a folder as ours, so we never replace anything else
LOCK_TIMEOUT_S = 60.0
_RENAME_EXCHANGE = 2


class Output:
    """A transaction on an output folder: ``write`` files, then ``commit`` or drop."""

    def __init__(self, out: Path, *, lock_timeout_s: float = LOCK_TIMEOUT_S):
        self.out = out.absolute()
        self.lock_timeout_s = lock_timeout_s
        self.tmp: Path | None = None
        self.bytes_written = 0
        self.files_written = 0
        self._lock_fd: int | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "Output":
        self._check_replaceable()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._remove_stale_temporaries()
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-", dir=self.out.parent))
            self.write(MARKER, f"versus {__version__}\n".encode())
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if self.tmp is not None and self.tmp.exists():
                shutil.rmtree(self.tmp, ignore_errors=True)
        finally:
            self._unlock()

    def commit(self) -> None:
        """Put the new site in place of the old one in a single step."""
        assert self.tmp is not None
        if self.out.exists():
            if not _exchange(self.tmp, self.out):
                old = self.tmp.with_name(self.tmp.name + "-old")
                os.rename(self.out, old)
                os.rename(self.tmp, self.out)
                self.tmp = old
        else:
            os.rename(self.tmp, self.out)
            self.tmp = None
        if self.tmp is not None:  # now holds the previous site
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    # ------------------------------------------------------------------ files

    def write(self, relative: str, data: bytes) -> None:
        """Write one file below the output folder; refuse any path that leaves it."""
        assert self.tmp is not None
        target = self.tmp / safe_relative(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.bytes_written += len(data)
        self.files_written += 1

    # ------------------------------------------------------------------ safety

    def _check_replaceable(self) -> None:
        out = self.out.resolve()
        if out == Path(out.anchor) or out == Path.home().resolve():
            raise BuildError(f"refusing to build into {out}: choose a dedicated folder")
        if self.out.exists() and not self.out.is_dir():
            raise BuildError(f"{self.out} exists and is not a folder")
        if self.out.is_dir() and any(self.out.iterdir()) and not (self.out / MARKER).exists():
            raise BuildError(f"refusing to replace {self.out}: it is not empty and was not made "
                             f"by versus (no {MARKER} file); delete it or choose another --out")

    def _lock(self) -> None:
        path = self.out.parent / f".{self.out.name}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._lock_fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise BuildError(f"another build is writing to {self.out} (lock {path} held "
                                     f"for over {self.lock_timeout_s:g} s); try again when it ends")
                time.sleep(0.05)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _remove_stale_temporaries(self) -> None:
        """Temporary folders of builds that were killed (we hold the lock: none is live)."""
        for stale in self.out.parent.glob(f".{self.out.name}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)


def safe_relative(relative: str) -> PurePosixPath:
    """``relative`` as a path that stays inside the folder it is joined to."""
    path = PurePosixPath(relative)
    if (not relative or path.is_absolute() or ".." in path.parts or "\\" in relative
            or "\x00" in relative or any(p in ("", ".") for p in relative.split("/"))):
        raise BuildError(f"refusing to write {relative!r}: not a plain path inside the site")
    return path


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
