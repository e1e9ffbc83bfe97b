"""The tool registry: ``@tool`` registers a function the model may call, and ``POST /invoke``
may run directly.

A tool runs in a worker thread while its caller streams each ``ctx.send_status`` the
moment it is sent. Tools are plain functions, so blocking SDK calls are fine inside them.
Each one describes itself to the model: ``schema.py`` builds a JSON Schema from its
signature and docstring on first use. The registry holds whatever the author's ``tools.py``
registers as the kit loads it (``kit/author.py``); tests register their own.

With ``MCP_SERVERS`` set, a run also offers the tools of those remote MCP servers
(``remote_tools.py``), named ``<server>__<tool>``; ``run_call`` sends their calls there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from ..handoff import Handoff
from ..settings import Settings
from . import remote_config
from .errors import ToolArgumentError
from .events import AgentEvent, ToolCall, result, status, tool_result

Tool = Callable[..., object]
TOOLS: dict[str, Tool] = {}
_SPECS: dict[str, dict] = {}  # name -> {"name", "description", "parameters"}, built on first use


class ToolCancelled(Exception):
    """The caller stopped listening (it went away, or the deadline came); the tool should stop."""


class ToolContext:
    """Handed to every tool; ``send_status`` streams a status line to the caller at once."""

    def __init__(self, call_id: str | None = None) -> None:
        self.call_id = call_id  # the model's id for this call; None when run directly
        self.events = Handoff()  # statuses, then None (or the tool's failure)
        self.cancelled = threading.Event()

    def send_status(self, message: str) -> None:
        """Stream ``message`` now; raises ToolCancelled once nobody is listening."""
        if self.cancelled.is_set():
            raise ToolCancelled("the caller stopped listening")
        self.events.put(status(str(message), self.call_id))


def tool(function: Tool) -> Tool:
    """Register a tool under its function name."""
    TOOLS[function.__name__] = function
    _SPECS.pop(function.__name__, None)
    return function


def spec(name: str) -> dict:
    """The tool's name, description and JSON Schema for its parameters."""
    if name not in _SPECS:
        from .schema import tool_spec  # on first use: no cold-start cost for tools never asked about

        _SPECS[name] = tool_spec(TOOLS[name])
    return _SPECS[name]


def specs() -> list[dict]:
    """Every tool's spec, as the model sees them."""
    return [spec(name) for name in TOOLS]


def remote_tools_for_run(settings: Settings) -> dict:
    """The remote MCP servers' tools for one run, by the name the model sees; {} without
    ``MCP_SERVERS``. A server that does not answer is left out with a warning, never failing the run.
    """
    return remote_config.offered_for_run(settings.mcp_servers)


def check_arguments(name: str, arguments: object) -> Tool:
    """The tool called ``name`` if ``arguments`` fit its schema; else ToolArgumentError."""
    function = TOOLS.get(name)
    if function is None:
        raise ToolArgumentError(f"unknown tool {name!r}; tools: {', '.join(sorted(TOOLS))}")
    if not isinstance(arguments, dict):
        raise ToolArgumentError(f"{name}: the arguments must be a JSON object")
    if "ctx" in arguments:
        raise ToolArgumentError("'ctx' is not an argument callers may pass")
    from .schema import problem_with  # loaded with the first spec, so this is free

    problem = problem_with(arguments, spec(name)["parameters"])
    if problem:
        raise ToolArgumentError(f"{name}: {problem}")
    return function


def _in_thread(function: Tool, arguments: dict, ctx: ToolContext) -> Iterator[AgentEvent]:
    """Run the tool in a thread, yielding its statuses as they are sent; return its output.

    When the caller stops early (closes the generator), the tool's next ``send_status``
    raises ToolCancelled, so it winds down instead of working for nobody.
    """
    outputs = []

    def work() -> None:
        try:
            outputs.append(function(**arguments, ctx=ctx))
        except BaseException as problem:
            ctx.events.fail(problem)  # raised in the caller's thread, after the statuses
        else:
            ctx.events.put(None)

    threading.Thread(target=work, name=f"tool-{function.__name__}", daemon=True).start()
    try:
        while (event := ctx.events.get()) is not None:
            yield event
    finally:
        ctx.cancelled.set()
    return outputs[0]


def run_tool(name: str, arguments: dict[str, object]) -> Iterator[AgentEvent]:
    """Run a tool directly: its status events as they are sent, then its result."""
    function = check_arguments(name, arguments)
    output = yield from _in_thread(function, arguments, ToolContext())
    yield result(tool=name, output=output)


def run_call(call: ToolCall, remote: dict | None = None) -> Iterator[AgentEvent]:
    """Run a call the model asked for: its statuses (with the call's id), then a ``tool_result``.

    ``remote`` holds this run's remote MCP tools (``remote_tools_for_run``); the kit's own tools
    go first. Whatever goes wrong (an unknown tool, arguments that do not fit, a tool that raises,
    a remote server that does not answer) becomes the result's ``error``, for the model to read:
    it never ends the run.
    """
    if remote and call.name in remote and call.name not in TOOLS:
        yield from _remote_call(remote[call.name], call)
        return
    try:
        function = check_arguments(call.name, call.arguments)
    except ToolArgumentError as problem:
        yield tool_result(call, error=str(problem))
        return
    try:
        output = yield from _in_thread(function, call.arguments, ToolContext(call.id))
    except Exception as problem:
        kind = type(problem).__name__
        yield tool_result(call, error=f"{kind}: {problem}" if str(problem) else kind)
    else:
        yield tool_result(call, output=output)


def _remote_call(remote, call: ToolCall) -> Iterator[AgentEvent]:
    """A remote MCP tool's call: its progress as statuses, then its text (or its error) as the result."""
    from . import remote_tools  # already loaded: the run listed the remote tools

    if not isinstance(call.arguments, dict):
        yield tool_result(call, error=f"{call.name}: the arguments must be a JSON object")
        return

    def remote_call(*, ctx: ToolContext) -> remote_tools.Outcome:
        return remote_tools.call(remote, call.arguments, ctx.send_status, ctx.cancelled)

    try:
        outcome = yield from _in_thread(remote_call, {}, ToolContext(call.id))
    except remote_tools.RemoteCallFailed as problem:
        yield tool_result(call, error=str(problem))
    else:
        yield tool_result(call, **({"error": outcome.text} if outcome.is_error else {"output": outcome.text}))
