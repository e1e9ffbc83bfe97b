"""The echo provider: streams the last user message back, word by word.

It needs no key and no network, so tests and local runs are deterministic.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from ..settings import Settings
from .events import Message


def stream_text(messages: Sequence[Message], settings: Settings) -> Iterator[str]:
    """Yield the reply in pieces, as a streaming model would."""
    last = next((m.content for m in reversed(messages) if m.role == "user"), "")
    words = last.split(" ") if last else ["(nothing", "to", "echo)"]
    pause = settings.echo_delay_ms / 1000
    for index, word in enumerate(words):
        if index and pause:
            time.sleep(pause)
        yield word if index == 0 else f" {word}"
