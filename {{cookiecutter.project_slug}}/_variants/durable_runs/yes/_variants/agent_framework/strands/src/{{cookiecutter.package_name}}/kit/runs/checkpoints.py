"""Strands' model calls and tool calls as the run's checkpointed steps (see ``steps``).

A model call's step holds the model's stream events (plain Converse-shaped JSON); on a replay
Strands reads them back as if the model streamed them again. A tool call's step holds the
``ToolResult`` the model reads, and the tool's progress lines still reach the caller live the
one time it runs (an ``ExecuteToolStage`` middleware, inside the kit's own).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from strands.middleware import ExecuteToolStage, ToolResultEvent
from strands.models import Model

from ..agent import model as models
from ..agent.errors import ProviderError
from ..agent.guard import close_schemas
from ..agent.runner import Extension
from ..settings import get_settings
from . import approval
from .steps import Steps


def extension(steps: Steps) -> Extension:
    def prepare(agent) -> None:
        agent.tool_registry.process_tools(approval.tools())
        close_schemas(agent.tool_registry.registry.values())
        agent.add_middleware(ExecuteToolStage, CheckpointedTools(steps))

    return Extension(wrap_model=lambda chosen: CheckpointedModel(chosen, steps), prepare=prepare)


class CheckpointedModel(Model):
    """The configured model, each call a step: run once, then read back on every replay."""

    def __init__(self, wrapped: Model, steps: Steps) -> None:
        self.wrapped = wrapped
        self.steps = steps

    def update_config(self, **model_config: Any) -> None:
        self.wrapped.update_config(**model_config)

    def get_config(self) -> Any:
        return self.wrapped.get_config()

    def structured_output(self, *args: Any, **kwargs: Any) -> Any:
        return self.wrapped.structured_output(*args, **kwargs)

    async def stream(
        self,
        messages: list[dict],
        tool_specs: list[dict] | None = None,
        system_prompt: str | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[dict]:
        async def call() -> dict:
            events = []
            try:
                async for event in self.wrapped.stream(messages, tool_specs, system_prompt, **kwargs):
                    events.append(event)
            except Exception as problem:
                message = models.failure_message(problem, get_settings())
                if message is None:
                    raise
                return {"error": message}
            return {"events": events}

        outcome = await self.steps.model_call(call)
        if "error" in outcome:
            raise ProviderError(outcome["error"])
        for event in outcome["events"]:
            yield event


class CheckpointedTools:
    """An ``ExecuteToolStage`` middleware: each tool call runs as a step, its progress passed on live."""

    def __init__(self, steps: Steps) -> None:
        self.steps = steps

    async def __call__(self, context, next_fn) -> AsyncIterator[Any]:
        use = context.tool_use
        progress: asyncio.Queue = asyncio.Queue()

        async def run() -> dict:
            result = None
            async for event in next_fn(context):
                if isinstance(event, ToolResultEvent):
                    result = event.tool_result
                else:
                    progress.put_nowait(event)
            return {"result": result}

        step = asyncio.ensure_future(self.steps.tool_call(use["name"], use["toolUseId"], run))
        while True:
            waiting = asyncio.ensure_future(progress.get())
            await asyncio.wait({waiting, step}, return_when=asyncio.FIRST_COMPLETED)
            if not waiting.done():
                waiting.cancel()
                break
            yield waiting.result()
        while not progress.empty():
            yield progress.get_nowait()
        outcome = step.result()
        if "refused" in outcome:
            refusal = {"text": outcome["refused"]}
            outcome["result"] = {"toolUseId": use["toolUseId"], "status": "error", "content": [refusal]}
        yield ToolResultEvent(outcome["result"])
