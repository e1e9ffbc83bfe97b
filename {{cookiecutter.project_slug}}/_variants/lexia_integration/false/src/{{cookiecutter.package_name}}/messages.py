"""Messages for ``/api/v1/send_message`` and the SQS worker: parse one, answer one."""

from __future__ import annotations

from .agent import agent
from .payloads import MessageRequest, parse_message
from .settings import Settings

parse = parse_message


def answer(request: MessageRequest, settings: Settings) -> dict:
    """Run the agent on the message; the reply goes back to the caller."""
    return {"reply": agent.reply_text(request.conversation(), settings)}
