"""The local services some tests need (PostgreSQL, Redis): skip when one is
down on a developer machine, fail when CI is set, so a missing service never
passes as green in CI (the console suite's rule, tests/console/console_support.py)."""
from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest


def in_ci() -> bool:
    # Read at each call: a test may set CI for itself.
    return bool(os.environ.get("CI"))


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set: failing instead of skipping)", pytrace=False)
    pytest.skip(reason)


def reachable(url: str, default_port: int, timeout: float = 3) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=timeout):
            return True
    except OSError:
        return False


def require_postgres(url: str) -> None:
    if not reachable(url, 5432):
        skip_or_fail(f"PostgreSQL at {url} is unreachable")
