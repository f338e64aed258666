"""Work done in a forked process while this one goes on with its own.

A forked process shares this one's memory as it was at the fork (the IR, the loaded spec): no
copying of the input, only the result comes back, pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
from typing import Callable, TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_in_fork(work: Callable[[], T]) -> Callable[[], T | None]:
    """Run `work` in a forked process; the function returned waits for its result, or None
    when the process failed (the caller then does the work itself, where its error shows).
    Call it once; the result must pickle, and must not be None."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the forked process; callers' tests check its results
        payload = b""
        try:
            os.close(read)
            payload = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - reported as None: the caller redoes the work
            payload = b""
        finally:
            try:
                with os.fdopen(write, "wb") as stream:
                    stream.write(payload)
            finally:
                os._exit(0)
    os.close(write)

    def receive() -> T | None:
        with os.fdopen(read, "rb") as stream:
            payload = stream.read()
        os.waitpid(child, 0)
        result: T | None = pickle.loads(payload) if payload else None
        return result

    return receive
