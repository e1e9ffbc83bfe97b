"""Tool progress: ``report_progress(ctx, "...")`` in a tool sends a line to the caller at once.

The Agents SDK has no progress events of its own. The kit runs every agent with a ``RunProgress``
as the run's context (``ctx.context`` in a tool); a line reported through it joins the run's
event stream as a ``status`` event carrying the tool call's id, while the tool goes on working.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from agents import RunContextWrapper
from agents.tool_context import ToolContext


class RunProgress:
    """A run's progress channel; ``on_progress(call_id, message)`` runs on the run's event loop.

    Make it inside the run's loop: a tool that runs in a thread (a plain ``def``) reports through it
    too.
    """

    def __init__(self, on_progress: Callable[[str, str], None]) -> None:
        self._on_progress = on_progress
        self._loop = asyncio.get_running_loop()

    def report(self, call_id: str, message: str) -> None:
        try:
            on_the_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            on_the_loop = False
        if on_the_loop:
            self._on_progress(call_id, message)
        else:
            self._loop.call_soon_threadsafe(self._on_progress, call_id, message)


def report_progress(ctx: RunContextWrapper, message: str) -> None:
    """Send ``message`` to the caller now, as progress of the tool call ``ctx`` belongs to.

    Outside a run that has a ``RunProgress`` context (a run of your own), the line goes nowhere.
    """
    channel = ctx.context
    if isinstance(channel, RunProgress) and isinstance(ctx, ToolContext):
        channel.report(ctx.tool_call_id, str(message))
