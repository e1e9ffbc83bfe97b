"""The kit's conversation as LangChain messages, the input of the agent's graph.

The caller's system (and developer) messages follow the author's system prompt; an earlier
assistant turn keeps its tool calls (arguments that were not a JSON object as an invalid tool
call, so the model still sees them answered) and each tool turn answers its call by id.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from .events import Message

SYSTEM_ROLES = ("system", "developer")


def langchain_messages(messages: Sequence[Message]) -> list[BaseMessage]:
    names = {call.id: call.name for m in messages for call in m.tool_calls}
    shaped: list[BaseMessage] = []
    for message in messages:
        if message.role in SYSTEM_ROLES:
            shaped.append(SystemMessage(message.content))
        elif message.role == "assistant":
            shaped.append(_assistant(message))
        elif message.role == "tool":
            status = "error" if message.is_error else "success"
            name = names.get(message.tool_call_id)
            shaped.append(
                ToolMessage(message.content, tool_call_id=message.tool_call_id, name=name, status=status)
            )
        else:
            shaped.append(HumanMessage(message.content))
    return shaped


def _assistant(message: Message) -> AIMessage:
    calls, invalid = [], []
    for call in message.tool_calls:
        if isinstance(call.arguments, dict):
            calls.append({"id": call.id, "name": call.name, "args": call.arguments, "type": "tool_call"})
        else:
            raw = str(call.arguments or "")
            invalid.append(
                {"id": call.id, "name": call.name, "args": raw, "error": None, "type": "invalid_tool_call"}
            )
    return AIMessage(message.content, tool_calls=calls, invalid_tool_calls=invalid)
