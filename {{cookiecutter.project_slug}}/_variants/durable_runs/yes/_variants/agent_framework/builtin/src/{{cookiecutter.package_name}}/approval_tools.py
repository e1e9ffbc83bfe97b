"""Your tools that wait for a person's approval before each call, offered to the model in runs only.

Write one like any tool in ``tools.py``, with ``@approval_tool`` instead of ``@tool``: a run
stops at each call until someone approves or denies it (``POST /v1/runs/{id}/approval``).
"""

from __future__ import annotations

from .kit.agent.tools import ToolContext
from .kit.runs.approval import approval_tool


@approval_tool
def publish(message: str, channel: str = "announcements", *, ctx: ToolContext) -> dict:
    """Publish a message for everyone to read (a person approves each one first).

    Args:
        message: The text to publish.
        channel: Where to publish it.
    """
    ctx.send_status(f"publishing to {channel}")
    return {"published": message, "channel": channel}
