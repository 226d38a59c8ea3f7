"""Lighthouse scores of the example site: index, a model page, a comparison page and an article.

Builds the repo's own content/ into a temporary folder with its base URL on a free local port,
serves it with the standard library, and runs Lighthouse (npm package ``lighthouse``, installed
into ./node_modules on first use, never saved) in Debian's chromium, for a phone (Lighthouse's
default: simulated slow 4G and a mid-range CPU) and for a desktop. Not part of CI: about 12 s a
page. Prints one line per page and the audits that cost points, and exits 1 if any score is below
100.

    python scripts/lighthouse.py [--out build/lighthouse] [--desktop-only | --mobile-only]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from generator.tools.serve import serve  # noqa: E402

LIGHTHOUSE = REPO / "node_modules/.bin/lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "index": "",
    "model": "models/llama-4-scout/",
    "comparison": "compare/gpt-4o-vs-llama-4-scout/",
    "article": "articles/llama-vs-gpt-4o-guide/",
}


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund",
                        "--loglevel=error", "lighthouse"], cwd=REPO, check=True)


def run(url: str, report: Path, preset: str) -> dict:
    command = [str(LIGHTHOUSE), url, f"--chrome-flags={CHROME_FLAGS}", "--output=json",
               f"--output-path={report}", "--quiet", f"--only-categories={','.join(CATEGORIES)}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(report.read_text(encoding="utf-8"))


def lost_points(result: dict) -> list[str]:
    """Audits that pulled a category below 100, with their score."""
    lost = []
    for key in CATEGORIES:
        for ref in result["categories"][key]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{key}: {ref['id']} ({audit['score']:.2f}) {audit.get('displayValue', '')}")
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build/lighthouse",
                        help="where the JSON reports go")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--mobile-only", action="store_true")
    group.add_argument("--desktop-only", action="store_true")
    args = parser.parse_args()
    presets = ["mobile"] * (not args.desktop_only) + ["desktop"] * (not args.mobile_only)
    ensure_lighthouse()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as origin:
        build(REPO, Path(tmp) / "models", base_url=f"{origin}/models/")
        perfect = True
        print(f"{'page':<12} {'form':<8} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        for preset in presets:
            for name, path in PAGES.items():
                result = run(f"{origin}/models/{path}", args.out / f"{name}-{preset}.json", preset)
                scores = [round(result["categories"][c]["score"] * 100) for c in CATEGORIES]
                perfect &= all(s == 100 for s in scores)
                print(f"{name:<12} {preset:<8} " + " ".join(f"{s:>14}" for s in scores), flush=True)
                for line in lost_points(result):
                    print(f"    {line}")
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main())
