"""The link checker: internal links, assets and fragments as served under the base URL."""

from __future__ import annotations

from pathlib import Path

from conftest import tree_bytes, write_files
from generator.build import build
from generator.cli import main
from generator.output.linkcheck import check_site, page_path

BASE = "https://user.github.io/repo/"


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>\n{body}\n</body></html>"


def mini_site(root: Path, pages: dict[str, str]) -> Path:
    write_files(root, {"index.html": page('<h1 id="top-title">Home</h1>'),
                       "models/a/index.html": page('<h2 id="scores">Scores</h2>'),
                       "static/style.css": "body {}", **pages})
    return root


def broken(root: Path, base: str = BASE) -> list[str]:
    return [e.format(with_snippet=False) for e in check_site(root, base).broken]


def test_page_paths_are_served_without_index_html() -> None:
    assert page_path("index.html", "/repo/") == "/repo/"
    assert page_path("models/a/index.html", "/repo/") == "/repo/models/a/"
    assert page_path("404.html", "/") == "/404.html"


def test_links_that_resolve_under_the_base_path_pass(tmp_path: Path) -> None:
    mini_site(tmp_path, {"articles/x/index.html": page(
        '<a href="/repo/models/a/#scores">a</a> <a href="../../models/a/">rel</a> '
        '<a href="/repo/">home</a> <a href="#top">top</a> <a href="">self</a> '
        '<a href="/repo/models/a">no slash</a> <a href="https://user.github.io/repo/models/a/">abs</a>',
        head='<link rel="stylesheet" href="/repo/static/style.css">')})
    report = check_site(tmp_path, BASE)
    assert report.broken == ()
    assert report.checked == 8 and report.pages == 3


def test_a_missing_page_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    mini_site(tmp_path, {"models/b/index.html": page('<p>\n  <a href="/repo/models/zz/">z</a>')})
    assert broken(tmp_path) == [
        "models/b/index.html:3:3: broken link /repo/models/zz/: no such page or file in the site"]


def test_a_root_relative_link_that_misses_the_sub_path_is_broken(tmp_path: Path) -> None:
    mini_site(tmp_path, {"models/b/index.html": page('<a href="/models/a/">a</a>')})
    assert broken(tmp_path) == ["models/b/index.html:2:1: broken link /models/a/: outside the "
                                "site's base path /repo/"]
    assert broken(tmp_path, "https://models.example.com/") == []  # fine at a domain root


def test_a_missing_fragment_is_broken(tmp_path: Path) -> None:
    mini_site(tmp_path, {"models/b/index.html": page(
        '<a href="/repo/models/a/#scores">ok</a><a href="/repo/models/a/#prices">x</a>'
        '<a href="#here">y</a><span id="there"></span>')})
    assert [m.split(": ", 1)[1] for m in broken(tmp_path)] == [
        "broken link /repo/models/a/#prices: no element with id 'prices' in models/a/index.html",
        "broken link #here: no element with id 'here' in models/b/index.html"]


def test_assets_and_redirect_targets_are_checked(tmp_path: Path) -> None:
    mini_site(tmp_path, {"old/index.html": page(
        '<img src="/repo/static/logo.png" alt="">',
        head='<meta http-equiv="refresh" content="0; url=/repo/models/gone/">'
             '<script src="/repo/static/app.js"></script>')})
    messages = broken(tmp_path)
    assert len(messages) == 3
    assert all(m.startswith("old/index.html:") for m in messages)
    assert {m.split("broken link ")[1].split(":")[0] for m in messages} == {
        "/repo/models/gone/", "/repo/static/app.js", "/repo/static/logo.png"}


def test_external_links_are_listed_not_fetched(tmp_path: Path) -> None:
    # .invalid never resolves (RFC 2606): a fetch would fail, a listing does not.
    mini_site(tmp_path, {"models/b/index.html": page(
        '<a href="https://nowhere.invalid/x">x</a><a href="mailto:a@b.c">m</a>'),
        "models/c/index.html": page('<a href="https://nowhere.invalid/x">x</a>')})
    report = check_site(tmp_path, BASE)
    assert report.broken == ()
    assert dict(report.external) == {"https://nowhere.invalid/x": ("models/b/index.html",
                                                                   "models/c/index.html")}


def test_javascript_urls_are_broken(tmp_path: Path) -> None:
    mini_site(tmp_path, {"models/b/index.html": page('<a href="javascript:alert(1)">x</a>')})
    assert broken(tmp_path) == ["models/b/index.html:2:1: broken link javascript:alert(1): "
                                "javascript: URL"]


# --------------------------------------------------------------------------- commands


def test_build_check_links_reports_a_clean_site(basic_site: Path, runner) -> None:
    result = runner.invoke(main, ["build", "--source", str(basic_site), "--check-links"])
    assert result.exit_code == 0, result.output
    summary = next(line for line in result.stdout.splitlines() if line.startswith("Checked "))
    assert summary.startswith("Checked ") and ": none broken;" in summary
    assert int(summary.split()[1]) > 200


def test_a_broken_template_link_fails_the_build_and_keeps_the_old_site(basic_site: Path,
                                                                       runner) -> None:
    assert runner.invoke(main, ["build", "--source", str(basic_site)]).exit_code == 0
    before = tree_bytes(basic_site / "site")
    write_files(basic_site, {"templates/404.html": "{% extends 'base.html' %}{% block content %}"
                                                   "<a href=\"{{ url('nowhere/') }}\">x</a>"
                                                   "{% endblock %}"})
    result = runner.invoke(main, ["build", "--source", str(basic_site), "--check-links"])
    assert result.exit_code == 1
    assert "404.html:" in result.output and "broken link /repo/nowhere/" in result.output
    assert "nothing was written" in result.output
    assert tree_bytes(basic_site / "site") == before


def test_linkcheck_lists_external_links_of_a_built_site(basic_site: Path, runner) -> None:
    assert runner.invoke(main, ["build", "--source", str(basic_site)]).exit_code == 0
    result = runner.invoke(main, ["linkcheck", "--source", str(basic_site)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("https://") and line.endswith(("page)", "pages)")) for line in lines)
    assert lines[-1].startswith("Checked ") and "none broken" in lines[-1]


def test_linkcheck_with_another_base_url_finds_every_link_broken(basic_site: Path,
                                                                runner) -> None:
    build(basic_site, basic_site / "site")
    result = runner.invoke(main, ["linkcheck", "--source", str(basic_site),
                                  "--base-url", "https://example.github.io/other/"])
    assert result.exit_code == 1
    assert "outside the site's base path /other/" in result.output


def test_linkcheck_without_a_built_site_says_so(basic_site: Path, runner) -> None:
    result = runner.invoke(main, ["linkcheck", "--source", str(basic_site)])
    assert result.exit_code == 1
    assert "no built site" in result.output and "Traceback" not in result.output
