"""``POST /api/chat``: the Vercel AI SDK's chat route (``useChat`` with ``DefaultChatTransport``).

The client sends its whole conversation as UI messages, ``{id, role, parts: [...]}``; this
turns them into the agent's conversation (text parts, and the tool calls and outputs of
earlier turns) and answers with the UI message stream.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Iterator

from . import deadline
from .agent import loop
from .agent.events import Message, ToolCall
from .errors import BadRequest
from .protocols import ui_messages
from .service import guarded
from .settings import Settings

UiChatRequest = namedtuple("UiChatRequest", ["chat_id", "messages", "trigger"])

ROLES = ("system", "user", "assistant")
TRIGGERS = ("submit-message", "regenerate-message")
# Parts the client keeps for its own display; the model has nothing to read in them.
DISPLAY_ONLY = ("step-start", "reasoning", "source-url", "source-document")
# Tool parts that carry the call's outcome; earlier states (input streaming, awaiting
# approval) never ran, so they are not part of the conversation.
ANSWERED = ("output-available", "output-error")


def parse(data: dict) -> UiChatRequest:
    """The request ``DefaultChatTransport`` sends: ``{id, messages, trigger, messageId?, ...}``."""
    raw = data.get("messages")
    if not isinstance(raw, list) or not raw:
        raise BadRequest("'messages' must be a non-empty list of UI messages")
    trigger = data.get("trigger", "submit-message")
    if trigger not in TRIGGERS:
        raise BadRequest(f"'trigger' must be one of {', '.join(TRIGGERS)}")
    chat_id = data.get("id")
    if chat_id is not None and not isinstance(chat_id, str):
        raise BadRequest("'id' must be a string")
    conversation: list[Message] = []
    for index, item in enumerate(raw):
        conversation.extend(_message(item, index))
    if not conversation:
        raise BadRequest("'messages' hold no text for the agent")
    return UiChatRequest(chat_id, tuple(conversation), trigger)


def _message(item: object, index: int) -> list[Message]:
    where = f"messages[{index}]"
    if not isinstance(item, dict):
        raise BadRequest(f"{where} must be an object with 'role' and 'parts'")
    role = item.get("role")
    if role not in ROLES:
        raise BadRequest(f"{where}.role must be one of {', '.join(ROLES)}")
    parts = item.get("parts")
    if not isinstance(parts, list):
        raise BadRequest(f"{where}.parts must be a list")
    if role != "assistant":
        text = "".join(_text(part, f"{where}.parts[{number}]") for number, part in enumerate(parts))
        return [Message(role, text)] if text else []
    return _assistant(parts, where)


def _text(part: object, where: str) -> str:
    """The text of a user or system part; parts with nothing for the model give ''."""
    if not isinstance(part, dict) or not isinstance(part.get("type"), str):
        raise BadRequest(f"{where} must be an object with a 'type'")
    kind = part["type"]
    if kind == "text":
        if not isinstance(part.get("text"), str):
            raise BadRequest(f"{where}.text must be a string")
        return part["text"]
    if kind in DISPLAY_ONLY or kind.startswith("data-"):
        return ""
    raise BadRequest(f"{where}: parts of type {kind!r} are not supported; send text parts")


def _assistant(parts: list, where: str) -> list[Message]:
    """An assistant UI message, one model step at a time: its text and tool calls, then one
    ``tool`` message per answered call, as the agent itself builds the conversation."""
    turns: list[Message] = []
    text: list[str] = []
    calls: list[ToolCall] = []
    outcomes: list[Message] = []

    def end_step() -> None:
        if text or calls:
            turns.append(Message("assistant", "".join(text), tuple(calls)))
            turns.extend(outcomes)
        text.clear()
        calls.clear()
        outcomes.clear()

    for number, part in enumerate(parts):
        here = f"{where}.parts[{number}]"
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "step-start" or (kind == "text" and outcomes):
            end_step()  # text after tool outputs came from the next model call
        if isinstance(kind, str) and (kind.startswith("tool-") or kind == "dynamic-tool"):
            answered = _tool(part, kind, here)
            if answered is not None:
                calls.append(answered[0])
                outcomes.append(answered[1])
        else:
            piece = _text(part, here)
            if piece:
                text.append(piece)
    end_step()
    return turns


def _tool(part: dict, kind: str, where: str) -> tuple[ToolCall, Message] | None:
    """The call and its outcome, or None for a call that never ran."""
    name = part.get("toolName") if kind == "dynamic-tool" else kind[len("tool-") :]
    call_id = part.get("toolCallId")
    if not isinstance(name, str) or not name:
        raise BadRequest(f"{where} must name its tool")
    if not isinstance(call_id, str) or not call_id:
        raise BadRequest(f"{where}.toolCallId must be a non-empty string")
    if part.get("state") not in ANSWERED:
        return None
    arguments = part.get("input")
    if not isinstance(arguments, dict):
        raise BadRequest(f"{where}.input must be an object")
    call = ToolCall(call_id, name, arguments)
    if part["state"] == "output-error":
        problem = part.get("errorText")
        if not isinstance(problem, str):
            raise BadRequest(f"{where}.errorText must be a string")
        return call, Message("tool", problem, tool_call_id=call_id, is_error=True)
    output = part.get("output")
    content = output if isinstance(output, str) else json.dumps(output, default=str)
    return call, Message("tool", content, tool_call_id=call_id)


def stream(
    request: UiChatRequest, settings: Settings, remaining_ms: deadline.RemainingMs | None = None
) -> Iterator[bytes]:
    """The agent's run as UI message stream chunks; with ``remaining_ms``, cut off shortly
    before the function times out with an ``error`` chunk the client shows."""
    chunks = ui_messages.encode_stream(guarded(loop.run_agent(request.messages, settings)))
    if remaining_ms is None:
        return chunks
    return deadline.until_deadline(chunks, remaining_ms, lambda: ui_messages.error_chunks(deadline.MESSAGE))
