"""Measure the speed targets where people wait: ``check``, ``serve`` and cold builds.

    python benchmarks/targets.py [--dataset shared/datasets/llm-stats-….tar.gz]
                                 [--dir /tmp/versus-targets] [--edits 10] [--repeat 3]
                                 [--skip check,serve,hugo] [--json FILE]

Every figure is a ratio taken in one run on one machine, so a busy or slow
machine moves both sides of it:

* **check**: ``versus check`` against a cold ``versus build --clean`` of the whole
  LLM Stats dataset (imported with ``versus import llm-stats --all``, per_model 8);
  CPU seconds of all processes (``RUSAGE_CHILDREN``), best of ``--repeat``, in four
  cases: the first check (no check memo), a check with nothing changed, and a check
  after one model's price edit, or benchmark score edit (the quality fit is redone).
  Target: check ≤ 5 % of the build's CPU, and under 1 s of wall time.
* **check --watch**: ``versus check --watch`` on the same site; one model's price,
  then one of its benchmark scores, is changed ``--edits`` times each, and each round
  is timed from the file write until its summary line, with the CPU the watching
  process spent meanwhile. Target: every round ≤ 5 % of the build's CPU, and < 1 s.
* **serve**: ``versus serve`` on the same site; one model's price is changed
  ``--edits`` times, and each edit is timed from the file write until the reload
  event has fired *and* the model's page is served with the new price. Target:
  the worst edit within 1 s (median and worst printed).
* **hugo**: a cold build of the 100-model synthetic catalogue with every pair
  (``synthetic.py``) against Hugo on the same catalogue, building the same
  comparison pages (``hugo_site.py`` says how, and what still differs), wall time,
  best of ``--repeat``. Hugo's pre-step (scores and derived facts from Versus's
  export into Hugo data files) runs once, untimed. Target: Versus at most half of
  Hugo's time. Prints both sites' KB a page and one pair's element counts. Needs
  ``hugo`` (Debian's 0.111: ``apt-get install hugo``); a Hugo warning fails the run.

The no-op, text-edit and memory targets are measured by ``run.py``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hugo_site import census, write_hugo_site  # noqa: E402
from synthetic import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT.parent / "shared" / "datasets" / "llm-stats-24a9ccf.tar.gz"
VERSUS = [sys.executable, "-m", "generator"]
SITE_YAML = ("title: LLM Stats catalogue\nbase_url: https://example.github.io/models/\n"
             "comparisons:\n  per_model: 8\n")


def timed(command: list[str], **kwargs: object) -> tuple[float, float]:
    """Run ``command``; (wall seconds, CPU seconds of it and all its descendants)."""
    os.sync()  # the last run's files reach the disk first: each run pays for its own writes
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)  # type: ignore
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(runs, key=lambda r: r[1])


def dataset_site(dataset: Path, root: Path) -> Path:
    """The whole dataset imported into a fresh project under ``root``."""
    raw, site = root / "llm-stats", root / "site169"
    for folder in (raw, site):
        shutil.rmtree(folder, ignore_errors=True)
    raw.mkdir(parents=True)
    with tarfile.open(dataset) as archive:
        archive.extractall(raw, filter="data")
    (site / "content" / "models").mkdir(parents=True)
    (site / "content" / "site.yaml").write_text(SITE_YAML)
    subprocess.run([*VERSUS, "import", "llm-stats", str(raw), "--all", "--source", str(site)],
                   check=True, stdout=subprocess.DEVNULL)
    return site


# --------------------------------------------------------------------------- check

EDITS = {  # what an editor changes in gpt-5.yaml: a price (no refit), a score (a refit)
    "price edit": (r"(input_usd_per_mtok: )[0-9.]+", lambda i: f"{7 + i * 0.37:.2f}"),
    "score edit": (r"(\n    score: )[0-9.]+", lambda i: f"{50 + i * 0.7:.1f}"),
}


def measure_check(site: Path, repeat: int) -> dict[str, dict[str, float]]:
    """A cold build, then ``versus check`` in the cases an editor meets (checkmemo.py):
    the first check (no memo), a check with nothing changed, and a check after one
    model's price edit or benchmark score edit (which refits quality)."""
    out = site / "out"
    build = best([timed([*VERSUS, "build", "--clean", "--source", str(site), "--out", str(out)],
                        stderr=subprocess.DEVNULL) for _ in range(repeat)])
    check = [*VERSUS, "check", "--source", str(site)]
    memo = site / ".versus-cache" / ".check"
    model = site / "content" / "models" / "gpt-5.yaml"
    original = model.read_text()

    def cold() -> tuple[float, float]:
        shutil.rmtree(memo, ignore_errors=True)
        return timed(check, stderr=subprocess.DEVNULL)

    def edited(pattern: str, values: list[str]) -> list[tuple[float, float]]:
        runs = []
        for value in values:
            model.write_text(re.sub(pattern, lambda m: m.group(1) + value, original, count=1))
            runs.append(timed(check, stderr=subprocess.DEVNULL))
        return runs

    try:
        cases = {"cold": best([cold() for _ in range(repeat)])}
        timed(check, stderr=subprocess.DEVNULL)  # the memo of the project as it is
        cases["unchanged"] = best([timed(check, stderr=subprocess.DEVNULL)
                                   for _ in range(repeat)])
        for name, (pattern, value) in EDITS.items():
            cases[name] = best(edited(pattern, [value(i) for i in range(repeat)]))
    finally:
        model.write_text(original)
    result: dict[str, dict[str, float]] = {"build": {"wall_s": build[0], "cpu_s": build[1]}}
    for name, (wall, cpu) in cases.items():
        result[name] = {"wall_s": wall, "cpu_s": cpu, "ratio": cpu / build[1],
                        "holds": cpu <= 0.05 * build[1] and wall < 1.0}
    return result


