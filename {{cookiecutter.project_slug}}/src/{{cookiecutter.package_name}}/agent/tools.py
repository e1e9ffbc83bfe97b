"""Tools for ``POST /invoke``: functions that report progress through ``ctx.send_status``.

A tool runs in a worker thread while its caller streams each status the moment it is
sent. Tools are plain functions, so blocking SDK calls are fine inside them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from ..handoff import Handoff
from .events import AgentEvent, result, status

Tool = Callable[..., object]
TOOLS: dict[str, Tool] = {}


class ToolArgumentError(ValueError):
    """The arguments do not fit the tool's signature."""


class ToolCancelled(Exception):
    """The caller stopped listening (it went away, or the deadline came); the tool should stop."""


class ToolContext:
    """Handed to every tool; ``send_status`` streams a status line to the caller at once."""

    def __init__(self) -> None:
        self.events = Handoff()  # statuses, the result, then None (or the tool's failure)
        self.cancelled = threading.Event()

    def send_status(self, message: str) -> None:
        """Stream ``message`` now; raises ToolCancelled once nobody is listening."""
        if self.cancelled.is_set():
            raise ToolCancelled("the caller stopped listening")
        self.events.put(status(message))


def tool(function: Tool) -> Tool:
    """Register a tool under its function name."""
    TOOLS[function.__name__] = function
    return function


@tool
def slow_process(message: str, steps: int = 3, delay_ms: int = 500, *, ctx: ToolContext) -> dict:
    """Work through ``steps`` steps, reporting each one."""
    if not 1 <= steps <= 100:
        raise ToolArgumentError("steps must be from 1 to 100")
    if not 0 <= delay_ms <= 60_000:
        raise ToolArgumentError("delay_ms must be from 0 to 60000")
    ctx.send_status(f"Starting: {message}")
    for step in range(1, steps + 1):
        time.sleep(delay_ms / 1000)
        ctx.send_status(f"Step {step}/{steps} complete")
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@tool
def echo(message: str, *, ctx: ToolContext) -> dict:
    """Return the message unchanged."""
    ctx.send_status("echoing")
    return {"message": message}


_SIMPLE_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "dict": dict, "list": list}


def _parameters(function: Tool) -> tuple[tuple[str, ...], set[str]]:
    """The names a tool takes by keyword, and those without a default.

    Read from the code object: ``inspect`` would cost more at cold start than all the tools.
    """
    code = function.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    positional = names[: code.co_argcount]
    with_default = set(positional[len(positional) - len(function.__defaults__ or ()) :])
    with_default |= set(function.__kwdefaults__ or ())
    return names, {name for name in names if name not in with_default}


def check_arguments(name: str, arguments: dict[str, object]) -> Tool:
    """The tool called ``name`` if ``arguments`` fit it; else ToolArgumentError."""
    function = TOOLS.get(name)
    if function is None:
        raise ToolArgumentError(f"unknown tool {name!r}; tools: {', '.join(sorted(TOOLS))}")
    if "ctx" in arguments:
        raise ToolArgumentError("'ctx' is not an argument callers may pass")
    names, required = _parameters(function)
    unexpected = sorted(set(arguments) - set(names))
    if unexpected:
        raise ToolArgumentError(f"{name}: got an unexpected keyword argument {unexpected[0]!r}")
    missing = sorted(required - set(arguments) - {"ctx"})
    if missing:
        raise ToolArgumentError(f"{name}: missing a required argument: {missing[0]!r}")
    annotations = function.__annotations__
    for key, value in arguments.items():
        expected = _SIMPLE_TYPES.get(str(annotations.get(key)))
        wrong_bool = isinstance(value, bool) and expected in (int, (int, float))
        if expected and (wrong_bool or not isinstance(value, expected)):
            raise ToolArgumentError(f"{name}: argument {key!r} must be of type {annotations[key]}")
    return function


def run_tool(name: str, arguments: dict[str, object]) -> Iterator[AgentEvent]:
    """Run a tool, yielding its status events as they are sent, then its result.

    When the caller stops early (closes this generator), the tool's next ``send_status``
    raises ToolCancelled, so it winds down instead of working for nobody.
    """
    function = check_arguments(name, arguments)
    ctx = ToolContext()

    def work() -> None:
        try:
            output = function(**arguments, ctx=ctx)
        except BaseException as problem:
            ctx.events.fail(problem)  # raised in the caller's thread, after the statuses
        else:
            ctx.events.put(result(tool=name, output=output))
            ctx.events.put(None)

    threading.Thread(target=work, name=f"tool-{name}", daemon=True).start()
    try:
        while (event := ctx.events.get()) is not None:
            yield event
    finally:
        ctx.cancelled.set()
