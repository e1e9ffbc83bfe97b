"""Tools for ``POST /invoke``: async functions that report progress through ``ctx``."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from .events import AgentEvent, result, status

Tool = Callable[..., Awaitable[Any]]
TOOLS: dict[str, Tool] = {}


class ToolArgumentError(ValueError):
    """The arguments do not fit the tool's signature."""


class ToolContext:
    """Handed to every tool; ``send_status`` streams a status line to the caller at once."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[AgentEvent | None] = asyncio.Queue()

    def send_status(self, message: str) -> None:
        self._queue.put_nowait(status(message))


def tool(function: Tool) -> Tool:
    """Register a tool under its function name."""
    TOOLS[function.__name__] = function
    return function


@tool
async def slow_process(message: str, steps: int = 3, delay_ms: int = 500, *, ctx: ToolContext) -> dict:
    """Work through ``steps`` steps, reporting each one."""
    if not 1 <= steps <= 100:
        raise ToolArgumentError("steps must be from 1 to 100")
    if not 0 <= delay_ms <= 60_000:
        raise ToolArgumentError("delay_ms must be from 0 to 60000")
    ctx.send_status(f"Starting: {message}")
    for step in range(1, steps + 1):
        await asyncio.sleep(delay_ms / 1000)
        ctx.send_status(f"Step {step}/{steps} complete")
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@tool
async def echo(message: str, *, ctx: ToolContext) -> dict:
    """Return the message unchanged."""
    ctx.send_status("echoing")
    return {"message": message}


_SIMPLE_TYPES = {"str": str, "int": int, "float": (int, float), "bool": bool, "dict": dict, "list": list}


def check_arguments(name: str, arguments: dict[str, Any]) -> Tool:
    """The tool called ``name`` if ``arguments`` fit it; else ToolArgumentError."""
    function = TOOLS.get(name)
    if function is None:
        raise ToolArgumentError(f"unknown tool {name!r}; tools: {', '.join(sorted(TOOLS))}")
    if "ctx" in arguments:
        raise ToolArgumentError("'ctx' is not an argument callers may pass")
    signature = inspect.signature(function)
    try:
        signature.bind(**arguments, ctx=None)
    except TypeError as problem:
        raise ToolArgumentError(f"{name}: {problem}") from None
    for key, value in arguments.items():
        expected = _SIMPLE_TYPES.get(str(signature.parameters[key].annotation))
        wrong_bool = isinstance(value, bool) and expected in (int, (int, float))
        if expected and (wrong_bool or not isinstance(value, expected)):
            annotation = signature.parameters[key].annotation
            raise ToolArgumentError(f"{name}: argument {key!r} must be of type {annotation}")
    return function


async def run_tool(name: str, arguments: dict[str, Any]) -> AsyncIterator[AgentEvent]:
    """Run a tool, yielding its status events as they are sent, then its result."""
    function = check_arguments(name, arguments)
    ctx = ToolContext()
    task = asyncio.ensure_future(function(**arguments, ctx=ctx))
    task.add_done_callback(lambda _: ctx._queue.put_nowait(None))
    try:
        while (event := await ctx._queue.get()) is not None:
            yield event
        yield result(tool=name, output=task.result())
    finally:
        task.cancel()
