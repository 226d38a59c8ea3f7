"""Screenshots of the example site's comparison page for the README (docs/*.png).

Builds content/ into a temporary folder, serves it on a free local port and photographs the
page in Debian's chromium through Playwright at a phone width (390 px) and a desktop width
(1280 px). Not ``chromium --headless --screenshot``: its window is at least 500 px wide, so a
"390 px" shot is a 500 px layout cut off at the right.

    python scripts/screenshots.py [--page compare/gpt-4o-vs-llama-4-scout/] [--out docs]
    python scripts/screenshots.py --source /tmp/site169 --page "" --page compare/a-vs-b/ \
        --out /tmp/shots --full      # any project, several pages, whole pages

With one ``--page`` the files are ``compare-desktop.png`` and ``compare-phone.png`` (the
README's); with several, each is named after its page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from generator.tools.serve import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 1500), "phone": (390, 1700)}


def shoot(browser, url: str, out: Path, width: int, height: int,  # type: ignore[no-untyped-def]
          full: bool = False) -> None:
    page = browser.new_page(viewport={"width": width, "height": height},
                            is_mobile=width < 600, device_scale_factor=1)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out), full_page=full)
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append",
                        help="a page's path below the site (repeatable; default: a comparison)")
    parser.add_argument("--source", type=Path, default=REPO, help="the project to build")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--full", action="store_true", help="the whole page, not one screen")
    args = parser.parse_args()
    pages = args.page or ["compare/gpt-4o-vs-llama-4-scout/"]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as origin:
        build(args.source, Path(tmp) / "models", base_url=f"{origin}/models/")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for path in pages:
                stem = "compare" if len(pages) == 1 else (path.strip("/").replace("/", "-")
                                                         or "index")
                for name, (width, height) in SIZES.items():
                    target = args.out / f"{stem}-{name}.png"
                    shoot(browser, f"{origin}/models/{path}", target, width, height, args.full)
                    print(target.relative_to(REPO) if target.is_relative_to(REPO) else target)
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
