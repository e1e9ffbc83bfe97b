"""Pydantic AI's model requests and tool calls as the run's checkpointed steps (see ``steps``).

A model request's step holds the whole ``ModelResponse`` as JSON; on a replay the framework
reads it back as a completed stream. A tool call's step holds its return value, or why it
failed, so a failure replays as the same failure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pydantic_ai import ModelRetry, RunContext
from pydantic_ai.capabilities import Hooks
from pydantic_ai.exceptions import ModelAPIError, ToolFailed
from pydantic_ai.messages import ModelMessage, ModelMessagesTypeAdapter, ModelResponse
from pydantic_ai.models import CompletedStreamedResponse, ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings

from ..agent.errors import ProviderError
from ..agent.results import as_json
from ..agent.runner import Extension, provider_problem
from ..settings import get_settings
from . import approval
from .steps import Steps


def extension(steps: Steps) -> Extension:
    return Extension(
        wrap_model=lambda model: CheckpointedModel(model, steps),
        capabilities=(Hooks(tool_execute=CheckpointedTools(steps)),),
        toolsets=(approval.toolset(),),
    )


class CheckpointedModel(WrapperModel):
    """The configured model, each request a step: run once, then read back on every replay."""

    def __init__(self, model: object, steps: Steps) -> None:
        super().__init__(model)
        self.steps = steps

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        async with self.request_stream(messages, model_settings, model_request_parameters) as stream:
            async for _ in stream:
                pass
        return stream.get()

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext | None = None,
    ) -> AsyncIterator[StreamedResponse]:
        async def call() -> dict:
            try:
                async with self.wrapped.request_stream(
                    messages, model_settings, model_request_parameters, run_context
                ) as streamed:
                    async for _ in streamed:
                        pass
            except ModelAPIError as problem:
                return {"error": provider_problem(problem, get_settings())}
            except ProviderError as problem:
                return {"error": str(problem)}
            return {"response": ModelMessagesTypeAdapter.dump_python([streamed.get()], mode="json")}

        outcome = await self.steps.model_call(call)
        if "error" in outcome:
            raise ProviderError(outcome["error"])
        [response] = ModelMessagesTypeAdapter.validate_python(outcome["response"])
        yield CompletedStreamedResponse(
            response, model_request_parameters=model_request_parameters, replay_events=True
        )


class CheckpointedTools:
    """A ``tool_execute`` hook: each call of a validated tool call runs as a step."""

    def __init__(self, steps: Steps) -> None:
        self.steps = steps

    async def __call__(
        self, ctx: RunContext, *, call: object, tool_def: object, args: object, handler
    ) -> object:
        async def run() -> dict:
            try:
                return {"output": as_json(await handler(args))}
            except ModelRetry as retry:
                return {"retry": retry.message}
            except ToolFailed as failed:
                return {"failed": str(failed)}
            except Exception as problem:
                kind = type(problem).__name__
                return {"failed": f"{kind}: {problem}" if str(problem) else kind}

        outcome = await self.steps.tool_call(call.tool_name, call.tool_call_id, run)
        if "retry" in outcome:
            raise ModelRetry(outcome["retry"])
        if "failed" in outcome or "refused" in outcome:
            raise ToolFailed(outcome.get("failed") or outcome["refused"])
        return outcome["output"]
