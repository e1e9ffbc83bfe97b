"""Keep every reply inside the invocation's time limit, so the caller hears why it stopped.

Lambda ends an invocation that runs out of time without a word to the client. Stopping
``MARGIN_MS`` earlier lets a stream end with an error event (NDJSON ``error`` line, or the
OpenAI ``error`` object in SSE) and a whole reply become a 504.

The work runs in a worker thread and is handed over as it is produced, so work stuck in
a blocking call cannot hold the reply past the deadline. Once a stream is cut off, its
producer is closed at its next chunk, which stops the agent's run and its running tool.
A whole reply cannot be stopped half-way; its thread is left to finish and its answer is
dropped.

Where no deadline is known (local runs), nothing is cut.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from .agent.events import error
from .errors import GatewayTimeout
from .handoff import Handoff, NothingArrived
from .protocols import ndjson, openai

# How long before the function timeout a reply is cut off: enough to send the error event
# and whatever ends the response.
MARGIN_MS = 500
MESSAGE = "the function is about to time out; the reply was cut off"
CODE = "deadline_exceeded"

RemainingMs = Callable[[], int]
_END = object()
# The time left in the invocation being answered. Lambda gives an execution environment one
# invocation at a time, so one value for the process is right, on every thread.
_invocation: dict[str, RemainingMs] = {}


class DeadlineExceeded(Exception):
    """The invocation was about to time out; the stream was cut off."""


def seconds_left() -> float | None:
    """Seconds until this invocation's reply is cut off; None where no deadline is known."""
    remaining_ms = _invocation.get("remaining_ms")
    return None if remaining_ms is None else (remaining_ms() - MARGIN_MS) / 1000


def _watching(remaining_ms: RemainingMs) -> Callable[[], None]:
    """Make ``remaining_ms`` the invocation's clock for ``seconds_left``; returns its undo."""
    _invocation["remaining_ms"] = remaining_ms

    def forget() -> None:
        if _invocation.get("remaining_ms") is remaining_ms:
            del _invocation["remaining_ms"]

    return forget


def until_deadline(
    chunks: Iterator[bytes],
    remaining_ms: RemainingMs,
    final_chunk: Callable[[], bytes],
    margin_ms: int = MARGIN_MS,
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

    forget = _watching(remaining_ms)
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
        forget()


def within_deadline(
    work: Callable[[], object], remaining_ms: RemainingMs | None, margin_ms: int = MARGIN_MS
) -> object:
    """``work()``'s answer, or GatewayTimeout (504) ``margin_ms`` before the deadline."""
    if remaining_ms is None:
        return work()
    seconds_left = (remaining_ms() - margin_ms) / 1000
    if seconds_left <= 0:
        raise GatewayTimeout(MESSAGE)
    handoff = Handoff()

    def run() -> None:
        try:
            handoff.put(work())
        except BaseException as problem:
            handoff.fail(problem)

    forget = _watching(remaining_ms)
    threading.Thread(target=run, name="reply-worker", daemon=True).start()
    try:
        return handoff.get(timeout=seconds_left)
    except NothingArrived:
        raise GatewayTimeout(MESSAGE) from None
    finally:
        forget()


def cut_off(chunks: Iterator[bytes], media_type: str, remaining_ms: RemainingMs | None) -> Iterator[bytes]:
    """``chunks`` cut off before the deadline with the error event of ``media_type``."""
    if remaining_ms is None:
        return chunks

    def final_chunk() -> bytes:
        if media_type == openai.MEDIA_TYPE_SSE:
            return openai.error_chunk(MESSAGE, CODE)
        return ndjson.encode(error(MESSAGE, code=CODE))

    return until_deadline(chunks, remaining_ms, final_chunk)
