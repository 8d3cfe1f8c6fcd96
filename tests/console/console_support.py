"""Helpers shared by the console test modules."""
import os

import pytest

IN_CI = bool(os.environ.get("CI"))


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: a missing dependency must not pass as green there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: failing instead of skipping)", pytrace=False)
    pytest.skip(reason)
