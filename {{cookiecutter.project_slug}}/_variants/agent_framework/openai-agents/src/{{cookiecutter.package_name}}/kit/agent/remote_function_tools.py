"""Remote MCP servers' tools (``MCP_SERVERS``) as Agents SDK ``FunctionTool``s.

Each tool is the server's spec as written: its name (``<server>__<tool>``), description and JSON
Schema (``strict_json_schema=False``, so the SDK leaves the schema alone); its arguments are the
server's to check. A call runs off the event loop (``remote_calls.answer``); the server's progress
notifications go through the run's ``RunProgress``, reaching the caller as ``status`` lines with the
call's id, and the tool's error, or a server that does not answer, is the call's error: the model
reads it and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable

from agents import FunctionTool
from agents.tool_context import ToolContext

from . import remote_calls
from .conversation import call_arguments
from .progress import report_progress


def function_tools(remote: dict, failed: Callable[[str, str], str]) -> list[FunctionTool]:
    """A ``FunctionTool`` for each of the run's remote tools (``remote_calls.offered``).

    ``failed(call_id, problem)`` records a call's error for the run's events and returns the text
    the model reads in its place.
    """
    return [_function_tool(tool, failed) for tool in remote.values()]


def _function_tool(remote, failed: Callable[[str, str], str]) -> FunctionTool:
    async def invoke(ctx: ToolContext, raw: str) -> str:
        outcome = await remote_calls.answer(
            remote, call_arguments(raw), lambda message: report_progress(ctx, message)
        )
        return failed(ctx.tool_call_id, outcome.text) if outcome.is_error else outcome.text

    spec = remote.spec
    return FunctionTool(
        name=spec["name"],
        description=spec["description"],
        params_json_schema=spec["parameters"],
        on_invoke_tool=invoke,
        strict_json_schema=False,
    )
