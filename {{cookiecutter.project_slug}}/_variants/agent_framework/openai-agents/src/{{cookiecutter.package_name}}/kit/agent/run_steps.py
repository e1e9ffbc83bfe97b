"""One Agents SDK run's steps as the kit's events, in the order the kit's events always come.

The runner puts on one queue what the run's tools report as they run (a call starting, its
progress, its end) and what the SDK streams (text deltas, the model's tool calls, their outputs);
``RunSteps.translate`` turns each into the kit's ``AgentEvent``s. Every function tool of the run
is wrapped so that its ``tool_call`` leaves as it starts and its ``tool_result`` as it ends: the
SDK announces a turn's calls before the first runs and their outputs after the last.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator, Sequence

from agents import Agent, FunctionTool
from agents.run_config import ToolErrorFormatterArgs
from agents.stream_events import RawResponsesStreamEvent, RunItemStreamEvent
from agents.tool_context import ToolContext
from pydantic_core import to_jsonable_python

from . import conversation, model_calls, schema
from .conversation import FAILED
from .events import AgentEvent, ToolCall, delta, result, status, tool_call, tool_result


def closed_schema(node: object) -> object:
    """A tool's parameters as the kit writes schemas: no pydantic ``title``s, and objects closed
    with ``additionalProperties: false``, so an unexpected argument is an error the model reads."""
    if isinstance(node, list):
        return [closed_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidy = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            tidy[key] = {name: closed_schema(item) for name, item in value.items()}
        else:
            tidy[key] = closed_schema(value)
    if tidy.get("type") == "object" and "properties" in tidy:
        tidy.setdefault("additionalProperties", False)
    return tidy


class RunSteps:
    """One run's tool calls as they happen, and its SDK events turned into the kit's."""

    def __init__(self, updates: asyncio.Queue) -> None:
        self.updates = updates
        self.text: list[str] = []
        self.calls: dict[str, ToolCall] = {}  # every call the model made, by id
        self.started: set[str] = set()
        self.tool_names: list[str] = []
        self.errors: dict[str, str] = {}  # the calls that failed, and why
        self.last_response: object = None

    def with_kit_tools(self, agent: Agent, remote: Sequence[FunctionTool] = ()) -> Agent:
        """The agent with each function tool's schema closed and its calls reported as they run.

        ``remote`` (the remote MCP servers' tools) join the author's tools, reported the same way;
        their schemas stay the servers' own, and their arguments are the servers' to check.
        """
        tools = [self._reported(tool) if isinstance(tool, FunctionTool) else tool for tool in agent.tools]
        own = {tool.name for tool in tools if isinstance(tool, FunctionTool)}
        tools += [self._reported(tool, kit_schema=False) for tool in remote if tool.name not in own]
        self.tool_names = sorted(tool.name for tool in tools if isinstance(tool, FunctionTool))
        return agent.clone(tools=tools)

    def _reported(self, tool: FunctionTool, kit_schema: bool = True) -> FunctionTool:
        reported = copy.copy(tool)
        if kit_schema:
            reported.params_json_schema = closed_schema(tool.params_json_schema)
        run_tool = tool.on_invoke_tool

        async def invoke(ctx: ToolContext, raw: str) -> object:
            call = ToolCall(ctx.tool_call_id, tool.name, conversation.call_arguments(raw))
            self.updates.put_nowait(("start", call))
            problem = _argument_problem(call, reported.params_json_schema) if kit_schema else None
            if problem:
                self.errors[call.id] = problem
                output = FAILED + problem
            else:
                output = await run_tool(ctx, raw)
            if call.id not in self.errors:
                output = output if isinstance(output, str) else json.dumps(_as_json(output))
            self.updates.put_nowait(("end", call, output))
            return output

        reported.on_invoke_tool = invoke
        return reported

    def failed(self, args: ToolErrorFormatterArgs) -> str | None:
        """The SDK's tool errors in the kit's words: the event's error, and what the model reads."""
        if args.kind == "tool_exception" and args.error is not None:
            kind = type(args.error).__name__
            problem = f"{kind}: {args.error}" if str(args.error) else kind
        elif args.kind == "tool_not_found":
            problem = f"unknown tool {args.tool_name!r}; tools: {', '.join(self.tool_names)}"
        else:
            return None
        return self.failed_call(args.call_id, problem)

    def failed_call(self, call_id: str, problem: str) -> str:
        """Record that the call failed and why; what the model reads in place of its output."""
        self.errors[call_id] = problem
        return FAILED + problem

    def translate(self, update: tuple) -> Iterator[AgentEvent]:
        kind = update[0]
        if kind == "start":
            call = update[1]
            self.calls[call.id] = call
            self.started.add(call.id)
            yield tool_call(call)
        elif kind == "status":
            yield status(update[2], update[1])
        elif kind == "end":
            yield self._result(update[1], update[2])
        elif kind == "model_call":
            yield update[1]
        else:
            yield from self._sdk_event(update[1])

    def _sdk_event(self, event: object) -> Iterator[AgentEvent]:
        if isinstance(event, RawResponsesStreamEvent):
            data = event.data
            if data.type == "response.output_text.delta" and data.delta:
                self.text.append(data.delta)
                yield delta(data.delta)
            elif data.type == "response.completed":
                self.last_response = data.response
        elif isinstance(event, RunItemStreamEvent) and event.name == "tool_called":
            raw = event.item.raw_item
            call_id = getattr(raw, "call_id", None)
            if call_id and call_id not in self.calls:
                arguments = conversation.call_arguments(getattr(raw, "arguments", "") or "")
                self.calls[call_id] = ToolCall(call_id, getattr(raw, "name", "tool"), arguments)
        elif isinstance(event, RunItemStreamEvent) and event.name == "tool_output":
            raw = event.item.raw_item
            call_id = raw.get("call_id") if isinstance(raw, dict) else getattr(raw, "call_id", None)
            if call_id in self.calls and call_id not in self.started:
                # a call the SDK answered without running a tool: the tool does not exist
                self.started.add(call_id)
                yield tool_call(self.calls[call_id])
                yield self._result(self.calls[call_id], str(event.item.output))

    def _result(self, call: ToolCall, output: object) -> AgentEvent:
        if call.id in self.errors:
            return tool_result(call, error=self.errors[call.id])
        try:
            value = json.loads(output) if isinstance(output, str) else output
        except ValueError:
            value = output
        return tool_result(call, output=value)

    def finished(self, options: dict) -> AgentEvent:
        return result(text="".join(self.text), finish_reason=self._finish_reason(options))

    def _finish_reason(self, options: dict) -> str:
        """``length`` or ``content_filter`` when the last reply was cut short, else ``stop``."""
        reason = model_calls.finish_reason(self.last_response, options)
        return reason if reason in ("length", "content_filter") else "stop"


def _argument_problem(call: ToolCall, parameters: dict) -> str | None:
    """Why the call's arguments do not fit the tool's schema, in the kit's words; None if they do."""
    if not isinstance(call.arguments, dict):
        return f"{call.name}: the arguments must be a JSON object"
    problem = schema.problem_with(call.arguments, parameters)
    return f"{call.name}: {problem}" if problem else None


def _as_json(value: object) -> object:
    """``value`` as plain JSON data (dataclasses, pydantic models and dates included)."""
    return to_jsonable_python(value, fallback=str)
