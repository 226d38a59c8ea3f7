"""Rendering pages across processes, each writing its own files.

The catalogue is loaded, scored and planned, and the templates compiled, once,
in the build's process. Worker processes are then forked (on Linux), so each
inherits all of it instead of receiving a copy per page; a worker renders a
chunk of pages at a time, writes each file straight into the output transaction
(``write.Output.put``) and sends back only digests and sizes, so neither
process holds more than one page's bytes at a time. Small builds render in the
build's own process (starting a pool costs more than it saves under
``POOL_MIN_PAGES`` pages). Which process renders a page never changes its bytes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence, TypeVar

from generator.errors import BuildError
from generator.output.fingerprint import content_digest
from generator.plan import Page
from generator.output.progress import Progress
from generator.render.renderer import Renderer
from generator.output.write import Output

T = TypeVar("T")
R = TypeVar("R")

POOL_MIN_PAGES = 200
CHUNK_MAX_PAGES = 512  # small enough for even load and a lively progress bar

# (page index, digest of its bytes, size, whether the file was written)
Result = tuple[int, bytes, int, bool]


@dataclass(frozen=True)
class Job:
    """What rendering needs; workers inherit it through fork."""

    pages: Sequence[Page]
    renderer: Renderer
    output: Output
    previous: Mapping[str, tuple[bytes, bytes, int]] = field(default_factory=dict)
    # pages rendered only to check the cache: the digest their bytes must have
    expected: Mapping[int, bytes] = field(default_factory=dict)
    # no cache vouches for the existing site: compare with the files themselves
    compare_files: bool = False


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def pool_size(todo: int, workers: int) -> int:
    """How many processes to render ``todo`` pages with (1: this process)."""
    if workers <= 1 or todo < POOL_MIN_PAGES:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # pragma: no cover - workers would have to rebuild the catalogue
    return workers


def render_pages(job: Job, todo: Sequence[int], *, workers: int, progress: Progress,
                 meanwhile: Callable[[], None] | None = None) -> Iterator[Result]:
    """Render and write the pages at ``todo``, in any order, reporting progress.

    ``meanwhile`` runs in this process once the workers are busy (first, without them).
    """
    processes = pool_size(len(todo), workers)
    progress.start(len(todo), processes)
    chunks = _chunks(todo, processes)
    if processes == 1:
        if meanwhile is not None:
            meanwhile()
        for chunk in chunks:
            results = _render_chunk(job, chunk)
            progress.advance(len(results))
            yield from results
    else:
        global _JOB
        _JOB = job
        try:
            with _forked_pool(processes) as pool:
                done = pool.imap_unordered(_worker, chunks)  # the workers start now
                if meanwhile is not None:
                    meanwhile()
                for results in done:
                    progress.advance(len(results))
                    yield from results
        finally:
            _JOB = None
    progress.finish()


@contextmanager
def in_processes(func: Callable[[T], R], items: Sequence[T], *,
                 workers: int) -> Iterator[Callable[[], list[R]]]:
    """Start ``[func(x) for x in items]`` in forked processes, if there are enough items.

    Yields the function that waits for the results (in order, pickled back: for
    small values computed from big inherited state, such as rendered Markdown),
    so this process can do other work meanwhile. Leaving the block stops the pool.
    """
    processes = pool_size(len(items), workers)
    if processes == 1:
        yield lambda: [func(item) for item in items]
        return
    with _forked_pool(processes) as pool:
        pending = pool.map_async(func, items, chunksize=max(1, len(items) // (processes * 8)))
        yield pending.get


@contextmanager
def in_background(func: Callable[..., R], *args: object, workers: int,
                  fallback: R) -> Iterator[Callable[[], R]]:
    """Start ``func(*args)`` in a forked process when there is a core to spare.

    Yields the function that waits for its result (pickled back). With one core, or
    if the process fails, that function returns ``fallback`` (the caller then does
    the work itself). Leaving the block stops the process.
    """
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield lambda: fallback
        return
    with _forked_pool(1) as pool:
        pending = pool.apply_async(func, args)

        def result() -> R:
            try:
                return pending.get()
            except Exception:  # noqa: BLE001 - the caller does the work itself
                return fallback
        yield result


def _forked_pool(processes: int) -> "multiprocessing.pool.Pool":
    """Worker processes forked from this one (they inherit the catalogue, the views and
    the compiled templates), each set up by ``_worker_init``."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_worker_init)


def _chunks(todo: Sequence[int], processes: int) -> list[Sequence[int]]:
    size = max(16, min(CHUNK_MAX_PAGES, len(todo) // (processes * 16) or 1))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _render_chunk(job: Job, indices: Sequence[int]) -> list[Result]:
    results = []
    for index in indices:
        page = job.pages[index]
        data = job.renderer.render(page)
        sha = content_digest(data)
        expected = job.expected.get(index)
        if expected is not None and expected != sha:
            raise BuildError(f"build cache check: {page.output} ({page.kind} page) changed although "
                             f"its cache key did not; its plan inputs miss something it reads")
        if job.compare_files:
            written = not job.output.same_on_disk(page.output, data)
        else:
            old = job.previous.get(page.output)
            written = old is None or old[1] != sha
        if written:
            job.output.put(page.output, data)
        results.append((index, sha, len(data), written))
    return results


# --------------------------------------------------------------------------- workers

_JOB: Job | None = None  # set in the build's process just before the pool forks


def _worker_init() -> None:
    # Ctrl-C goes to the build's process, which stops the pool; SIGTERM (how the pool
    # stops workers) must end a worker quietly, not run the CLI's handler it inherited.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _worker(indices: Sequence[int]) -> list[Result]:
    assert _JOB is not None, "workers are forked with the job in place"
    return _render_chunk(_JOB, indices)
