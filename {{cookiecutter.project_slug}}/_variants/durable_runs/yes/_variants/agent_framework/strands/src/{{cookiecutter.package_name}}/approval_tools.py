"""Your tools that wait for a person's approval before each call, offered to the model in runs only.

Write one like any tool in ``tools.py`` and list it in ``APPROVAL_TOOLS``: a run stops at each
call until someone approves or denies it (``POST /v1/runs/{id}/approval``).
"""

from __future__ import annotations

from strands import tool


@tool
async def publish(message: str, channel: str = "announcements"):
    """Publish a message for everyone to read (a person approves each one first).

    Args:
        message: The text to publish.
        channel: Where to publish it.
    """
    yield f"publishing to {channel}"
    yield {"published": message, "channel": channel}


APPROVAL_TOOLS = [publish]
