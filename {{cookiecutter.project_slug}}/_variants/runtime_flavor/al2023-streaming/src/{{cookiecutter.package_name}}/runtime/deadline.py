"""Cut a stream off shortly before the invocation's deadline, so the caller hears why.

Lambda ends an invocation that runs out of time without a word to the client; stopping
a little earlier lets the stream end with an error event and the failure trailers.

The stream is produced in a worker thread and handed over chunk by chunk, so a producer
stuck in a blocking call cannot hold the reply past the deadline. Once the reply is cut
off, the producer is closed at its next chunk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from ..handoff import Handoff, NothingArrived

_END = object()


class DeadlineExceeded(Exception):
    """The invocation was about to time out; the stream was cut off."""


def until_deadline(
    chunks: Iterator[bytes],
    remaining_ms: Callable[[], int],
    margin_ms: int,
    final_chunk: Callable[[], bytes],
) -> Iterator[bytes]:
    """Pass chunks through; ``margin_ms`` before the deadline, yield ``final_chunk()`` and raise."""
    handoff = Handoff()
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                handoff.put(chunk)
                if stop.is_set():
                    break
            handoff.put(_END)
        except BaseException as problem:
            handoff.fail(problem)  # raised again in the reader's thread
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    threading.Thread(target=produce, name="stream-producer", daemon=True).start()
    try:
        while True:
            seconds_left = (remaining_ms() - margin_ms) / 1000
            try:
                if seconds_left <= 0:
                    raise NothingArrived
                item = handoff.get(timeout=seconds_left)
            except NothingArrived:
                yield final_chunk()
                raise DeadlineExceeded(f"cut off {margin_ms} ms before the function timeout") from None
            if item is _END:
                return
            yield item
    finally:
        stop.set()
