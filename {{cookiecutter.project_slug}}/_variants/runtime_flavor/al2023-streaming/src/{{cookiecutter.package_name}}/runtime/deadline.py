"""Cut a stream off shortly before the invocation's deadline, so the caller hears why.

Lambda ends an invocation that runs out of time without a word to the client; stopping
a little earlier lets the stream end with an error event and the failure trailers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable


class DeadlineExceeded(Exception):
    """The invocation was about to time out; the stream was cut off."""


async def until_deadline(
    chunks: AsyncIterator[bytes],
    remaining_ms: Callable[[], int],
    margin_ms: int,
    final_chunk: Callable[[], bytes],
) -> AsyncIterator[bytes]:
    """Pass chunks through; ``margin_ms`` before the deadline, yield ``final_chunk()`` and raise."""
    iterator = aiter(chunks)
    try:
        while True:
            seconds_left = (remaining_ms() - margin_ms) / 1000
            try:
                if seconds_left <= 0:
                    raise TimeoutError
                chunk = await asyncio.wait_for(anext(iterator), seconds_left)
            except StopAsyncIteration:
                return
            except TimeoutError:
                yield final_chunk()
                raise DeadlineExceeded(f"cut off {margin_ms} ms before the function timeout") from None
            yield chunk
    finally:
        close = getattr(iterator, "aclose", None)
        if close is not None:
            await close()
