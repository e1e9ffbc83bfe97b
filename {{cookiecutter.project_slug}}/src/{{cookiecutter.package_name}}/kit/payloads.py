"""Request bodies parsed into plain objects, with one clear line for each problem.

Every route validates with these functions, so a bad body gets the same 400 everywhere.
``parse_json`` accepts only what every encoder of a reply can write back: UTF-8 text,
finite numbers, no lone surrogates, bounded nesting. Whatever a route echoes (a message,
a tool's arguments) can then never break the reply that carries it.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple

from .agent.events import Message, ToolCall
from .errors import BadRequest, PayloadTooLarge

ROLES = ("system", "developer", "user", "assistant", "tool")


# ``options``: the generation settings the caller sent (max_tokens, temperature, stop).
ChatRequest = namedtuple("ChatRequest", ["messages", "model", "stream", "options"], defaults=[False, None])
ToolRequest = namedtuple("ToolRequest", ["tool", "arguments"])


_MESSAGE_FIELDS = ["message", "response_uuid", "stream_url", "stream_token"]


class MessageRequest(namedtuple("MessageRequest", _MESSAGE_FIELDS, defaults=[None, None])):
    """One message for ``/api/v1/send_message`` and the SQS worker."""

    __slots__ = ()

    def to_json(self) -> str:
        # Compact and unescaped: "\u00e9" would take 6 bytes of a queued message, "é" takes 2.
        return json.dumps(self._asdict(), ensure_ascii=False, separators=(",", ":"))

    def conversation(self) -> tuple[Message, ...]:
        return (Message("user", self.message),)


# Deeper than any real request; bounds every recursive walk over a body, here and beyond.
MAX_DEPTH = 64
# Longer integers mean nothing to a JSON client (past 2**53 they lose precision) and cost
# quadratic time to convert; Python refuses past 4,300 digits with a confusing message.
MAX_DIGITS = 100
# A surrogate escaped in JSON text ("\ud800"); a pair decodes to one character, a lone one stays.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _Refused(ValueError):
    """A JSON text that parses in Python but is not standard JSON, or too big a number."""


def _constant(name: str) -> float:
    raise _Refused(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text[:20]}{'...' if len(text) > 20 else ''} is too large")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"a number has more than {MAX_DIGITS} digits")
    return int(text)


def parse_json(body: bytes | str | None, limit: int = 1_000_000) -> dict:
    """The JSON object in a request body."""
    if body is None or not body.strip():
        raise BadRequest("request body is empty; send a JSON object")
    if len(body) > limit:
        raise PayloadTooLarge(f"request body is larger than {limit} bytes")
    if isinstance(body, bytes | bytearray):
        try:
            # Strict UTF-8: json.loads(bytes) would let CESU-8 surrogates (b"\xed\xa0\x80") through.
            text = bytes(body).decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as problem:
            byte = problem.object[problem.start]
            raise BadRequest(f"request body is not UTF-8 (byte 0x{byte:02x} at {problem.start})") from None
        raw_surrogates = False
    else:
        text = body
        raw_surrogates = not _encodes(text)
    try:
        data = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except _Refused as problem:
        raise BadRequest(f"request body is not valid JSON: {problem}") from None
    except RecursionError:
        raise BadRequest(f"request body nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as problem:
        raise BadRequest(f"request body is not valid JSON: {problem}") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    # Both scans are C-speed; the walk runs only when one of them says it might find something.
    strings = raw_surrogates or _ESCAPED_SURROGATE.search(text) is not None
    if strings or text.count("[") + text.count("{") > MAX_DEPTH:
        _walk(data, strings)
    return data


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _walk(data: dict, strings: bool) -> None:
    """Refuse nesting deeper than MAX_DEPTH and (when ``strings``) lone surrogates."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise BadRequest(f"request body nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            if strings and any(_SURROGATE.search(key) for key in value):
                raise _lone_surrogate()
            items = value.values()
        else:
            items = value
        for item in items:
            if isinstance(item, dict | list):
                pending.append((item, depth + 1))
            elif strings and isinstance(item, str) and _SURROGATE.search(item):
                raise _lone_surrogate()


def _lone_surrogate() -> BadRequest:
    return BadRequest("request body holds a lone surrogate (\\ud800-\\udfff), which is not text; send UTF-8")


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


def _tool_calls(value: object, index: int) -> tuple[ToolCall, ...]:
    """An assistant message's ``tool_calls``, in the Chat Completions shape."""
    where = f"messages[{index}].tool_calls"
    if not isinstance(value, list) or not value:
        raise BadRequest(f"{where} must be a non-empty list")
    calls = []
    for number, item in enumerate(value):
        function = item.get("function") if isinstance(item, dict) else None
        if not isinstance(function, dict) or item.get("type", "function") != "function":
            raise BadRequest(f"{where}[{number}] must be a function call with 'id' and 'function'")
        call_id, name, raw = item.get("id"), function.get("name"), function.get("arguments", "{}")
        if not isinstance(call_id, str) or not call_id:
            raise BadRequest(f"{where}[{number}].id must be a non-empty string")
        if not isinstance(name, str) or not name:
            raise BadRequest(f"{where}[{number}].function.name must be a non-empty string")
        try:
            arguments = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            raise BadRequest(f"{where}[{number}].function.arguments must be a JSON object in a string")
        calls.append(ToolCall(call_id, name, arguments))
    return tuple(calls)


