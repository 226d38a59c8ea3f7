"""Jinja's compiled templates: in the build cache, sealed (``sealed.py``), and handed
over from a process that compiled them meanwhile.

Jinja reads a bytecode file with ``pickle`` and ``marshal``: a file written by anyone
but this build could run code. So a file is handed to Jinja only once its seal matches.
Compiled code from ``compile_all`` comes from a process this build forked, over its
own pipe, and is used only for the template source it was compiled from.
"""

from __future__ import annotations

import os
from typing import Callable, Mapping

import jinja2

from generator.sealed import seal, unseal


class SealedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates, sealed: a file is unpickled only once its seal matches."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as f:
                blob = f.read()
        except OSError:
            return
        data = unseal("bytecode:" + bucket.key, blob)
        if data is None:
            return  # damaged or forged: Jinja compiles the template
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # sealed by us yet unreadable (another Python): compile
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        blob = seal("bytecode:" + bucket.key, bucket.bytecode_to_string())
        if blob is None:
            return
        path = self._get_cache_filename(bucket)
        tmp = f"{path}.tmp-{os.getpid()}"
        try:
            with open(tmp, "wb") as f:
                f.write(blob)
            os.replace(tmp, path)
        except OSError:  # an unusable cache folder only costs compiling
            try:
                os.unlink(tmp)
            except OSError:
                pass


class PreloadedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates given up front (``compile_all``), then ``inner`` if any.

    Jinja checks each entry against the checksum of the template's source before
    using it: a template whose source differs is compiled (and dumped to ``inner``).
    """

    def __init__(self, compiled: Mapping[str, bytes], inner: jinja2.BytecodeCache | None = None):
        self.compiled = compiled
        self.inner = inner

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # pragma: no cover - compiled by this very Python
                bucket.reset()
        if self.inner is None:
            return
        if bucket.code is None:
            self.inner.load_bytecode(bucket)
        else:  # Jinja dumps only what it compiled itself: keep this for the next build
            self.inner.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self.inner is not None:
            self.inner.dump_bytecode(bucket)


class _Recorder(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def compile_all(make_env: Callable[[], jinja2.Environment]) -> dict[str, bytes]:
    """Every template ``make_env()``'s loader lists, compiled: bucket key -> Jinja bytecode.

    Meant for another process while the build scores and plans. Templates that do not
    compile are left out: the build compiles them itself and reports their errors.
    """
    env = make_env()
    recorder = _Recorder()
    env.bytecode_cache = recorder
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml", ".txt"))):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - reported by the build's own compile
            continue
    return recorder.compiled
