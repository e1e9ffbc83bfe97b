"""Messages in the Lexia platform's ``ChatMessage`` shape, answered through its ``LexiaHandler``.

The reply streams to the message's ``stream_url``/``stream_token`` (else ``STREAM_URL`` and
``STREAM_TOKEN``), then the completion goes to the platform; a failure is reported the
same way before it is raised, so the SQS worker still retries the record. A queued message's
answer has reached Lexia by the time its run ends, so the worker has nothing left to deliver.
"""

from __future__ import annotations

import logging
from collections import namedtuple
from dataclasses import dataclass

from lexia import ChatMessage, LexiaHandler
from pydantic import ValidationError

from . import author
from .agent.errors import ProviderError
from .agent.events import Message
from .errors import BadRequest
from .payloads import MAX_NAME, check_response_uuid
from .settings import Settings

# A queued message's run: the reply (or the error that ended it), where the answer went
# ("lexia": published as it ran) and the lines left to deliver (none).
Answer = namedtuple("Answer", ["reply", "error", "delivery", "lines"])

# The lexia package logs request headers, which carry platform API keys, at INFO.
logging.getLogger("lexia").setLevel(logging.WARNING)


@dataclass(frozen=True)
class LexiaRequest:
    message: ChatMessage

    @property
    def response_uuid(self) -> str:
        return self.message.response_uuid

    def to_json(self) -> str:
        return self.message.model_dump_json()  # compact, and UTF-8 rather than \u escapes

    def conversation(self) -> tuple[Message, ...]:
        system = (Message("system", self.message.system_message),) if self.message.system_message else ()
        return (*system, Message("user", self.message.message))


def parse(data: dict) -> LexiaRequest:
    try:
        message = ChatMessage.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        # A location can hold the caller's own keys (in headers, memory): shown short, on one line.
        where = " ".join(".".join(str(part)[:MAX_NAME] for part in first["loc"]).split()) or "body"
        raise BadRequest(f"not a Lexia ChatMessage: {where}: {first['msg']}") from None
    check_response_uuid(message.response_uuid)
    return LexiaRequest(message)


def _handler(request: LexiaRequest, settings: Settings) -> LexiaHandler:
    stream_url = request.message.stream_url or settings.stream_url
    if not stream_url:
        raise BadRequest("the message has no stream_url and STREAM_URL is not set")
    handler = LexiaHandler(dev_mode=False)
    handler.stream_client.update_config(stream_url, request.message.stream_token or settings.stream_token)
    return handler


def answer(request: LexiaRequest, settings: Settings) -> dict:
    """Stream the agent's reply through Lexia, then complete the response there."""
    handler = _handler(request, settings)
    message = request.message
    parts: list[str] = []
    try:
        for event in author.answer_message(request.conversation(), settings):
            if event.type == "delta":
                parts.append(event.payload["text"])
                handler.stream_chunk(message, event.payload["text"])
            elif event.type == "error":
                raise ProviderError(event.payload["message"])
    except Exception as problem:
        handler.send_error(message, str(problem) or "agent failed")
        raise
    reply = "".join(parts)
    handler.complete_response(message, reply)
    return {"reply": reply}


def run(request: LexiaRequest, settings: Settings) -> Answer:
    """Answer a queued message through Lexia once; never raises for the agent (its error is
    published, and kept in the answer)."""
    try:
        reply = answer(request, settings)["reply"]
    except Exception as problem:
        return Answer("", str(problem) or "agent failed", "lexia", ())
    return Answer(reply, None, "lexia", ())


def deliver(request: LexiaRequest, answer: Answer) -> dict | None:
    """Nothing: Lexia has the answer already."""
    return None
