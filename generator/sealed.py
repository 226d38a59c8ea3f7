"""Sealed cache files: nothing read back from the build cache is used unless this machine's
key vouches for it.

Whoever can write the cache folder (in CI: anyone who can save a cache entry that a
later run restores) could otherwise put any HTML on a page, or code in Jinja's
compiled templates, which Jinja loads with ``pickle`` and ``marshal``. So every
cache file carries an HMAC-SHA256 of its name and bytes, under a key that never
lives in the cache folder: ``$VERSUS_CACHE_KEY`` when set (a CI secret), else a
random key made once per user in ``$XDG_STATE_HOME/versus/cache-key`` (by default
``~/.local/state``), readable by that user alone. A file whose seal does not match
is ignored, as if the cache were empty: the build renders afresh. Without a usable
key there is no cache at all. See docs/security.md. (Standard library only: the
no-op build checks a seal before importing anything else.)
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "VERSUS_CACHE_KEY"
_MAGIC = b"versus-sealed-1\n"
_MAC_SIZE = 32


def key_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                             "state")
    return Path(state) / "versus" / "cache-key"


@functools.cache
def cache_key() -> bytes | None:
    """The key that seals this user's cache files, made on first use; None if there is none
    to be had (no home folder, unwritable), and then nothing is cached."""
    secret = os.environ.get(KEY_ENV)
    if secret:
        return hashlib.sha256(b"versus-cache-key\0" + secret.encode()).digest()
    path = key_path()
    for _ in range(2):
        try:
            key = path.read_bytes()
            return key if len(key) >= _MAC_SIZE else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another build made it meanwhile: read that one
            continue
        except OSError:
            return None
        try:
            os.write(fd, secrets.token_bytes(_MAC_SIZE))
        finally:
            os.close(fd)
    return None


def _mac(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + data, hashlib.sha256).digest()


def seal(name: str, data: bytes) -> bytes | None:
    """``data`` as stored under ``name`` (a cache file's role): the seal, then the bytes."""
    key = cache_key()
    return None if key is None else _MAGIC + _mac(key, name, data) + data


def unseal(name: str, blob: bytes) -> bytes | None:
    """The bytes of a sealed file, or None if its seal is not this key's for ``name``."""
    key = cache_key()
    if key is None or not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _MAC_SIZE:
        return None
    mac, data = blob[len(_MAGIC):len(_MAGIC) + _MAC_SIZE], blob[len(_MAGIC) + _MAC_SIZE:]
    return data if hmac.compare_digest(mac, _mac(key, name, data)) else None


def sign_text(name: str, text: str) -> str | None:
    """A hex seal for a text file that stays readable (``state.json``)."""
    key = cache_key()
    return None if key is None else _mac(key, name, text.encode()).hex()


def text_is_signed(name: str, text: str, mac: object) -> bool:
    expected = sign_text(name, text)
    return expected is not None and isinstance(mac, str) and hmac.compare_digest(mac, expected)
