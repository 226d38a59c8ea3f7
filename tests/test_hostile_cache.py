"""What a hostile review broke in the build cache (issue #16, failure 2).

The attacker can write the cache folder (in CI: a cache entry restored into a later
run) but not the key that seals it (``generator/sealed.py``). Whatever they
write, the next build must give the site a clean build gives, run none of their
code, and ``--clean`` must leave nothing of theirs behind.
"""

from __future__ import annotations

import json
import marshal
import pickle
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import tree_bytes, write_files
from test_bad_input import BASE_SITE, active_content

from generator.build import build
from generator.cli import main
from generator.output.cache import cache_dir, source_fingerprint

ARTICLE = BASE_SITE["content/articles/hello.md"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_files(root, {**BASE_SITE, "content/articles/hello.md": ARTICLE + "\nA *second* line.\n"})
    build(root, root / "site")
    return root


def edit_article_title(root: Path) -> None:
    """A change that re-renders the article page but not its (cached) Markdown body."""
    path = root / "content" / "articles" / "hello.md"
    path.write_text(path.read_text().replace("title: Hello", "title: Hello again"))


def clean_build_of(root: Path, tmp_path: Path) -> dict[str, bytes]:
    build(root, tmp_path / "reference", cache=False)
    return tree_bytes(tmp_path / "reference")


def payload(raw: bytes) -> bytes:
    """The marshalled bytes of a cache file, sealed or not (the attacker can strip a seal:
    16 bytes of header and a 32-byte HMAC)."""
    return raw[16 + 32:] if raw.startswith(b"versus-sealed-1\n") else raw


def test_forged_markdown_in_the_cache_never_reaches_a_page(site: Path, tmp_path: Path) -> None:
    path = cache_dir(site / "site") / "markdown.bin"
    fingerprint, entries = marshal.loads(payload(path.read_bytes()))
    forged = [(*e[:3], str(e[3]).replace("second", "<script>alert(1)</script>"), *e[4:])
              for e in entries]
    assert forged != entries
    path.write_bytes(marshal.dumps((fingerprint, forged)))
    edit_article_title(site)
    result = CliRunner().invoke(main, ["build", "--source", str(site)])
    assert result.exit_code == 0, result.output
    page = active_content(site / "site" / "articles" / "hello" / "index.html")
    assert [s for s in page.scripts if "alert" in (s.get("#text") or "")] == []
    assert tree_bytes(site / "site") == clean_build_of(site, tmp_path)


class _Touch:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.path, "w"))


def test_forged_template_bytecode_is_never_unpickled(site: Path, tmp_path: Path) -> None:
    folder = cache_dir(site / "site") / "templates"
    files = sorted(folder.glob("*.cache"))
    assert files, "the build keeps compiled templates"
    marker = tmp_path / "pwned"
    from jinja2.bccache import bc_magic

    for path in files:
        path.write_bytes(bc_magic + pickle.dumps(_Touch(str(marker)), 2) + b"junk")
    edit_article_title(site)
    result = CliRunner().invoke(main, ["build", "--source", str(site)])
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "a pickle from the cache ran"
    assert tree_bytes(site / "site") == clean_build_of(site, tmp_path)


def test_a_changed_string_in_bytecode_never_reaches_a_page(site: Path, tmp_path: Path) -> None:
    folder = cache_dir(site / "site") / "templates"
    for path in folder.glob("*.cache"):
        raw = path.read_bytes()
        path.write_bytes(raw.replace(b"Published", b"PWNEDXXXX"))
    edit_article_title(site)
    assert CliRunner().invoke(main, ["build", "--source", str(site)]).exit_code == 0
    text = (site / "site" / "articles" / "hello" / "index.html").read_text()
    assert "PWNEDXXXX" not in text
    assert tree_bytes(site / "site") == clean_build_of(site, tmp_path)


def test_clean_removes_everything_the_cache_held(site: Path) -> None:
    folder = cache_dir(site / "site")
    (folder / "templates" / "__jinja2_forged.cache").write_bytes(b"forged")
    (folder / "extra.bin").write_bytes(b"forged")
    result = CliRunner().invoke(main, ["build", "--source", str(site), "--clean"])
    assert result.exit_code == 0, result.output
    left = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    assert "templates/__jinja2_forged.cache" not in left and "extra.bin" not in left
    assert all(b"forged" != p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_a_forged_state_cannot_make_a_stale_site_look_up_to_date(site: Path) -> None:
    path = cache_dir(site / "site") / "state.json"
    edit_article_title(site)
    from generator.options import BuildOptions

    stamp = source_fingerprint(BuildOptions.of(site, site / "site"))
    raw = json.loads(path.read_text())
    state = json.loads(raw["state"]) if "state" in raw else raw
    state["source"] = stamp  # what the attacker computes for the edited content
    if "state" in raw:
        raw["state"] = json.dumps(state)
    else:
        raw = state
    path.write_text(json.dumps(raw))
    result = CliRunner().invoke(main, ["build", "--source", str(site)])
    assert result.exit_code == 0, result.output
    assert "nothing changed" not in result.output
    title = (site / "site" / "articles" / "hello" / "index.html").read_text()
    assert "Hello again" in title


@pytest.mark.parametrize("seed", range(6))
def test_random_damage_to_the_cache_gives_the_clean_site(site: Path, tmp_path: Path,
                                                          seed: int) -> None:
    rng = random.Random(seed)
    folder = cache_dir(site / "site")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in rng.sample(files, k=max(1, len(files) // 2)):
        raw = bytearray(path.read_bytes())
        for _ in range(rng.randint(1, 8)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        path.write_bytes(bytes(raw[: rng.randint(0, len(raw))] if rng.random() < 0.3 else raw))
    edit_article_title(site)
    result = CliRunner().invoke(main, ["build", "--source", str(site)])
    assert result.exit_code == 0, (seed, result.output)
    assert tree_bytes(site / "site") == clean_build_of(site, tmp_path), seed


def test_without_a_key_nothing_is_cached(site: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import sealed

    monkeypatch.setenv("XDG_STATE_HOME", "/proc/no-such-folder")
    monkeypatch.delenv(sealed.KEY_ENV, raising=False)
    sealed.cache_key.cache_clear()
    try:
        edit_article_title(site)
        report = build(site, site / "site")
        assert not report.incremental
        assert tree_bytes(site / "site") == clean_build_of(site, tmp_path)
    finally:
        sealed.cache_key.cache_clear()


def test_a_key_from_the_environment_seals_the_cache(site: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import sealed

    monkeypatch.setenv(sealed.KEY_ENV, "ci-secret")
    sealed.cache_key.cache_clear()
    try:
        build(site, site / "site")  # sealed under the secret: the user's key cannot read it
        edit_article_title(site)
        assert build(site, site / "site").incremental
        monkeypatch.setenv(sealed.KEY_ENV, "another secret")
        sealed.cache_key.cache_clear()
        edit_article_title(site)
        (site / "content" / "articles" / "hello.md").write_text(ARTICLE)
        assert not build(site, site / "site").incremental
    finally:
        sealed.cache_key.cache_clear()
