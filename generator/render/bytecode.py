"""Jinja's compiled templates in the build cache, sealed (``sealed.py``).

Jinja reads a bytecode file with ``pickle`` and ``marshal``: a file written by anyone
but this build could run code. So a file is handed to Jinja only once its seal matches.
"""

from __future__ import annotations

import os

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
