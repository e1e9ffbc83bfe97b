"""Newline-delimited JSON: one ``{"type", "payload", "timestamp"}`` object per event."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..agent.events import AgentEvent

MEDIA_TYPE = "application/x-ndjson"


def encode(event: AgentEvent) -> bytes:
    line = {"type": event.type, "payload": event.payload, "timestamp": round(event.timestamp, 6)}
    return json.dumps(line, separators=(",", ":"), default=str).encode() + b"\n"


def encode_stream(events: Iterator[AgentEvent]) -> Iterator[bytes]:
    for event in events:
        yield encode(event)
