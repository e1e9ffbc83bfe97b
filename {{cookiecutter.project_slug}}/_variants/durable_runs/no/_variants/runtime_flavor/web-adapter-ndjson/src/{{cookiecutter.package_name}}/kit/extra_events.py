"""Events the pass-through route takes besides SQS batches and schedules: none yet.

``handler_for(event)`` names the function that answers ``event``, or None.
"""

from __future__ import annotations

from collections.abc import Callable


def handler_for(event: dict) -> Callable[[dict, object], object] | None:
    return None
