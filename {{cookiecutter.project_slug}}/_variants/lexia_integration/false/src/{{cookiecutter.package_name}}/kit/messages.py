"""Messages for ``/api/v1/send_message`` and the SQS worker: parse one, answer one."""

from __future__ import annotations

from . import author
from .agent.loop import outcome_of
from .payloads import MessageRequest, parse_message
from .settings import Settings

parse = parse_message


def answer(request: MessageRequest, settings: Settings) -> dict:
    """Answer the message as the author's ``answer_message`` does; the reply goes back to the caller."""
    return {"reply": outcome_of(author.answer_message(request.conversation(), settings))["text"]}
