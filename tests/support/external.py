"""External components the tests drive for real. Missing one is a skip on a laptop and a failure in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, what: str) -> None:
    """Fail in CI, skip elsewhere, when an external component is missing."""
    if condition:
        return
    message = f"{what} is not installed here (run `make test`, which installs it)"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_program(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, name)
    return path
