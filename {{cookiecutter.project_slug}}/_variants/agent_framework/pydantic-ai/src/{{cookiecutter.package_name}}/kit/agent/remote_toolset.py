"""The remote MCP servers' tools (``MCP_SERVERS``) as a Pydantic AI toolset, added to each run.

Each remote tool is a ``Tool.from_schema``: its name (``<server>__<tool>``), its description, and
the server's JSON Schema for its arguments, as the server wrote it (the server checks the
arguments it gets). While the call runs in a thread of its own (``remote_calls``), each progress
line the server sends is emitted as a ``RemoteProgress`` event, which the run reports as a
``status`` with the call's id, as the author's tools do with ``ctx.emit``. The server's text is
the call's result; a tool error, or a server that could not be asked, is raised as ``ToolFailed``:
the model reads it and goes on.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic_ai import CustomEvent, FunctionToolset, RunContext, Tool
from pydantic_ai.exceptions import ToolFailed
from pydantic_ai.toolsets import AbstractToolset

from .remote_calls import progress_then_outcome


@dataclass(kw_only=True)
class RemoteProgress(CustomEvent):
    """A progress line a remote MCP tool sent while it works."""

    message: str


def remote_toolset(remote: dict, beside: Iterable[AbstractToolset]) -> FunctionToolset:
    """This run's remote tools; a name one of the toolsets ``beside`` has keeps its own tool."""
    taken = {name for toolset in beside if isinstance(toolset, FunctionToolset) for name in toolset.tools}
    return FunctionToolset([_tool(tool) for name, tool in remote.items() if name not in taken])


def _tool(remote) -> Tool:
    async def call(ctx: RunContext, **arguments) -> str:
        async for item in progress_then_outcome(remote, arguments):
            if isinstance(item, str):
                await ctx.emit(RemoteProgress(message=item))
            elif item.is_error:
                raise ToolFailed(item.text)
            else:
                return item.text
        raise ToolFailed("the call ended without an answer")  # never: the outcome always comes last

    spec = remote.spec
    parameters = copy.deepcopy(spec["parameters"])  # the listing is shared by every run
    return Tool.from_schema(call, spec["name"], spec["description"] or None, parameters, takes_ctx=True)
