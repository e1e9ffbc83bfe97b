"""The kit's conversation as Pydantic AI's run arguments: history, prompt and instructions.

The caller's system (and developer) messages join the author's instructions for this run;
the last user message is the run's prompt; everything before it is ``message_history``
(user turns and tool results as ``ModelRequest``s, assistant turns as ``ModelResponse``s).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)

from .events import Message

SYSTEM_ROLES = ("system", "developer")


def instructions(messages: Sequence[Message]) -> str | None:
    """The caller's system messages, added to the author's instructions for this run."""
    return "\n\n".join(m.content for m in messages if m.role in SYSTEM_ROLES and m.content) or None


def prompt_and_history(messages: Sequence[Message]) -> tuple[str | None, list[ModelMessage]]:
    """The last user message (None when the conversation ends otherwise) and the turns before it."""
    turns = [m for m in messages if m.role not in SYSTEM_ROLES]
    prompt = turns.pop().content if turns and turns[-1].role == "user" else None
    names = {call.id: call.name for m in turns for call in m.tool_calls}
    history: list[ModelMessage] = []
    for message in turns:
        if message.role == "assistant":
            parts = [TextPart(message.content)] if message.content else []
            parts += [
                ToolCallPart(c.name, _arguments(c.arguments), tool_call_id=c.id) for c in message.tool_calls
            ]
            history.append(ModelResponse(parts=parts))
            continue
        if message.role == "tool":
            outcome = "failed" if message.is_error else "success"
            name = names.get(message.tool_call_id, "tool")
            part = ToolReturnPart(name, message.content, tool_call_id=message.tool_call_id, outcome=outcome)
        else:
            part = UserPromptPart(message.content)
        if history and isinstance(history[-1], ModelRequest):
            history[-1].parts = [*history[-1].parts, part]  # consecutive user/tool turns: one request
        else:
            history.append(ModelRequest(parts=[part]))
    if prompt is None and not (history and isinstance(history[-1], ModelRequest)):
        prompt = ""  # nothing left for the model to answer: ask with an empty prompt, as the kit's loop does
    return prompt, history


def _arguments(arguments: object) -> dict | str:
    return arguments if isinstance(arguments, dict) else str(arguments or "{}")


def call_arguments(raw: object) -> object:
    """A call's arguments as the kit reports them: a dict, or the raw text when not a JSON object."""
    if isinstance(raw, dict):
        return raw
    text = raw or ""
    try:
        parsed = json.loads(text) if text.strip() else {}
    except ValueError:
        return text
    return parsed if isinstance(parsed, dict) else text
