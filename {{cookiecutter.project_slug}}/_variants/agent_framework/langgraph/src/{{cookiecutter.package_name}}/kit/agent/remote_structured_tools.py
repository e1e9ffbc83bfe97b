"""Remote MCP servers' tools (``MCP_SERVERS``) as LangChain ``StructuredTool``s.

Each tool is the server's spec as written: its name (``<server>__<tool>``), description and JSON
Schema as the ``args_schema`` (LangChain hands a dict schema's arguments over unchecked: they are the
server's to check). Its coroutine calls the server off the event loop (``remote_calls.answer``); the
server's progress notifications are written to LangGraph's stream writer, so they reach the caller
as ``status`` lines with the call's id, as a local tool's do. The tool's error, or a server that
does not answer, is a ``ToolException``, which the kit's middleware hands the model as the call's
error: the run goes on.
"""

from __future__ import annotations

import asyncio

from langchain_core.tools import BaseTool, StructuredTool, ToolException
from langgraph.config import get_stream_writer

from . import remote_calls

MARK = "remote_mcp"  # in each remote tool's metadata, so the kit's middleware knows it


def structured_tools(remote: dict) -> list[StructuredTool]:
    """A tool for each of the run's remote tools (``remote_calls.offered``)."""
    return [_structured_tool(tool) for tool in remote.values()]


def is_remote(tool: BaseTool) -> bool:
    return bool((tool.metadata or {}).get(MARK))


def _structured_tool(remote) -> StructuredTool:
    async def call(**arguments: object) -> str:
        write, loop = get_stream_writer(), asyncio.get_running_loop()
        outcome = await remote_calls.answer(
            remote, arguments, lambda message: loop.call_soon_threadsafe(write, message)
        )
        if outcome.is_error:
            raise ToolException(outcome.text)
        return outcome.text

    spec = remote.spec
    return StructuredTool(
        name=spec["name"],
        description=spec["description"],
        args_schema=spec["parameters"],
        coroutine=call,
        metadata={MARK: True},
    )
