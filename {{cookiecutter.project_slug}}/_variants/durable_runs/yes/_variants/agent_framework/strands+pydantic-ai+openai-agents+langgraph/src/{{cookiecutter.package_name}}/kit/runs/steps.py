"""A framework run's model calls and tool calls as the durable SDK's checkpointed steps.

The framework drives its own loop; the kit wraps the framework's model and its tools so each
model call and each tool call runs inside ``context.step``. On a replay (after a wait, a failure
or a timeout) the SDK hands back each finished step's checkpointed result, and the framework's
loop, fed the same results, asks for the same calls in the same order: no model call is paid
for twice, and no tool runs twice once it has finished. Step names read as the kit's own loop
names them: ``model 1``, ``tool slow_process#call_1``, ``approval publish#call_2``.

``context.step`` blocks its thread, so it runs on a worker thread while the step's coroutine
runs on the loop the framework uses, where the framework's clients belong.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aws_durable_execution_sdk_python import DurableContext

from ..agent.events import AgentEvent
from .waits import wait_for_approval

Call = Callable[[], Awaitable[dict]]


class Steps:
    """Runs one run's calls as named steps; a step's result is plain JSON (a dict)."""

    def __init__(
        self, context: DurableContext, approval_tools: frozenset[str], approval_timeout_s: int
    ) -> None:
        self.context = context
        self.approval_tools = approval_tools
        self.approval_timeout_s = approval_timeout_s
        self.model_calls = 0
        self.ran: set[str] = set()  # the steps that really ran in this invocation
        self._reported_models = 0

    async def model_call(self, call: Call) -> dict:
        self.model_calls += 1
        return await self._step(call, f"model {self.model_calls}")

    async def tool_call(self, name: str, call_id: str, call: Call) -> dict:
        """The call's checkpointed outcome; ``{"refused": why}`` when a person did not approve it."""
        if name in self.approval_tools:
            refusal = await asyncio.to_thread(
                wait_for_approval, self.context, name, call_id, self.approval_timeout_s
            )
            if refusal:
                return {"refused": refusal}
        return await self._step(call, f"tool {name}#{call_id}")

    async def _step(self, call: Call, name: str) -> dict:
        loop = asyncio.get_running_loop()

        def body(_step_context: object) -> dict:
            self.ran.add(name)
            return asyncio.run_coroutine_threadsafe(call(), loop).result()

        return await asyncio.to_thread(self.context.step, body, name)

    def replayed(self, event: AgentEvent) -> bool:
        """Whether a ``model_call`` or ``tool_result`` event of the run comes from a checkpoint
        (the call ran in an earlier invocation, which reported it), in the order they come."""
        if event.type == "model_call":
            self._reported_models += 1
            return f"model {self._reported_models}" not in self.ran
        if event.type == "tool_result":
            return f"tool {event.payload['name']}#{event.payload['id']}" not in self.ran
        return False
