"""A site repository of one's own: ``versus init``, and its Pages workflow run step by step.

The workflow test executes the ``run:`` steps of the generated workflow in order,
with bash and a fake GitHub Actions environment (event, step summary, the Pages
address configure-pages would give), on a site whose every figure is three years
old: staleness must be reported, never fail a deploy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import parse_html
from generator.cli import main
from generator.tools.init import LOCAL, Pin, init_site, workflow_text

ROOT = Path(__file__).parent.parent
PAGES_URL = "https://owner.github.io/my-site"  # configure-pages gives no trailing slash
VENV_BIN = str(Path(sys.executable).parent)


def test_init_then_check_build_and_linkcheck(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "my-site"
    done = runner.invoke(main, ["init", str(site), "--title", "Open Model Notes"])
    assert done.exit_code == 0, done.output
    assert "versus serve --open" in done.output
    for name in ("content/site.yaml", "content/benchmarks.yaml", ".github/workflows/pages.yml",
                 ".gitignore", ".pre-commit-config.yaml", ".vscode/settings.json",
                 "schema/model.schema.json", "README.md"):
        assert (site / name).is_file(), name
    assert len(list((site / "content/models").glob("*.yaml"))) == 2
    assert len(list((site / "content/articles").glob("*.md"))) == 1
    assert not (site / "generator").exists()  # a package dependency, never a copy
    assert yaml.safe_load((site / "content/site.yaml").read_text())["title"] == "Open Model Notes"

    checked = runner.invoke(main, ["check", "--source", str(site)])
    assert checked.exit_code == 0, checked.output
    built = runner.invoke(main, ["build", "--source", str(site)])
    assert built.exit_code == 0, built.output
    linked = runner.invoke(main, ["linkcheck", "--source", str(site)])
    assert linked.exit_code == 0 and "none broken" in linked.output, linked.output
    article = parse_html(site / "site/articles/gpt-4o-vs-llama-3-1-70b/index.html")
    body = article.find("main")
    assert "{{ llama" not in body.text and "released }}" not in body.text  # embeds filled in
    assert any(a.attrs.get("href", "").endswith("/models/gpt-4o/") for a in body.iter("a"))


def test_init_works_without_a_terminal_and_never_overwrites(tmp_path: Path) -> None:
    versus = shutil.which("versus", path=VENV_BIN) or "versus"
    site = tmp_path / "s"
    done = subprocess.run([versus, "init", str(site)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    again = subprocess.run([versus, "init", str(site)], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
    assert again.returncode == 1 and "is not empty" in again.stderr


def test_init_refuses_a_base_url_that_is_not_an_address(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    done = runner.invoke(main, ["init", str(tmp_path / "s"), "--base-url", "my-site"])
    assert done.exit_code == 1 and "is not an http(s) address" in done.output
    assert not (tmp_path / "s").exists()


def test_the_generated_workflow_pins_a_tagged_release(tmp_path: Path) -> None:
    init_site(tmp_path / "s")
    workflow = yaml.safe_load((tmp_path / "s/.github/workflows/pages.yml").read_text())
    pin = Pin.release()
    assert workflow["env"]["VERSUS"] == pin.requirement
    assert re.fullmatch(r"versus @ git\+https://\S+@v\d+\.\d+\.\d+", pin.requirement)
    hooks = yaml.safe_load((tmp_path / "s/.pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["rev"] == pin.rev


def test_the_generator_builds_its_example_with_the_same_workflow() -> None:
    shipped = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert shipped == workflow_text(LOCAL)


def test_the_generated_workflow_passes_actionlint(tmp_path: Path) -> None:
    actionlint = shutil.which("actionlint", path=VENV_BIN) or shutil.which("actionlint")
    if actionlint is None:
        if os.environ.get("CI") == "true":
            pytest.fail("actionlint is missing in CI: pip install -e '.[test]'")
        pytest.skip("actionlint is not installed (pip install -e '.[test]')")
    init_site(tmp_path / "s")
    done = subprocess.run([actionlint, "-no-color", ".github/workflows/pages.yml"],
                          capture_output=True, text=True, cwd=tmp_path / "s")
    assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------- the workflow, run


def _age_every_date(site: Path, years: int) -> None:
    """Move every as_of date to ``years`` years ago: prices and scores all go stale."""
    old = dt.date.today().replace(year=dt.date.today().year - years, day=1).isoformat()
    for path in (site / "content/models").glob("*.yaml"):
        path.write_text(re.sub(r"as_of: \d{4}-\d{2}-\d{2}", f"as_of: {old}", path.read_text()))


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.com",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True,
                   capture_output=True)


def _steps(site: Path) -> list[dict]:
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text())
    return workflow["jobs"]["build"]["steps"]


_EXPRESSIONS = {"steps.pages.outputs.base_url": PAGES_URL, "github.base_ref": "main",
                "github.event_name": None, "secrets.VERSUS_CACHE_KEY": ""}  # no secret set


def _expand(text: str, event: str) -> str:
    values = {**_EXPRESSIONS, "github.event_name": event}
    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: values[m[1]], text)


def _runs_on(step: dict, event: str) -> bool:
    condition = step.get("if")
    if condition is None:
        return True
    match = re.fullmatch(r"github\.event_name (==|!=) '(\w+)'", condition)
    assert match, f"the test cannot evaluate if: {condition}"
    return (event == match[2]) == (match[1] == "==")


def run_workflow(site: Path, event: str, tmp: Path) -> tuple[list[tuple[str, int, str]], str]:
    """Run the build job's ``run:`` steps in order; return (name, exit code, output) of
    each and the job summary. Install is checked, not run: it needs the network."""
    summary = tmp / f"summary-{event}.md"
    summary.write_text("")
    base_env = {**os.environ, "PATH": VENV_BIN + os.pathsep + os.environ["PATH"],
                "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_EVENT_NAME": event,
                "GITHUB_STEP_SUMMARY": str(summary), "VERSUS": "."}
    results = []
    for step in _steps(site):
        if "run" not in step or not _runs_on(step, event):
            continue
        if step["name"] == "Install Versus":
            assert step["run"] == 'python -m pip install "$VERSUS"'
            continue
        env = {**base_env, **{k: _expand(str(v), event) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(["bash", "-e", "-c", _expand(step["run"], event)], cwd=site,
                              env=env, capture_output=True, text=True)
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
        if done.returncode != 0:
            break
    return results, summary.read_text()


@pytest.fixture
def aged_repo(tmp_path: Path) -> Path:
    """An init site, all figures three years old, pushed to an 'origin' and cloned."""
    origin = tmp_path / "origin"
    init_site(origin)
    _age_every_date(origin, 3)
    _git(origin, "init", "-q")
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "New site")
    _git(tmp_path, "clone", "-q", str(origin), "work")
    return tmp_path / "work"


def test_workflow_deploys_a_site_whose_figures_are_three_years_old(aged_repo: Path,
                                                                    tmp_path: Path) -> None:
    results, summary = run_workflow(aged_repo, "push", tmp_path)
    assert [name for name, _, _ in results] == ["Check the content", "Build the site",
                                                 "Check its links"]
    assert all(code == 0 for _, code, _ in results), results
    check_output = results[0][2]
    assert re.search(r"^::warning file=content/models/gpt-4o\.yaml,line=\d+,col=\d+,"
                     r"title=versus::price at OpenAI is \d+ days old", check_output, re.M)
    assert "Warnings (they do not stop a deploy)" in summary and "days old" in summary
    # The Pages address, not site.yaml's example one, is the base of every page.
    canonical = parse_html(aged_repo / "site/index.html").find("link", rel="canonical")
    assert canonical is not None and canonical.attrs["href"] == PAGES_URL + "/"
    assert "example address" not in check_output


def test_workflow_lists_a_pull_requests_changes_in_the_job_summary(aged_repo: Path,
                                                                   tmp_path: Path) -> None:
    gpt = aged_repo / "content/models/gpt-4o.yaml"
    gpt.write_text(gpt.read_text().replace("input_usd_per_mtok: 2.50", "input_usd_per_mtok: 2.00"))
    _git(aged_repo, "checkout", "-q", "-b", "cheaper")
    _git(aged_repo, "commit", "-q", "-am", "GPT-4o is cheaper")
    results, summary = run_workflow(aged_repo, "pull_request", tmp_path)
    assert [name for name, _, _ in results][-1] == "List what the pull request changes"
    assert all(code == 0 for _, code, _ in results), results
    assert "pricing[OpenAI].input_usd_per_mtok 2.5 → 2" in summary
    assert "## Site changes: origin/main → this change" in summary


def test_a_content_error_stops_the_workflow_at_the_check(aged_repo: Path, tmp_path: Path) -> None:
    gpt = aged_repo / "content/models/gpt-4o.yaml"
    gpt.write_text(gpt.read_text().replace("vendor: OpenAI", "vendr: OpenAI"))
    results, summary = run_workflow(aged_repo, "push", tmp_path)
    assert [(name, code) for name, code, _ in results] == [("Check the content", 1)]
    assert "::error file=content/models/gpt-4o.yaml,line=3" in results[0][2]
    assert "Content errors" in summary and "vendr" in summary


def test_a_custom_domain_keeps_site_yaml_base_url(aged_repo: Path, tmp_path: Path) -> None:
    site_yaml = aged_repo / "content/site.yaml"
    text = re.sub(r"base_url: \S+", "base_url: https://models.example.org/", site_yaml.read_text())
    site_yaml.write_text(text + "custom_domain: models.example.org\n")
    results, _ = run_workflow(aged_repo, "push", tmp_path)
    assert all(code == 0 for _, code, _ in results), results
    canonical = parse_html(aged_repo / "site/index.html").find("link", rel="canonical")
    assert canonical is not None and canonical.attrs["href"] == "https://models.example.org/"


# --------------------------------------------------------------------------- base_url


def test_pages_address_is_the_base_unless_a_custom_domain_is_set(tmp_path: Path) -> None:
    from generator.tools.deploy import pages_base_url

    site = tmp_path / "s"
    init_site(site)
    assert pages_base_url(site, PAGES_URL) == PAGES_URL + "/"
    assert pages_base_url(site, "") is None  # Pages not set up: site.yaml's base_url
    (site / "content/site.yaml").write_text("title: T\nbase_url: https://models.acme.org/\n"
                                            "custom_domain: models.acme.org\n")
    assert pages_base_url(site, PAGES_URL) is None


def test_check_warns_while_base_url_is_an_example(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "s"
    init_site(site)
    done = runner.invoke(main, ["check", "--source", str(site)])
    assert done.exit_code == 0
    assert re.search(r"site\.yaml:6:11: warning: base_url https://example\.github\.io/my-models/ "
                     r"is an example address", done.output)
    given = runner.invoke(main, ["check", "--source", str(site), "--pages-url", PAGES_URL])
    assert "example address" not in given.output
    _age_every_date(site, 0)  # nothing stale: the example address is the one warning
    strict = runner.invoke(main, ["check", "--source", str(site), "--strict"])
    assert strict.exit_code == 1 and "1 error(s)" in strict.output
    assert "is an example address" in strict.output


def test_a_downloaded_site_preview_is_served_under_its_base_path(tmp_path: Path) -> None:
    import urllib.request

    from generator.build import build
    from generator.tools.serve import BuiltSite

    init_site(tmp_path / "s")
    build(tmp_path / "s", tmp_path / "artifact", base_url=PAGES_URL + "/", workers=1)
    with BuiltSite(tmp_path / "artifact") as served:
        assert served.url.endswith("/my-site/")
        home = urllib.request.urlopen(served.url).read().decode()
        page = parse_html(home)
        style = next(link.attrs["href"] for link in page.iter("link")
                     if link.attrs.get("rel") == "stylesheet")
        assert style.startswith("/my-site/")
        origin = served.url[: -len("/my-site/")]
        assert urllib.request.urlopen(origin + style).status == 200


def test_every_starter_file_is_package_data() -> None:
    """A wheel install has the starter files too, not only an editable one."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["generator.tools"]
    starter = ROOT / "generator/tools/starter"
    for path in starter.rglob("*"):
        if path.is_file():
            name = path.relative_to(starter.parent).as_posix()
            assert any(fnmatch.fnmatch(name, p) and name.count("/") == p.count("/")
                       for p in patterns), name


def test_each_warning_is_annotated_once_in_a_run(aged_repo: Path, tmp_path: Path) -> None:
    """versus check annotates the warnings; the build, which prints them too, does not
    annotate them a second time."""
    gpt = aged_repo / "content/models/gpt-4o.yaml"
    gpt.write_text(re.sub(r"(?m)^  mmlu-cot: \{score: ([\d.]+), source: [^,]+,", r"  mmlu-cot: {score: \1,",
                          gpt.read_text()))
    results, _ = run_workflow(aged_repo, "push", tmp_path)
    annotations = [line for _, _, output in results for line in output.splitlines()
                   if line.startswith("::warning") and "has no source" in line]
    assert len(annotations) == 1, annotations
