"""Watches an agent run's events and reports the run: metrics, and spans when tracing is on."""

from __future__ import annotations

from collections.abc import Iterator

from ..agent.events import AgentEvent
from ..settings import Settings


def observe(events: Iterator[AgentEvent], settings: Settings) -> Iterator[AgentEvent]:
    """The run's events, less the kit's own ``model_call`` records."""
    try:
        for event in events:
            if event.type != "model_call":
                yield event
    finally:
        events.close()  # the caller stopped reading: so does the run, and its running tool
