"""Which HTTP events get a streamed reply: a Function URL's. Any other gets one buffered reply."""

from __future__ import annotations

from .router import is_function_url


def streams(event: dict) -> bool:
    return is_function_url(event)
