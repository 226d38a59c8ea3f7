"""Web plumbing for GitHub Pages: sitemap, robots.txt, Atom feed, 404, CNAME, canonical links."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import parse_html, write_files
from generator import plan as plan_module
from generator.pages import publish
from generator.build import build, load_catalog
from generator.cli import main
from generator.errors import ContentError

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM = "{http://www.w3.org/2005/Atom}"
ROOT_URL = "https://example.github.io/repo/"


@pytest.fixture
def out(basic_site: Path, tmp_path: Path) -> Path:
    build(basic_site, tmp_path / "out")
    return tmp_path / "out"


def sitemap_urls(path: Path) -> dict[str, str | None]:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for u in root.findall("s:url", SITEMAP_NS)}


# --------------------------------------------------------------------------- sitemap


def test_sitemap_lists_every_page_meant_to_be_found_with_absolute_urls(out: Path) -> None:
    urls = sitemap_urls(out / "sitemap.xml")
    pages = {ROOT_URL + str(p.relative_to(out)).removesuffix("index.html")
             for p in out.rglob("*.html")}
    redirects = {ROOT_URL + "compare/beta-pro-vs-alpha-70b/", ROOT_URL + "compare/gamma-3b-vs-alpha-70b/",
                 ROOT_URL + "compare/gamma-3b-vs-beta-pro/", ROOT_URL + "404.html",
                 ROOT_URL + "search/"}  # noindex: a tool, not content
    assert set(urls) == pages - redirects
    assert ROOT_URL in urls and ROOT_URL + "models/alpha-70b/" in urls


def test_sitemap_dates_come_from_the_content(out: Path) -> None:
    urls = sitemap_urls(out / "sitemap.xml")
    assert urls[ROOT_URL + "models/alpha-70b/"] == "2026-03-01"  # newest price as_of
    assert urls[ROOT_URL + "models/gamma-3b/"] is None  # its file has no date at all
    assert urls[ROOT_URL + "compare/alpha-70b-vs-gamma-3b/"] == "2026-03-01"
    assert urls[ROOT_URL + "articles/alpha-vs-beta/"] == "2026-03-20"  # updated, not date
    assert urls[ROOT_URL] == "2026-03-20"  # newest of everything it lists
    assert urls[ROOT_URL + "methodology/"] == "2026-03-01"


def test_sitemap_dates_follow_content_changes_not_the_clock(basic_site: Path,
                                                             tmp_path: Path) -> None:
    path = basic_site / "content/models/gamma-3b.yaml"
    path.write_text(path.read_text() + "released: 2025-01-02\n")
    build(basic_site, tmp_path / "out")
    urls = sitemap_urls(tmp_path / "out/sitemap.xml")
    assert urls[ROOT_URL + "models/gamma-3b/"] == "2025-01-02"
    today = dt.date.today().isoformat()
    assert today not in (tmp_path / "out/sitemap.xml").read_text()


def test_a_large_site_gets_a_sitemap_index(basic_site: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "SITEMAP_MAX_URLS", 4)
    out = tmp_path / "out"
    build(basic_site, out)
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locs = [s.findtext("s:loc", namespaces=SITEMAP_NS) for s in index.findall("s:sitemap", SITEMAP_NS)]
    assert locs == [f"{ROOT_URL}sitemaps/sitemap-{n}.xml" for n in range(1, 4)]  # 12 URLs, 4 per file
    listed: dict[str, str | None] = {}
    for loc in locs:
        chunk = sitemap_urls(out / urlsplit(loc).path.removeprefix("/repo/"))
        assert 1 <= len(chunk) <= 4
        listed.update(chunk)
    monkeypatch.undo()
    build(basic_site, tmp_path / "whole")
    assert listed == sitemap_urls(tmp_path / "whole/sitemap.xml")


def test_sitemap_index_dates_are_the_newest_of_each_file(basic_site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "SITEMAP_MAX_URLS", 4)
    build(basic_site, tmp_path / "out")
    index = ET.parse(tmp_path / "out/sitemap.xml").getroot()
    for entry in index.findall("s:sitemap", SITEMAP_NS):
        path = urlsplit(entry.findtext("s:loc", namespaces=SITEMAP_NS)).path.removeprefix("/repo/")
        dates = [d for d in sitemap_urls(tmp_path / "out" / path).values() if d]
        assert entry.findtext("s:lastmod", namespaces=SITEMAP_NS) == max(dates, default=None)


def test_robots_txt_points_at_the_sitemap(out: Path) -> None:
    assert (out / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {ROOT_URL}sitemap.xml\n")


# --------------------------------------------------------------------------- feed


def test_feed_is_atom_with_each_published_article(out: Path) -> None:
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == ROOT_URL
    assert feed.findtext(f"{ATOM}updated") == "2026-03-20T00:00:00Z"
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == ROOT_URL + "feed.xml"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Test Match"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [ROOT_URL + "articles/alpha-vs-beta/"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}published") == "2026-03-10T00:00:00Z"
    assert entry.findtext(f"{ATOM}updated") == "2026-03-20T00:00:00Z"
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    html = parse_html(content.text)  # escaped HTML, readable back as HTML
    assert html.find("h2", id="prices") is not None
    assert html.find("a", href="/repo/models/alpha-70b/") is not None


def test_pages_announce_the_feed(out: Path) -> None:
    link = parse_html(out / "models/alpha-70b/index.html").find("link", rel="alternate")
    assert link.attrs["type"] == "application/atom+xml" and link.attrs["href"] == "/repo/feed.xml"


def test_a_site_without_articles_has_no_feed(basic_site: Path, tmp_path: Path) -> None:
    (basic_site / "content/articles/alpha-vs-beta.md").unlink()
    build(basic_site, tmp_path / "out")
    assert not (tmp_path / "out/feed.xml").exists()
    assert parse_html(tmp_path / "out/index.html").find("link", rel="alternate") is None


def test_feed_keeps_only_the_newest_articles(basic_site: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "FEED_MAX_ENTRIES", 1)
    write_files(basic_site, {"content/articles/newer.md": "---\ntitle: Newer\ndate: 2026-05-01\n"
                                                          "---\nText.\n"})
    build(basic_site, tmp_path / "out")
    feed = ET.parse(tmp_path / "out/feed.xml").getroot()
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Newer"]
    assert feed.findtext(f"{ATOM}updated") == "2026-05-01T00:00:00Z"


# --------------------------------------------------------------------------- GitHub Pages files


def test_nojekyll_and_no_cname_by_default(out: Path) -> None:
    assert (out / ".nojekyll").read_bytes() == b""
    assert not (out / "CNAME").exists()


def test_custom_domain_writes_cname(basic_site: Path, tmp_path: Path) -> None:
    site = basic_site / "content/site.yaml"
    site.write_text(site.read_text().replace("https://example.github.io/repo/",
                                             "https://models.example.com/")
                    + "custom_domain: models.example.com\n")
    build(basic_site, tmp_path / "out")
    assert (tmp_path / "out/CNAME").read_text() == "models.example.com\n"
    canonical = parse_html(tmp_path / "out/index.html").find("link", rel="canonical")
    assert canonical.attrs["href"] == "https://models.example.com/"


@pytest.mark.parametrize("value, message", [
    ("https://models.example.com", "expected a domain name in lowercase like models.example.com"),
    ("models.example.com/x", "no https://, no path"),
    ("Models.Example.com", "in lowercase"),
])
def test_custom_domain_must_be_a_bare_domain(basic_site: Path, value: str, message: str) -> None:
    site = basic_site / "content/site.yaml"
    site.write_text(site.read_text() + f"custom_domain: {value}\n")
    with pytest.raises(ContentError) as caught:
        load_catalog(basic_site)
    (error,) = caught.value.errors
    assert error.path.endswith("content/site.yaml") and error.line == 9 and message in error.message


def test_custom_domain_must_match_base_url(basic_site: Path, runner) -> None:
    site = basic_site / "content/site.yaml"
    site.write_text(site.read_text() + "custom_domain: models.example.com\n")
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 1
    assert ("content/site.yaml:2:11: base_url must be https://models.example.com/ when "
            "custom_domain is 'models.example.com'") in result.output
    assert not (basic_site / "site").exists()


def test_every_page_has_one_absolute_canonical_link(out: Path) -> None:
    for path in out.rglob("*.html"):
        doc = parse_html(path)
        links = [link for link in doc.iter("link") if link.attrs.get("rel") == "canonical"]
        assert len(links) == 1, path
        href = links[0].attrs["href"]
        served = ROOT_URL + str(path.relative_to(out)).removesuffix("index.html")
        if doc.find("meta", **{"http-equiv": "refresh"}):  # a reverse pair: the pair's page
            assert href.startswith(ROOT_URL + "compare/") and href != served, path
        else:
            assert href == served, path


# --------------------------------------------------------------------------- 404


def test_404_links_work_from_any_depth(out: Path) -> None:
    doc = parse_html(out / "404.html")
    for el in doc.iter():
        for attr in ("href", "src"):
            value = el.attrs.get(attr)
            if value and not value.startswith(("#", "https://", "data:")):
                assert value.startswith("/repo/"), f"404.html: {value} is relative"


def test_404_carries_every_model_name_for_missing_pairs(out: Path) -> None:
    data = json.loads(scripts_of(out / "404.html")["model-lookup"])
    assert data == {"base": "/repo/", "models_url": "/repo/models/",
                    "models": {"alpha-70b": "Alpha 70B", "beta-pro": "Beta Pro",
                               "gamma-3b": "Gamma 3B"}}


def test_404_model_list_is_safe_inside_a_script(basic_site: Path, tmp_path: Path) -> None:
    path = basic_site / "content/models/gamma-3b.yaml"
    text = path.read_text()
    path.write_text(text.replace("name: Gamma 3B", 'name: "Gamma </script><b>3B"'))
    build(basic_site, tmp_path / "out")
    html = (tmp_path / "out/404.html").read_text()
    assert "</script><b>" not in html
    data = json.loads(scripts_of(tmp_path / "out/404.html")["model-lookup"])
    assert data["models"]["gamma-3b"] == "Gamma </script><b>3B"


# The 404 page's script, run by Node against a stand-in for the DOM. A browser test of the
# page comes with the theme work; this pins the logic: which addresses name a missing pair.
NODE_HARNESS = r"""
const fs = require("fs");
const [script, lookup, pathname] = JSON.parse(fs.readFileSync(0, "utf8"));
function el(attrs) {
  return {attrs, hidden: false, textContent: "",
          getAttribute(n) { return this.attrs[n]; }, setAttribute(n, v) { this.attrs[n] = v; }};
}
const names = [el({"data-name": "a"}), el({"data-name": "b"}), el({"data-name": "a"})];
const links = [el({"data-link": "a", href: "/repo/models/"}), el({"data-link": "b", href: "/repo/models/"})];
const box = Object.assign(el({"data-title": "{a} vs {b}: not compared yet | Test"}), {
  hidden: true,
  querySelectorAll(sel) { return sel === "[data-name]" ? names : links; }});
