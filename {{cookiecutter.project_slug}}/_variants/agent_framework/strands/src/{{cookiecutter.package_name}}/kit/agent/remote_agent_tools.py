"""The remote MCP servers' tools (``MCP_SERVERS``) as Strands tools, added to each run's agent.

A ``RemoteAgentTool`` is a Strands ``AgentTool`` made from a remote tool's spec: its name
(``<server>__<tool>``), its description, and the server's JSON Schema as its input schema, as
the server wrote it. Its ``stream`` yields each progress line the server sends while the call
runs in a thread of its own (``remote_calls``), as an async generator ``@tool`` yields its own:
each line is a ``tool_stream`` event, which the run reports as a ``status`` with the call's id.
The server's text ends the call as its result; a tool error, or a server that could not be
asked, ends it as an error result, which the model reads before it goes on.
"""

from __future__ import annotations

import copy
from typing import Any

from strands.types.events import ToolResultEvent
from strands.types.tools import AgentTool

from .remote_calls import progress_then_outcome


class RemoteAgentTool(AgentTool):
    """One remote MCP tool, for Strands' tool registry."""

    def __init__(self, remote) -> None:
        super().__init__()
        self.remote = remote
        spec = remote.spec
        self._spec = {
            "name": spec["name"],
            "description": spec["description"] or spec["name"],
            "inputSchema": {"json": copy.deepcopy(spec["parameters"])},  # the listing is shared
        }

    @property
    def tool_name(self) -> str:
        return self._spec["name"]

    @property
    def tool_spec(self) -> dict:
        return self._spec

    @property
    def tool_type(self) -> str:
        return "mcp"

    async def stream(self, tool_use: dict, invocation_state: dict[str, Any], **kwargs: Any):
        """The server's progress lines as they arrive, then the call's ``ToolResultEvent``."""
        arguments = tool_use.get("input")  # the guard let only a JSON object through
        async for item in progress_then_outcome(self.remote, arguments or {}):
            if isinstance(item, str):
                yield item
                continue
            status = "error" if item.is_error else "success"
            outcome = {"toolUseId": tool_use["toolUseId"], "status": status, "content": [{"text": item.text}]}
            yield ToolResultEvent(outcome)


def add_remote_tools(agent, remote: dict) -> None:
    """Offer this run's remote tools beside the agent's own; a name the agent has keeps its tool."""
    mine = agent.tool_registry.registry
    for name, tool in remote.items():
        if name not in mine:
            agent.tool_registry.register_tool(RemoteAgentTool(tool))
