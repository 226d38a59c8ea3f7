"""Time ``versus build`` on synthetic catalogues: cold, no-op, one text edit, one score edit.

    python benchmarks/run.py --models 100 300 --repeat 3 [--dir /tmp/versus-bench] [--verify]

For each N it writes a catalogue (``synthetic.py``), then times, as a fresh
``python -m generator build`` process each:

* **cold**: no output folder and no cache;
* **no-op**: the same build again, nothing changed;
* **text edit**: one model's summary changed (its pages and the catalogue pages);
* **score edit**: one model's benchmark score changed (the joint fit moves every
  model's quality, so every page that shows scores is rendered again);
* **--clean**: every page rendered again without the cache, over the existing
  site (files compared with what is there; nothing changed, nothing written).

Each scenario runs ``--repeat`` times, each round in a fresh folder, and the
fastest run is reported, since other work on the machine only ever adds time.
Beside them, **write only** times merely writing the last cold build's files
(a folder per page, one process): the floor the file system sets, for reading
the other figures on a busy machine. Reported: pages in the site, MB,
wall seconds, pages rendered per second, CPU seconds (user + system, all
processes), peak memory (the largest process, from ``wait4``; and the sum over
the build's processes, sampled every 20 ms) and what an incremental build
rendered and wrote. ``--verify`` also checks, after the edits, that the
incremental site is byte-identical to a clean build (slow at N = 300).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synthetic  # noqa: E402

REPO = HERE.parent
SUMMARY = re.compile(r"Built (\d+) pages \((\d+) files, ([\d.]+) MB\).*?in ([\d.]+) s"
                     r"(?:: (\d+) pages rendered, (\d+) files written, (\d+) removed)?")
HUGO = {100: 4.4, 300: 34.0}  # seconds, from the issue: Hugo 0.111 on this kind of machine


@dataclass
class Run:
    models: int
    scenario: str
    pages: int
    mb: float
    wall_s: float
    build_s: float  # as the build itself reports (without interpreter start-up)
    cpu_s: float
    peak_rss_mb: float  # the largest process
    peak_total_rss_mb: float  # all the build's processes together (sampled)
    rendered: int | None
    written: int | None

    @property
    def pages_per_s(self) -> float | None:
        done = self.pages if self.rendered is None else self.rendered
        return done / self.wall_s if done else None


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KB (Linux /proc)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:  # gone meanwhile
        return total
    return total + sum(tree_rss_kb(int(child)) for child in children)


def run_build(source: Path, *, clean: bool = False) -> tuple[str, float, float, float, float]:
    """One ``versus build`` process: output, wall s, CPU s, peak RSS MB, peak total RSS MB.

    GNU time reports the peak of the largest process (the build or a worker: Linux
    ``wait4``) and the CPU time of all of them; the total across the processes is
    sampled from /proc every 20 ms.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = ["/usr/bin/time", "-f", "TIME %M %U %S", sys.executable, "-m", "generator", "build",
            "--source", str(source)]
    if clean:
        args.append("--clean")
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, errors = (b.decode() for b in proc.communicate())
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {output}{errors}")
    rss_kb, user, system = errors.strip().splitlines()[-1].split()[1:]
    largest = int(rss_kb) / 1024
    return output, wall, float(user) + float(system), largest, max(peak[0] / 1024, largest)


def measure(models: int, scenario: str, source: Path, **options: bool) -> Run:
    output, wall, cpu, rss, total = run_build(source, **options)
    found = SUMMARY.search(output)
    if not found:
        raise SystemExit(f"unexpected output: {output}")
    pages, _, mb, build_s, rendered, written, _ = found.groups()
    if "nothing changed" in output:
        rendered, written = "0", "0"
    return Run(models, scenario, int(pages), float(mb), wall, float(build_s), cpu, rss, total,
               int(rendered) if rendered is not None else None,
               int(written) if written is not None else None)


ALL_RUNS: list[Run] = []  # every round, for --json


