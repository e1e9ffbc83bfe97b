"""The echo provider, as a Pydantic AI ``Model``: streams the last user message back, word by word.

It needs no key and no network, so tests and local runs are deterministic. It drives the tool
loop too: a last user message ``/tool <name> <json arguments>`` asks for that tool call (id
``call_echo_<n>``), and once the results are in, the answer is a sentence per result,
``<name> returned <output json>`` or ``<name> failed with <error>``. A ``Model`` of its own
rather than ``FunctionModel``, because a reply cut short by ``max_tokens`` must say so
(``finish_reason="length"``), which a ``FunctionModel`` stream cannot.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    ModelResponseStreamEvent,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models import Model, ModelRequestParameters, StreamedResponse
from pydantic_ai.settings import ModelSettings

from ..settings import Settings
from .results import FAILED, error_text, output_text

TOOL_COMMAND = "/tool "


def build(settings: Settings) -> EchoModel:
    return EchoModel(delay_ms=settings.echo_delay_ms)


class EchoModel(Model):
    def __init__(self, delay_ms: int = 0) -> None:
        super().__init__()
        self.delay_ms = delay_ms

    @property
    def model_name(self) -> str:
        return "echo"

    @property
    def system(self) -> str:
        return "echo"

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
        run_context: object = None,
    ) -> AsyncIterator[StreamedResponse]:
        model_settings, model_request_parameters = self.prepare_request(
            model_settings, model_request_parameters
        )
        yield EchoStream(model_request_parameters, messages, model_settings or {}, self.delay_ms / 1000)


@dataclass
class EchoStream(StreamedResponse):
    messages: list[ModelMessage] = field(default_factory=list)
    settings: ModelSettings = field(default_factory=dict)
    pause: float = 0.0
    _timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))

    async def _get_event_iterator(self) -> AsyncIterator[ModelResponseStreamEvent]:
        requests = [m for m in self.messages if isinstance(m, ModelRequest)]
        last = requests[-1].parts if requests else []
        prompts = [part.content for m in requests for part in m.parts if isinstance(part, UserPromptPart)]
        text = prompts[-1] if prompts and isinstance(prompts[-1], str) else ""
        # The tool results since the user last spoke: the answer is about them.
        results = []
        for part in reversed(last):
            if not isinstance(part, ToolReturnPart):
                break
            results.insert(0, part)
        if results:
            text = " ".join(_sentence(part) for part in results)
        elif text.startswith(TOOL_COMMAND) and last and isinstance(last[-1], UserPromptPart):
            yield self._tool_request(text)
            return
        text = text or "(nothing to echo)"
        for stop in self.settings.get("stop_sequences") or ():
            text = text.partition(stop)[0]
        limit = self.settings.get("max_tokens")
        for index, word in enumerate(text.split(" ")):
            if limit is not None and index >= limit:
                self.finish_reason = "length"
                return
            if index and self.pause:
                await asyncio.sleep(self.pause)
            for event in self._parts_manager.handle_text_delta(
                vendor_part_id="text", content=word if index == 0 else f" {word}"
            ):
                yield event
        self.finish_reason = "stop"

    def _tool_request(self, text: str) -> ModelResponseStreamEvent:
        name, _, raw = text[len(TOOL_COMMAND) :].strip().partition(" ")
        try:
            arguments = json.loads(raw) if raw.strip() else {}
        except ValueError:
            arguments = raw  # not JSON: the tool call fails, as it would for a real model
        turn = 1 + sum(
            1
            for m in self.messages
            if isinstance(m, ModelResponse) and any(isinstance(p, ToolCallPart) for p in m.parts)
        )
        self.finish_reason = "tool_call"
        return self._parts_manager.handle_tool_call_part(
            vendor_part_id="tool",
            tool_name=name,
            args=arguments if isinstance(arguments, dict) else raw,
            tool_call_id=f"call_echo_{turn}",
        )

    async def close_stream(self) -> None:
        pass  # nothing to close: cancelling the run stops the word loop

    @property
    def model_name(self) -> str:
        return "echo"

    @property
    def provider_name(self) -> None:
        return None

    @property
    def provider_url(self) -> None:
        return None

    @property
    def timestamp(self) -> datetime:
        return self._timestamp


def _sentence(part: ToolReturnPart) -> str:
    if part.outcome in FAILED:
        return f"{part.tool_name} failed with {error_text(part.content)}"
    return f"{part.tool_name} returned {output_text(part.content)}"
