"""`start_in_fork`: the result of the work done in a forked process, or None when it failed."""

from __future__ import annotations

import os
import signal
from typing import Any, Callable

import pytest

from generator.forked import start_in_fork


def _raises() -> Any:
    raise ValueError("broken")


def _killed() -> Any:
    os.kill(os.getpid(), signal.SIGKILL)


def _unpicklable() -> Any:
    return lambda: None


@pytest.mark.parametrize(("work", "expected"), [
    (lambda: {"models.py": "x" * 300_000}, {"models.py": "x" * 300_000}),  # over a pipe's 64 KiB
    (lambda: [], []),
    (_raises, None),
    (_killed, None),
    (_unpicklable, None),
])
def test_start_in_fork(work: Callable[[], Any], expected: Any) -> None:
    assert start_in_fork(work)() == expected


def test_the_fork_sees_this_process_memory() -> None:
    shared = {"ir": list(range(1000))}
    assert start_in_fork(lambda: sum(shared["ir"]))() == sum(range(1000))
