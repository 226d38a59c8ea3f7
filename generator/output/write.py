"""Write stage: a site is replaced whole or updated file by file, never left half-written.

The build picks one of two ways to write, and both keep the old site intact until
every page has rendered:

* **Replace** (the output folder is empty or absent): every file goes into a
  hidden temporary folder beside the output, which then takes the output's place
  in one atomic exchange (``renameat2(RENAME_EXCHANGE)`` on Linux, two renames
  elsewhere).
* **Update** (the output holds a site made by versus): only files whose bytes
  changed are written, into a flat staging folder beside the output; at the
  commit they are renamed over their old versions (each rename is atomic, so no
  reader ever sees a half-written file), and the files of pages that no longer
  exist are removed. Which bytes changed comes from the build cache when it
  vouches for the output, and otherwise from reading the files themselves
  (``same_on_disk``), when also anything the site holds beyond its pages goes
  (``existing_files``): either way the result equals a replacement, byte for byte.
  Ctrl-C and SIGTERM are held back while the renames run, so an interrupted build
  leaves the old site or the new one. A build killed outright (SIGKILL, power
  loss) during those renames may leave a mix; the cache is invalidated before
  they start, so the next build compares every file and repairs it.

Why update rather than always replace: replacing a 90,000-page site means
creating 90,000 folders and files and deleting as many, tens of seconds of
file-system work even when one page changed; an update touches only what
changed. Hard-linking unchanged files into a fresh tree would keep the single
atomic swap, but still costs a folder and a link per page, most of a full write.

A lock file keeps two builds from racing for the same output folder, and no path,
whatever a slug says, may land outside it. An output folder that is a symbolic link
is written where it points (the temporary folder and the swap sit beside the real
folder), and a new site's folder gets the permissions the old one had, or the
umask's. OS-specific modules (``fcntl``, ``ctypes`` for ``renameat2``) are imported
where they are used, each with a portable fallback.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Iterator

from generator import __version__
from generator.errors import BuildError
from generator.output.portable import exchange, folder_mode, release_lock, take_lock

MARKER = ".versus-build"  # marks a folder as ours, so we never replace anything else
MARKER_BYTES = f"versus {__version__}\n".encode()  # how every marker starts


def marker_bytes(site_id: str) -> bytes:
    """The marker of a finished site: the version line, then the site's identity (a digest
    of its files, ``build.site_identity``), which the build cache checks before trusting
    what it recorded about this folder."""
    return MARKER_BYTES + f"site {site_id}\n".encode()
LOCK_TIMEOUT_S = 60.0


class Output:
    """A transaction on an output folder: ``write`` files, then ``commit`` or drop.

    ``start(update=True)`` changes the existing site instead of replacing it:
    ``write`` then stages changed files and ``remove`` drops files of pages that
    are gone. Without ``start``, the first ``write`` begins a replacement.
    Worker processes forked after ``start`` may ``put`` files; the parent then
    ``record``s each file they wrote.
    """

    def __init__(self, out: Path, *, lock_timeout_s: float = LOCK_TIMEOUT_S):
        # The real folder: a link to it stays a link, and nothing is swapped in its place.
        self.out = Path(os.path.realpath(out))
        self.lock_timeout_s = lock_timeout_s
        self.tmp: Path | None = None
        self.update = False
        self.bytes_written = 0
        self.files_written = 0
        self.files_removed = 0
        self._lock_fd: int | None = None
        self._lock_path = Path()
        self._staged: list[str] = []
        self._removed: list[str] = []
        self._empty_folders: list[str] = []

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "Output":
        self._check_replaceable()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._remove_stale_temporaries()
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

    def start(self, *, update: bool = False) -> None:
        """Begin writing a whole new site, or (``update``) changes to the existing one."""
        assert self.tmp is None, "already started"
        if update and not (self.out / MARKER).is_file():
            raise BuildError(f"cannot update {self.out}: it holds no site made by versus")
        self.update = update
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-", dir=self.out.parent))
        if not update:  # it becomes the output folder: not mkdtemp's 0700
            os.chmod(self.tmp, folder_mode(self.out))
            self.write(MARKER, MARKER_BYTES)

    def commit(self) -> None:
        """Put the new site in place: one atomic exchange, or (update) the staged renames."""
        if self.tmp is None:
            self.start()
        _COMMITS[str(self.out)] = "started"
        if self.update:
            self._commit_update()
        else:
            self._commit_replace()

    def _commit_replace(self) -> None:
        assert self.tmp is not None
        if self.out.exists():
            if not exchange(self.tmp, self.out):
                old = self.tmp.with_name(self.tmp.name + "-old")
                os.rename(self.out, old)
                os.rename(self.tmp, self.out)
                self.tmp = old
        else:
            os.rename(self.tmp, self.out)
            self.tmp = None
        _COMMITS[str(self.out)] = "done"
        if self.tmp is not None:  # now holds the previous site
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def _commit_update(self) -> None:
        assert self.tmp is not None
        with _signals_held():
            # Removals first: a page that was a file may now be a folder, or the reverse.
            for relative in self._removed:
                target = self.out / relative
                try:
                    os.unlink(target)
                except FileNotFoundError:
                    pass
                _prune_empty(target.parent, self.out)
            for folder in self._empty_folders:
                _prune_empty(self.out / folder, self.out)
            for relative in self._staged:
                staged, target = self.tmp / _staged_name(relative), self.out / relative
                try:
                    os.rename(staged, target)
                except FileNotFoundError:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(staged, target)
                except (IsADirectoryError, NotADirectoryError, OSError) as exc:
                    if not target.is_dir() or target.is_symlink():
                        raise BuildError(f"cannot write {target}: {exc.strerror}") from None
                    shutil.rmtree(target)  # a folder stands where the page goes
                    os.rename(staged, target)
            _COMMITS[str(self.out)] = "done"  # before a held SIGTERM is delivered
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp = None

    # ------------------------------------------------------------------ files

    def path_for(self, relative: str) -> str:
        """Where ``relative`` is written now; refuse any path that leaves the output folder."""
        _check_relative(relative)
        if self.tmp is None:
            self.start()
        assert self.tmp is not None
        # Strings, not Paths: a big build asks a hundred thousand times.
        return os.path.join(self.tmp, _staged_name(relative) if self.update else relative)

    def write(self, relative: str, data: bytes) -> None:
        """Write one file below the output folder; refuse any path that leaves it."""
        self.put(relative, data)
        self.record(relative, len(data))

    def put(self, relative: str, data: bytes) -> None:
        """Write one file without counting it: worker processes put, the build records."""
        # A new site's pages each get a new folder ("compare/a-vs-b/"): make it first
        # rather than learn from a failed open that it is missing.
        write_file(self.path_for(relative), data, new_folder=not self.update)

    def record(self, relative: str, size: int) -> None:
        """Count a file written at ``path_for(relative)`` (perhaps by a worker process)."""
        if self.update:
            self._staged.append(relative)
        self.bytes_written += size
        self.files_written += 1

    def mark(self, site_id: str) -> bytes:
        """Write the marker naming this site (``marker_bytes``), staged like a page in an
        update, so it changes with the files it describes; not counted as a page file."""
        data = marker_bytes(site_id)
        if not (self.update and self.same_on_disk(MARKER, data)):
            self.put(MARKER, data)
            if self.update:
                self._staged.append(MARKER)  # renamed last, after every page
        return data

    def remove(self, relative: str) -> None:
        """Drop a file (or link) of the existing site at the commit (update mode)."""
        assert self.update, "a replacement never holds old files"
        safe_relative(relative)
        self._removed.append(relative)
        self.files_removed += 1

    # ------------------------------------------------------------------ the existing site

    def holds_site(self) -> bool:
        """Whether the output folder holds a site made by versus, which can be updated."""
        return (self.out / MARKER).is_file()

    def same_on_disk(self, relative: str, data: bytes) -> bool:
        """Whether the output holds exactly ``data`` at ``relative``, as a plain file."""
        path = self.out / safe_relative(relative)
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
                return False
            with open(path, "rb") as existing:
                return existing.read() == data
        except OSError:
            return False

    def existing_files(self) -> list[str]:
        """Every file and link in the output folder now (links are not followed).

        Folders found empty are dropped at the commit, as a new site has none.
        """
        found: list[str] = []
        for folder, dirs, names in os.walk(self.out):
            relative = Path(folder).relative_to(self.out).as_posix()
            prefix = "" if relative == "." else relative + "/"
            links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
            found.extend(prefix + name for name in names + links)
            if not dirs and not names and prefix:
                self._empty_folders.append(relative)
        return found

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
                taken = take_lock(fd, path)
            except BaseException:
                os.close(fd)
                raise
            if taken:
                self._lock_fd, self._lock_path = fd, path
                return
            if time.monotonic() >= deadline:
                os.close(fd)
                raise BuildError(f"another build is writing to {self.out} (lock {path} held "
                                 f"for over {self.lock_timeout_s:g} s); try again when it ends")
            time.sleep(0.05)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            release_lock(self._lock_fd, self._lock_path)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _remove_stale_temporaries(self) -> None:
        """Temporary folders of builds that were killed (we hold the lock: none is live)."""
        for stale in self.out.parent.glob(f".{self.out.name}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)


# What the commits of this process did to each output folder: "started" once the first
# rename may have happened, "done" once the new site is all in place. The CLI reads it
# to say what an interrupted or failed build left (``commit_state``).
_COMMITS: dict[str, str] = {}


def commit_state(out: Path) -> str | None:
    """``"done"``, ``"started"`` or None: how far this process's commit to ``out`` got."""
    return _COMMITS.get(os.path.realpath(out))


