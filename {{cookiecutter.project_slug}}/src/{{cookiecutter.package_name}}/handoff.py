"""Hand items from one thread to another, in order.

What ``queue.SimpleQueue`` does, in a few lines: importing ``queue`` would add about 2 ms
to every cold start, for a class this small.
"""

from __future__ import annotations

import threading
from collections import deque


class Handoff:
    def __init__(self) -> None:
        self._items: deque = deque()
        self._count = threading.Semaphore(0)

    def put(self, item: object) -> None:
        self._items.append(item)
        self._count.release()

    def get(self, timeout: float | None = None) -> object:
        """The next item; TimeoutError when none arrives within ``timeout`` seconds."""
        if not self._count.acquire(timeout=timeout):
            raise TimeoutError
        return self._items.popleft()
