"""Where replies go besides the caller: Lexia's Centrifugo stream, published by every function."""

from __future__ import annotations

from .context import Context


def environment(context: Context) -> dict[str, str]:
    """Every function's STREAM_URL: empty sends each reply to the stream_url its ChatMessage carries."""
    return {"STREAM_URL": context.url("stream_url")}
