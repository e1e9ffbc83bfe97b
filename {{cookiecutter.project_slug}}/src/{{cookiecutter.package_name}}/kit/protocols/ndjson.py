"""Newline-delimited JSON: one object per event, ``{"type", ...its fields, "timestamp"}``.

For example ``{"type": "tool_call", "id": "call_1", "name": "slow_process", "arguments": {...},
"timestamp": 1767000000.123456}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..agent.events import AgentEvent

MEDIA_TYPE = "application/x-ndjson"


def encode(event: AgentEvent) -> bytes:
    line = {"type": event.type, **event.payload, "timestamp": round(event.timestamp, 6)}
    return json.dumps(line, separators=(",", ":"), default=str).encode() + b"\n"


def encode_stream(events: Iterator[AgentEvent]) -> Iterator[bytes]:
    for event in events:
        yield encode(event)