def _message(item: object, index: int, asked: set[str]) -> Message:
    if not isinstance(item, dict):
        raise BadRequest(f"messages[{index}] must be an object with 'role' and 'content'")
    role = item.get("role")
    if role not in ROLES:
        raise BadRequest(f"messages[{index}].role must be one of {', '.join(ROLES)}")
    if role == "assistant" and item.get("tool_calls") is not None:
        calls = _tool_calls(item["tool_calls"], index)
        asked.update(call.id for call in calls)
        content = item.get("content")
        return Message(role, "" if content is None else _content(content, index), calls)
    if role == "tool":
        call_id = item.get("tool_call_id")
        if not isinstance(call_id, str) or call_id not in asked:
            raise BadRequest(
                f"messages[{index}].tool_call_id must name a tool call of an earlier assistant message"
            )
        return Message(role, _content(item.get("content"), index), tool_call_id=call_id)
    return Message(role, _content(item.get("content"), index))


# The largest ``max_tokens`` accepted: above any model's output limit, well below absurd.
MAX_TOKENS_LIMIT = 1_000_000


def _options(data: dict) -> dict:
    """The generation settings every provider honours, checked; only those the caller sent."""
    options = {}
    for name in ("max_tokens", "max_completion_tokens"):
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TOKENS_LIMIT:
            raise BadRequest(f"'{name}' must be a whole number from 1 to {MAX_TOKENS_LIMIT}")
        options[name] = value
    temperature = data.get("temperature")
    if temperature is not None:
        number = isinstance(temperature, (int, float)) and not isinstance(temperature, bool)
        if not number or not 0 <= temperature <= 2:
            raise BadRequest("'temperature' must be a number from 0 to 2")
        options["temperature"] = temperature
    stop = data.get("stop")
    if stop is not None:
        stops = [stop] if isinstance(stop, str) else stop
        if (
            not isinstance(stops, list)
            or not 1 <= len(stops) <= 4
            or not all(isinstance(s, str) and s for s in stops)
        ):
            raise BadRequest("'stop' must be a non-empty string or a list of 1 to 4 non-empty strings")
        options["stop"] = stop
    return options


def parse_chat(data: dict, default_model: str) -> ChatRequest:
    raw = data.get("messages")
    if not isinstance(raw, list) or not raw:
        raise BadRequest("'messages' must be a non-empty list")
    if data.get("tools") is not None or data.get("functions") is not None:
        field = "tools" if data.get("tools") is not None else "functions"
        raise BadRequest(f"'{field}' is not supported: the agent runs its own tools, server-side")
    asked: set[str] = set()
    messages = tuple(_message(item, index, asked) for index, item in enumerate(raw))
    stream = data.get("stream", False)
    if not isinstance(stream, bool):
        raise BadRequest("'stream' must be true or false")
    model = _text(data, "model", default=default_model)
    return ChatRequest(messages, model, stream, _options(data))


# Tool and parameter names are Python names; longer ones are refused before an error echoes them.
MAX_NAME = 64
# A response_uuid goes into logs and an SQS message attribute, which takes printable text only.
MAX_RESPONSE_UUID = 128


def parse_tool(data: dict) -> ToolRequest:
    name = _text(data, "tool")
    if len(name) > MAX_NAME:
        raise BadRequest(f"unknown tool: 'tool' must be a tool name of at most {MAX_NAME} characters")
    arguments = data.get("arguments", {})
    if not isinstance(arguments, dict):
        raise BadRequest("'arguments' must be an object")
    if any(len(key) > MAX_NAME for key in arguments):
        raise BadRequest(f"'arguments' keys must be parameter names of at most {MAX_NAME} characters")
    return ToolRequest(name, arguments)


def check_response_uuid(value: str) -> str:
    if not 0 < len(value) <= MAX_RESPONSE_UUID or not value.isprintable():
        raise BadRequest(f"'response_uuid' must be 1 to {MAX_RESPONSE_UUID} printable characters")
    return value


def _new_uuid() -> str:
    import uuid  # only when the caller sent none: it is not free at cold start

    return str(uuid.uuid4())


def parse_message(data: dict) -> MessageRequest:
    message = _text(data, "message")
    given = "response_uuid" in data
    return MessageRequest(
        message=message,
        response_uuid=check_response_uuid(_text(data, "response_uuid")) if given else _new_uuid(),
        stream_url=_stream_url(data),
        stream_token=_text(data, "stream_token", required=False),
    )


def _stream_url(data: dict) -> str | None:
    """Where a queued message's answer is POSTed: an http(s) URL, or None."""
    url = _text(data, "stream_url", required=False)
    if url and not url.startswith(("https://", "http://")):
        raise BadRequest("'stream_url' must be an http(s) URL")
    return url
