"""Events the pass-through route takes besides SQS batches and schedules: the invocations of
the runs function, which the adapter posts there like any other event.

``handler_for(event)`` names the function that answers ``event``, or None.
"""

from __future__ import annotations

from collections.abc import Callable


def handler_for(event: dict) -> Callable[[dict, object], object] | None:
    if "DurableExecutionArn" in event and "CheckpointToken" in event:
        from .runs.handler import handler  # the runs function: one durable invocation

        return handler
    return None
