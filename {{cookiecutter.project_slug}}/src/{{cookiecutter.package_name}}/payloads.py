"""Request bodies parsed into plain objects, with one clear line for each problem.

Every flavor validates with these functions, so a bad body gets the same 400 everywhere.
"""

from __future__ import annotations

import json
from collections import namedtuple

from .agent.events import Message
from .errors import BadRequest, PayloadTooLarge

ROLES = ("system", "developer", "user", "assistant", "tool")


ChatRequest = namedtuple("ChatRequest", ["messages", "model", "stream"], defaults=[False])
ToolRequest = namedtuple("ToolRequest", ["tool", "arguments"])


_MESSAGE_FIELDS = ["message", "response_uuid", "stream_url", "stream_token"]


class MessageRequest(namedtuple("MessageRequest", _MESSAGE_FIELDS, defaults=[None, None])):
    """One message for ``/api/v1/send_message`` and the SQS worker."""

    __slots__ = ()

    def to_json(self) -> str:
        return json.dumps(self._asdict())

    def conversation(self) -> tuple[Message, ...]:
        return (Message("user", self.message),)


def parse_json(body: bytes | str | None, limit: int = 1_000_000) -> dict:
    """The JSON object in a request body."""
    if body is None or not body.strip():
        raise BadRequest("request body is empty; send a JSON object")
    if len(body) > limit:
        raise PayloadTooLarge(f"request body is larger than {limit} bytes")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as problem:
        raise BadRequest(f"request body is not valid JSON: {problem}") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    return data


def _text(data: dict, name: str, *, required: bool = True, default: str | None = None) -> str | None:
    value = data.get(name, default)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRequest(f"'{name}' must be a non-empty string")
    return value


def _content(value: object, index: int) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = [p.get("text") for p in value if isinstance(p, dict) and p.get("type") == "text"]
        if len(parts) == len(value) and all(isinstance(p, str) for p in parts):
            return "".join(parts)
    raise BadRequest(f"messages[{index}].content must be a string or a list of text parts")


def parse_chat(data: dict, default_model: str) -> ChatRequest:
    raw = data.get("messages")
    if not isinstance(raw, list) or not raw:
        raise BadRequest("'messages' must be a non-empty list")
    messages = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise BadRequest(f"messages[{index}] must be an object with 'role' and 'content'")
        role = item.get("role")
        if role not in ROLES:
            raise BadRequest(f"messages[{index}].role must be one of {', '.join(ROLES)}")
        messages.append(Message(role, _content(item.get("content"), index)))
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise BadRequest("'stream' must be true or false")
    model = _text(data, "model", default=default_model)
    return ChatRequest(tuple(messages), model, stream)


def parse_tool(data: dict) -> ToolRequest:
    name = _text(data, "tool")
    arguments = data.get("arguments", {})
    if not isinstance(arguments, dict):
        raise BadRequest("'arguments' must be an object")
    return ToolRequest(name, arguments)


def _new_uuid() -> str:
    import uuid  # only when the caller sent none: it is not free at cold start

    return str(uuid.uuid4())


def parse_message(data: dict) -> MessageRequest:
    return MessageRequest(
        message=_text(data, "message"),
        response_uuid=_text(data, "response_uuid") if "response_uuid" in data else _new_uuid(),
        stream_url=_text(data, "stream_url", required=False),
        stream_token=_text(data, "stream_token", required=False),
    )
