"""The echo provider, as an Agents SDK ``Model``: streams the last user message back, word by word.

It needs no key and no network, so tests and local runs are deterministic. It drives the tool
loop too: a last user message ``/tool <name> <json arguments>`` asks for that tool call (id
``call_echo_<n>``), and once the results are in, the answer is a sentence per result,
``<name> returned <output json>`` or ``<name> failed with <error>``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from agents import Model, ModelResponse, ModelSettings, Usage

from ..settings import Settings
from . import model_turn
from .conversation import FAILED
from .events import ToolCall

TOOL_COMMAND = "/tool "


def build(settings: Settings) -> EchoModel:
    return EchoModel(delay_ms=settings.echo_delay_ms)


def failure(problem: BaseException, settings: Settings) -> str | None:
    return None  # the echo model does not fail


class EchoModel(Model):
    def __init__(self, delay_ms: int = 0) -> None:
        self.pause = delay_ms / 1000

    async def get_response(self, system_instructions, input, model_settings, tools, *args, **kwargs):
        events = [
            event async for event in self.stream_response(system_instructions, input, model_settings, tools)
        ]
        response = events[-1].response
        return ModelResponse(output=response.output, usage=Usage(requests=1), response_id=None)

    async def stream_response(
        self, system_instructions, input, model_settings: ModelSettings, tools, *args, **kwargs
    ) -> AsyncIterator:
        items = [{"role": "user", "content": input}] if isinstance(input, str) else list(input)
        results = _results_since_the_user_spoke(items)
        text = " ".join(results) if results else _last_user_text(items)
        if not results and text.startswith(TOOL_COMMAND) and _role(items[-1]) == "user":
            yield model_turn.completed("", [_tool_request(text, items)])
            return
        text = text or "(nothing to echo)"
        for stop in model_turn.stop_sequences(model_settings):
            text = text.partition(stop)[0]
        words = text.split(" ")
        limit = model_turn.token_limit(model_settings)
        sent = words if limit is None else words[:limit]
        for index, word in enumerate(sent):
            if index and self.pause:
                await asyncio.sleep(self.pause)
            yield model_turn.text_delta(word if index == 0 else f" {word}", index)
        incomplete = "max_output_tokens" if len(sent) < len(words) else None
        yield model_turn.completed(" ".join(sent), incomplete=incomplete)  # no tokens to count


def _role(item: dict) -> str | None:
    return item.get("role") if isinstance(item, dict) else None


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content or () if isinstance(part, dict))


def _last_user_text(items: list[dict]) -> str:
    return next((_text(item.get("content")) for item in reversed(items) if _role(item) == "user"), "")


def _results_since_the_user_spoke(items: list[dict]) -> list[str]:
    """A sentence per tool result at the end of the conversation."""
    names = {item["call_id"]: item["name"] for item in items if item.get("type") == "function_call"}
    sentences: list[str] = []
    for item in reversed(items):
        if item.get("type") == "function_call":
            continue
        if item.get("type") != "function_call_output":
            break
        name = names.get(item["call_id"], "the tool")
        output = _text(item.get("output"))
        if output.startswith(FAILED):
            sentences.insert(0, f"{name} failed with {output[len(FAILED) :]}")
        else:
            sentences.insert(0, f"{name} returned {output}")
    return sentences


def _tool_request(text: str, items: list[dict]) -> ToolCall:
    name, _, raw = text[len(TOOL_COMMAND) :].strip().partition(" ")
    turn = 1 + sum(1 for item in items if item.get("type") == "function_call")
    try:
        arguments = json.loads(raw) if raw.strip() else {}
    except ValueError:
        arguments = None  # not JSON: the call fails, as it would for a real model
    return ToolCall(f"call_echo_{turn}", name, raw if not isinstance(arguments, dict) else arguments)
