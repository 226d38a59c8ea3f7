"""What the write stage needs from the operating system, each with a portable fallback.

OS-specific modules are imported where they are used: ``fcntl`` (POSIX locks),
``msvcrt`` (Windows locks), ``ctypes`` for Linux's ``renameat2``. Where none is
there, a lock is a folder made beside the lock file, and two folders are swapped
with two renames.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

_RENAME_EXCHANGE = 2


def folder_mode(out: Path) -> int:
    """The permissions of a new site's folder: the old one's, else what the umask allows."""
    try:
        return stat.S_IMODE(os.stat(out).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o777 & ~mask


def take_lock(fd: int, path: Path) -> bool:
    """Lock the open lock file without waiting: flock on POSIX, msvcrt on Windows, and
    elsewhere a folder beside it, which exists only while a build holds it."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
    try:
        import msvcrt
    except ImportError:
        msvcrt = None  # type: ignore[assignment]
    if msvcrt is not None:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    try:
        os.mkdir(f"{path}.d")
        return True
    except FileExistsError:
        return False


def release_lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return
    try:
        import msvcrt
    except ImportError:
        msvcrt = None  # type: ignore[assignment]
    if msvcrt is not None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            pass
        return
    try:
        os.rmdir(f"{path}.d")
    except OSError:
        pass


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (ImportError, OSError, AttributeError, TypeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))