def forget_commits() -> None:
    _COMMITS.clear()


def write_file(path: str, data: bytes, *, new_folder: bool = False) -> None:
    """Create or truncate ``path`` (and its folders) and write ``data`` to it."""
    folder = os.path.dirname(path)
    if new_folder:
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _staged_name(relative: str) -> str:
    """A flat, unique file name for a staged file (no folder to create per page)."""
    return hashlib.blake2b(relative.encode(), digest_size=16).hexdigest()


def _prune_empty(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            os.rmdir(folder)
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block ends (they are delivered then).

    The Python handlers are swapped for one that only notes the signal: blocking it
    with ``pthread_sigmask`` holds it back from this thread alone, and the kernel
    hands a process's signal to any thread that does not block it (a build with a
    helper thread then raised in the middle of the renames). Portable, too.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def note(signum: int, frame: object) -> None:
        arrived.append(signum)

    previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(arrived):
            signal.raise_signal(signum)


def safe_relative(relative: str) -> PurePosixPath:
    """``relative`` as a path that stays inside the folder it is joined to."""
    return PurePosixPath(_check_relative(relative))


def _check_relative(relative: str) -> str:
    # Every segment a plain name: no "", ".", ".." (so no leading "/"), no backslash, no NUL.
    if (not relative or "\\" in relative or "\x00" in relative
            or any(p in ("", ".", "..") for p in relative.split("/"))):
        raise BuildError(f"refusing to write {relative!r}: not a plain path inside the site")
    return relative
