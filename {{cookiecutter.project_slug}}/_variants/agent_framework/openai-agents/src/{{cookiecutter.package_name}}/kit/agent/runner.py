"""Runs the author's OpenAI Agents SDK agent and streams its steps as the kit's events.

The run happens on the execution environment's event loop (``environment_loop``):
``Runner.run_streamed`` with the conversation as input items, ``max_turns=AGENT_MAX_STEPS``, and
a ``RunProgress`` as the run's context, which tools report progress through. The SDK's stream
events and the tools' own reports meet in one queue, so the kit's events come in the order they
always do:

- ``response.output_text.delta`` events stream as ``delta``s;
- a turn's tools run one at a time, in the model's order; each call's ``tool_call`` leaves as the
  tool starts, its ``status`` lines as it reports them, its ``tool_result`` as it ends (the SDK's
  ``tool_output`` items come only once every tool of the turn has run);
- an unknown tool, arguments that do not fit the tool's schema, and a tool that raises become the
  call's ``tool_result`` with an ``error``; the model reads the error and goes on.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator, Iterator, Sequence

from agents import (
    Agent,
    FunctionTool,
    MaxTurnsExceeded,
    Model,
    ModelSettings,
    RunConfig,
    Runner,
    RunResultStreaming,
    flush_traces,
)
from agents.run_config import ToolErrorFormatterArgs, ToolExecutionConfig
from agents.stream_events import RawResponsesStreamEvent, RunItemStreamEvent
from agents.tool_context import ToolContext
from pydantic_core import to_jsonable_python

from ..settings import Settings
from . import conversation, schema
from .conversation import FAILED
from .environment_loop import iterate
from .errors import ProviderError
from .events import AgentEvent, Message, ToolCall, delta, error, result, status, tool_call, tool_result
from .progress import RunProgress
from .providers import load_provider


def run_agent(
    messages: Sequence[Message], settings: Settings, options: dict | None = None
) -> Iterator[AgentEvent]:
    """Answer a conversation with the author's agent; a plain generator of the kit's events.

    Closing it (the caller went away, the deadline came) cancels the run, a running tool included.
    """
    from .. import author  # here, not at the top: the author's modules import the kit's

    yield status("thinking")
    try:
        model = model_for(settings)
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
        return
    agent = author.agents_agent()
    yield from iterate(lambda: _events(agent, model, messages, settings, options or {}))


def model_for(settings: Settings) -> Model:
    """The configured provider's Agents ``Model``; ProviderError when it cannot be made.

    Made for each run around the SDK client the provider module keeps for the execution
    environment: every run happens on the one environment loop, so the client's connections
    never outlive the loop they were made on.
    """
    return load_provider(settings.llm_provider).build(settings)


def preload(settings: Settings) -> None:
    """Import the provider and make a model during init rather than on the first request.

    A provider that cannot be made now is reported on the first request, as an error event.
    """
    try:
        model_for(settings)
    except Exception:
        return  # said again, as an error event, on the request that needs the model


def tool_specs() -> list[dict]:
    """Every function tool of the agent, as the model sees it: name, description, schema."""
    from .. import author

    return [
        {
            "name": tool.name,
            "description": tool.description,
            "parameters": closed_schema(tool.params_json_schema),
        }
        for tool in author.agents_agent().tools
        if isinstance(tool, FunctionTool)
    ]


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


async def _events(
    agent: Agent, model: Model, messages: Sequence[Message], settings: Settings, options: dict
) -> AsyncIterator[AgentEvent]:
    updates: asyncio.Queue = asyncio.Queue()
    steps = _Steps(updates)
    run = Runner.run_streamed(
        steps.with_kit_tools(agent),
        conversation.input_items(messages),
        context=RunProgress(lambda call_id, message: updates.put_nowait(("status", call_id, message))),
        max_turns=settings.agent_max_steps,
        run_config=RunConfig(
            model=model,
            model_settings=_model_settings(options),
            tool_not_found_behavior="return_error_to_model",
            tool_error_formatter=steps.failed,
            tool_execution=ToolExecutionConfig(max_function_tool_concurrency=1),
        ),
    )
    pump = asyncio.create_task(_pump(run, updates))
    try:
        while (update := await updates.get())[0] != "done":
            if update[0] == "raised":
                raise update[1]
            for event in steps.translate(update):
                yield event
        yield steps.finished(options)
    except MaxTurnsExceeded:
        limit = settings.agent_max_steps
        yield error(
            f"the agent made {limit} model calls (AGENT_MAX_STEPS) without a final answer", "max_steps"
        )
    except ProviderError as problem:
        yield error(str(problem), code="provider_error")
    except Exception as problem:
        explained = load_provider(settings.llm_provider).failure(problem, settings)
        if explained is None:
            raise
        yield error(explained, code="provider_error")
    finally:
        run.cancel()  # stops the run and its running tool when the caller leaves early
        pump.cancel()
        flush_traces()  # when tracing is on: a frozen execution environment would hold them


async def _pump(run: RunResultStreaming, updates: asyncio.Queue) -> None:
    try:
        async for event in run.stream_events():
            updates.put_nowait(("sdk", event))
    except Exception as problem:
        updates.put_nowait(("raised", problem))
    else:
        updates.put_nowait(("done",))


def _model_settings(options: dict) -> ModelSettings:
    """The caller's generation settings, under the SDK's names; usage is asked for in every stream."""
    extra: dict = {}
    if options.get("max_completion_tokens") is not None:
        extra["max_completion_tokens"] = options["max_completion_tokens"]
    stop = options.get("stop")
    if stop:
        extra["stop"] = [stop] if isinstance(stop, str) else list(stop)
    return ModelSettings(
        max_tokens=options.get("max_tokens"),
        temperature=options.get("temperature"),
        include_usage=True,
        extra_args=extra or None,
    )


class _Steps:
    """One run's tool calls as they happen, and its SDK events turned into the kit's."""

    def __init__(self, updates: asyncio.Queue) -> None:
        self.updates = updates
        self.text: list[str] = []
        self.calls: dict[str, ToolCall] = {}  # every call the model made, by id
        self.started: set[str] = set()
        self.ended: set[str] = set()
        self.errors: dict[str, str] = {}  # the calls that failed, and why
        self.last_response: object = None

    def with_kit_tools(self, agent: Agent) -> Agent:
        """The agent with each function tool's schema closed and its calls reported as they run."""
        tools = [self._reported(tool) if isinstance(tool, FunctionTool) else tool for tool in agent.tools]
        return agent.clone(tools=tools)

    def _reported(self, tool: FunctionTool) -> FunctionTool:
        reported = copy.copy(tool)
        reported.params_json_schema = closed_schema(tool.params_json_schema)
        run_tool = tool.on_invoke_tool

        async def invoke(ctx: ToolContext, raw: str) -> object:
            call = ToolCall(ctx.tool_call_id, tool.name, conversation.call_arguments(raw))
            self.updates.put_nowait(("start", call))
            problem = _argument_problem(call, reported.params_json_schema)
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
            names = sorted(tool.name for tool in self._tools(args))
            problem = f"unknown tool {args.tool_name!r}; tools: {', '.join(names)}"
        else:
            return None
        self.errors[args.call_id] = problem
        return FAILED + problem

    @staticmethod
    def _tools(args: ToolErrorFormatterArgs) -> list:
        from .. import author

        return [tool for tool in author.agents_agent().tools if isinstance(tool, FunctionTool)]

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
        self.ended.add(call.id)
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
        """``length`` when the last reply was cut short by its token limit: said by the model's
        ``incomplete_details``, or by a reply that used every token it was allowed (Chat
        Completions streams keep no finish reason, only usage)."""
        response = self.last_response
        details = getattr(response, "incomplete_details", None)
        if getattr(details, "reason", None) == "max_output_tokens":
            return "length"
        limit = options.get("max_completion_tokens", options.get("max_tokens"))
        used = getattr(getattr(response, "usage", None), "output_tokens", None)
        if limit is not None and used is not None and used >= limit:
            return "length"
        return "stop"


def _argument_problem(call: ToolCall, parameters: dict) -> str | None:
    """Why the call's arguments do not fit the tool's schema, in the kit's words; None if they do."""
    if not isinstance(call.arguments, dict):
        return f"{call.name}: the arguments must be a JSON object"
    problem = schema.problem_with(call.arguments, parameters)
    return f"{call.name}: {problem}" if problem else None


def _as_json(value: object) -> object:
    """``value`` as plain JSON data (dataclasses, pydantic models and dates included)."""
    return to_jsonable_python(value, fallback=str)