def bench(models: int, root: Path, repeat: int, verify: bool, settle: float) -> list[Run]:
    best: dict[str, Run] = {}
    sources = []
    for round_ in range(1, repeat + 1):
        # A fresh folder per round: deleting the last round's 90,000 files first would
        # leave the file system busy during the next cold build.
        source = root / f"n{models}-r{round_}"
        shutil.rmtree(source, ignore_errors=True)
        synthetic.generate(source, models)
        sources.append(source)
        os.sync()
        time.sleep(settle)
        runs = [measure(models, "cold", source)]
        runs.append(measure(models, "no-op", source))
        synthetic.edit_text(source, round_)
        runs.append(measure(models, "text edit", source))
        synthetic.edit_score(source, round_)
        runs.append(measure(models, "score edit", source))
        runs.append(measure(models, "--clean", source, clean=True))
        ALL_RUNS.extend(runs)
        for run in runs:
            if run.scenario not in best or run.wall_s < best[run.scenario].wall_s:
                best[run.scenario] = run
            print(f"  N={models} round {round_}: {run.scenario:10} {run.wall_s:7.2f} s wall "
                  f"{run.cpu_s:7.2f} s CPU", file=sys.stderr, flush=True)
    # Last, so that its file-system churn slows no timed build.
    floor = measure_floor(models, sources[-1] / "site", root / "floor")
    best[floor.scenario] = floor
    if verify:
        check_identical(sources[-1])
    for source in sources:
        shutil.rmtree(source, ignore_errors=True)
    return list(best.values())


def measure_floor(models: int, site: Path, dest: Path) -> Run:
    """Merely writing the site's files, one folder per page, in one process: the floor
    this machine's file system sets, measured right after the cold build."""
    shutil.rmtree(dest, ignore_errors=True)
    files = [p.relative_to(site) for p in sorted(site.rglob("*")) if p.is_file()]
    size = 0
    started, cpu = time.perf_counter(), time.process_time()
    for relative in files:  # reading back from the page cache costs microseconds
        data = (site / relative).read_bytes()
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        size += len(data)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    shutil.rmtree(dest, ignore_errors=True)
    pages = sum(1 for relative in files if relative.suffix == ".html")
    return Run(models, "write only", pages, size / 1e6, wall, wall, cpu, 0, 0, None, None)


def check_identical(source: Path) -> None:
    """The incremental site equals a clean build of the same content, file for file."""
    clean = source.with_name(source.name + "-clean")
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(source / "content", clean / "content")
    run_build(clean, clean=True)
    mismatch = _compare_trees(source / "site", clean / "site")
    if mismatch:
        raise SystemExit(f"incremental and clean builds differ: {mismatch[:5]}")
    print(f"  verified: {source / 'site'} equals a clean build", file=sys.stderr)
    shutil.rmtree(clean)


def _compare_trees(a: Path, b: Path) -> list[str]:
    names_a = {str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
    names_b = {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()}
    if names_a != names_b:
        return sorted(names_a ^ names_b)
    return [n for n in sorted(names_a) if not filecmp.cmp(a / n, b / n, shallow=False)]


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return {"cpu": cpu, "cores": str(len(os.sched_getaffinity(0))),
            "memory_gb": f"{int(memory) / 1024 / 1024:.0f}", "python": platform.python_version(),
            "kernel": platform.release(), "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def table(runs: list[Run]) -> str:
    rows = ["| N | build | pages | MB | wall s | pages/s | CPU s | peak RSS MB (largest / all) "
            "| rendered | written | vs cold | Hugo |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    cold = {r.models: r.wall_s for r in runs if r.scenario == "cold"}
    for r in runs:
        rate = f"{r.pages_per_s:,.0f}" if r.pages_per_s else "—"
        share = "" if r.scenario == "cold" else f"{100 * r.wall_s / cold[r.models]:.1f} %"
        if r.scenario == "write only":
            rows.append(f"| {r.models} | write only (floor) | {r.pages:,} | {r.mb:,.0f} | "
                        f"{r.wall_s:.2f} | | {r.cpu_s:.1f} | | | | {share} | |")
            continue
        hugo = f"{HUGO[r.models]:.1f} s" if r.scenario == "cold" and r.models in HUGO else ""
        rows.append(f"| {r.models} | {r.scenario} | {r.pages:,} | {r.mb:,.0f} | {r.wall_s:.2f} | "
                    f"{rate} | {r.cpu_s:.1f} | {r.peak_rss_mb:.0f} / {r.peak_total_rss_mb:.0f} | "
                    f"{'all' if r.rendered is None else f'{r.rendered:,}'} | "
                    f"{'all' if r.written is None else f'{r.written:,}'} | {share} | {hugo} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/versus-bench"))
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds to wait after sync before each cold build")
    parser.add_argument("--json", type=Path, help="also write the runs here")
    args = parser.parse_args()
    info = machine()
    runs = [run for n in args.models
            for run in bench(n, args.dir, args.repeat, args.verify, args.settle)]
    print(f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, "
          f"Python {info['python']}, Linux {info['kernel']}; load before: {info['load_before']}; "
          f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(table(runs))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "best": [asdict(r) for r in runs],
                                         "all": [asdict(r) for r in ALL_RUNS]}, indent=1))


if __name__ == "__main__":
    main()
