"""Tokens: long random strings handed out in links; the store keeps only their SHA-256.

A token carries 256 random bits (``secrets.token_urlsafe(32)``), so its plain SHA-256 is as
good as a slow password hash: there is nothing to guess.  A presented token is compared with
every stored hash of its workspace in constant time (:func:`hmac.compare_digest`), never
looked up by its hash, so that response times tell nothing about how near a guess came.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

__all__ = ["hashed", "matches", "new_id", "new_token"]

#: The characters of a token or id (URL-safe base64) and its bounds, to refuse junk cheaply.
TOKEN_MAX_LENGTH = 128


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_id(prefix: str = "", size: int = 9) -> str:
    """A public id (a workspace's, a link's): random, not secret, URL-safe."""
    return prefix + secrets.token_urlsafe(size)


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def matches(token: str, stored: Iterable[str]) -> str | None:
    """The stored hash ``token`` has, compared with each in constant time; else ``None``."""
    presented = hashed(token).encode("ascii")
    found = None
    for candidate in stored:
        # Every candidate is compared, even after a match, so the time does not tell which.
        if hmac.compare_digest(presented, candidate.encode("ascii")):
            found = candidate
    return found
