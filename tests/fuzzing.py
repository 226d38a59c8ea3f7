"""Random mutations of the example content, for the fuzz test (``test_fuzz.py``).

Each case is one content file changed one way: a key deleted, a value of another
type, a string with unicode or control characters in it, a value nested hundreds
deep, a huge number, or raw text edits (characters, lines, Markdown that nests,
embeds in odd places, forged placeholders). A case is made from its seed alone,
so a failure is replayed by its seed.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "content"
# A small slice of the example, so that a case that builds renders a few pages only.
MODELS = ("llama-3-2-3b-instruct", "llama-3-1-8b-instruct")
ARTICLE_CHARS = 5000  # the article's first paragraphs (embeds of every kind among them)
ARTICLES = ("small-llama-models-compared",)

CHARS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1a", "\x1b[2K\x1b[1A", "\x7f",
         "\x85", "\u2028", "\u2029", "\u202e", "\ufeff", "\ufffd", "\ue000", "é", "ß", "😀",
         "中文", "\t", "\n", '"', "'", "\\", "&#26;", "&#x1A;", "<", ">", "&", "{{", "}}",
         "{{ gpt-4o }}", "{{ gpt-4o.license }}", "{{ nope.name }}", "VERSUSEMBED0X",
         "<script>alert(1)</script>", "javascript:alert(1)", "{% raw %}", "{{ 7*7 }}",
         "${{ x }}", "\r", "\r\n", "---", "...", "#", ": ", "- ", "*", "&a", "!!python/none"]
VALUES: list[Any] = [None, True, False, 0, -1, 1.5, -0.0, 10**15, 10**16, 10**400, -10**30,
                     1e308, float("inf"), float("nan"), "", " ", "text", "2024-02-30",
                     "2024-01-01", [], {}, [1, "a"], {"a": 1}, {"name": {"x": [1]}},
                     "x" * 5000, "https://example.com/\nDisallow: /", "javascript:alert(1)"]
SNIPPETS = ["- " * 40 + "x", "> " * 300 + "x", "".join("    " * i + "- x\n" for i in range(60)),
            "```versus\ntable: [gpt-4o]\n```", "```versus\n" + "[" * 200 + "\n```",
            "```versus\nbenchmark: nope\n```", "```versus\nprices: *a\n```",
            "{: #main }", "## main", "## Why {{ gpt-4o }} wins", "[x]({{ gpt-4o.license }})",
            '[x](https://e.com "{{ gpt-4o }}")', "`{{ gpt-4o }}`", "<div>" * 300,
            "[" * 500 + "x" + "]" * 500, "*_" * 200, "| a |\n|---|\n| {{ gpt-4o }} |",
            "[^1]\n\n[^1]: {{ gpt-4o }}", "<a href=\"javascript:alert(1)\">x</a>",
            "\x1a\ue000\x1a", "&#26;&#xE000;&#26;", "!!bool maybe", "key: !!timestamp soon",
            "a: &x [1]\nb: *x", "~~~\nunclosed",
            "".join("    " * i + "- x\n" for i in range(250)), ">" * 400 + " x"]


@dataclass(frozen=True)
class Case:
    seed: int
    path: str  # relative to the project
    what: str
    data: bytes


def make_project(root: Path) -> Path:
    """The slice of the example content the cases change, under ``root/content``."""
    content = root / "content"
    (content / "models").mkdir(parents=True)
    (content / "articles").mkdir()
    site = (EXAMPLE / "site.yaml").read_text(encoding="utf-8")
    site = site.replace("gpt-4o", "llama-3-2-3b-instruct")
    (content / "site.yaml").write_text(site.replace("llama-3-1-70b-instruct",
                                                    "llama-3-1-8b-instruct"), encoding="utf-8")
    shutil.copy(EXAMPLE / "benchmarks.yaml", content / "benchmarks.yaml")
    for slug in MODELS:
        shutil.copy(EXAMPLE / "models" / f"{slug}.yaml", content / "models" / f"{slug}.yaml")
    for slug in ARTICLES:
        text = (EXAMPLE / "articles" / f"{slug}.md").read_text(encoding="utf-8")
        cut = text.rfind("\n\n", 0, ARTICLE_CHARS)
        (content / "articles" / f"{slug}.md").write_text(text[:cut + 1], encoding="utf-8")
    return root


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*")
                  if p.is_file())


def case(seed: int, originals: dict[str, bytes]) -> Case:
    """The mutation number ``seed``: which file, what was done, the new bytes."""
    rng = random.Random(seed)
    path = rng.choice(sorted(originals))
    text = originals[path].decode("utf-8")
    if path.endswith(".md") and rng.random() < 0.5:
        front, _, body = text.partition("\n---\n")
        mutated, what = _raw(rng, body)
        return Case(seed, path, "body: " + what, (front + "\n---\n" + mutated).encode())
    if path.endswith(".yaml") and rng.random() < 0.25:
        mutated, what = _field(rng, text, path)
        return Case(seed, path, what, mutated.encode())
    if path.endswith(".yaml") and rng.random() < 0.6:
        data = yaml.safe_load(text)
        try:
            what = _structured(rng, data)
            new = yaml.safe_dump(data, allow_unicode=rng.random() < 0.5, sort_keys=False,
                                 width=rng.choice([80, 10**6]))
        except (RecursionError, ValueError, TypeError, yaml.YAMLError) as exc:
            return Case(seed, path, f"structured: could not dump ({type(exc).__name__})",
                        originals[path])
        return Case(seed, path, what, new.encode("utf-8", "surrogatepass"))
    mutated, what = _raw(rng, text)
    data = mutated.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:  # bytes that are not UTF-8
        at = rng.randrange(len(data) + 1)
        data = data[:at] + bytes([rng.choice([0xff, 0xc3, 0x80, 0xed])]) + data[at:]
        what += " + a byte that is not UTF-8"
    return Case(seed, path, what, data)


# --------------------------------------------------------------------------- one field

FIELDS = {
    "models/": ["name", "vendor", "summary", "license", "released", "context_window_tokens",
                "parameters_b", "open_weights", "family", "languages", "pricing", "benchmarks",
                "self_hosting"],
    "site.yaml": ["title", "base_url", "description", "language", "scoring", "comparisons",
                  "custom_domain"],
    "benchmarks.yaml": ["mmlu", "math"],
}
HOSTILE = ['!!bool "maybe"', '!!timestamp "soon"', "!!int 1x", "!!float nope", "!!str",
           "1" + "0" * 400, "1" + "0" * 5000, "-1" + "0" * 30, "1.0e+308", ".inf", ".nan",
           "[" * 500 + "]" * 500, "{a: " * 40 + "1" + "}" * 40, '"a\x07b"', '"a\nb"',
           '"https://example.com/x\nDisallow:\t/"', '"javascript:alert(1)"', "~",
           "2024-02-30", "2024-01-01 10:00:00", "[abc\n]", '["abc\n"]', "{weights: {quality: 1.0e+308, cost: 1.0e+308}}",
           "[{gpu: H, gpus: 1" + "0" * 400 + ", gpu_usd_per_hour: 1, precision: fp16, "
           "output_tokens_per_s: 1}]", "{include: [[a, vs-b]]}", "*alias", "&a 1"]


def _field(rng: random.Random, text: str, path: str) -> tuple[str, str]:
    """One top-level field set to a hostile value (its line replaced, or a line added)."""
    names = next((v for k, v in FIELDS.items() if k in path), ["name"])
    name, value = rng.choice(names), rng.choice(HOSTILE)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f"{name}:"):
            lines[i] = f"{name}: {value}"
            break
    else:
        lines.append(f"{name}: {value}")
    return "\n".join(lines), f"{name}: {value[:50]}"


# --------------------------------------------------------------------------- structured


def _paths(data: Any, at: tuple = ()) -> list[tuple]:
    found = [at]
    if isinstance(data, dict):
        for k, v in data.items():
            found.extend(_paths(v, at + (k,)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found.extend(_paths(v, at + (i,)))
    return found


def _get(data: Any, at: tuple) -> Any:
    for part in at:
        data = data[part]
    return data


def _set(data: Any, at: tuple, value: Any) -> None:
    _get(data, at[:-1])[at[-1]] = value


def _structured(rng: random.Random, data: Any) -> str:
    places = [p for p in _paths(data) if p]
    if not places:
        return "nothing to change"
    at = rng.choice(places)
    value = _get(data, at)
    kind = rng.choice(["delete", "swap", "char", "nest", "number", "key", "swap"])
    if kind == "delete":
        parent = _get(data, at[:-1])
        del parent[at[-1]]
        return f"deleted {at}"
    if kind == "swap":
        new = rng.choice(VALUES)
        _set(data, at, new)
        return f"{at} = {new!r:.60}"
    if kind == "char" and isinstance(value, str):
        char = rng.choice(CHARS)
        i = rng.randrange(len(value) + 1)
        _set(data, at, value[:i] + char + value[i:])
        return f"{at}: inserted {char!r}"
    if kind == "nest":
        depth = rng.choice([5, 31, 33, 100, 600])
        new: Any = value
        for _ in range(depth):
            new = [new] if rng.random() < 0.5 else {"k": new}
        _set(data, at, new)
        return f"{at} nested {depth} deep"
    if kind == "number":
        numbers = [p for p in places if isinstance(_get(data, p), (int, float))]
        at = rng.choice(numbers) if numbers and rng.random() < 0.7 else at
        new = rng.choice([10**15, 10**15 + 1, 10**16, 10**400, 1e308, -1e308, 2**63, 0.1 ** 400])
        _set(data, at, new)
        return f"{at} = {new!r:.40}"
    parent = _get(data, at[:-1])
    if isinstance(parent, dict):
        key = rng.choice(["colour", "name", "", "ü", "\x07", "main", "benchmarks"])
        parent[key] = rng.choice(VALUES)
        return f"{at[:-1]}: added key {key!r}"
    return f"{at}: unchanged"


# --------------------------------------------------------------------------- raw text


def _raw(rng: random.Random, text: str) -> tuple[str, str]:
    lines = text.split("\n")
    kind = rng.choice(["char", "char", "snippet", "snippet", "delete", "duplicate",
                       "truncate", "indent"])
    i = rng.randrange(len(lines))
    if kind == "char":
        at = rng.randrange(len(text) + 1)
        char = rng.choice(CHARS)
        return text[:at] + char + text[at:], f"inserted {char!r} at {at}"
    if kind == "snippet":
        snippet = rng.choice(SNIPPETS)
        lines.insert(i, snippet)
        return "\n".join(lines), f"line {i + 1}: inserted {snippet[:40]!r}"
    if kind == "delete":
        del lines[i]
        return "\n".join(lines), f"deleted line {i + 1}"
    if kind == "duplicate":
        lines.insert(i, lines[i])
        return "\n".join(lines), f"duplicated line {i + 1}"
    if kind == "truncate":
        at = rng.randrange(len(text) + 1)
        return text[:at], f"cut at {at}"
    lines[i] = " " * rng.choice([1, 2, 3, 130, 1000]) + lines[i]
    return "\n".join(lines), f"indented line {i + 1}"


Runner = Callable[[Path], Any]


class MemoryBytecode:
    """Compiled templates kept in memory across the cases of one run: Jinja checks each
    against its source, so this changes what is compiled, never what renders."""

    def __init__(self) -> None:
        import jinja2

        class _Cache(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: Any) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: Any) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        self.cache = _Cache()

    def wrap(self, make_environment: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            env = make_environment(*args, **kwargs)
            if env.bytecode_cache is None:
                env.bytecode_cache = self.cache
            return env
        return wrapped
