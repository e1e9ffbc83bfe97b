"""What the kit adds to the author's Strands agent so that its run streams as the kit's events.

- ``close_schemas``: Strands builds a tool's JSON Schema with Pydantic and leaves out
  ``additionalProperties``; the kit's schemas say ``false``, so the model sees that here too.
- ``ArgumentGuard`` (a hook): Pydantic drops unknown keys silently and turns input that is not
  JSON into ``{}``; a call that breaks the schema that way, or names a tool the agent lacks, goes
  back to the model as an error result, in the kit's words, instead of running. Wrong types and
  missing arguments are Strands' own errors (``Error: Validation failed for input parameters``).
- ``announce_calls`` (an ``ExecuteToolStage`` middleware): Strands streams a tool's progress but
  tells its callers of a tool's start and result only inside whole messages; this puts a
  ``kit_tool_start`` event before each tool runs and a ``kit_tool_result`` event the moment it
  ends, so each call's events reach the caller together and as they happen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from strands.hooks import BeforeToolCallEvent, HookProvider, HookRegistry
from strands.middleware import ToolResultEvent, TypedEvent


def close_schemas(tools: Any) -> None:
    """Mark each tool's top-level schema ``"additionalProperties": false`` (idempotent)."""
    for agent_tool in tools:
        spec = agent_tool.tool_spec
        schema = spec.get("inputSchema", {}).get("json")
        if (
            isinstance(schema, dict)
            and schema.get("type") == "object"
            and "additionalProperties" not in schema
        ):
            schema["additionalProperties"] = False
            agent_tool.tool_spec = spec


class ArgumentGuard(HookProvider):
    """Cancels a call whose arguments the tool's schema does not allow, with the reason.

    ``arguments_of(tool_use)`` gives the call's arguments as the model sent them (a dict, or the
    raw text when it was not a JSON object).
    """

    def __init__(self, arguments_of: Callable[[dict], object]) -> None:
        self._arguments_of = arguments_of

    def register_hooks(self, registry: HookRegistry, **kwargs: Any) -> None:
        registry.add_callback(BeforeToolCallEvent, self.check)

    def check(self, event: BeforeToolCallEvent) -> None:
        use = event.tool_use
        name = use["name"]
        if event.selected_tool is None:
            tools = ", ".join(sorted(event.agent.tool_registry.registry))
            event.cancel_tool = f"unknown tool {name!r}; tools: {tools}"
            return
        arguments = self._arguments_of(use)
        if not isinstance(arguments, dict):
            event.cancel_tool = f"{name}: the arguments must be a JSON object"
            return
        schema = event.selected_tool.tool_spec.get("inputSchema", {}).get("json", {})
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            unexpected = sorted(set(arguments) - set(properties))
            if unexpected:
                takes = ", ".join(properties) or "none"
                event.cancel_tool = f"{name}: unexpected argument {unexpected[0]!r}; it takes {takes}"


async def announce_calls(context, next_fn) -> AsyncIterator[TypedEvent]:
    """Wraps each tool run: ``kit_tool_start`` first, ``kit_tool_result`` as soon as it ends."""
    yield TypedEvent({"kit_tool_start": dict(context.tool_use)})
    async for event in next_fn(context):
        yield event
        if isinstance(event, ToolResultEvent):
            yield TypedEvent({"kit_tool_result": event.tool_result})
