"""Version numbers in the shared cache: what is stored under an old version is not served.

A change moves the versions of the scopes it touches (``bump``); whatever was
stored with the versions read before it (a rendered page, a counted list) no
longer matches and is made afresh. The public page cache and the open-data
API's counts both keep their stored things this way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import cache


def version_key(scope: str) -> str:
    # Hashed: a scope may come from an address, which can be anything a client sends.
    return f"page-version:{hashlib.sha256(scope.encode()).hexdigest()[:32]}"


def bump(scopes: Iterable[str]) -> None:
    """Move the versions now: everything stored under them is made afresh."""
    for scope in set(scopes):
        key = version_key(scope)
        cache.add(key, 0, timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=None)


def versions(scopes: list[str]) -> list[int]:
    """The current version of each scope (0 before its first change)."""
    keys = [version_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    return [found.get(key, 0) for key in keys]
