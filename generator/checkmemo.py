"""The check memo: what the last ``versus check`` found, kept so the next one can skip work.

It lives in ``.versus-cache/.check/`` under the project folder (beside the build
cache of the default output folder; safe to delete) and holds three sealed files:

* ``state.json``: a stamp of everything the last check read (every file under
  ``content/`` and ``templates/``, the generator's code and libraries, the options,
  the working folder, today's date, which dated warnings depend on) and the
  problems it reported. When the stamp matches, ``replay`` gives those problems
  again without importing the pipeline (no YAML, no pydantic): an unchanged
  project is checked in the time it takes to hash it.
* ``parsed.bin`` and ``quality.bin``: the parts of a ``compute.memo.Memo``, each
  content file's parse (by path and digest of its bytes) and the quality fit (by
  its inputs), so that a check after an edit parses only the changed files and
  refits only when a score or the registry changed (``analyse.checked`` decides
  when each is saved; ``tests/test_check_memo.py`` holds it to a fresh check).

All are sealed like the build cache (``sealed.py``): a file whose seal is not this
user's key is ignored, so the ``.bin`` files are unpickled only when this user's
Versus wrote them. A damaged, foreign or stale file makes a fresh check that rewrites them;
a folder that cannot be written (a read-only checkout) is simply not written.
``versus check --no-cache`` ignores the memo (and rewrites it). Standard library only.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from generator.errors import ContentError, SourceError
from generator.sealed import seal, sign_text, text_is_signed, unseal
from generator.stamps import CACHE_DIR, LIBRARIES, code_fingerprint, project_digest

if TYPE_CHECKING:
    import datetime as dt

FORMAT = 1  # bump when the files below change shape


@functools.cache
def checker_fingerprint() -> str:
    """The generator's code and theme, Python's and the libraries' versions."""
    return code_fingerprint(f"check-{FORMAT}", _installed)


def _installed(module: str, distribution: str) -> str:
    """Where a library is and which version its ``.dist-info`` folder names; read from the
    folder (``importlib.metadata`` alone would cost a no-op check a fifth of its time)."""
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    infos: list[str] = []
    if origin:
        path = Path(origin)
        site = path.parent.parent if path.name == "__init__.py" else path.parent
        prefix = distribution.lower().replace("-", "_") + "-"
        try:
            infos = sorted(n for n in os.listdir(site)
                           if n.lower().startswith(prefix) and n.endswith(".dist-info"))
        except OSError:
            pass
    return f"{module}\x1f{origin}\x1f{infos}\x1f"


def memo_dir(source: Path) -> Path:
    return source.absolute() / CACHE_DIR / ".check"


class CheckMemo:
    """The check memo of one project, for one set of options."""

    def __init__(self, source: Path, settings: Mapping[str, Any] | None = None):
        self.source = source
        self.settings = settings  # None: only the parts are read (``versus build``)
        self.dir = memo_dir(source)
        self.state_path = self.dir / "state.json"

    @classmethod
    def of_check(cls, source: Path, *, drafts: bool, strict: bool, base_url: str | None,
                 today: "dt.date") -> "CheckMemo":
        """The memo of a check with these options (``versus check``, each round of
        ``versus check --watch``): the same options, the same memo."""
        return cls(source, {"drafts": drafts, "strict": strict, "base_url": base_url,
                            "today": today.isoformat()})

    @functools.cached_property
    def stamp(self) -> str:
        """A digest of everything a check with these settings reads."""
        assert self.settings is not None, "a memo without settings has no outcome"
        h = hashlib.blake2b(digest_size=16)
        h.update(checker_fingerprint().encode())
        # Which folders exist counts too: no content/ and an empty one are different errors.
        folders = [(self.source / name).is_dir() for name in ("content", "templates")]
        h.update(json.dumps({**self.settings, "cwd": os.getcwd(), "folders": folders,
                             "source": str(self.source.absolute())},
                            sort_keys=True, default=str).encode())
        project_digest(h, self.source)
        return h.hexdigest()

    # ------------------------------------------------------------------ the outcome

    def replay(self) -> tuple[SourceError, ...] | None:
        """The last check's warnings if nothing it read has changed since, else None;
        raises its ``ContentError`` again if it had errors."""
        try:
            sealed = json.loads(self.state_path.read_text(encoding="utf-8"))
            if not isinstance(sealed, dict) or not isinstance(sealed.get("state"), str):
                return None
            if not text_is_signed("check-state", sealed["state"], sealed.get("seal")):
                return None
            state = json.loads(sealed["state"])
            if not isinstance(state, dict) or state.get("stamp") != self.stamp:
                return None
            warnings = tuple(SourceError(*w) for w in state["warnings"])
            errors = tuple(SourceError(*e) for e in state["errors"])
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if errors:
            raise ContentError(errors, warnings)
        return warnings

    def save(self, warnings: Iterable[SourceError], errors: Iterable[SourceError] = ()) -> None:
        """Record what this check reported (not in a folder without ``content/``: a check
        in the wrong folder leaves no trace there)."""
        state = {"format": FORMAT, "stamp": self.stamp,
                 "warnings": [_record(w) for w in warnings],
                 "errors": [_record(e) for e in errors]}
        text = json.dumps(state, indent=1)
        mac = sign_text("check-state", text)
        if mac is not None:  # no key: no memo
            self._write(self.state_path, json.dumps({"seal": mac, "state": text}).encode())

    # ------------------------------------------------------------------ the parts

    def part_path(self, name: str) -> Path:
        return self.dir / f"{name}.bin"

    def part(self, name: str) -> object | None:
        """What ``keep(name, ...)`` stored, if this user's key vouches for it and this
        generator wrote it; the caller checks its type."""
        try:
            raw = unseal(f"check-{name}", self.part_path(name).read_bytes())
        except OSError:
            return None
        tag = checker_fingerprint().encode() + b"\n"
        if raw is None or not raw.startswith(tag):
            return None
        try:
            return pickle.loads(raw[len(tag):])  # sealed: written by this user's Versus
        except Exception:  # noqa: BLE001 - a part it cannot read is no part
            return None

    def keep(self, name: str, value: object) -> None:
        """Keep ``value`` (a part of ``compute.memo.Memo``) for the next check."""
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # a memo is never worth failing a check for
        blob = seal(f"check-{name}", checker_fingerprint().encode() + b"\n" + data)
        if blob is not None:
            self._write(self.part_path(name), blob)

    def _write(self, path: Path, data: bytes) -> None:
        """Write atomically; a folder that cannot be written keeps no memo."""
        if not (self.source / "content").is_dir():
            return
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass


def _record(w: SourceError) -> list[Any]:
    return [w.path, w.line, w.col, w.message, w.severity, w.snippet]