const notFound = el({});
const byId = {"model-lookup": {textContent: lookup}, "not-compared": box, "not-found": notFound};
global.document = {title: "Page not found", getElementById: (id) => byId[id]};
global.location = {pathname};
eval(script);
console.log(JSON.stringify({title: document.title, shown: !box.hidden, notFoundHidden: notFound.hidden,
  names: names.map((n) => n.textContent), links: links.map((l) => l.attrs.href)}));
"""


class _Scripts(HTMLParser):
    """The raw text of each <script>, by id (or "" for one without), whitespace intact."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: dict[str, str] = {}
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._current = dict(attrs).get("id") or ""
            self.scripts[self._current] = ""

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._current = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._current is not None:
            self.scripts[self._current] += data


def scripts_of(path: Path) -> dict[str, str]:
    parser = _Scripts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.scripts


def run_404_script(out: Path, pathname: str) -> dict:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing in CI")
        pytest.skip("node is not installed")
    scripts = scripts_of(out / "404.html")
    script, lookup = scripts[""], scripts["model-lookup"]
    done = subprocess.run([node, "-e", NODE_HARNESS], input=json.dumps([script, lookup, pathname]),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_404_names_both_models_of_a_pair_not_compared_yet(basic_site: Path,
                                                          tmp_path: Path) -> None:
    site = basic_site / "content/site.yaml"
    site.write_text(site.read_text().replace("per_model: all", "per_model: 1"))
    build(basic_site, tmp_path / "out")
    assert not (tmp_path / "out/compare/beta-pro-vs-gamma-3b").exists()
    result = run_404_script(tmp_path / "out", "/repo/compare/beta-pro-vs-gamma-3b/")
    assert result == {"title": "Beta Pro vs Gamma 3B: not compared yet | Test", "shown": True,
                      "notFoundHidden": True, "names": ["Beta Pro", "Gamma 3B", "Beta Pro"],
                      "links": ["/repo/models/beta-pro/", "/repo/models/gamma-3b/"]}
    reverse = run_404_script(tmp_path / "out", "/repo/compare/gamma-3b-vs-beta-pro")
    assert reverse["names"][:2] == ["Gamma 3B", "Beta Pro"] and reverse["shown"]


@pytest.mark.parametrize("pathname", [
    "/repo/compare/alpha-70b-vs-nobody/",  # not a model
    "/repo/compare/alpha-70b-vs-alpha-70b/",  # a model with itself
    "/repo/compare/alpha-70b/",
    "/repo/models/alpha-70b-vs-beta-pro/",
    "/compare/alpha-70b-vs-beta-pro/",  # outside the base path
    "/repo/compare/a-vs-b-vs-c/",
])
def test_404_stays_a_plain_404_for_other_addresses(out: Path, pathname: str) -> None:
    result = run_404_script(out, pathname)
    assert result["shown"] is False and result["notFoundHidden"] is False
    assert result["title"] == "Page not found"


# --------------------------------------------------------------------------- size


def test_size_warning_starts_well_before_the_pages_limit() -> None:
    assert publish.size_warning(10_000_000) is None
    assert publish.size_warning(publish.SIZE_WARNING_BYTES - 1) is None
    near = publish.size_warning(850_000_000)
    assert near is not None and "850.0 MB" in near and "nears" in near and "per_model" in near
    assert "is over" in publish.size_warning(1_200_000_000)


def test_cli_prints_the_size_warning(basic_site: Path, runner,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "SIZE_WARNING_BYTES", 1000)
    result = runner.invoke(main, ["build", "--source", str(basic_site)])
    assert result.exit_code == 0
    assert "warning: the site is" in result.output and "GitHub Pages' 1 GB limit" in result.output