def measure_check_watch(site: Path, edits: int, build_cpu: float) -> dict[str, dict[str, float]]:
    """``versus check --watch`` on the same site: one model's price, then one of its
    benchmark scores, is changed ``edits`` times each; each round is timed from the
    file write until its summary line is printed, and its CPU is that of the whole
    watching process meanwhile (``/proc``; every thread, the file watcher's too)."""
    model = site / "content" / "models" / "gpt-5.yaml"
    original = model.read_text()
    proc = subprocess.Popen([*VERSUS, "check", "--watch", "--source", str(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    summary = re.compile(r"content: .*\[\d+\.\d+ s\]$")

    def round_done() -> None:
        while True:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            assert line, "versus check --watch stopped"
            if summary.search(line.rstrip("\n")):
                return

    def cpu() -> float:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    results = {}
    try:
        round_done()  # the first check
        for name, (pattern, value) in EDITS.items():
            walls, cpus = [], []
            for i in range(edits):
                time.sleep(0.3)  # an editor does not save twice within a check
                text, found = re.subn(pattern, lambda m: m.group(1) + value(i), original, count=1)
                assert found, f"gpt-5.yaml has nothing to change for a {name}"
                before = cpu()
                started = time.perf_counter()
                model.write_text(text)
                round_done()
                walls.append(time.perf_counter() - started)
                cpus.append(cpu() - before)
            results[name] = {
                "median_s": statistics.median(walls), "worst_s": max(walls), "edits": edits,
                "cpu_median_s": statistics.median(cpus), "cpu_worst_s": max(cpus),
                "ratio": statistics.median(cpus) / build_cpu,
                "holds": max(cpus) <= 0.05 * build_cpu and max(walls) < 1.0}
    finally:
        model.write_text(original)
        proc.terminate()
        proc.wait(timeout=30)
    return results


# --------------------------------------------------------------------------- serve


class Events:
    """The preview's Server-Sent Events, read line by line."""

    def __init__(self, origin: str):
        parts = urlsplit(origin)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.conn.request("GET", "/__versus/events")
        self.response = self.conn.getresponse()

    def next(self) -> dict:
        while True:
            line = self.response.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[6:])

    def close(self) -> None:
        self.conn.close()


def fetch(origin: str, path: str) -> str:
    parts = urlsplit(origin)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path)
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def measure_serve(site: Path, edits: int) -> dict[str, float]:
    model = site / "content" / "models" / "gpt-5.yaml"
    original = model.read_text()
    match = re.search(r"input_usd_per_mtok: ([0-9.]+)", original)
    assert match, "gpt-5.yaml has no price to edit"
    proc = subprocess.Popen([*VERSUS, "serve", "--source", str(site), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    try:
        found = None
        while found is None:  # the first build's summary, then the address
            line = proc.stdout.readline()
            assert line, "versus serve stopped"
            found = re.search(r"Serving (http://[\d.:]+)(/\S*)", line)
        origin, base = found.group(1), found.group(2).rstrip("/") + "/"
        events = Events(origin)
        current = events.next()["site"]
        times = []
        for i in range(edits):
            price = f"{7 + i * 0.37:.2f}"
            text = original.replace(match.group(0), f"input_usd_per_mtok: {price}", 1)
            started = time.perf_counter()
            model.write_text(text)
            while True:  # the reload event of a build of this edit
                event = events.next()
                if event["site"] != current and not event["errors"]:
                    current = event["site"]
                    break
            page = fetch(origin, f"{base}models/gpt-5/")
            assert f"${price}" in page, f"the page does not show ${price} yet"
            times.append(time.perf_counter() - started)
            time.sleep(0.3)  # an editor does not save twice within a build
        events.close()
    finally:
        model.write_text(original)
        proc.terminate()
        proc.wait(timeout=30)
    return {"median_s": statistics.median(times), "worst_s": max(times), "edits": edits,
            "holds": max(times) <= 1.0}


# --------------------------------------------------------------------------- hugo


def measure_hugo(root: Path, repeat: int) -> dict:
    if shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed (apt-get install hugo), or pass --skip hugo")
    project = root / "synthetic100"
    generate(project, 100)
    config = project / "content" / "site.yaml"
    config.write_text(config.read_text() + "comparisons:\n  per_model: all\n")
    hugo_project = root / "hugo100"
    out, hugo_out = root / "synthetic100-out", root / "hugo100-out"
    versus_runs, hugo_runs = [], []
    for run in range(repeat):  # alternate, so a busy spell hits both
        shutil.rmtree(out, ignore_errors=True)
        versus_runs.append(timed([*VERSUS, "build", "--clean", "--source", str(project),
                                  "--out", str(out)], stderr=subprocess.DEVNULL))
        if run == 0:  # Hugo's pre-step, untimed like Versus's import: scores and derived
            write_hugo_site(project, hugo_project, out / "api")  # facts from the export
        shutil.rmtree(hugo_out, ignore_errors=True)
        hugo_runs.append(timed(["hugo", "--quiet", "--panicOnWarning", "-s", str(hugo_project),
                                "-d", str(hugo_out)]))
    versus, hugo = min(versus_runs), min(hugo_runs)
    pair = "compare/m0000-orion-vs-m0001-lyra/index.html"
    return {"versus_wall_s": versus[0], "versus_cpu_s": versus[1], "hugo_wall_s": hugo[0],
            "hugo_cpu_s": hugo[1], "ratio": versus[0] / hugo[0],
            "versus_kb_per_page": _kb_per_page(out), "hugo_kb_per_page": _kb_per_page(hugo_out),
            "pair": pair, "versus_census": census(out / pair),
            "hugo_census": census(hugo_out / pair),
            "holds": versus[0] <= 0.5 * hugo[0]}


def _kb_per_page(folder: Path) -> float:
    pages = list(folder.rglob("*.html"))
    return sum(p.stat().st_size for p in pages) / len(pages) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/versus-targets"))
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", default="", help="comma-separated: check, serve, hugo")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    args.dir.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    # Timed as installed: pip compiles a wheel's modules when it installs it, and Python
    # writes the bytecode of an editable install on first use, unless, as on some CI and
    # container images, PYTHONDONTWRITEBYTECODE=1 makes every process compile them again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "generator"], check=True)
    results: dict[str, dict] = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]}}
    if not {"check", "serve"} <= skip:
        site = dataset_site(args.dataset, args.dir)
    if "check" not in skip:
        r = results["check"] = measure_check(site, args.repeat)
        print(f"cold build: {r['build']['cpu_s']:.2f} s CPU ({r['build']['wall_s']:.2f} s wall)")
        for name in ("cold", "unchanged", "price edit", "score edit"):
            c = r[name]
            print(f"check, {name}: {c['cpu_s']:.2f} s CPU ({c['wall_s']:.2f} s wall): "
                  f"{c['ratio']:.1%} of the cold build (target ≤ 5 % and < 1 s): "
                  f"{'holds' if c['holds'] else 'MISSED'}")
        results["check --watch"] = measure_check_watch(site, args.edits, r["build"]["cpu_s"])
        for name, w in results["check --watch"].items():
            print(f"check --watch, {name}: CPU a round median {w['cpu_median_s']:.2f} s, worst "
                  f"{w['cpu_worst_s']:.2f} s: {w['ratio']:.1%} of the cold build; save to "
                  f"report median {w['median_s']:.2f} s, worst {w['worst_s']:.2f} s over "
                  f"{w['edits']} edits (target: every round ≤ 5 % and < 1 s): "
                  f"{'holds' if w['holds'] else 'MISSED'}")
    if "serve" not in skip:
        r = results["serve"] = measure_serve(site, args.edits)
        print(f"serve: price edit to reloaded page, median {r['median_s']:.2f} s, worst "
              f"{r['worst_s']:.2f} s over {r['edits']} edits (target ≤ 1 s): "
              f"{'holds' if r['holds'] else 'MISSED'}")
    if "hugo" not in skip:
        r = results["hugo"] = measure_hugo(args.dir, args.repeat)
        print(f"cold, 100 models, all pairs: Versus {r['versus_wall_s']:.1f} s "
              f"({r['versus_kb_per_page']:.0f} KB a page), Hugo {r['hugo_wall_s']:.1f} s "
              f"({r['hugo_kb_per_page']:.0f} KB a page): {r['ratio']:.2f}× Hugo's time "
              f"(target ≤ 0.5×): {'holds' if r['holds'] else 'MISSED'}; CPU: Versus "
              f"{r['versus_cpu_s']:.1f} s, Hugo {r['hugo_cpu_s']:.1f} s")
        print(f"  one pair's page ({r['pair']}), elements counted in each site's HTML:")
        print("  " + "".join(f"{k:>10}" for k in ["", *r["versus_census"]]))
        for side in ("versus", "hugo"):
            print("  " + f"{side:>10}" + "".join(f"{v:>10}" for v in r[f"{side}_census"].values()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
