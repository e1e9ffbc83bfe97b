"""Read a blocking iterator without blocking the event loop.

Model SDKs such as boto3 (``converse_stream``, ``invoke_model_with_response_stream``) hand
back synchronous streams: iterating one inside an ``async def`` stops every other request
on the loop, and behind the Lambda Web Adapter it also stalls the response stream
itself. Wrap the stream instead::

    response = await asyncio.to_thread(client.converse_stream, **request)
    async for event in iterate_in_thread(response["stream"]):
        ...
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


async def iterate_in_thread(items: Iterable[T]) -> AsyncIterator[T]:
    """Yield the items of a blocking iterable, each ``next()`` running in a worker thread.

    When the consumer stops early, the iterator's ``close()`` (if any) runs, which for a
    botocore event stream releases the HTTP connection.
    """
    iterator = iter(items)
    try:
        while (item := await asyncio.to_thread(next, iterator, _DONE)) is not _DONE:
            yield item  # type: ignore[misc]
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            # A generator still running in its thread (the consumer was cancelled) refuses.
            with contextlib.suppress(ValueError):
                close()
