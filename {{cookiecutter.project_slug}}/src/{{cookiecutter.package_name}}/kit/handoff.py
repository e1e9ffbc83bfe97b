"""Hand items from one thread to another, in order, and a failure with them.

What ``queue.SimpleQueue`` does, in a few lines: importing ``queue`` would add about 2 ms
to every cold start, for a class this small.
"""

from __future__ import annotations

import threading
from collections import deque


class NothingArrived(Exception):
    """``get`` waited its whole timeout (distinct from any TimeoutError the producer raised)."""


class _Failure:
    def __init__(self, problem: BaseException) -> None:
        self.problem = problem


class Handoff:
    def __init__(self) -> None:
        self._items: deque = deque()
        self._count = threading.Semaphore(0)

    def put(self, item: object) -> None:
        self._items.append(item)
        self._count.release()

    def fail(self, problem: BaseException) -> None:
        """The producer failed: the reader's next ``get`` raises ``problem``, in its own thread."""
        self.put(_Failure(problem))

    def get(self, timeout: float | None = None) -> object:
        """The next item; NothingArrived when none comes within ``timeout`` seconds."""
        if not self._count.acquire(timeout=timeout):
            raise NothingArrived
        item = self._items.popleft()
        if isinstance(item, _Failure):
            raise item.problem
        return item
